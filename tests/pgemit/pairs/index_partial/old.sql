CREATE TABLE event (
    id INTEGER NOT NULL,
    kind VARCHAR(16) NOT NULL,
    user_id INTEGER,
    email VARCHAR(128),
    created TIMESTAMP,
    deleted BOOLEAN DEFAULT false NOT NULL,
    PRIMARY KEY (id)
);
CREATE INDEX ix_event_live ON event (user_id) WHERE deleted = false;
INSERT INTO event VALUES (1, 'login', 1, 'ada@example.org', '2020-05-04 10:00:00', false);
INSERT INTO event VALUES (2, 'logout', 1, 'ada@example.org', '2020-05-04 11:00:00', false);
INSERT INTO event VALUES (3, 'login', 2, NULL, '2020-05-05 09:00:00', true);
