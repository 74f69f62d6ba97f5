/*
 * test_fileio.c - whole-file reads and atomic writes.  Each test works in
 * its own fresh temporary directory and lists it afterwards: a write must
 * never leave a temporary file behind, whether it succeeded or not.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "schemadiff/util.h"

struct fixture {
	char *dir;
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	const char *tmp = getenv("TMPDIR");
	sd_str dir = SD_STR_INIT;

	sd_str_addf(&dir, "%s/sd-test-fileio-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir.ptr)) {
		sd_str_release(&dir);
		free(f);
		return -1;
	}
	f->dir = sd_str_detach(&dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	DIR *d = opendir(f->dir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		sd_str p = SD_STR_INIT;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		sd_str_addf(&p, "%s/%s", f->dir, e->d_name);
		unlink(p.ptr);
		sd_str_release(&p);
	}
	if (d)
		closedir(d);
	rmdir(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static char *path_in(const struct fixture *f, const char *name)
{
	sd_str p = SD_STR_INIT;

	sd_str_addf(&p, "%s/%s", f->dir, name);
	return sd_str_detach(&p);
}

/* The directory's entries, sorted, joined by spaces. */
static char *list_dir(const struct fixture *f)
{
	struct dirent **names = NULL;
	sd_str out = SD_STR_INIT;
	int n, i;

	n = scandir(f->dir, &names, NULL, alphasort);
	assert_true(n >= 0);
	for (i = 0; i < n; i++) {
		if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, "..")) {
			if (out.len)
				sd_str_addch(&out, ' ');
			sd_str_add(&out, names[i]->d_name);
		}
		free(names[i]);
	}
	free(names);
	return sd_str_detach(&out);
}

static void assert_dir(const struct fixture *f, const char *expect)
{
	char *got = list_dir(f);

	assert_string_equal(got, expect);
	free(got);
}

static void assert_content(const char *path, const char *data, size_t len)
{
	char *got = NULL;
	size_t glen = 12345;

	assert_int_equal(sd_read_file(path, &got, &glen), 0);
	assert_non_null(got);
	assert_int_equal(glen, len);
	assert_memory_equal(got, data, len);
	assert_int_equal(got[len], '\0');
	free(got);
}

static void test_write_read(void **state)
{
	struct fixture *f = *state;
	char *p = path_in(f, "rev_001.py");
	static const char data[] = "revision = \"001\"\n\0binary\xff tail";

	assert_int_equal(sd_write_file_atomic(p, data, sizeof(data) - 1, false), 0);
	assert_content(p, data, sizeof(data) - 1);
	assert_dir(f, "rev_001.py");
	free(p);
}

static void test_no_clobber_new(void **state)
{
	struct fixture *f = *state;
	char *p = path_in(f, "new.py");

	assert_int_equal(sd_write_file_atomic(p, "fresh\n", 6, true), 0);
	assert_content(p, "fresh\n", 6);
	/* the temporary that was linked into place is gone */
	assert_dir(f, "new.py");
	free(p);
}

static void test_no_clobber_existing(void **state)
{
	struct fixture *f = *state;
	char *p = path_in(f, "keep.py");
	struct stat st;

	assert_int_equal(sd_write_file_atomic(p, "original\n", 9, false), 0);
	assert_int_equal(sd_write_file_atomic(p, "replacement\n", 12, true), -EEXIST);
	assert_content(p, "original\n", 9);
	assert_dir(f, "keep.py");
	/* not even a second link to a temporary: one name only */
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_nlink, 1);
	free(p);
}

static void test_replace(void **state)
{
	struct fixture *f = *state;
	char *p = path_in(f, "out.sql");

	assert_int_equal(sd_write_file_atomic(p, "a much longer first version\n", 28, false), 0);
	assert_int_equal(sd_write_file_atomic(p, "v2\n", 3, false), 0);
	assert_content(p, "v2\n", 3);
	assert_dir(f, "out.sql");
	free(p);
}

static void test_empty_and_large(void **state)
{
	struct fixture *f = *state;
	char *p = path_in(f, "empty"), *q = path_in(f, "large");
	size_t n = 3 * 65536 + 17, i; /* several read chunks */
	char *big = xmalloc(n);

	assert_int_equal(sd_write_file_atomic(p, "", 0, true), 0);
	assert_content(p, "", 0);
	for (i = 0; i < n; i++)
		big[i] = (char)(i * 7 % 256);
	assert_int_equal(sd_write_file_atomic(q, big, n, false), 0);
	assert_content(q, big, n);
	assert_dir(f, "empty large");
	free(big);
	free(p);
	free(q);
}

static void test_missing_dir(void **state)
{
	struct fixture *f = *state;
	char *p = path_in(f, "no/such/dir/file.py");
	char *out = (char *)"sentinel";

	assert_int_equal(sd_write_file_atomic(p, "x", 1, false), -ENOENT);
	assert_int_equal(sd_write_file_atomic(p, "x", 1, true), -ENOENT);
	assert_dir(f, "");
	assert_int_equal(sd_read_file(p, &out, NULL), -ENOENT);
	assert_null(out);
	free(p);
}

/* The target is a directory: both modes fail and leave no temporary. */
static void test_target_is_directory(void **state)
{
	struct fixture *f = *state;
	char *p = path_in(f, "sub");

	assert_int_equal(mkdir(p, 0755), 0);
	assert_int_equal(sd_write_file_atomic(p, "x", 1, true), -EEXIST);
	assert_true(sd_write_file_atomic(p, "x", 1, false) < 0);
	assert_dir(f, "sub");
	assert_int_equal(rmdir(p), 0);
	free(p);
}

static void test_read_missing(void **state)
{
	struct fixture *f = *state;
	char *p = path_in(f, "absent.json");
	char *out = (char *)"sentinel";
	size_t len = 99;

	assert_int_equal(sd_read_file(p, &out, &len), -ENOENT);
	assert_null(out);
	assert_int_equal(len, 0);
	free(p);
}

static void test_read_directory(void **state)
{
	struct fixture *f = *state;
	char *out = NULL;
	int rc = sd_read_file(f->dir, &out, NULL);

	/* fopen of a directory succeeds on Linux; the read fails */
	assert_true(rc < 0);
	assert_null(out);
}

/*
 * A target that is not a regular file (a FIFO here; /dev/null in real use)
 * is written in place, never replaced by a rename: as root, replacing
 * /dev/null would break the whole machine.  A child process reads the FIFO
 * into a regular file; afterwards the FIFO must still be a FIFO.
 */
static void test_non_regular_target_written_in_place(void **state)
{
	struct fixture *f = *state;
	char *fifo = path_in(f, "pipe"), *sink = path_in(f, "sink");
	static const char data[] = "through the pipe\n";
	struct stat st;
	pid_t pid;
	int status;

	assert_int_equal(mkfifo(fifo, 0600), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char *got = NULL;
		size_t len = 0;

		if (sd_read_file(fifo, &got, &len) != 0)
			_exit(1);
		_exit(sd_write_file_atomic(sink, got, len, true) == 0 ? 0 : 2);
	}
	assert_int_equal(sd_write_file_atomic(fifo, data, strlen(data), false), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(lstat(fifo, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_content(sink, data, strlen(data));
	/* no_clobber refuses any existing target, regular or not */
	assert_int_equal(sd_write_file_atomic(fifo, data, strlen(data), true), -EEXIST);
	assert_dir(f, "pipe sink");
	free(fifo);
	free(sink);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_write_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_clobber_new, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_clobber_existing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_and_large, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_target_is_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_non_regular_target_written_in_place, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
