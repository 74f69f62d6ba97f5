/*
 * test_pg_prove.c - the --dev-url proof judges CHECK constraints that
 * still differ in the server's canonical form, on a real server: a CHECK
 * written differently from what the server deparses is equal when the
 * server says so; a CHECK that really changed (a bound, a value added to
 * an IN list) still fails the proof.  The migrations are made by hand
 * (empty, where the comparator would have produced ops), so only the
 * proof's judgement is tested.
 *
 * usage: test_pg_prove DEV_URL (an empty database; prove_checks_pg.py
 * makes one on the test cluster)
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schemadiff/compare.h"
#include "schemadiff/revision.h"
#include "schemadiff/schemafile.h"

static const char *dev_url;

#define TABLE(checks) \
	"{\"format\": \"schemadiff/1\", \"dialect\": \"postgresql\", \"tables\": [" \
	"{\"name\": \"item\", \"columns\": [" \
	" {\"name\": \"id\", \"type\": \"integer\", \"nullable\": false}," \
	" {\"name\": \"qty\", \"type\": \"integer\"}," \
	" {\"name\": \"region\", \"type\": \"character varying(8)\"}]," \
	" \"primary_key\": {\"columns\": [\"id\"]}," \
	" \"check_constraints\": [" checks "]}]}"

static sd_schema *js(const char *text)
{
	sd_schema *s = NULL;
	sd_error err = SD_ERROR_INIT;

	if (sd_schema_from_json(&s, text, strlen(text), "test.json", &err))
		fail_msg("bad test schema: %s", err.message);
	return s;
}

/*
 * Prove the empty migration from source to target: 0 when the proof calls
 * them equal, else SD_EVERIFY with the residual's first CHECK op in *what.
 */
static int prove_empty(const char *source_json, const char *target_json, char *what,
		       size_t whatlen)
{
	const sd_dialect *d = sd_dialect_find("postgresql");
	sd_schema *source = js(source_json), *target = js(target_json);
	sd_compare_opts opts = { 0 };
	sd_error err = SD_ERROR_INIT;
	sd_migration m, residual;
	const char *failed = NULL;
	int rc;

	opts.dialect = d;
	assert_int_equal(sd_compare(&m, source, source, &opts, &err), 0);
	assert_int_equal(m.upgrade.n, 0);
	rc = sd_revision_prove_dev(d, dev_url, &m, source, target, &residual, &failed, &err);
	if (rc && rc != SD_EVERIFY)
		fail_msg("the proof failed to run: %s", err.message);
	what[0] = '\0';
	for (size_t i = 0; rc && i < residual.upgrade.n; i++) {
		const sd_op *op = &residual.upgrade.ops[i];

		size_t at = strlen(what);

		if (op->check)
			snprintf(what + at, whatlen - at, "%s %s (%s)\n", sd_op_kind_name(op->kind),
				 op->check->name ? op->check->name : "", op->check->expression);
		else
			snprintf(what + at, whatlen - at, "%s\n", sd_op_kind_name(op->kind));
	}
	if (getenv("SD_TEST_VERBOSE") && rc)
		fprintf(stderr, "proof: %s (%s step)\n%s", err.message ? err.message : "",
			failed ? failed : "-", what);
	sd_migration_release(&residual);
	sd_migration_release(&m);
	sd_error_clear(&err);
	sd_schema_free(source);
	sd_schema_free(target);
	return rc;
}

/* BETWEEN is deparsed as >= AND <=: equal only in the server's canonical form. */
static void test_equal_on_server(void **state)
{
	char what[2048];

	(void)state;
	assert_int_equal(prove_empty(
		TABLE("{\"name\": \"ck_qty\", \"expression\": \"qty >= 1 AND qty <= 10\"}"),
		TABLE("{\"name\": \"ck_qty\", \"expression\": \"qty BETWEEN 1 AND 10\"}"),
		what, sizeof(what)), 0);
	/* unnamed ones, matched by definition, next to one the canonical form already equates */
	assert_int_equal(prove_empty(
		TABLE("{\"expression\": \"qty >= 1 AND qty <= 10\"},"
		      "{\"expression\": \"qty < 0 OR qty > 5\"},"
		      "{\"name\": \"ck_region\", \"expression\": \"region IN ('eu', 'us')\"}"),
		TABLE("{\"expression\": \"qty BETWEEN 1 AND 10\"},"
		      "{\"expression\": \"qty NOT BETWEEN 0 AND 5\"},"
		      "{\"name\": \"ck_region\", \"expression\": \"region in ('eu','us')\"}"),
		what, sizeof(what)), 0);
}

/* Real changes stay changes when the server judges them. */
static void test_changes_stay(void **state)
{
	char what[2048];

	(void)state;
	assert_int_equal(prove_empty(
		TABLE("{\"name\": \"ck_qty\", \"expression\": \"qty >= 1 AND qty <= 10\"}"),
		TABLE("{\"name\": \"ck_qty\", \"expression\": \"qty BETWEEN 1 AND 20\"}"),
		what, sizeof(what)), SD_EVERIFY);
	assert_non_null(strstr(what, "ck_qty"));
	assert_int_equal(prove_empty(
		TABLE("{\"name\": \"ck_region\", \"expression\": \"region IN ('eu', 'us')\"}"),
		TABLE("{\"name\": \"ck_region\", \"expression\": \"region IN ('eu', 'us', 'asia')\"}"),
		what, sizeof(what)), SD_EVERIFY);
	assert_non_null(strstr(what, "asia"));
	/* one CHECK equal on the server, the other one changed: only that one is left */
	assert_int_equal(prove_empty(
		TABLE("{\"name\": \"ck_qty\", \"expression\": \"qty >= 1 AND qty <= 10\"},"
		      "{\"name\": \"ck_region\", \"expression\": \"region IN ('eu', 'us')\"}"),
		TABLE("{\"name\": \"ck_qty\", \"expression\": \"qty BETWEEN 1 AND 10\"},"
		      "{\"name\": \"ck_region\", \"expression\": \"region IN ('eu')\"}"),
		what, sizeof(what)), SD_EVERIFY);
	assert_non_null(strstr(what, "ck_region"));
	/* a CHECK added (none in the source) */
	assert_int_equal(prove_empty(TABLE(""),
		TABLE("{\"name\": \"ck_qty\", \"expression\": \"qty BETWEEN 1 AND 10\"}"),
		what, sizeof(what)), SD_EVERIFY);
	assert_non_null(strstr(what, "ck_qty"));
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_equal_on_server),
		cmocka_unit_test(test_changes_stay),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: test_pg_prove DEV_URL\n");
		return 2;
	}
	dev_url = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
