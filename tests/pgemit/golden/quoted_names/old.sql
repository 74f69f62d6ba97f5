-- quoted, mixed-case, reserved and unicode names
CREATE TABLE "Order" (
    "Id" integer PRIMARY KEY,
    "select" text,
    "user" integer
);
CREATE TABLE plain (id integer PRIMARY KEY);
