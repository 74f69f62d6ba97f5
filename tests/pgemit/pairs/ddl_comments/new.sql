CREATE TABLE note (
    id INTEGER NOT NULL,
    title VARCHAR(64) NOT NULL, -- now with a comment here
    body TEXT,
    /* a new column follows */
    pinned BOOLEAN DEFAULT false, -- added
    PRIMARY KEY (id)
);
