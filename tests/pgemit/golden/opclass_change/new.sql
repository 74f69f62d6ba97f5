CREATE TABLE doc (
    id integer NOT NULL,
    name text,
    code varchar(20),
    title text,
    payload jsonb,
    CONSTRAINT doc_pkey PRIMARY KEY (id)
);
CREATE INDEX doc_name ON doc (name);
CREATE INDEX doc_payload ON doc USING gin (payload jsonb_path_ops);
CREATE INDEX doc_lower_title ON doc (lower(title) text_pattern_ops);
CREATE INDEX doc_code ON doc (code text_pattern_ops DESC);
CREATE INDEX doc_mixed ON doc (id, (lower(name)) varchar_pattern_ops);
CREATE INDEX doc_same ON doc (title text_pattern_ops, id);
CREATE INDEX doc_title ON doc (title text_pattern_ops);
