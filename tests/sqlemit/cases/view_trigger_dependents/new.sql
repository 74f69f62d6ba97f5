CREATE TABLE "order" (id INTEGER PRIMARY KEY, "select" VARCHAR(16), qty INTEGER NOT NULL DEFAULT 0 CHECK (qty >= 0));
CREATE TABLE audit (id INTEGER PRIMARY KEY, what TEXT);
CREATE TABLE "weird name é" (id INTEGER PRIMARY KEY, "it's" TEXT DEFAULT 'o''k', "new col" TEXT DEFAULT 'd''x');
CREATE VIEW v_order AS SELECT id, qty FROM "order";
CREATE VIEW v_big AS SELECT id FROM v_order WHERE qty > 10;
CREATE TRIGGER tr_order_ins AFTER INSERT ON "order" BEGIN INSERT INTO audit (what) VALUES ('order ' || NEW.id); END;
CREATE TRIGGER tr_v_order INSTEAD OF INSERT ON v_order BEGIN INSERT INTO "order" (id, qty) VALUES (NEW.id, NEW.qty); END;
CREATE TRIGGER tr_audit_del AFTER DELETE ON audit BEGIN DELETE FROM "order" WHERE id = OLD.id; END;
