/*
 * test_prove.c - the convergence proof (sd_revision_prove) and the JSON
 * op-list loader (sd_migration_from_json), on real SQLite files.
 *
 * The proof must pass a correct migration and leave the database file
 * untouched; it must catch deliberately broken ones: an upgrade missing an
 * op (residual names it), a downgrade missing an op, SQL that fails on the
 * copy (the statement is named), and a dialect that cannot prove; the same
 * on an empty database where the source is built from its model.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "schemadiff/compare.h"
#include "schemadiff/emit.h"
#include "schemadiff/opsfile.h"
#include "schemadiff/revision.h"
#include "schemadiff/schemafile.h"
#include "schemadiff/source.h"

static const char old_sql[] =
	"CREATE TABLE parent (id INTEGER PRIMARY KEY, name VARCHAR(20) NOT NULL);\n"
	"CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL"
	"  REFERENCES parent(id) ON DELETE CASCADE, note TEXT);\n"
	"CREATE INDEX child_parent ON child (parent_id);\n"
	"CREATE TABLE gone (x INTEGER);\n"
	"INSERT INTO parent VALUES (1, 'a'), (2, 'b');\n"
	"INSERT INTO child VALUES (10, 1, 'n1'), (11, 2, NULL);\n";

static const char new_json[] =
	"{\"format\": \"schemadiff/1\", \"tables\": [\n"
	" {\"name\": \"parent\", \"columns\": [\n"
	"   {\"name\": \"id\", \"type\": \"INTEGER\", \"nullable\": false},\n"
	"   {\"name\": \"name\", \"type\": \"VARCHAR(40)\", \"nullable\": false},\n"
	"   {\"name\": \"code\", \"type\": \"INTEGER\", \"nullable\": true}],\n"
	"  \"primary_key\": {\"columns\": [\"id\"]},\n"
	"  \"indexes\": [{\"name\": \"parent_code\", \"columns\": [\"code\"]}]},\n"
	" {\"name\": \"child\", \"columns\": [\n"
	"   {\"name\": \"id\", \"type\": \"INTEGER\", \"nullable\": false},\n"
	"   {\"name\": \"parent_id\", \"type\": \"INTEGER\", \"nullable\": false},\n"
	"   {\"name\": \"note\", \"type\": \"TEXT\", \"nullable\": true}],\n"
	"  \"primary_key\": {\"columns\": [\"id\"]},\n"
	"  \"foreign_keys\": [{\"columns\": [\"parent_id\"], \"referred_table\": \"parent\",\n"
	"     \"referred_columns\": [\"id\"], \"on_delete\": \"CASCADE\"}]}\n"
	"]}\n";

typedef struct fixture {
	char dir[64];
	char path[128];
	char url[160];
	sd_schema *from, *to;
	sd_migration m;
	unsigned char *bytes;   /* the database file before the proof */
	size_t nbytes;
} fixture;

static unsigned char *slurp(const char *path, size_t *n)
{
	char *text = NULL;

	assert_int_equal(sd_read_file(path, &text, n), 0);
	return (unsigned char *)text;
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	sd_error err = SD_ERROR_INIT;
	sd_compare_opts copts = { 0 };
	sqlite3 *db;

	snprintf(f->dir, sizeof(f->dir), "/tmp/sd-prove-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/old.db", f->dir);
	snprintf(f->url, sizeof(f->url), "sqlite:///%s", f->path);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, old_sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	f->bytes = slurp(f->path, &f->nbytes);

	assert_int_equal(sd_source_load(&f->from, f->url, NULL, &err), 0);
	assert_int_equal(sd_schema_from_json(&f->to, new_json, strlen(new_json), "new.json", &err), 0);
	copts.dialect = &sd_dialect_sqlite;
	assert_int_equal(sd_compare(&f->m, f->from, f->to, &copts, &err), 0);
	assert_true(f->m.upgrade.n >= 4);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	size_t n;
	unsigned char *after = slurp(f->path, &n);

	/* The proof never writes the original. */
	assert_int_equal(n, f->nbytes);
	assert_memory_equal(after, f->bytes, n);
	free(after);
	unlink(f->path);
	rmdir(f->dir);
	sd_migration_release(&f->m);
	sd_schema_free(f->from);
	sd_schema_free(f->to);
	free(f->bytes);
	free(f);
	return 0;
}

static void test_correct_migration_is_proven(void **state)
{
	fixture *f = *state;
	sd_error err = SD_ERROR_INIT;
	sd_migration res;
	const char *step = "x";

	assert_int_equal(sd_revision_prove(&sd_dialect_sqlite, f->url, &f->m, f->from, f->to, &res,
					   &step, &err), 0);
	assert_null(step);
	assert_int_equal(res.upgrade.n, 0);
	assert_int_equal(err.code, 0);
	sd_migration_release(&res);
}

/* Remove op i of l (the op array only; its objects stay in the store). */
static sd_op remove_op(sd_oplist *l, size_t i)
{
	sd_op op = l->ops[i];

	memmove(&l->ops[i], &l->ops[i + 1], (l->n - i - 1) * sizeof(sd_op));
	l->n--;
	return op;
}

static void restore_op(sd_oplist *l, size_t i, sd_op op)
{
	memmove(&l->ops[i + 1], &l->ops[i], (l->n - i) * sizeof(sd_op));
	l->ops[i] = op;
	l->n++;
}

static void test_upgrade_missing_an_op(void **state)
{
	fixture *f = *state;
	sd_error err = SD_ERROR_INIT;
	sd_migration res;
	const char *step = NULL;
	size_t i;
	sd_op removed;

	/* The upgrade forgets to drop the table "gone". */
	for (i = 0; i < f->m.upgrade.n; i++)
		if (f->m.upgrade.ops[i].kind == SD_OP_DROP_TABLE)
			break;
	assert_true(i < f->m.upgrade.n);
	removed = remove_op(&f->m.upgrade, i);

	assert_int_equal(sd_revision_prove(&sd_dialect_sqlite, f->url, &f->m, f->from, f->to, &res,
					   &step, &err), SD_EVERIFY);
	assert_string_equal(step, "upgrade");
	assert_int_equal(res.upgrade.n, 1);
	assert_int_equal(res.upgrade.ops[0].kind, SD_OP_DROP_TABLE);
	assert_string_equal(res.upgrade.ops[0].table, "gone");
	assert_non_null(strstr(err.message, "upgrade does not reach the target"));
	sd_migration_release(&res);
	sd_error_clear(&err);
	restore_op(&f->m.upgrade, i, removed);
}

static void test_downgrade_missing_an_op(void **state)
{
	fixture *f = *state;
	sd_error err = SD_ERROR_INIT;
	sd_migration res;
	const char *step = NULL;
	size_t i;
	sd_op removed;

	/* The downgrade forgets to re-create the dropped table "gone". */
	for (i = 0; i < f->m.downgrade.n; i++)
		if (f->m.downgrade.ops[i].kind == SD_OP_CREATE_TABLE)
			break;
	assert_true(i < f->m.downgrade.n);
	removed = remove_op(&f->m.downgrade, i);

	assert_int_equal(sd_revision_prove(&sd_dialect_sqlite, f->url, &f->m, f->from, f->to, &res,
					   &step, &err), SD_EVERIFY);
	assert_string_equal(step, "downgrade");
	assert_true(res.upgrade.n >= 1);
	assert_int_equal(res.upgrade.ops[0].kind, SD_OP_CREATE_TABLE);
	assert_string_equal(res.upgrade.ops[0].table, "gone");
	sd_migration_release(&res);
	sd_error_clear(&err);
	restore_op(&f->m.downgrade, i, removed);
}

static void test_failing_sql_names_the_statement(void **state)
{
	fixture *f = *state;
	sd_error err = SD_ERROR_INIT;
	sd_migration swapped = f->m, res;
	const char *step = NULL;

	/* Upgrade and downgrade swapped: the "upgrade" drops what is not there. */
	swapped.upgrade = f->m.downgrade;
	swapped.downgrade = f->m.upgrade;
	assert_int_equal(sd_revision_prove(&sd_dialect_sqlite, f->url, &swapped, f->from, f->to,
					   &res, &step, &err), SD_EVERIFY);
	assert_string_equal(step, "upgrade");
	assert_int_equal(res.upgrade.n, 0);
	assert_non_null(strstr(err.message, "fails on a copy of the database"));
	assert_non_null(err.detail);
	assert_non_null(strstr(err.detail, "statement: "));
	sd_migration_release(&res);
	sd_error_clear(&err);
}

static void test_dialect_without_scratch(void **state)
{
	fixture *f = *state;
	sd_dialect d = sd_dialect_sqlite;
	sd_error err = SD_ERROR_INIT;
	sd_migration res;
	const char *step = NULL;

	d.scratch_open = NULL;
	assert_int_equal(sd_revision_prove(&d, f->url, &f->m, f->from, f->to, &res, &step, &err),
			 SD_EUNSUPPORTED);
	sd_migration_release(&res);
	sd_error_clear(&err);
}

/*
 * A schema-file FROM (sd_revision_prove_model): the source is built from
 * its model in an empty in-memory database; a correct migration passes, one
 * missing an op is caught, SQL that fails names the step and the statement.
 */
static void test_model_proof(void **state)
{
	fixture *f = *state;
	sd_error err = SD_ERROR_INIT;
	sd_migration res, swapped = f->m;
	const char *step = "x";
	size_t i;
	sd_op removed;

	assert_int_equal(sd_revision_prove_model(&sd_dialect_sqlite, &f->m, f->from, f->to, &res,
						 &step, &err), 0);
	assert_null(step);
	assert_int_equal(err.code, 0);
	sd_migration_release(&res);

	for (i = 0; i < f->m.upgrade.n; i++)
		if (f->m.upgrade.ops[i].kind == SD_OP_DROP_TABLE)
			break;
	assert_true(i < f->m.upgrade.n);
	removed = remove_op(&f->m.upgrade, i);
	assert_int_equal(sd_revision_prove_model(&sd_dialect_sqlite, &f->m, f->from, f->to, &res,
						 &step, &err), SD_EVERIFY);
	assert_string_equal(step, "upgrade");
	assert_int_equal(res.upgrade.n, 1);
	assert_string_equal(res.upgrade.ops[0].table, "gone");
	assert_non_null(strstr(err.message, "built from the source's model"));
	sd_migration_release(&res);
	sd_error_clear(&err);
	restore_op(&f->m.upgrade, i, removed);

	swapped.upgrade = f->m.downgrade;
	swapped.downgrade = f->m.upgrade;
	assert_int_equal(sd_revision_prove_model(&sd_dialect_sqlite, &swapped, f->from, f->to, &res,
						 &step, &err), SD_EVERIFY);
	assert_string_equal(step, "upgrade");
	assert_non_null(strstr(err.message, "the upgrade's SQL fails on a scratch database"));
	assert_non_null(strstr(err.detail, "statement: "));
	sd_migration_release(&res);
	sd_error_clear(&err);
}

/* JSON op list -> loader -> JSON again: the same bytes. */
static void test_ops_json_round_trip(void **state)
{
	fixture *f = *state;
	sd_error err = SD_ERROR_INIT;
	sd_str a = SD_STR_INIT, b = SD_STR_INIT, ra = SD_STR_INIT, rb = SD_STR_INIT;
	sd_migration back;
	sd_revision_meta meta = { .rev_id = "r2", .message = "m", .create_date = "2020-05-28 10:34:56",
				  .verify_note = "test" };

	assert_int_equal(sd_emit(&sd_emitter_json, &f->m, &sd_dialect_sqlite, &a, &err), 0);
	assert_int_equal(sd_migration_from_json(&back, a.ptr, a.len, "ops.json", &err), 0);
	assert_int_equal(back.upgrade.n, f->m.upgrade.n);
	assert_int_equal(back.downgrade.n, f->m.downgrade.n);
	assert_int_equal(sd_emit(&sd_emitter_json, &back, &sd_dialect_sqlite, &b, &err), 0);
	assert_string_equal(a.ptr, b.ptr);
	/* The review rendered from the loaded list is the comparator's. */
	(void)meta;
	assert_int_equal(sd_emit(&sd_emitter_review, &f->m, &sd_dialect_sqlite, &ra, &err), 0);
	assert_int_equal(sd_emit(&sd_emitter_review, &back, &sd_dialect_sqlite, &rb, &err), 0);
	assert_string_equal(ra.ptr, rb.ptr);
	sd_migration_release(&back);
	sd_str_release(&a);
	sd_str_release(&b);
	sd_str_release(&ra);
	sd_str_release(&rb);
}

/*
 * Views and triggers on tables that SQLite must rebuild: the context of
 * each direction (the tables the ops work on, the target's views and
 * triggers) survives JSON -> loader exactly as the comparator built it.
 */
static const char ctx_from[] =
	"{\"format\": \"schemadiff/1\", \"tables\": [\n"
	" {\"name\": \"gone\", \"columns\": [{\"name\": \"x\", \"type\": \"INTEGER\", \"nullable\": true}],\n"
	"  \"indexes\": [{\"name\": \"gone_x\", \"columns\": [\"x\"]}]},\n"
	" {\"name\": \"t\", \"columns\": [\n"
	"   {\"name\": \"id\", \"type\": \"INTEGER\", \"nullable\": false},\n"
	"   {\"name\": \"a\", \"type\": \"VARCHAR(10)\", \"nullable\": true}],\n"
	"  \"primary_key\": {\"columns\": [\"id\"]}}],\n"
	" \"views\": [{\"name\": \"v_t\", \"definition\": \"SELECT id, a FROM t\"}],\n"
	" \"triggers\": [{\"name\": \"t_ins\", \"table\": \"t\",\n"
	"   \"sql\": \"CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN SELECT 1; END\"}]}\n";
static const char ctx_to[] =
	"{\"format\": \"schemadiff/1\", \"tables\": [\n"
	" {\"name\": \"t\", \"columns\": [\n"
	"   {\"name\": \"id\", \"type\": \"INTEGER\", \"nullable\": false},\n"
	"   {\"name\": \"a\", \"type\": \"VARCHAR(10)\", \"nullable\": false},\n"
	"   {\"name\": \"b\", \"type\": \"INTEGER\", \"nullable\": true}],\n"
	"  \"primary_key\": {\"columns\": [\"id\"]},\n"
	"  \"check_constraints\": [{\"name\": \"ck_b\", \"expression\": \"b > 0\"}],\n"
	"  \"indexes\": [{\"name\": \"t_a\", \"columns\": [\"a\"]}]}],\n"
	" \"views\": [{\"name\": \"v_t\", \"definition\": \"SELECT id, a, b FROM t\"},\n"
	"   {\"name\": \"v_t2\", \"definition\": \"SELECT a FROM t\"}],\n"
	" \"triggers\": [{\"name\": \"t_ins\", \"table\": \"t\",\n"
	"   \"sql\": \"CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN SELECT 2; END\"}]}\n";

static char *json_of(const void *obj, json_t *(*fn)(const void *))
{
	json_t *j = fn(obj);
	char *s = json_dumps(j, JSON_PRESERVE_ORDER | JSON_COMPACT);

	json_decref(j);
	return s;
}

static json_t *table_json(const void *t) { return sd_json_from_table(t); }
static json_t *view_json(const void *v) { return sd_json_from_view(v); }
static json_t *trigger_json(const void *t) { return sd_json_from_trigger(t); }

static void assert_same_json(const void *a, const void *b, json_t *(*fn)(const void *))
{
	char *x = json_of(a, fn), *y = json_of(b, fn);

	assert_string_equal(x, y);
	free(x);
	free(y);
}

/* back's ops carry the comparator's table_def (shared per table), views and triggers. */
static void assert_same_context(const sd_oplist *orig, const sd_oplist *back)
{
	size_t i, j, with_def = 0;

	assert_int_equal(back->n, orig->n);
	for (i = 0; i < orig->n; i++) {
		const sd_op *o = &orig->ops[i], *b = &back->ops[i];

		assert_int_equal(b->kind, o->kind);
		if (!o->table_def) {
			assert_null(b->table_def);
			continue;
		}
		assert_non_null(b->table_def);
		assert_same_json(o->table_def, b->table_def, table_json);
		with_def++;
		/* one object per table, as the comparator shares one */
		for (j = 0; j < i; j++) {
			if (orig->ops[j].table_def == o->table_def)
				assert_ptr_equal(back->ops[j].table_def, b->table_def);
			else if (back->ops[j].table_def == b->table_def)
				fail_msg("ops %zu and %zu share a table_def the comparator did not share", j, i);
		}
	}
	assert_true(with_def > 0);
	assert_int_equal(back->ntarget_views, orig->ntarget_views);
	for (i = 0; i < orig->ntarget_views; i++)
		assert_same_json(orig->target_views[i], back->target_views[i], view_json);
	assert_int_equal(back->ntarget_triggers, orig->ntarget_triggers);
	for (i = 0; i < orig->ntarget_triggers; i++)
		assert_same_json(orig->target_triggers[i], back->target_triggers[i], trigger_json);
}

static void test_ops_json_context(void **state)
{
	static const sd_emitter *const emitters[] = { &sd_emitter_json, &sd_emitter_sql,
						      &sd_emitter_alembic };
	sd_error err = SD_ERROR_INIT;
	sd_schema *from = NULL, *to = NULL;
	sd_compare_opts copts = { .dialect = &sd_dialect_sqlite };
	sd_revision_meta meta = { .rev_id = "r2", .message = "m", .create_date = "2020-05-28 10:34:56",
				  .verify_note = "test" };
	sd_migration m, back;
	sd_str js = SD_STR_INIT;

	(void)state;
	assert_int_equal(sd_schema_from_json(&from, ctx_from, strlen(ctx_from), "from.json", &err), 0);
	assert_int_equal(sd_schema_from_json(&to, ctx_to, strlen(ctx_to), "to.json", &err), 0);
	assert_int_equal(sd_compare(&m, from, to, &copts, &err), 0);
	assert_int_equal(m.upgrade.ntarget_views, 2);
	assert_int_equal(m.downgrade.ntarget_triggers, 1);
	assert_int_equal(sd_emit(&sd_emitter_json, &m, &sd_dialect_sqlite, &js, &err), 0);
	assert_int_equal(sd_migration_from_json(&back, js.ptr, js.len, "ops.json", &err), 0);
	assert_same_context(&m.upgrade, &back.upgrade);
	assert_same_context(&m.downgrade, &back.downgrade);
	/* every emitter renders the loaded list as it renders the comparator's */
	for (size_t i = 0; i < SD_ARRAY_LEN(emitters); i++) {
		sd_str a = SD_STR_INIT, b = SD_STR_INIT;

		assert_int_equal(sd_emit_revision(emitters[i], &m, &sd_dialect_sqlite, &meta, &a, &err), 0);
		assert_int_equal(sd_emit_revision(emitters[i], &back, &sd_dialect_sqlite, &meta, &b, &err),
				 0);
		assert_string_equal(a.ptr, b.ptr);
		sd_str_release(&a);
		sd_str_release(&b);
	}
	sd_migration_release(&back);
	sd_migration_release(&m);
	sd_schema_free(from);
	sd_schema_free(to);
	sd_str_release(&js);
}

/* Two ops of one table with different table_defs cannot share one context entry. */
static void test_ops_json_conflicting_defs(void **state)
{
	sd_error err = SD_ERROR_INIT;
	sd_schema *s = sd_schema_new("sqlite", NULL);
	sd_table *t1 = sd_table_copy(s, &(sd_table){ .name = "t" });
	sd_table *t2 = sd_table_copy(s, &(sd_table){ .name = "t" });
	sd_column *c = sd_table_add_column(s, t1, "a");
	sd_migration m = { 0 };
	sd_op *op;
	sd_str out = SD_STR_INIT;
	json_t *root, *tables;

	(void)state;
	c->type = "INTEGER";
	c->nullable = true;
	sd_oplist_init(&m.upgrade, "sqlite");
	sd_oplist_init(&m.downgrade, "sqlite");
	m.dialect = "sqlite";
	op = sd_oplist_push(&m.upgrade, SD_OP_ADD_COLUMN, NULL, "t");
	op->column = c;
	op->table_def = t1;
	op = sd_oplist_push(&m.upgrade, SD_OP_DROP_COLUMN, NULL, "t");
	op->column = c;
	op->table_def = t2;
	assert_int_equal(sd_emit(&sd_emitter_json, &m, &sd_dialect_sqlite, &out, &err), SD_EINTERNAL);
	assert_non_null(strstr(err.message, "two different definitions of one table"));
	assert_string_equal(err.path, "t");
	sd_error_clear(&err);
	/* the same content in two objects is one entry */
	m.upgrade.ops[1].table_def = sd_table_copy(s, t1);
	sd_str_reset(&out);
	assert_int_equal(sd_emit(&sd_emitter_json, &m, &sd_dialect_sqlite, &out, &err), 0);
	root = json_loads(out.ptr, 0, NULL);
	assert_non_null(root);
	tables = json_object_get(json_object_get(json_object_get(root, "context"), "ops"), "tables");
	assert_int_equal(json_array_size(tables), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(tables, 0), "name")), "t");
	json_decref(root);
	sd_str_release(&out);
	sd_migration_release(&m);
	sd_schema_free(s);
}

static void expect_error(const char *text, int line, int column, const char *path,
			 const char *msg_part)
{
	sd_error err = SD_ERROR_INIT;
	sd_migration m;

	assert_int_equal(sd_migration_from_json(&m, text, strlen(text), "x.json", &err), SD_EINPUT);
	assert_int_equal(err.line, line);
	assert_int_equal(err.column, column);
	if (path)
		assert_string_equal(err.path, path);
	else
		assert_null(err.path);
	assert_non_null(strstr(err.message, msg_part));
	sd_migration_release(&m);
	sd_error_clear(&err);
}

static void test_ops_loader_errors(void **state)
{
	(void)state;
	expect_error("", 0, 0, NULL, "empty file");
	expect_error("{\"format\": \"schemadiff-ops/2\", \"ops\": [], \"downgrade\": [}", 1, 57, NULL,
		     "invalid JSON");
	expect_error("{\"format\": \"schemadiff/1\", \"tables\": []}", 1, 12, "format",
		     "unsupported format");
	expect_error("{\"format\": \"schemadiff-ops/2\",\n \"ops\": [{\"op\": \"drop_tabel\"}],\n"
		     " \"downgrade\": []}", 2, 17, "ops[0].op", "unknown op \"drop_tabel\"");
	expect_error("{\"format\": \"schemadiff-ops/2\", \"ops\": [\n"
		     "  {\"op\": \"add_column\", \"table\": \"t\",\n"
		     "   \"column\": {\"name\": \"c\", \"type\": 5}}], \"downgrade\": []}",
		     3, 36, "ops[0].column.type", "expected a string");
	expect_error("{\"format\": \"schemadiff-ops/2\", \"ops\": [], \"downgrade\": [\n"
		     "  {\"op\": \"drop_constraint\", \"table\": \"t\", \"constraint_type\": \"uniq\",\n"
		     "   \"constraint\": {\"columns\": [\"a\"]}}]}",
		     2, 62, "downgrade[0].constraint_type", "invalid value \"uniq\"");
	expect_error("{\"format\": \"schemadiff-ops/2\", \"ops\": [\n"
		     "  {\"op\": \"create_table\", \"table\": \"t\",\n"
		     "   \"definition\": {\"name\": \"u\", \"columns\": []}}], \"downgrade\": []}",
		     3, 27, "ops[0].definition.name", "differs from the op's table");
	/* the previous format names itself */
	expect_error("{\"format\": \"schemadiff-ops/1\", \"ops\": [], \"downgrade\": []}", 1, 12,
		     "format", "unsupported format \"schemadiff-ops/1\"");
	/* the context */
	expect_error("{\"format\": \"schemadiff-ops/2\", \"ops\": [], \"downgrade\": []}", 1, 1, NULL,
		     "missing required key \"context\"");
	expect_error("{\"format\": \"schemadiff-ops/2\", \"ops\": [\n"
		     "  {\"op\": \"drop_column\", \"table\": \"t\",\n"
		     "   \"column\": {\"name\": \"c\", \"type\": \"INTEGER\", \"nullable\": true}}],\n"
		     " \"downgrade\": [],\n"
		     " \"context\": {\"ops\": {\"tables\": [], \"target_views\": [], \"target_triggers\": []},\n"
		     "   \"downgrade\": {\"tables\": [], \"target_views\": [], \"target_triggers\": []}}}",
		     2, 34, "ops[0].table", "table \"t\" is not in context.ops.tables");
	expect_error("{\"format\": \"schemadiff-ops/2\", \"ops\": [], \"downgrade\": [],\n"
		     " \"context\": {\"ops\": {\"tables\": [], \"target_views\": [], \"target_triggers\": []},\n"
		     "   \"downgrade\": {\"tables\": [{\"name\": \"t\", \"columns\": []},\n"
		     "                          {\"name\": \"t\", \"columns\": []}],\n"
		     "     \"target_views\": [], \"target_triggers\": []}}}",
		     4, 36, "context.downgrade.tables[1].name", "duplicate table \"t\"");
	expect_error("{\"format\": \"schemadiff-ops/2\", \"ops\": [], \"downgrade\": [],\n"
		     " \"context\": {\"ops\": {\"tables\": [], \"target_views\": [],\n"
		     "   \"target_triggers\": [{\"name\": \"tr\", \"table\": \"t\"}]},\n"
		     "   \"downgrade\": {\"tables\": [], \"target_views\": [], \"target_triggers\": []}}}",
		     3, 24, "context.ops.target_triggers[0]", "missing required key \"sql\"");
}

/* A copy of v with the keys of every object in reverse order. */
static json_t *reversed_keys(json_t *v)
{
	json_t *out;
	const char **keys;
	size_t n = 0, i;
	const char *k;
	json_t *x;

	if (json_is_array(v)) {
		out = json_array();
		json_array_foreach(v, i, x)
			json_array_append_new(out, reversed_keys(x));
		return out;
	}
	if (!json_is_object(v))
		return json_incref(v);
	keys = calloc(json_object_size(v) + 1, sizeof(*keys));
	json_object_foreach(v, k, x)
		keys[n++] = k;
	out = json_object();
	while (n-- > 0)
		json_object_set_new(out, keys[n], reversed_keys(json_object_get(v, keys[n])));
	free(keys);
	return out;
}

/*
 * The op-list loader reads "op" before the other keys of an op, "existing"
 * before "changes" and the ops before the context, wherever they stand:
 * the same list with every object's keys reversed loads to the same
 * migration, and its errors are the same.
 */
static void test_ops_json_any_key_order(void **state)
{
	sd_error err = SD_ERROR_INIT;
	sd_schema *from = NULL, *to = NULL;
	sd_compare_opts copts = { .dialect = &sd_dialect_sqlite };
	sd_migration m, back;
	sd_str js = SD_STR_INIT, js2 = SD_STR_INIT;
	json_error_t jerr;
	json_t *root, *rev;
	char *text;
	static const char bad[] =
		"{\"context\": {}, \"downgrade\": [], \"ops\": [\n"
		"  {\"changes\": {\"nullable\": {\"to\": true, \"from\": true}}, \"column\": \"c\",\n"
		"   \"existing\": {\"nullable\": false, \"type\": \"INTEGER\", \"name\": \"c\"},\n"
		"   \"table\": \"t\", \"op\": \"alter_column\"}],\n"
		" \"format\": \"schemadiff-ops/2\"}";

	(void)state;
	assert_int_equal(sd_schema_from_json(&from, ctx_from, strlen(ctx_from), "from.json", &err), 0);
	assert_int_equal(sd_schema_from_json(&to, ctx_to, strlen(ctx_to), "to.json", &err), 0);
	assert_int_equal(sd_compare(&m, from, to, &copts, &err), 0);
	assert_int_equal(sd_emit(&sd_emitter_json, &m, &sd_dialect_sqlite, &js, &err), 0);
	root = json_loads(js.ptr, 0, &jerr);
	assert_non_null(root);
	rev = reversed_keys(root);
	text = json_dumps(rev, JSON_INDENT(1));
	assert_ptr_not_equal(strstr(text, "\"context\""), NULL);
	assert_true(strstr(text, "\"context\"") < strstr(text, "\"ops\""));
	assert_int_equal(sd_migration_from_json(&back, text, strlen(text), "rev.json", &err), 0);
	assert_int_equal(back.upgrade.n, m.upgrade.n);
	assert_same_context(&m.upgrade, &back.upgrade);
	assert_same_context(&m.downgrade, &back.downgrade);
	assert_int_equal(sd_emit(&sd_emitter_json, &back, &sd_dialect_sqlite, &js2, &err), 0);
	assert_string_equal(js.ptr, js2.ptr);
	free(text);
	json_decref(rev);
	json_decref(root);
	sd_migration_release(&back);
	sd_migration_release(&m);
	sd_schema_free(from);
	sd_schema_free(to);
	sd_str_release(&js);
	sd_str_release(&js2);

	/* "from" is checked against "existing", which comes after it */
	expect_error(bad, 2, 49, "ops[0].changes.nullable.from",
		     "\"from\" does not match the existing column's nullable");
	/* the op's kind decides which keys are unknown, whatever comes first */
	expect_error("{\"format\": \"schemadiff-ops/2\", \"ops\": [\n"
		     "  {\"index\": {}, \"tabel\": \"t\", \"op\": \"drop_index\"}], \"downgrade\": []}",
		     2, 17, "ops[0]", "unknown key \"tabel\"");
	/* the format is checked first, then the top-level keys */
	expect_error("{\"tables\": [], \"format\": \"schemadiff/1\"}", 1, 26, "format",
		     "unsupported format");
	/* a syntax error or a duplicate key further on wins over an earlier rejection */
	expect_error("{\"format\": \"schemadiff-ops/2\", \"ops\": [{\"op\": \"drop_tabel\"}],\n"
		     " \"downgrade\": [], \"x\": [1 2]}", 2, 27, NULL, "invalid JSON");
	expect_error("{\"format\": \"schemadiff-ops/2\", \"ops\": [{\"op\": \"drop_tabel\"}],\n"
		     " \"downgrade\": [], \"ops\": []}", 2, 19, NULL, "duplicate key \"ops\"");
	expect_error("{\"format\": \"schemadiff-ops/2\", \"ops\": [], \"downgrade\": [],\n"
		     " \"context\": {\"ops\": {\"tables\": [], \"target_views\": [], \"target_triggers\": []},\n"
		     "   \"downgrade\": {\"tables\": [], \"target_views\": [], \"target_triggers\": []}}} }",
		     3, 77, NULL, "invalid JSON");
	expect_error("{\"format\": \"schemadiff-ops/2\", \"ops\": [\n"
		     "  {\"op\": \"drop_index\", \"table\": \"t\", \"table\": \"u\"}]}", 2, 38, NULL,
		     "duplicate key \"table\"");
	/* a lone index or constraint names columns of a table the file need not hold */
	expect_error("{\"format\": \"schemadiff-ops/2\", \"ops\": [\n"
		     "  {\"op\": \"create_index\", \"table\": \"t\",\n"
		     "   \"index\": {\"name\": \"i\", \"columns\": [\"any\"]}},\n"
		     "  {\"op\": \"create_foreign_key\", \"table\": \"t\",\n"
		     "   \"constraint\": {\"columns\": [\"a\", \"b\"], \"referred_table\": \"u\",\n"
		     "                  \"referred_columns\": [\"x\"]}}], \"downgrade\": []}",
		     6, 39, "ops[1].constraint.referred_columns", "1 referred column for 2 columns");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_correct_migration_is_proven, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_missing_an_op, setup, teardown),
		cmocka_unit_test_setup_teardown(test_downgrade_missing_an_op, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failing_sql_names_the_statement, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dialect_without_scratch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_model_proof, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ops_json_round_trip, setup, teardown),
		cmocka_unit_test(test_ops_loader_errors),
		cmocka_unit_test(test_ops_json_context),
		cmocka_unit_test(test_ops_json_conflicting_defs),
		cmocka_unit_test(test_ops_json_any_key_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
