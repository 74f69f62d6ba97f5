/*
 * pg_version.c - Alembic's version table on PostgreSQL: read it inside a
 * READ ONLY transaction, and write it for `schemadiff stamp` (the one
 * command that writes to a database) in one transaction that locks the
 * table first.  The table is looked up on the connection's search_path,
 * where Alembic's default env.py creates it.  Statements are Alembic's
 * (version_table.c).  No message ever carries the password.
 */
#include <stdlib.h>
#include <string.h>
#include <libpq-fe.h>

#include "introspect/pg_introspect.h"
#include "introspect/version_table.h"

typedef struct vctx {
	PGconn *conn;
	sd_str label;   /* the URL with its password redacted */
	sd_error *err;
} vctx;

static void one_line(sd_str *out, const char *msg)
{
	bool space = false;
	size_t start = out->len;

	for (const char *p = msg; p && *p; p++) {
		if (*p == '\n' || *p == '\t' || *p == '\r' || *p == ' ') {
			space = true;
			continue;
		}
		if (space && out->len > start)
			sd_str_addch(out, ' ');
		space = false;
		sd_str_addch(out, *p);
	}
}

static int vfail(vctx *c, const char *what, const char *sql, PGresult *res)
{
	sd_str m = SD_STR_INIT;
	int rc;

	one_line(&m, res ? PQresultErrorMessage(res) : PQerrorMessage(c->conn));
	rc = sd_error_set_at(c->err, SD_EDB, c->label.ptr, 0, 0, NULL, "%s: %s", what, m.ptr);
	if (sql)
		sd_error_set_detail(c->err, "statement: %s", sql);
	sd_str_release(&m);
	return rc;
}

static int vconnect(vctx *c, const char *url, sd_error *err)
{
	const char *keys[] = { "connect_timeout", "fallback_application_name", "dbname", NULL };
	const char *vals[] = { "10", "schemadiff", NULL, NULL };
	sd_str ci = SD_STR_INIT;
	int rc = 0;

	c->err = err;
	sd_str_init(&c->label);
	sd_pg_redact_url(&c->label, url);
	sd_pg_conninfo(&ci, url);
	vals[2] = ci.ptr;
	c->conn = PQconnectdbParams(keys, vals, 1);
	if (!c->conn || PQstatus(c->conn) != CONNECTION_OK) {
		sd_str m = SD_STR_INIT;

		one_line(&m, c->conn ? PQerrorMessage(c->conn) : "out of memory");
		rc = sd_error_set_at(err, SD_EDB, c->label.ptr, 0, 0, NULL,
				     "cannot connect to PostgreSQL: %s", m.ptr);
		sd_str_release(&m);
	}
	sd_str_release(&ci);
	return rc;
}

static void vclose(vctx *c)
{
	if (c->conn)
		PQfinish(c->conn);
	sd_str_release(&c->label);
}

static int exec_ok(vctx *c, const char *sql, const char *what)
{
	PGresult *r = PQexec(c->conn, sql);
	int rc = 0;

	if (!r || (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK))
		rc = vfail(c, what, sql, r);
	PQclear(r);
	return rc;
}

/* 1 and the rows when the table exists on the search_path, 0 when not, <0 on error. */
static int read_rows(vctx *c, bool lock, char ***revs, size_t *n)
{
	static const char q_exists[] = "SELECT to_regclass('alembic_version') IS NOT NULL";
	const char *q_rows = lock ? "SELECT version_num FROM alembic_version ORDER BY version_num FOR UPDATE"
				  : "SELECT version_num FROM alembic_version ORDER BY version_num";
	PGresult *r;
	size_t alloc = 0;
	int rc, i;

	*revs = NULL;
	*n = 0;
	r = PQexec(c->conn, q_exists);
	if (!r || PQresultStatus(r) != PGRES_TUPLES_OK) {
		rc = vfail(c, "cannot look for alembic_version", q_exists, r);
		PQclear(r);
		return rc;
	}
	rc = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	if (!rc)
		return 0;
	r = PQexec(c->conn, q_rows);
	if (!r || PQresultStatus(r) != PGRES_TUPLES_OK) {
		rc = vfail(c, "cannot read alembic_version", q_rows, r);
		PQclear(r);
		return rc;
	}
	for (i = 0; i < PQntuples(r); i++) {
		SD_GROW(*revs, *n + 1, alloc);
		(*revs)[(*n)++] = xstrdup(PQgetvalue(r, i, 0));
	}
	PQclear(r);
	return 1;
}

int sd_pg_read_version_table(const char *url, char ***revs, size_t *n, sd_error *err)
{
	vctx c = { 0 };
	int rc;

	*revs = NULL;
	*n = 0;
	if ((rc = vconnect(&c, url, err)))
		goto done;
	if ((rc = exec_ok(&c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "cannot begin")))
		goto done;
	rc = read_rows(&c, false, revs, n);
	if (rc >= 0)
		rc = rc == 1 ? 0 : 1;   /* the hook's convention: 1 = no table */
	exec_ok(&c, "ROLLBACK", "cannot end the read-only transaction");
done:
	vclose(&c);
	return rc;
}

int sd_pg_write_version_table(const char *url, const char *const *revs, size_t n, bool print_sql,
			      sd_str *sql_out, sd_error *err)
{
	vctx c = { 0 };
	char **cur = NULL;
	size_t ncur = 0;
	sd_str sql = SD_STR_INIT;
	bool in_tx = false;
	int rc, exists;

	if ((rc = vconnect(&c, url, err)))
		goto done;
	if ((rc = exec_ok(&c, print_sql ? "BEGIN READ ONLY" : "BEGIN", "cannot begin")))
		goto done;
	in_tx = true;
	/* Rows locked while we plan (FOR UPDATE), so what we read cannot change under us. */
	if ((exists = read_rows(&c, !print_sql, &cur, &ncur)) < 0) {
		rc = exists;
		goto done;
	}
	sd_version_table_plan(&sql, !exists, cur, ncur, revs, n);
	if (!print_sql) {
		if (sql.len && (rc = exec_ok(&c, sql.ptr, "cannot write alembic_version")))
			goto done;
		if ((rc = exec_ok(&c, "COMMIT", "cannot commit alembic_version")))
			goto done;
		in_tx = false;
	}
	if (sql_out)
		sd_str_add(sql_out, sql.ptr);
	rc = 0;
done:
	if (in_tx && c.conn)
		PQclear(PQexec(c.conn, "ROLLBACK"));
	vclose(&c);
	sd_version_revs_free(cur, ncur);
	sd_str_release(&sql);
	return rc;
}
