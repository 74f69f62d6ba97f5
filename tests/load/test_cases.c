/*
 * test_cases.c - golden error cases: every directory under
 * tests/load/cases/ holds input.json, which must fail to load, and
 * expected.txt, the exact message as sd_error_format prints it.  The file
 * is loaded as "input.json" from inside its directory, so SOURCE in the
 * message is the base name.
 *
 * tests/load/yaml_cases/ holds the YAML cases: input.yaml, and in
 * expected.txt either the error message or, for a file that loads, the
 * model written as JSON (so a YAML file is checked against the JSON it
 * stands for).
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
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
static int run_case(const char *dir, const char *name, bool yaml)
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
	if (yaml) {
		if (sd_schema_load_yaml_file(&s, "input.yaml", &err) == 0)
			sd_schema_to_json(&got, s);
		else
			sd_error_format(&err, &got);
	} else {
		if (sd_schema_load_json_file(&s, "input.json", &err) == 0) {
			fprintf(stderr, "%s: loaded without error, expected:\n%s", name, expected);
			goto done;
		}
		sd_error_format(&err, &got);
	}
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

/* Every case under tests/load/SUBDIR; returns how many there were. */
static size_t run_dir(const char *subdir, bool yaml, size_t *failed)
{
	const char *root = getenv("SD_SOURCE_ROOT");
	sd_str dir = SD_STR_INIT;
	char **names = NULL;
	size_t n = 0, alloc = 0;
	struct dirent *de;
	DIR *d;

	assert_non_null(root);
	sd_str_addf(&dir, "%s/tests/load/%s", root, subdir);
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
		if (run_case(dir.ptr, names[i], yaml) < 0)
			(*failed)++;
		free(names[i]);
	}
	free(names);
	sd_str_release(&dir);
	return n;
}

static void test_cases(void **state)
{
	size_t failed = 0, n = run_dir("cases", false, &failed);

	(void)state;
	printf("%zu cases, %zu failed\n", n, failed);
	assert_true(n >= 15);
	assert_int_equal(failed, 0);
}

static void test_yaml_cases(void **state)
{
	size_t failed = 0, n = run_dir("yaml_cases", true, &failed);

	(void)state;
	printf("%zu YAML cases, %zu failed\n", n, failed);
	assert_true(n >= 20);
	assert_int_equal(failed, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_yaml_cases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
