/*
 * test_sqlite_ddl_vs_sqlite.c - the DDL parser checked against SQLite
 * itself: each tricky CREATE TABLE is run in an in-memory database (so we
 * know SQLite accepts it), then our parse of the text SQLite stored must
 * agree with pragma_table_xinfo, pragma_foreign_key_list and the UNIQUE
 * constraints' automatic indexes.  The PK nullability rules are checked by
 * inserting NULLs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "schemadiff/model.h"
#include "schemadiff/sqltok.h"
#include "introspect/sqlite_ddl.h"

static const char *const statements[] = {
	"CREATE TABLE dataset_composition (\n"
	"  component_name VARCHAR(32) NOT NULL,\n"
	"  parent_dataset_id INTEGER NOT NULL,\n"
	"  simple BOOLEAN,\n"
	"  PRIMARY KEY (component_name, parent_dataset_id),\n"
	"  CONSTRAINT dataset_composition_len_component_name CHECK (length(component_name)<=32),\n"
	"  CONSTRAINT uq_x UNIQUE (simple, component_name),\n"
	"  CONSTRAINT fkey_parent FOREIGN KEY(parent_dataset_id) REFERENCES dataset (id) ON DELETE CASCADE\n"
	")",
	"CREATE TABLE \"my \"\"odd\"\" t\" ([order] text NOT NULL DEFAULT 'x', `select` int UNIQUE,"
	" \"größe\" REAL DEFAULT (1.5 * (2 + 3)), \"名前\" TEXT COLLATE NOCASE,"
	" \"col with space\" integer constraint \"my pk\" primary key autoincrement)",
	"CREATE TABLE c (-- leading comment\n"
	"  id INTEGER /* ( */ PRIMARY KEY,\n"
	"  code varchar ( 32 ) CONSTRAINT uq_code UNIQUE ON CONFLICT REPLACE NOT NULL,\n"
	"  n NUMERIC(10, 2) DEFAULT -1.5 CONSTRAINT ck_n CHECK (n >= -100 /* ) */),\n"
	"  ts TIMESTAMP DEFAULT CURRENT_TIMESTAMP,\n"
	"  b BLOB DEFAULT X'00ff',\n"
	"  big unsigned  big   int DEFAULT +7,\n"
	"  f BOOLEAN DEFAULT TRUE NOT NULL,\n"
	"  s TEXT DEFAULT 'it''s ) ('\n"
	")",
	"CREATE TABLE f (a, b, c INTEGER, d, e,\n"
	" FOREIGN KEY (a, b) REFERENCES p (x, y) ON DELETE SET NULL ON UPDATE SET DEFAULT"
	" MATCH full DEFERRABLE INITIALLY DEFERRED,\n"
	" CONSTRAINT fk2 FOREIGN KEY (c) REFERENCES \"q q\" ON UPDATE RESTRICT ON DELETE NO ACTION\n"
	" FOREIGN KEY (d) REFERENCES r DEFERRABLE INITIALLY IMMEDIATE,\n"
	" UNIQUE (d, e) CHECK (d <> e)\n"
	")",
	"CREATE TABLE g (x INTEGER REFERENCES p(id) ON UPDATE CASCADE NOT NULL"
	" DEFERRABLE INITIALLY DEFERRED, y REFERENCES p ON DELETE SET NULL)",
	"CREATE TABLE gen (n INTEGER, n2 INTEGER GENERATED ALWAYS AS (n * 2) STORED,"
	" n3 AS (n + (1)) VIRTUAL, n4 TEXT AS (upper(n)))",
	"CREATE TABLE w (k TEXT, v INTEGER, k2 TEXT, PRIMARY KEY (k2, k)) WITHOUT ROWID, STRICT",
	"CREATE TABLE s2 (k TEXT PRIMARY KEY, v INT, a ANY) STRICT",
	"CREATE TABLE \"Mixed\" (ID Integer, Name Text, PRIMARY KEY (ID AUTOINCREMENT))",
	"CREATE TABLE [x y] (a INT DEFAULT NULL, b DOUBLE PRECISION DEFAULT 0.5e3, c CHAR(3) DEFAULT 'abc')",
	"CREATE TABLE d (a, CONSTRAINT lonely, CONSTRAINT k CHECK (a > 0) CONSTRAINT u UNIQUE (a))",
};

/* Collapse white space as the parser does: single spaces, none in "(n,m)". */
static void collapse_type(const char *in, char *out, size_t cap)
{
	size_t n = 0;
	bool pending = false;

	for (; *in && n + 1 < cap; in++) {
		char c = *in;

		if (c == ' ' || c == '\t' || c == '\n') {
			pending = n > 0;
			continue;
		}
		if (pending && c != '(' && c != ')' && c != ',' && out[n - 1] != '(' && out[n - 1] != ',')
			out[n++] = ' ';
		pending = false;
		out[n++] = c;
	}
	out[n] = '\0';
}

static bool pk_has(const sd_table *t, const char *name)
{
	size_t i;

	for (i = 0; t->pk && i < t->pk->ncolumns; i++) {
		if (strcmp(t->pk->columns[i], name) == 0)
			return true;
	}
	return false;
}

static void check_columns(sqlite3 *db, const sd_table *t)
{
	sqlite3_stmt *st;
	size_t n = 0;

	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT name, type, \"notnull\", dflt_value, pk, hidden"
					    " FROM pragma_table_xinfo(?1) ORDER BY cid",
					    -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		const char *type = (const char *)sqlite3_column_text(st, 1);
		int notnull = sqlite3_column_int(st, 2);
		const char *dflt = (const char *)sqlite3_column_text(st, 3);
		int pk = sqlite3_column_int(st, 4);
		int hidden = sqlite3_column_int(st, 5);
		sd_column *c;
		char want_type[256];

		assert_true(n < t->ncolumns);
		c = t->columns[n++];
		if (strcmp(c->name, name) != 0)
			fail_msg("%s: column %zu is %s, sqlite says %s", t->name, n, c->name, name);
		collapse_type(type, want_type, sizeof(want_type));
		/* SQLite 3.37+ reports its six standard type names in upper case */
		if (sd_strcasecmp(c->type ? c->type : "", want_type) != 0)
			fail_msg("%s.%s: type <%s>, sqlite says <%s>", t->name, name,
				 c->type ? c->type : "", want_type);
		if (notnull && c->nullable)
			fail_msg("%s.%s: nullable but sqlite says NOT NULL", t->name, name);
		else if (!notnull && !c->nullable && !pk_has(t, name))
			fail_msg("%s.%s: NOT NULL but sqlite says nullable", t->name, name);
		if ((dflt == NULL) != (c->server_default == NULL) ||
		    (dflt && strcmp(dflt, c->server_default) != 0))
			fail_msg("%s.%s: default <%s>, sqlite says <%s>", t->name, name,
				 c->server_default ? c->server_default : "(none)", dflt ? dflt : "(none)");
		if (pk) {
			assert_non_null(t->pk);
			assert_true((size_t)pk <= t->pk->ncolumns);
			assert_string_equal(t->pk->columns[pk - 1], name);
		} else {
			assert_false(pk_has(t, name));
		}
		/* hidden: 2 = virtual generated, 3 = stored generated */
		assert_int_equal(c->generated != NULL, hidden == 2 || hidden == 3);
		if (c->generated)
			assert_int_equal(c->generated_stored, hidden == 3);
	}
	sqlite3_finalize(st);
	assert_int_equal(n, t->ncolumns);
}

/* One line per FK: "from,...>table(to,...) upd del", in pragma_foreign_key_list's id order. */
static void check_foreign_keys(sqlite3 *db, const sd_table *t)
{
	sqlite3_stmt *st;
	sd_str got = SD_STR_INIT, want = SD_STR_INIT;
	int last_id = -1;
	size_t i, j;

	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete"
					    " FROM pragma_foreign_key_list(?1) ORDER BY id DESC, seq",
					    -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC);
	/* SQLite numbers FKs from the last declared; pragma rows are (from, to) pairs */
	while (sqlite3_step(st) == SQLITE_ROW) {
		int id = sqlite3_column_int(st, 0);
		const char *to = (const char *)sqlite3_column_text(st, 3);

		if (id != last_id) {
			sd_str_addf(&want, "%s%s|%s|%s|", last_id >= 0 ? "\n" : "",
				    (const char *)sqlite3_column_text(st, 1),
				    (const char *)sqlite3_column_text(st, 4),
				    (const char *)sqlite3_column_text(st, 5));
			last_id = id;
		}
		sd_str_addf(&want, "%s>%s,", (const char *)sqlite3_column_text(st, 2), to ? to : "");
	}
	sqlite3_finalize(st);
	for (i = 0; i < t->nfks; i++) {
		const sd_foreign_key *fk = t->fks[i];

		sd_str_addf(&got, "%s%s|%s|%s|", i ? "\n" : "", fk->ref_table,
			    fk->on_update ? fk->on_update : "NO ACTION",
			    fk->on_delete ? fk->on_delete : "NO ACTION");
		for (j = 0; j < fk->ncolumns; j++)
			sd_str_addf(&got, "%s>%s,", fk->columns[j],
				    j < fk->nref_columns ? fk->ref_columns[j] : "");
	}
	if (strcmp(got.ptr, want.ptr) != 0)
		fail_msg("%s: foreign keys\n%s\nsqlite says\n%s", t->name, got.ptr, want.ptr);
	sd_str_release(&got);
	sd_str_release(&want);
}

/* UNIQUE constraints are the indexes with origin 'u'; compare their column lists. */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void check_uniques(sqlite3 *db, const sd_table *t)
{
	sqlite3_stmt *st;
	char *want[32], *got[32];
	size_t nwant = 0, i, j;

	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT group_concat(ii.name, ',') FROM pragma_index_list(?1) il,"
					    " pragma_index_info(il.name) ii WHERE il.origin = 'u'"
					    " GROUP BY il.name",
					    -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW && nwant < 32)
		want[nwant++] = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	assert_int_equal(nwant, t->nuniques);
	for (i = 0; i < t->nuniques; i++) {
		sd_str s = SD_STR_INIT;

		for (j = 0; j < t->uniques[i]->ncolumns; j++)
			sd_str_addf(&s, "%s%s", j ? "," : "", t->uniques[i]->columns[j]);
		got[i] = sd_str_detach(&s);
	}
	qsort(want, nwant, sizeof(char *), cmp_str);
	qsort(got, nwant, sizeof(char *), cmp_str);
	for (i = 0; i < nwant; i++) {
		assert_string_equal(got[i], want[i]);
		free(got[i]);
		free(want[i]);
	}
}

static void test_against_sqlite(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < SD_ARRAY_LEN(statements); i++) {
		sqlite3 *db;
		sqlite3_stmt *st;
		char *errmsg = NULL;
		sd_schema *s = sd_schema_new("sqlite", NULL);
		sd_error err = SD_ERROR_INIT;
		sd_table *t = NULL;

		assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
		if (sqlite3_exec(db, statements[i], NULL, NULL, &errmsg) != SQLITE_OK)
			fail_msg("sqlite rejects statement %zu: %s", i, errmsg);
		/* parse what SQLite stored, which is what the introspector will read */
		assert_int_equal(sqlite3_prepare_v2(db,
						    "SELECT sql FROM sqlite_schema WHERE type = 'table'",
						    -1, &st, NULL),
				 SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		if (sd_sqlite_parse_create_table(s, (const char *)sqlite3_column_text(st, 0), &t,
						 &err) != 0)
			fail_msg("statement %zu: %d:%d: %s", i, err.line, err.column, err.message);
		sqlite3_finalize(st);

		check_columns(db, t);
		check_foreign_keys(db, t);
		check_uniques(db, t);

		sd_schema_free(s);
		sqlite3_close(db);
	}
}

/*
 * The nullability rules the parser applies beyond "NOT NULL", proven on
 * SQLite: a column is NOT NULL in the model exactly when a NULL cannot end
 * up in it.
 */
static void test_pk_nullability_matches_sqlite(void **state)
{
	static const struct {
		const char *create;
		bool nullable;
	} cases[] = {
		{ "CREATE TABLE t (id INTEGER PRIMARY KEY, v)", false },
		{ "CREATE TABLE t (id integer, v, PRIMARY KEY (id))", false },
		{ "CREATE TABLE t (id INT PRIMARY KEY, v)", true },
		{ "CREATE TABLE t (id TEXT PRIMARY KEY, v)", true },
		{ "CREATE TABLE t (id INTEGER PRIMARY KEY DESC, v)", true },
		{ "CREATE TABLE t (id INTEGER, v, PRIMARY KEY (id, v))", true },
		{ "CREATE TABLE t (id TEXT PRIMARY KEY, v) WITHOUT ROWID", false },
		{ "CREATE TABLE t (id TEXT PRIMARY KEY, v INT) STRICT", false },
		{ "CREATE TABLE t (id TEXT, v INT, PRIMARY KEY (v, id)) STRICT", false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < SD_ARRAY_LEN(cases); i++) {
		sqlite3 *db;
		sqlite3_stmt *st;
		sd_schema *s = sd_schema_new("sqlite", NULL);
		sd_error err = SD_ERROR_INIT;
		sd_table *t = NULL;
		int inserted, nulls = 0;

		assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
		assert_int_equal(sqlite3_exec(db, cases[i].create, NULL, NULL, NULL), SQLITE_OK);
		inserted = sqlite3_exec(db, "INSERT INTO t (id, v) VALUES (NULL, 1)", NULL, NULL, NULL);
		if (inserted == SQLITE_OK) {
			assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM t WHERE id IS NULL",
							    -1, &st, NULL),
					 SQLITE_OK);
			assert_int_equal(sqlite3_step(st), SQLITE_ROW);
			nulls = sqlite3_column_int(st, 0);
			sqlite3_finalize(st);
		}
		assert_int_equal(sd_sqlite_parse_create_table(s, cases[i].create, &t, &err), 0);
		if (t->columns[0]->nullable != (nulls > 0))
			fail_msg("<%s>: parser says nullable=%d, sqlite stored %d NULLs", cases[i].create,
				 t->columns[0]->nullable, nulls);
		assert_int_equal(t->columns[0]->nullable, cases[i].nullable);
		sd_schema_free(s);
		sqlite3_close(db);
	}
}

/*
 * Every prefix of every statement: the parser either succeeds or fails with
 * a positioned SD_EINPUT and leaves the schema untouched (run under ASan this
 * is a small fuzz of the error paths); the normaliser never crashes.
 */
static void test_every_prefix(void **state)
{
	size_t i, len;

	(void)state;
	for (i = 0; i < SD_ARRAY_LEN(statements); i++) {
		size_t full = strlen(statements[i]);

		for (len = 0; len <= full; len++) {
			char *sql = xstrndup(statements[i], len);
			sd_schema *s = sd_schema_new("sqlite", NULL);
			sd_error err = SD_ERROR_INIT;
			sd_table *t = NULL;
			sd_str norm = SD_STR_INIT;
			int rc = sd_sqlite_parse_create_table(s, sql, &t, &err);

			if (rc == 0) {
				assert_non_null(t);
				assert_int_equal(s->ntables, 1);
			} else {
				assert_int_equal(rc, SD_EINPUT);
				assert_null(t);
				assert_int_equal(s->ntables, 0);
				assert_true(err.line >= 1 && err.column >= 1);
				assert_non_null(err.message);
			}
			if (len == full)
				assert_int_equal(rc, 0);
			sd_sql_normalize_expr(&norm, sql);
			sd_str_release(&norm);
			sd_error_clear(&err);
			sd_schema_free(s);
			free(sql);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_against_sqlite),
		cmocka_unit_test(test_pk_nullability_matches_sqlite),
		cmocka_unit_test(test_every_prefix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
