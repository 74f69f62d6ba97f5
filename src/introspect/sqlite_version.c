/*
 * sqlite_version.c - Alembic's version table on SQLite: read it (read-only,
 * as the introspector opens databases) and write it for `schemadiff stamp`,
 * the one place schemadiff writes to a database.
 *
 * The table and the statements that change its rows are Alembic's
 * (version_table.c).
 */
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "introspect/sqlite_introspect.h"
#include "introspect/version_table.h"

/* 1 when db has an alembic_version table, 0 when not, <0 on error. */
static int has_table(sqlite3 *db, const char *url, sd_error *err)
{
	static const char q[] = "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND "
				"name = 'alembic_version'";
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK) {
		rc = sd_error_set_at(err, SD_EDB, url, 0, 0, NULL, "query failed: %s",
				     sqlite3_errmsg(db));
		sd_error_set_detail(err, "query: %s", q);
		return rc;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		rc = 1;
	else if (rc == SQLITE_DONE)
		rc = 0;
	else {
		rc = sd_error_set_at(err, SD_EDB, url, 0, 0, NULL, "query failed: %s",
				     sqlite3_errmsg(db));
		sd_error_set_detail(err, "query: %s", q);
	}
	sqlite3_finalize(st);
	return rc;
}

/* The rows of alembic_version, sorted. */
static int read_rows(sqlite3 *db, const char *url, char ***revs, size_t *n, sd_error *err)
{
	static const char q[] = "SELECT version_num FROM alembic_version ORDER BY version_num";
	sqlite3_stmt *st = NULL;
	size_t alloc = 0;
	int rc;

	*revs = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK)
		goto fail;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *v = sqlite3_column_text(st, 0);

		SD_GROW(*revs, *n + 1, alloc);
		(*revs)[(*n)++] = xstrdup(v ? (const char *)v : "");
	}
	if (rc != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(st);
	return 0;
fail:
	rc = sd_error_set_at(err, SD_EDB, url, 0, 0, NULL, "query failed: %s", sqlite3_errmsg(db));
	sd_error_set_detail(err, "query: %s", q);
	sqlite3_finalize(st);
	sd_version_revs_free(*revs, *n);
	*revs = NULL;
	*n = 0;
	return rc;
}

int sd_sqlite_read_version_table(const char *url, char ***revs, size_t *n, sd_error *err)
{
	sqlite3 *db = NULL;
	int rc;

	*revs = NULL;
	*n = 0;
	if ((rc = sd_sqlite_open_url(&db, url, err)))
		return rc;
	rc = has_table(db, url, err);
	if (rc == 1)
		rc = read_rows(db, url, revs, n, err);
	else if (rc == 0)
		rc = 1;
	sqlite3_close(db);
	return rc;
}

static int exec(sqlite3 *db, const char *url, const char *sql, sd_error *err)
{
	char *msg = NULL;
	int rc;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	rc = sd_error_set_at(err, SD_EDB, url, 0, 0, NULL, "cannot write alembic_version: %s",
			     msg ? msg : sqlite3_errmsg(db));
	sd_error_set_detail(err, "statement: %s", sql);
	sqlite3_free(msg);
	return rc;
}

int sd_sqlite_write_version_table(const char *url, const char *const *revs, size_t n,
				  bool print_sql, sd_str *sql_out, sd_error *err)
{
	sqlite3 *db = NULL;
	char *path = NULL, **cur = NULL;
	size_t ncur = 0;
	sd_str sql = SD_STR_INIT;
	bool in_tx = false;
	int rc, exists;

	/* The URL rules (and "missing file" errors) are the introspector's. */
	if ((rc = sd_sqlite_open_url(&db, url, err)))
		goto done;
	if (!print_sql) {
		const char *f = sqlite3_db_filename(db, "main");

		if (!f || !*f) {
			rc = sd_error_set_at(err, SD_EINPUT, url, 0, 0, NULL,
					     "cannot stamp an in-memory database");
			goto done;
		}
		path = xstrdup(f);
		sqlite3_close(db);
		db = NULL;
		if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
			rc = sd_error_set_at(err, SD_EDB, url, 0, 0, NULL,
					     "cannot open database file \"%s\" for writing: %s", path,
					     db ? sqlite3_errmsg(db) : "out of memory");
			goto done;
		}
		sqlite3_busy_timeout(db, 5000);
		/* Take the write lock first: what we read cannot change under us. */
		if ((rc = exec(db, url, "BEGIN IMMEDIATE", err)))
			goto done;
		in_tx = true;
	}
	if ((exists = has_table(db, url, err)) < 0) {
		rc = exists;
		goto done;
	}
	if (exists && (rc = read_rows(db, url, &cur, &ncur, err)))
		goto done;
	sd_version_table_plan(&sql, !exists, cur, ncur, revs, n);
	if (!print_sql) {
		if (sql.len && (rc = exec(db, url, sql.ptr, err)))
			goto done;
		if ((rc = exec(db, url, "COMMIT", err)))
			goto done;
		in_tx = false;
	}
	if (sql_out)
		sd_str_add(sql_out, sql.ptr);
	rc = 0;
done:
	if (in_tx)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	if (db)
		sqlite3_close(db);
	sd_version_revs_free(cur, ncur);
	free(path);
	sd_str_release(&sql);
	return rc;
}
