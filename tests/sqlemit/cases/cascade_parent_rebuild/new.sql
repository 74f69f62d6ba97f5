CREATE TABLE author (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name VARCHAR(64) NOT NULL,
    joined TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT ck_author_name CHECK (length(name) > 0)
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
