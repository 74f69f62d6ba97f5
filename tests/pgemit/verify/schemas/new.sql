CREATE SCHEMA app;
CREATE SCHEMA audit;
CREATE TABLE app.account (id bigint PRIMARY KEY, name text NOT NULL, "Email" varchar(200));
CREATE TABLE app.plan (code text PRIMARY KEY, price numeric(10, 2) NOT NULL DEFAULT 0);
CREATE TABLE audit.event (
	id bigserial PRIMARY KEY,
	account_id bigint REFERENCES app.account (id) ON DELETE CASCADE,
	at timestamp(3) without time zone NOT NULL DEFAULT CURRENT_TIMESTAMP,
	plan text REFERENCES app.plan (code)
);
CREATE INDEX event_at ON audit.event (at DESC);
