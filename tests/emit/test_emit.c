/*
 * test_emit.c - the review and JSON emitters against golden files.
 *
 * Each case builds an sd_migration by hand, renders it with both emitters
 * and compares with tests/emit/golden/<case>.txt and <case>.json (found via
 * SD_SOURCE_ROOT).  On a mismatch the unified diff is printed.  With
 * SD_UPDATE_GOLDEN=1 in the environment the golden files are rewritten
 * instead (review the diff before committing them).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "schemadiff/emit.h"

/* ---- fixture ------------------------------------------------------------ */

typedef struct fx {
	sd_migration m;
	sd_schema *s;      /* objects the ops point at */
} fx;

static int fx_setup(void **state)
{
	fx *f = xcalloc(1, sizeof(*f));

	sd_oplist_init(&f->m.upgrade, "sqlite");
	sd_oplist_init(&f->m.downgrade, "sqlite");
	f->m.dialect = "sqlite";
	f->s = sd_schema_new("sqlite", "test");
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	fx *f = *state;

	sd_migration_release(&f->m);
	sd_schema_free(f->s);
	free(f);
	return 0;
}

static sd_column *col(fx *f, sd_table *t, const char *name, const char *type, bool nullable)
{
	sd_column *c = sd_table_add_column(f->s, t, name);

	c->type = sd_schema_strdup(f->s, type);
	c->nullable = nullable;
	return c;
}

/* A scratch column outside any real table (for alter_column before/after). */
static sd_column *loose_col(fx *f, const char *name, const char *type, bool nullable)
{
	sd_table *t = sd_schema_add_table(f->s, "scratch", name);

	return col(f, t, name, type, nullable);
}

static sd_index *index_on(fx *f, sd_table *t, const char *name, bool unique, ...)
{
	sd_index *ix = sd_table_add_index(f->s, t, name);
	va_list ap;
	const char *c;

	ix->unique = unique;
	va_start(ap, unique);
	while ((c = va_arg(ap, const char *)))
		sd_index_add_elem(f->s, ix)->column = sd_schema_strdup(f->s, c);
	va_end(ap);
	return ix;
}

static sd_op *up(fx *f, sd_op_kind k, const char *schema, const char *table)
{
	return sd_oplist_push(&f->m.upgrade, k, schema, table);
}

static sd_op *down(fx *f, sd_op_kind k, const char *schema, const char *table)
{
	return sd_oplist_push(&f->m.downgrade, k, schema, table);
}

/* ---- golden comparison -------------------------------------------------- */

static char *golden_path(const char *name)
{
	const char *root = getenv("SD_SOURCE_ROOT");
	sd_str p = SD_STR_INIT;

	sd_str_addf(&p, "%s/tests/emit/golden/%s", root ? root : ".", name);
	return sd_str_detach(&p);
}

/* Compare actual with golden file name; print a unified diff on mismatch. */
static void check_golden(const char *actual, const char *name)
{
	char *path = golden_path(name);
	char *expect = NULL;
	size_t len = 0;
	int rc;

	if (getenv("SD_UPDATE_GOLDEN")) {
		FILE *fp = fopen(path, "wb");

		assert_non_null(fp);
		fputs(actual, fp);
		fclose(fp);
		free(path);
		return;
	}
	rc = sd_read_file(path, &expect, &len);
	if (rc) {
		print_error("cannot read golden file %s\n", path);
		free(path);
		fail();
	}
	if (len != strlen(actual) || memcmp(expect, actual, len) != 0) {
		char tmpl[] = "/tmp/sd-emit-actual-XXXXXX";
		int fd = mkstemp(tmpl);
		sd_str cmd = SD_STR_INIT;

		assert_true(fd >= 0);
		assert_int_equal(write(fd, actual, strlen(actual)), (ssize_t)strlen(actual));
		close(fd);
		sd_str_addf(&cmd, "diff -u '%s' '%s' >&2", path, tmpl);
		fflush(stdout);
		if (system(cmd.ptr) == -1)
			print_error("(could not run diff)\n");
		unlink(tmpl);
		sd_str_release(&cmd);
		print_error("output differs from golden file %s\n", path);
		free(expect);
		free(path);
		fail();
	}
	free(expect);
	free(path);
}

/* Render with an emitter, expecting success; caller frees. */
static char *render(const sd_emitter *e, const sd_migration *m)
{
	sd_str out = SD_STR_INIT;
	sd_error err = SD_ERROR_INIT;
	int rc = sd_emit(e, m, NULL, &out, &err);

	if (rc) {
		print_error("emit failed: %s\n", err.message ? err.message : "?");
		sd_error_clear(&err);
		sd_str_release(&out);
		fail();
	}
	return sd_str_detach(&out);
}

/*
 * Both emitters against <name>.txt and <name>.json; each rendered twice to
 * prove determinism; the JSON must parse.  Returns the parsed JSON.
 */
static json_t *check_case(fx *f, const char *name)
{
	char *txt = render(&sd_emitter_review, &f->m);
	char *txt2 = render(&sd_emitter_review, &f->m);
	char *js = render(&sd_emitter_json, &f->m);
	char *js2 = render(&sd_emitter_json, &f->m);
	sd_str gname = SD_STR_INIT;
	json_error_t jerr;
	json_t *root;

	assert_string_equal(txt, txt2);
	assert_string_equal(js, js2);
	sd_str_addf(&gname, "%s.txt", name);
	check_golden(txt, gname.ptr);
	sd_str_reset(&gname);
	sd_str_addf(&gname, "%s.json", name);
	check_golden(js, gname.ptr);
	root = json_loads(js, 0, &jerr);
	if (!root)
		print_error("JSON does not parse: %s at %d:%d\n", jerr.text, jerr.line, jerr.column);
	assert_non_null(root);
	assert_string_equal(json_string_value(json_object_get(root, "format")), "schemadiff-ops/2");
	assert_int_equal(json_array_size(json_object_get(root, "ops")), f->m.upgrade.n);
	assert_int_equal(json_array_size(json_object_get(root, "downgrade")), f->m.downgrade.n);
	sd_str_release(&gname);
	free(txt);
	free(txt2);
	free(js);
	free(js2);
	return root;
}

static const char *op_str(json_t *root, const char *list, size_t i, const char *key)
{
	return json_string_value(json_object_get(json_array_get(json_object_get(root, list), i), key));
}

/* ---- cases -------------------------------------------------------------- */

/* The dataset_composition table of the issue. */
static sd_table *dataset_composition(fx *f)
{
	sd_table *t = sd_schema_add_table(f->s, NULL, "dataset_composition");
	sd_foreign_key *fk;

	col(f, t, "component_name", "VARCHAR(32)", false);
	col(f, t, "component_dataset_id", "BIGINT", false);
	col(f, t, "parent_dataset_id", "BIGINT", false);
	col(f, t, "simple", "BOOLEAN", true);
	sd_table_set_pk(f->s, t, NULL);
	sd_names_push(f->s, &t->pk->columns, &t->pk->ncolumns, "component_name");
	sd_names_push(f->s, &t->pk->columns, &t->pk->ncolumns, "parent_dataset_id");
	fk = sd_table_add_fk(f->s, t, "fkey_dataset_composition_dataset_id_parent_dataset_id");
	sd_names_push(f->s, &fk->columns, &fk->ncolumns, "parent_dataset_id");
	fk->ref_table = "dataset";
	sd_names_push(f->s, &fk->ref_columns, &fk->nref_columns, "id");
	fk->on_delete = "CASCADE";
	sd_table_add_check(f->s, t, "dataset_composition_len_component_name",
			   "length(component_name)<=32");
	index_on(f, t, "dataset_composition_fkidx_component_dataset_id", false,
		 "component_dataset_id", (const char *)NULL);
	index_on(f, t, "dataset_composition_fkidx_parent_dataset_id", false, "parent_dataset_id",
		 (const char *)NULL);
	return t;
}

static void test_required_example(void **state)
{
	fx *f = *state;
	sd_table *t = dataset_composition(f);
	sd_op *op;
	char *txt;
	json_t *root;

	op = up(f, SD_OP_DROP_INDEX, NULL, "dataset_composition");
	op->index = t->indexes[0];
	op->table_def = t;
	op = up(f, SD_OP_DROP_INDEX, NULL, "dataset_composition");
	op->index = t->indexes[1];
	op->table_def = t;
	op = up(f, SD_OP_DROP_TABLE, NULL, "dataset_composition");
	op->table_def = t;
	op->destructive = true;
	op->why = "the table's rows are lost";

	op = down(f, SD_OP_CREATE_TABLE, NULL, "dataset_composition");
	op->table_def = t;
	op = down(f, SD_OP_CREATE_INDEX, NULL, "dataset_composition");
	op->index = t->indexes[1];
	op = down(f, SD_OP_CREATE_INDEX, NULL, "dataset_composition");
	op->index = t->indexes[0];

	/* The text, byte for byte, independent of the golden file. */
	txt = render(&sd_emitter_review, &f->m);
	assert_string_equal(txt,
		"Detected removed index 'dataset_composition_fkidx_component_dataset_id' on 'dataset_composition'\n"
		"Detected removed index 'dataset_composition_fkidx_parent_dataset_id' on 'dataset_composition'\n"
		"Detected removed table 'dataset_composition'  [destructive]\n");
	free(txt);

	root = check_case(f, "required_example");
	assert_string_equal(op_str(root, "ops", 2, "op"), "drop_table");
	assert_true(json_is_true(json_object_get(json_array_get(json_object_get(root, "ops"), 2),
						 "destructive")));
	assert_null(json_object_get(json_array_get(json_object_get(root, "ops"), 0), "destructive"));
	assert_null(json_object_get(json_array_get(json_object_get(root, "ops"), 0), "schema"));
	assert_string_equal(op_str(root, "downgrade", 0, "op"), "create_table");
	json_decref(root);
}

static void test_tables_and_columns(void **state)
{
	fx *f = *state;
	sd_table *t = sd_schema_add_table(f->s, NULL, "run");
	sd_column *c, *a, *b;
	sd_op *op;
	json_t *root;

	c = col(f, t, "id", "BIGINT", false);
	c->autoincrement = SD_AUTOINC_TRUE;
	sd_table_set_pk(f->s, t, "pk_run");
	sd_names_push(f->s, &t->pk->columns, &t->pk->ncolumns, "id");
	c = col(f, t, "created", "TIMESTAMP", true);
	c->server_default = "CURRENT_TIMESTAMP";
	c = col(f, t, "n2", "INTEGER", true);
	c->generated = "id * 2";
	c = col(f, t, "label", "TEXT", true);
	c->collation = "NOCASE";
	c->comment = "what the run is called";
	col(f, t, "loose", NULL, true);
	t->comment = "one run";
	op = up(f, SD_OP_CREATE_TABLE, NULL, "run");
	op->table_def = t;

	op = up(f, SD_OP_ADD_COLUMN, NULL, "dataset");
	op->column = loose_col(f, "ingest_date", "TIMESTAMP", true);
	op = up(f, SD_OP_DROP_COLUMN, NULL, "dataset");
	op->column = loose_col(f, "obsolete", "INTEGER", false);
	op->destructive = true;
	op->why = "the column's values are lost";

	/* one alter_column per change bit */
	a = loose_col(f, "name", "VARCHAR(32)", true);
	b = loose_col(f, "name", "VARCHAR(16)", true);
	op = up(f, SD_OP_ALTER_COLUMN, NULL, "dataset");
	op->old_column = a, op->column = b, op->changes = SD_CHANGE_TYPE;
	op->destructive = true;
	op->why = "narrowing VARCHAR(32) to VARCHAR(16)";

	a = loose_col(f, "flag", "BOOLEAN", true);
	b = loose_col(f, "flag", "BOOLEAN", false);
	op = up(f, SD_OP_ALTER_COLUMN, NULL, "dataset");
	op->old_column = a, op->column = b, op->changes = SD_CHANGE_NULLABLE;
	op = up(f, SD_OP_ALTER_COLUMN, NULL, "dataset");
	op->old_column = b, op->column = a, op->changes = SD_CHANGE_NULLABLE;

	/* server default: added, removed, changed (a string literal keeps its quotes) */
	a = loose_col(f, "state", "TEXT", true);
	b = loose_col(f, "state", "TEXT", true);
	b->server_default = "'new'";
	op = up(f, SD_OP_ALTER_COLUMN, NULL, "dataset");
	op->old_column = a, op->column = b, op->changes = SD_CHANGE_DEFAULT;
	op = up(f, SD_OP_ALTER_COLUMN, NULL, "dataset");
	op->old_column = b, op->column = a, op->changes = SD_CHANGE_DEFAULT;
	a = loose_col(f, "state", "TEXT", true);
	a->server_default = "'old'";
	op = up(f, SD_OP_ALTER_COLUMN, NULL, "dataset");
	op->old_column = a, op->column = b, op->changes = SD_CHANGE_DEFAULT;

	/* comment: added, changed, removed */
	a = loose_col(f, "note", "TEXT", true);
	b = loose_col(f, "note", "TEXT", true);
	b->comment = "free text";
	c = loose_col(f, "note", "TEXT", true);
	c->comment = "free-form text";
	op = up(f, SD_OP_ALTER_COLUMN, NULL, "dataset");
	op->old_column = a, op->column = b, op->changes = SD_CHANGE_COMMENT;
	op = up(f, SD_OP_ALTER_COLUMN, NULL, "dataset");
	op->old_column = b, op->column = c, op->changes = SD_CHANGE_COMMENT;
	op = up(f, SD_OP_ALTER_COLUMN, NULL, "dataset");
	op->old_column = c, op->column = a, op->changes = SD_CHANGE_COMMENT;

	/* autoincrement */
	a = loose_col(f, "id", "INTEGER", false);
	b = loose_col(f, "id", "INTEGER", false);
	b->autoincrement = SD_AUTOINC_TRUE;
	op = up(f, SD_OP_ALTER_COLUMN, NULL, "dataset");
	op->old_column = a, op->column = b, op->changes = SD_CHANGE_AUTOINCREMENT;
	a = loose_col(f, "id2", "INTEGER", false);
	a->autoincrement = SD_AUTOINC_FALSE;
	op = up(f, SD_OP_ALTER_COLUMN, NULL, "dataset");
	op->old_column = b, op->column = a, op->changes = SD_CHANGE_AUTOINCREMENT;

	/* generated: added, changed (virtual -> stored), removed */
	a = loose_col(f, "n3", "INTEGER", true);
	b = loose_col(f, "n3", "INTEGER", true);
	b->generated = "n * 3";
	c = loose_col(f, "n3", "INTEGER", true);
	c->generated = "n * 3 + 1";
	c->generated_stored = true;
	op = up(f, SD_OP_ALTER_COLUMN, NULL, "dataset");
	op->old_column = a, op->column = b, op->changes = SD_CHANGE_GENERATED;
	op = up(f, SD_OP_ALTER_COLUMN, NULL, "dataset");
	op->old_column = b, op->column = c, op->changes = SD_CHANGE_GENERATED;
	op = up(f, SD_OP_ALTER_COLUMN, NULL, "dataset");
	op->old_column = c, op->column = a, op->changes = SD_CHANGE_GENERATED;

	/* collation: changed */
	a = loose_col(f, "label", "TEXT", true);
	a->collation = "BINARY";
	b = loose_col(f, "label", "TEXT", true);
	b->collation = "NOCASE";
	op = up(f, SD_OP_ALTER_COLUMN, NULL, "dataset");
	op->old_column = a, op->column = b, op->changes = SD_CHANGE_COLLATION;

	/* every bit at once: one line per change, marker on the type line */
	a = loose_col(f, "everything", "VARCHAR(10)", true);
	b = loose_col(f, "everything", "INTEGER", false);
	b->server_default = "0";
	b->comment = "all";
	b->autoincrement = SD_AUTOINC_FALSE;
	b->generated = "1";
	b->collation = "RTRIM";
	op = up(f, SD_OP_ALTER_COLUMN, NULL, "dataset");
	op->old_column = a, op->column = b;
	op->changes = SD_CHANGE_TYPE | SD_CHANGE_NULLABLE | SD_CHANGE_DEFAULT | SD_CHANGE_COMMENT |
		      SD_CHANGE_AUTOINCREMENT | SD_CHANGE_GENERATED | SD_CHANGE_COLLATION;
	op->destructive = true;
	op->why = "text to number";

	/* untyped (SQLite) column gaining a type; destructive NOT NULL without a type change */
	a = loose_col(f, "raw", NULL, true);
	b = loose_col(f, "raw", "BLOB", false);
	op = up(f, SD_OP_ALTER_COLUMN, NULL, "dataset");
	op->old_column = a, op->column = b, op->changes = SD_CHANGE_TYPE;
	op = up(f, SD_OP_ALTER_COLUMN, NULL, "dataset");
	op->old_column = a, op->column = b, op->changes = SD_CHANGE_NULLABLE | SD_CHANGE_DEFAULT;
	op->destructive = true;
	op->why = "existing NULLs fail";

	op = down(f, SD_OP_DROP_TABLE, NULL, "run");
	op->table_def = t;
	op->destructive = true;

	root = check_case(f, "tables_columns");
	{
		json_t *alter = json_array_get(json_object_get(root, "ops"), 3);
		json_t *ch = json_object_get(alter, "changes");

		assert_string_equal(json_string_value(json_object_get(alter, "op")), "alter_column");
		assert_string_equal(json_string_value(json_object_get(alter, "column")), "name");
		assert_string_equal(json_string_value(json_object_get(json_object_get(ch, "type"), "from")),
				    "VARCHAR(32)");
		assert_string_equal(json_string_value(json_object_get(alter, "reason")),
				    "narrowing VARCHAR(32) to VARCHAR(16)");
		assert_int_equal(json_object_size(ch), 1);
	}
	json_decref(root);
}

static void test_indexes_constraints(void **state)
{
	fx *f = *state;
	sd_table *t = sd_schema_add_table(f->s, NULL, "dataset");
	sd_index *ix;
	sd_index_elem *el;
	sd_unique *u, *u2;
	sd_foreign_key *fk, *fk2;
	sd_check *ck, *ck2;
	sd_primary_key *pk, *pk2;
	sd_op *op;
	json_t *root;

	ix = index_on(f, t, "ix_dataset_name", true, "run", (const char *)NULL);
	el = sd_index_add_elem(f->s, ix);
	el->expression = "lower(name)";
	el = sd_index_add_elem(f->s, ix);
	el->column = "created";
	el->desc = true;
	el->collation = "NOCASE";
	el->nulls = "LAST";
	ix->where = "run IS NOT NULL";
	op = up(f, SD_OP_CREATE_INDEX, NULL, "dataset");
	op->index = ix;
	op = up(f, SD_OP_CREATE_INDEX, NULL, "dataset");
	op->index = index_on(f, t, "ix_plain", false, "a", "b", (const char *)NULL);
	op = up(f, SD_OP_DROP_INDEX, NULL, "dataset");
	op->index = index_on(f, t, "ix_old", true, "a", (const char *)NULL);

	u = sd_table_add_unique(f->s, t, "uq_dataset_name");
	sd_names_push(f->s, &u->columns, &u->ncolumns, "run");
	sd_names_push(f->s, &u->columns, &u->ncolumns, "name");
	u2 = sd_table_add_unique(f->s, t, NULL);
	sd_names_push(f->s, &u2->columns, &u2->ncolumns, "uuid");
	op = up(f, SD_OP_CREATE_UNIQUE_CONSTRAINT, NULL, "dataset");
	op->ctype = SD_CONSTRAINT_UNIQUE, op->unique = u;
	op = up(f, SD_OP_CREATE_UNIQUE_CONSTRAINT, NULL, "dataset");
	op->ctype = SD_CONSTRAINT_UNIQUE, op->unique = u2;

	fk = sd_table_add_fk(f->s, t, "fk_dataset_run");
	sd_names_push(f->s, &fk->columns, &fk->ncolumns, "run");
	fk->ref_table = "run";
	sd_names_push(f->s, &fk->ref_columns, &fk->nref_columns, "id");
	fk2 = sd_table_add_fk(f->s, t, NULL);
	sd_names_push(f->s, &fk2->columns, &fk2->ncolumns, "coll_a");
	sd_names_push(f->s, &fk2->columns, &fk2->ncolumns, "coll_b");
	fk2->ref_schema = "registry";
	fk2->ref_table = "collection";
	sd_names_push(f->s, &fk2->ref_columns, &fk2->nref_columns, "a");
	sd_names_push(f->s, &fk2->ref_columns, &fk2->nref_columns, "b");
	fk2->on_delete = "CASCADE";
	fk2->on_update = "SET NULL";
	fk2->deferrable = true;
	fk2->initially_deferred = true;
	fk2->match = "FULL";
	op = up(f, SD_OP_CREATE_FOREIGN_KEY, NULL, "dataset");
	op->ctype = SD_CONSTRAINT_FOREIGN_KEY, op->fk = fk;
	op = up(f, SD_OP_CREATE_FOREIGN_KEY, NULL, "dataset");
	op->ctype = SD_CONSTRAINT_FOREIGN_KEY, op->fk = fk2;
	{
		/* REFERENCES t with no columns: t's primary key */
		sd_foreign_key *fk3 = sd_table_add_fk(f->s, t, "fk_to_pk");

		sd_names_push(f->s, &fk3->columns, &fk3->ncolumns, "owner");
		fk3->ref_table = "owner";
		op = up(f, SD_OP_CREATE_FOREIGN_KEY, NULL, "dataset");
		op->ctype = SD_CONSTRAINT_FOREIGN_KEY, op->fk = fk3;
	}

	ck = sd_table_add_check(f->s, t, "ck_name_len", "length(name) <= 32");
	ck2 = sd_table_add_check(f->s, t, NULL, "a > 0\n    AND\tb > 0");
	op = up(f, SD_OP_CREATE_CHECK_CONSTRAINT, NULL, "dataset");
	op->ctype = SD_CONSTRAINT_CHECK, op->check = ck;
	op = up(f, SD_OP_CREATE_CHECK_CONSTRAINT, NULL, "dataset");
	op->ctype = SD_CONSTRAINT_CHECK, op->check = ck2;

	pk = sd_table_set_pk(f->s, t, "pk_dataset");
	sd_names_push(f->s, &pk->columns, &pk->ncolumns, "id");
	pk2 = sd_table_set_pk(f->s, t, NULL);
	sd_names_push(f->s, &pk2->columns, &pk2->ncolumns, "run");
	sd_names_push(f->s, &pk2->columns, &pk2->ncolumns, "id");
	op = up(f, SD_OP_CREATE_PRIMARY_KEY, NULL, "dataset");
	op->ctype = SD_CONSTRAINT_PRIMARY, op->pk = pk;
	/* ctype left unset on a create op: implied by the kind */
	op = up(f, SD_OP_CREATE_PRIMARY_KEY, NULL, "dataset");
	op->pk = pk2;

	/* drop_constraint, named and unnamed, every type */
	op = up(f, SD_OP_DROP_CONSTRAINT, NULL, "dataset");
	op->ctype = SD_CONSTRAINT_UNIQUE, op->unique = u;
	op = up(f, SD_OP_DROP_CONSTRAINT, NULL, "dataset");
	op->ctype = SD_CONSTRAINT_UNIQUE, op->unique = u2;
	op = up(f, SD_OP_DROP_CONSTRAINT, NULL, "dataset");
	op->ctype = SD_CONSTRAINT_FOREIGN_KEY, op->fk = fk;
	op = up(f, SD_OP_DROP_CONSTRAINT, NULL, "dataset");
	op->ctype = SD_CONSTRAINT_FOREIGN_KEY, op->fk = fk2;
	op = up(f, SD_OP_DROP_CONSTRAINT, NULL, "dataset");
	op->ctype = SD_CONSTRAINT_CHECK, op->check = ck;
	op = up(f, SD_OP_DROP_CONSTRAINT, NULL, "dataset");
	op->ctype = SD_CONSTRAINT_CHECK, op->check = ck2;
	op = up(f, SD_OP_DROP_CONSTRAINT, NULL, "dataset");
	op->ctype = SD_CONSTRAINT_PRIMARY, op->pk = pk;
	op = up(f, SD_OP_DROP_CONSTRAINT, NULL, "dataset");
	op->ctype = SD_CONSTRAINT_PRIMARY, op->pk = pk2;
	/* a constraint that can fail on existing rows may be flagged by the comparator */
	op->destructive = true;
	op->why = "rows may violate it";

	/* inverse of the first op, so the downgrade list has constraint ops too */
	op = down(f, SD_OP_DROP_CONSTRAINT, NULL, "dataset");
	op->ctype = SD_CONSTRAINT_FOREIGN_KEY, op->fk = fk2;
	op = down(f, SD_OP_DROP_INDEX, NULL, "dataset");
	op->index = ix;

	root = check_case(f, "indexes_constraints");
	{
		json_t *ops = json_object_get(root, "ops");
		json_t *drop = json_array_get(ops, 14);

		assert_string_equal(json_string_value(json_object_get(drop, "op")), "drop_constraint");
		assert_string_equal(json_string_value(json_object_get(drop, "constraint_type")),
				    "foreignkey");
		assert_string_equal(json_string_value(json_object_get(
					    json_object_get(drop, "constraint"), "referred_table")),
				    "run");
	}
	json_decref(root);
}

static void test_comments_views_schemas(void **state)
{
	fx *f = *state;
	sd_op *op;
	json_t *root;

	op = up(f, SD_OP_CREATE_TABLE_COMMENT, "registry", "dataset");
	op->comment = "datasets";
	op = up(f, SD_OP_CREATE_TABLE_COMMENT, "registry", "run");
	op->comment = "runs, new";
	op->old_comment = "runs";
	op = up(f, SD_OP_DROP_TABLE_COMMENT, NULL, "collection");
	op->old_comment = "collections";
	op = up(f, SD_OP_CREATE_VIEW, "registry", "v_runs");
	op->view = sd_schema_add_view(f->s, "registry", "v_runs", "SELECT id FROM registry.run");
	op = up(f, SD_OP_DROP_VIEW, NULL, "v_old");
	op->view = sd_schema_add_view(f->s, NULL, "v_old", "SELECT 1");
	op = up(f, SD_OP_ADD_COLUMN, "registry", "dataset");
	op->column = loose_col(f, "kind", "TEXT", true);

	op = down(f, SD_OP_DROP_TABLE_COMMENT, "registry", "dataset");
	op->old_comment = "datasets";
	op = down(f, SD_OP_DROP_VIEW, "registry", "v_runs");
	op->view = sd_schema_add_view(f->s, "registry", "v_runs", "SELECT id FROM registry.run");
	root = check_case(f, "comments_views");
	assert_string_equal(op_str(root, "ops", 0, "schema"), "registry");
	assert_null(json_object_get(json_array_get(json_object_get(root, "ops"), 3), "table"));
	json_decref(root);
}

/* Ops are grouped by table in order of first appearance, op order kept within. */
static void test_grouping(void **state)
{
	fx *f = *state;
	sd_op *op;
	char *txt;

	op = up(f, SD_OP_ADD_COLUMN, NULL, "b");
	op->column = loose_col(f, "b1", "INTEGER", true);
	op = up(f, SD_OP_ADD_COLUMN, NULL, "a");
	op->column = loose_col(f, "a1", "INTEGER", true);
	op = up(f, SD_OP_CREATE_VIEW, NULL, "b");    /* a view named like table b: its own group */
	op->view = sd_schema_add_view(f->s, NULL, "b", "SELECT 1");
	op = up(f, SD_OP_ADD_COLUMN, NULL, "b");
	op->column = loose_col(f, "b2", "INTEGER", true);
	op = up(f, SD_OP_ADD_COLUMN, "s", "a");      /* s.a is not a */
	op->column = loose_col(f, "sa1", "INTEGER", true);
	op = up(f, SD_OP_ADD_COLUMN, NULL, "a");
	op->column = loose_col(f, "a2", "INTEGER", true);
	op = up(f, SD_OP_ADD_COLUMN, NULL, "b");
	op->column = loose_col(f, "b3", "INTEGER", true);

	txt = render(&sd_emitter_review, &f->m);
	assert_string_equal(txt,
			    "Detected added column 'b.b1'\n"
			    "Detected added column 'b.b2'\n"
			    "Detected added column 'b.b3'\n"
			    "Detected added column 'a.a1'\n"
			    "Detected added column 'a.a2'\n"
			    "Detected added view 'b'\n"
			    "Detected added column 's.a.sa1'\n");
	free(txt);
	json_decref(check_case(f, "grouping"));
}

static void test_names(void **state)
{
	fx *f = *state;
	sd_table *t = sd_schema_add_table(f->s, "my schema", "it's a \"table\"");
	sd_op *op;
	sd_check *ck;

	col(f, t, "naïve column", "TEXT", true);
	op = up(f, SD_OP_CREATE_TABLE, "my schema", "it's a \"table\"");
	op->table_def = t;
	op = up(f, SD_OP_ADD_COLUMN, NULL, "données");
	op->column = loose_col(f, "größe ✓", "INTEGER", true);
	op = up(f, SD_OP_DROP_COLUMN, NULL, "back\\slash");
	op->column = loose_col(f, "new\nline\ttab", "INTEGER", true);
	op->destructive = true;
	op = up(f, SD_OP_DROP_INDEX, NULL, "t");
	op->index = index_on(f, t, "''", false, "x", (const char *)NULL);
	ck = sd_table_add_check(f->s, t, "ck 'quoted'", "name <> 'it''s'");
	op = up(f, SD_OP_CREATE_CHECK_CONSTRAINT, NULL, "t");
	op->ctype = SD_CONSTRAINT_CHECK, op->check = ck;
	op = up(f, SD_OP_CREATE_TABLE_COMMENT, NULL, "t");
	op->comment = "it's \\ here";
	{
		sd_index *ix = index_on(f, t, "ix\ttab", false, (const char *)NULL);

		sd_index_add_elem(f->s, ix)->expression = "lower(\x01x)";
		op = up(f, SD_OP_CREATE_INDEX, NULL, "t");
		op->index = ix;
	}
	json_decref(check_case(f, "names"));
}

static void test_no_changes(void **state)
{
	fx *f = *state;
	char *txt = render(&sd_emitter_review, &f->m);

	assert_string_equal(txt, "No changes detected\n");
	free(txt);
	json_decref(check_case(f, "empty"));
}

static void test_not_compared(void **state)
{
	fx *f = *state;
	char *txt;
	sd_op *op;

	f->m.unsupported_seen = 2;
	f->m.unsupported_by_kind[SD_OBJ_TRIGGER] = 2;
	txt = render(&sd_emitter_review, &f->m);
	assert_string_equal(txt, "No changes detected\nNot compared: 2 triggers\n");
	free(txt);

	f->m.unsupported_seen = 4;
	f->m.unsupported_by_kind[SD_OBJ_VIEW] = 1;
	op = up(f, SD_OP_ADD_COLUMN, NULL, "t");
	op->column = loose_col(f, "c", "INTEGER", true);
	txt = render(&sd_emitter_review, &f->m);
	assert_string_equal(txt, "Detected added column 't.c'\n"
				 "Not compared: 1 view, 2 triggers, 1 other object\n");
	free(txt);
	json_decref(check_case(f, "not_compared"));
}

/* sd_review_line: one line, no newline; an alter_column's changes joined by "; ". */
static void test_review_line(void **state)
{
	fx *f = *state;
	sd_str out = SD_STR_INIT;
	sd_op *op;

	op = up(f, SD_OP_ALTER_COLUMN, NULL, "t");
	op->old_column = loose_col(f, "c", "VARCHAR(32)", true);
	op->column = loose_col(f, "c", "VARCHAR(16)", false);
	op->changes = SD_CHANGE_TYPE | SD_CHANGE_NULLABLE;
	op->destructive = true;
	sd_review_line(&out, op);
	assert_string_equal(out.ptr, "Detected type change from VARCHAR(32) to VARCHAR(16) on 't.c'"
				     "  [destructive]; Detected NOT NULL on column 't.c'");
	sd_str_reset(&out);
	sd_review_lines(&out, op);
	assert_string_equal(out.ptr, "Detected type change from VARCHAR(32) to VARCHAR(16) on 't.c'"
				     "  [destructive]\nDetected NOT NULL on column 't.c'\n");
	sd_str_reset(&out);
	op = up(f, SD_OP_DROP_TABLE, "s", "t");
	op->destructive = true;
	op->why = "shown in JSON only";
	sd_review_line(&out, op);
	assert_string_equal(out.ptr, "Detected removed table 's.t'  [destructive]");
	sd_str_release(&out);
}

static void test_find(void **state)
{
	assert_ptr_equal(sd_emitter_find("text"), &sd_emitter_review);
	assert_ptr_equal(sd_emitter_find("json"), &sd_emitter_json);
	assert_null(sd_emitter_find("xml"));
	assert_null(sd_emitter_find(NULL));
}

/* Text that is not UTF-8 is shown with U+FFFD, as the schema-file writer does. */
static void test_json_bad_utf8(void **state)
{
	fx *f = *state;
	sd_op *op;
	char *js;

	op = up(f, SD_OP_ADD_COLUMN, NULL, "bad\xff\xc3");
	op->column = loose_col(f, "c\xe2\x82", "INTEGER", true);
	js = render(&sd_emitter_json, &f->m);
	assert_non_null(strstr(js, "\"table\": \"bad\xef\xbf\xbd\xef\xbf\xbd\""));
	assert_non_null(strstr(js, "\"name\": \"c\xef\xbf\xbd\xef\xbf\xbd\""));
	free(js);
}

/* A failed emit appends nothing and says which op and why. */
static void test_json_error(void **state)
{
	fx *f = *state;
	sd_str out = SD_STR_INIT;
	sd_error err = SD_ERROR_INIT;
	sd_op *op;
	int rc;

	sd_str_add(&out, "keep");
	op = up(f, SD_OP_ADD_COLUMN, NULL, "t");
	op->column = loose_col(f, "ok", "INTEGER", true);
	up(f, SD_OP_CREATE_INDEX, "s", "t");  /* an op lacking its index */
	rc = sd_emit(&sd_emitter_json, &f->m, NULL, &out, &err);
	assert_int_equal(rc, SD_EINPUT);
	assert_string_equal(out.ptr, "keep");
	assert_non_null(err.message);
	assert_non_null(strstr(err.message, "create_index"));
	assert_non_null(strstr(err.message, "no index"));
	assert_string_equal(err.path, "s.t");
	sd_error_clear(&err);
	sd_str_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_required_example, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_tables_and_columns, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_indexes_constraints, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_comments_views_schemas, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_grouping, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_names, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_no_changes, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_not_compared, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_review_line, fx_setup, fx_teardown),
		cmocka_unit_test(test_find),
		cmocka_unit_test_setup_teardown(test_json_bad_utf8, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_json_error, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests_name("emit", tests, NULL, NULL);
}
