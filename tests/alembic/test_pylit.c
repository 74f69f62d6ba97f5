/*
 * test_pylit.c - the Python-literal escaper, checked against the rules of
 * Python 3 string literals (repr-style quoting, escapes, UTF-8 kept,
 * invalid UTF-8 replaced).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "emit/pylit.h"

static void expect_str(const char *in, const char *want)
{
	sd_str out = SD_STR_INIT;

	sd_py_str(&out, in);
	assert_string_equal(out.ptr, want);
	sd_str_release(&out);
}

static void expect_doc(const char *in, const char *want)
{
	sd_str out = SD_STR_INIT;

	sd_py_docstring(&out, in);
	assert_string_equal(out.ptr, want);
	sd_str_release(&out);
}

static void test_quotes(void **state)
{
	(void)state;
	expect_str("abc", "'abc'");
	expect_str("", "''");
	expect_str(NULL, "None");
	expect_str("it's", "\"it's\"");
	expect_str("say \"hi\"", "'say \"hi\"'");
	expect_str("both ' and \"", "'both \\' and \"'");
	expect_str("ck \"quoted\" name", "'ck \"quoted\" name'");
}

static void test_escapes(void **state)
{
	(void)state;
	expect_str("a\\b", "'a\\\\b'");
	expect_str("line1\nline2\r\t", "'line1\\nline2\\r\\t'");
	expect_str("\x01\x1f\x7f", "'\\x01\\x1f\\x7f'");
	expect_str("\xc2\x85", "'\\x85'");               /* U+0085 NEL */
	expect_str("a\xe2\x80\xa8" "b", "'a\\u2028b'");  /* LINE SEPARATOR */
}

static void test_unicode(void **state)
{
	(void)state;
	expect_str("größe", "'größe'");
	expect_str("\xf0\x9f\x98\x80", "'\xf0\x9f\x98\x80'");
	expect_str("a\xff" "b", "'a\xef\xbf\xbd" "b'");         /* stray byte */
	expect_str("\xc3", "'\xef\xbf\xbd'");                  /* truncated */
	expect_str("\xc0\xaf", "'\xef\xbf\xbd\xef\xbf\xbd'");  /* overlong */
	expect_str("\xed\xa0\x80", "'\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd'"); /* surrogate */
}

static void test_docstring(void **state)
{
	(void)state;
	expect_doc("plain message", "plain message");
	expect_doc("two\nlines", "two\nlines");
	expect_doc("ends with \"", "ends with \\\"");
	expect_doc("has \"\"\" inside", "has \\\"\\\"\" inside");
	expect_doc("one \"quote\" ok", "one \"quote\" ok");
	expect_doc("back\\slash", "back\\\\slash");
	expect_doc("tab\there", "tab\\there");
	expect_doc(NULL, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_unicode),
		cmocka_unit_test(test_docstring),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
