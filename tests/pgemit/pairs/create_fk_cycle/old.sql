CREATE TABLE users (
    id INTEGER NOT NULL,
    name VARCHAR(64) NOT NULL,
    email VARCHAR(128),
    PRIMARY KEY (id)
);
INSERT INTO users (id, name, email) VALUES (1, 'ada', 'ada@example.org');
INSERT INTO users (id, name, email) VALUES (2, 'grace', NULL);
