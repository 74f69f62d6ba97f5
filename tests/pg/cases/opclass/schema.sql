-- Operator classes of index key columns and NULLS NOT DISTINCT of unique
-- constraints (PostgreSQL 15).  A class is written only when it is not the
-- default for the indexed type and the index's method: doc_defaults names
-- the defaults explicitly and reads back without them; varchar and domain
-- columns, arrays, enums and a hash expression index exercise the ways
-- the server picks a default.  pg_trgm lives in schema ext, off the
-- search_path, so its class is schema-qualified.
CREATE SCHEMA ext;
CREATE EXTENSION pg_trgm SCHEMA ext;
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN short_text AS varchar(40);
CREATE TABLE doc (
    id integer PRIMARY KEY,
    name text,
    code varchar(20),
    title text,
    c char(4),
    tags text[],
    m mood,
    label short_text,
    payload jsonb,
    CONSTRAINT doc_code_key UNIQUE NULLS NOT DISTINCT (code),
    CONSTRAINT doc_title_c_key UNIQUE NULLS NOT DISTINCT (title, c),
    CONSTRAINT doc_name_key UNIQUE (name)
);
CREATE INDEX doc_name_pattern ON doc (name text_pattern_ops);
CREATE INDEX doc_code_pattern ON doc (code varchar_pattern_ops DESC NULLS LAST);
CREATE INDEX doc_lower_title ON doc (lower(title) text_pattern_ops);
CREATE INDEX doc_mixed ON doc (id, (lower(name)) text_pattern_ops, code COLLATE "C" bpchar_pattern_ops);
CREATE INDEX doc_payload_path ON doc USING gin (payload jsonb_path_ops);
CREATE INDEX doc_title_trgm ON doc USING gin (title ext.gin_trgm_ops);
CREATE INDEX doc_c_pattern ON doc (c bpchar_pattern_ops);
CREATE INDEX doc_defaults ON doc (id int4_ops, name text_ops, code, c bpchar_ops, tags, m, label);
CREATE INDEX doc_gin_defaults ON doc USING gin (tags, payload);
CREATE INDEX doc_hash_expr ON doc USING hash ((lower(code)));
CREATE INDEX doc_label_text ON doc (label text_pattern_ops);
