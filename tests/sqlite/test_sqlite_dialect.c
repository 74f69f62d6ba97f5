/*
 * test_sqlite_dialect.c - the SQLite dialect's canonical forms, quoting and
 * lossy-type-change rules, and the dialect registry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "schemadiff/dialect.h"

typedef void (*norm_fn)(sd_str *out, const char *in);

static void check(norm_fn fn, const char *in, const char *want)
{
	sd_str s = SD_STR_INIT;

	sd_str_add(&s, "prefix:"); /* functions append */
	fn(&s, in);
	if (strcmp(s.ptr + 7, want) != 0)
		fail_msg("<%s>: got <%s>, want <%s>", in ? in : "(null)", s.ptr + 7, want);
	sd_str_release(&s);
}

static void test_registry(void **state)
{
	(void)state;
	assert_ptr_equal(sd_dialect_find("sqlite"), &sd_dialect_sqlite);
	assert_ptr_equal(sd_dialect_find("SQLite"), &sd_dialect_sqlite);
	assert_null(sd_dialect_find("oracle"));
	assert_null(sd_dialect_find(NULL));
	assert_string_equal(sd_dialect_sqlite.name, "sqlite");
	assert_int_equal(sd_dialect_sqlite.caps, SD_CAP_DROP_COLUMN | SD_CAP_NOCASE_NAMES);
	assert_non_null(sd_dialect_sqlite.introspect);
}

static void test_normalize_type(void **state)
{
	norm_fn f = sd_dialect_sqlite.normalize_type;

	(void)state;
	check(f, "int", "INTEGER");
	check(f, "INTEGER", "INTEGER");
	check(f, "varchar ( 32 )", "VARCHAR(32)");
	check(f, "VARCHAR(32)", "VARCHAR(32)");
	check(f, "character  varying(32)", "VARCHAR(32)");
	check(f, "decimal(10, 2)", "NUMERIC(10,2)");
	check(f, "bool", "BOOLEAN");
	check(f, "double", "DOUBLE PRECISION");
	check(f, "Double  Precision", "DOUBLE PRECISION");
	check(f, "float8", "DOUBLE PRECISION");
	check(f, "FLOAT", "FLOAT");
	check(f, "timestamp without time zone", "TIMESTAMP");
	check(f, "timestamp(6) without time zone", "TIMESTAMP(6)");
	check(f, "timestamptz", "TIMESTAMP WITH TIME ZONE");
	check(f, "\"varchar\"(10)", "VARCHAR(10)");
	check(f, "unsigned big int", "UNSIGNED BIG INT");
	check(f, "int[]", "INTEGER[]");
	check(f, "", "");
	check(f, NULL, "");
}

static void test_normalize_default(void **state)
{
	norm_fn f = sd_dialect_sqlite.normalize_default;

	(void)state;
	check(f, "(0)", "0");
	check(f, "0", "0");
	check(f, "((0))", "0");
	check(f, "CURRENT_TIMESTAMP", "current_timestamp");
	check(f, "(current_timestamp)", "current_timestamp");
	check(f, "'abc'", "'abc'");
	check(f, "('ABC')", "'ABC'");
	check(f, "-1", "-1");
	check(f, "(-1)", "-1");
	check(f, "TRUE", "1");
	check(f, "false", "0");
	check(f, "(datetime('now','localtime'))", "datetime('now', 'localtime')");
	check(f, NULL, "");
}

static void test_normalize_expr(void **state)
{
	norm_fn f = sd_dialect_sqlite.normalize_expr;

	(void)state;
	check(f, "length(component_name)<=32", "length(component_name) <= 32");
	check(f, "\"simple\" IN (0,1)", "simple in (0, 1)");
	check(f, "(a>0)", "a > 0");
}

static void test_quote_ident(void **state)
{
	norm_fn f = sd_dialect_sqlite.quote_ident;

	(void)state;
	check(f, "plain", "plain");
	check(f, "Mixed_Case1", "Mixed_Case1");
	check(f, "_x", "_x");
	check(f, "order", "\"order\"");
	check(f, "SELECT", "\"SELECT\"");
	check(f, "with space", "\"with space\"");
	check(f, "1abc", "\"1abc\"");
	check(f, "a\"b", "\"a\"\"b\"");
	check(f, "größe", "\"größe\"");
	check(f, "名前", "\"名前\"");
	check(f, "", "\"\"");
}

static void lossy(const char *from, const char *to, bool want)
{
	bool got = sd_dialect_sqlite.type_change_is_lossy(from, to);

	if (got != want)
		fail_msg("%s -> %s: lossy=%d, want %d", from ? from : "(null)", to ? to : "(null)",
			 got, want);
}

static void test_type_change_is_lossy(void **state)
{
	(void)state;
	/* same after normalisation */
	lossy("int", "INTEGER", false);
	lossy("varchar ( 32 )", "VARCHAR(32)", false);
	/* text */
	lossy("VARCHAR(64)", "VARCHAR(32)", true);
	lossy("VARCHAR(32)", "VARCHAR(64)", false);
	lossy("VARCHAR(32)", "TEXT", false);
	lossy("VARCHAR", "TEXT", false);
	lossy("TEXT", "VARCHAR(255)", true);
	lossy("CHAR(10)", "VARCHAR(10)", false);
	lossy("TEXT", "INTEGER", true);
	lossy("VARCHAR(10)", "NUMERIC", true);
	/* integers */
	lossy("BIGINT", "INTEGER", true);
	lossy("BIGINT", "SMALLINT", true);
	lossy("INTEGER", "SMALLINT", true);
	lossy("INTEGER", "BIGINT", false);
	lossy("SMALLINT", "INT", false);
	lossy("INTEGER", "TEXT", false);
	lossy("INTEGER", "VARCHAR(5)", true);
	lossy("SMALLINT", "VARCHAR(6)", false);
	lossy("INTEGER", "NUMERIC", false);
	lossy("INTEGER", "NUMERIC(5)", true);
	lossy("INTEGER", "REAL", true);
	lossy("INTEGER", "DOUBLE PRECISION", false);
	/* numeric */
	lossy("NUMERIC(10,2)", "NUMERIC(8,2)", true);
	lossy("NUMERIC(10,2)", "NUMERIC(10,1)", true);
	lossy("NUMERIC(10,2)", "NUMERIC(12,2)", false);
	lossy("DECIMAL(10,2)", "NUMERIC(12,4)", false);
	lossy("NUMERIC", "NUMERIC(10,2)", true);
	lossy("NUMERIC(10,2)", "NUMERIC", false);
	lossy("NUMERIC(10,2)", "INTEGER", true);
	lossy("NUMERIC(5,0)", "INTEGER", false);
	/* floats */
	lossy("DOUBLE", "REAL", true);
	lossy("REAL", "DOUBLE PRECISION", false);
	lossy("REAL", "INTEGER", true);
	/* boolean */
	lossy("INTEGER", "BOOLEAN", true);
	lossy("TEXT", "BOOL", true);
	lossy("BOOLEAN", "INTEGER", false);
	/* dates */
	lossy("TIMESTAMP", "DATE", true);
	lossy("DATE", "TIMESTAMP", false);
	lossy("TIMESTAMP(6)", "TIMESTAMP(3)", true);
	lossy("TIMESTAMP", "TEXT", false);
	lossy("TIMESTAMP", "VARCHAR(10)", true);
	/* blobs and untyped */
	lossy("BLOB", "TEXT", true);
	lossy("TEXT", "BLOB", false);
	lossy(NULL, "INTEGER", true);
	lossy("INTEGER", NULL, false);
	lossy("JSON", "TEXT", false);
	lossy("JSON", "INTEGER", true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_normalize_type),
		cmocka_unit_test(test_normalize_default),
		cmocka_unit_test(test_normalize_expr),
		cmocka_unit_test(test_quote_ident),
		cmocka_unit_test(test_type_change_is_lossy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
