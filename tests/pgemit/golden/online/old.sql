-- --online: indexes CONCURRENTLY, FKs and CHECKs NOT VALID + VALIDATE
CREATE TABLE author (id integer PRIMARY KEY, name text NOT NULL);
CREATE TABLE book (id integer PRIMARY KEY, author_id integer, pages integer, title text);
CREATE INDEX ix_book_title ON book (title);
INSERT INTO author VALUES (1, 'lem');
INSERT INTO book VALUES (10, 1, 200, 'solaris');
