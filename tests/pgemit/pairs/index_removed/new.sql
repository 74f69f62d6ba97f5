CREATE TABLE event (
    id INTEGER NOT NULL,
    kind VARCHAR(16) NOT NULL,
    user_id INTEGER,
    email VARCHAR(128),
    created TIMESTAMP,
    deleted BOOLEAN DEFAULT false NOT NULL,
    PRIMARY KEY (id)
);
