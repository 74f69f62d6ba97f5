CREATE TABLE author (
    id INTEGER NOT NULL,
    name VARCHAR(64),
    bio TEXT,
    PRIMARY KEY (id)
);
CREATE TABLE book (
    id INTEGER NOT NULL,
    author_id INTEGER,
    title VARCHAR(128),
    PRIMARY KEY (id),
    CONSTRAINT fk_book_author FOREIGN KEY(author_id) REFERENCES author (id),
    CONSTRAINT ck_book_title CHECK (length(title) > 0)
);
CREATE INDEX ix_book_author ON book (author_id);
CREATE TABLE tmp_export (id INTEGER NOT NULL, PRIMARY KEY (id));
CREATE TABLE legacy_orders (id INTEGER NOT NULL, extra TEXT, PRIMARY KEY (id));
