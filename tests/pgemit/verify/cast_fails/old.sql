-- The upgrade turns a boolean column into a date: PostgreSQL has no cast
-- from boolean to date, so ALTER COLUMN ... TYPE date USING flag::date is
-- rejected when it is parsed, on an empty table too.  The rows here are
-- never copied to the dev database (the source is built from its model).
CREATE TABLE item (id integer PRIMARY KEY, label text NOT NULL, flag boolean);
CREATE INDEX item_label ON item (label);
INSERT INTO item VALUES (1, 'a', true), (2, 'b', NULL);
