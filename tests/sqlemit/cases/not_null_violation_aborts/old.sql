-- The target makes a column NOT NULL that holds a NULL: the copy in the
-- rebuild fails; the shell goes on after the error unless -bail, so the
-- postconditions must roll everything back.
CREATE TABLE person (id INTEGER PRIMARY KEY, email TEXT, nick TEXT);
CREATE INDEX ix_person_nick ON person (nick);
INSERT INTO person VALUES (1, 'a@x.org', 'a'), (2, NULL, 'b');
