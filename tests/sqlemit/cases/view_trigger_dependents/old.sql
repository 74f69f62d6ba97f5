-- A rebuilt table with a view on it, a view on that view, a trigger on it, an
-- INSTEAD OF trigger on the view and a trigger on another table that writes
-- to it: all must survive the rebuild (RENAME fails on broken views since 3.26).
CREATE TABLE "order" (id INTEGER PRIMARY KEY, "select" TEXT, qty INTEGER);
CREATE TABLE audit (id INTEGER PRIMARY KEY, what TEXT);
CREATE TABLE "weird name é" (id INTEGER PRIMARY KEY, "it's" TEXT DEFAULT 'o''k');
CREATE VIEW v_order AS SELECT id, qty FROM "order";
CREATE VIEW v_big AS SELECT id FROM v_order WHERE qty > 10;
CREATE TRIGGER tr_order_ins AFTER INSERT ON "order" BEGIN INSERT INTO audit (what) VALUES ('order ' || NEW.id); END;
CREATE TRIGGER tr_v_order INSTEAD OF INSERT ON v_order BEGIN INSERT INTO "order" (id, qty) VALUES (NEW.id, NEW.qty); END;
CREATE TRIGGER tr_audit_del AFTER DELETE ON audit BEGIN DELETE FROM "order" WHERE id = OLD.id; END;
INSERT INTO "order" VALUES (1, 'x', 5), (2, 'y', 50);
INSERT INTO "weird name é" VALUES (1, 'a');
