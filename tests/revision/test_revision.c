/*
 * test_revision.c - revision files, the revision graph, ids, slugs and
 * alembic.ini (suite 'revision').  Fixture directories are in
 * tests/revision/cases/; the source tree is found through SD_SOURCE_ROOT.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "schemadiff/revision.h"

static char *case_dir(const char *name)
{
	const char *root = getenv("SD_SOURCE_ROOT");
	sd_str s = SD_STR_INIT;

	assert_non_null(root);
	sd_str_addf(&s, "%s/tests/revision/cases/%s", root, name);
	return sd_str_detach(&s);
}

static sd_revgraph *load_case(const char *name)
{
	char *dir = case_dir(name);
	const char *dirs[1] = { dir };
	sd_error err = SD_ERROR_INIT;
	sd_revgraph *g = NULL;
	int rc = sd_revgraph_load(&g, dirs, 1, &err);

	if (rc < 0) {
		sd_str s = SD_STR_INIT;

		sd_error_format(&err, &s);
		fail_msg("loading %s: %s", name, s.ptr);
	}
	sd_error_clear(&err);
	free(dir);
	return g;
}

/* Load a case that must fail; returns the formatted error (caller frees). */
static char *load_case_error(const char *name, int expect_code)
{
	char *dir = case_dir(name);
	const char *dirs[1] = { dir };
	sd_error err = SD_ERROR_INIT;
	sd_revgraph *g = NULL;
	sd_str s = SD_STR_INIT;
	int rc = sd_revgraph_load(&g, dirs, 1, &err);

	assert_int_equal(rc, expect_code);
	assert_null(g);
	sd_error_format(&err, &s);
	sd_error_clear(&err);
	free(dir);
	return sd_str_detach(&s);
}

static void heads_are(const sd_revgraph *g, const char *expect)
{
	sd_str s = SD_STR_INIT;
	size_t i;

	for (i = 0; i < g->n_heads; i++)
		sd_str_addf(&s, "%s%s", i ? " " : "", g->heads[i]->id);
	assert_string_equal(s.ptr, expect);
	sd_str_release(&s);
}

static void list_is(const char **items, size_t n, const char *expect)
{
	sd_str s = SD_STR_INIT;
	size_t i;

	for (i = 0; i < n; i++)
		sd_str_addf(&s, "%s%s", i ? " " : "", items[i]);
	assert_string_equal(s.ptr, expect);
	sd_str_release(&s);
}

static void test_linear(void **state)
{
	sd_revgraph *g = load_case("linear");
	const sd_revision *r, *parent;
	sd_error err = SD_ERROR_INIT;

	assert_int_equal(g->n, 3);
	heads_are(g, "w.2020.22");
	assert_int_equal(g->n_bases, 1);
	assert_string_equal(g->bases[0]->id, "1a2b3c4d5e6f");
	r = sd_revgraph_get(g, "w.2020.22");
	assert_non_null(r);
	list_is(r->down, r->n_down, "bbbbbbbbbbbb");
	assert_non_null(strstr(r->path, "w.2020.22_weekly.py"));
	assert_int_equal(r->line, 6);
	r = sd_revgraph_get(g, "bbbbbbbbbbbb");
	list_is(r->next, r->n_next, "w.2020.22");
	assert_false(r->is_head);
	assert_null(sd_revgraph_get(g, "not-this-one"));
	assert_int_equal(sd_revgraph_pick_parent(g, NULL, false, &parent, &err), 0);
	assert_string_equal(parent->id, "w.2020.22");
	sd_revgraph_free(g);
}

static void test_branches(void **state)
{
	sd_revgraph *g = load_case("branches");
	const sd_revision *parent = NULL;
	sd_error err = SD_ERROR_INIT;
	sd_str s = SD_STR_INIT;

	heads_are(g, "bbbb dddd");
	assert_true(sd_revgraph_get(g, "aaaa")->is_branch_point);
	assert_false(sd_revgraph_get(g, "cccc")->is_branch_point);
	list_is(sd_revgraph_get(g, "aaaa")->next, sd_revgraph_get(g, "aaaa")->n_next, "bbbb cccc");

	assert_int_equal(sd_revgraph_pick_parent(g, NULL, false, &parent, &err), SD_EINPUT);
	sd_error_format(&err, &s);
	assert_non_null(strstr(s.ptr, "multiple heads are present"));
	assert_non_null(strstr(s.ptr, "detail: heads: bbbb, dddd\n"));
	sd_error_clear(&err);
	sd_str_release(&s);

	assert_int_equal(sd_revgraph_pick_parent(g, "dddd", false, &parent, &err), 0);
	assert_string_equal(parent->id, "dddd");
	assert_int_equal(sd_revgraph_pick_parent(g, "cccc", false, &parent, &err), SD_EINPUT);
	assert_non_null(strstr(err.message, "'cccc' is not a head"));
	sd_error_clear(&err);
	assert_int_equal(sd_revgraph_pick_parent(g, "cccc", true, &parent, &err), 0);
	assert_string_equal(parent->id, "cccc");
	assert_int_equal(sd_revgraph_pick_parent(g, "nope", true, &parent, &err), SD_EINPUT);
	assert_non_null(strstr(err.message, "unknown revision 'nope'"));
	sd_error_clear(&err);
	parent = (const sd_revision *)g;
	assert_int_equal(sd_revgraph_pick_parent(g, "base", false, &parent, &err), 0);
	assert_null(parent);
	sd_revgraph_free(g);
}

static void test_merge(void **state)
{
	sd_revgraph *g = load_case("merge");
	const sd_revision *m;

	heads_are(g, "mmmm");
	m = sd_revgraph_get(g, "mmmm");
	assert_true(m->is_merge_point);
	list_is(m->down, m->n_down, "bbbb cccc");
	assert_false(sd_revgraph_get(g, "bbbb")->is_merge_point);
	list_is(sd_revgraph_get(g, "bbbb")->next, sd_revgraph_get(g, "bbbb")->n_next, "mmmm");
	assert_true(sd_revgraph_get(g, "aaaa")->is_branch_point);
	sd_revgraph_free(g);
}

static void test_depends_labels(void **state)
{
	sd_revgraph *g = load_case("depends");
	const sd_revision *r;

	/* depends_on does not make a2 stop being a head (as in Alembic) */
	heads_are(g, "a2 b2");
	assert_int_equal(g->n_bases, 2);
	r = sd_revgraph_get(g, "b2");
	list_is(r->depends, r->n_depends, "alpha a2");
	r = sd_revgraph_get(g, "a1");
	list_is(r->labels, r->n_labels, "alpha");
	r = sd_revgraph_get(g, "b1");
	list_is(r->labels, r->n_labels, "beta");
	sd_revgraph_free(g);
}

static void test_annotated(void **state)
{
	sd_revgraph *g = load_case("annotated");
	const sd_revision *r;
	size_t i;

	assert_int_equal(g->n, 5);
	for (i = 0; i < g->n; i++)
		assert_int_equal(g->revs[i]->id[0], 'x'); /* nothing ignored got in */
	heads_are(g, "x5");
	r = sd_revgraph_get(g, "x1");
	assert_int_equal(r->n_down, 0);
	assert_int_equal(r->line, 12);
	list_is(sd_revgraph_get(g, "x3")->down, 1, "x1");
	r = sd_revgraph_get(g, "x4");
	list_is(r->down, r->n_down, "x2 x3");
	list_is(r->labels, r->n_labels, "feature");
	r = sd_revgraph_get(g, "x5");
	list_is(r->down, r->n_down, "x4");
	list_is(r->depends, r->n_depends, "x2 x3");
	sd_revgraph_free(g);
}

static void test_empty_and_multi(void **state)
{
	sd_revgraph *g = load_case("empty");
	const sd_revision *parent = (const sd_revision *)g;
	sd_error err = SD_ERROR_INIT;
	char *a = case_dir("linear"), *b = case_dir("branches");
	const char *dirs[3] = { a, b, a };

	assert_int_equal(g->n, 0);
	assert_int_equal(g->n_heads, 0);
	assert_int_equal(sd_revgraph_pick_parent(g, NULL, false, &parent, &err), 0);
	assert_null(parent);
	sd_revgraph_free(g);

	/* Two locations, one given twice: its files are read once. */
	assert_int_equal(sd_revgraph_load(&g, dirs, 3, &err), 0);
	assert_int_equal(g->n, 7);
	heads_are(g, "bbbb dddd w.2020.22");
	sd_revgraph_free(g);
	free(a);
	free(b);
}

static void test_errors(void **state)
{
	char *msg;
	sd_str expect = SD_STR_INIT;
	const char *root = getenv("SD_SOURCE_ROOT");
	const char *missing[1] = { "/nonexistent/versions" };
	sd_revgraph *g = (sd_revgraph *)1;
	sd_error err = SD_ERROR_INIT;

	msg = load_case_error("dup", SD_EINPUT);
	assert_non_null(strstr(msg, "dup/zzzz_again.py:2: duplicate revision id 'aaaa'"));
	assert_non_null(strstr(msg, "dup/aaaa_base.py"));
	free(msg);

	msg = load_case_error("unparsable", SD_EINPUT);
	sd_str_addf(&expect, "error: %s/tests/revision/cases/unparsable/2222_bad.py:7: "
		    "down_revision: expected None, a string or a tuple of strings\n", root);
	assert_string_equal(msg, expect.ptr);
	sd_str_release(&expect);
	free(msg);

	msg = load_case_error("unknown_down", SD_EINPUT);
	assert_non_null(strstr(msg, "bbbb_next.py:2: down_revision: revision 'bbbb' revises unknown revision 'doesnotexist'"));
	free(msg);

	msg = load_case_error("cycle", SD_EINPUT);
	assert_non_null(strstr(msg, "cycle in the revision graph: bbbb -> cccc -> bbbb"));
	free(msg);

	msg = load_case_error("norevision", SD_EINPUT);
	assert_non_null(strstr(msg, "abcd_nothing.py: no module-level 'revision = ...' assignment"));
	free(msg);

	assert_int_equal(sd_revgraph_load(&g, missing, 1, &err), SD_EIO);
	assert_null(g);
	assert_string_equal(err.source, "/nonexistent/versions");
	sd_error_clear(&err);
}

/* Parse src as a file; returns 0 or the error code, and the error text. */
static int parse(sd_revgraph *g, const char *src, sd_revision **rev, char **msg)
{
	sd_error err = SD_ERROR_INIT;
	sd_str s = SD_STR_INIT;
	int rc = sd_revision_parse(g, "t.py", src, rev, &err);

	if (rc < 0)
		sd_error_format(&err, &s);
	sd_error_clear(&err);
	*msg = sd_str_detach(&s);
	return rc;
}

static void test_literals(void **state)
{
	sd_revgraph *g = sd_revgraph_new();
	sd_revision *r;
	char *msg;

	assert_int_equal(parse(g, "revision = 'a' 'b'\ndown_revision = []\n", &r, &msg), 0);
	assert_string_equal(r->id, "ab");
	assert_int_equal(r->n_down, 0);
	free(msg);

	assert_int_equal(parse(g, "revision = 'q\\'s'\ndown_revision = ['x', \"y\",]  # c\n"
			       "revision = \"last\"  ; \n", &r, &msg), 0);
	assert_string_equal(r->id, "last"); /* the last assignment wins */
	assert_int_equal(r->line, 3);
	list_is(r->down, r->n_down, "x y");
	free(msg);

	assert_int_equal(parse(g, "revision == 'no'\nrevision = 'yes'\ndown_revision = None\n",
			       &r, &msg), 0);
	assert_string_equal(r->id, "yes");
	free(msg);

	assert_int_equal(parse(g, "x = '''\nrevision = 'in string'\n'''\nrevision = 'out'\n"
			       "down_revision = None\n", &r, &msg), 0);
	assert_string_equal(r->id, "out");
	free(msg);

	assert_int_equal(parse(g, "revision = 'a' + 'b'\ndown_revision = None\n", &r, &msg), SD_EINPUT);
	assert_string_equal(msg, "error: t.py:1: revision: expected a string\n");
	free(msg);
	assert_int_equal(parse(g, "revision = None\ndown_revision = None\n", &r, &msg), SD_EINPUT);
	assert_string_equal(msg, "error: t.py:1: revision: expected a string\n");
	free(msg);
	assert_int_equal(parse(g, "revision = ('a', 'b')\ndown_revision = None\n", &r, &msg), SD_EINPUT);
	assert_string_equal(msg, "error: t.py:1: revision: expected a string\n");
	free(msg);
	assert_int_equal(parse(g, "revision = 'a'\ndown_revision = (\n  'x',\n  y,\n)\n", &r, &msg),
			 SD_EINPUT);
	assert_string_equal(msg, "error: t.py:4: down_revision: expected None, a string or a tuple of strings\n");
	free(msg);
	assert_int_equal(parse(g, "revision = 'a'\ndown_revision = ('x'\n", &r, &msg), SD_EINPUT);
	free(msg);
	assert_int_equal(parse(g, "revision = 'a'\ndown_revision = None\nbranch_labels = 3\n", &r, &msg),
			 SD_EINPUT);
	assert_string_equal(msg, "error: t.py:3: branch_labels: expected None, a string or a tuple of strings\n");
	free(msg);
	assert_int_equal(parse(g, "revision = 'a'\n", &r, &msg), SD_EINPUT);
	assert_string_equal(msg, "error: t.py: no module-level 'down_revision = ...' assignment\n");
	free(msg);
	assert_int_equal(parse(g, "revision = b'a'\ndown_revision = None\n", &r, &msg), SD_EINPUT);
	free(msg);
	assert_int_equal(parse(g, "  revision = 'indented'\ndown_revision = None\n", &r, &msg), SD_EINPUT);
	assert_string_equal(msg, "error: t.py: no module-level 'revision = ...' assignment\n");
	free(msg);
	sd_revgraph_free(g);
}

static void test_graph_checks(void **state)
{
	sd_revgraph *g = sd_revgraph_new();
	sd_revision *r;
	char *msg;
	sd_error err = SD_ERROR_INIT;

	assert_int_equal(parse(g, "revision = 'a'\ndown_revision = 'a'\n", &r, &msg), 0);
	free(msg);
	assert_int_equal(sd_revgraph_add(g, r, &err), SD_EINPUT);
	assert_non_null(strstr(err.message, "names itself"));
	sd_error_clear(&err);

	assert_int_equal(parse(g, "revision = 'a'\ndown_revision = None\nbranch_labels = 'l'\n", &r, &msg), 0);
	free(msg);
	assert_int_equal(sd_revgraph_add(g, r, &err), 0);
	assert_int_equal(parse(g, "revision = 'b'\ndown_revision = 'a'\nbranch_labels = 'l'\n", &r, &msg), 0);
	free(msg);
	assert_int_equal(sd_revgraph_add(g, r, &err), 0);
	assert_int_equal(sd_revgraph_finish(g, &err), SD_EINPUT);
	assert_non_null(strstr(err.message, "branch label 'l' of revision 'b' is already used by revision 'a'"));
	sd_error_clear(&err);
	sd_revgraph_free(g);

	g = sd_revgraph_new();
	assert_int_equal(parse(g, "revision = 'a'\ndown_revision = None\ndepends_on = 'zz'\n", &r, &msg), 0);
	free(msg);
	assert_int_equal(sd_revgraph_add(g, r, &err), 0);
	assert_int_equal(sd_revgraph_finish(g, &err), SD_EINPUT);
	assert_string_equal(err.path, "depends_on");
	assert_int_equal(err.line, 3);
	sd_error_clear(&err);
	sd_revgraph_free(g);

	/* a cycle through depends_on: b revises a, a depends on b */
	g = sd_revgraph_new();
	assert_int_equal(parse(g, "revision = 'a'\ndown_revision = None\ndepends_on = 'b'\n", &r, &msg), 0);
	free(msg);
	assert_int_equal(sd_revgraph_add(g, r, &err), 0);
	assert_int_equal(parse(g, "revision = 'b'\ndown_revision = 'a'\n", &r, &msg), 0);
	free(msg);
	assert_int_equal(sd_revgraph_add(g, r, &err), 0);
	assert_int_equal(sd_revgraph_finish(g, &err), SD_EINPUT);
	assert_non_null(strstr(err.message, "cycle in the revision graph: a -> b -> a"));
	sd_error_clear(&err);
	sd_revgraph_free(g);
}

static void test_ids(void **state)
{
	sd_revgraph *g = load_case("linear");
	sd_error err = SD_ERROR_INIT;
	static const char *const good[] = {
		"abc123", "w.2020.23", "a:b", "A_B", "12345678901234567890123456789012",
	};
	static const char *const bad[] = {
		"", "a@b", "a-b", "a+b", "123456789012345678901234567890123", "a/b", "a\nb",
		"bbbbbbbbbbbb", "w.2020.22",
	};
	size_t i;
	char *id, *id2;

	for (i = 0; i < SD_ARRAY_LEN(good); i++) {
		if (sd_revision_id_validate(g, good[i], &err) != 0)
			fail_msg("'%s' refused: %s", good[i], err.message);
	}
	for (i = 0; i < SD_ARRAY_LEN(bad); i++) {
		if (sd_revision_id_validate(g, bad[i], &err) != SD_EINPUT)
			fail_msg("'%s' accepted", bad[i]);
		sd_error_clear(&err);
	}
	assert_int_equal(sd_revision_id_validate(g, "x-@+", &err), SD_EINPUT);
	assert_string_equal(err.message, "character(s) '@, -, +' not allowed in revision identifier 'x-@+'");
	sd_error_clear(&err);
	assert_int_equal(sd_revision_id_validate(g, "bbbbbbbbbbbb", &err), SD_EINPUT);
	assert_non_null(strstr(err.message, "already exists in"));
	assert_non_null(strstr(err.message, "bbbbbbbbbbbb_add_email.py"));
	sd_error_clear(&err);
	assert_int_equal(sd_revision_id_validate(NULL, "bbbbbbbbbbbb", &err), 0);

	unsetenv("SD_REVISION_ID_SEED");
	id = sd_revision_id_new();
	id2 = sd_revision_id_new();
	assert_int_equal(strlen(id), 12);
	assert_int_equal(strspn(id, "0123456789abcdef"), 12);
	assert_string_not_equal(id, id2);
	assert_int_equal(sd_revision_id_validate(g, id, &err), 0);
	free(id);
	free(id2);
	sd_revgraph_free(g);
}

static void test_slug(void **state)
{
	static const struct { const char *msg; int len; const char *slug; } cases[] = {
		{ "create users table", 0, "create_users_table" },
		{ NULL, 0, "" },
		{ "", 0, "" },
		{ "...!!!", 0, "" },
		{ "Add Email, and: a 'Column'!", 0, "add_email_and_a_column" },
		{ "this is a very long message that goes past forty characters", 0,
		  "this_is_a_very_long_message_that_goes_" },
		{ "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopq", 0,
		  "abcdefghijklmnopqrstuvwxyzabcdefghijklmn_" },
		{ "one two three", 5, "one_" },
		{ "Größe ändern", 0, "größe_ändern" },
		{ "ΟΔΟΣ ΣΑΣ", 0, "οδος_σας" },
		{ "İstanbul", 0, "i\xcc\x87stanbul" },
		{ "snake_case_already", 0, "snake_case_already" },
	};
	size_t i;

	for (i = 0; i < SD_ARRAY_LEN(cases); i++) {
		char *s = sd_revision_slug(cases[i].msg, cases[i].len);

		if (strcmp(s, cases[i].slug) != 0)
			fail_msg("slug(%s) = '%s', expected '%s'", cases[i].msg ? cases[i].msg : "NULL",
				 s, cases[i].slug);
		free(s);
	}
	{
		char *f = sd_revision_filename("ae1027a6acf", "Add a column", 0);

		assert_string_equal(f, "ae1027a6acf_add_a_column.py");
		free(f);
	}
}

static char *write_tmp_ini(char *dir_template, const char *text)
{
	sd_str path = SD_STR_INIT;
	FILE *f;

	assert_non_null(mkdtemp(dir_template));
	sd_str_addf(&path, "%s/alembic.ini", dir_template);
	f = fopen(path.ptr, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return sd_str_detach(&path);
}

static void test_ini(void **state)
{
	char dir[] = "/tmp/sd-revini-XXXXXX";
	char *path;
	sd_alembic_config *cfg;
	sd_error err = SD_ERROR_INIT;
	sd_str s = SD_STR_INIT;

	path = write_tmp_ini(dir,
		"# comment\n[DEFAULT]\nbase = %(here)s/db\n\n"
		"[alembic]\n"
		"Script_Location = %(here)s/migrations\n"
		"version_locations = %(base)s/v1:%(here)s/v2::relative/v3\n"
		"version_path_separator = os\n"
		"truncate_slug_length = 20\n"
		"sqlalchemy.url = sqlite:///100%%.db\n"
		"\n[loggers]\nkeys = root\n");
	assert_int_equal(sd_alembic_config_load(&cfg, path, NULL, &err), 0);
	sd_str_addf(&s, "%s/migrations", dir);
	assert_string_equal(cfg->script_location, s.ptr);
	assert_int_equal(cfg->n_versions, 3);
	sd_str_reset(&s);
	sd_str_addf(&s, "%s/db/v1", dir);
	assert_string_equal(cfg->versions[0], s.ptr);
	sd_str_reset(&s);
	sd_str_addf(&s, "%s/v2", dir);
	assert_string_equal(cfg->versions[1], s.ptr);
	assert_string_equal(cfg->versions[2], "relative/v3");
	assert_int_equal(cfg->truncate_slug_length, 20);
	assert_true(cfg->has_version_locations);
	sd_alembic_config_free(cfg);
	unlink(path);
	free(path);
	rmdir(dir);

	/* legacy separators, relative script_location kept as written */
	memcpy(dir, "/tmp/sd-revini-XXXXXX", sizeof(dir));
	path = write_tmp_ini(dir, "[alembic]\nscript_location = alembic\n"
			     "version_locations = a, b  c,d\n  e\n");
	assert_int_equal(sd_alembic_config_load(&cfg, path, NULL, &err), 0);
	assert_string_equal(cfg->script_location, "alembic");
	assert_int_equal(cfg->n_versions, 4);
	assert_string_equal(cfg->versions[0], "a");
	assert_string_equal(cfg->versions[2], "c");
	assert_string_equal(cfg->versions[3], "d\ne"); /* as configparser joins */
	sd_alembic_config_free(cfg);
	unlink(path);
	free(path);
	rmdir(dir);

	/* default versions dir */
	memcpy(dir, "/tmp/sd-revini-XXXXXX", sizeof(dir));
	path = write_tmp_ini(dir, "[alembic]\nscript_location: mig\n");
	assert_int_equal(sd_alembic_config_load(&cfg, path, NULL, &err), 0);
	assert_int_equal(cfg->n_versions, 1);
	assert_string_equal(cfg->versions[0], "mig/versions");
	assert_false(cfg->has_version_locations);
	assert_int_equal(cfg->truncate_slug_length, 40);
	sd_alembic_config_free(cfg);
	unlink(path);
	free(path);
	rmdir(dir);

	/* errors */
	memcpy(dir, "/tmp/sd-revini-XXXXXX", sizeof(dir));
	path = write_tmp_ini(dir, "[alembic]\nscript_location = x\nversion_locations = a b\n"
			     "version_path_separator = os  # a comment\n");
	assert_int_equal(sd_alembic_config_load(&cfg, path, NULL, &err), SD_EINPUT);
	assert_non_null(strstr(err.message, "not a valid value for version_path_separator"));
	sd_error_clear(&err);
	unlink(path);
	free(path);
	rmdir(dir);

	memcpy(dir, "/tmp/sd-revini-XXXXXX", sizeof(dir));
	path = write_tmp_ini(dir, "[alembic]\nsqlalchemy.url = x\n");
	assert_int_equal(sd_alembic_config_load(&cfg, path, NULL, &err), SD_EINPUT);
	assert_non_null(strstr(err.message, "no 'script_location' key"));
	sd_error_clear(&err);
	assert_int_equal(sd_alembic_config_load(&cfg, path, "other", &err), SD_EINPUT);
	assert_string_equal(err.message, "no [other] section");
	sd_error_clear(&err);
	unlink(path);
	free(path);
	rmdir(dir);

	memcpy(dir, "/tmp/sd-revini-XXXXXX", sizeof(dir));
	path = write_tmp_ini(dir, "[alembic]\nscript_location = %(nope)s/x\n");
	assert_int_equal(sd_alembic_config_load(&cfg, path, NULL, &err), SD_EINPUT);
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.message, "no option 'nope'"));
	sd_error_clear(&err);
	unlink(path);
	free(path);
	rmdir(dir);
	sd_str_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linear),
		cmocka_unit_test(test_branches),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_depends_labels),
		cmocka_unit_test(test_annotated),
		cmocka_unit_test(test_empty_and_multi),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_literals),
		cmocka_unit_test(test_graph_checks),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_slug),
		cmocka_unit_test(test_ini),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
