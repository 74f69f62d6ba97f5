/*
 * test_yaml.c - the YAML side of schema files: plain-scalar resolution
 * (YAML 1.2 core schema), the writer's quoting decisions, and round trips
 * of the every-feature sample and of strings chosen to trip a YAML writer.
 * (Loader error cases are golden files: tests/load/yaml_cases/.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "schemadiff/schemafile.h"
#include "load/yaml_reader.h"
#include "sample.h"

static int resolve(const char *s)
{
	return sd_yaml_resolve_plain(s, strlen(s));
}

static void test_resolve_plain(void **state)
{
	static const struct { const char *s; int type; } cases[] = {
		{ "", JSONR_NULL }, { "~", JSONR_NULL }, { "null", JSONR_NULL }, { "NULL", JSONR_NULL },
		{ "nULL", JSONR_STRING }, { "true", JSONR_TRUE }, { "True", JSONR_TRUE },
		{ "FALSE", JSONR_FALSE }, { "yes", JSONR_STRING }, { "no", JSONR_STRING },
		{ "on", JSONR_STRING }, { "0", JSONR_INTEGER }, { "-12", JSONR_INTEGER },
		{ "+7", JSONR_INTEGER }, { "0o17", JSONR_INTEGER }, { "0x1F", JSONR_INTEGER },
		{ "0o8", JSONR_STRING }, { "0b101", JSONR_STRING }, { "1_000", JSONR_STRING },
		{ "1.5", JSONR_REAL }, { "1.", JSONR_REAL }, { ".5", JSONR_REAL }, { "1e3", JSONR_REAL },
		{ "-2.5E-3", JSONR_REAL }, { ".inf", JSONR_REAL }, { "-.Inf", JSONR_REAL },
		{ ".NaN", JSONR_REAL }, { ".", JSONR_STRING }, { "e3", JSONR_STRING },
		{ "1e", JSONR_STRING }, { "1.2.3", JSONR_STRING }, { "12:30", JSONR_STRING },
		{ "INTEGER", JSONR_STRING }, { "VARCHAR(32)", JSONR_STRING }, { "-", JSONR_STRING },
	};

	(void)state;
	for (size_t i = 0; i < SD_ARRAY_LEN(cases); i++) {
		if (resolve(cases[i].s) != cases[i].type)
			fail_msg("\"%s\" resolves to %d, expected %d", cases[i].s, resolve(cases[i].s),
				 cases[i].type);
	}
}

/* A one-table schema whose column "c" has comment text, as YAML. */
static char *yaml_for_comment(const char *text)
{
	json_t *doc = json_pack("{s:[{s:s,s:[{s:s,s:s,s:s}]}]}", "tables", "name", "t", "columns",
				"name", "c", "type", "TEXT", "comment", text);
	char *json = json_dumps(doc, 0);
	sd_schema *s = NULL, *back = NULL;
	sd_error err = SD_ERROR_INIT;
	sd_str y = SD_STR_INIT, j1 = SD_STR_INIT, j2 = SD_STR_INIT;

	assert_non_null(json);
	assert_int_equal(sd_schema_from_json(&s, json, strlen(json), "t.json", &err), 0);
	sd_schema_to_yaml(&y, s);
	if (sd_schema_from_yaml(&back, y.ptr, y.len, "t.yaml", &err) < 0) {
		sd_str msg = SD_STR_INIT;
		sd_error_format(&err, &msg);
		fail_msg("the YAML for %s does not load:\n%s%s", json, y.ptr, msg.ptr);
	}
	sd_schema_to_json(&j1, s);
	sd_schema_to_json(&j2, back);
	if (strcmp(j1.ptr, j2.ptr) != 0)
		fail_msg("the YAML for %s loads differently:\n%s%s", json, y.ptr, j2.ptr);
	sd_schema_free(s);
	sd_schema_free(back);
	sd_str_release(&j1);
	sd_str_release(&j2);
	free(json);
	json_decref(doc);
	return sd_str_detach(&y);
}

/* The comment line of the YAML written for text. */
static void expect_comment(const char *text, const char *line)
{
	char *y = yaml_for_comment(text);
	sd_str want = SD_STR_INIT;

	sd_str_addf(&want, "        comment: %s\n", line);
	if (!strstr(y, want.ptr))
		fail_msg("comment %s written as:\n%s\nexpected line: %s", text, y, want.ptr);
	free(y);
	sd_str_release(&want);
}

static void test_writer_quoting(void **state)
{
	(void)state;
	expect_comment("plain text", "plain text");
	expect_comment("VARCHAR(32)", "VARCHAR(32)");
	expect_comment("length(name)<=32", "length(name)<=32");
	expect_comment("größe", "größe");
	expect_comment("a, b [c]", "a, b [c]");
	expect_comment("true", "'true'");
	expect_comment("Yes", "'Yes'");
	expect_comment("off", "'off'");
	expect_comment("null", "'null'");
	expect_comment("~", "'~'");
	expect_comment("", "''");
	expect_comment("0", "'0'");
	expect_comment("1.5", "'1.5'");
	expect_comment("1_000", "'1_000'");
	expect_comment("12:30", "'12:30'");
	expect_comment(".inf", "'.inf'");
	expect_comment("a: b", "'a: b'");
	expect_comment("a #b", "'a #b'");
	expect_comment("#b", "'#b'");
	expect_comment("ends:", "'ends:'");
	expect_comment("- x", "'- x'");
	expect_comment("*x", "'*x'");
	expect_comment("&x", "'&x'");
	expect_comment("!x", "'!x'");
	expect_comment("%x", "'%x'");
	expect_comment("@x", "'@x'");
	expect_comment("`x", "'`x'");
	expect_comment("{x}", "'{x}'");
	expect_comment(" lead", "' lead'");
	expect_comment("trail ", "'trail '");
	expect_comment("'abc'", "\"'abc'\"");
	expect_comment("it's \"x\"", "it's \"x\"");
	expect_comment("'x' and \"y\"", "'''x'' and \"y\"'");
	expect_comment("a\tb", "\"a\\tb\"");
	expect_comment("a\rb", "\"a\\rb\"");
	expect_comment("a\xC2\x85" "b", "\"a\\Nb\"");
	expect_comment("two\nlines", "|-");
	expect_comment("two\nlines\n", "|");
	expect_comment(" lead\nx", "\" lead\\nx\"");
	expect_comment("x\n\n", "\"x\\n\\n\"");
	expect_comment("x\n  \ny", "\"x\\n  \\ny\"");
}

/* Strings a YAML writer can get wrong, each through a round trip (yaml_for_comment checks). */
static void test_round_trip_strings(void **state)
{
	static const char *const texts[] = {
		"---", "...", "--- x", "? x", ": x", "x:", "x :y", "a\\b", "\"", "'", "''", "\\n",
		"a\n b\n  c", "SELECT 1\nFROM t -- comment\n", "#!", "|", ">", "- ", "[", "]", ",",
		"x # y", "x#y", "0x10", "0o7", "+1", "-1", "1e3", "1E3", ".5", "TRUE", "Null",
		"NULL", "n", "Y", "\xE2\x80\xA8", "\xEF\xBB\xBF" "x", "tab\tinside", "\ttab first",
		"line\n\ttabbed\n", "CHECK (a IN ('x', 'y'))", "emoji \xF0\x9F\x98\x80",
		"  indented\nfirst", "last line  \nspaces", "a\n\nb", "\nleading newline",
	};

	(void)state;
	for (size_t i = 0; i < SD_ARRAY_LEN(texts); i++)
		free(yaml_for_comment(texts[i]));
}

/* The every-feature sample: JSON -> YAML -> model -> JSON is the identity, and YAML is stable. */
static void test_sample_round_trip(void **state)
{
	sd_schema *s = sample_schema(), *back = NULL, *again = NULL;
	sd_error err = SD_ERROR_INIT;
	sd_str y = SD_STR_INIT, y2 = SD_STR_INIT, j1 = SD_STR_INIT, j2 = SD_STR_INIT;

	(void)state;
	sd_schema_to_yaml(&y, s);
	if (sd_schema_from_yaml(&back, y.ptr, y.len, "sample.yaml", &err) < 0) {
		sd_str msg = SD_STR_INIT;
		sd_error_format(&err, &msg);
		fail_msg("%s%s", y.ptr, msg.ptr);
	}
	sd_schema_to_json(&j1, s);
	sd_schema_to_json(&j2, back);
	assert_string_equal(j1.ptr, j2.ptr);
	sd_schema_to_yaml(&y2, back);
	assert_string_equal(y.ptr, y2.ptr);
	assert_int_equal(sd_schema_from_yaml(&again, y2.ptr, y2.len, "sample.yaml", &err), 0);
	sd_schema_free(s);
	sd_schema_free(back);
	sd_schema_free(again);
	sd_str_release(&y);
	sd_str_release(&y2);
	sd_str_release(&j1);
	sd_str_release(&j2);
}

/* Aliases replay their anchor; a replayed value's errors point at the alias. */
static void test_alias_positions(void **state)
{
	static const char text[] =
		"tables:\n"
		"  - name: a\n"
		"    columns: [{name: id, type: INTEGER}]\n"
		"    indexes: [{name: ix, columns: &ixcols [id]}]\n"
		"  - name: b\n"
		"    columns: [{name: other, type: INTEGER}]\n"
		"    indexes: [{name: ix, columns: *ixcols}]\n";
	sd_schema *s = NULL;
	sd_error err = SD_ERROR_INIT;
	sd_str msg = SD_STR_INIT;

	(void)state;
	assert_int_equal(sd_schema_from_yaml(&s, text, sizeof(text) - 1, "x.yaml", &err), SD_EINPUT);
	sd_error_format(&err, &msg);
	assert_string_equal(msg.ptr, "error: x.yaml:7:35: tables[1].indexes[0].columns[0]: "
			    "no column \"id\" in table \"b\"\n");
	sd_error_clear(&err);
	sd_str_release(&msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve_plain),
		cmocka_unit_test(test_writer_quoting),
		cmocka_unit_test(test_round_trip_strings),
		cmocka_unit_test(test_sample_round_trip),
		cmocka_unit_test(test_alias_positions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
