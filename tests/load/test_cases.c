/*
 * test_cases.c - golden error cases: every directory under
 * tests/load/cases/ holds input.json, which must fail to load, and
 * expected.txt, the exact message as sd_error_format prints it.  The file
 * is loaded as "input.json" from inside its directory, so SOURCE in the
 * message is the base name.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "schemadiff/schemafile.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run one case; returns 0 when it passes, printing a report otherwise. */
static int run_case(const char *dir, const char *name)
{
	sd_str path = SD_STR_INIT, got = SD_STR_INIT;
	char *expected = NULL, *cwd = getcwd(NULL, 0);
	size_t len;
	sd_schema *s = NULL;
	sd_error err = SD_ERROR_INIT;
	int rc = -1;

	sd_str_addf(&path, "%s/%s", dir, name);
	if (chdir(path.ptr) < 0) {
		fprintf(stderr, "%s: cannot enter %s\n", name, path.ptr);
		goto done;
	}
	if (sd_read_file("expected.txt", &expected, &len) < 0) {
		fprintf(stderr, "%s: no expected.txt\n", name);
		goto done;
	}
	if (sd_schema_load_json_file(&s, "input.json", &err) == 0) {
		fprintf(stderr, "%s: loaded without error, expected:\n%s", name, expected);
		goto done;
	}
	sd_error_format(&err, &got);
	if (strcmp(got.ptr, expected) != 0) {
		fprintf(stderr, "%s: message differs\n--- expected\n%s+++ got\n%s", name, expected,
			got.ptr);
		goto done;
	}
	rc = 0;
done:
	if (cwd && chdir(cwd) < 0)
		rc = -1;
	free(cwd);
	free(expected);
	if (s)
		sd_schema_free(s);
	sd_error_clear(&err);
	sd_str_release(&path);
	sd_str_release(&got);
	return rc;
}

static void test_cases(void **state)
{
	const char *root = getenv("SD_SOURCE_ROOT");
	sd_str dir = SD_STR_INIT;
	char **names = NULL;
	size_t n = 0, alloc = 0, failed = 0;
	struct dirent *de;
	DIR *d;

	(void)state;
	assert_non_null(root);
	sd_str_addf(&dir, "%s/tests/load/cases", root);
	d = opendir(dir.ptr);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		SD_GROW(names, n + 1, alloc);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		if (run_case(dir.ptr, names[i]) < 0)
			failed++;
		free(names[i]);
	}
	free(names);
	sd_str_release(&dir);
	printf("%zu cases, %zu failed\n", n, failed);
	assert_true(n >= 15);
	assert_int_equal(failed, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
