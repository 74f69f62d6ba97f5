-- The target adds an FK that existing rows violate (order 3 names customer 9):
-- the up section must fail and leave the database exactly as it was.
CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, total NUMERIC(10, 2));
INSERT INTO customer VALUES (1, 'ada'), (2, 'grace');
INSERT INTO orders VALUES (1, 1, 10), (2, 2, 20), (3, 9, 30);
