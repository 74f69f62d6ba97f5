CREATE TABLE doc (name TEXT); CREATE INDEX doc_name ON doc (name);
