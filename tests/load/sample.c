/*
 * sample.c - a schema with every field of the model set somewhere: all
 * column fields, each constraint kind named and unnamed, indexes with
 * expressions, DESC, collations, NULLS and WHERE, views and triggers, and
 * names holding UTF-8, quotes, backslashes and newlines.
 */
#include <stdio.h>
#include <stdlib.h>

#include "sample.h"

sd_schema *sample_schema(void)
{
	sd_schema *s = sd_schema_new("sqlite", "sample");
	sd_error err = SD_ERROR_INIT;
	sd_table *t, *u;
	sd_column *c;
	sd_primary_key *pk;
	sd_unique *uq;
	sd_foreign_key *fk;
	sd_index *ix;
	sd_index_elem *e;

	/* A table in the default namespace with every column field. */
	t = sd_schema_add_table(s, NULL, "dataset");
	t->comment = sd_schema_strdup(s, "datasets, \"quoted\"\nsecond line \\ backslash");
	c = sd_table_add_column(s, t, "id");
	c->type = sd_schema_strdup(s, "BIGINT");
	c->nullable = false;
	c->autoincrement = SD_AUTOINC_TRUE;
	c = sd_table_add_column(s, t, "name");
	c->type = sd_schema_strdup(s, "VARCHAR(32)");
	c->nullable = false;
	c->server_default = sd_schema_strdup(s, "'it''s \"x\"'");
	c->collation = sd_schema_strdup(s, "NOCASE");
	c->comment = sd_schema_strdup(s, "the name, été ✓");
	c = sd_table_add_column(s, t, "untyped");
	c->nullable = true;
	c->autoincrement = SD_AUTOINC_FALSE;
	c = sd_table_add_column(s, t, "n2");
	c->type = sd_schema_strdup(s, "INTEGER");
	c->nullable = true;
	c->generated = sd_schema_strdup(s, "id * 2");
	c->generated_stored = false;
	c = sd_table_add_column(s, t, "n3");
	c->type = sd_schema_strdup(s, "INTEGER");
	c->nullable = true;
	c->generated = sd_schema_strdup(s, "id * 3");
	c->generated_stored = true;
	c = sd_table_add_column(s, t, "créé \"q\"\\b\nl");
	c->type = sd_schema_strdup(s, "TIMESTAMP");
	c->nullable = true;
	c->server_default = sd_schema_strdup(s, "CURRENT_TIMESTAMP");
	pk = sd_table_set_pk(s, t, "pk_dataset");
	sd_names_push(s, &pk->columns, &pk->ncolumns, "id");
	uq = sd_table_add_unique(s, t, "uq_dataset_name");
	sd_names_push(s, &uq->columns, &uq->ncolumns, "name");
	sd_names_push(s, &uq->columns, &uq->ncolumns, "untyped");
	uq = sd_table_add_unique(s, t, NULL);
	sd_names_push(s, &uq->columns, &uq->ncolumns, "créé \"q\"\\b\nl");
	sd_table_add_check(s, t, "ck_len", "length(name) <= 32");
	sd_table_add_check(s, t, NULL, "untyped IN (0, 1)");
	ix = sd_table_add_index(s, t, "ix_dataset_mixed");
	ix->unique = true;
	ix->where = sd_schema_strdup(s, "name IS NOT NULL AND name <> 'a\\b'");
	e = sd_index_add_elem(s, ix);
	e->column = sd_schema_strdup(s, "name");
	e = sd_index_add_elem(s, ix);
	e->column = sd_schema_strdup(s, "id");
	e->desc = true;
	e->collation = sd_schema_strdup(s, "BINARY");
	e->nulls = sd_schema_strdup(s, "LAST");
	e = sd_index_add_elem(s, ix);
	e->expression = sd_schema_strdup(s, "lower(\"créé \"\"q\"\"\")");
	e->nulls = sd_schema_strdup(s, "FIRST");
	ix = sd_table_add_index(s, t, "ix_plain");
	e = sd_index_add_elem(s, ix);
	e->column = sd_schema_strdup(s, "untyped");
	t->without_rowid = true;
	t->strict = true;

	/* A table in another namespace with foreign keys, named and unnamed. */
	u = sd_schema_add_table(s, "aux", "ünïcode \"t\"");
	c = sd_table_add_column(s, u, "a");
	c->type = sd_schema_strdup(s, "INTEGER");
	c->nullable = false;
	c = sd_table_add_column(s, u, "b");
	c->type = sd_schema_strdup(s, "TEXT");
	c->nullable = true;
	pk = sd_table_set_pk(s, u, NULL);
	sd_names_push(s, &pk->columns, &pk->ncolumns, "a");
	sd_names_push(s, &pk->columns, &pk->ncolumns, "b");
	fk = sd_table_add_fk(s, u, "fk_aux_dataset");
	sd_names_push(s, &fk->columns, &fk->ncolumns, "a");
	fk->ref_schema = sd_schema_strdup(s, "main");
	fk->ref_table = sd_schema_strdup(s, "dataset");
	sd_names_push(s, &fk->ref_columns, &fk->nref_columns, "id");
	fk->on_delete = sd_schema_strdup(s, "CASCADE");
	fk->on_update = sd_schema_strdup(s, "NO ACTION");
	fk->deferrable = true;
	fk->initially_deferred = true;
	fk->match = sd_schema_strdup(s, "FULL");
	fk = sd_table_add_fk(s, u, NULL);
	sd_names_push(s, &fk->columns, &fk->ncolumns, "b");
	fk->ref_table = sd_schema_strdup(s, "dataset");  /* no columns: the PK */
	fk->on_delete = sd_schema_strdup(s, "SET NULL");
	fk->on_update = sd_schema_strdup(s, "SET DEFAULT");
	fk->deferrable = true;
	fk = sd_table_add_fk(s, u, NULL);
	sd_names_push(s, &fk->columns, &fk->ncolumns, "a");
	sd_names_push(s, &fk->columns, &fk->ncolumns, "b");
	fk->ref_table = sd_schema_strdup(s, "other");
	sd_names_push(s, &fk->ref_columns, &fk->nref_columns, "x");
	sd_names_push(s, &fk->ref_columns, &fk->nref_columns, "y");
	fk->on_delete = sd_schema_strdup(s, "RESTRICT");
	fk->match = sd_schema_strdup(s, "SIMPLE");

	/* A table with no columns (PostgreSQL allows it). */
	sd_schema_add_table(s, NULL, "empty");

	sd_schema_add_view(s, NULL, "v_names", "SELECT name FROM dataset WHERE name <> 'x\"y'");
	sd_schema_add_view(s, "aux", "v2", "SELECT 1");
	sd_schema_add_trigger(s, NULL, "trg", "dataset",
			      "CREATE TRIGGER trg AFTER INSERT ON dataset BEGIN SELECT 1; END");
	sd_schema_add_trigger(s, "aux", "trg2", "ünïcode \"t\"",
			      "CREATE TRIGGER trg2 AFTER DELETE ON x BEGIN\n\tSELECT '\\'; END");

	if (sd_schema_finish(s, &err) < 0) {
		sd_str msg = SD_STR_INIT;
		sd_error_format(&err, &msg);
		fprintf(stderr, "sample_schema: %s", msg.ptr);
		abort();
	}
	return s;
}
