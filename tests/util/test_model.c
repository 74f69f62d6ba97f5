/*
 * test_model.c - the schema model: construction, canonical order from
 * sd_schema_finish, lookups, validation errors, deep copies, edits, and the
 * op vocabulary's names and op list.  Also registered with
 * SCHEMADIFF_ARENA_MALLOC=1 so ASan sees every model object on its own.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schemadiff/model.h"
#include "schemadiff/ops.h"

static void add_cols(sd_schema *s, sd_table *t, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sd_table_add_column(s, t, names[i]);
}

static sd_index *add_index(sd_schema *s, sd_table *t, const char *name, const char *col)
{
	sd_index *ix = sd_table_add_index(s, t, name);

	sd_index_add_elem(s, ix)->column = sd_schema_strdup(s, col);
	return ix;
}

static sd_unique *add_unique(sd_schema *s, sd_table *t, const char *name, const char *col)
{
	sd_unique *u = sd_table_add_unique(s, t, name);

	sd_names_push(s, &u->columns, &u->ncolumns, col);
	return u;
}

static sd_foreign_key *add_fk(sd_schema *s, sd_table *t, const char *name, const char *col,
			      const char *ref_table, const char *ref_col)
{
	sd_foreign_key *fk = sd_table_add_fk(s, t, name);

	sd_names_push(s, &fk->columns, &fk->ncolumns, col);
	fk->ref_table = sd_schema_strdup(s, ref_table);
	if (ref_col)
		sd_names_push(s, &fk->ref_columns, &fk->nref_columns, ref_col);
	return fk;
}

/* ------------------------------------------------------------------ */
/* construction and canonical order                                    */

static void test_construction_defaults(void **state)
{
	char dialect[] = "sqlite", source[] = "app.db";
	sd_schema *s = sd_schema_new(dialect, source);
	sd_table *t;
	sd_column *c;
	sd_view *v;
	sd_trigger *tr;
	char name[] = "users";

	(void)state;
	dialect[0] = source[0] = name[0] = 'X'; /* everything is copied */
	assert_string_equal(s->dialect, "sqlite");
	assert_string_equal(s->source, "app.db");
	assert_int_equal(s->ntables, 0);

	memcpy(name, "users", 6);
	t = sd_schema_add_table(s, NULL, name);
	name[0] = 'X';
	assert_string_equal(t->name, "users");
	assert_null(t->schema);
	assert_null(t->pk);
	assert_int_equal(t->ncolumns, 0);
	assert_false(t->strict);

	c = sd_table_add_column(s, t, "id");
	assert_string_equal(c->name, "id");
	assert_null(c->type);
	assert_true(c->nullable);
	assert_int_equal(c->autoincrement, SD_AUTOINC_AUTO);
	assert_null(c->server_default);
	assert_null(c->generated);

	v = sd_schema_add_view(s, "aux", "v", "SELECT 1");
	assert_string_equal(v->schema, "aux");
	assert_string_equal(v->definition, "SELECT 1");
	tr = sd_schema_add_trigger(s, NULL, "trg", "users", "CREATE TRIGGER ...");
	assert_string_equal(tr->table, "users");
	assert_int_equal(s->ntriggers, 1);

	assert_null(sd_schema_strdup(s, NULL));
	assert_string_equal(sd_schema_strdup(s, "x"), "x");

	/* lookups work before finish too */
	assert_ptr_equal(sd_schema_find_table(s, NULL, "users"), t);
	assert_ptr_equal(sd_schema_find_view(s, "aux", "v"), v);
	sd_schema_free(s);
	sd_schema_free(NULL);
}

static void test_finish_sorts(void **state)
{
	static const char *const cols[] = { "c", "a", "b", "x" };
	sd_schema *s = sd_schema_new("sqlite", "order.json");
	sd_error err = SD_ERROR_INIT;
	sd_table *t, *users;
	size_t i;

	(void)state;
	users = sd_schema_add_table(s, NULL, "users");
	sd_schema_add_table(s, "zeta", "alpha");
	sd_schema_add_table(s, "aux", "users");
	sd_schema_add_table(s, NULL, "accounts");
	sd_schema_add_table(s, "aux", "accounts");
	sd_schema_add_view(s, "aux", "v2", "SELECT 2");
	sd_schema_add_view(s, NULL, "vb", "SELECT 1");
	sd_schema_add_view(s, NULL, "va", "SELECT 1");

	t = users;
	add_cols(s, t, cols, SD_ARRAY_LEN(cols));
	add_index(s, t, "ix_b", "b");
	add_index(s, t, NULL, "c");
	add_index(s, t, "ix_a", "a");
	add_index(s, t, NULL, "a");
	add_unique(s, t, "uq_z", "b");
	add_unique(s, t, NULL, "b");
	add_unique(s, t, "uq_a", "a");
	add_unique(s, t, NULL, "a");
	add_fk(s, t, NULL, "x", "zz", NULL);
	add_fk(s, t, "fk_b", "b", "accounts", "id");
	add_fk(s, t, NULL, "a", "accounts", NULL);
	add_fk(s, t, "fk_a", "a", "accounts", "id");
	sd_table_add_check(s, t, "ck_b", "b > 0");
	sd_table_add_check(s, t, NULL, "x > 0");
	sd_table_add_check(s, t, "ck_a", "a > 0");
	sd_table_add_check(s, t, NULL, "a > 0");

	assert_int_equal(sd_schema_finish(s, &err), 0);
	assert_int_equal(err.code, 0);

	/* tables by (schema, name), the default namespace first */
	assert_int_equal(s->ntables, 5);
	assert_null(s->tables[0]->schema);
	assert_string_equal(s->tables[0]->name, "accounts");
	assert_null(s->tables[1]->schema);
	assert_string_equal(s->tables[1]->name, "users");
	assert_string_equal(s->tables[2]->schema, "aux");
	assert_string_equal(s->tables[2]->name, "accounts");
	assert_string_equal(s->tables[3]->schema, "aux");
	assert_string_equal(s->tables[3]->name, "users");
	assert_string_equal(s->tables[4]->schema, "zeta");
	assert_string_equal(s->tables[4]->name, "alpha");

	assert_int_equal(s->nviews, 3);
	assert_string_equal(s->views[0]->name, "va");
	assert_string_equal(s->views[1]->name, "vb");
	assert_string_equal(s->views[2]->name, "v2");

	/* columns keep their declared order */
	for (i = 0; i < SD_ARRAY_LEN(cols); i++)
		assert_string_equal(users->columns[i]->name, cols[i]);

	/* sets by name, unnamed ones after, ordered by definition */
	assert_int_equal(users->nindexes, 4);
	assert_string_equal(users->indexes[0]->name, "ix_a");
	assert_string_equal(users->indexes[1]->name, "ix_b");
	assert_null(users->indexes[2]->name);
	assert_string_equal(users->indexes[2]->elems[0]->column, "a");
	assert_null(users->indexes[3]->name);
	assert_string_equal(users->indexes[3]->elems[0]->column, "c");

	assert_string_equal(users->uniques[0]->name, "uq_a");
	assert_string_equal(users->uniques[1]->name, "uq_z");
	assert_null(users->uniques[2]->name);
	assert_string_equal(users->uniques[2]->columns[0], "a");
	assert_null(users->uniques[3]->name);
	assert_string_equal(users->uniques[3]->columns[0], "b");

	assert_string_equal(users->fks[0]->name, "fk_a");
	assert_string_equal(users->fks[1]->name, "fk_b");
	assert_null(users->fks[2]->name);
	assert_string_equal(users->fks[2]->columns[0], "a");
	assert_null(users->fks[3]->name);
	assert_string_equal(users->fks[3]->columns[0], "x");

	assert_string_equal(users->checks[0]->name, "ck_a");
	assert_string_equal(users->checks[1]->name, "ck_b");
	assert_null(users->checks[2]->name);
	assert_string_equal(users->checks[2]->expression, "a > 0");
	assert_null(users->checks[3]->name);
	assert_string_equal(users->checks[3]->expression, "x > 0");

	/* lookups after the sort */
	assert_ptr_equal(sd_schema_find_table(s, NULL, "users"), users);
	assert_ptr_equal(sd_schema_find_table(s, "aux", "users"), s->tables[3]);
	assert_ptr_not_equal(sd_schema_find_table(s, "aux", "users"), users);
	assert_ptr_equal(sd_schema_find_table(s, "zeta", "alpha"), s->tables[4]);
	assert_null(sd_schema_find_table(s, NULL, "alpha"));
	assert_null(sd_schema_find_table(s, "aux", "alpha"));
	assert_null(sd_schema_find_table(s, "nope", "users"));
	assert_null(sd_schema_find_table(s, NULL, "missing"));
	assert_string_equal(sd_schema_find_view(s, "aux", "v2")->definition, "SELECT 2");
	assert_null(sd_schema_find_view(s, NULL, "v2"));
	assert_ptr_equal(sd_table_find_column(users, "b"), users->columns[2]);
	assert_null(sd_table_find_column(users, "B"));
	assert_null(sd_table_find_column(users, "nope"));
	assert_ptr_equal(sd_table_find_index(users, "ix_b"), users->indexes[1]);
	assert_null(sd_table_find_index(users, "ix_c"));

	/* finishing again changes nothing */
	assert_int_equal(sd_schema_finish(s, &err), 0);
	assert_string_equal(s->tables[1]->name, "users");
	assert_string_equal(users->indexes[0]->name, "ix_a");
	sd_schema_free(s);
}

/* Finish must give the same order whatever the insertion order. */
static void test_finish_deterministic(void **state)
{
	static const char *const names[] = { "m", "b", "z", "a", "q", "c", "y", "d", "k" };
	sd_schema *s1 = sd_schema_new(NULL, NULL), *s2 = sd_schema_new(NULL, NULL);
	sd_table *t1 = sd_schema_add_table(s1, NULL, "t"), *t2 = sd_schema_add_table(s2, NULL, "t");
	size_t i, n = SD_ARRAY_LEN(names);

	(void)state;
	sd_table_add_column(s1, t1, "col");
	sd_table_add_column(s2, t2, "col");
	for (i = 0; i < n; i++) {
		sd_schema_add_table(s1, NULL, names[i]);
		sd_schema_add_table(s2, NULL, names[n - 1 - i]);
		sd_table_add_check(s1, t1, i % 2 ? names[i] : NULL, names[i]);
		sd_table_add_check(s2, t2, (n - 1 - i) % 2 ? names[n - 1 - i] : NULL, names[n - 1 - i]);
	}
	assert_int_equal(sd_schema_finish(s1, NULL), 0);
	assert_int_equal(sd_schema_finish(s2, NULL), 0);
	for (i = 0; i < s1->ntables; i++)
		assert_string_equal(s1->tables[i]->name, s2->tables[i]->name);
	for (i = 1; i < s1->ntables; i++)
		assert_true(strcmp(s1->tables[i - 1]->name, s1->tables[i]->name) < 0);
	for (i = 0; i < t1->nchecks; i++) {
		assert_true(sd_streq(t1->checks[i]->name, t2->checks[i]->name));
		assert_string_equal(t1->checks[i]->expression, t2->checks[i]->expression);
	}
	sd_schema_free(s1);
	sd_schema_free(s2);
}

static void test_long_names_lookup(void **state)
{
	sd_schema *s = sd_schema_new("postgresql", NULL);
	char schema[400], name[600];
	sd_table *t;

	(void)state;
	memset(schema, 's', sizeof(schema) - 1);
	schema[sizeof(schema) - 1] = '\0';
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	t = sd_schema_add_table(s, schema, name);
	sd_schema_add_table(s, NULL, name);
	assert_int_equal(sd_schema_finish(s, NULL), 0);
	assert_ptr_equal(sd_schema_find_table(s, schema, name), t);
	assert_ptr_not_equal(sd_schema_find_table(s, NULL, name), t);
	assert_non_null(sd_schema_find_table(s, NULL, name));
	name[10] = 'x';
	assert_null(sd_schema_find_table(s, schema, name));
	sd_schema_free(s);
}

/* Schema "a" + name "b.c" and schema "a.b" + name "c" are different tables. */
static void test_key_separator(void **state)
{
	sd_schema *s = sd_schema_new(NULL, NULL);
	sd_table *t1 = sd_schema_add_table(s, "a", "b.c");
	sd_table *t2 = sd_schema_add_table(s, "a.b", "c");

	(void)state;
	assert_int_equal(sd_schema_finish(s, NULL), 0);
	assert_ptr_equal(sd_schema_find_table(s, "a", "b.c"), t1);
	assert_ptr_equal(sd_schema_find_table(s, "a.b", "c"), t2);
	assert_null(sd_schema_find_table(s, NULL, "a.b.c"));
	sd_schema_free(s);
}

/* ------------------------------------------------------------------ */
/* validation                                                          */

static sd_schema *base_schema(sd_table **out)
{
	static const char *const cols[] = { "id", "email", "owner_id" };
	sd_schema *s = sd_schema_new("sqlite", "v.json");
	sd_table *t = sd_schema_add_table(s, NULL, "users");

	add_cols(s, t, cols, SD_ARRAY_LEN(cols));
	*out = t;
	return s;
}

static void expect_invalid(sd_schema *s, const char *path, const char *needle)
{
	sd_error err = SD_ERROR_INIT;

	assert_int_equal(sd_schema_finish(s, &err), SD_EINPUT);
	assert_int_equal(err.code, SD_EINPUT);
	assert_non_null(err.message);
	assert_non_null(err.path);
	assert_string_equal(err.path, path);
	assert_string_equal(err.source, "v.json");
	if (!strstr(err.message, needle))
		fail_msg("message \"%s\" does not mention %s", err.message, needle);
	/* house style: lowercase first letter, no final period */
	assert_false(isupper((unsigned char)err.message[0]));
	assert_int_not_equal(err.message[strlen(err.message) - 1], '.');
	sd_error_clear(&err);
	sd_schema_free(s);
}

static void test_valid_base(void **state)
{
	sd_table *t;
	sd_schema *s = base_schema(&t);
	sd_error err = SD_ERROR_INIT;
	sd_index *ix;

	(void)state;
	sd_table_set_pk(s, t, "pk_users");
	sd_names_push(s, &t->pk->columns, &t->pk->ncolumns, "id");
	add_unique(s, t, "uq_email", "email");
	add_fk(s, t, "fk_owner", "owner_id", "users", "id");
	add_fk(s, t, NULL, "owner_id", "users", NULL); /* REFERENCES users: its PK */
	add_index(s, t, "ix_email", "email");
	ix = sd_table_add_index(s, t, "ix_lower");
	sd_index_add_elem(s, ix)->expression = sd_schema_strdup(s, "lower(email)");
	assert_int_equal(sd_schema_finish(s, &err), 0);
	assert_int_equal(err.code, 0);
	assert_null(err.message);
	sd_schema_free(s);
}

static void test_duplicate_table(void **state)
{
	sd_table *t;
	sd_schema *s = base_schema(&t);

	(void)state;
	sd_schema_add_table(s, "aux", "users"); /* other namespace: fine */
	sd_schema_add_table(s, NULL, "users");
	expect_invalid(s, "users", "\"users\"");

	s = base_schema(&t);
	sd_schema_add_table(s, "aux", "t");
	sd_schema_add_table(s, "aux", "t");
	expect_invalid(s, "aux.t", "duplicate");
}

static void test_duplicate_view(void **state)
{
	sd_table *t;
	sd_schema *s = base_schema(&t);
	sd_error err = SD_ERROR_INIT;

	(void)state;
	sd_schema_add_view(s, NULL, "v", "SELECT 1");
	sd_schema_add_view(s, NULL, "v", "SELECT 2");
	assert_int_equal(sd_schema_finish(s, &err), SD_EINPUT);
	assert_non_null(strstr(err.message, "\"v\""));
	sd_error_clear(&err);
	sd_schema_free(s);
}

static void test_duplicate_column(void **state)
{
	sd_table *t;
	sd_schema *s = base_schema(&t);

	(void)state;
	sd_table_add_column(s, t, "email");
	expect_invalid(s, "users.email", "duplicate column \"email\"");
}

static void test_pk_missing_column(void **state)
{
	sd_table *t;
	sd_schema *s = base_schema(&t);
	sd_primary_key *pk;

	(void)state;
	pk = sd_table_set_pk(s, t, "pk_users");
	sd_names_push(s, &pk->columns, &pk->ncolumns, "id");
	sd_names_push(s, &pk->columns, &pk->ncolumns, "nope");
	expect_invalid(s, "users.pk_users", "\"nope\"");
}

static void test_unique_missing_column(void **state)
{
	sd_table *t;
	sd_schema *s = base_schema(&t);

	(void)state;
	add_unique(s, t, "uq_ghost", "ghost");
	expect_invalid(s, "users.uq_ghost", "\"ghost\"");
}

static void test_fk_missing_column(void **state)
{
	sd_table *t;
	sd_schema *s = base_schema(&t);

	(void)state;
	add_fk(s, t, "fk_ghost", "ghost_id", "users", "id");
	expect_invalid(s, "users.fk_ghost", "\"ghost_id\"");
}

static void test_fk_count_mismatch(void **state)
{
	sd_table *t;
	sd_schema *s = base_schema(&t);
	sd_foreign_key *fk;

	(void)state;
	fk = add_fk(s, t, "fk_pair", "owner_id", "users", "id");
	sd_names_push(s, &fk->ref_columns, &fk->nref_columns, "email");
	expect_invalid(s, "users.fk_pair", "fk_pair");
}

static void test_index_missing_column(void **state)
{
	sd_table *t;
	sd_schema *s = base_schema(&t);

	(void)state;
	add_index(s, t, "ix_ghost", "ghost");
	expect_invalid(s, "users.ix_ghost", "\"ghost\"");
}

static void test_index_no_columns(void **state)
{
	sd_table *t;
	sd_schema *s = base_schema(&t);

	(void)state;
	sd_table_add_index(s, t, "ix_empty");
	expect_invalid(s, "users.ix_empty", "\"ix_empty\"");
}

static void test_duplicate_index(void **state)
{
	sd_table *t;
	sd_schema *s = base_schema(&t);

	(void)state;
	add_index(s, t, "ix_a", "email");
	add_index(s, t, "ix_dup", "email");
	add_index(s, t, "ix_z", "id");
	add_index(s, t, "ix_dup", "id");
	expect_invalid(s, "users.ix_dup", "duplicate index \"ix_dup\"");
}

/* The error names the schema-qualified table. */
static void test_invalid_qualified(void **state)
{
	sd_schema *s = sd_schema_new("postgresql", "v.json");
	sd_table *t = sd_schema_add_table(s, "sales", "orders");

	(void)state;
	sd_table_add_column(s, t, "id");
	add_unique(s, t, "uq_x", "x");
	expect_invalid(s, "sales.orders.uq_x", "\"x\"");
}

/* ------------------------------------------------------------------ */
/* copies and edits                                                    */

static sd_table *rich_table(sd_schema *s)
{
	sd_table *t = sd_schema_add_table(s, "main", "orders");
	sd_column *c;
	sd_foreign_key *fk;
	sd_index *ix;
	sd_index_elem *e;
	sd_primary_key *pk;

	t->comment = sd_schema_strdup(s, "all orders");
	t->without_rowid = true;
	t->strict = true;
	c = sd_table_add_column(s, t, "id");
	c->type = sd_schema_strdup(s, "INTEGER");
	c->nullable = false;
	c->autoincrement = SD_AUTOINC_TRUE;
	c = sd_table_add_column(s, t, "total");
	c->type = sd_schema_strdup(s, "NUMERIC(10, 2)");
	c->server_default = sd_schema_strdup(s, "0");
	c->collation = sd_schema_strdup(s, "BINARY");
	c->comment = sd_schema_strdup(s, "in cents");
	c = sd_table_add_column(s, t, "twice");
	c->generated = sd_schema_strdup(s, "total * 2");
	c->generated_stored = true;
	c->autoincrement = SD_AUTOINC_FALSE;
	sd_table_add_column(s, t, "customer_id");

	pk = sd_table_set_pk(s, t, "pk_orders");
	sd_names_push(s, &pk->columns, &pk->ncolumns, "id");
	add_unique(s, t, "uq_total", "total");
	fk = add_fk(s, t, "fk_customer", "customer_id", "customers", "id");
	fk->ref_schema = sd_schema_strdup(s, "crm");
	fk->on_delete = sd_schema_strdup(s, "CASCADE");
	fk->on_update = sd_schema_strdup(s, "SET NULL");
	fk->deferrable = true;
	fk->initially_deferred = true;
	fk->match = sd_schema_strdup(s, "FULL");
	sd_table_add_check(s, t, "ck_total", "total >= 0");
	ix = add_index(s, t, "ix_total", "total");
	ix->unique = true;
	ix->where = sd_schema_strdup(s, "total > 0");
	ix->elems[0]->desc = true;
	ix->elems[0]->collation = sd_schema_strdup(s, "NOCASE");
	ix->elems[0]->nulls = sd_schema_strdup(s, "LAST");
	e = sd_index_add_elem(s, ix);
	e->expression = sd_schema_strdup(s, "abs(total)");
	return t;
}

static void check_rich_table(const sd_table *t)
{
	const sd_foreign_key *fk;
	const sd_index *ix;

	assert_string_equal(t->schema, "main");
	assert_string_equal(t->name, "orders");
	assert_string_equal(t->comment, "all orders");
	assert_true(t->without_rowid);
	assert_true(t->strict);
	assert_int_equal(t->ncolumns, 4);
	assert_string_equal(t->columns[0]->name, "id");
	assert_string_equal(t->columns[0]->type, "INTEGER");
	assert_false(t->columns[0]->nullable);
	assert_int_equal(t->columns[0]->autoincrement, SD_AUTOINC_TRUE);
	assert_string_equal(t->columns[1]->name, "total");
	assert_string_equal(t->columns[1]->type, "NUMERIC(10, 2)");
	assert_string_equal(t->columns[1]->server_default, "0");
	assert_string_equal(t->columns[1]->collation, "BINARY");
	assert_string_equal(t->columns[1]->comment, "in cents");
	assert_true(t->columns[1]->nullable);
	assert_string_equal(t->columns[2]->generated, "total * 2");
	assert_true(t->columns[2]->generated_stored);
	assert_int_equal(t->columns[2]->autoincrement, SD_AUTOINC_FALSE);
	assert_null(t->columns[3]->type);
	assert_string_equal(t->columns[3]->name, "customer_id");

	assert_non_null(t->pk);
	assert_string_equal(t->pk->name, "pk_orders");
	assert_int_equal(t->pk->ncolumns, 1);
	assert_string_equal(t->pk->columns[0], "id");
	assert_int_equal(t->nuniques, 1);
	assert_string_equal(t->uniques[0]->name, "uq_total");
	assert_string_equal(t->uniques[0]->columns[0], "total");

	assert_int_equal(t->nfks, 1);
	fk = t->fks[0];
	assert_string_equal(fk->name, "fk_customer");
	assert_int_equal(fk->ncolumns, 1);
	assert_string_equal(fk->columns[0], "customer_id");
	assert_string_equal(fk->ref_schema, "crm");
	assert_string_equal(fk->ref_table, "customers");
	assert_int_equal(fk->nref_columns, 1);
	assert_string_equal(fk->ref_columns[0], "id");
	assert_string_equal(fk->on_delete, "CASCADE");
	assert_string_equal(fk->on_update, "SET NULL");
	assert_true(fk->deferrable);
	assert_true(fk->initially_deferred);
	assert_string_equal(fk->match, "FULL");

	assert_int_equal(t->nchecks, 1);
	assert_string_equal(t->checks[0]->name, "ck_total");
	assert_string_equal(t->checks[0]->expression, "total >= 0");

	assert_int_equal(t->nindexes, 1);
	ix = t->indexes[0];
	assert_string_equal(ix->name, "ix_total");
	assert_true(ix->unique);
	assert_string_equal(ix->where, "total > 0");
	assert_int_equal(ix->nelems, 2);
	assert_string_equal(ix->elems[0]->column, "total");
	assert_true(ix->elems[0]->desc);
	assert_string_equal(ix->elems[0]->collation, "NOCASE");
	assert_string_equal(ix->elems[0]->nulls, "LAST");
	assert_null(ix->elems[1]->column);
	assert_string_equal(ix->elems[1]->expression, "abs(total)");
	assert_false(ix->elems[1]->desc);
}

static void test_table_copy(void **state)
{
	sd_schema *src = sd_schema_new("sqlite", "src");
	sd_schema *dst = sd_schema_new("sqlite", "dst");
	sd_table *orig = rich_table(src), *copy;
	sd_view *v, *vcopy;

	(void)state;
	assert_int_equal(sd_schema_finish(src, NULL), 0);
	copy = sd_table_copy(dst, orig);
	check_rich_table(copy);
	/* detached: not in dst's list */
	assert_int_equal(dst->ntables, 0);
	assert_null(sd_schema_find_table(dst, "main", "orders"));
	/* deep: nothing shared */
	assert_ptr_not_equal(copy->name, orig->name);
	assert_ptr_not_equal(copy->columns, orig->columns);
	assert_ptr_not_equal(copy->columns[0], orig->columns[0]);
	assert_ptr_not_equal(copy->columns[1]->name, orig->columns[1]->name);
	assert_ptr_not_equal(copy->columns[1]->type, orig->columns[1]->type);
	assert_ptr_not_equal(copy->fks[0]->on_delete, orig->fks[0]->on_delete);
	assert_ptr_not_equal(copy->indexes[0]->elems[1]->expression,
			     orig->indexes[0]->elems[1]->expression);
	assert_ptr_not_equal(copy->pk->columns, orig->pk->columns);
	assert_ptr_not_equal(copy->fks[0]->ref_columns, orig->fks[0]->ref_columns);
	assert_ptr_not_equal(copy->indexes[0]->elems[0], orig->indexes[0]->elems[0]);
	/* editing the copy leaves the source alone */
	copy->columns[0]->nullable = true;
	copy->indexes[0]->elems[0]->desc = false;
	sd_table_add_column(dst, copy, "extra");
	assert_false(orig->columns[0]->nullable);
	assert_true(orig->indexes[0]->elems[0]->desc);
	assert_int_equal(orig->ncolumns, 4);
	copy->columns[0]->nullable = false;
	copy->indexes[0]->elems[0]->desc = true;
	sd_ptr_array_remove((void **)copy->columns, &copy->ncolumns, copy->columns[4]);

	v = sd_schema_add_view(src, "main", "big_orders", "SELECT * FROM orders WHERE total > 100");
	vcopy = sd_view_copy(dst, v);

	/* the source goes away: the copy must not point into it (ASan) */
	sd_schema_free(src);
	check_rich_table(copy);
	assert_string_equal(vcopy->schema, "main");
	assert_string_equal(vcopy->name, "big_orders");
	assert_string_equal(vcopy->definition, "SELECT * FROM orders WHERE total > 100");

	/* inserted, it is found and survives a finish */
	sd_schema_insert_table(dst, copy);
	assert_ptr_equal(sd_schema_find_table(dst, "main", "orders"), copy);
	assert_int_equal(sd_schema_finish(dst, NULL), 0);
	check_rich_table(sd_schema_find_table(dst, "main", "orders"));
	sd_schema_free(dst);
}

static void test_copy_without_pk(void **state)
{
	sd_schema *src = sd_schema_new(NULL, NULL), *dst = sd_schema_new(NULL, NULL);
	sd_table *t = sd_schema_add_table(src, NULL, "bare"), *copy;

	(void)state;
	sd_table_add_column(src, t, "a");
	copy = sd_table_copy(dst, t);
	sd_schema_free(src);
	assert_null(copy->pk);
	assert_null(copy->schema);
	assert_null(copy->comment);
	assert_int_equal(copy->ncolumns, 1);
	assert_string_equal(copy->columns[0]->name, "a");
	assert_int_equal(copy->nindexes + copy->nuniques + copy->nfks + copy->nchecks, 0);
	sd_schema_free(dst);
}

static void test_insert_remove(void **state)
{
	sd_schema *s = sd_schema_new(NULL, NULL), *other = sd_schema_new(NULL, NULL);
	sd_table *tabs[5];
	sd_view *v1, *v2;
	char name[16];
	size_t i;

	(void)state;
	for (i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "t%zu", i);
		tabs[i] = sd_schema_add_table(s, NULL, name);
	}
	v1 = sd_schema_add_view(s, NULL, "v1", "SELECT 1");
	v2 = sd_schema_add_view(s, NULL, "v2", "SELECT 2");
	assert_int_equal(sd_schema_finish(s, NULL), 0);

	sd_schema_remove_table(s, tabs[1]);
	sd_schema_remove_table(s, tabs[3]);
	assert_int_equal(s->ntables, 3);
	assert_null(sd_schema_find_table(s, NULL, "t1"));
	assert_null(sd_schema_find_table(s, NULL, "t3"));
	assert_ptr_equal(sd_schema_find_table(s, NULL, "t0"), tabs[0]);
	assert_ptr_equal(sd_schema_find_table(s, NULL, "t2"), tabs[2]);
	assert_ptr_equal(sd_schema_find_table(s, NULL, "t4"), tabs[4]);
	assert_ptr_equal(s->tables[0], tabs[0]);
	assert_ptr_equal(s->tables[1], tabs[2]);
	assert_ptr_equal(s->tables[2], tabs[4]);
	/* removing something absent changes nothing */
	sd_schema_remove_table(s, tabs[1]);
	assert_int_equal(s->ntables, 3);

	sd_schema_remove_view(s, v1);
	assert_int_equal(s->nviews, 1);
	assert_null(sd_schema_find_view(s, NULL, "v1"));
	assert_ptr_equal(sd_schema_find_view(s, NULL, "v2"), v2);

	/* re-grow past the old capacity after removals */
	for (i = 0; i < 40; i++) {
		sd_table *src, *copy;

		snprintf(name, sizeof(name), "n%02zu", i);
		src = sd_schema_add_table(other, NULL, name);
		sd_table_add_column(other, src, "c");
		copy = sd_table_copy(s, src);
		sd_schema_insert_table(s, copy);
		assert_ptr_equal(sd_schema_find_table(s, NULL, name), copy);
	}
	sd_schema_free(other);
	assert_int_equal(s->ntables, 43);
	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "n%02zu", i);
		assert_string_equal(sd_schema_find_table(s, NULL, name)->columns[0]->name, "c");
	}
	assert_ptr_equal(sd_schema_find_table(s, NULL, "t4"), tabs[4]);
	assert_int_equal(sd_schema_finish(s, NULL), 0);
	assert_string_equal(s->tables[0]->name, "n00");
	assert_string_equal(s->tables[42]->name, "t4");
	sd_schema_free(s);
}

static void test_ptr_array_remove(void **state)
{
	static const char *const cols[] = { "a", "b", "c", "d", "e" };
	sd_schema *s = sd_schema_new(NULL, NULL);
	sd_table *t = sd_schema_add_table(s, NULL, "t");
	sd_column *gone;

	(void)state;
	add_cols(s, t, cols, SD_ARRAY_LEN(cols));
	gone = t->columns[2];
	sd_ptr_array_remove((void **)t->columns, &t->ncolumns, gone);
	assert_int_equal(t->ncolumns, 4);
	assert_string_equal(t->columns[0]->name, "a");
	assert_string_equal(t->columns[1]->name, "b");
	assert_string_equal(t->columns[2]->name, "d");
	assert_string_equal(t->columns[3]->name, "e");
	assert_null(sd_table_find_column(t, "c"));
	sd_ptr_array_remove((void **)t->columns, &t->ncolumns, gone);
	assert_int_equal(t->ncolumns, 4);
	sd_ptr_array_remove((void **)t->columns, &t->ncolumns, t->columns[3]);
	assert_int_equal(t->ncolumns, 3);
	/* and push again after removals */
	sd_table_add_column(s, t, "f");
	sd_table_add_column(s, t, "g");
	assert_int_equal(t->ncolumns, 5);
	assert_string_equal(t->columns[3]->name, "f");
	assert_string_equal(t->columns[4]->name, "g");
	assert_string_equal(t->columns[2]->name, "d");
	sd_schema_free(s);
}

static void test_qualified_name(void **state)
{
	sd_str out = SD_STR_INIT;

	(void)state;
	sd_qualified_name(&out, "aux", "t");
	assert_string_equal(out.ptr, "aux.t");
	sd_str_add(&out, " ");
	sd_qualified_name(&out, NULL, "u");
	assert_string_equal(out.ptr, "aux.t u");
	sd_str_reset(&out);
	sd_qualified_name(&out, "", "v");
	assert_string_equal(out.ptr, "v");
	sd_str_release(&out);
}

/* ------------------------------------------------------------------ */
/* names and the op list                                               */

static void test_obj_kind_names(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < SD_OBJ__COUNT; i++) {
		const char *n = sd_obj_kind_name((sd_obj_kind)i);

		assert_non_null(n);
		assert_true(n[0] != '\0');
		for (j = 0; j < i; j++)
			assert_string_not_equal(n, sd_obj_kind_name((sd_obj_kind)j));
	}
	assert_string_equal(sd_obj_kind_name(SD_OBJ_TABLE), "table");
	assert_string_equal(sd_obj_kind_name(SD_OBJ_COLUMN), "column");
	assert_string_equal(sd_obj_kind_name(SD_OBJ_PRIMARY_KEY), "primary key");
	assert_string_equal(sd_obj_kind_name(SD_OBJ_INDEX), "index");
	assert_string_equal(sd_obj_kind_name(SD_OBJ_VIEW), "view");
	assert_string_equal(sd_obj_kind_name(SD_OBJ_TRIGGER), "trigger");
	assert_non_null(sd_obj_kind_name(SD_OBJ__COUNT));
}

static void test_op_kind_names(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < SD_OP__COUNT; i++) {
		const char *n = sd_op_kind_name((sd_op_kind)i);
		const char *p;

		assert_non_null(n);
		assert_true(n[0] != '\0');
		for (p = n; *p; p++)
			assert_true((*p >= 'a' && *p <= 'z') || *p == '_');
		assert_int_equal(sd_op_kind_from_name(n), (int)i);
		for (j = 0; j < i; j++)
			assert_string_not_equal(n, sd_op_kind_name((sd_op_kind)j));
	}
	assert_string_equal(sd_op_kind_name(SD_OP_CREATE_TABLE), "create_table");
	assert_string_equal(sd_op_kind_name(SD_OP_ALTER_COLUMN), "alter_column");
	assert_string_equal(sd_op_kind_name(SD_OP_CREATE_UNIQUE_CONSTRAINT), "create_unique_constraint");
	assert_string_equal(sd_op_kind_name(SD_OP_DROP_CONSTRAINT), "drop_constraint");
	assert_string_equal(sd_op_kind_name(SD_OP_CREATE_TABLE_COMMENT), "create_table_comment");
	assert_string_equal(sd_op_kind_name(SD_OP_DROP_VIEW), "drop_view");
	assert_int_equal(sd_op_kind_from_name("nope"), -1);
	assert_int_equal(sd_op_kind_from_name(""), -1);
	assert_int_equal(sd_op_kind_from_name("create_table "), -1);
	assert_int_equal(sd_op_kind_from_name("create"), -1);
}

static void test_constraint_type_names(void **state)
{
	(void)state;
	assert_string_equal(sd_constraint_type_name(SD_CONSTRAINT_UNIQUE), "unique");
	assert_string_equal(sd_constraint_type_name(SD_CONSTRAINT_FOREIGN_KEY), "foreignkey");
	assert_string_equal(sd_constraint_type_name(SD_CONSTRAINT_CHECK), "check");
	assert_string_equal(sd_constraint_type_name(SD_CONSTRAINT_PRIMARY), "primary");
	assert_non_null(sd_constraint_type_name(SD_CONSTRAINT_NONE));
}

static void test_oplist(void **state)
{
	enum { N = 1000 };
	sd_oplist l;
	sd_op *op;
	char table[32];
	size_t i;

	(void)state;
	sd_oplist_init(&l, "postgresql");
	assert_int_equal(l.n, 0);
	assert_non_null(l.store);
	assert_string_equal(l.store->dialect, "postgresql");
	for (i = 0; i < N; i++) {
		/* the op copies the names: this buffer is reused */
		snprintf(table, sizeof(table), "table_%zu", i);
		op = sd_oplist_push(&l, (sd_op_kind)(i % SD_OP__COUNT), i % 2 ? "public" : NULL, table);
		assert_ptr_equal(op, &l.ops[i]);
		assert_false(op->destructive);
		assert_null(op->column);
		assert_null(op->table_def);
		assert_int_equal(op->changes, 0);
		op->destructive = i % 3 == 0;
	}
	assert_int_equal(l.n, N);
	for (i = 0; i < N; i++) {
		char expect[32];

		snprintf(expect, sizeof(expect), "table_%zu", i);
		assert_ptr_not_equal(l.ops[i].table, table);
		assert_int_equal(l.ops[i].kind, i % SD_OP__COUNT);
		assert_string_equal(l.ops[i].table, expect);
		if (i % 2)
			assert_string_equal(l.ops[i].schema, "public");
		else
			assert_null(l.ops[i].schema);
		assert_int_equal(l.ops[i].destructive, i % 3 == 0);
	}
	/* objects for the ops live in the store */
	op = &l.ops[0];
	op->column = sd_table_add_column(l.store, sd_schema_add_table(l.store, NULL, "x"), "c");
	sd_oplist_release(&l);
	assert_int_equal(l.n, 0);
	assert_null(l.ops);
	assert_null(l.store);
	sd_oplist_release(&l); /* twice is fine */

	/* an empty list releases cleanly */
	sd_oplist_init(&l, NULL);
	assert_null(l.store->dialect);
	sd_oplist_release(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_construction_defaults),
		cmocka_unit_test(test_finish_sorts),
		cmocka_unit_test(test_finish_deterministic),
		cmocka_unit_test(test_long_names_lookup),
		cmocka_unit_test(test_key_separator),
		cmocka_unit_test(test_valid_base),
		cmocka_unit_test(test_duplicate_table),
		cmocka_unit_test(test_duplicate_view),
		cmocka_unit_test(test_duplicate_column),
		cmocka_unit_test(test_pk_missing_column),
		cmocka_unit_test(test_unique_missing_column),
		cmocka_unit_test(test_fk_missing_column),
		cmocka_unit_test(test_fk_count_mismatch),
		cmocka_unit_test(test_index_missing_column),
		cmocka_unit_test(test_index_no_columns),
		cmocka_unit_test(test_duplicate_index),
		cmocka_unit_test(test_invalid_qualified),
		cmocka_unit_test(test_table_copy),
		cmocka_unit_test(test_copy_without_pk),
		cmocka_unit_test(test_insert_remove),
		cmocka_unit_test(test_ptr_array_remove),
		cmocka_unit_test(test_qualified_name),
		cmocka_unit_test(test_obj_kind_names),
		cmocka_unit_test(test_op_kind_names),
		cmocka_unit_test(test_constraint_type_names),
		cmocka_unit_test(test_oplist),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
