/*
 * test_jsonr.c - the streaming JSON reader (jsonr.c) against RFC 8259:
 * tokens, escapes and surrogate pairs, UTF-8 validation, numbers, literals,
 * nesting, positions; and the streaming schema loader on what a tree-based
 * loader got for free: keys in any order, checks that wait for the table's
 * name and columns, syntax errors later in the file winning over model errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "schemadiff/schemafile.h"
#include "load/jsonr.h"
#include "sample.h"

/* ---- the reader ---------------------------------------------------------- */

/* All tokens of text as "TYPE:text" words; the error message at the end. */
static char *tokens(const char *text, size_t len)
{
	static const char *const names[] = {
		"eof", "{", "}", "[", "]", "key", "str", "int", "real", "true", "false", "null"
	};
	sd_str out = SD_STR_INIT;
	jsonr r;
	jsonr_token tok;

	jsonr_init(&r, text, len);
	for (;;) {
		jsonr_type t = jsonr_next(&r, &tok);
		if (out.len)
			sd_str_addch(&out, ' ');
		if (t == JSONR_ERROR) {
			size_t off;
			int line;
			const char *msg = jsonr_error(&r, &off, &line);
			sd_str_addf(&out, "ERROR@%d:%d: %s", line, jsonr_column(&r, off), msg);
			break;
		}
		sd_str_add(&out, names[t]);
		if (tok.str)
			sd_str_addf(&out, ":%.*s", (int)tok.len, tok.str);
		if (t == JSONR_EOF)
			break;
	}
	jsonr_release(&r);
	return sd_str_detach(&out);
}

static void expect_tokens(const char *text, const char *expected)
{
	char *got = tokens(text, strlen(text));

	if (strcmp(got, expected) != 0)
		fail_msg("input: %s\nexpected: %s\ngot:      %s", text, expected, got);
	free(got);
}

static void test_tokens(void **state)
{
	(void)state;
	expect_tokens("{\"a\": [1, -0, 2.5e+3, -1E-2, true, false, null, \"x\"], \"b\": {}}",
		      "{ key:a [ int:1 int:-0 real:2.5e+3 real:-1E-2 true false null str:x ] "
		      "key:b { } } eof");
	expect_tokens(" \t\r\n\"top\" \n", "str:top eof");
	expect_tokens("[]", "[ ] eof");
	expect_tokens("[[[]],{}]", "[ [ [ ] ] { } ] eof");
	expect_tokens("0", "int:0 eof");
	expect_tokens("{\"\": \"\"}", "{ key: str: } eof");
}

static void test_escapes(void **state)
{
	static const char text[] = "[\"plain\", \"\\\"\\\\\\/\\b\\f\\n\\r\\t\", \"caf\\u00e9 \\u20AC\","
				   " \"\\ud83d\\ude00!\", \"é€😀\"]";
	jsonr r;
	jsonr_token tok;

	(void)state;
	jsonr_init(&r, text, strlen(text));
	assert_int_equal(jsonr_next(&r, &tok), JSONR_ARRAY);
	assert_int_equal(jsonr_next(&r, &tok), JSONR_STRING);
	/* zero-copy: an unescaped string points into the text */
	assert_ptr_equal(tok.str, text + 2);
	assert_int_equal(tok.len, 5);
	assert_int_equal(jsonr_next(&r, &tok), JSONR_STRING);
	assert_int_equal(tok.len, 8);
	assert_memory_equal(tok.str, "\"\\/\b\f\n\r\t", 8);
	assert_true(tok.str < text || tok.str >= text + sizeof(text));
	assert_int_equal(jsonr_next(&r, &tok), JSONR_STRING);
	assert_int_equal(tok.len, strlen("café €"));
	assert_memory_equal(tok.str, "café €", tok.len);
	assert_int_equal(jsonr_next(&r, &tok), JSONR_STRING);
	assert_int_equal(tok.len, 5);
	assert_memory_equal(tok.str, "\xF0\x9F\x98\x80!", 5);
	assert_int_equal(jsonr_next(&r, &tok), JSONR_STRING);
	assert_int_equal(tok.len, strlen("é€😀"));
	assert_memory_equal(tok.str, "é€😀", tok.len);
	assert_int_equal(jsonr_next(&r, &tok), JSONR_ARRAY_END);
	assert_int_equal(jsonr_next(&r, &tok), JSONR_EOF);
	assert_int_equal(jsonr_next(&r, &tok), JSONR_EOF);
	jsonr_release(&r);
}

static void test_syntax_errors(void **state)
{
	(void)state;
	expect_tokens("", "ERROR@1:1: expected a value, got end of file");
	expect_tokens("{", "{ ERROR@1:2: expected a string (an object key) or '}', got end of file");
	expect_tokens("{\"a\":1,}", "{ key:a int:1 ERROR@1:8: expected a string (an object key), got '}'");
	expect_tokens("[1,]", "[ int:1 ERROR@1:4: expected a value, got ']'");
	expect_tokens("[,", "[ ERROR@1:2: expected a value or ']', got ','");
	expect_tokens("[1 2]", "[ int:1 ERROR@1:4: expected ',' or ']', got '2'");
	expect_tokens("{\"a\" 1}", "{ ERROR@1:6: expected ':', got '1'");
	expect_tokens("{\"a\":1]", "{ key:a int:1 ERROR@1:7: expected ',' or '}', got ']'");
	expect_tokens("{1:2}", "{ ERROR@1:2: expected a string (an object key) or '}', got '1'");
	expect_tokens("1 2", "int:1 ERROR@1:3: expected end of file after the top-level value, got '2'");
	expect_tokens("{} x", "{ } ERROR@1:4: expected end of file after the top-level value, got 'x'");
	expect_tokens("'a'", "ERROR@1:1: expected a value, got '''");
	expect_tokens("\x01", "ERROR@1:1: expected a value, got byte 0x01");
	/* numbers */
	expect_tokens("01", "ERROR@1:1: invalid number");
	expect_tokens("-", "ERROR@1:1: invalid number");
	expect_tokens("1.", "ERROR@1:1: invalid number");
	expect_tokens(".5", "ERROR@1:1: expected a value, got '.'");
	expect_tokens("+1", "ERROR@1:1: expected a value, got '+'");
	expect_tokens("1e", "ERROR@1:1: invalid number");
	expect_tokens("1e+", "ERROR@1:1: invalid number");
	expect_tokens("[1x]", "[ ERROR@1:2: invalid number");
	expect_tokens("0x10", "ERROR@1:1: invalid number");
	/* literals */
	expect_tokens("tru", "ERROR@1:1: invalid literal \"tru\"");
	expect_tokens("nulls", "ERROR@1:1: invalid literal \"nulls\"");
	expect_tokens("True", "ERROR@1:1: expected a value, got 'T'");
	/* strings */
	expect_tokens("\"abc", "ERROR@1:1: unterminated string");
	expect_tokens("[\"a\\", "[ ERROR@1:2: unterminated string");
	expect_tokens("\"a\nb\"", "ERROR@1:3: control character 0x0a in a string (write it as an escape)");
	expect_tokens("\"\t\"", "ERROR@1:2: control character 0x09 in a string (write it as an escape)");
	expect_tokens("\"\\x\"", "ERROR@1:2: invalid escape '\\x' in a string");
	expect_tokens("\"\\u12\"", "ERROR@1:2: invalid \\u escape in a string (four hex digits expected)");
	expect_tokens("\"\\u12g4\"", "ERROR@1:2: invalid \\u escape in a string (four hex digits expected)");
	expect_tokens("\"\\ud800\"", "ERROR@1:2: invalid \\u escape in a string: unpaired surrogate \\uD800");
	expect_tokens("\"\\ud800\\u0041\"",
		      "ERROR@1:2: invalid \\u escape in a string: unpaired surrogate \\uD800");
	expect_tokens("\"\\udc00\"", "ERROR@1:2: invalid \\u escape in a string: unpaired surrogate \\uDC00");
	expect_tokens("\"x\\u0000\"", "ERROR@1:3: \\u0000 is not allowed in a string");
	/* UTF-8 (RFC 3629): overlong, surrogates, above U+10FFFF, truncated, stray */
	expect_tokens("\"\xC0\x80\"", "ERROR@1:2: invalid UTF-8 byte 0xc0 in a string");
	expect_tokens("\"\xE0\x80\x80\"", "ERROR@1:2: invalid UTF-8 byte 0xe0 in a string");
	expect_tokens("\"\xED\xA0\x80\"", "ERROR@1:2: invalid UTF-8 byte 0xed in a string");
	expect_tokens("\"\xF4\x90\x80\x80\"", "ERROR@1:2: invalid UTF-8 byte 0xf4 in a string");
	expect_tokens("\"\xF5\x80\x80\x80\"", "ERROR@1:2: invalid UTF-8 byte 0xf5 in a string");
	expect_tokens("\"\xE2\x82\"", "ERROR@1:2: invalid UTF-8 byte 0xe2 in a string");
	expect_tokens("\"a\x80\"", "ERROR@1:3: invalid UTF-8 byte 0x80 in a string");
	expect_tokens("\"\xEF\xBF\xBF\xF4\x8F\xBF\xBF\"", "str:\xEF\xBF\xBF\xF4\x8F\xBF\xBF eof");
	expect_tokens("\xC3\xA9", "ERROR@1:1: expected a value, got byte 0xc3");
	/* the error is sticky */
	{
		jsonr r;
		jsonr_token tok;
		jsonr_init(&r, "[}", 2);
		assert_int_equal(jsonr_next(&r, &tok), JSONR_ARRAY);
		assert_int_equal(jsonr_next(&r, &tok), JSONR_ERROR);
		assert_int_equal(jsonr_next(&r, &tok), JSONR_ERROR);
		jsonr_release(&r);
	}
}

static void test_positions(void **state)
{
	/* columns count characters, lines count '\n' in blanks and after keys */
	static const char text[] = "{\"é€\":\n  [1,\r\n\t\"ü\", x]}";
	char *got;

	(void)state;
	got = tokens(text, strlen(text));
	assert_string_equal(got, "{ key:é€ [ int:1 str:ü ERROR@3:7: expected a value, got 'x'");
	free(got);
	expect_tokens("{\"a\"\n\n:\n1}", "{ key:a int:1 } eof");
	expect_tokens("{\"a\"\n\n 1}", "{ ERROR@3:2: expected ':', got '1'");
	{
		jsonr r;
		jsonr_token tok;
		jsonr_init(&r, text, strlen(text));
		assert_int_equal(jsonr_next(&r, &tok), JSONR_OBJECT);
		assert_int_equal(jsonr_next(&r, &tok), JSONR_KEY);
		assert_int_equal(tok.off, 1);
		assert_int_equal(tok.line, 1);
		assert_int_equal(jsonr_next(&r, &tok), JSONR_ARRAY);
		assert_int_equal(tok.line, 2);
		assert_int_equal(jsonr_column(&r, tok.off), 3);
		assert_int_equal(jsonr_next(&r, &tok), JSONR_INTEGER);
		assert_int_equal(jsonr_next(&r, &tok), JSONR_STRING);
		assert_int_equal(tok.line, 3);
		assert_int_equal(jsonr_column(&r, tok.off), 2);
		jsonr_release(&r);
	}
}

static void test_nesting(void **state)
{
	char *text = malloc(2 * JSONR_MAX_DEPTH + 2);
	jsonr r;
	jsonr_token tok;
	size_t i, n = 0;

	(void)state;
	/* exactly the limit is fine */
	for (i = 0; i < JSONR_MAX_DEPTH; i++)
		text[n++] = '[';
	for (i = 0; i < JSONR_MAX_DEPTH; i++)
		text[n++] = ']';
	jsonr_init(&r, text, n);
	while ((i = (size_t)jsonr_next(&r, &tok)) != JSONR_EOF)
		assert_int_not_equal((int)i, JSONR_ERROR);
	jsonr_release(&r);
	/* one more is not */
	n = 0;
	for (i = 0; i <= JSONR_MAX_DEPTH; i++)
		text[n++] = '[';
	jsonr_init(&r, text, n);
	for (i = 0; i < JSONR_MAX_DEPTH; i++)
		assert_int_equal(jsonr_next(&r, &tok), JSONR_ARRAY);
	assert_int_equal(jsonr_next(&r, &tok), JSONR_ERROR);
	assert_non_null(strstr(jsonr_error(&r, NULL, NULL), "nesting deeper than"));
	jsonr_release(&r);
	free(text);
}

/* A string with every escape, checked against jansson's decoding. */
static void test_against_jansson(void **state)
{
	static const char *const docs[] = {
		"\"\\u0041\\u00DF\\u6771\\uD800\\uDC00\\uDBFF\\uDFFF\\/\"",
		"\"mixed ascii \\t and é \\\"quoted\\\" \\\\ end\"",
		"\"\\u007f\\u0080\\u07ff\\u0800\\uffff\"",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		json_error_t jerr;
		json_t *v = json_loads(docs[i], JSON_DECODE_ANY, &jerr);
		jsonr r;
		jsonr_token tok;

		assert_non_null(v);
		jsonr_init(&r, docs[i], strlen(docs[i]));
		assert_int_equal(jsonr_next(&r, &tok), JSONR_STRING);
		assert_int_equal(tok.len, json_string_length(v));
		assert_memory_equal(tok.str, json_string_value(v), tok.len);
		jsonr_release(&r);
		json_decref(v);
	}
}

/* ---- the streaming loader ------------------------------------------------- */

/* v with the keys of every object in reverse order (a new reference). */
static json_t *reversed(json_t *v)
{
	if (json_is_object(v)) {
		const char *keys[64];
		size_t n = 0;
		const char *k;
		json_t *x, *out = json_object();
		json_object_foreach(v, k, x) {
			assert_true(n < 64);
			keys[n++] = k;
		}
		while (n-- > 0)
			json_object_set_new(out, keys[n], reversed(json_object_get(v, keys[n])));
		return out;
	}
	if (json_is_array(v)) {
		json_t *out = json_array();
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x)
			json_array_append_new(out, reversed(x));
		return out;
	}
	return json_incref(v);
}

static void test_any_key_order(void **state)
{
	sd_schema *a = sample_schema(), *b = NULL;
	sd_str t1 = SD_STR_INIT, t2 = SD_STR_INIT;
	sd_error err = SD_ERROR_INIT;
	json_t *doc, *rev;
	char *text;

	(void)state;
	sd_schema_to_json(&t1, a);
	doc = json_loads(t1.ptr, 0, NULL);
	assert_non_null(doc);
	rev = reversed(doc);
	text = json_dumps(rev, JSON_INDENT(1));
	/* name comes after columns and indexes in every table now */
	assert_true(strstr(text, "\"indexes\"") < strstr(text, "\"columns\""));
	if (sd_schema_from_json(&b, text, strlen(text), "rev.json", &err) < 0) {
		sd_str m = SD_STR_INIT;
		sd_error_format(&err, &m);
		fail_msg("%s", m.ptr);
	}
	sd_schema_to_json(&t2, b);
	assert_string_equal(t1.ptr, t2.ptr);
	free(text);
	json_decref(doc);
	json_decref(rev);
	sd_str_release(&t1);
	sd_str_release(&t2);
	sd_schema_free(a);
	sd_schema_free(b);
}

static void expect_err(const char *text, const char *expected)
{
	sd_schema *s = NULL;
	sd_error err = SD_ERROR_INIT;
	sd_str msg = SD_STR_INIT;

	assert_int_equal(sd_schema_from_json(&s, text, strlen(text), "t.json", &err), SD_EINPUT);
	assert_null(s);
	sd_error_format(&err, &msg);
	if (strcmp(msg.ptr, expected) != 0)
		fail_msg("input: %s\nexpected:\n%sgot:\n%s", text, expected, msg.ptr);
	sd_str_release(&msg);
	sd_error_clear(&err);
}

static void test_deferred_checks(void **state)
{
	(void)state;
	/* columns after the index that names them: checked once they are known */
	expect_err("{\"tables\": [{\"indexes\": [{\"columns\": [\"a\", \"b\"], \"name\": \"i\"}],"
		   " \"columns\": [{\"name\": \"a\", \"type\": null}], \"name\": \"t\"}]}",
		   "error: t.json:1:44: tables[0].indexes[0].columns[1]: no column \"b\" in table \"t\"\n");
	expect_err("{\"tables\": [{\"name\": \"t\", \"primary_key\": {\"columns\": [\"a\"]},"
		   " \"unique_constraints\": [{\"columns\": [\"zz\"]}], \"columns\": [{\"name\": \"a\", \"type\": null}]}]}",
		   "error: t.json:1:98: tables[0].unique_constraints[0].columns[0]: no column \"zz\" in table \"t\"\n");
	expect_err("{\"tables\": [{\"columns\": [{\"name\": \"a\", \"type\": null}], \"indexes\": [{\"name\": \"i\","
		   " \"columns\": [{\"column\": \"q\"}]}], \"name\": \"t\"}]}",
		   "error: t.json:1:105: tables[0].indexes[0].columns[0].column: no column \"q\" in table \"t\"\n");
	/* duplicate index names, table name last */
	expect_err("{\"tables\": [{\"indexes\": [{\"name\": \"i\", \"columns\": [\"a\"]}, {\"name\": \"i\","
		   " \"columns\": [\"a\"]}], \"columns\": [{\"name\": \"a\", \"type\": null}], \"name\": \"t\"}]}",
		   "error: t.json:1:68: tables[0].indexes[1].name: duplicate index \"i\" in table \"t\"\n");
	/* the same in the writer's order: reported at the name, before the elements */
	expect_err("{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"a\", \"type\": null}], \"indexes\":"
		   " [{\"name\": \"i\", \"columns\": [\"a\"]}, {\"name\": \"i\", \"columns\": [\"nope\"]}]}]}",
		   "error: t.json:1:123: tables[0].indexes[1].name: duplicate index \"i\" in table \"t\"\n");
	/* fk column count with the fk before the columns */
	expect_err("{\"tables\": [{\"name\": \"t\", \"foreign_keys\": [{\"columns\": [\"a\"], \"referred_table\": \"u\","
		   " \"referred_columns\": [\"x\", \"y\"]}], \"columns\": [{\"name\": \"a\", \"type\": null}]}]}",
		   "error: t.json:1:106: tables[0].foreign_keys[0].referred_columns: 2 referred columns for 1 column\n");
	/* a missing "columns" is reported, not the column the PK names */
	expect_err("{\"tables\": [{\"primary_key\": {\"columns\": [\"zz\"]}, \"name\": \"t\"}]}",
		   "error: t.json:1:13: tables[0]: missing required key \"columns\"\n");
	/* duplicate table found at its end, at its name */
	expect_err("{\"tables\": [{\"columns\": [], \"name\": \"t\"}, {\"columns\": [], \"name\": \"t\"}]}",
		   "error: t.json:1:67: tables[1].name: duplicate table \"t\"\n");
	/* required keys of nested objects */
	expect_err("{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"a\", \"type\": \"X\","
		   " \"generated\": {\"stored\": true}}]}]}",
		   "error: t.json:1:79: tables[0].columns[0].generated: missing required key \"expression\"\n");
	expect_err("{\"tables\": [], \"triggers\": [{\"name\": \"g\", \"sql\": \"x\"}]}",
		   "error: t.json:1:29: triggers[0]: missing required key \"table\"\n");
}

static void test_error_precedence(void **state)
{
	(void)state;
	/* a syntax error later in the file wins over a model error before it */
	expect_err("{\"tables\": [{\"name\": \"t\"}],\n \"views\": [1,]}",
		   "error: t.json:2:14: invalid JSON: expected a value, got ']'\n");
	/* and so does a duplicate key, wherever it is */
	expect_err("{\"tables\": 5, \"x\": {\"a\": 1, \"b\": {\"a\": 2}, \"a\": 3}}",
		   "error: t.json:1:44: invalid JSON: duplicate key \"a\"\n");
	/* a duplicate key in an object the loader reads */
	expect_err("{\"tables\": [], \"tables\": []}",
		   "error: t.json:1:16: invalid JSON: duplicate key \"tables\"\n");
	/* without one, the model error stands */
	expect_err("{\"tables\": 5, \"x\": {\"a\": 1, \"b\": {\"a\": 2}}}",
		   "error: t.json:1:12: tables: expected an array, got an integer\n");
	expect_err("{\"tables\": []} {}",
		   "error: t.json:1:16: invalid JSON: expected end of file after the top-level value, got '{'\n");
	expect_err("{\"tables\": [], \"format\": \"schemadiff-ops/1\"}",
		   "error: t.json:1:26: format: unsupported format \"schemadiff-ops/1\"\n"
		   "hint: this is an op list (schemadiff diff --format json); a schema file has"
		   " \"format\": \"schemadiff/1\"\n");
}

/* Every prefix of a full file fails cleanly; every one-byte corruption loads or fails cleanly. */
static void test_truncated_and_corrupted(void **state)
{
	static const char subst[] = { '"', '\\', '{', '}', '[', ']', ',', ':', 'x', '\n', '\0', (char)0x80 };
	sd_schema *a = sample_schema(), *b;
	sd_str t = SD_STR_INIT;
	size_t end, i, k;

	(void)state;
	sd_schema_to_json(&t, a);
	end = (size_t)(strrchr(t.ptr, '}') - t.ptr);
	for (i = 0; i <= end; i++) {
		sd_error err = SD_ERROR_INIT;
		b = NULL;
		assert_int_equal(sd_schema_from_json(&b, t.ptr, i, "p.json", &err), SD_EINPUT);
		assert_null(b);
		assert_non_null(err.message);
		sd_error_clear(&err);
	}
	for (i = 0; i < t.len; i++) {
		char *copy = xmalloc(t.len);
		for (k = 0; k < sizeof(subst); k++) {
			sd_error err = SD_ERROR_INIT;
			int rc;
			memcpy(copy, t.ptr, t.len);
			copy[i] = subst[k];
			b = NULL;
			rc = sd_schema_from_json(&b, copy, t.len, "c.json", &err);
			assert_true(rc == 0 || rc == SD_EINPUT);
			assert_true((rc == 0) == (b != NULL));
			if (rc < 0)
				assert_non_null(err.message);
			sd_schema_free(b);
			sd_error_clear(&err);
		}
		free(copy);
	}
	sd_str_release(&t);
	sd_schema_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_against_jansson),
		cmocka_unit_test(test_any_key_order),
		cmocka_unit_test(test_deferred_checks),
		cmocka_unit_test(test_error_precedence),
		cmocka_unit_test(test_truncated_and_corrupted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
