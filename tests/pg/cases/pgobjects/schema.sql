-- PostgreSQL objects beyond tables: enums, sequences, materialized views
-- (with quoted, mixed-case and unicode names, in two schemas); a serial's and
-- an identity's sequences belong to their columns and are not listed.
CREATE SCHEMA "Ops";
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE "Ops"."Größe" AS ENUM ('S', 'M', 'it''s large', 'select');
CREATE TYPE "order" AS ENUM ();
CREATE SEQUENCE plain_seq;
CREATE SEQUENCE "Ops"."Odd Seq" AS integer INCREMENT BY -2 MINVALUE -1000 MAXVALUE 10 START WITH 9 CACHE 5 CYCLE;
CREATE SEQUENCE small_seq AS smallint START WITH 7 MAXVALUE 300;
CREATE TABLE person (
    id serial PRIMARY KEY,
    n integer GENERATED ALWAYS AS IDENTITY,
    feeling mood NOT NULL DEFAULT 'ok',
    size "Ops"."Größe"
);
CREATE SEQUENCE owned_seq OWNED BY person.n;
CREATE MATERIALIZED VIEW happy_people AS SELECT id FROM person WHERE feeling = 'happy';
CREATE VIEW plain_view AS SELECT id, feeling FROM person;
CREATE MATERIALIZED VIEW "Ops"."Sizes" AS SELECT size, count(*) AS n FROM person GROUP BY size;
