/*
 * test_apply.c - the op applier refuses ops that do not fit (this is what
 * makes the round-trip proof a proof of the ordering rules), plus trigger
 * counting and dialect choice of sd_compare.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cmp_helpers.h"
#include "schemadiff/schemafile.h"

static sd_schema *js(const char *text)
{
	sd_schema *s = NULL;
	sd_error err = SD_ERROR_INIT;

	if (sd_schema_from_json(&s, text, strlen(text), "test.json", &err))
		fail_msg("bad test schema: %s", err.message);
	return s;
}

#define PARENT_CHILD \
	"{\"tables\": [" \
	"{\"name\": \"p\", \"columns\": [{\"name\": \"id\", \"type\": \"INTEGER\"}]," \
	" \"primary_key\": {\"columns\": [\"id\"]}}," \
	"{\"name\": \"c\", \"columns\": [{\"name\": \"id\", \"type\": \"INTEGER\"}," \
	" {\"name\": \"pid\", \"type\": \"INTEGER\"}]," \
	" \"foreign_keys\": [{\"name\": \"fk_c_p\", \"columns\": [\"pid\"], \"referred_table\": \"p\"," \
	" \"referred_columns\": [\"id\"]}]," \
	" \"indexes\": [{\"name\": \"ix_c_pid\", \"columns\": [\"pid\"]}]}]}"

#define CYCLE \
	"{\"tables\": [" \
	"{\"name\": \"a\", \"columns\": [{\"name\": \"id\", \"type\": \"INTEGER\"}, {\"name\": \"b_id\", \"type\": \"INTEGER\"}]," \
	" \"foreign_keys\": [{\"name\": \"fk_a_b\", \"columns\": [\"b_id\"], \"referred_table\": \"b\", \"referred_columns\": [\"id\"]}]}," \
	"{\"name\": \"b\", \"columns\": [{\"name\": \"id\", \"type\": \"INTEGER\"}, {\"name\": \"a_id\", \"type\": \"INTEGER\"}]," \
	" \"foreign_keys\": [{\"name\": \"fk_b_a\", \"columns\": [\"a_id\"], \"referred_table\": \"a\", \"referred_columns\": [\"id\"]}]}]}"

/* l's ops in the order given by idx[] (n of them), into a fresh list. */
static void reorder(sd_oplist *out, const sd_oplist *l, const size_t *idx, size_t n)
{
	size_t i;

	sd_oplist_init(out, "sqlite");
	for (i = 0; i < n; i++) {
		const sd_op *src = &l->ops[idx[i]];
		sd_op *op = sd_oplist_push(out, src->kind, src->schema, src->table);
		const char *s = op->schema, *t = op->table;

		*op = *src;  /* objects stay in l's store, which outlives out */
		op->schema = s;
		op->table = t;
	}
}

static void expect_apply_fails(const sd_schema *start, const sd_oplist *l, const char *needle)
{
	sd_schema *s = cmp_clone(start);
	sd_error err = SD_ERROR_INIT;
	int rc = sd_apply_ops(s, l, &err);

	if (rc != SD_EINPUT || !err.message || !strstr(err.message, needle))
		fail_msg("expected failure with \"%s\", got rc %d: %s", needle, rc,
			 err.message ? err.message : "(none)");
	assert_non_null(err.path);
	sd_error_clear(&err);
	sd_schema_free(s);
}

static void render(sd_str *out, const sd_oplist *l)
{
	sd_str_reset(out);
	cmp_render_list(out, l);
}

static void test_drop_order(void **state)
{
	sd_schema *a = js(PARENT_CHILD), *empty = js("{\"tables\": []}");
	sd_error err = SD_ERROR_INIT;
	sd_migration m;
	sd_oplist bad;
	sd_str got = SD_STR_INIT;
	size_t rev[3] = { 2, 0, 1 };

	(void)state;
	assert_int_equal(sd_compare(&m, a, empty, NULL, &err), 0);
	render(&got, &m.upgrade);
	assert_string_equal(got.ptr, "drop_index c.ix_c_pid\ndrop_table c !\ndrop_table p !\n");
	render(&got, &m.downgrade);
	assert_string_equal(got.ptr, "create_table p\ncreate_table c\ncreate_index c.ix_c_pid\n");
	/* the parent first: refused while c's FK points at it */
	reorder(&bad, &m.upgrade, rev, 3);
	expect_apply_fails(a, &bad, "still referenced by foreign key \"fk_c_p\"");
	sd_oplist_release(&bad);
	/* the child created before its parent */
	{
		size_t r2[3] = { 1, 0, 2 };

		reorder(&bad, &m.downgrade, r2, 3);
		expect_apply_fails(empty, &bad, "refers to table \"p\", which does not exist");
		sd_oplist_release(&bad);
	}
	/* the index created before its table */
	{
		size_t r3[3] = { 2, 0, 1 };

		reorder(&bad, &m.downgrade, r3, 3);
		expect_apply_fails(empty, &bad, "table \"c\" does not exist");
		sd_oplist_release(&bad);
	}
	/* applying twice: the second create_table finds the table there */
	{
		size_t r4[2] = { 0, 0 };

		reorder(&bad, &m.downgrade, r4, 2);
		expect_apply_fails(empty, &bad, "already exists");
		sd_oplist_release(&bad);
	}
	sd_str_release(&got);
	sd_migration_release(&m);
	sd_schema_free(a);
	sd_schema_free(empty);
}

static void test_cycle_order(void **state)
{
	sd_schema *a = js(CYCLE), *empty = js("{\"tables\": []}");
	sd_error err = SD_ERROR_INIT;
	sd_migration m;
	sd_oplist bad;
	sd_str got = SD_STR_INIT;

	(void)state;
	assert_int_equal(sd_compare(&m, empty, a, NULL, &err), 0);
	render(&got, &m.upgrade);
	assert_string_equal(got.ptr, "create_table a\ncreate_table b\n"
			    "create_foreign_key a.fk_a_b\ncreate_foreign_key b.fk_b_a\n");
	/* the tables are created without their cycle FKs */
	assert_int_equal(m.upgrade.ops[0].table_def->nfks, 0);
	assert_int_equal(m.upgrade.ops[1].table_def->nfks, 0);
	/* other ops point at the full target table */
	assert_int_equal(m.upgrade.ops[2].table_def->nfks, 1);
	render(&got, &m.downgrade);
	assert_string_equal(got.ptr, "drop_constraint foreignkey a.fk_a_b\n"
			    "drop_constraint foreignkey b.fk_b_a\ndrop_table a !\ndrop_table b !\n");
	{
		size_t r[4] = { 0, 2, 1, 3 };  /* a FK before its referred table exists */

		reorder(&bad, &m.upgrade, r, 4);
		expect_apply_fails(empty, &bad, "refers to table \"b\", which does not exist");
		sd_oplist_release(&bad);
	}
	{
		size_t r[3] = { 0, 2, 3 };  /* a table dropped while the other still points at it */

		reorder(&bad, &m.downgrade, r, 3);
		expect_apply_fails(a, &bad, "still referenced");
		sd_oplist_release(&bad);
	}
	sd_str_release(&got);
	sd_migration_release(&m);
	sd_schema_free(a);
	sd_schema_free(empty);
}

static void test_drop_column_in_use(void **state)
{
	sd_schema *a = js(PARENT_CHILD);
	sd_schema *b = js("{\"tables\": ["
			  "{\"name\": \"p\", \"columns\": [{\"name\": \"id\", \"type\": \"INTEGER\"}],"
			  " \"primary_key\": {\"columns\": [\"id\"]}},"
			  "{\"name\": \"c\", \"columns\": [{\"name\": \"id\", \"type\": \"INTEGER\"}]}]}");
	sd_error err = SD_ERROR_INIT;
	sd_migration m;
	sd_oplist bad;
	sd_str got = SD_STR_INIT;

	(void)state;
	assert_int_equal(sd_compare(&m, a, b, NULL, &err), 0);
	render(&got, &m.upgrade);
	assert_string_equal(got.ptr, "drop_constraint foreignkey c.fk_c_p\ndrop_index c.ix_c_pid\n"
			    "drop_column c.pid !\n");
	{
		size_t r[2] = { 0, 2 };  /* the index still uses the column */

		reorder(&bad, &m.upgrade, r, 2);
		expect_apply_fails(a, &bad, "still used by index \"ix_c_pid\"");
		sd_oplist_release(&bad);
	}
	{
		size_t r[2] = { 1, 2 };  /* the FK still uses the column */

		reorder(&bad, &m.upgrade, r, 2);
		expect_apply_fails(a, &bad, "still used by foreign key \"fk_c_p\"");
		sd_oplist_release(&bad);
	}
	{
		size_t r[2] = { 1, 1 };  /* the same index dropped twice */

		reorder(&bad, &m.upgrade, r, 2);
		expect_apply_fails(a, &bad, "index \"ix_c_pid\" does not exist");
		sd_oplist_release(&bad);
	}
	/* the parent's key column while the child's FK refers to it */
	{
		sd_oplist l;
		sd_op *op;
		sd_column col;

		memset(&col, 0, sizeof(col));
		col.name = "id";
		sd_oplist_init(&l, "sqlite");
		op = sd_oplist_push(&l, SD_OP_DROP_CONSTRAINT, NULL, "p");
		op->ctype = SD_CONSTRAINT_PRIMARY;
		op = sd_oplist_push(&l, SD_OP_DROP_COLUMN, NULL, "p");
		op->column = &col;
		expect_apply_fails(a, &l, "still referenced by foreign key \"fk_c_p\"");
		sd_oplist_release(&l);
	}
	sd_str_release(&got);
	sd_migration_release(&m);
	sd_schema_free(a);
	sd_schema_free(b);
}

static void test_error_names_op(void **state)
{
	sd_schema *a = js(PARENT_CHILD);
	sd_oplist l;
	sd_op *op;
	sd_error err = SD_ERROR_INIT;
	sd_foreign_key fk;
	const char *cols[1] = { "pid" }, *refcols[1] = { "id" };

	(void)state;
	memset(&fk, 0, sizeof(fk));
	fk.name = "fk_new";
	fk.columns = cols;
	fk.ncolumns = 1;
	fk.ref_table = "nowhere";
	fk.ref_columns = refcols;
	fk.nref_columns = 1;
	sd_oplist_init(&l, "sqlite");
	sd_oplist_push(&l, SD_OP_DROP_TABLE_COMMENT, NULL, "p");
	expect_apply_fails(a, &l, "op 0 (drop_table_comment)");
	sd_oplist_release(&l);

	sd_oplist_init(&l, "sqlite");
	op = sd_oplist_push(&l, SD_OP_CREATE_FOREIGN_KEY, NULL, "c");
	op->ctype = SD_CONSTRAINT_FOREIGN_KEY;
	op->fk = &fk;
	expect_apply_fails(a, &l, "refers to table \"nowhere\", which does not exist");
	/* pointed at an existing table it applies, and the schema is finished again */
	fk.ref_table = "p";
	{
		sd_schema *s = cmp_clone(a);

		assert_int_equal(sd_apply_ops(s, &l, &err), 0);
		assert_int_equal(sd_schema_find_table(s, NULL, "c")->nfks, 2);
		sd_schema_free(s);
	}
	sd_oplist_release(&l);
	sd_schema_free(a);
}

#define SEQ_FROM \
	"{\"dialect\": \"postgresql\", \"tables\": [" \
	"{\"name\": \"ticket\", \"columns\": [{\"name\": \"id\", \"type\": \"integer\"}," \
	" {\"name\": \"no\", \"type\": \"bigint\", \"default\": \"nextval('ticket_numbers'::regclass)\"}]}]," \
	" \"sequences\": [{\"name\": \"ticket_numbers\"}]}"

#define SEQ_TO \
	"{\"dialect\": \"postgresql\", \"tables\": [" \
	"{\"name\": \"ticket\", \"columns\": [{\"name\": \"id\", \"type\": \"integer\"}," \
	" {\"name\": \"no\", \"type\": \"bigint\"}]}," \
	"{\"name\": \"orders\", \"columns\": [{\"name\": \"id\", \"type\": \"integer\"}]}]," \
	" \"sequences\": [{\"name\": \"order_numbers\", \"owned_by\": \"orders.id\"}]}"

/*
 * PostgreSQL's sequence rules, as the applier models them: OWNED BY needs
 * its column; an owned sequence goes with its table; a sequence a column
 * default still calls nextval() on cannot be dropped.
 */
static void test_sequence_order(void **state)
{
	sd_schema *a = js(SEQ_FROM), *b = js(SEQ_TO);
	sd_compare_opts opts = { 0 };
	sd_error err = SD_ERROR_INIT;
	sd_migration m;
	sd_oplist bad;
	sd_str got = SD_STR_INIT;

	(void)state;
	opts.dialect = sd_dialect_find("postgresql");
	assert_int_equal(sd_compare(&m, a, b, &opts, &err), 0);
	render(&got, &m.upgrade);
	assert_string_equal(got.ptr, "create_sequence order_numbers\ncreate_table orders\n"
			    "alter_column ticket.no default\ndrop_sequence ticket_numbers\n"
			    "alter_sequence order_numbers owned by orders.id\n");
	render(&got, &m.downgrade);
	assert_string_equal(got.ptr, "alter_sequence order_numbers\ndrop_table orders !\n"
			    "drop_sequence order_numbers\ncreate_sequence ticket_numbers\n"
			    "alter_column ticket.no default\n");
	{
		size_t r[2] = { 0, 4 };  /* owned by a column of a table not created yet */

		reorder(&bad, &m.upgrade, r, 2);
		expect_apply_fails(a, &bad, "sequence \"order_numbers\" is owned by column \"orders.id\", "
				   "which does not exist");
		sd_oplist_release(&bad);
	}
	{
		size_t r[1] = { 3 };  /* dropped while ticket.no's default still uses it */

		reorder(&bad, &m.upgrade, r, 1);
		expect_apply_fails(a, &bad, "sequence \"ticket_numbers\" is still used by the default of "
				   "column \"ticket.no\"");
		sd_oplist_release(&bad);
	}
	{
		size_t r[2] = { 1, 2 };  /* not released first: it went with its table */

		reorder(&bad, &m.downgrade, r, 2);
		expect_apply_fails(b, &bad, "sequence \"order_numbers\" does not exist");
		sd_oplist_release(&bad);
	}
	sd_str_release(&got);
	sd_migration_release(&m);
	sd_schema_free(a);
	sd_schema_free(b);
}

static void test_triggers_and_dialect(void **state)
{
	sd_schema *a = js("{\"dialect\": \"sqlite\", \"tables\": [{\"name\": \"t\", \"columns\": "
			  "[{\"name\": \"a\", \"type\": \"INTEGER\"}]}],"
			  " \"triggers\": [{\"name\": \"trg\", \"table\": \"t\", \"sql\": \"CREATE TRIGGER trg ...\"}]}");
	sd_schema *b = js("{\"tables\": [{\"name\": \"t\", \"comment\": \"hello\", \"columns\": "
			  "[{\"name\": \"a\", \"type\": \"INTEGER\"}]}],"
			  " \"triggers\": [{\"name\": \"trg\", \"table\": \"t\", \"sql\": \"CREATE TRIGGER trg ... changed\"},"
			  " {\"name\": \"trg2\", \"table\": \"t\", \"sql\": \"CREATE TRIGGER trg2 ...\"}]}");
	sd_error err = SD_ERROR_INIT;
	sd_compare_opts opts = { 0 };
	sd_migration m;

	(void)state;
	assert_ptr_equal(sd_compare_pick_dialect(b, b), sd_dialect_find("sqlite"));
	assert_int_equal(sd_compare(&m, a, b, NULL, &err), 0);
	assert_int_equal(m.unsupported_seen, 2);
	assert_int_equal(m.unsupported_by_kind[SD_OBJ_TRIGGER], 2);
	assert_string_equal(m.dialect, "sqlite");
	assert_int_equal(m.upgrade.n, 0);  /* sqlite keeps no comments */
	sd_migration_release(&m);

	opts.dialect = cmp_comment_dialect();
	assert_int_equal(sd_compare(&m, a, b, &opts, &err), 0);
	assert_int_equal(m.upgrade.n, 1);
	assert_int_equal(m.upgrade.ops[0].kind, SD_OP_CREATE_TABLE_COMMENT);
	assert_string_equal(m.upgrade.ops[0].comment, "hello");
	assert_int_equal(m.downgrade.ops[0].kind, SD_OP_DROP_TABLE_COMMENT);
	sd_migration_release(&m);
	opts.ignore_comments = true;
	assert_int_equal(sd_compare(&m, a, b, &opts, &err), 0);
	assert_int_equal(m.upgrade.n, 0);
	sd_migration_release(&m);
	sd_schema_free(a);
	sd_schema_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_drop_order),
		cmocka_unit_test(test_cycle_order),
		cmocka_unit_test(test_drop_column_in_use),
		cmocka_unit_test(test_error_names_op),
		cmocka_unit_test(test_sequence_order),
		cmocka_unit_test(test_triggers_and_dialect),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
