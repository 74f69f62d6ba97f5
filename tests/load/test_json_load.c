/*
 * test_json_load.c - the schema file loader and writer: round trip of a
 * model using every feature, the writer's exact shape, defaults and
 * case-insensitive words on input, error positions and paths.
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
#include "sample.h"

/* ---- field-by-field equality ------------------------------------------- */

static void eq_str(const char *what, const char *a, const char *b)
{
	if (!sd_streq(a, b))
		fail_msg("%s: \"%s\" != \"%s\"", what, a ? a : "(null)", b ? b : "(null)");
}

static void eq_int(const char *what, long a, long b)
{
	if (a != b)
		fail_msg("%s: %ld != %ld", what, a, b);
}

static void eq_names(const char *what, const char *const *a, size_t na, const char *const *b,
		     size_t nb)
{
	eq_int(what, (long)na, (long)nb);
	for (size_t i = 0; i < na; i++)
		eq_str(what, a[i], b[i]);
}

static void eq_column(const sd_column *a, const sd_column *b)
{
	eq_str("column name", a->name, b->name);
	eq_str("column type", a->type, b->type);
	eq_int("nullable", a->nullable, b->nullable);
	eq_str("server_default", a->server_default, b->server_default);
	eq_int("autoincrement", a->autoincrement, b->autoincrement);
	eq_str("generated", a->generated, b->generated);
	eq_int("generated_stored", a->generated_stored, b->generated_stored);
	eq_str("column collation", a->collation, b->collation);
	eq_str("column comment", a->comment, b->comment);
}

static void eq_table(const sd_table *a, const sd_table *b)
{
	eq_str("table schema", a->schema, b->schema);
	eq_str("table name", a->name, b->name);
	eq_str("table comment", a->comment, b->comment);
	eq_int("ncolumns", (long)a->ncolumns, (long)b->ncolumns);
	for (size_t i = 0; i < a->ncolumns; i++)
		eq_column(a->columns[i], b->columns[i]);
	eq_int("has pk", a->pk != NULL, b->pk != NULL);
	if (a->pk) {
		eq_str("pk name", a->pk->name, b->pk->name);
		eq_names("pk columns", a->pk->columns, a->pk->ncolumns, b->pk->columns,
			 b->pk->ncolumns);
	}
	eq_int("nuniques", (long)a->nuniques, (long)b->nuniques);
	for (size_t i = 0; i < a->nuniques; i++) {
		eq_str("unique name", a->uniques[i]->name, b->uniques[i]->name);
		eq_names("unique columns", a->uniques[i]->columns, a->uniques[i]->ncolumns,
			 b->uniques[i]->columns, b->uniques[i]->ncolumns);
		eq_int("unique nulls_not_distinct", a->uniques[i]->nulls_not_distinct,
		       b->uniques[i]->nulls_not_distinct);
	}
	eq_int("nfks", (long)a->nfks, (long)b->nfks);
	for (size_t i = 0; i < a->nfks; i++) {
		const sd_foreign_key *x = a->fks[i], *y = b->fks[i];
		eq_str("fk name", x->name, y->name);
		eq_names("fk columns", x->columns, x->ncolumns, y->columns, y->ncolumns);
		eq_str("fk ref_schema", x->ref_schema, y->ref_schema);
		eq_str("fk ref_table", x->ref_table, y->ref_table);
		eq_names("fk ref_columns", x->ref_columns, x->nref_columns, y->ref_columns,
			 y->nref_columns);
		eq_str("on_delete", x->on_delete, y->on_delete);
		eq_str("on_update", x->on_update, y->on_update);
		eq_int("deferrable", x->deferrable, y->deferrable);
		eq_int("initially_deferred", x->initially_deferred, y->initially_deferred);
		eq_str("match", x->match, y->match);
	}
	eq_int("nchecks", (long)a->nchecks, (long)b->nchecks);
	for (size_t i = 0; i < a->nchecks; i++) {
		eq_str("check name", a->checks[i]->name, b->checks[i]->name);
		eq_str("check expression", a->checks[i]->expression, b->checks[i]->expression);
	}
	eq_int("nindexes", (long)a->nindexes, (long)b->nindexes);
	for (size_t i = 0; i < a->nindexes; i++) {
		const sd_index *x = a->indexes[i], *y = b->indexes[i];
		eq_str("index name", x->name, y->name);
		eq_int("index unique", x->unique, y->unique);
		eq_str("index where", x->where, y->where);
		eq_int("nelems", (long)x->nelems, (long)y->nelems);
		for (size_t j = 0; j < x->nelems; j++) {
			eq_str("elem column", x->elems[j]->column, y->elems[j]->column);
			eq_str("elem expression", x->elems[j]->expression, y->elems[j]->expression);
			eq_int("elem desc", x->elems[j]->desc, y->elems[j]->desc);
			eq_str("elem collation", x->elems[j]->collation, y->elems[j]->collation);
			eq_str("elem nulls", x->elems[j]->nulls, y->elems[j]->nulls);
			eq_str("elem opclass", x->elems[j]->opclass, y->elems[j]->opclass);
		}
	}
	eq_int("without_rowid", a->without_rowid, b->without_rowid);
	eq_int("strict", a->strict, b->strict);
}

static void eq_schema(const sd_schema *a, const sd_schema *b)
{
	eq_str("dialect", a->dialect, b->dialect);
	eq_int("ntables", (long)a->ntables, (long)b->ntables);
	for (size_t i = 0; i < a->ntables; i++)
		eq_table(a->tables[i], b->tables[i]);
	eq_int("nviews", (long)a->nviews, (long)b->nviews);
	for (size_t i = 0; i < a->nviews; i++) {
		eq_str("view schema", a->views[i]->schema, b->views[i]->schema);
		eq_str("view name", a->views[i]->name, b->views[i]->name);
		eq_str("view definition", a->views[i]->definition, b->views[i]->definition);
	}
	eq_int("ntriggers", (long)a->ntriggers, (long)b->ntriggers);
	for (size_t i = 0; i < a->ntriggers; i++) {
		eq_str("trigger schema", a->triggers[i]->schema, b->triggers[i]->schema);
		eq_str("trigger name", a->triggers[i]->name, b->triggers[i]->name);
		eq_str("trigger table", a->triggers[i]->table, b->triggers[i]->table);
		eq_str("trigger sql", a->triggers[i]->sql, b->triggers[i]->sql);
	}
}

/* ---- helpers ------------------------------------------------------------- */

static sd_schema *load_ok(const char *text)
{
	sd_schema *s = NULL;
	sd_error err = SD_ERROR_INIT;

	if (sd_schema_from_json(&s, text, strlen(text), "t.json", &err) < 0) {
		sd_str msg = SD_STR_INIT;
		sd_error_format(&err, &msg);
		fail_msg("unexpected error: %s", msg.ptr);
	}
	assert_non_null(s);
	return s;
}

/* Load text, expect failure, return the formatted message (caller frees). */
static char *load_err(const char *text)
{
	sd_schema *s = NULL;
	sd_error err = SD_ERROR_INIT;
	sd_str msg = SD_STR_INIT;

	assert_int_equal(sd_schema_from_json(&s, text, strlen(text), "t.json", &err), SD_EINPUT);
	assert_null(s);
	assert_int_equal(err.code, SD_EINPUT);
	sd_error_format(&err, &msg);
	sd_error_clear(&err);
	return sd_str_detach(&msg);
}

static void expect_err(const char *text, const char *expected)
{
	char *got = load_err(text);

	if (strcmp(got, expected) != 0)
		fail_msg("expected:\n%sgot:\n%s", expected, got);
	free(got);
}

/* ---- tests ---------------------------------------------------------------- */

static void test_roundtrip(void **state)
{
	sd_schema *a = sample_schema(), *b;
	sd_str t1 = SD_STR_INIT, t2 = SD_STR_INIT;

	(void)state;
	sd_schema_to_json(&t1, a);
	assert_true(t1.len > 0 && t1.ptr[t1.len - 1] == '\n');
	b = load_ok(t1.ptr);
	eq_schema(a, b);
	sd_schema_to_json(&t2, b);
	assert_string_equal(t1.ptr, t2.ptr);
	/* UTF-8 is written as is, not as \u escapes. */
	assert_non_null(strstr(t1.ptr, "\"ünïcode \\\"t\\\"\""));
	sd_str_release(&t1);
	sd_str_release(&t2);
	sd_schema_free(a);
	sd_schema_free(b);
}

static void test_writer_shape(void **state)
{
	static const char in[] =
		"{\"tables\": [{\"strict\": false, \"columns\": [{\"type\": \"INT\", \"name\": \"a\","
		" \"autoincrement\": \"auto\", \"generated\": null},"
		" {\"name\": \"b\", \"type\": null, \"nullable\": false, \"default\": \"'x'\"}],"
		" \"name\": \"t\", \"schema\": null, \"unique_constraints\": [],"
		" \"indexes\": [{\"name\": \"ix\", \"unique\": false, \"columns\": [{\"column\": \"a\"},"
		" {\"expression\": \"b || 'é'\", \"desc\": true, \"nulls\": \"LAST\"}]}],"
		" \"foreign_keys\": [{\"columns\": [\"a\"], \"referred_table\": \"u\","
		" \"referred_columns\": [], \"initially\": \"immediate\", \"on_delete\": \"set null\"}]}],"
		" \"format\": \"schemadiff/1\", \"views\": []}";
	static const char expected[] =
		"{\n"
		"  \"format\": \"schemadiff/1\",\n"
		"  \"tables\": [\n"
		"    {\n"
		"      \"name\": \"t\",\n"
		"      \"columns\": [\n"
		"        {\n"
		"          \"name\": \"a\",\n"
		"          \"type\": \"INT\",\n"
		"          \"nullable\": true\n"
		"        },\n"
		"        {\n"
		"          \"name\": \"b\",\n"
		"          \"type\": null,\n"
		"          \"nullable\": false,\n"
		"          \"default\": \"'x'\"\n"
		"        }\n"
		"      ],\n"
		"      \"foreign_keys\": [\n"
		"        {\n"
		"          \"columns\": [\n"
		"            \"a\"\n"
		"          ],\n"
		"          \"referred_table\": \"u\",\n"
		"          \"referred_columns\": [],\n"
		"          \"on_delete\": \"SET NULL\"\n"
		"        }\n"
		"      ],\n"
		"      \"indexes\": [\n"
		"        {\n"
		"          \"name\": \"ix\",\n"
		"          \"columns\": [\n"
		"            \"a\",\n"
		"            {\n"
		"              \"expression\": \"b || 'é'\",\n"
		"              \"desc\": true,\n"
		"              \"nulls\": \"last\"\n"
		"            }\n"
		"          ]\n"
		"        }\n"
		"      ]\n"
		"    }\n"
		"  ]\n"
		"}\n";
	sd_schema *s = load_ok(in);
	sd_str out = SD_STR_INIT;

	(void)state;
	sd_schema_to_json(&out, s);
	if (strcmp(out.ptr, expected) != 0)
		fail_msg("got:\n%s", out.ptr);
	sd_str_release(&out);
	sd_schema_free(s);
}

/* jansson's dump of the tree writer's value: what the text writer must print, byte for byte. */
static void same_as_jansson(const sd_schema *s)
{
	json_t *tree = sd_json_from_schema(s);
	char *want = json_dumps(tree, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	sd_str got = SD_STR_INIT;

	assert_non_null(want);
	sd_schema_to_json(&got, s);
	assert_true(got.len > 0 && got.ptr[got.len - 1] == '\n');
	got.ptr[--got.len] = '\0';
	if (strcmp(got.ptr, want) != 0)
		fail_msg("text writer:\n%s\njansson:\n%s", got.ptr, want);
	free(want);
	json_decref(tree);
	sd_str_release(&got);
}

static void test_writer_matches_jansson(void **state)
{
	sd_schema *s = sample_schema();
	sd_error err = SD_ERROR_INIT;
	sd_table *t;
	sd_column *c;
	sd_enum *e;
	sd_sequence *q;

	(void)state;
	same_as_jansson(s);
	sd_schema_free(s);

	/* every escape, bytes that are not UTF-8, empty lists, enums and sequences */
	s = sd_schema_new("postgresql", "escapes");
	t = sd_schema_add_table(s, "sch", "t\x01\x1f\x7f\b\f\n\r\t\"\\/end");
	t->comment = sd_schema_strdup(s, "bad \xff\xfe bytes \xc3 and \xe2\x82 cut, \xed\xa0\x80 surrogate, "
				      "\xc0\xaf overlong, \xf4\x90\x80\x80 too big, ok \xf0\x9f\x98\x80 \xe2\x9c\x93");
	c = sd_table_add_column(s, t, "c\x02");
	c->type = sd_schema_strdup(s, "text");
	c->server_default = sd_schema_strdup(s, "'\x1b[0m'::text");
	c->comment = sd_schema_strdup(s, "\xc3\xa9t\xc3\xa9\x80");
	sd_schema_add_table(s, NULL, "no columns");
	e = sd_schema_add_enum(s, NULL, "mood");
	sd_names_push(s, &e->values, &e->nvalues, "sad \"x\"");
	sd_names_push(s, &e->values, &e->nvalues, "h\xc3\xa4ppy");
	sd_schema_add_enum(s, "sch", "empty");
	q = sd_schema_add_sequence(s, NULL, "seq");
	q->type = sd_schema_strdup(s, "integer");
	q->start = sd_schema_strdup(s, "-5");
	q->cycle = true;
	q->owned_by = sd_schema_strdup(s, "t.a");
	assert_int_equal(sd_schema_finish(s, &err), 0);
	same_as_jansson(s);
	sd_schema_free(s);

	/* nothing at all */
	s = sd_schema_new("sqlite", "empty");
	assert_int_equal(sd_schema_finish(s, &err), 0);
	same_as_jansson(s);
	sd_schema_free(s);
}

static void test_defaults_and_words(void **state)
{
	sd_schema *s = load_ok(
		"\xEF\xBB\xBF{\"dialect\": \"postgresql\", \"tables\": [{\"name\": \"t\", \"columns\": ["
		"{\"name\": \"a\", \"type\": \"INT\"}, {\"name\": \"b\", \"type\": \"INT\","
		" \"autoincrement\": false, \"nullable\": null}],"
		" \"foreign_keys\": [{\"columns\": [\"a\"], \"referred_table\": \"t\","
		" \"referred_columns\": [\"b\"], \"on_delete\": \"cascade\", \"on_update\": \"No Action\","
		" \"initially\": \"deferred\", \"match\": \"partial\"}],"
		" \"indexes\": [{\"name\": \"i\", \"columns\": [{\"column\": \"a\", \"nulls\": \"First\"}]}]}]}");
	const sd_table *t;

	(void)state;
	eq_str("dialect", s->dialect, "postgresql");
	assert_int_equal(s->ntables, 1);
	t = s->tables[0];
	assert_true(t->columns[0]->nullable);
	assert_int_equal(t->columns[0]->autoincrement, SD_AUTOINC_AUTO);
	assert_true(t->columns[1]->nullable);
	assert_int_equal(t->columns[1]->autoincrement, SD_AUTOINC_FALSE);
	eq_str("on_delete", t->fks[0]->on_delete, "CASCADE");
	eq_str("on_update", t->fks[0]->on_update, "NO ACTION");
	assert_true(t->fks[0]->initially_deferred);
	eq_str("match", t->fks[0]->match, "PARTIAL");
	eq_str("nulls", t->indexes[0]->elems[0]->nulls, "FIRST");
	assert_null(t->pk);
	assert_int_equal(s->nviews, 0);
	sd_schema_free(s);
}

static void test_error_positions(void **state)
{
	(void)state;
	/* an unknown key spelled with an escape is found at the key */
	expect_err("{\"tables\": [\n  {\"name\": \"t\",\n   \"columns\": [{\"name\": \"a\", \"type\": \"x\",\n"
		   "     \"n\\u0075lable\": true}]}]}",
		   "error: t.json:4:6: tables[0].columns[0]: unknown key \"nulable\"\n"
		   "hint: did you mean \"nullable\"?\n");
	/* columns count UTF-8 characters, not bytes */
	expect_err("{\"tables\": [{\"name\": \"été\", \"columns\": [{\"name\": \"a\", \"type\": 5}]}]}",
		   "error: t.json:1:63: tables[0].columns[0].type: expected a string or null, got an integer\n");
	/* a string holding brackets and escaped quotes does not confuse the scanner */
	expect_err("{\"views\": [{\"name\": \"v\", \"definition\": \"[{\\\"]}\"}, {\"name\": \"\", \"definition\": \"x\"}],"
		   " \"tables\": []}",
		   "error: t.json:1:60: views[1].name: expected a non-empty string\n");
	expect_err("{\"tables\": [{\"columns\": []}]}",
		   "error: t.json:1:13: tables[0]: missing required key \"name\"\n");
	expect_err("[1]", "error: t.json:1:1: expected an object at the top level, got an array\n");
	expect_err("{\"tables\": [], \"format\": \"schemadiff/2\"}",
		   "error: t.json:1:26: format: unsupported format \"schemadiff/2\"\n"
		   "hint: this version reads \"schemadiff/1\"\n");
	expect_err("{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"a\", \"type\": \"x\","
		   " \"autoincrement\": \"yes\"}]}]}",
		   "error: t.json:1:83: tables[0].columns[0].autoincrement: invalid value \"yes\": expected true, false or \"auto\"\n");
	expect_err("{\"tables\": [{\"name\": \"t\", \"columns\": [], \"indexes\": [{\"name\": \"i\", \"columns\": [{}]}]}]}",
		   "error: t.json:1:80: tables[0].indexes[0].columns[0]: an index element needs \"column\" or \"expression\"\n");
}

/* PostgreSQL keys: operator classes and a unique constraint's NULLS NOT DISTINCT. */
static void test_pg_index_keys(void **state)
{
	static const char in[] =
		"{\"format\": \"schemadiff/1\", \"dialect\": \"postgresql\", \"tables\": [{\"name\": \"t\","
		" \"columns\": [{\"name\": \"a\", \"type\": \"text\"}, {\"name\": \"b\", \"type\": \"text\"}],"
		" \"unique_constraints\": [{\"name\": \"u_a\", \"columns\": [\"a\"], \"nulls_not_distinct\": true},"
		" {\"name\": \"u_b\", \"columns\": [\"b\"], \"nulls_not_distinct\": false}],"
		" \"indexes\": [{\"name\": \"ix\", \"columns\": [{\"column\": \"a\", \"opclass\": \"text_pattern_ops\"},"
		" {\"expression\": \"lower(b)\", \"desc\": true, \"opclass\": \"ext.\\\"My Ops\\\"\"},"
		" {\"column\": \"b\", \"opclass\": null}]}]}]}";
	sd_schema *a = load_ok(in), *b;
	const sd_table *t = a->tables[0];
	sd_str t1 = SD_STR_INIT, t2 = SD_STR_INIT;

	(void)state;
	assert_true(t->uniques[0]->nulls_not_distinct);
	assert_false(t->uniques[1]->nulls_not_distinct);
	assert_string_equal(t->indexes[0]->elems[0]->opclass, "text_pattern_ops");
	assert_string_equal(t->indexes[0]->elems[1]->opclass, "ext.\"My Ops\"");
	assert_null(t->indexes[0]->elems[2]->opclass);
	sd_schema_to_json(&t1, a);
	/* written only when set: the plain column stays a string, no false NND */
	assert_non_null(strstr(t1.ptr, "\"opclass\": \"text_pattern_ops\""));
	assert_non_null(strstr(t1.ptr, "\"columns\": [\n            \"b\"\n          ]\n        }\n"));
	assert_null(strstr(t1.ptr, "\"nulls_not_distinct\": false"));
	b = load_ok(t1.ptr);
	eq_schema(a, b);
	sd_schema_to_json(&t2, b);
	assert_string_equal(t1.ptr, t2.ptr);
	sd_str_release(&t1);
	sd_str_release(&t2);
	sd_schema_free(a);
	sd_schema_free(b);

	/* not a name; a name with a third part; a primary key has no NULLS NOT DISTINCT */
	expect_err("{\"dialect\": \"postgresql\", \"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"a\", \"type\": \"text\"}],"
		   " \"indexes\": [{\"name\": \"i\", \"columns\": [{\"column\": \"a\", \"opclass\": \"a.b.c\"}]}]}]}",
		   "error: t.json:1:161: tables[0].indexes[0].columns[0].opclass: \"a.b.c\" is not an operator class name\n"
		   "hint: write the name as SQL does: text_pattern_ops, myschema.my_ops, or \"Quoted Ops\"\n");
	expect_err("{\"dialect\": \"postgresql\", \"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"a\", \"type\": \"text\"}],"
		   " \"indexes\": [{\"name\": \"i\", \"columns\": [{\"column\": \"a\", \"opclass\": \"x); DROP TABLE t; --\"}]}]}]}",
		   "error: t.json:1:161: tables[0].indexes[0].columns[0].opclass: \"x); DROP TABLE t; --\" is not an operator class name\n"
		   "hint: write the name as SQL does: text_pattern_ops, myschema.my_ops, or \"Quoted Ops\"\n");
	/* nothing but the name: no comment that would swallow the rest of CREATE INDEX, no dangling dot */
	static const char *const bad[] = { "text_ops--", "text_ops ", "a.", "a /**/ .b", "[a]", "a.b.c" };
	for (size_t i = 0; i < SD_ARRAY_LEN(bad); i++) {
		sd_str in2 = SD_STR_INIT, want = SD_STR_INIT;

		sd_str_addf(&in2, "{\"dialect\": \"postgresql\", \"tables\": [{\"name\": \"t\", \"columns\":"
			    " [{\"name\": \"a\", \"type\": \"text\"}], \"indexes\": [{\"name\": \"i\", \"columns\":"
			    " [{\"column\": \"a\", \"opclass\": \"%s\"}]}]}]}", bad[i]);
		sd_str_addf(&want, "error: t.json:1:161: tables[0].indexes[0].columns[0].opclass: \"%s\" is not"
			    " an operator class name\nhint: write the name as SQL does: text_pattern_ops,"
			    " myschema.my_ops, or \"Quoted Ops\"\n", bad[i]);
		expect_err(in2.ptr, want.ptr);
		sd_str_release(&in2);
		sd_str_release(&want);
	}
	expect_err("{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"a\", \"type\": \"text\"}],"
		   " \"primary_key\": {\"columns\": [\"a\"], \"nulls_not_distinct\": true}}]}",
		   "error: t.json:1:105: tables[0].primary_key: unknown key \"nulls_not_distinct\"\n");
}

static void test_null_err_and_file(void **state)
{
	sd_schema *s = (sd_schema *)1;
	sd_error err = SD_ERROR_INIT;

	(void)state;
	assert_int_equal(sd_schema_from_json(&s, "{}", 2, "x.json", NULL), SD_EINPUT);
	assert_null(s);
	assert_int_equal(sd_schema_load_json_file(&s, "/nonexistent/dir/x.json", &err), SD_EIO);
	assert_string_equal(err.source, "/nonexistent/dir/x.json");
	sd_error_clear(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_writer_shape),
		cmocka_unit_test(test_writer_matches_jansson),
		cmocka_unit_test(test_defaults_and_words),
		cmocka_unit_test(test_error_positions),
		cmocka_unit_test(test_pg_index_keys),
		cmocka_unit_test(test_null_err_and_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
