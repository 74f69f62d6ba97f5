/*
 * test_error.c - the error value: the first error wins, sd_error_format's
 * exact layout with and without each location part, clear.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "schemadiff/error.h"

static void assert_format(const sd_error *err, const char *expect)
{
	sd_str out = SD_STR_INIT;

	sd_error_format(err, &out);
	assert_string_equal(out.ptr, expect);
	assert_int_equal(out.len, strlen(expect));
	sd_str_release(&out);
}

static void test_first_error_wins(void **state)
{
	sd_error err = SD_ERROR_INIT;

	(void)state;
	assert_int_equal(sd_error_set(&err, SD_EIO, "cannot open \"%s\"", "a.json"), SD_EIO);
	assert_int_equal(err.code, SD_EIO);
	assert_string_equal(err.message, "cannot open \"a.json\"");
	/* a later failure on the way up returns its own code, changes nothing */
	assert_int_equal(sd_error_set(&err, SD_EINPUT, "something else"), SD_EINPUT);
	assert_int_equal(sd_error_set_at(&err, SD_EDB, "db", 1, 2, "t.c", "third"), SD_EDB);
	assert_int_equal(err.code, SD_EIO);
	assert_string_equal(err.message, "cannot open \"a.json\"");
	assert_null(err.source);
	assert_int_equal(err.line, 0);
	assert_int_equal(err.column, 0);

	/* a path may be added where the failure site had none, but only once */
	sd_error_set_path(&err, "tables[2]");
	sd_error_set_path(&err, "tables[9]");
	assert_string_equal(err.path, "tables[2]");
	sd_error_set_detail(&err, "first %d", 1);
	sd_error_set_detail(&err, "second");
	sd_error_set_hint(&err, "try %s", "--help");
	sd_error_set_hint(&err, "other");
	assert_string_equal(err.detail, "first 1");
	assert_string_equal(err.hint, "try --help");
	sd_error_clear(&err);

	/* a path given at the failure site is kept */
	sd_error_set_at(&err, SD_EINPUT, "s.json", 3, 4, "t.c", "bad");
	sd_error_set_path(&err, "u.d");
	assert_string_equal(err.path, "t.c");
	sd_error_clear(&err);
}

static void test_null_err(void **state)
{
	(void)state;
	assert_int_equal(sd_error_set(NULL, SD_EIO, "x"), SD_EIO);
	assert_int_equal(sd_error_set_at(NULL, SD_EINPUT, "f", 1, 1, "p", "x"), SD_EINPUT);
	sd_error_set_detail(NULL, "x");
	sd_error_set_hint(NULL, "x");
	sd_error_set_path(NULL, "x");
	sd_error_clear(NULL);
}

static void test_format_full(void **state)
{
	sd_error err = SD_ERROR_INIT;
	char source[] = "schema.json";

	(void)state;
	sd_error_set_at(&err, SD_EINPUT, source, 12, 7, "tables[0].columns[1].type",
			"expected a string, got %s", "an array");
	source[0] = 'X'; /* the error keeps its own copy */
	sd_error_set_detail(&err, "the value was [1, 2]");
	sd_error_set_hint(&err, "write the type as \"%s\"", "INTEGER");
	assert_string_equal(err.source, "schema.json");
	assert_int_equal(err.line, 12);
	assert_int_equal(err.column, 7);
	assert_format(&err,
		      "error: schema.json:12:7: tables[0].columns[1].type: expected a string, got an array\n"
		      "detail: the value was [1, 2]\n"
		      "hint: write the type as \"INTEGER\"\n");
	sd_error_clear(&err);
}

static void test_format_parts(void **state)
{
	sd_error err = SD_ERROR_INIT;

	(void)state;
	/* no line: no numbers at all */
	sd_error_set_at(&err, SD_EINPUT, "a.yaml", 0, 0, "users.id", "duplicate column \"id\"");
	assert_format(&err, "error: a.yaml: users.id: duplicate column \"id\"\n");
	sd_error_clear(&err);

	/* line without column */
	sd_error_set_at(&err, SD_EINPUT, "a.yaml", 5, 0, NULL, "bad indentation");
	assert_format(&err, "error: a.yaml:5: bad indentation\n");
	sd_error_clear(&err);

	/* no source */
	sd_error_set_at(&err, SD_EINPUT, NULL, 0, 0, "t.c", "unknown type");
	assert_format(&err, "error: t.c: unknown type\n");
	sd_error_clear(&err);

	/* no path */
	sd_error_set_at(&err, SD_EINPUT, "x.json", 1, 2, NULL, "unexpected token");
	assert_format(&err, "error: x.json:1:2: unexpected token\n");
	sd_error_clear(&err);

	/* nothing but the message, plus only a hint */
	sd_error_set(&err, SD_EEXISTS, "refusing to overwrite \"%s\"", "rev.py");
	sd_error_set_hint(&err, "pass --force");
	assert_format(&err, "error: refusing to overwrite \"rev.py\"\nhint: pass --force\n");
	sd_error_clear(&err);

	/* only a detail */
	sd_error_set(&err, SD_EDB, "query failed");
	sd_error_set_detail(&err, "SELECT 1");
	assert_format(&err, "error: query failed\ndetail: SELECT 1\n");
	sd_error_clear(&err);
}

static void test_clear(void **state)
{
	sd_error err = SD_ERROR_INIT;

	(void)state;
	sd_error_set_at(&err, SD_EVERIFY, "src", 1, 1, "p", "m");
	sd_error_set_detail(&err, "d");
	sd_error_set_hint(&err, "h");
	sd_error_clear(&err); /* ASan/valgrind report anything not freed */
	assert_int_equal(err.code, 0);
	assert_null(err.source);
	assert_null(err.path);
	assert_null(err.message);
	assert_null(err.detail);
	assert_null(err.hint);
	assert_int_equal(err.line, 0);
	assert_int_equal(err.column, 0);
	/* usable again: the next error is the first one */
	sd_error_set(&err, SD_EINTERNAL, "second life");
	assert_int_equal(err.code, SD_EINTERNAL);
	assert_string_equal(err.message, "second life");
	sd_error_clear(&err);
	sd_error_clear(&err); /* twice is fine */
}

static void test_long_message(void **state)
{
	sd_error err = SD_ERROR_INIT;
	char *big = xmalloc(70001);

	(void)state;
	memset(big, 'q', 70000);
	big[70000] = '\0';
	sd_error_set(&err, SD_EINPUT, "value \"%s\" too long", big);
	assert_int_equal(strlen(err.message), 70000 + 17);
	assert_memory_equal(err.message + 7, big, 70000);
	sd_error_clear(&err);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_error_wins),
		cmocka_unit_test(test_null_err),
		cmocka_unit_test(test_format_full),
		cmocka_unit_test(test_format_parts),
		cmocka_unit_test(test_clear),
		cmocka_unit_test(test_long_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
