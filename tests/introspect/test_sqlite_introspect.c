/*
 * test_sqlite_introspect.c - the SQLite introspector against real database
 * files built with the sqlite3 API in a temporary directory, read back
 * through sqlite:// URLs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "schemadiff/compare.h"
#include "schemadiff/model.h"
#include "schemadiff/schemafile.h"
#include "introspect/sqlite_introspect.h"

static char tmpdir[256];

/* --------------------------------------------------------------- helpers */

static void db_path(char *buf, size_t n, const char *file)
{
	snprintf(buf, n, "%s/%s", tmpdir, file);
}

/* Create file (removing an old one) and run sql in it. */
static void make_db(const char *file, const char *sql)
{
	char path[512];
	sqlite3 *db;
	char *msg = NULL;

	db_path(path, sizeof(path), file);
	unlink(path);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "setup sql failed: %s\n", msg);
		sqlite3_free(msg);
		fail();
	}
	sqlite3_close(db);
}

/* Introspect file through an absolute sqlite:////... URL; fails the test on error. */
static sd_schema *introspect(const char *file)
{
	char url[600];
	sd_error err = SD_ERROR_INIT;
	sd_schema *s = NULL;
	sd_str msg = SD_STR_INIT;
	int rc;

	snprintf(url, sizeof(url), "sqlite:///%s/%s", tmpdir, file);
	rc = sd_sqlite_introspect(&s, url, NULL, &err);
	if (rc) {
		sd_error_format(&err, &msg);
		fprintf(stderr, "%s\n", msg.ptr);
		sd_str_release(&msg);
	}
	assert_int_equal(rc, 0);
	assert_non_null(s);
	sd_error_clear(&err);
	return s;
}

/* Introspect url expecting failure; returns the formatted error (caller frees). */
static char *introspect_fail(const char *url, int code)
{
	sd_error err = SD_ERROR_INIT;
	sd_schema *s = (sd_schema *)1;
	sd_str msg = SD_STR_INIT;
	int rc;

	rc = sd_sqlite_introspect(&s, url, NULL, &err);
	assert_int_equal(rc, code);
	assert_int_equal(err.code, code);
	assert_null(s);
	sd_error_format(&err, &msg);
	sd_error_clear(&err);
	return sd_str_detach(&msg);
}

static sd_table *table(sd_schema *s, const char *name)
{
	sd_table *t = sd_schema_find_table(s, NULL, name);

	if (!t)
		fprintf(stderr, "no table \"%s\"\n", name);
	assert_non_null(t);
	return t;
}

static sd_column *column(sd_table *t, const char *name)
{
	sd_column *c = sd_table_find_column(t, name);

	if (!c)
		fprintf(stderr, "no column \"%s\" in \"%s\"\n", name, t->name);
	assert_non_null(c);
	return c;
}

static sd_index *index_named(sd_table *t, const char *name)
{
	sd_index *ix = sd_table_find_index(t, name);

	if (!ix)
		fprintf(stderr, "no index \"%s\" on \"%s\"\n", name, t->name);
	assert_non_null(ix);
	return ix;
}

static void assert_names(const char **names, size_t n, int count, ...)
{
	va_list ap;
	int i;

	assert_int_equal(n, (size_t)count);
	va_start(ap, count);
	for (i = 0; i < count; i++)
		assert_string_equal(names[i], va_arg(ap, const char *));
	va_end(ap);
}

static sd_unique *unique_named(sd_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nuniques; i++)
		if (sd_streq(t->uniques[i]->name, name))
			return t->uniques[i];
	fail_msg("no unique constraint \"%s\" on \"%s\"", name ? name : "(unnamed)", t->name);
	return NULL;
}

static sd_check *check_named(sd_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nchecks; i++)
		if (sd_streq(t->checks[i]->name, name))
			return t->checks[i];
	fail_msg("no check constraint \"%s\" on \"%s\"", name ? name : "(unnamed)", t->name);
	return NULL;
}

static sd_foreign_key *fk_to(sd_table *t, const char *ref_table)
{
	size_t i;

	for (i = 0; i < t->nfks; i++)
		if (sd_streq(t->fks[i]->ref_table, ref_table))
			return t->fks[i];
	fail_msg("no foreign key from \"%s\" to \"%s\"", t->name, ref_table);
	return NULL;
}

static bool exists(const char *file)
{
	char path[512];
	struct stat st;

	db_path(path, sizeof(path), file);
	return stat(path, &st) == 0;
}

/* ----------------------------------------------------------------- tests */

static void test_awkward_names(void **state)
{
	sd_schema *s;
	sd_table *t;
	sd_index *ix;

	(void)state;
	make_db("names.db",
		"CREATE TABLE \"order\" (\n"
		"  \"group\" INTEGER PRIMARY KEY, -- the key\n"
		"  \"Mixed Case\" TEXT /* a comment, with ( parens */ NOT NULL,\n"
		"  [ünïcødé] TEXT,\n"
		"  `select` INT,\n"
		"  CONSTRAINT \"my check\" CHECK (\"group\" > 0),\n"
		"  CONSTRAINT \"u q\" UNIQUE (\"Mixed Case\")\n"
		");\n"
		"CREATE TABLE \"Table With Space\" (\"Ä b\" TEXT PRIMARY KEY);\n"
		"CREATE INDEX \"ix with space\" ON \"order\" (\"ünïcødé\");\n");
	s = introspect("names.db");
	assert_int_equal(s->ntables, 2);
	assert_string_equal(s->dialect, "sqlite");

	t = table(s, "order");
	assert_int_equal(t->ncolumns, 4);
	assert_string_equal(t->columns[0]->name, "group");
	assert_string_equal(t->columns[1]->name, "Mixed Case");
	assert_string_equal(t->columns[2]->name, "ünïcødé");
	assert_string_equal(t->columns[3]->name, "select");
	assert_string_equal(t->columns[0]->type, "INTEGER");
	assert_false(t->columns[0]->nullable);  /* INTEGER PRIMARY KEY */
	assert_false(t->columns[1]->nullable);
	assert_true(t->columns[2]->nullable);
	assert_non_null(t->pk);
	assert_names(t->pk->columns, t->pk->ncolumns, 1, "group");
	assert_int_equal(t->nchecks, 1);
	assert_non_null(check_named(t, "my check"));
	assert_int_equal(t->nuniques, 1);
	assert_names(unique_named(t, "u q")->columns, t->uniques[0]->ncolumns, 1, "Mixed Case");

	/* the autoindex behind "u q" is the constraint, not an index */
	assert_int_equal(t->nindexes, 1);
	ix = index_named(t, "ix with space");
	assert_int_equal(ix->nelems, 1);
	assert_string_equal(ix->elems[0]->column, "ünïcødé");
	assert_false(ix->unique);

	t = table(s, "Table With Space");
	assert_names(t->pk->columns, t->pk->ncolumns, 1, "Ä b");
	assert_int_equal(t->nindexes, 0);  /* sqlite_autoindex_..._1 backs the PK */
	sd_schema_free(s);
}

static void test_constraints(void **state)
{
	sd_schema *s;
	sd_table *t;
	sd_foreign_key *fk;
	sd_unique *u;
	size_t i;

	(void)state;
	make_db("cons.db",
		"CREATE TABLE parent (a INTEGER NOT NULL, b TEXT NOT NULL, c TEXT,\n"
		"  CONSTRAINT pk_parent PRIMARY KEY (b, a));\n"
		"CREATE TABLE single (id INTEGER PRIMARY KEY);\n"
		"CREATE TABLE child (\n"
		"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
		"  pa INTEGER NOT NULL DEFAULT 7,\n"
		"  pb TEXT DEFAULT 'it''s',\n"
		"  x TEXT UNIQUE CHECK (length(x) < 10),\n"
		"  s1 INTEGER REFERENCES single ON DELETE SET NULL,\n"
		"  s2 INTEGER CONSTRAINT fk_s2 REFERENCES \"single\" (id) MATCH FULL,\n"
		"  CONSTRAINT ck_pa CHECK (pa > 0) CONSTRAINT uq_pab UNIQUE (pa, pb),\n"
		"  CONSTRAINT fk_parent FOREIGN KEY (pb, pa) REFERENCES parent (b, a)\n"
		"    ON DELETE CASCADE ON UPDATE RESTRICT DEFERRABLE INITIALLY DEFERRED\n"
		");\n"
		"INSERT INTO child (pa) VALUES (1);\n");
	s = introspect("cons.db");
	assert_int_equal(s->ntables, 3);  /* sqlite_sequence is skipped */
	for (i = 0; i < s->ntables; i++)
		assert_true(strncmp(s->tables[i]->name, "sqlite_", 7) != 0);

	t = table(s, "parent");
	assert_non_null(t->pk);
	assert_string_equal(t->pk->name, "pk_parent");
	assert_names(t->pk->columns, t->pk->ncolumns, 2, "b", "a");  /* key order, not column order */
	assert_int_equal(t->nindexes, 0);

	t = table(s, "child");
	assert_int_equal(column(t, "id")->autoincrement, SD_AUTOINC_TRUE);
	assert_false(column(t, "id")->nullable);
	assert_int_equal(column(t, "pa")->autoincrement, SD_AUTOINC_AUTO);
	assert_string_equal(column(t, "pa")->server_default, "7");
	assert_string_equal(column(t, "pb")->server_default, "'it''s'");
	assert_null(column(t, "x")->server_default);

	assert_int_equal(t->nchecks, 2);
	assert_string_equal(check_named(t, "ck_pa")->expression, "pa > 0");
	assert_string_equal(check_named(t, NULL)->expression, "length(x) < 10");

	assert_int_equal(t->nuniques, 2);
	u = unique_named(t, "uq_pab");
	assert_names(u->columns, u->ncolumns, 2, "pa", "pb");
	u = unique_named(t, NULL);
	assert_names(u->columns, u->ncolumns, 1, "x");
	assert_int_equal(t->nindexes, 0);

	assert_int_equal(t->nfks, 3);
	fk = fk_to(t, "parent");
	assert_string_equal(fk->name, "fk_parent");
	assert_names(fk->columns, fk->ncolumns, 2, "pb", "pa");
	assert_names(fk->ref_columns, fk->nref_columns, 2, "b", "a");
	assert_string_equal(fk->on_delete, "CASCADE");
	assert_string_equal(fk->on_update, "RESTRICT");
	assert_true(fk->deferrable);
	assert_true(fk->initially_deferred);
	for (i = 0; i < t->nfks; i++) {
		fk = t->fks[i];
		if (sd_streq(fk->name, "fk_s2")) {
			assert_names(fk->columns, fk->ncolumns, 1, "s2");
			assert_names(fk->ref_columns, fk->nref_columns, 1, "id");
			assert_null(fk->on_delete);
			assert_false(fk->deferrable);
			assert_string_equal(fk->match, "FULL");
		} else if (!fk->name) {
			/* "REFERENCES single" means single's primary key */
			assert_string_equal(fk->ref_table, "single");
			assert_names(fk->columns, fk->ncolumns, 1, "s1");
			assert_names(fk->ref_columns, fk->nref_columns, 1, "id");
			assert_string_equal(fk->on_delete, "SET NULL");
			assert_null(fk->on_update);
		}
	}
	sd_schema_free(s);
}

static void check_indexes(bool verify)
{
	sd_schema *s;
	sd_table *t;
	sd_index *ix;

	sd_sqlite_introspect_set_verify(verify);
	make_db("ix.db",
		"CREATE TABLE t (a TEXT COLLATE NOCASE, b INTEGER, c TEXT, UNIQUE (b));\n"
		"CREATE INDEX ix_expr ON t (lower(c), b DESC);\n"
		"CREATE UNIQUE INDEX ix_part ON t (c COLLATE NOCASE, a) WHERE b IS NOT NULL;\n"
		"CREATE INDEX ix_same ON t (a COLLATE nocase);\n"
		"CREATE INDEX ix_bin ON t (a COLLATE BINARY ASC);\n"
		"CREATE INDEX ix_case ON t (B, \"C\" COLLATE RTRIM);\n");
	s = introspect("ix.db");
	t = table(s, "t");
	assert_int_equal(t->nindexes, 5);  /* not the autoindex of UNIQUE (b) */
	assert_int_equal(t->nuniques, 1);
	assert_names(t->uniques[0]->columns, t->uniques[0]->ncolumns, 1, "b");

	ix = index_named(t, "ix_expr");
	assert_false(ix->unique);
	assert_int_equal(ix->nelems, 2);
	assert_null(ix->elems[0]->column);
	assert_string_equal(ix->elems[0]->expression, "lower(c)");
	assert_false(ix->elems[0]->desc);
	assert_string_equal(ix->elems[1]->column, "b");
	assert_true(ix->elems[1]->desc);
	assert_null(ix->elems[1]->collation);
	assert_null(ix->where);

	ix = index_named(t, "ix_part");
	assert_true(ix->unique);
	assert_string_equal(ix->where, "b IS NOT NULL");
	assert_string_equal(ix->elems[0]->column, "c");
	assert_non_null(ix->elems[0]->collation);
	assert_int_equal(sd_strcasecmp(ix->elems[0]->collation, "NOCASE"), 0);
	assert_string_equal(ix->elems[1]->column, "a");
	assert_null(ix->elems[1]->collation);  /* the column's own collation */

	ix = index_named(t, "ix_same");
	assert_null(ix->elems[0]->collation);
	ix = index_named(t, "ix_bin");
	assert_non_null(ix->elems[0]->collation);
	assert_int_equal(sd_strcasecmp(ix->elems[0]->collation, "BINARY"), 0);
	assert_false(ix->elems[0]->desc);

	/* names in the table's spelling */
	ix = index_named(t, "ix_case");
	assert_int_equal(ix->nelems, 2);
	assert_string_equal(ix->elems[0]->column, "b");
	assert_string_equal(ix->elems[1]->column, "c");
	assert_string_equal(ix->elems[1]->collation, "RTRIM");
	sd_schema_free(s);
	sd_sqlite_introspect_set_verify(true);
}

static void test_indexes(void **state)
{
	(void)state;
	check_indexes(true);   /* elements cross-checked with pragma_index_xinfo */
	check_indexes(false);  /* the default: elements from the DDL alone */
}

static void test_generated_and_flags(void **state)
{
	sd_schema *s;
	sd_table *t;
	sd_column *c;

	(void)state;
	make_db("gen.db",
		"CREATE TABLE g (a INTEGER, b TEXT,\n"
		"  v INTEGER GENERATED ALWAYS AS (a * 2) VIRTUAL,\n"
		"  st TEXT AS (b || 'x') STORED,\n"
		"  d INTEGER AS (a + 1));\n"
		"CREATE TABLE w (k TEXT, n INTEGER, PRIMARY KEY (n, k)) WITHOUT ROWID;\n"
		"CREATE TABLE st (id INTEGER PRIMARY KEY, v ANY) STRICT;\n"
		"CREATE TABLE st2 (a INT, b TEXT, PRIMARY KEY (a, b)) STRICT;\n"
		"CREATE TABLE notalias (id INTEGER PRIMARY KEY DESC, u);\n");
	s = introspect("gen.db");
	t = table(s, "g");
	c = column(t, "v");
	assert_string_equal(c->generated, "a * 2");
	assert_false(c->generated_stored);
	assert_string_equal(c->type, "INTEGER");
	c = column(t, "st");
	assert_string_equal(c->generated, "b || 'x'");
	assert_true(c->generated_stored);
	c = column(t, "d");
	assert_string_equal(c->generated, "a + 1");
	assert_false(c->generated_stored);
	assert_null(column(t, "a")->generated);

	t = table(s, "w");
	assert_true(t->without_rowid);
	assert_names(t->pk->columns, t->pk->ncolumns, 2, "n", "k");
	assert_false(column(t, "k")->nullable);
	assert_false(column(t, "n")->nullable);

	t = table(s, "st");
	assert_true(t->strict);
	assert_false(t->without_rowid);
	t = table(s, "st2");
	assert_false(column(t, "a")->nullable);  /* STRICT enforces NOT NULL on the key */
	assert_false(column(t, "b")->nullable);

	/* INTEGER PRIMARY KEY DESC is not a rowid alias: NULL stays possible */
	t = table(s, "notalias");
	assert_true(column(t, "id")->nullable);
	assert_null(column(t, "u")->type);
	assert_int_equal(t->nindexes, 0);
	sd_schema_free(s);
}

static void test_views_triggers_skipped(void **state)
{
	sd_schema *s;
	sd_table *t;

	(void)state;
	make_db("vt.db",
		"CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);\n"
		"INSERT INTO alembic_version VALUES ('abc');\n"
		"CREATE TABLE item (id INTEGER PRIMARY KEY AUTOINCREMENT, n INT);\n"
		"CREATE INDEX ix_n ON item (n);\n"
		"INSERT INTO item (n) VALUES (1), (2);\n"
		"ANALYZE;\n"
		"CREATE VIEW v_items (k) AS /* c */ SELECT n AS k FROM item WHERE n > 1;\n"
		"CREATE VIEW \"v 2\" AS\n  SELECT (1) AS x;\n"
		"CREATE TRIGGER trg AFTER INSERT ON item BEGIN UPDATE item SET n = n + 1; END;\n"
		"CREATE TRIGGER trg_alembic AFTER INSERT ON alembic_version BEGIN SELECT 1; END;\n");
	s = introspect("vt.db");
	assert_int_equal(s->ntables, 1);  /* no alembic_version, sqlite_sequence, sqlite_stat1 */
	t = table(s, "item");
	assert_int_equal(t->nindexes, 1);
	assert_int_equal(s->nviews, 2);
	assert_non_null(sd_schema_find_view(s, NULL, "v_items"));
	assert_string_equal(sd_schema_find_view(s, NULL, "v_items")->definition,
			    "SELECT n AS k FROM item WHERE n > 1");
	assert_string_equal(sd_schema_find_view(s, NULL, "v 2")->definition, "SELECT (1) AS x");
	assert_int_equal(s->ntriggers, 1);
	assert_string_equal(s->triggers[0]->name, "trg");
	assert_string_equal(s->triggers[0]->table, "item");
	assert_non_null(strstr(s->triggers[0]->sql, "CREATE TRIGGER trg"));
	sd_schema_free(s);
}

static void test_missing_file(void **state)
{
	char url[600], cwd[512];
	char *msg;

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(tmpdir), 0);
	msg = introspect_fail("sqlite:///x.db", SD_EIO);
	assert_string_equal(msg, "error: sqlite:///x.db: database file \"x.db\" does not exist\n");
	free(msg);
	assert_int_equal(chdir(cwd), 0);
	assert_false(exists("x.db"));

	snprintf(url, sizeof(url), "sqlite:///%s/nope/y.db", tmpdir);
	msg = introspect_fail(url, SD_EIO);
	assert_non_null(strstr(msg, "does not exist"));
	free(msg);
	assert_false(exists("nope"));
}

static void test_not_a_database(void **state)
{
	char path[512], url[600];
	char *msg;
	FILE *f;

	(void)state;
	db_path(path, sizeof(path), "text.db");
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("this is a text file, not a database, but long enough to have a header......\n"
	      "and another line of text to go past one hundred bytes of the file header\n", f);
	fclose(f);
	snprintf(url, sizeof(url), "sqlite:///%s", path);
	msg = introspect_fail(url, SD_EDB);
	assert_non_null(strstr(msg, "is not an SQLite database"));
	free(msg);
	assert_false(exists("text.db-journal"));

	snprintf(url, sizeof(url), "sqlite:///%s", tmpdir);
	msg = introspect_fail(url, SD_EIO);
	assert_non_null(strstr(msg, "is a directory"));
	free(msg);
}

static void test_read_only(void **state)
{
	char path[512];
	struct stat before, after;
	char *b1 = NULL, *b2 = NULL;
	size_t n1, n2;
	sd_schema *s;

	(void)state;
	make_db("ro.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);\n"
		"CREATE INDEX ix_a ON t (a);\n"
		"CREATE TABLE u (x INT REFERENCES t (id));\n");
	db_path(path, sizeof(path), "ro.db");
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(stat(path, &before), 0);
	assert_int_equal(sd_read_file(path, &b1, &n1), 0);
	sleep(1);  /* so that a write would show in a coarse mtime */
	s = introspect("ro.db");
	assert_int_equal(s->ntables, 2);
	sd_schema_free(s);
	assert_int_equal(stat(path, &after), 0);
	assert_int_equal(sd_read_file(path, &b2, &n2), 0);
	assert_int_equal(n1, n2);
	assert_memory_equal(b1, b2, n1);
	assert_int_equal(before.st_mtim.tv_sec, after.st_mtim.tv_sec);
	assert_int_equal(before.st_mtim.tv_nsec, after.st_mtim.tv_nsec);
	assert_false(exists("ro.db-journal"));
	assert_false(exists("ro.db-wal"));
	assert_false(exists("ro.db-shm"));
	free(b1);
	free(b2);
}

static void test_url_forms(void **state)
{
	char url[700], cwd[512];
	sd_error err = SD_ERROR_INIT;
	sd_schema *s = NULL;
	char *msg;

	(void)state;
	make_db("my db.db", "CREATE TABLE t (a INT);\n");

	/* relative to the cwd */
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(tmpdir), 0);
	assert_int_equal(sd_sqlite_introspect(&s, "sqlite:///my%20db.db", NULL, &err), 0);
	assert_int_equal(s->ntables, 1);
	assert_string_equal(s->source, "sqlite:///my%20db.db");
	sd_schema_free(s);
	assert_int_equal(sd_sqlite_introspect(&s, "sqlite+pysqlite:///my%20db.db?mode=ro&foo=bar",
					      NULL, &err), 0);
	assert_int_equal(s->ntables, 1);
	sd_schema_free(s);
	assert_int_equal(sd_sqlite_introspect(&s, "sqlite:///file:my%20db.db?mode=ro&uri=true",
					      NULL, &err), 0);
	assert_int_equal(s->ntables, 1);
	sd_schema_free(s);
	assert_int_equal(chdir(cwd), 0);

	/* absolute */
	snprintf(url, sizeof(url), "sqlite:///%s/my%%20db.db", tmpdir);
	assert_int_equal(url[9], '/');
	assert_int_equal(sd_sqlite_introspect(&s, url, NULL, &err), 0);
	assert_int_equal(s->ntables, 1);
	sd_schema_free(s);

	/* in memory: empty */
	assert_int_equal(sd_sqlite_introspect(&s, "sqlite://", NULL, &err), 0);
	assert_int_equal(s->ntables, 0);
	sd_schema_free(s);
	assert_int_equal(sd_sqlite_introspect(&s, "sqlite:///:memory:", NULL, &err), 0);
	assert_int_equal(s->ntables, 0);
	sd_schema_free(s);
	assert_int_equal(err.code, 0);

	msg = introspect_fail("postgresql:///x", SD_EINPUT);
	assert_non_null(strstr(msg, "not an SQLite URL"));
	free(msg);
	msg = introspect_fail("sqlite://host/x.db", SD_EINPUT);
	assert_non_null(strstr(msg, "host"));
	free(msg);
	msg = introspect_fail("sqlite:///a%00b.db", SD_EINPUT);
	free(msg);
}

static void test_virtual_table_rejected(void **state)
{
	char url[600];
	char *msg;

	(void)state;
	make_db("vtab.db", "CREATE TABLE t (a INT);\n"
		"CREATE VIRTUAL TABLE ft USING fts5 (body);\n");
	snprintf(url, sizeof(url), "sqlite:///%s/vtab.db", tmpdir);
	msg = introspect_fail(url, SD_EUNSUPPORTED);
	assert_non_null(strstr(msg, "virtual table \"ft\""));
	free(msg);
}

/* Names as SQLite resolves them, and constraints SQLite folded together. */
static void test_folding(void **state)
{
	sd_schema *s;
	sd_table *t;
	size_t i;

	(void)state;
	make_db("fold.db",
		"CREATE TABLE Parent (ID INTEGER PRIMARY KEY, code TEXT UNIQUE);\n"
		"CREATE TABLE e1 (a INT UNIQUE, b INT, UNIQUE (a), UNIQUE (A), PRIMARY KEY (b),\n"
		"  UNIQUE (b), CONSTRAINT uq_named UNIQUE (B));\n"
		"CREATE TABLE e2 (x INT REFERENCES parent, y INT REFERENCES PARENT (id),\n"
		"  z TEXT REFERENCES parent (CODE), w INT REFERENCES nowhere (q));\n");
	s = introspect("fold.db");
	t = table(s, "e1");
	assert_int_equal(t->nuniques, 2);  /* one UNIQUE (a); the named one on the PK's column */
	assert_string_equal(t->uniques[0]->name, "uq_named");
	assert_names(t->uniques[0]->columns, t->uniques[0]->ncolumns, 1, "b");
	assert_null(t->uniques[1]->name);
	assert_names(t->uniques[1]->columns, t->uniques[1]->ncolumns, 1, "a");
	assert_int_equal(t->nindexes, 0);

	t = table(s, "e2");
	assert_int_equal(t->nfks, 4);
	for (i = 0; i < t->nfks; i++) {
		sd_foreign_key *fk = t->fks[i];

		if (strcmp(fk->columns[0], "w") == 0) {
			assert_string_equal(fk->ref_table, "nowhere");  /* dangling: as written */
			assert_names(fk->ref_columns, fk->nref_columns, 1, "q");
			continue;
		}
		assert_string_equal(fk->ref_table, "Parent");
		assert_names(fk->ref_columns, fk->nref_columns, 1,
			     strcmp(fk->columns[0], "z") == 0 ? "code" : "ID");
	}
	sd_schema_free(s);
}

/*
 * What the introspector reports must survive the schema file: write it as
 * JSON, load it back, compare with the live database: no ops, and the
 * second writing is byte-identical to the first.
 */
static void test_json_round_trip(void **state)
{
	sd_error err = SD_ERROR_INIT;
	sd_schema *live, *loaded = NULL;
	sd_str j1 = SD_STR_INIT, j2 = SD_STR_INIT, msg = SD_STR_INIT;
	sd_migration m;
	int rc;

	(void)state;
	make_db("rt.db",
		"CREATE TABLE \"order\" (\"group\" INTEGER PRIMARY KEY AUTOINCREMENT,\n"
		"  \"Mixed Case\" VARCHAR(32) NOT NULL DEFAULT 'x', n INT DEFAULT (1 + 2),\n"
		"  c TEXT COLLATE NOCASE, g INT GENERATED ALWAYS AS (n * 2) STORED,\n"
		"  CONSTRAINT ck_n CHECK (n > 0), CONSTRAINT uq_mc UNIQUE (\"Mixed Case\", n));\n"
		"CREATE TABLE p (a INT NOT NULL, b TEXT NOT NULL, PRIMARY KEY (b, a)) WITHOUT ROWID;\n"
		"CREATE TABLE ch (id INTEGER PRIMARY KEY, pa INT, pb TEXT, o INT REFERENCES \"order\",\n"
		"  CONSTRAINT fk_p FOREIGN KEY (pb, pa) REFERENCES p (b, a) ON DELETE CASCADE\n"
		"    DEFERRABLE INITIALLY DEFERRED);\n"
		"CREATE INDEX ix_expr ON \"order\" (lower(c) DESC, n);\n"
		"CREATE UNIQUE INDEX ix_part ON \"order\" (c COLLATE BINARY, n) WHERE n > 1;\n"
		"CREATE VIEW v AS SELECT n FROM \"order\";\n"
		"CREATE TRIGGER trg AFTER INSERT ON ch BEGIN SELECT 1; END;\n");
	live = introspect("rt.db");
	sd_schema_to_json(&j1, live);
	rc = sd_schema_from_json(&loaded, j1.ptr, j1.len, "rt.json", &err);
	if (rc) {
		sd_error_format(&err, &msg);
		fprintf(stderr, "%s\n%s\n", msg.ptr, j1.ptr);
	}
	assert_int_equal(rc, 0);
	sd_schema_to_json(&j2, loaded);
	assert_string_equal(j1.ptr, j2.ptr);

	memset(&m, 0, sizeof(m));
	assert_int_equal(sd_compare(&m, live, loaded, NULL, &err), 0);
	if (m.upgrade.n)
		fprintf(stderr, "%s\n", j1.ptr);
	assert_int_equal(m.upgrade.n, 0);
	assert_int_equal(m.downgrade.n, 0);
	sd_migration_release(&m);

	sd_schema_free(live);
	sd_schema_free(loaded);
	sd_str_release(&j1);
	sd_str_release(&j2);
	sd_str_release(&msg);
	sd_error_clear(&err);
}

/* A failing query: SQLite's words and the query itself are in the error. */
static void test_failing_query_reported(void **state)
{
	char url[600];
	char *msg;

	(void)state;
	make_db("broken.db", "CREATE TABLE t (a TEXT);\n"
		"PRAGMA writable_schema = ON;\n"
		"UPDATE sqlite_master SET sql = 'CREATE TABLE t (a TEXT,' WHERE name = 't';\n");
	snprintf(url, sizeof(url), "sqlite:///%s/broken.db", tmpdir);
	msg = introspect_fail(url, SD_EDB);
	assert_non_null(strstr(msg, "query failed: malformed database schema"));
	assert_non_null(strstr(msg, "detail: query: SELECT type, name, tbl_name, sql FROM sqlite_master"));
	free(msg);
}

/* A bounded number of statements, however many tables: never one per table. */
static void test_many_tables(void **state)
{
	sd_str sql = SD_STR_INIT;
	unsigned small, big;
	sd_schema *s;
	sd_table *t;
	int i;

	(void)state;
	make_db("one.db", "CREATE TABLE t0 (id INTEGER PRIMARY KEY, v TEXT UNIQUE);\n"
		"CREATE INDEX ix0 ON t0 (v DESC);\n");
	s = introspect("one.db");
	small = sd_sqlite_introspect_last_prepare_count();
	sd_schema_free(s);

	sd_str_add(&sql, "BEGIN;\n");
	for (i = 0; i < 2000; i++) {
		sd_str_addf(&sql, "CREATE TABLE t%d (id INTEGER PRIMARY KEY, v TEXT UNIQUE, "
			    "\"n %d\" INTEGER NOT NULL DEFAULT %d CHECK (\"n %d\" >= 0)%s);\n",
			    i, i, i, i, i ? ", p INTEGER REFERENCES t0 (id) ON DELETE CASCADE" : "");
		sd_str_addf(&sql, "CREATE INDEX ix%d ON t%d (\"n %d\", v DESC);\n", i, i, i);
	}
	sd_str_add(&sql, "COMMIT;\n");
	make_db("many.db", sql.ptr);
	sd_str_release(&sql);

	s = introspect("many.db");
	big = sd_sqlite_introspect_last_prepare_count();
	assert_int_equal(s->ntables, 2000);
	t = table(s, "t1999");
	assert_int_equal(t->ncolumns, 4);
	assert_false(column(t, "n 1999")->nullable);
	assert_string_equal(column(t, "n 1999")->server_default, "1999");
	assert_int_equal(t->nfks, 1);
	assert_int_equal(t->nuniques, 1);
	assert_int_equal(t->nchecks, 1);
	assert_int_equal(t->nindexes, 1);
	assert_true(index_named(t, "ix1999")->elems[1]->desc);
	sd_schema_free(s);

	assert_true(small > 0);
	assert_int_equal(small, big);
	assert_true(big <= 8);
}

/* ----------------------------------------------------------------- setup */

static int setup(void **state)
{
	const char *base = getenv("TMPDIR");

	(void)state;
	sd_sqlite_introspect_set_verify(true);  /* every test cross-checks the DDL with the pragmas */
	snprintf(tmpdir, sizeof(tmpdir), "%s/sd-introspect-XXXXXX", base && *base ? base : "/tmp");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	char path[600];

	(void)state;
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", tmpdir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(tmpdir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_awkward_names),
		cmocka_unit_test(test_constraints),
		cmocka_unit_test(test_indexes),
		cmocka_unit_test(test_generated_and_flags),
		cmocka_unit_test(test_views_triggers_skipped),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_not_a_database),
		cmocka_unit_test(test_read_only),
		cmocka_unit_test(test_url_forms),
		cmocka_unit_test(test_virtual_table_rejected),
		cmocka_unit_test(test_failing_query_reported),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_folding),
		cmocka_unit_test(test_many_tables),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
