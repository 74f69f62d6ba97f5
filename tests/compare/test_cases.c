/*
 * test_cases.c - comparator golden cases: tests/compare/cases/<name>/ holds
 * from.json, to.json, expected.txt (the upgrade then the downgrade, one op
 * per line, cmp_render_op's form) and optionally `options` (the word
 * "comments": compare with a dialect that stores comments; "ignore_comments":
 * set the option).  Every case also runs the round-trip proof.
 * SD_UPDATE_EXPECTED=1 rewrites expected.txt (review the diff before
 * committing!).
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cmp_helpers.h"
#include "schemadiff/schemafile.h"

static char *case_path(const char *dir, const char *name, const char *file)
{
	sd_str p = SD_STR_INIT;

	sd_str_addf(&p, "%s/%s/%s", dir, name, file);
	return sd_str_detach(&p);
}

static int run_case(const char *dir, const char *name)
{
	char *pf = case_path(dir, name, "from.json"), *pt = case_path(dir, name, "to.json");
	char *pe = case_path(dir, name, "expected.txt"), *po = case_path(dir, name, "options");
	char *expected = NULL, *options = NULL;
	sd_schema *from = NULL, *to = NULL;
	sd_error err = SD_ERROR_INIT;
	sd_compare_opts opts = { 0 };
	sd_migration m;
	sd_str got = SD_STR_INIT, why = SD_STR_INIT;
	size_t len;
	int failed = 1;

	memset(&m, 0, sizeof(m));
	if (sd_schema_load_json_file(&from, pf, &err) || sd_schema_load_json_file(&to, pt, &err)) {
		sd_str msg = SD_STR_INIT;

		sd_error_format(&err, &msg);
		fprintf(stderr, "case %s: %s\n", name, msg.ptr);
		sd_str_release(&msg);
		goto done;
	}
	if (sd_read_file(po, &options, &len) == 0) {
		if (strstr(options, "ignore_comments"))
			opts.ignore_comments = true;
		else if (strstr(options, "comments"))
			opts.dialect = cmp_comment_dialect();
	}
	if (cmp_roundtrip(from, to, &opts, &why)) {
		fprintf(stderr, "case %s: round trip failed:\n%s", name, why.ptr);
		goto done;
	}
	if (sd_compare(&m, from, to, &opts, &err)) {
		fprintf(stderr, "case %s: compare failed: %s\n", name, err.message);
		goto done;
	}
	/* The migration owns its objects: render it after the schemas are gone. */
	sd_schema_free(from);
	sd_schema_free(to);
	from = to = NULL;
	cmp_render_migration(&got, &m);
	if (getenv("SD_UPDATE_EXPECTED")) {
		sd_write_file_atomic(pe, got.ptr, got.len, false);
		failed = 0;
		goto done;
	}
	if (sd_read_file(pe, &expected, &len)) {
		fprintf(stderr, "case %s: cannot read %s\n", name, pe);
		goto done;
	}
	if (strcmp(expected, got.ptr) != 0) {
		fprintf(stderr, "case %s: ops differ\n--- expected\n%s--- actual\n%s", name, expected,
			got.ptr);
		goto done;
	}
	failed = 0;
done:
	sd_migration_release(&m);
	sd_schema_free(from);
	sd_schema_free(to);
	sd_error_clear(&err);
	sd_str_release(&got);
	sd_str_release(&why);
	free(expected);
	free(options);
	free(pf);
	free(pt);
	free(pe);
	free(po);
	return failed;
}

static int only_dirs(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static void test_cases(void **state)
{
	const char *root = getenv("SD_SOURCE_ROOT");
	struct dirent **list = NULL;
	sd_str dir = SD_STR_INIT;
	int n, i, failed = 0;

	(void)state;
	assert_non_null(root);
	sd_str_addf(&dir, "%s/tests/compare/cases", root);
	n = scandir(dir.ptr, &list, only_dirs, alphasort);
	assert_true(n >= 40);  /* the suite must not pass by finding nothing */
	for (i = 0; i < n; i++) {
		int f = run_case(dir.ptr, list[i]->d_name);

		printf("%s %s\n", f ? "FAIL" : "ok  ", list[i]->d_name);
		failed += f;
		free(list[i]);
	}
	free(list);
	sd_str_release(&dir);
	assert_int_equal(failed, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
