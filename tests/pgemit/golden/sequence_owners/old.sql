-- sequences OWNED BY columns: a new table owns a sequence another of its columns
-- takes its default from; an owner column dropped while its sequence stays; an
-- owner moved between surviving columns; a new start (recorded, current value kept);
-- a sequence dropped while a surviving column's default moves away from it
CREATE TABLE ticket (
    id integer PRIMARY KEY,
    legacy_no bigint,
    a bigint,
    b bigint
);
CREATE SEQUENCE ticket_legacy OWNED BY ticket.legacy_no;
CREATE SEQUENCE "Across" OWNED BY ticket.a;
CREATE SEQUENCE order_no START WITH 100;
CREATE SEQUENCE "Ticket Numbers";
ALTER TABLE ticket ADD COLUMN no bigint DEFAULT nextval('"Ticket Numbers"');
INSERT INTO ticket VALUES (1, 10, 1, 2), (2, NULL, 3, 4);
