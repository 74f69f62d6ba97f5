/*
 * pg_scratch.c - the PostgreSQL proof database (dialect.h,
 * scratch_open_empty / scratch_exec / scratch_introspect /
 * scratch_check_texts / scratch_close).
 *
 * A PostgreSQL database cannot be copied cheaply, so the proof runs on an
 * empty scratch database the user names with --dev-url: open refuses one
 * that holds any table, view, sequence or user type in a non-system schema
 * (so nothing of the user's is ever dropped), remembers which schemas
 * exist, and creates the ones the source model uses that are missing.  The
 * caller (prove.c) builds the source schema there from its model, runs the
 * migration, and reads the result back (and may ask for CHECK expressions
 * in the server's canonical form, in a transaction that is rolled back);
 * close (also after a statement failed half-way) rolls back what is open,
 * drops every relation and type in the non-system schemas (there were none
 * at open) and every schema that did not exist at open, so the database is
 * empty again.  The live source database is never connected to.
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
	sd_str before;              /* "ARRAY[...]::name[]": the schemas found at open */
	bool opened;                /* the database was found empty: close may clean it */
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

static void add_schema(pg_scratch *sc, const char *name)
{
	for (size_t i = 0; i < sc->nschemas; i++)
		if (strcmp(sc->schemas[i], name) == 0)
			return;
	sc->schemas = xrealloc(sc->schemas, (sc->nschemas + 1) * sizeof(*sc->schemas));
	sc->schemas[sc->nschemas] = dup_str(name);
	sc->nschemas++;
}

/* The first line of a libpq message (they end in newlines, some have several). */
static int line_len(const char *m)
{
	return (int)strcspn(m, "\n");
}

/*
 * Run one statement; on failure set err (code: SD_EVERIFY for the
 * migration's SQL, a verdict on it; SD_EDB for our own statements) with
 * the server's words, roll back what the failure left open, and return
 * the code.
 */
static int exec_sql(pg_scratch *sc, const char *sql, const char *what, int code, PGresult **out,
		    sd_error *err)
{
	PGresult *r = PQexec(sc->conn, sql);
	ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;

	/* an empty section (a migration without ops) is no failure */
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
		const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
		int rc;

		if (!msg)
			msg = PQerrorMessage(sc->conn);
		rc = sd_error_set_at(err, code, sc->label, 0, 0, NULL, "%s: %.*s", what,
				     line_len(msg), msg);
		PQclear(r);
		/* a failed statement inside BEGIN leaves the transaction aborted */
		PQclear(PQexec(sc->conn, "ROLLBACK"));
		return rc;
	}
	if (out)
		*out = r;
	else
		PQclear(r);
	return 0;
}

static bool ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '$' || (unsigned char)c >= 0x80;
}

/*
 * The end of the statement that starts at sql + i: just past its ';' (or
 * the end of the text).  PostgreSQL's lexical rules, so that a ';' inside
 * 'strings' (E'...' with backslash escapes), "identifiers", -- and nested
 * / * * / comments or $tag$ dollar quotes $tag$ does not end it.
 */
static size_t statement_end(const char *sql, size_t i)
{
	while (sql[i]) {
		char c = sql[i], prev = i ? sql[i - 1] : ' ';

		if (c == ';')
			return i + 1;
		if (c == '\'' || c == '"') {
			bool backslash = c == '\'' && (prev == 'E' || prev == 'e') &&
					 (i < 2 || !ident_char(sql[i - 2]));

			for (i++; sql[i]; i++) {
				if (backslash && sql[i] == '\\' && sql[i + 1]) {
					i++;
				} else if (sql[i] == c) {
					if (sql[i + 1] != c)
						break;
					i++;
				}
			}
			if (sql[i])
				i++;
		} else if (c == '-' && sql[i + 1] == '-') {
			i += strcspn(sql + i, "\n");
		} else if (c == '/' && sql[i + 1] == '*') {
			int depth = 1;

			for (i += 2; sql[i] && depth; i++) {
				if (sql[i] == '/' && sql[i + 1] == '*')
					depth++, i++;
				else if (sql[i] == '*' && sql[i + 1] == '/')
					depth--, i++;
			}
		} else if (c == '$' && !ident_char(prev) && !(sql[i + 1] >= '0' && sql[i + 1] <= '9')) {
			size_t n = 1;
			const char *close;

			while (sql[i + n] && sql[i + n] != '$' && ident_char(sql[i + n]))
				n++;
			if (sql[i + n] != '$') { /* not a dollar quote */
				i += n;
				continue;
			}
			n++; /* the whole opening tag, "$tag$" */
			for (close = strchr(sql + i + n, '$'); close && strncmp(close, sql + i, n) != 0;
			     close = strchr(close + 1, '$'))
				;
			i = close ? (size_t)(close - sql) + n : i + strlen(sql + i);
		} else {
			i++;
		}
	}
	return i;
}

/*
 * One statement for a message, on one line: its SQL (leading comments and
 * blanks skipped, at most 200 bytes), then the op it renders when a
 * "-- Detected ..." comment of the SQL emitter precedes it (its review
 * line without the [...] marks).
 */
static void statement_text(sd_str *out, const char *start, const char *end)
{
	const char *op = NULL;
	size_t opn = 0;
	bool cut;

	for (;;) {
		while (start < end && strchr(" \t\r\n", *start))
			start++;
		if (end - start < 2 || start[0] != '-' || start[1] != '-')
			break;
		if (strncmp(start, "-- Detected ", 12) == 0) {
			const char *eol = memchr(start, '\n', (size_t)(end - start));
			const char *mark;

			op = start + 3;
			opn = (size_t)((eol ? eol : end) - op);
			mark = memchr(op, '[', opn);
			if (mark)
				opn = (size_t)(mark - op);
			while (opn && op[opn - 1] == ' ')
				opn--;
		}
		start += strcspn(start, "\n");
	}
	while (end > start && strchr(" \t\r\n;", end[-1]))
		end--;
	cut = end - start > 200;
	if (cut)
		end = start + 200;
	for (const char *p = start; p < end; p++)
		sd_str_addch(out, *p == '\n' || *p == '\t' ? ' ' : *p);
	if (cut)
		sd_str_add(out, " ...");
	if (op)
		sd_str_addf(out, " (%.*s)", (int)opn, op);
}

/* Is the text between start and end only blanks and -- / * * / comments? */
static bool only_comments(const char *start, const char *end)
{
	while (start < end) {
		if (strchr(" \t\r\n;", *start)) {
			start++;
		} else if (start[0] == '-' && start + 1 < end && start[1] == '-') {
			start += strcspn(start, "\n");
		} else if (start[0] == '/' && start + 1 < end && start[1] == '*') {
			const char *e = strstr(start + 2, "*/");

			if (!e || e + 2 > end)
				return false;
			start = e + 2;
		} else {
			return false;
		}
	}
	return true;
}

/* "ARRAY['a','b']::name[]" with each name as an escaped literal. */
static void name_array(PGconn *conn, const char *const *names, size_t n, sd_str *out)
{
	sd_str_add(out, "ARRAY[");
	for (size_t i = 0; i < n; i++) {
		char *lit = PQescapeLiteral(conn, names[i], strlen(names[i]));

		sd_str_addf(out, "%s%s", i ? ", " : "", lit ? lit : "''");
		PQfreemem(lit);
	}
	sd_str_add(out, "]::name[]");
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
	sd_str_release(&sc->before);
	free(sc->url);
	free(sc->label);
	free(sc);
}

/* The non-system schemas, as a WHERE condition on pg_namespace n. */
#define USER_SCHEMA "n.nspname NOT IN ('pg_catalog', 'information_schema') AND " \
		    "n.nspname NOT LIKE 'pg\\_%'"

int sd_pg_scratch_open_empty(void **out, const char *dev_url, const sd_schema *source,
			     sd_error *err)
{
	pg_scratch *sc = xcalloc(1, sizeof(*sc));
	sd_str ci = SD_STR_INIT, lbl = SD_STR_INIT, q = SD_STR_INIT;
	PGresult *r = NULL;
	int rc = 0;

	*out = NULL;
	sc->before = (sd_str)SD_STR_INIT;
	sd_pg_redact_url(&lbl, dev_url);
	sc->label = sd_str_detach(&lbl);
	sc->url = dup_str(dev_url);
	sd_pg_conninfo(&ci, dev_url);
	sc->conn = PQconnectdb(ci.ptr);
	if (PQstatus(sc->conn) != CONNECTION_OK) {
		const char *m = PQerrorMessage(sc->conn);

		rc = sd_error_set_at(err, SD_EDB, sc->label, 0, 0, NULL,
				     "cannot connect to the dev database: %.*s", line_len(m), m);
		goto done;
	}
	PQsetNoticeProcessor(sc->conn, quiet, NULL);

	/* empty? anything of the user's would be at risk on close */
	if ((rc = exec_sql(sc,
			   "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON "
			   "n.oid = c.relnamespace WHERE c.relkind IN ('r','p','v','m','S','f') AND "
			   USER_SCHEMA " UNION ALL SELECT n.nspname, t.typname FROM pg_type t JOIN "
			   "pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype IN ('e','d','r') "
			   "AND " USER_SCHEMA " ORDER BY 1, 2 LIMIT 1",
			   "checking that the dev database is empty", SD_EDB, &r, err)))
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

	/* the schemas there now stay; any other is ours to drop on close */
	if ((rc = exec_sql(sc, "SELECT n.nspname FROM pg_namespace n WHERE " USER_SCHEMA
			   " ORDER BY 1", "reading pg_namespace", SD_EDB, &r, err)))
		goto done;
	{
		size_t n = (size_t)PQntuples(r);
		const char **names = xcalloc(n + 1, sizeof(*names));

		for (size_t i = 0; i < n; i++)
			names[i] = PQgetvalue(r, (int)i, 0);
		name_array(sc->conn, names, n, &sc->before);
		free(names);
	}
	PQclear(r);
	r = NULL;
	sc->opened = true;

	if ((rc = exec_sql(sc, "SELECT current_schema()", "reading current_schema()", SD_EDB, &r,
			   err)))
		goto done;
	if (PQgetisnull(r, 0, 0)) {
		rc = sd_error_set_at(err, SD_EINPUT, sc->label, 0, 0, NULL,
				     "the dev database has no current schema (search_path)");
		goto done;
	}
	add_schema(sc, PQgetvalue(r, 0, 0));
	PQclear(r);
	r = NULL;

	/* the source's schemas: create the missing ones */
	for (size_t i = 0; i < source->ntables + source->nviews; i++) {
		const char *s = i < source->ntables ? source->tables[i]->schema
						    : source->views[i - source->ntables]->schema;
		char *id;

		if (!s)
			continue;
		id = PQescapeIdentifier(sc->conn, s, strlen(s));
		sd_str_reset(&q);
		sd_str_addf(&q, "CREATE SCHEMA IF NOT EXISTS %s", id ? id : "\"\"");
		PQfreemem(id);
		if ((rc = exec_sql(sc, q.ptr, "creating a schema in the dev database", SD_EDB, NULL,
				   err)))
			goto done;
		add_schema(sc, s);
	}
done:
	PQclear(r);
	sd_str_release(&ci);
	sd_str_release(&q);
	if (rc) {
		sd_pg_scratch_close(sc); /* drops the schemas created so far, if any */
		return rc;
	}
	*out = sc;
	return 0;
}

/*
 * Run the SQL text (a whole -- migrate:up or :down section) one statement
 * at a time, so that a failure names its statement; the server's error is
 * SD_EVERIFY, and what the failed statement left open is rolled back.
 */
int sd_pg_scratch_exec(void *scratch, const char *sql, sd_error *err)
{
	pg_scratch *sc = scratch;
	size_t i = 0;

	while (sql[i]) {
		size_t end = statement_end(sql, i);
		char *stmt;
		int rc;

		if (only_comments(sql + i, sql + end)) {
			i = end;
			continue;
		}
		stmt = xstrndup(sql + i, end - i);
		rc = exec_sql(sc, stmt, "SQL fails in the dev database", SD_EVERIFY, NULL, err);
		if (rc) {
			sd_str t = SD_STR_INIT;

			statement_text(&t, stmt, stmt + strlen(stmt));
			sd_error_set_detail(err, "statement: %s", t.ptr);
			sd_str_release(&t);
			free(stmt);
			return rc;
		}
		free(stmt);
		i = end;
	}
	return 0;
}

int sd_pg_scratch_introspect(void *scratch, sd_schema **out, sd_error *err)
{
	pg_scratch *sc = scratch;
	sd_introspect_opts opts = { .schemas = sc->schemas, .nschemas = sc->nschemas };

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
	if ((rc = exec_sql(sc, q.ptr, "reading CHECK expressions back in the dev database",
			   SD_EDB, &r, err)))
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

/*
 * Leave the database as open found it: every relation and user type in a
 * non-system schema goes (open found none), then every schema that was not
 * there.  Best effort: close cannot fail, and a lost connection leaves
 * nothing to do from here.
 */
void sd_pg_scratch_close(void *scratch)
{
	pg_scratch *sc = scratch;
	sd_str q = SD_STR_INIT;

	if (!sc)
		return;
	if (sc->opened && sc->conn && PQstatus(sc->conn) == CONNECTION_OK) {
		PQclear(PQexec(sc->conn, "ROLLBACK"));
		sd_str_add(&q, "DO $sd$DECLARE r record; BEGIN\n"
			       "FOR r IN SELECT format('DROP %s IF EXISTS %I.%I CASCADE', CASE c.relkind"
			       " WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN"
			       " 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, n.nspname,"
			       " c.relname) AS stmt FROM pg_class c JOIN pg_namespace n ON n.oid ="
			       " c.relnamespace WHERE c.relkind IN ('r','p','v','m','S','f') AND "
			       USER_SCHEMA " ORDER BY c.relkind = 'S' LOOP EXECUTE r.stmt; END LOOP;\n"
			       "FOR r IN SELECT format('DROP TYPE IF EXISTS %I.%I CASCADE', n.nspname,"
			       " t.typname) AS stmt FROM pg_type t JOIN pg_namespace n ON n.oid ="
			       " t.typnamespace WHERE t.typtype IN ('e','d','r') AND " USER_SCHEMA
			       " LOOP EXECUTE r.stmt; END LOOP;\n"
			       "FOR r IN SELECT format('DROP SCHEMA IF EXISTS %I CASCADE', n.nspname) AS"
			       " stmt FROM pg_namespace n WHERE " USER_SCHEMA " AND n.nspname <> ALL (");
		sd_str_add(&q, sc->before.ptr);
		sd_str_add(&q, ") LOOP EXECUTE r.stmt; END LOOP;\nEND$sd$");
		PQclear(PQexec(sc->conn, q.ptr));
	}
	sd_str_release(&q);
	scratch_free(sc);
}
