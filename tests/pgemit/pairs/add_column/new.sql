CREATE TABLE users (
    id INTEGER NOT NULL,
    name VARCHAR(64) NOT NULL,
    email VARCHAR(128),
    active BOOLEAN DEFAULT true NOT NULL,
    created TIMESTAMP,
    PRIMARY KEY (id)
);
