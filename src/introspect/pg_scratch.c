/*
 * pg_scratch.c - the PostgreSQL proof database (dialect.h,
 * scratch_open_empty / scratch_exec / scratch_introspect /
 * scratch_check_texts / scratch_close).
 *
 * A PostgreSQL database cannot be copied cheaply, so the proof runs on an
 * empty scratch database the user names with --dev-url: open refuses one
 * that holds any table, view, sequence or user type in a non-system schema
 * (so nothing of the user's is ever dropped), creates the schemas the
 * source model uses that are missing, and remembers them.  The caller
 * (prove.c) builds the source schema there from its model, runs the
 * migration, and reads the result back (and may ask for CHECK expressions
 * in the server's canonical form, in a transaction that is rolled back);
 * close drops every relation and type left in those schemas and the
 * schemas open created, so the database is empty again.  The live source
 * database is never connected to.
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

	/* an empty section (a migration without ops) is no failure */
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
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
	sd_introspect_opts opts = { sc->schemas, sc->nschemas };

	return sd_pg_introspect(out, sc->url, &opts, err);
}

/* Dollar-quote tag of the DO block below; text holding it is not sent. */
#define CK_TAG "$sd_check_text$"

static bool has_tag(const char *s)
{
	return s && strstr(s, CK_TAG) != NULL;
}

/* Append s as a literal (PQescapeLiteral); false when libpq refuses it. */
static bool add_literal(pg_scratch *sc, sd_str *out, const char *s)
{
	char *lit = PQescapeLiteral(sc->conn, s, strlen(s));

	if (!lit)
		return false;
	sd_str_add(out, lit);
	PQfreemem(lit);
	return true;
}

/* Append s as a quoted identifier (PQescapeIdentifier); false when libpq refuses it. */
static bool add_ident(pg_scratch *sc, sd_str *out, const char *s)
{
	char *id = PQescapeIdentifier(sc->conn, s, strlen(s));

	if (!id)
		return false;
	sd_str_add(out, id);
	PQfreemem(id);
	return true;
}

/*
 * One item of the DO block: a temporary table with t's columns, the CHECK
 * created, read back with pg_get_expr and dropped until the text is stable,
 * the result stored as row i.  A failure (unknown type, bad expression) is
 * caught by the item's own exception handler: no row for i.  False when
 * the item cannot be written safely (then nothing is appended).
 */
static bool check_text_item(pg_scratch *sc, sd_str *out, size_t i, const sd_table *t,
			    const char *expr)
{
	sd_str qt = SD_STR_INIT, create = SD_STR_INIT, reg = SD_STR_INIT, item = SD_STR_INIT;
	bool ok = false;
	size_t j;

	if (!t || !expr || has_tag(expr) || has_tag(t->name) || !add_ident(sc, &qt, t->name))
		goto done;
	sd_str_addf(&create, "CREATE TEMPORARY TABLE pg_temp.%s (", qt.ptr);
	for (j = 0; j < t->ncolumns; j++) {
		const sd_column *col = t->columns[j];

		if (!col->type || has_tag(col->type) || has_tag(col->name))
			goto done;
		if (j)
			sd_str_add(&create, ", ");
		if (!add_ident(sc, &create, col->name))
			goto done;
		sd_str_addf(&create, " %s", col->type);
	}
	sd_str_addch(&create, ')');
	sd_str_addf(&reg, "pg_temp.%s", qt.ptr);

	sd_str_add(&item, "BEGIN\n  EXECUTE ");
	if (!add_literal(sc, &item, create.ptr))
		goto done;
	sd_str_add(&item, ";\n  sd_d := ");
	if (!add_literal(sc, &item, expr))
		goto done;
	sd_str_add(&item, ";\n  sd_t := ");
	if (!add_literal(sc, &item, reg.ptr))
		goto done;
	sd_str_addf(&item, ";\n"
		    "  FOR sd_k IN 1..8 LOOP\n"
		    "    EXECUTE 'ALTER TABLE ' || sd_t || ' ADD CONSTRAINT sd_check_text CHECK (' || sd_d"
		    " || ') NOT VALID';\n"
		    "    SELECT pg_catalog.pg_get_expr(c.conbin, c.conrelid) INTO sd_p"
		    " FROM pg_catalog.pg_constraint c WHERE c.conrelid = sd_t::pg_catalog.regclass"
		    " AND c.conname = 'sd_check_text';\n"
		    "    EXECUTE 'ALTER TABLE ' || sd_t || ' DROP CONSTRAINT sd_check_text';\n"
		    "    EXIT WHEN sd_p = sd_d;\n"
		    "    sd_d := sd_p;\n"
		    "  END LOOP;\n"
		    "  IF sd_p = sd_d THEN\n"
		    "    INSERT INTO pg_temp.sd_check_text_out VALUES (%zu, sd_d);\n"
		    "  END IF;\n"
		    "  EXECUTE 'DROP TABLE ' || sd_t;\n"
		    "EXCEPTION WHEN others THEN NULL;\n"
		    "END;\n", i);
	sd_str_add(out, item.ptr);
	ok = true;
done:
	sd_str_release(&qt);
	sd_str_release(&create);
	sd_str_release(&reg);
	sd_str_release(&item);
	return ok;
}

int sd_pg_scratch_check_texts(void *scratch, const sd_table *const *tables,
			      const char *const *exprs, size_t n, char **out, sd_error *err)
{
	pg_scratch *sc = scratch;
	sd_str q = SD_STR_INIT;
	PGresult *r = NULL;
	size_t i, asked = 0;
	int rc = 0, k;

	for (i = 0; i < n; i++)
		out[i] = NULL;
	sd_str_add(&q, "BEGIN;\n"
		       "CREATE TEMPORARY TABLE sd_check_text_out (i bigint, t text);\n"
		       "DO " CK_TAG "\nDECLARE sd_d text; sd_p text; sd_t text; sd_k integer;\nBEGIN\n");
	for (i = 0; i < n; i++)
		asked += check_text_item(sc, &q, i, tables[i], exprs[i]);
	sd_str_add(&q, "END\n" CK_TAG ";\nSELECT i, t FROM pg_temp.sd_check_text_out ORDER BY i");
	if (!asked)
		goto done;
	if ((rc = exec_sql(sc, q.ptr, "reading CHECK expressions back in the dev database", &r,
			   err)))
		goto done;
	for (k = 0; k < PQntuples(r); k++) {
		size_t at = (size_t)strtoull(PQgetvalue(r, k, 0), NULL, 10);

		if (at < n && !out[at])
			out[at] = xstrdup(PQgetvalue(r, k, 1));
	}
done:
	PQclear(r);
	if (asked)
		PQclear(PQexec(sc->conn, "ROLLBACK"));
	sd_str_release(&q);
	return rc;
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
