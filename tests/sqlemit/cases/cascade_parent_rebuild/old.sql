-- A parent rebuilt (type change, new CHECK, new NOT NULL column with an
-- expression default) while its children hold rows behind ON DELETE CASCADE
-- and ON DELETE SET NULL foreign keys.  With foreign keys on during the
-- rebuild, DROP TABLE author would empty book and chapter and null review.
CREATE TABLE author (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name VARCHAR(32) NOT NULL
);
CREATE TABLE book (
    id INTEGER NOT NULL,
    author_id INTEGER NOT NULL,
    title TEXT,
    PRIMARY KEY (id),
    CONSTRAINT fk_book_author FOREIGN KEY (author_id) REFERENCES author (id) ON DELETE CASCADE
);
CREATE INDEX ix_book_author ON book (author_id);
CREATE TABLE chapter (
    book_id INTEGER NOT NULL REFERENCES book (id) ON DELETE CASCADE,
    n INTEGER NOT NULL,
    PRIMARY KEY (book_id, n)
);
CREATE TABLE review (
    id INTEGER PRIMARY KEY,
    author_id INTEGER,
    stars INTEGER,
    FOREIGN KEY (author_id) REFERENCES author (id) ON DELETE SET NULL
);
INSERT INTO author (name) VALUES ('ada'), ('grace'), ('barbara'), ('temp');
DELETE FROM author WHERE name = 'temp';
INSERT INTO book VALUES (1, 1, 'notes'), (2, 2, 'compilers'), (3, 2, 'cobol');
INSERT INTO chapter VALUES (1, 1), (1, 2), (2, 1), (3, 1);
INSERT INTO review VALUES (1, 1, 5), (2, 3, 4), (3, NULL, 1);
