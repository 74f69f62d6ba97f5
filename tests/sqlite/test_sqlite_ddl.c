/*
 * test_sqlite_ddl.c - the CREATE TABLE / CREATE INDEX parser on the DDL
 * that breaks regex-based readers: named CHECK then named UNIQUE, quoted and
 * unicode names, comments, nested parentheses, and error positions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "schemadiff/model.h"
#include "introspect/sqlite_ddl.h"

static sd_table *parse_ok(sd_schema *s, const char *sql)
{
	sd_error err = SD_ERROR_INIT;
	sd_table *t = NULL;
	int rc = sd_sqlite_parse_create_table(s, sql, &t, &err);

	if (rc != 0)
		fail_msg("parse failed: %d:%d: %s: %s", err.line, err.column,
			 err.path ? err.path : "-", err.message ? err.message : "?");
	assert_non_null(t);
	sd_error_clear(&err);
	return t;
}

static sd_column *col(const sd_table *t, size_t i)
{
	assert_true(i < t->ncolumns);
	return t->columns[i];
}

static void assert_str_or_null(const char *got, const char *want)
{
	if (!want)
		assert_null(got);
	else {
		assert_non_null(got);
		assert_string_equal(got, want);
	}
}

static void test_named_check_then_named_unique(void **state)
{
	sd_schema *s = sd_schema_new("sqlite", NULL);
	sd_table *t;

	(void)state;
	t = parse_ok(s, "CREATE TABLE dataset_composition (\n"
			"\tcomponent_name VARCHAR(32) NOT NULL,\n"
			"\tparent_dataset_id INTEGER NOT NULL,\n"
			"\tsimple BOOLEAN,\n"
			"\tPRIMARY KEY (component_name, parent_dataset_id),\n"
			"\tCONSTRAINT dataset_composition_len_component_name CHECK (length(component_name)<=32),\n"
			"\tCONSTRAINT uq_simple UNIQUE (simple, component_name),\n"
			"\tCONSTRAINT ck_simple CHECK (simple IN (0, 1)),\n"
			"\tCONSTRAINT fkey_parent FOREIGN KEY(parent_dataset_id) REFERENCES dataset (id)\n"
			")");
	assert_string_equal(t->name, "dataset_composition");
	assert_null(t->schema);
	assert_int_equal(t->ncolumns, 3);
	assert_string_equal(col(t, 0)->type, "VARCHAR(32)");
	assert_false(col(t, 0)->nullable);
	assert_true(col(t, 2)->nullable);
	assert_non_null(t->pk);
	assert_null(t->pk->name);
	assert_int_equal(t->pk->ncolumns, 2);
	assert_string_equal(t->pk->columns[1], "parent_dataset_id");
	assert_int_equal(t->nchecks, 2);
	assert_string_equal(t->checks[0]->name, "dataset_composition_len_component_name");
	assert_string_equal(t->checks[0]->expression, "length(component_name)<=32");
	assert_string_equal(t->checks[1]->name, "ck_simple");
	assert_string_equal(t->checks[1]->expression, "simple IN (0, 1)");
	assert_int_equal(t->nuniques, 1);
	assert_string_equal(t->uniques[0]->name, "uq_simple");
	assert_int_equal(t->uniques[0]->ncolumns, 2);
	assert_string_equal(t->uniques[0]->columns[0], "simple");
	assert_int_equal(t->nfks, 1);
	assert_string_equal(t->fks[0]->name, "fkey_parent");
	assert_string_equal(t->fks[0]->ref_table, "dataset");
	assert_string_equal(t->fks[0]->ref_columns[0], "id");
	/* the table went into s, found by name */
	assert_int_equal(s->ntables, 1);
	assert_ptr_equal(s->tables[0], t);
	sd_schema_free(s);
}

static void test_quoted_names(void **state)
{
	sd_schema *s = sd_schema_new("sqlite", NULL);
	sd_table *t;

	(void)state;
	t = parse_ok(s, "create table \"my \"\"odd\"\" table\" ([order] text, `select` int,"
			" \"größe\" REAL, \"名前\" TEXT, MixedCase Text, 'str name' BLOB,"
			" \"col with space\" integer constraint \"my pk\" primary key)");
	assert_string_equal(t->name, "my \"odd\" table");
	assert_int_equal(t->ncolumns, 7);
	assert_string_equal(col(t, 0)->name, "order");
	assert_string_equal(col(t, 0)->type, "text");
	assert_string_equal(col(t, 1)->name, "select");
	assert_string_equal(col(t, 2)->name, "größe");
	assert_string_equal(col(t, 3)->name, "名前");
	assert_string_equal(col(t, 4)->name, "MixedCase");
	assert_string_equal(col(t, 4)->type, "Text");
	assert_string_equal(col(t, 5)->name, "str name");
	assert_string_equal(col(t, 6)->name, "col with space");
	assert_string_equal(t->pk->name, "my pk");
	assert_string_equal(t->pk->columns[0], "col with space");
	/* integer primary key: the rowid, never NULL */
	assert_false(col(t, 6)->nullable);
	sd_schema_free(s);
}

static void test_comments_and_nesting(void **state)
{
	sd_schema *s = sd_schema_new("sqlite", NULL);
	sd_table *t;

	(void)state;
	t = parse_ok(s, "CREATE TABLE t ( -- the table\n"
			"  a INTEGER /* first ( column */ NOT NULL,\n"
			"  -- a comment between columns, with a ) paren\n"
			"  b TEXT DEFAULT (lower(('X' || 'y'))) CHECK ( length(b) /* inner */ > (1 + (2 * 3)) /* outer */ ),\n"
			"  c text check (c <> ')' and c <> '(')\n"
			"  /* before constraint */ , CONSTRAINT \"ck (nested)\" CHECK ((a > 0) AND (a < (10)))\n"
			")");
	assert_int_equal(t->ncolumns, 3);
	assert_false(col(t, 0)->nullable);
	assert_string_equal(col(t, 1)->server_default, "lower(('X' || 'y'))");
	assert_int_equal(t->nchecks, 3);
	assert_null(t->checks[0]->name);
	assert_string_equal(t->checks[0]->expression, "length(b) /* inner */ > (1 + (2 * 3))");
	assert_string_equal(t->checks[1]->expression, "c <> ')' and c <> '('");
	assert_string_equal(t->checks[2]->name, "ck (nested)");
	assert_string_equal(t->checks[2]->expression, "(a > 0) AND (a < (10))");
	sd_schema_free(s);
}

static void test_column_constraints(void **state)
{
	sd_schema *s = sd_schema_new("sqlite", NULL);
	sd_table *t;

	(void)state;
	t = parse_ok(s, "CREATE TABLE c (\n"
			" id integer PRIMARY KEY AUTOINCREMENT,\n"
			" code varchar ( 32 ) CONSTRAINT uq_code UNIQUE ON CONFLICT REPLACE NOT NULL,\n"
			" n NUMERIC(10, 2) DEFAULT -1.5 CONSTRAINT ck_n CHECK (n >= -100),\n"
			" s TEXT COLLATE NOCASE DEFAULT 'it''s' UNIQUE,\n"
			" ts TIMESTAMP DEFAULT CURRENT_TIMESTAMP NULL,\n"
			" b BLOB DEFAULT X'00ff',\n"
			" t2 unsigned  big   int DEFAULT +7,\n"
			" f BOOLEAN DEFAULT TRUE,\n"
			" p INTEGER CONSTRAINT fk_p REFERENCES parent(id) ON DELETE CASCADE\n"
			")");
	assert_int_equal(col(t, 0)->autoincrement, SD_AUTOINC_TRUE);
	assert_false(col(t, 0)->nullable);
	assert_string_equal(t->pk->columns[0], "id");
	assert_null(t->pk->name);
	assert_string_equal(col(t, 1)->type, "varchar(32)");
	assert_false(col(t, 1)->nullable);
	assert_int_equal(col(t, 1)->autoincrement, SD_AUTOINC_AUTO);
	assert_string_equal(col(t, 2)->type, "NUMERIC(10,2)");
	assert_string_equal(col(t, 2)->server_default, "-1.5");
	assert_string_equal(col(t, 3)->collation, "NOCASE");
	assert_string_equal(col(t, 3)->server_default, "'it''s'");
	assert_string_equal(col(t, 4)->server_default, "CURRENT_TIMESTAMP");
	assert_true(col(t, 4)->nullable);
	assert_string_equal(col(t, 5)->server_default, "X'00ff'");
	assert_string_equal(col(t, 6)->type, "unsigned big int");
	assert_string_equal(col(t, 6)->server_default, "+7");
	assert_string_equal(col(t, 7)->server_default, "TRUE");
	assert_int_equal(t->nuniques, 2);
	assert_string_equal(t->uniques[0]->name, "uq_code");
	assert_string_equal(t->uniques[0]->columns[0], "code");
	assert_null(t->uniques[1]->name);
	assert_string_equal(t->uniques[1]->columns[0], "s");
	assert_int_equal(t->nchecks, 1);
	assert_string_equal(t->checks[0]->name, "ck_n");
	assert_string_equal(t->checks[0]->expression, "n >= -100");
	assert_int_equal(t->nfks, 1);
	assert_string_equal(t->fks[0]->name, "fk_p");
	assert_string_equal(t->fks[0]->columns[0], "p");
	assert_string_equal(t->fks[0]->on_delete, "CASCADE");
	assert_null(t->fks[0]->on_update);
	sd_schema_free(s);
}

static void test_foreign_keys(void **state)
{
	sd_schema *s = sd_schema_new("sqlite", NULL);
	sd_table *t;
	sd_foreign_key *fk;

	(void)state;
	t = parse_ok(s, "CREATE TABLE f (a, b, c, d, e,\n"
			" FOREIGN KEY (a, b) REFERENCES p (x, y) ON DELETE SET NULL ON UPDATE SET DEFAULT"
			" MATCH full DEFERRABLE INITIALLY DEFERRED,\n"
			" CONSTRAINT fk2 FOREIGN KEY (c) REFERENCES \"q q\" ON UPDATE RESTRICT ON DELETE NO ACTION"
			" NOT DEFERRABLE INITIALLY DEFERRED\n"
			" FOREIGN KEY (d) REFERENCES r DEFERRABLE INITIALLY IMMEDIATE,\n"
			" FOREIGN KEY (e) REFERENCES r(z) DEFERRABLE\n"
			")");
	assert_int_equal(t->ncolumns, 5);
	assert_null(col(t, 0)->type);
	assert_int_equal(t->nfks, 4);
	fk = t->fks[0];
	assert_null(fk->name);
	assert_int_equal(fk->ncolumns, 2);
	assert_int_equal(fk->nref_columns, 2);
	assert_string_equal(fk->ref_columns[1], "y");
	assert_string_equal(fk->on_delete, "SET NULL");
	assert_string_equal(fk->on_update, "SET DEFAULT");
	assert_string_equal(fk->match, "FULL");
	assert_true(fk->deferrable);
	assert_true(fk->initially_deferred);
	fk = t->fks[1];
	assert_string_equal(fk->name, "fk2");
	assert_string_equal(fk->ref_table, "q q");
	assert_int_equal(fk->nref_columns, 0);
	assert_string_equal(fk->on_update, "RESTRICT");
	assert_string_equal(fk->on_delete, "NO ACTION");
	assert_false(fk->deferrable);
	assert_false(fk->initially_deferred);
	fk = t->fks[2];
	assert_true(fk->deferrable);
	assert_false(fk->initially_deferred);
	fk = t->fks[3];
	assert_true(fk->deferrable);
	assert_false(fk->initially_deferred);
	assert_null(fk->match);
	sd_schema_free(s);

	/* column-level, deferrable clause after another constraint (applies to the FK) */
	s = sd_schema_new("sqlite", NULL);
	t = parse_ok(s, "CREATE TABLE g (x INTEGER REFERENCES p(id) ON UPDATE CASCADE NOT NULL"
			" DEFERRABLE INITIALLY DEFERRED)");
	assert_false(col(t, 0)->nullable);
	assert_int_equal(t->nfks, 1);
	assert_string_equal(t->fks[0]->on_update, "CASCADE");
	assert_true(t->fks[0]->deferrable);
	assert_true(t->fks[0]->initially_deferred);
	sd_schema_free(s);
}

static void test_generated(void **state)
{
	sd_schema *s = sd_schema_new("sqlite", NULL);
	sd_table *t;

	(void)state;
	t = parse_ok(s, "CREATE TABLE g (n INTEGER, n2 INTEGER GENERATED ALWAYS AS (n * 2) STORED,"
			" n3 AS (n + (1)) VIRTUAL, n4 TEXT AS (upper(n)), n5 INT GENERATED ALWAYS AS (n) NOT NULL)");
	assert_null(col(t, 0)->generated);
	assert_string_equal(col(t, 1)->generated, "n * 2");
	assert_true(col(t, 1)->generated_stored);
	assert_null(col(t, 2)->type);
	assert_string_equal(col(t, 2)->generated, "n + (1)");
	assert_false(col(t, 2)->generated_stored);
	assert_string_equal(col(t, 3)->generated, "upper(n)");
	assert_false(col(t, 3)->generated_stored);
	assert_string_equal(col(t, 4)->generated, "n");
	assert_false(col(t, 4)->nullable);
	sd_schema_free(s);
}

static void test_table_options_and_pk_nullability(void **state)
{
	sd_schema *s = sd_schema_new("sqlite", NULL);
	sd_table *t;

	(void)state;
	t = parse_ok(s, "CREATE TABLE w (k TEXT PRIMARY KEY, v INTEGER) WITHOUT ROWID, STRICT;");
	assert_true(t->without_rowid);
	assert_true(t->strict);
	assert_false(col(t, 0)->nullable); /* WITHOUT ROWID: PK columns are NOT NULL */
	assert_true(col(t, 1)->nullable);

	t = parse_ok(s, "CREATE TABLE s2 (k TEXT PRIMARY KEY, v INT) STRICT");
	assert_false(t->without_rowid);
	assert_true(t->strict);
	assert_false(col(t, 0)->nullable); /* STRICT: PK columns are NOT NULL too */

	t = parse_ok(s, "CREATE TABLE s3 (k TEXT PRIMARY KEY, v INT)");
	assert_true(col(t, 0)->nullable); /* an ordinary table's TEXT PK may hold NULL */

	t = parse_ok(s, "CREATE TABLE r1 (id INT PRIMARY KEY)");
	assert_true(col(t, 0)->nullable); /* INT is not INTEGER: not the rowid */

	t = parse_ok(s, "CREATE TABLE r2 (id Integer, PRIMARY KEY (id AUTOINCREMENT))");
	assert_false(col(t, 0)->nullable);
	assert_int_equal(col(t, 0)->autoincrement, SD_AUTOINC_TRUE);

	t = parse_ok(s, "CREATE TABLE r3 (id INTEGER PRIMARY KEY DESC)");
	assert_true(col(t, 0)->nullable); /* SQLite's quirk: DESC is not a rowid alias */

	t = parse_ok(s, "CREATE TABLE r4 (a INTEGER, b INTEGER, CONSTRAINT pk_r4 PRIMARY KEY (b, a))");
	assert_true(col(t, 0)->nullable);
	assert_string_equal(t->pk->name, "pk_r4");
	assert_string_equal(t->pk->columns[0], "b");

	t = parse_ok(s, "CREATE TEMP TABLE IF NOT EXISTS main.tmp1 (a)");
	assert_null(t->schema);
	assert_string_equal(t->name, "tmp1");
	t = parse_ok(s, "CREATE TEMPORARY TABLE tmp2 (a)");
	assert_string_equal(t->schema, "temp");
	t = parse_ok(s, "CREATE TABLE aux.x (a)");
	assert_string_equal(t->schema, "aux");
	assert_int_equal(s->ntables, 10);
	sd_schema_free(s);
}

static void test_constraints_without_commas(void **state)
{
	sd_schema *s = sd_schema_new("sqlite", NULL);
	sd_table *t;

	(void)state;
	t = parse_ok(s, "CREATE TABLE n (a, b, CONSTRAINT ck CHECK (a > 0) CONSTRAINT uq UNIQUE (a, b)"
			" UNIQUE (b COLLATE nocase DESC) PRIMARY KEY (a))");
	assert_string_equal(t->checks[0]->name, "ck");
	assert_int_equal(t->nuniques, 2);
	assert_string_equal(t->uniques[0]->name, "uq");
	assert_null(t->uniques[1]->name);
	assert_string_equal(t->uniques[1]->columns[0], "b");
	assert_string_equal(t->pk->columns[0], "a");
	sd_schema_free(s);
}

typedef struct err_case {
	const char *sql;
	int code, line, column;
	const char *path;
	const char *message_part;
} err_case;

static void test_errors(void **state)
{
	static const err_case cases[] = {
		{ "CREATE TABLE t (a INTEGER,\n  b TEXT CHECK (b <> 'x'\n)", SD_EINPUT, 3, 2, "t",
		  "expected ',' or ')' after column \"b\" at end of input" },
		{ "CREATE TABLE t (a CHECK ((a)", SD_EINPUT, 1, 29, "t", "unbalanced parentheses in CHECK" },
		{ "CREATE TABLE t (a 'unterminated)", SD_EINPUT, 1, 19, "t", "unterminated string" },
		{ "CREATE TABLE t (a,\n   )", SD_EINPUT, 2, 4, "t", "expected column name" },
		{ "CREATE TABLE t (a INT PRIMARY KEY, b INT PRIMARY KEY)", SD_EINPUT, 1, 42, "t",
		  "more than one primary key" },
		{ "CREATE TABLE t (a) WITHOUT OIDS", SD_EINPUT, 1, 28, "t", "expected ROWID" },
		{ "CREATE TABLE t (a) garbage", SD_EINPUT, 1, 20, "t", "unexpected text" },
		{ "CREATE TABLE t (a REFERENCES p ON DELETE EXPLODE)", SD_EINPUT, 1, 42, "t",
		  "referential action" },
		{ "CREATE TABLE t (a CONSTRAINT)", SD_EINPUT, 1, 29, "t", "expected constraint name" },
		{ "CREATE TABLE t (a VARCHAR(x))", SD_EINPUT, 1, 27, "t", "expected a number" },
		{ "CREATE TABLE t (a CHECK ())", SD_EINPUT, 1, 26, "t", "empty expression" },
		{ "CREATE TABLE t (a, FOREIGN KEY (a) p)", SD_EINPUT, 1, 36, "t", "expected REFERENCES" },
		{ "CREATE TABLE t (a DEFAULT)", SD_EINPUT, 1, 26, "t", "expected a default value" },
		{ "CREATE VIEW v AS SELECT 1", SD_EINPUT, 1, 8, NULL, "expected TABLE" },
		{ "CREATE TABLE t", SD_EINPUT, 1, 15, "t", "at end of input" },
		{ "CREATE TABLE t AS SELECT 1 AS a", SD_EUNSUPPORTED, 1, 16, "t", "AS SELECT" },
		{ "CREATE VIRTUAL TABLE v USING fts5(x)", SD_EUNSUPPORTED, 1, 8, NULL, "virtual" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < SD_ARRAY_LEN(cases); i++) {
		sd_schema *s = sd_schema_new("sqlite", NULL);
		sd_error err = SD_ERROR_INIT;
		sd_table *t = NULL;
		int rc = sd_sqlite_parse_create_table(s, cases[i].sql, &t, &err);

		if (rc != cases[i].code || err.line != cases[i].line || err.column != cases[i].column ||
		    !err.message || !strstr(err.message, cases[i].message_part))
			fail_msg("case %zu <%s>: rc %d %d:%d %s", i, cases[i].sql, rc, err.line,
				 err.column, err.message ? err.message : "(none)");
		assert_str_or_null(err.path, cases[i].path);
		assert_null(t);
		/* nothing half-built is left in the schema */
		assert_int_equal(s->ntables, 0);
		sd_error_clear(&err);
		sd_schema_free(s);
	}
}

static sd_index *index_ok(sd_schema *s, sd_table *t, const char *sql)
{
	sd_error err = SD_ERROR_INIT;
	sd_index *ix = NULL;

	if (sd_sqlite_parse_create_index(s, t, sql, &ix, &err) != 0)
		fail_msg("index parse failed: %d:%d: %s", err.line, err.column, err.message);
	return ix;
}

static void test_indexes(void **state)
{
	sd_schema *s = sd_schema_new("sqlite", NULL);
	sd_table *t = parse_ok(s, "CREATE TABLE \"My T\" (a, b, c, \"d d\")");
	sd_index *ix;
	sd_error err = SD_ERROR_INIT;

	(void)state;
	ix = index_ok(s, t, "CREATE UNIQUE INDEX IF NOT EXISTS main.\"ix one\" ON \"my t\" "
			    "(a COLLATE NOCASE DESC, lower(b) , \"d d\" ASC, c + 1 DESC, (c), b COLLATE \"binary\")");
	assert_string_equal(ix->name, "ix one");
	assert_true(ix->unique);
	assert_null(ix->where);
	assert_int_equal(ix->nelems, 6);
	assert_string_equal(ix->elems[0]->column, "a");
	assert_string_equal(ix->elems[0]->collation, "NOCASE");
	assert_true(ix->elems[0]->desc);
	assert_null(ix->elems[1]->column);
	assert_string_equal(ix->elems[1]->expression, "lower(b)");
	assert_false(ix->elems[1]->desc);
	assert_string_equal(ix->elems[2]->column, "d d");
	assert_false(ix->elems[2]->desc);
	assert_string_equal(ix->elems[3]->expression, "c + 1");
	assert_true(ix->elems[3]->desc);
	assert_string_equal(ix->elems[4]->expression, "(c)");
	assert_string_equal(ix->elems[5]->column, "b");
	assert_string_equal(ix->elems[5]->collation, "binary");
	assert_int_equal(t->nindexes, 1);
	assert_ptr_equal(t->indexes[0], ix);

	ix = index_ok(s, t, "create index ix2 on \"My T\" (a) where (b IS NOT NULL AND (c IN (1, 2)))"
			    " and a <> ')' -- trailing comment\n;");
	assert_false(ix->unique);
	assert_string_equal(ix->where, "(b IS NOT NULL AND (c IN (1, 2))) and a <> ')'");

	ix = index_ok(s, t, "CREATE INDEX ix3 ON [My T] (json_extract(a, '$.x)'), b NULLS LAST)");
	assert_string_equal(ix->elems[0]->expression, "json_extract(a, '$.x)')");
	assert_string_equal(ix->elems[1]->nulls, "LAST");

	/* errors: wrong table, unbalanced, positions */
	assert_int_equal(sd_sqlite_parse_create_index(s, t, "CREATE INDEX i ON other (a)", &ix, &err),
			 SD_EINPUT);
	assert_int_equal(err.column, 19);
	assert_string_equal(err.path, "i");
	sd_error_clear(&err);
	assert_int_equal(sd_sqlite_parse_create_index(s, t, "CREATE INDEX i ON \"My T\" (\n  lower(a)", &ix,
						      &err),
			 SD_EINPUT);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.column, 11);
	sd_error_clear(&err);
	assert_int_equal(sd_sqlite_parse_create_index(s, t, "CREATE INDEX i ON \"My T\" (a) WHERE", &ix,
						      &err),
			 SD_EINPUT);
	assert_non_null(strstr(err.message, "after WHERE"));
	sd_error_clear(&err);
	assert_int_equal(t->nindexes, 3);
	sd_schema_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_named_check_then_named_unique),
		cmocka_unit_test(test_quoted_names),
		cmocka_unit_test(test_comments_and_nesting),
		cmocka_unit_test(test_column_constraints),
		cmocka_unit_test(test_foreign_keys),
		cmocka_unit_test(test_generated),
		cmocka_unit_test(test_table_options_and_pk_nullability),
		cmocka_unit_test(test_constraints_without_commas),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_indexes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
