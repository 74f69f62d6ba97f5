/*
 * test_pg_dialect.c - the PostgreSQL dialect without a server: quoting,
 * canonical types, defaults and expressions, lossy type changes, and URL
 * redaction.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "schemadiff/dialect.h"
#include "schemadiff/source.h"
#include "introspect/pg_introspect.h"

static const sd_dialect *pg(void)
{
	return sd_dialect_find("postgresql");
}

typedef void (*norm_fn)(sd_str *out, const char *in);

static void expect_norm(norm_fn f, const char *in, const char *want)
{
	sd_str out = SD_STR_INIT;

	f(&out, in);
	if (strcmp(out.ptr, want) != 0)
		fail_msg("\"%s\" -> \"%s\", want \"%s\"", in, out.ptr, want);
	sd_str_release(&out);
}

static void same(norm_fn f, const char *a, const char *b)
{
	sd_str x = SD_STR_INIT, y = SD_STR_INIT;

	f(&x, a);
	f(&y, b);
	if (strcmp(x.ptr, y.ptr) != 0)
		fail_msg("\"%s\" (%s) != \"%s\" (%s)", a, x.ptr, b, y.ptr);
	sd_str_release(&x);
	sd_str_release(&y);
}

static void differ(norm_fn f, const char *a, const char *b)
{
	sd_str x = SD_STR_INIT, y = SD_STR_INIT;

	f(&x, a);
	f(&y, b);
	if (strcmp(x.ptr, y.ptr) == 0)
		fail_msg("\"%s\" and \"%s\" both normalise to %s", a, b, x.ptr);
	sd_str_release(&x);
	sd_str_release(&y);
}

static void test_registered(void **state)
{
	const sd_dialect *d = pg();
	const sd_dialect *via = NULL;

	(void)state;
	assert_non_null(d);
	assert_string_equal(d->name, "postgresql");
	assert_true(d->caps & SD_CAP_SCHEMAS);
	assert_int_equal(sd_source_classify("postgresql://u@h/db", &via), SD_SOURCE_DATABASE);
	assert_ptr_equal(via, d);
	assert_int_equal(sd_source_classify("postgres://u@h/db", &via), SD_SOURCE_DATABASE);
	assert_ptr_equal(via, d);
	assert_int_equal(sd_source_classify("postgresql+psycopg2://u@h/db", &via), SD_SOURCE_DATABASE);
	assert_ptr_equal(via, d);
	assert_int_equal(sd_source_classify("host=/tmp/x dbname=y", &via), SD_SOURCE_DATABASE);
	assert_ptr_equal(via, d);
	assert_int_equal(sd_source_classify("dbname = y", &via), SD_SOURCE_DATABASE);
	assert_int_equal(sd_source_classify("w.2020.22.json", &via), SD_SOURCE_JSON);
}

static void test_quote(void **state)
{
	norm_fn q = (norm_fn)pg()->quote_ident;

	(void)state;
	expect_norm(q, "plain_name1", "plain_name1");
	expect_norm(q, "with$dollar", "with$dollar");
	expect_norm(q, "MixedCase", "\"MixedCase\"");
	expect_norm(q, "select", "\"select\"");
	expect_norm(q, "user", "\"user\"");
	expect_norm(q, "position", "\"position\"");  /* column-name keyword: quote_ident quotes it */
	expect_norm(q, "name", "name");              /* unreserved */
	expect_norm(q, "1abc", "\"1abc\"");
	expect_norm(q, "a\"b", "\"a\"\"b\"");
	expect_norm(q, "naïve", "\"naïve\"");
	expect_norm(q, "with space", "\"with space\"");
}

static void test_types(void **state)
{
	norm_fn t = pg()->normalize_type;

	(void)state;
	expect_norm(t, "INT", "integer");
	expect_norm(t, "VARCHAR(32)", "character varying(32)");
	expect_norm(t, "TIMESTAMP", "timestamp without time zone");
	expect_norm(t, "timestamptz(3)", "timestamp(3) with time zone");
	expect_norm(t, "FLOAT", "double precision");
	expect_norm(t, "NUMERIC(10)", "numeric(10,0)");
	expect_norm(t, "int[]", "integer[]");
	same(t, "int4", "integer");
	same(t, "INTEGER", "integer");
	same(t, "serial", "integer");
	same(t, "int8", "BIGINT");
	same(t, "int2", "smallint");
	same(t, "character varying ( 32 )", "varchar(32)");
	same(t, "timestamp with time zone", "TIMESTAMPTZ");
	same(t, "timestamp(6) without time zone", "timestamp(6)");
	same(t, "bool", "BOOLEAN");
	same(t, "float8", "double precision");
	same(t, "float4", "REAL");
	same(t, "float(24)", "real");
	same(t, "decimal(10, 2)", "numeric(10,2)");
	same(t, "_int4", "integer[]");
	same(t, "integer[][]", "int4[]");
	same(t, "char", "character(1)");
	same(t, "BLOB", "bytea");
	same(t, "JSONB", "jsonb");
	differ(t, "varchar(32)", "varchar(64)");
	differ(t, "json", "jsonb");
	differ(t, "timestamp", "timestamptz");
	differ(t, "integer", "integer[]");
	differ(t, "real", "double precision");
}

static void test_defaults(void **state)
{
	norm_fn d = pg()->normalize_default;
	norm_fn e = pg()->normalize_expr;

	(void)state;
	same(d, "'0'::integer", "0");
	same(d, "'-1'::integer", "-1");
	same(d, "'x'::character varying", "'x'");
	same(d, "now()", "CURRENT_TIMESTAMP");
	same(d, "'{}'::integer[]", "'{}'");
	same(d, "'2020-01-01 00:00:00'::timestamp without time zone", "'2020-01-01 00:00:00'");
	differ(d, "'x'", "'y'");
	differ(d, "1", "2");
	same(e, "(length((name)::text) <= 16)", "length(name)<=16");
	/* parentheses PostgreSQL adds around operands of AND/OR are kept (yet) */
	same(e, "((price >= (0)::numeric) AND (price < (1000000)::numeric))",
	     "(price >= 0) AND (price < 1000000)");
	same(e, "(n > 0)", "n > 0");
	differ(e, "n > 0", "n >= 0");
	expect_norm(e, "a::text || 'b'::text", "a || 'b'");
}

/*
 * An IN list on a varchar column, as written, as the server deparses it,
 * and as the server deparses that text again (what a proof database built
 * from an introspected model holds): one canonical form.  A value added,
 * removed, changed or moved, or IN turned into NOT IN, still differs.
 */
static void test_check_in_lists(void **state)
{
	norm_fn e = pg()->normalize_expr;
	static const char written[] = "region IN ('eu', 'us')";
	static const char once[] =
		"((region)::text = ANY ((ARRAY['eu'::character varying, 'us'::character varying])::text[]))";
	static const char twice[] =
		"((region)::text = ANY (ARRAY[('eu'::character varying)::text, "
		"('us'::character varying)::text]))";

	(void)state;
	same(e, written, once);
	same(e, written, twice);
	same(e, once, twice);
	same(e, "region NOT IN ('a','b')",
	     "((region)::text <> ALL (ARRAY[('a'::character varying)::text, ('b'::character varying)::text]))");
	same(e, "n IN (1,2)", "(n = ANY (ARRAY[1, 2]))");
	same(e, "x IN ('a' || 'b', 'c')", "(x = ANY (ARRAY[('a'::text || 'b'::text), 'c'::text]))");
	same(e, "ARRAY['it''s', 'a,b']", "ARRAY[('it''s'::text), ('a,b'::text)]");
	/* real changes */
	differ(e, twice,
	       "((region)::text = ANY (ARRAY[('eu'::character varying)::text, "
	       "('us'::character varying)::text, ('asia'::character varying)::text]))");
	differ(e, written, "region IN ('eu', 'us', 'asia')");
	differ(e, once,
	       "((region)::text = ANY ((ARRAY['eu'::character varying, 'us'::character varying, "
	       "'asia'::character varying])::text[]))");
	differ(e, twice, "((region)::text = ANY (ARRAY[('eu'::character varying)::text]))");
	differ(e, twice,
	       "((region)::text = ANY (ARRAY[('eu'::character varying)::text, "
	       "('uk'::character varying)::text]))");
	differ(e, written, "region IN ('us', 'eu')");
	differ(e, written, "region NOT IN ('eu', 'us')");
	differ(e, "ARRAY['a,b']", "ARRAY['a', 'b']");
}

static void test_lossy(void **state)
{
	bool (*l)(const char *, const char *) = pg()->type_change_is_lossy;

	(void)state;
	assert_false(l("integer", "int4"));
	assert_false(l("integer", "bigint"));
	assert_true(l("bigint", "integer"));
	assert_false(l("varchar(32)", "varchar(64)"));
	assert_true(l("varchar(64)", "varchar(32)"));
	assert_false(l("varchar(64)", "text"));
	assert_true(l("text", "varchar(10)"));
	assert_true(l("numeric(10,2)", "numeric(10,1)"));
	assert_false(l("numeric(10,2)", "numeric(12,2)"));
	assert_true(l("double precision", "real"));
	assert_false(l("timestamp", "timestamptz"));
	assert_true(l("timestamp(6)", "timestamp(3)"));
	assert_true(l("text", "integer"));
	assert_true(l("json", "jsonb"));
	assert_true(l("integer[]", "integer"));
}

static void expect_redact(const char *url, const char *want)
{
	sd_str out = SD_STR_INIT;

	sd_pg_redact_url(&out, url);
	assert_string_equal(out.ptr, want);
	sd_str_release(&out);
}

static void test_redact(void **state)
{
	sd_str ci = SD_STR_INIT;

	(void)state;
	expect_redact("postgresql://user:secret@host:5432/db", "postgresql://user:***@host:5432/db");
	expect_redact("postgresql://user@host/db", "postgresql://user@host/db");
	expect_redact("postgresql://u:p%40ss@w@host/db", "postgresql://u:***@host/db");
	expect_redact("postgresql://host/db?user=u&password=secret&sslmode=disable",
		      "postgresql://host/db?user=u&password=***&sslmode=disable");
	expect_redact("postgresql+psycopg2://u:pw@/db", "postgresql+psycopg2://u:***@/db");
	expect_redact("host=/tmp dbname=x password=secret user=u",
		      "host=/tmp dbname=x password=*** user=u");
	expect_redact("host=/tmp password = 'se cret' user=u", "host=/tmp password=*** user=u");
	sd_pg_conninfo(&ci, "postgresql+psycopg2://u@/db");
	assert_string_equal(ci.ptr, "postgresql://u@/db");
	sd_str_release(&ci);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registered),
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_check_in_lists),
		cmocka_unit_test(test_lossy),
		cmocka_unit_test(test_redact),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
