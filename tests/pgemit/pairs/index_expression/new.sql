CREATE TABLE event (
    id INTEGER NOT NULL,
    kind VARCHAR(16) NOT NULL,
    user_id INTEGER,
    email VARCHAR(128),
    created TIMESTAMP,
    deleted BOOLEAN DEFAULT false NOT NULL,
    PRIMARY KEY (id)
);
CREATE INDEX ix_event_email_lower ON event (lower(trim(email)));
