CREATE TABLE person (id INTEGER PRIMARY KEY, email TEXT NOT NULL, nick TEXT);
CREATE INDEX ix_person_nick ON person (nick);
