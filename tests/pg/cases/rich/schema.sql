-- Every object kind the introspector reads, in the default schema.
CREATE TABLE parent (
	id serial PRIMARY KEY,
	code varchar(16) NOT NULL COLLATE "C",
	big bigint GENERATED ALWAYS AS IDENTITY,
	price numeric(10, 2) DEFAULT '0'::numeric,
	flag boolean NOT NULL DEFAULT true,
	created timestamptz DEFAULT now(),
	doc jsonb,
	tags text[],
	ids integer[] DEFAULT '{}',
	uid uuid,
	blob bytea,
	ratio double precision,
	small real,
	half smallint DEFAULT -1,
	twice integer GENERATED ALWAYS AS (id * 2) STORED,
	CONSTRAINT parent_code_key UNIQUE (code),
	CONSTRAINT parent_price_positive CHECK (price >= 0 AND price < 1000000)
);
COMMENT ON TABLE parent IS 'the parent table';
COMMENT ON COLUMN parent.code IS 'short code, ''quoted''';
CREATE TABLE child (
	parent_id integer NOT NULL,
	code varchar(16),
	n integer NOT NULL,
	note text DEFAULT 'none',
	PRIMARY KEY (parent_id, n),
	CONSTRAINT child_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id)
		ON DELETE CASCADE ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED,
	CONSTRAINT child_code_fk FOREIGN KEY (code) REFERENCES parent (code) MATCH FULL ON DELETE RESTRICT,
	CHECK (n > 0)
);
CREATE INDEX child_note_idx ON child (lower(note) DESC NULLS LAST, n);
CREATE UNIQUE INDEX child_partial ON child (code) WHERE note IS NOT NULL;
CREATE INDEX child_nulls ON child (n NULLS FIRST, code DESC NULLS LAST, note COLLATE "C");
CREATE INDEX child_desc_default ON child (n DESC);
CREATE VIEW child_view AS SELECT parent_id, n FROM child WHERE n > 1;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER child_touch BEFORE UPDATE ON child FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TABLE alembic_version (version_num varchar(32) NOT NULL PRIMARY KEY);
