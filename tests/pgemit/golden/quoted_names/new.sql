-- quoted, mixed-case, reserved and unicode names
CREATE TABLE "Order" (
    "Id" integer PRIMARY KEY,
    "select" varchar(10) NOT NULL DEFAULT 'x',
    "user" integer CHECK ("user" > 0),
    "Größe" numeric(6,1),
    CONSTRAINT "Order_user_key" UNIQUE ("user")
);
CREATE INDEX "Order by user" ON "Order" ("user", "select" DESC);
COMMENT ON COLUMN "Order"."select" IS 'it''s reserved';
CREATE TABLE plain (id integer PRIMARY KEY, "Order_id" integer REFERENCES "Order" ("Id"));
