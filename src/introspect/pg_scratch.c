/*
 * pg_scratch.c - the PostgreSQL proof database (dialect.h,
 * scratch_open_empty / scratch_exec / scratch_introspect / scratch_close).
 *
 * A PostgreSQL database cannot be copied cheaply, so the proof runs on an
 * empty scratch database the user names with --dev-url: open refuses one
 * that holds any table, view, sequence or user type in a non-system schema
 * (so nothing of the user's is ever dropped), creates the schemas the
 * source model uses that are missing, and remembers them.  The caller
 * (prove.c) builds the source schema there from its model, runs the
 * migration, and reads the result back; close drops every relation and
 * type left in those schemas and the schemas open created, so the database
 * is empty again.  The live source database is never connected to.
 */
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "schemadiff/dialect.h"
#include "introspect/pg_introspect.h"
#include "introspect/pg_scratch.h"

typedef struct pg_scratch {
	PGconn *conn;
	char *url;                  /* the dev URL, as given (for the introspector) */
	char *label;                /* redacted, for messages */
	const char **schemas;       /* current_schema() first, then the source's others */
	size_t nschemas;
	bool *created;              /* schemas[i] was created by open */
} pg_scratch;

/* Server notices (a ROLLBACK outside a transaction, CASCADE details) are not ours to print. */
static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static char *dup_str(const char *s)
{
	return xstrdup(s);
}

static void add_schema(pg_scratch *sc, const char *name, bool created)
{
	for (size_t i = 0; i < sc->nschemas; i++)
		if (strcmp(sc->schemas[i], name) == 0)
			return;
	sc->schemas = xrealloc(sc->schemas, (sc->nschemas + 1) * sizeof(*sc->schemas));
	sc->created = xrealloc(sc->created, (sc->nschemas + 1) * sizeof(*sc->created));
	sc->schemas[sc->nschemas] = dup_str(name);
	sc->created[sc->nschemas] = created;
	sc->nschemas++;
}

/* Run sql; on failure set err with the server's words (and the statement). */
static int exec_sql(pg_scratch *sc, const char *sql, const char *what, PGresult **out,
		    sd_error *err)
{
	PGresult *r = PQexec(sc->conn, sql);
	ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
		int rc = sd_error_set_at(err, SD_EVERIFY, sc->label, 0, 0, NULL, "%s: %s", what,
					 msg ? msg : PQerrorMessage(sc->conn));

		PQclear(r);
		/* a failed section may leave a transaction open */
		PQclear(PQexec(sc->conn, "ROLLBACK"));
		return rc;
	}
	if (out)
		*out = r;
	else
		PQclear(r);
	return 0;
}

static void scratch_free(pg_scratch *sc)
{
	if (!sc)
		return;
	if (sc->conn)
		PQfinish(sc->conn);
	for (size_t i = 0; i < sc->nschemas; i++)
		free((char *)sc->schemas[i]);
	free(sc->schemas);
	free(sc->created);
	free(sc->url);
	free(sc->label);
	free(sc);
}

/* "ARRAY['a','b']" with each name as an escaped literal. */
static void schema_array(pg_scratch *sc, sd_str *out)
{
	sd_str_add(out, "ARRAY[");
	for (size_t i = 0; i < sc->nschemas; i++) {
		char *lit = PQescapeLiteral(sc->conn, sc->schemas[i], strlen(sc->schemas[i]));

		sd_str_addf(out, "%s%s", i ? ", " : "", lit ? lit : "''");
		PQfreemem(lit);
	}
	sd_str_add(out, "]::name[]");
}

int sd_pg_scratch_open_empty(void **out, const char *dev_url, const sd_schema *source,
			     sd_error *err)
{
	pg_scratch *sc = xcalloc(1, sizeof(*sc));
	sd_str ci = SD_STR_INIT, lbl = SD_STR_INIT, q = SD_STR_INIT;
	PGresult *r = NULL;
	int rc = 0;

	*out = NULL;
	sd_pg_redact_url(&lbl, dev_url);
	sc->label = sd_str_detach(&lbl);
	sc->url = dup_str(dev_url);
	sd_pg_conninfo(&ci, dev_url);
	sc->conn = PQconnectdb(ci.ptr);
	if (PQstatus(sc->conn) != CONNECTION_OK) {
		const char *m = PQerrorMessage(sc->conn);
		size_t n = strcspn(m, "\n");

		rc = sd_error_set_at(err, SD_EDB, sc->label, 0, 0, NULL,
				     "cannot connect to the dev database: %.*s", (int)n, m);
		goto done;
	}
	PQsetNoticeProcessor(sc->conn, quiet, NULL);

	/* empty? anything of the user's would be at risk on close */
	if ((rc = exec_sql(sc,
			   "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON "
			   "n.oid = c.relnamespace WHERE c.relkind IN ('r','p','v','m','S','f') AND "
			   "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT "
			   "LIKE 'pg\\_%' UNION ALL SELECT n.nspname, t.typname FROM pg_type t JOIN "
			   "pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype IN ('e','d','r') "
			   "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname "
			   "NOT LIKE 'pg\\_%' LIMIT 1",
			   "checking that the dev database is empty", &r, err)))
		goto done;
	if (PQntuples(r) > 0) {
		rc = sd_error_set_at(err, SD_EINPUT, sc->label, 0, 0, NULL,
				     "the dev database is not empty (it holds \"%s.%s\"); --dev-url "
				     "needs an empty scratch database",
				     PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1));
		goto done;
	}
	PQclear(r);
	r = NULL;
	if ((rc = exec_sql(sc, "SELECT current_schema()", "reading current_schema()", &r, err)))
		goto done;
	if (PQgetisnull(r, 0, 0)) {
		rc = sd_error_set_at(err, SD_EINPUT, sc->label, 0, 0, NULL,
				     "the dev database has no current schema (search_path)");
		goto done;
	}
	add_schema(sc, PQgetvalue(r, 0, 0), false);
	PQclear(r);
	r = NULL;

	/* the source's schemas: create the missing ones */
	for (size_t i = 0; i < source->ntables + source->nviews; i++) {
		const char *s = i < source->ntables ? source->tables[i]->schema
						    : source->views[i - source->ntables]->schema;
		char *lit, *id;
		bool exists;

		if (!s)
			continue;
		lit = PQescapeLiteral(sc->conn, s, strlen(s));
		sd_str_reset(&q);
		sd_str_addf(&q, "SELECT 1 FROM pg_namespace WHERE nspname = %s", lit ? lit : "''");
		PQfreemem(lit);
		if ((rc = exec_sql(sc, q.ptr, "reading pg_namespace", &r, err)))
			goto done;
		exists = PQntuples(r) > 0;
		PQclear(r);
		r = NULL;
		if (!exists) {
			id = PQescapeIdentifier(sc->conn, s, strlen(s));
			sd_str_reset(&q);
			sd_str_addf(&q, "CREATE SCHEMA %s", id ? id : "\"\"");
			PQfreemem(id);
			if ((rc = exec_sql(sc, q.ptr, "creating a schema in the dev database", NULL,
					   err)))
				goto done;
		}
		add_schema(sc, s, !exists);
	}
done:
	PQclear(r);
	sd_str_release(&ci);
	sd_str_release(&q);
	if (rc) {
		if (sc->conn && PQstatus(sc->conn) == CONNECTION_OK)
			sd_pg_scratch_close(sc); /* drops the schemas created so far */
		else
			scratch_free(sc);
		return rc;
	}
	*out = sc;
	return 0;
}

int sd_pg_scratch_exec(void *scratch, const char *sql, sd_error *err)
{
	pg_scratch *sc = scratch;

	return exec_sql(sc, sql, "the migration failed in the dev database", NULL, err);
}

int sd_pg_scratch_introspect(void *scratch, sd_schema **out, sd_error *err)
{
	pg_scratch *sc = scratch;
	sd_introspect_opts opts = { .schemas = sc->schemas, .nschemas = sc->nschemas };

	return sd_pg_introspect(out, sc->url, &opts, err);
}

void sd_pg_scratch_close(void *scratch)
{
	pg_scratch *sc = scratch;
	sd_str q = SD_STR_INIT;

	if (!sc)
		return;
	if (sc->conn && PQstatus(sc->conn) == CONNECTION_OK) {
		PQclear(PQexec(sc->conn, "ROLLBACK"));
		/* everything in the schemas we used (the database was empty), then ours */
		sd_str_add(&q, "DO $sd$DECLARE r record; BEGIN\n"
			       "FOR r IN SELECT format('DROP %s IF EXISTS %I.%I CASCADE', CASE c.relkind"
			       " WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN"
			       " 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, n.nspname,"
			       " c.relname) AS stmt FROM pg_class c JOIN pg_namespace n ON n.oid ="
			       " c.relnamespace WHERE c.relkind IN ('r','p','v','m','S','f') AND"
			       " n.nspname = ANY (");
		schema_array(sc, &q);
		sd_str_add(&q, ") ORDER BY c.relkind = 'S' LOOP EXECUTE r.stmt; END LOOP;\n"
			       "FOR r IN SELECT format('DROP TYPE IF EXISTS %I.%I CASCADE', n.nspname,"
			       " t.typname) AS stmt FROM pg_type t JOIN pg_namespace n ON n.oid ="
			       " t.typnamespace WHERE t.typtype IN ('e','d','r') AND n.nspname = ANY (");
		schema_array(sc, &q);
		sd_str_add(&q, ") LOOP EXECUTE r.stmt; END LOOP;\nEND$sd$;\n");
		for (size_t i = 0; i < sc->nschemas; i++) {
			char *id;

			if (!sc->created[i])
				continue;
			id = PQescapeIdentifier(sc->conn, sc->schemas[i], strlen(sc->schemas[i]));
			if (id)
				sd_str_addf(&q, "DROP SCHEMA IF EXISTS %s CASCADE;\n", id);
			PQfreemem(id);
		}
		PQclear(PQexec(sc->conn, q.ptr));
	}
	sd_str_release(&q);
	scratch_free(sc);
}
