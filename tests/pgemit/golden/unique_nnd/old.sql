-- UNIQUE NULLS NOT DISTINCT switched on and off (PostgreSQL 15): a drop and
-- add of the constraint; a created table with one; Alembic files say it
-- with op.execute (SQLAlchemy 1.4 has no postgresql_nulls_not_distinct)
CREATE TABLE account (
    id integer NOT NULL,
    email text,
    region text,
    CONSTRAINT account_pkey PRIMARY KEY (id),
    CONSTRAINT account_email_key UNIQUE (email),
    CONSTRAINT account_region_key UNIQUE NULLS NOT DISTINCT (region)
);
INSERT INTO account VALUES (1, 'ada@example.org', NULL);
INSERT INTO account VALUES (2, NULL, 'eu');
