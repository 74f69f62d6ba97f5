-- Several schemas: --schema app --schema audit; public is not read.
CREATE SCHEMA app;
CREATE SCHEMA audit;
CREATE SCHEMA "Other Schema";
CREATE TABLE public.ignored (id integer);
CREATE TABLE app.account (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE audit.event (
	id bigserial PRIMARY KEY,
	account_id bigint REFERENCES app.account (id) ON DELETE SET NULL,
	at timestamp(3) without time zone NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX event_at ON audit.event (at);
CREATE TABLE "Other Schema"."T" (id integer);
