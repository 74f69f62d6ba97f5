-- Quoted, mixed-case, reserved and unicode names.
CREATE TABLE "User" (
	"select" integer PRIMARY KEY,
	"MixedCase" text,
	"with space" varchar(10),
	"naïve_ñame" integer,
	"quote""inside" integer,
	"order" integer
);
CREATE TABLE "table" (
	"from" integer REFERENCES "User" ("select"),
	"Ünïcødé" text UNIQUE
);
CREATE INDEX "Idx Mixed" ON "User" ("MixedCase", "order" DESC);
CREATE VIEW "View" AS SELECT "select" FROM "User";
