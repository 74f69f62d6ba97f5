-- sequences OWNED BY columns: a new table owns a sequence another of its columns
-- takes its default from; an owner column dropped while its sequence stays; an
-- owner moved between surviving columns; a new start (recorded, current value kept);
-- a sequence dropped while a surviving column's default moves away from it
CREATE TABLE ticket (
    id integer PRIMARY KEY,
    a bigint,
    b bigint
);
CREATE SEQUENCE ticket_legacy;
ALTER TABLE ticket ADD COLUMN no bigint DEFAULT 0;
CREATE SEQUENCE "Across" OWNED BY ticket.b;
CREATE SEQUENCE order_no START WITH 500;
CREATE SEQUENCE order_numbers START WITH 1000;
CREATE TABLE orders (
    id integer PRIMARY KEY,
    order_no bigint NOT NULL DEFAULT nextval('order_numbers'),
    ticket_id integer REFERENCES ticket (id)
);
ALTER SEQUENCE order_numbers OWNED BY orders.id;
