-- Two schemas, read with --schema app --schema audit: the dev database gets
-- both (created there, dropped again afterwards); "Other Schema" and public
-- are not read.
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
INSERT INTO app.account VALUES (1, 'a');
