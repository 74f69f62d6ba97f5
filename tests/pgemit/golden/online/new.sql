-- --online: indexes CONCURRENTLY, FKs and CHECKs NOT VALID + VALIDATE
CREATE TABLE author (id integer PRIMARY KEY, name text NOT NULL);
CREATE TABLE book (id integer PRIMARY KEY, author_id integer REFERENCES author (id),
                   pages integer CONSTRAINT ck_book_pages CHECK (pages > 0), title text);
CREATE INDEX ix_book_author ON book (author_id);
CREATE INDEX ix_book_pages ON book (pages DESC);
CREATE TABLE review (id integer PRIMARY KEY, book_id integer REFERENCES book (id));
CREATE INDEX ix_review_book ON review (book_id);
