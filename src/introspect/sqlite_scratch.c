/*
 * sqlite_scratch.c - a scratch copy of an SQLite database, for proving a
 * migration before its revision file is written (dialect.h, scratch_*).
 *
 * The source is opened read-only (as the introspector opens it) and copied
 * into a private in-memory database with SQLite's online backup API; SQL runs
 * only on the copy, so the original file is never written.  The copy holds
 * the rows too, so a migration that breaks them (a table rebuild that loses
 * child rows, a foreign key left dangling) fails here and not in production.
 * Without a url the scratch database is empty: the proof then builds the
 * source there from its model (a schema file FROM, diff --verify).
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "sqlite_introspect.h"

typedef struct scratch {
	sqlite3 *db;
	char *label;   /* "<url> (scratch copy)", the introspected schema's source */
	const char *where;   /* for messages: "a copy of the database" */
} scratch;

int sd_sqlite_scratch_open(void **out, const char *url, sd_error *err)
{
	sqlite3 *src = NULL, *mem = NULL;
	sqlite3_backup *b;
	scratch *sc;
	int rc;

	*out = NULL;
	if (url && (rc = sd_sqlite_open_url(&src, url, err)))
		return rc;
	rc = sqlite3_open_v2(":memory:", &mem, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		rc = sd_error_set_at(err, SD_EDB, url ? url : ":memory:", 0, 0, NULL,
				     "cannot open an in-memory database: %s",
				     mem ? sqlite3_errmsg(mem) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(mem, 1);
	if (!url) /* an empty database, for a source built from its model */
		goto opened;
	b = sqlite3_backup_init(mem, "main", src, "main");
	if (!b) {
		rc = sd_error_set_at(err, SD_EDB, url, 0, 0, NULL,
				     "cannot copy the database into memory: %s", sqlite3_errmsg(mem));
		goto fail;
	}
	rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		rc = sd_error_set_at(err, SD_EDB, url, 0, 0, NULL,
				     "cannot copy the database into memory: %s", sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_close(src);
opened:
	sc = xcalloc(1, sizeof(*sc));
	sc->db = mem;
	sc->where = url ? "a copy of the database" : "a scratch database";
	{
		sd_str l = SD_STR_INIT;

		if (url)
			sd_str_addf(&l, "%s (scratch copy)", url);
		else
			sd_str_add(&l, "(in-memory scratch database)");
		sc->label = sd_str_detach(&l);
	}
	*out = sc;
	return 0;
fail:
	sqlite3_close(mem);
	sqlite3_close(src);
	return rc;
}

/* Does statement text st (leading blanks skipped) start with word w? */
static bool starts_with_ci(const char *st, const char *w)
{
	while (*st == ' ' || *st == '\t' || *st == '\n' || *st == '\r')
		st++;
	return sd_strncasecmp(st, w, strlen(w)) == 0;
}

/* One statement's text for a message: at most 200 bytes, trimmed. */
static void statement_text(sd_str *out, const char *start, const char *end)
{
	while (start < end && strchr(" \t\r\n", *start))
		start++;
	while (end > start && strchr(" \t\r\n;", end[-1]))
		end--;
	if (end - start > 200) {
		sd_str_addn(out, start, 200);
		sd_str_add(out, " ...");
	} else {
		sd_str_addn(out, start, (size_t)(end - start));
	}
}

/*
 * Run sql statement by statement, so that a failure names its statement.
 * A PRAGMA foreign_key_check that returns rows is a failure too (the sqlite3
 * shell would only print them).  On failure an open transaction is rolled
 * back.
 */
int sd_sqlite_scratch_exec(void *p, const char *sql, sd_error *err)
{
	scratch *sc = p;
	const char *cur = sql, *tail = NULL;
	sqlite3_stmt *st = NULL;
	int rc = 0, src;

	while (cur && *cur) {
		src = sqlite3_prepare_v2(sc->db, cur, -1, &st, &tail);
		if (src != SQLITE_OK) {
			sd_str s = SD_STR_INIT;

			statement_text(&s, cur, tail && tail > cur ? tail : cur + strlen(cur));
			rc = sd_error_set(err, SD_EVERIFY, "SQL fails on %s: %s", sc->where,
					  sqlite3_errmsg(sc->db));
			sd_error_set_detail(err, "statement: %s", s.ptr);
			sd_str_release(&s);
			goto done;
		}
		if (!st) { /* blanks or a comment */
			cur = tail;
			continue;
		}
		while ((src = sqlite3_step(st)) == SQLITE_ROW) {
			if (starts_with_ci(cur, "PRAGMA") &&
			    strstr(sqlite3_sql(st), "foreign_key_check")) {
				const unsigned char *t = sqlite3_column_text(st, 0);

				rc = sd_error_set(err, SD_EVERIFY, "SQL leaves rows that violate a "
						  "foreign key on %s (table \"%s\")", sc->where,
						  t ? (const char *)t : "?");
				goto done;
			}
		}
		if (src != SQLITE_DONE) {
			sd_str s = SD_STR_INIT;

			statement_text(&s, cur, tail);
			rc = sd_error_set(err, SD_EVERIFY, "SQL fails on %s: %s", sc->where,
					  sqlite3_errmsg(sc->db));
			sd_error_set_detail(err, "statement: %s", s.ptr);
			sd_str_release(&s);
			goto done;
		}
		sqlite3_finalize(st);
		st = NULL;
		cur = tail;
	}
done:
	sqlite3_finalize(st);
	if (rc && !sqlite3_get_autocommit(sc->db))
		sqlite3_exec(sc->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

int sd_sqlite_scratch_introspect(void *p, sd_schema **out, sd_error *err)
{
	scratch *sc = p;

	return sd_sqlite_introspect_handle(out, sc->db, sc->label, err);
}

void sd_sqlite_scratch_close(void *p)
{
	scratch *sc = p;

	if (!sc)
		return;
	sqlite3_close(sc->db);
	free(sc->label);
	free(sc);
}
