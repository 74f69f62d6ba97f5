-- operator classes that change, appear and go (PostgreSQL): a change is a
-- drop and create of the index; postgresql_ops on a column and on an
-- expression (keyed by its text), op.execute where the class sits before
-- DESC
CREATE TABLE doc (
    id integer NOT NULL,
    name text,
    code varchar(20),
    title text,
    payload jsonb,
    CONSTRAINT doc_pkey PRIMARY KEY (id)
);
CREATE INDEX doc_name ON doc (name text_pattern_ops);
CREATE INDEX doc_payload ON doc USING gin (payload);
CREATE INDEX doc_lower_title ON doc (lower(title));
CREATE INDEX doc_code ON doc (code varchar_pattern_ops DESC);
CREATE INDEX doc_mixed ON doc (id, (lower(name)) text_pattern_ops);
CREATE INDEX doc_same ON doc (title text_pattern_ops, id int4_ops);
INSERT INTO doc VALUES (1, 'ada', 'A-1', 'First', '{"a": 1}');
INSERT INTO doc VALUES (2, 'bob', NULL, NULL, NULL);
