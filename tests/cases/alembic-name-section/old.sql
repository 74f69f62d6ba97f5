CREATE TABLE author (
    id INTEGER NOT NULL,
    name VARCHAR(64),
    PRIMARY KEY (id)
);
CREATE TABLE book (
    id INTEGER NOT NULL,
    author_id INTEGER,
    title VARCHAR(128),
    PRIMARY KEY (id),
    CONSTRAINT fk_book_author FOREIGN KEY(author_id) REFERENCES author (id)
);
CREATE INDEX ix_book_title ON book (title);
CREATE TABLE tmp_import (id INTEGER NOT NULL, PRIMARY KEY (id));
CREATE TABLE legacy_orders (id INTEGER NOT NULL, PRIMARY KEY (id));
CREATE TABLE legacy_items (id INTEGER NOT NULL, PRIMARY KEY (id));
CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
INSERT INTO author VALUES (1, 'lem');
INSERT INTO book VALUES (1, 1, 'solaris');
