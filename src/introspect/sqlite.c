/*
 * sqlite.c - the SQLite introspector: a live database into the schema model.
 *
 * Four bulk queries read the whole database inside one read transaction
 * (sqldiff and pg_dump style; never one round trip per table):
 *
 *   Q1  sqlite_master                        tables, indexes, views, triggers
 *   Q2  sqlite_master x pragma_table_xinfo   columns
 *   Q3  sqlite_master x pragma_foreign_key_list
 *   Q4  sqlite_master x pragma_index_list (x pragma_index_xinfo for UNIQUE
 *       autoindexes, and for every index in verify mode)
 *
 * Who says what.  The pragmas are authoritative for what they report: the
 * column list and order, declared type, NOT NULL, default text, primary-key
 * columns and their order, FK columns / referred table and columns /
 * actions, the index list, uniqueness, origin and UNIQUE constraint
 * columns.  The DDL parser (sqlite_ddl.h) supplies the rest: constraint
 * names, CHECK text, DEFERRABLE / INITIALLY, MATCH, generated expressions,
 * declared COLLATE, AUTOINCREMENT, WITHOUT ROWID / STRICT, partial-index
 * WHERE and the elements of CREATE INDEX (column, expression text, DESC,
 * COLLATE; index_xinfo costs an index lookup per call, so it checks them
 * only in verify mode, which the tests use).  Where the two disagree
 * about the shape of an object (a column, FK or index element one of them
 * does not have) introspection fails naming the table: information is
 * never dropped silently.
 *
 * Decisions, so that a database and a schema file compare equal:
 *  - sqlite_autoindex_* indexes are the PRIMARY KEY / UNIQUE constraints
 *    they back, never indexes.
 *  - A rowid-alias INTEGER PRIMARY KEY and the primary-key columns of a
 *    WITHOUT ROWID table are NOT NULL (SQLite enforces it; the pragma says
 *    notnull=0 for the former).
 *  - An FK action the pragma reports as "NO ACTION" keeps the DDL's
 *    spelling: NULL when not written, "NO ACTION" when written.
 *  - "REFERENCES t" without columns refers to t's primary key columns
 *    (as SQLAlchemy reflects it); left empty if t or its PK is missing.
 *  - An index element's collation is reported only when it differs
 *    (case-insensitively) from the one the element already implies: the
 *    column's declared COLLATE, else BINARY (BINARY for expressions).
 *  - sqlite_* internal tables and alembic_version are skipped, with their
 *    indexes and triggers.  Virtual tables are not supported (an error).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "schemadiff/hmap.h"
#include "schemadiff/sqltok.h"
#include "sqlite_ddl.h"
#include "sqlite_introspect.h"

/* Per-table bookkeeping while the pragma rows are merged; in the scratch arena. */
typedef struct tinfo {
	sd_table *t;
	int *pkpos;               /* per column: 1-based position in the PK, 0 = not */
	size_t ncols_seen;
	size_t npk;
	size_t nparser_fks;       /* FKs the DDL parser found */
	size_t nfks_matched;
	unsigned char *fk_used;   /* [nparser_fks], allocated on the first FK */
	size_t nparser_uniques;
	unsigned char *u_used;    /* [nparser_uniques], allocated on the first 'u' index */
	bool pk_index;            /* an origin 'pk' autoindex exists: no rowid alias */
} tinfo;

/* An index whose table was not seen yet when Q1 reached it. */
typedef struct pending_index {
	const char *name, *table, *sql;
} pending_index;

typedef struct ictx {
	sd_schema *s;
	sqlite3 *db;
	const char *url;
	const char *path;         /* the file, for messages; NULL = in memory */
	sd_arena *scratch;        /* tinfo and other bookkeeping, freed at the end */
	sd_hmap tables;           /* sqlite_master name -> tinfo */
	sd_hmap indexes;          /* CREATE INDEX name -> sd_index */
	tinfo **tinfos;
	size_t ntinfos;
	sd_error *err;
	bool verify;              /* cross-check CREATE INDEX elements with index_xinfo */
} ictx;

static _Thread_local unsigned prepare_count;
static _Thread_local int verify_mode = -1;  /* -1: SCHEMADIFF_SQLITE_VERIFY decides */

void sd_sqlite_introspect_set_verify(bool on)
{
	verify_mode = on;
}

static bool verifying(void)
{
	const char *env;

	if (verify_mode >= 0)
		return verify_mode;
	env = getenv("SCHEMADIFF_SQLITE_VERIFY");
	return env && *env && strcmp(env, "0") != 0;
}

unsigned sd_sqlite_introspect_last_prepare_count(void)
{
	return prepare_count;
}

static const char q_master[] =
	"SELECT type, name, tbl_name, sql FROM sqlite_master";

/* Tables Q2-Q4 look at: not internal, not virtual (their modules may be missing). */
#define USER_TABLES \
	"m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' " \
	"AND m.sql NOT LIKE 'CREATE VIRTUAL %'"

static const char q_columns[] =
	"SELECT m.name, p.cid, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk, p.hidden "
	"FROM sqlite_master AS m JOIN pragma_table_xinfo(m.name, 'main') AS p "
	"WHERE " USER_TABLES;

/* Every FK is written with the word REFERENCES: other tables need no pragma call. */
static const char q_fks[] =
	"SELECT m.name, f.id, f.seq, f.\"table\", f.\"from\", f.\"to\", f.on_update, f.on_delete "
	"FROM sqlite_master AS m JOIN pragma_foreign_key_list(m.name, 'main') AS f "
	"WHERE " USER_TABLES " AND m.sql LIKE '%references%' "
	"ORDER BY m.name, f.id, f.seq";

/*
 * Every index with its origin; key elements only for the autoindexes of
 * UNIQUE constraints.  index_xinfo costs an index lookup per call (the
 * dearest part of introspection at 10,000 tables), so a CREATE INDEX's
 * elements come from its DDL, checked against index_xinfo in verify mode
 * (q_indexes_verify, used by the tests).  A NULL argument makes the pragma
 * return no rows without a lookup.
 */
#define Q_INDEXES(XARG) \
	"SELECT m.name, il.name, il.\"unique\", il.origin, il.partial, " \
	"x.seqno, x.cid, x.name, x.\"desc\", x.coll " \
	"FROM sqlite_master AS m JOIN pragma_index_list(m.name, 'main') AS il " \
	"LEFT JOIN pragma_index_xinfo(" XARG ", 'main') AS x ON x.key " \
	"WHERE " USER_TABLES
static const char q_indexes[] = Q_INDEXES("CASE WHEN il.origin = 'u' THEN il.name END");
static const char q_indexes_verify[] = Q_INDEXES("il.name");

/* ---------------------------------------------------------------- errors */

/*
 * Report a failed SQL call: the query and SQLite's words (conventions rule
 * 16).  A file that is not a database gets its own message.
 */
static int db_fail(ictx *c, const char *sql, int rc)
{
	const char *msg = sqlite3_errmsg(c->db);

	if ((rc & 0xff) == SQLITE_NOTADB) {
		sd_error_set_at(c->err, SD_EDB, c->url, 0, 0, NULL,
				"file \"%s\" is not an SQLite database", c->path ? c->path : ":memory:");
		sd_error_set_detail(c->err, "sqlite: %s", msg);
		return SD_EDB;
	}
	sd_error_set_at(c->err, SD_EDB, c->url, 0, 0, NULL, "query failed: %s", msg);
	sd_error_set_detail(c->err, "query: %s", sql);
	return SD_EDB;
}

static int fail_table(ictx *c, const sd_table *t, const char *fmt, ...) SD_PRINTF(3, 4);

/* The DDL parser and the pragmas disagree about t: an internal error naming the table. */
static int fail_table(ictx *c, const sd_table *t, const char *fmt, ...)
{
	sd_str msg = SD_STR_INIT;
	va_list ap;

	sd_str_addf(&msg, "table \"%s\": ", t->name);
	va_start(ap, fmt);
	sd_str_vaddf(&msg, fmt, ap);
	va_end(ap);
	sd_error_set_at(c->err, SD_EINTERNAL, c->url, 0, 0, t->name, "%s", msg.ptr);
	sd_error_set_hint(c->err, "the CREATE TABLE text and SQLite's pragmas disagree; "
			  "please report this with the table's DDL");
	sd_str_release(&msg);
	return SD_EINTERNAL;
}

/* ------------------------------------------------------------- statements */

static int db_prepare(ictx *c, const char *sql, sqlite3_stmt **st)
{
	int rc;

	prepare_count++;
	rc = sqlite3_prepare_v2(c->db, sql, -1, st, NULL);
	if (rc != SQLITE_OK) {
		*st = NULL;
		return db_fail(c, sql, rc);
	}
	return 0;
}

/* Run a statement that returns no rows. */
static int db_exec(ictx *c, const char *sql)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = db_prepare(c, sql, &st)))
		return rc;
	rc = sqlite3_step(st);
	rc = rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : db_fail(c, sql, rc);
	sqlite3_finalize(st);
	return rc;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* ------------------------------------------------------------------- URL */

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Decode %XX escapes of [p, p+n) into out.  A "%" not followed by two hex digits stays. */
static int url_decode(sd_str *out, const char *p, size_t n, const char *url, sd_error *err)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int hi, lo;

		if (p[i] == '%' && i + 2 < n &&
		    (hi = hexval(p[i + 1])) >= 0 && (lo = hexval(p[i + 2])) >= 0) {
			if (hi == 0 && lo == 0)
				return sd_error_set_at(err, SD_EINPUT, url, 0, 0, NULL,
						       "the database path contains %%00");
			sd_str_addch(out, (char)(hi * 16 + lo));
			i += 2;
		} else {
			sd_str_addch(out, p[i]);
		}
	}
	return 0;
}

static bool truthy(const char *v, size_t n)
{
	return (n == 4 && sd_strncasecmp(v, "true", 4) == 0) || (n == 1 && *v == '1') ||
	       (n == 3 && sd_strncasecmp(v, "yes", 3) == 0);
}

/*
 * Parse an SQLAlchemy-style SQLite URL.  On success path holds the decoded
 * file path, or is empty with *memory set for an in-memory database.
 */
static int parse_url(const char *url, sd_str *path, bool *memory, sd_error *err)
{
	const char *sep = strstr(url, "://"), *rest, *q, *end;
	size_t schemelen;
	bool uri = false;
	int rc;

	*memory = false;
	schemelen = sep ? (size_t)(sep - url) : 0;
	if (!sep || schemelen < 6 || sd_strncasecmp(url, "sqlite", 6) != 0 ||
	    (schemelen > 6 && url[6] != '+')) {
		sd_error_set_at(err, SD_EINPUT, url, 0, 0, NULL, "not an SQLite URL");
		sd_error_set_hint(err, "use sqlite:///relative/path.db or sqlite:////absolute/path.db");
		return SD_EINPUT;
	}
	rest = sep + 3;
	q = strchr(rest, '?');
	end = q ? q : rest + strlen(rest);
	if (end == rest) {
		*memory = true;  /* "sqlite://": SQLAlchemy's in-memory database */
	} else if (*rest != '/') {
		sd_error_set_at(err, SD_EINPUT, url, 0, 0, NULL,
				"an SQLite URL has no host part (\"%.*s\")", (int)(end - rest), rest);
		sd_error_set_hint(err, "use sqlite:///relative/path.db or sqlite:////absolute/path.db");
		return SD_EINPUT;
	} else if ((rc = url_decode(path, rest + 1, (size_t)(end - rest - 1), url, err))) {
		return rc;
	}

	/* Query string: only uri=true changes anything here; unknown keys are ignored. */
	for (q = q ? q + 1 : NULL; q && *q;) {
		const char *amp = strchr(q, '&'), *kend = amp ? amp : q + strlen(q);
		const char *eq = memchr(q, '=', (size_t)(kend - q));

		if (eq && eq - q == 3 && sd_strncasecmp(q, "uri", 3) == 0 &&
		    truthy(eq + 1, (size_t)(kend - eq - 1)))
			uri = true;
		q = amp ? amp + 1 : NULL;
	}
	if (uri && strncmp(path->ptr, "file:", 5) == 0) {
		/* sqlite:///file:x.db?mode=ro&uri=true: the path is itself a file: URI. */
		memmove(path->ptr, path->ptr + 5, path->len - 5 + 1);
		path->len -= 5;
		if (path->len >= 2 && path->ptr[0] == '/' && path->ptr[1] == '/') {
			/* file:///abs -> /abs (empty authority) */
			memmove(path->ptr, path->ptr + 2, path->len - 2 + 1);
			path->len -= 2;
		}
	}
	if (path->len == 0 || strcmp(path->ptr, ":memory:") == 0) {
		*memory = true;
		sd_str_reset(path);
	}
	return 0;
}

/* file: URI for sqlite3_open_v2: every byte but unreserved ones and '/' escaped. */
static void file_uri(sd_str *out, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	sd_str_add(out, path[0] == '/' ? "file://" : "file:");
	for (p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '.' || *p == '_' || *p == '~' || *p == '/') {
			sd_str_addch(out, (char)*p);
		} else {
			sd_str_addch(out, '%');
			sd_str_addch(out, hex[*p >> 4]);
			sd_str_addch(out, hex[*p & 15]);
		}
	}
	sd_str_add(out, "?mode=ro");
}

/*
 * Open the database read-only.  A missing file is reported before SQLite
 * sees it; SQLITE_OPEN_READONLY without SQLITE_OPEN_CREATE never creates.
 */
/*
 * SQLite keeps allocation statistics behind a global mutex on every
 * sqlite3_malloc unless told not to; we never read them.  Only possible
 * before the library initialises: later calls fail harmlessly.
 */
static void quiet_memstatus(void)
{
	static bool done;

	if (!done) {
		done = true;
		(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	}
}

static int open_db(ictx *c, bool memory)
{
	sd_str uri = SD_STR_INIT;
	struct stat stbuf;
	int rc = 0;

	if (!memory) {
		if (stat(c->path, &stbuf) != 0) {
			if (errno == ENOENT)
				rc = sd_error_set_at(c->err, SD_EIO, c->url, 0, 0, NULL,
						     "database file \"%s\" does not exist", c->path);
			else
				rc = sd_error_set_at(c->err, SD_EIO, c->url, 0, 0, NULL,
						     "cannot read database file \"%s\": %s", c->path,
						     strerror(errno));
			goto done;
		}
		if (S_ISDIR(stbuf.st_mode)) {
			rc = sd_error_set_at(c->err, SD_EIO, c->url, 0, 0, NULL,
					     "\"%s\" is a directory, not a database file", c->path);
			goto done;
		}
		file_uri(&uri, c->path);
	} else {
		sd_str_add(&uri, ":memory:");
	}
	quiet_memstatus();
	/*
	 * One connection used by one thread: no per-call mutexes (they were
	 * ~4% of the instructions of a whole diff).
	 */
	rc = sqlite3_open_v2(uri.ptr, &c->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
			     NULL);
	if (rc != SQLITE_OK) {
		rc = sd_error_set_at(c->err, SD_EDB, c->url, 0, 0, NULL,
				     "cannot open database file \"%s\": %s",
				     c->path ? c->path : ":memory:",
				     c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
		goto done;
	}
	sqlite3_extended_result_codes(c->db, 1);
	sqlite3_busy_timeout(c->db, 5000);
done:
	sd_str_release(&uri);
	return rc;
}

/* ------------------------------------------------------------ Q1: master */

/* Column of t named name (ASCII case-insensitive, as SQLite resolves names). */
static sd_column *find_column_ci(const sd_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->ncolumns; i++)
		if (sd_strcasecmp(t->columns[i]->name, name) == 0)
			return t->columns[i];
	return NULL;
}

static bool skipped_table(const char *name)
{
	return sd_strncasecmp(name, "sqlite_", 7) == 0 || sd_strcasecmp(name, "alembic_version") == 0;
}

static tinfo *find_tinfo(ictx *c, const char *name)
{
	return sd_hmap_gets(&c->tables, name);
}

/* Is sql "CREATE VIRTUAL TABLE ..."? */
static bool is_virtual_table(const char *sql)
{
	sd_lexer lx;
	sd_tok tok;

	sd_lexer_init(&lx, sql, strlen(sql));
	tok = sd_lexer_next(&lx);
	if (!sd_tok_is(&tok, "CREATE"))
		return false;
	tok = sd_lexer_next(&lx);
	return sd_tok_is(&tok, "VIRTUAL");
}

static int add_table(ictx *c, const char *name, const char *sql)
{
	sd_table *t;
	tinfo *ti;
	int rc;

	if (is_virtual_table(sql)) {
		sd_error_set_at(c->err, SD_EUNSUPPORTED, c->url, 0, 0, name,
				"virtual table \"%s\" is not supported", name);
		sd_error_set_hint(c->err, "compare a copy of the database without virtual tables");
		return SD_EUNSUPPORTED;
	}
	if ((rc = sd_sqlite_parse_create_table(c->s, sql, &t, c->err))) {
		sd_error_set_path(c->err, name);
		sd_error_set_detail(c->err, "while reading the CREATE TABLE statement of table \"%s\" in %s",
				    name, c->url);
		return rc;
	}
	if (!t->name || strcmp(t->name, name) != 0)
		t->name = sd_schema_strdup(c->s, name);
	t->schema = NULL;

	ti = sd_arena_alloc(c->scratch, sizeof(*ti));
	ti->t = t;
	ti->nparser_fks = t->nfks;
	ti->nparser_uniques = t->nuniques;
	if (t->ncolumns)
		ti->pkpos = sd_arena_alloc(c->scratch, t->ncolumns * sizeof(*ti->pkpos));
	sd_arena_push(c->scratch, (void ***)&c->tinfos, &c->ntinfos, ti);
	sd_hmap_puts(&c->tables, t->name, ti);
	return 0;
}

/*
 * Put a parsed CREATE INDEX in the form SQLite resolves it to: element
 * columns in the table's spelling (names are case-insensitive), "rowid" as
 * an expression, and a collation only where it differs from the one the
 * element implies (the column's declared COLLATE, else BINARY).
 */
static int normalize_index(ictx *c, sd_table *t, sd_index *ix)
{
	size_t i;

	for (i = 0; i < ix->nelems; i++) {
		sd_index_elem *e = ix->elems[i];
		sd_column *col = NULL;
		const char *implied;

		if (e->column) {
			col = sd_table_find_column(t, e->column);
			if (!col)
				col = find_column_ci(t, e->column);
			if (col) {
				e->column = col->name;
			} else if (sd_strcasecmp(e->column, "rowid") == 0 ||
				   sd_strcasecmp(e->column, "oid") == 0 ||
				   sd_strcasecmp(e->column, "_rowid_") == 0) {
				e->expression = e->column;
				e->column = NULL;
			} else {
				return fail_table(c, t, "index \"%s\" names column \"%s\", which the "
						  "table does not have", ix->name, e->column);
			}
		}
		implied = col && col->collation ? col->collation : "BINARY";
		if (e->collation && sd_strcasecmp(e->collation, implied) == 0)
			e->collation = NULL;
	}
	return 0;
}

static int add_index(ictx *c, tinfo *ti, const char *name, const char *sql)
{
	sd_index *ix;
	int rc;

	if ((rc = sd_sqlite_parse_create_index(c->s, ti->t, sql, &ix, c->err))) {
		sd_error_set_path(c->err, name);
		sd_error_set_detail(c->err, "while reading the CREATE INDEX statement of index \"%s\" in %s",
				    name, c->url);
		return rc;
	}
	if (!ix->name || strcmp(ix->name, name) != 0)
		ix->name = sd_schema_strdup(c->s, name);
	sd_hmap_puts(&c->indexes, ix->name, ix);
	return normalize_index(c, ti->t, ix);
}

/* The SELECT of a CREATE VIEW: verbatim text after the first top-level AS. */
static int add_view(ictx *c, const char *name, const char *sql)
{
	size_t len = strlen(sql);
	sd_lexer lx;
	sd_tok tok;
	int depth = 0;

	sd_lexer_init(&lx, sql, len);
	for (;;) {
		tok = sd_lexer_next(&lx);
		if (tok.kind == SD_TOK_EOF || tok.kind == SD_TOK_ERROR) {
			sd_error_set_at(c->err, SD_EINPUT, c->url, 0, 0, name,
					"cannot find the SELECT of view \"%s\"", name);
			sd_error_set_detail(c->err, "sql: %s", sql);
			return SD_EINPUT;
		}
		if (tok.kind == SD_TOK_LPAREN)
			depth++;
		else if (tok.kind == SD_TOK_RPAREN)
			depth--;
		else if (depth == 0 && sd_tok_is(&tok, "AS"))
			break;
	}
	tok = sd_lexer_next(&lx);
	if (tok.kind == SD_TOK_EOF) {
		sd_error_set_at(c->err, SD_EINPUT, c->url, 0, 0, name,
				"view \"%s\" has no SELECT after AS", name);
		return SD_EINPUT;
	}
	while (len > (size_t)(tok.start - sql) &&
	       (sql[len - 1] == ';' || sql[len - 1] == ' ' || sql[len - 1] == '\t' ||
		sql[len - 1] == '\n' || sql[len - 1] == '\r'))
		len--;
	sd_schema_add_view(c->s, NULL, name, "");
	c->s->views[c->s->nviews - 1]->definition =
		sd_arena_strndup(c->s->arena, tok.start, len - (size_t)(tok.start - sql));
	return 0;
}

static int read_master(ictx *c)
{
	sqlite3_stmt *st = NULL;
	pending_index **pending = NULL;
	size_t npending = 0, i;
	int rc;

	if ((rc = db_prepare(c, q_master, &st)))
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *type = col_text(st, 0), *name = col_text(st, 1);
		const char *tbl = col_text(st, 2), *sql = col_text(st, 3);
		tinfo *ti;

		if (!type || !name)
			continue;
		if (strcmp(type, "table") == 0) {
			if (skipped_table(name) || !sql)
				continue;
			if ((rc = add_table(c, name, sql)))
				goto done;
		} else if (strcmp(type, "index") == 0) {
			if (!sql || !tbl || skipped_table(tbl))
				continue;  /* autoindexes come from Q4 */
			if ((ti = find_tinfo(c, tbl))) {
				if ((rc = add_index(c, ti, name, sql)))
					goto done;
			} else {
				/* Its table comes later in sqlite_master (rowids were reused). */
				pending_index *p = sd_arena_alloc(c->scratch, sizeof(*p));

				p->name = sd_arena_strdup(c->scratch, name);
				p->table = sd_arena_strdup(c->scratch, tbl);
				p->sql = sd_arena_strdup(c->scratch, sql);
				sd_arena_push(c->scratch, (void ***)&pending, &npending, p);
			}
		} else if (strcmp(type, "view") == 0) {
			if (sql && (rc = add_view(c, name, sql)))
				goto done;
		} else if (strcmp(type, "trigger") == 0) {
			if (tbl && skipped_table(tbl))
				continue;
			sd_schema_add_trigger(c->s, NULL, name, tbl, sql);
		}
	}
	if (rc != SQLITE_DONE) {
		rc = db_fail(c, q_master, rc);
		goto done;
	}
	rc = 0;
	for (i = 0; i < npending; i++) {
		tinfo *ti = find_tinfo(c, pending[i]->table);

		/* No table: it is a virtual one's shadow or was skipped. */
		if (ti && (rc = add_index(c, ti, pending[i]->name, pending[i]->sql)))
			goto done;
	}
done:
	sqlite3_finalize(st);
	return rc;
}

/* ----------------------------------------------------------- Q2: columns */

static const char *keep_or_copy(ictx *c, const char *have, const char *want)
{
	if (!want)
		return NULL;
	if (have && strcmp(have, want) == 0)
		return have;
	return sd_schema_strdup(c->s, want);
}


/* The table's own spelling of a column name; name itself when there is none. */
static const char *canonical_column(const sd_table *t, const char *name)
{
	sd_column *col = sd_table_find_column(t, name);

	if (!col)
		col = find_column_ci(t, name);
	return col ? col->name : name;
}

static int read_columns(ictx *c)
{
	sqlite3_stmt *st = NULL;
	tinfo *ti = NULL;
	int rc;

	if ((rc = db_prepare(c, q_columns, &st)))
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *tname = col_text(st, 0), *name = col_text(st, 2);
		const char *type = col_text(st, 3), *dflt = col_text(st, 5);
		int cid = sqlite3_column_int(st, 1), hidden = sqlite3_column_int(st, 7);
		int pk = sqlite3_column_int(st, 6);
		sd_column *col;
		sd_table *t;

		if (!tname || !name)
			continue;
		if (!ti || strcmp(ti->t->name, tname) != 0)
			ti = find_tinfo(c, tname);
		if (!ti)
			continue;  /* alembic_version */
		t = ti->t;
		if (cid < 0 || (size_t)cid >= t->ncolumns ||
		    sd_strcasecmp((col = t->columns[cid])->name, name) != 0) {
			rc = fail_table(c, t, "SQLite has column \"%s\" at position %s, "
					"which the parsed CREATE TABLE statement does not",
					name, cid >= 0 && (size_t)cid < t->ncolumns ? "given" : "beyond the end");
			goto done;
		}
		col->name = keep_or_copy(c, col->name, name);
		col->type = type && *type ? keep_or_copy(c, col->type, type) : NULL;
		col->nullable = !sqlite3_column_int(st, 4);
		col->server_default = keep_or_copy(c, col->server_default, dflt);
		if (col->autoincrement != SD_AUTOINC_TRUE)
			col->autoincrement = SD_AUTOINC_AUTO;
		if (hidden == 2 || hidden == 3) {
			if (!col->generated) {
				rc = fail_table(c, t, "SQLite says column \"%s\" is generated, "
						"but the parsed CREATE TABLE statement has no expression",
						name);
				goto done;
			}
			col->generated_stored = hidden == 3;
		} else {
			col->generated = NULL;
			col->generated_stored = false;
		}
		if (pk > 0 && (size_t)pk <= t->ncolumns) {
			ti->pkpos[cid] = pk;
			ti->npk++;
		}
		ti->ncols_seen++;
	}
	if (rc != SQLITE_DONE) {
		rc = db_fail(c, q_columns, rc);
		goto done;
	}
	rc = 0;
done:
	sqlite3_finalize(st);
	return rc;
}

/* ------------------------------------------------------ Q3: foreign keys */

typedef struct fk_acc {
	tinfo *ti;
	int id;
	const char **cols;
	size_t ncols;
	const char **refcols;
	size_t nrefcols;
	bool norefcols;           /* "REFERENCES t" without a column list */
	const char *reftable;
	const char *on_update, *on_delete;
} fk_acc;

static bool names_equal_ci(const char *const *a, size_t na, const char *const *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (sd_strcasecmp(a[i], b[i]) != 0)
			return false;
	return true;
}

/* Merge one pragma FK into the parser's FK with the same columns and referred table. */
static int finish_fk(ictx *c, fk_acc *acc)
{
	tinfo *ti = acc->ti;
	sd_table *t = ti->t;
	sd_foreign_key *fk = NULL;
	size_t i;

	if (!ti->fk_used && ti->nparser_fks)
		ti->fk_used = sd_arena_alloc(c->scratch, ti->nparser_fks);
	for (i = 0; i < ti->nparser_fks; i++) {
		sd_foreign_key *cand = t->fks[i];

		if (ti->fk_used[i] || !cand->ref_table || sd_strcasecmp(cand->ref_table, acc->reftable) != 0 ||
		    !names_equal_ci(cand->columns, cand->ncolumns, acc->cols, acc->ncols))
			continue;
		if (!acc->norefcols && cand->nref_columns &&
		    !names_equal_ci(cand->ref_columns, cand->nref_columns, acc->refcols, acc->nrefcols))
			continue;
		ti->fk_used[i] = 1;
		fk = cand;
		break;
	}
	if (!fk)
		return fail_table(c, t, "SQLite has a foreign key (%s) to \"%s\" "
				  "that the parsed CREATE TABLE statement does not",
				  acc->ncols ? acc->cols[0] : "", acc->reftable);
	ti->nfks_matched++;
	fk->columns = acc->cols;
	fk->ncolumns = acc->ncols;
	fk->ref_schema = NULL;
	fk->ref_table = keep_or_copy(c, fk->ref_table, acc->reftable);
	if (!acc->norefcols) {
		fk->ref_columns = acc->refcols;
		fk->nref_columns = acc->nrefcols;
	} else {
		fk->ref_columns = NULL;
		fk->nref_columns = 0;
	}
	if (strcmp(acc->on_update, "NO ACTION") != 0)
		fk->on_update = keep_or_copy(c, fk->on_update, acc->on_update);
	if (strcmp(acc->on_delete, "NO ACTION") != 0)
		fk->on_delete = keep_or_copy(c, fk->on_delete, acc->on_delete);
	return 0;
}

static int read_fks(ictx *c)
{
	sqlite3_stmt *st = NULL;
	fk_acc acc;
	tinfo *ti = NULL;
	int rc;

	memset(&acc, 0, sizeof(acc));
	if ((rc = db_prepare(c, q_fks, &st)))
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *tname = col_text(st, 0), *reftable = col_text(st, 3);
		const char *from = col_text(st, 4), *to = col_text(st, 5);
		const char *onupd = col_text(st, 6), *ondel = col_text(st, 7);
		int id = sqlite3_column_int(st, 1);

		if (!tname || !from || !reftable)
			continue;
		if (!ti || strcmp(ti->t->name, tname) != 0)
			ti = find_tinfo(c, tname);
		if (!ti)
			continue;
		if (acc.ti && (acc.ti != ti || acc.id != id)) {
			if ((rc = finish_fk(c, &acc)))
				goto done;
			memset(&acc, 0, sizeof(acc));
		}
		if (!acc.ti) {
			acc.ti = ti;
			acc.id = id;
			acc.reftable = sd_schema_strdup(c->s, reftable);
			acc.on_update = sd_schema_strdup(c->s, onupd ? onupd : "NO ACTION");
			acc.on_delete = sd_schema_strdup(c->s, ondel ? ondel : "NO ACTION");
			acc.norefcols = to == NULL;
		}
		sd_arena_push(c->s->arena, (void ***)&acc.cols, &acc.ncols,
			      (void *)canonical_column(ti->t, from));
		if (to)
			sd_names_push(c->s, &acc.refcols, &acc.nrefcols, to);
	}
	if (rc != SQLITE_DONE) {
		rc = db_fail(c, q_fks, rc);
		goto done;
	}
	rc = acc.ti ? finish_fk(c, &acc) : 0;
done:
	sqlite3_finalize(st);
	return rc;
}

/* ------------------------------------------------------------ Q4: indexes */

typedef struct ix_acc {
	tinfo *ti;
	sd_str name;
	char origin;              /* 'c', 'u', 'p' */
	bool unique, partial;
	sd_index *ix;             /* origin 'c' */
	size_t nelems;
	const char **ucols;       /* origin 'u' */
	size_t nucols;
} ix_acc;

static int finish_index(ictx *c, ix_acc *acc)
{
	tinfo *ti = acc->ti;
	sd_table *t = ti->t;
	size_t i;

	if (acc->origin == 'p') {
		ti->pk_index = true;
	} else if (acc->origin == 'u') {
		sd_unique *u = NULL;

		if (!ti->u_used && ti->nparser_uniques)
			ti->u_used = sd_arena_alloc(c->scratch, ti->nparser_uniques);
		for (i = 0; i < ti->nparser_uniques; i++)
			if (!ti->u_used[i] && names_equal_ci(t->uniques[i]->columns, t->uniques[i]->ncolumns,
							     acc->ucols, acc->nucols)) {
				ti->u_used[i] = 1;
				u = t->uniques[i];
				break;
			}
		if (!u)
			u = sd_table_add_unique(c->s, t, NULL);  /* unnamed, as SQLite knows it */
		u->columns = acc->ucols;
		u->ncolumns = acc->nucols;
	} else if (acc->ix) {
		sd_index *ix = acc->ix;

		if (c->verify && acc->nelems != ix->nelems)
			return fail_table(c, t, "index \"%s\" has %s elements in SQLite "
					  "and a different number in its CREATE INDEX statement",
					  ix->name, acc->nelems < ix->nelems ? "fewer" : "more");
		if (acc->partial != (ix->where != NULL))
			return fail_table(c, t, "index \"%s\": SQLite and the CREATE INDEX "
					  "statement disagree on whether it is partial", ix->name);
		ix->unique = acc->unique;
	}
	return 0;
}

/* One index_xinfo row (a key element) of the index in acc. */
static int index_elem(ictx *c, ix_acc *acc, sqlite3_stmt *st)
{
	sd_table *t = acc->ti->t;
	int seqno = sqlite3_column_int(st, 5), cid = sqlite3_column_int(st, 6);
	const char *cname = col_text(st, 7), *coll = col_text(st, 9);
	sd_column *col = NULL;
	sd_index_elem *e;
	const char *implied;

	if (sqlite3_column_type(st, 5) == SQLITE_NULL)
		return 0;  /* no elements asked for (LEFT JOIN) */
	if (cid >= 0 && cname) {
		col = (size_t)cid < t->ncolumns && strcmp(t->columns[cid]->name, cname) == 0
			      ? t->columns[cid] : find_column_ci(t, cname);
		if (!col)
			return fail_table(c, t, "an index names column \"%s\" that the "
					  "table does not have", cname);
	}
	if (acc->origin == 'u') {
		if (!col)
			return fail_table(c, t, "unique constraint \"%s\" has an "
					  "expression element", acc->name.ptr);
		sd_arena_push(c->s->arena, (void ***)&acc->ucols, &acc->nucols, (void *)col->name);
		return 0;
	}
	if (acc->origin != 'c' || !acc->ix)
		return 0;
	/* verify mode: the DDL-derived element must be what SQLite resolved */
	if (seqno < 0 || (size_t)seqno >= acc->ix->nelems)
		return fail_table(c, t, "index \"%s\" has more elements in SQLite "
				  "than in its CREATE INDEX statement", acc->ix->name);
	acc->nelems++;
	e = acc->ix->elems[seqno];
	if (col ? !e->column || strcmp(e->column, col->name) != 0 : e->column != NULL)
		return fail_table(c, t, "index \"%s\": element %d is %s \"%s\" in SQLite and "
				  "\"%s\" in the parsed CREATE INDEX statement", acc->ix->name, seqno + 1,
				  col ? "column" : "an expression", col ? col->name : "",
				  e->column ? e->column : e->expression ? e->expression : "");
	if (e->desc != (sqlite3_column_int(st, 8) != 0))
		return fail_table(c, t, "index \"%s\": element %d: SQLite and the CREATE INDEX "
				  "statement disagree on DESC", acc->ix->name, seqno + 1);
	implied = e->collation ? e->collation : col && col->collation ? col->collation : "BINARY";
	if (coll && sd_strcasecmp(coll, implied) != 0)
		return fail_table(c, t, "index \"%s\": element %d has collation %s in SQLite and "
				  "%s from the CREATE INDEX statement", acc->ix->name, seqno + 1, coll,
				  implied);
	return 0;
}

static int read_indexes(ictx *c)
{
	const char *query = c->verify ? q_indexes_verify : q_indexes;
	sqlite3_stmt *st = NULL;
	ix_acc acc;
	tinfo *ti = NULL;
	int rc;

	memset(&acc, 0, sizeof(acc));
	sd_str_init(&acc.name);
	if ((rc = db_prepare(c, query, &st)))
		goto done;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *tname = col_text(st, 0), *iname = col_text(st, 1);
		const char *origin = col_text(st, 3);

		if (!tname || !iname)
			continue;
		if (!ti || strcmp(ti->t->name, tname) != 0)
			ti = find_tinfo(c, tname);
		if (!ti)
			continue;
		if (!acc.ti || acc.ti != ti || strcmp(acc.name.ptr, iname) != 0) {
			if (acc.ti && (rc = finish_index(c, &acc)))
				goto done;
			acc.ti = ti;
			sd_str_reset(&acc.name);
			sd_str_add(&acc.name, iname);
			acc.origin = origin ? origin[0] : 'c';
			acc.unique = sqlite3_column_int(st, 2) != 0;
			acc.partial = sqlite3_column_int(st, 4) != 0;
			acc.nelems = 0;
			acc.ucols = NULL;
			acc.nucols = 0;
			acc.ix = NULL;
			if (acc.origin == 'c' && !(acc.ix = sd_hmap_gets(&c->indexes, iname))) {
				rc = fail_table(c, ti->t, "SQLite has index \"%s\" without "
						"a CREATE INDEX statement", iname);
				goto done;
			}
		}
		if ((rc = index_elem(c, &acc, st)))
			goto done;
	}
	if (rc != SQLITE_DONE) {
		rc = db_fail(c, query, rc);
		goto done;
	}
	rc = acc.ti ? finish_index(c, &acc) : 0;
done:
	sqlite3_finalize(st);
	sd_str_release(&acc.name);
	return rc;
}

/* -------------------------------------------------------------- finishing */

/* The table named name, exactly or else ASCII case-insensitively (SQLite's rule). */
static tinfo *find_tinfo_ci(ictx *c, sd_hmap *folded, const char *name)
{
	tinfo *ti = find_tinfo(c, name);
	sd_str key = SD_STR_INIT;
	size_t i;

	if (ti)
		return ti;
	if (!folded->cap) {
		for (i = 0; i < c->ntinfos; i++) {
			const char *n = c->tinfos[i]->t->name;
			char *k = sd_arena_strdup(c->scratch, n), *p;

			for (p = k; *p; p++)
				if (*p >= 'A' && *p <= 'Z')
					*p = (char)(*p - 'A' + 'a');
			if (!sd_hmap_gets(folded, k))
				sd_hmap_puts(folded, k, c->tinfos[i]);
		}
	}
	for (; *name; name++)
		sd_str_addch(&key, *name >= 'A' && *name <= 'Z' ? (char)(*name - 'A' + 'a') : *name);
	ti = sd_hmap_gets(folded, key.ptr);
	sd_str_release(&key);
	return ti;
}

static bool unique_matched(const tinfo *ti, size_t j)
{
	return j >= ti->nparser_uniques || (ti->u_used && ti->u_used[j]);
}

static bool same_names(const char *const *a, size_t na, const char *const *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (strcmp(a[i], b[i]) != 0)
			return false;
	return true;
}

/*
 * UNIQUE constraints of the DDL that no autoindex backs are ones SQLite
 * folded into an index with the same columns in the same order (the
 * primary key's, or another UNIQUE's).  A named one is kept (its name is
 * information), in the table's spelling of the columns; an unnamed one is a
 * redundant repetition and is dropped.
 */
static void fold_uniques(tinfo *ti)
{
	sd_table *t = ti->t;
	size_t j, k, n = 0;

	for (j = 0; j < t->nuniques; j++) {
		sd_unique *u = t->uniques[j];
		bool redundant = false;

		if (!unique_matched(ti, j)) {
			for (k = 0; k < u->ncolumns; k++)
				u->columns[k] = canonical_column(t, u->columns[k]);
			redundant = t->pk && same_names(u->columns, u->ncolumns, t->pk->columns,
							t->pk->ncolumns);
			for (k = 0; k < t->nuniques && !redundant; k++)
				redundant = k != j && (k < j || unique_matched(ti, k)) &&
					    same_names(u->columns, u->ncolumns, t->uniques[k]->columns,
						       t->uniques[k]->ncolumns);
			if (redundant && !u->name)
				continue;
		}
		t->uniques[n++] = u;
	}
	t->nuniques = n;
}

/* Cross-checks and the facts only the whole picture gives. */
static int finish_tables(ictx *c)
{
	sd_hmap folded = SD_HMAP_INIT;
	size_t i, j, k;
	int rc = 0;

	for (i = 0; i < c->ntinfos; i++) {
		tinfo *ti = c->tinfos[i];
		sd_table *t = ti->t;

		if (ti->ncols_seen != t->ncolumns) {
			rc = fail_table(c, t, "the parsed CREATE TABLE statement has %s "
					"columns than SQLite reports",
					ti->ncols_seen < t->ncolumns ? "more" : "fewer");
			goto done;
		}
		if (ti->nfks_matched != ti->nparser_fks) {
			rc = fail_table(c, t, "the parsed CREATE TABLE statement has %s "
					"foreign keys than SQLite reports", "more");
			goto done;
		}
		if (ti->npk) {
			sd_primary_key *pk = t->pk ? t->pk : sd_table_set_pk(c->s, t, NULL);

			pk->columns = NULL;
			pk->ncolumns = 0;
			for (k = 1; k <= ti->npk; k++)
				for (j = 0; j < t->ncolumns; j++)
					if (ti->pkpos[j] == (int)k)
						sd_arena_push(c->s->arena, (void ***)&pk->columns, &pk->ncolumns,
							      (void *)t->columns[j]->name);
			if (pk->ncolumns != ti->npk) {
				rc = fail_table(c, t, "SQLite reports primary-key positions "
						"with gaps");
				goto done;
			}
			/* rowid alias (no backing index), WITHOUT ROWID and STRICT keys are NOT NULL */
			if (t->without_rowid || t->strict || (ti->npk == 1 && !ti->pk_index))
				for (j = 0; j < t->ncolumns; j++)
					if (ti->pkpos[j])
						t->columns[j]->nullable = false;
		} else if (t->pk) {
			rc = fail_table(c, t, "the parsed CREATE TABLE statement has a "
					"primary key that SQLite does not report");
			goto done;
		}
		fold_uniques(ti);
	}
	/*
	 * Referred tables and columns in their own spelling (SQLite names are
	 * case-insensitive; REFERENCES keeps what was typed), and "REFERENCES t"
	 * meaning t's primary key.  Needs every table's PK: a second pass.
	 */
	for (i = 0; i < c->ntinfos; i++) {
		sd_table *t = c->tinfos[i]->t;

		for (j = 0; j < t->nfks; j++) {
			sd_foreign_key *fk = t->fks[j];
			tinfo *ref;

			if (!fk->ref_table || !(ref = find_tinfo_ci(c, &folded, fk->ref_table)))
				continue;  /* dangling: SQLite allows it */
			fk->ref_table = ref->t->name;
			for (k = 0; k < fk->nref_columns; k++)
				fk->ref_columns[k] = canonical_column(ref->t, fk->ref_columns[k]);
			if (fk->nref_columns || !ref->t->pk)
				continue;
			for (k = 0; k < ref->t->pk->ncolumns; k++)
				sd_arena_push(c->s->arena, (void ***)&fk->ref_columns, &fk->nref_columns,
					      (void *)ref->t->pk->columns[k]);
		}
	}
done:
	sd_hmap_release(&folded);
	return rc;
}

/* ------------------------------------------------------------- the entry */

/*
 * Read the open database c->db (url labels the schema and messages) into
 * *out.  Shared by sd_sqlite_introspect and sd_sqlite_introspect_handle.
 */
static int introspect_db(ictx *c, sd_schema **out)
{
	bool in_txn = false;
	int rc;

	c->s = sd_schema_new("sqlite", c->url);
	c->scratch = sd_arena_new();

	/* One deferred transaction: every query reads the same snapshot. */
	if ((rc = db_exec(c, "BEGIN")))
		goto done;
	in_txn = true;
	if ((rc = read_master(c)) || (rc = read_columns(c)) || (rc = read_fks(c)) ||
	    (rc = read_indexes(c)))
		goto done;
	in_txn = false;
	if ((rc = db_exec(c, "COMMIT")))
		goto done;
	if ((rc = finish_tables(c)))
		goto done;
	if ((rc = sd_schema_finish(c->s, c->err)))
		goto done;
	*out = c->s;
	c->s = NULL;
done:
	if (in_txn)
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	sd_hmap_release(&c->tables);
	sd_hmap_release(&c->indexes);
	sd_arena_free(c->scratch);
	c->scratch = NULL;
	sd_schema_free(c->s);
	c->s = NULL;
	return rc;
}

static void ictx_init(ictx *c, const char *url, sd_error *err)
{
	prepare_count = 0;
	memset(c, 0, sizeof(*c));
	c->url = url;
	c->err = err;
	c->verify = verifying();
	sd_hmap_init(&c->tables);
	sd_hmap_init(&c->indexes);
}

int sd_sqlite_introspect(sd_schema **out, const char *url, const sd_introspect_opts *opts,
			 sd_error *err)
{
	sd_str path = SD_STR_INIT;
	bool memory;
	ictx c;
	int rc;

	(void)opts;  /* SQLite has one namespace: "main" */
	*out = NULL;
	ictx_init(&c, url, err);
	if ((rc = parse_url(url, &path, &memory, err)))
		goto done;
	c.path = memory ? NULL : path.ptr;
	if ((rc = open_db(&c, memory)))
		goto done;
	rc = introspect_db(&c, out);
done:
	if (c.db)
		sqlite3_close(c.db);
	sd_hmap_release(&c.tables);
	sd_hmap_release(&c.indexes);
	sd_str_release(&path);
	return rc;
}

int sd_sqlite_introspect_handle(sd_schema **out, struct sqlite3 *db, const char *label,
				sd_error *err)
{
	ictx c;

	*out = NULL;
	ictx_init(&c, label, err);
	c.db = db;
	return introspect_db(&c, out);
}

int sd_sqlite_open_url(struct sqlite3 **db, const char *url, sd_error *err)
{
	sd_str path = SD_STR_INIT;
	bool memory;
	ictx c;
	int rc;

	*db = NULL;
	ictx_init(&c, url, err);
	if ((rc = parse_url(url, &path, &memory, err)))
		goto done;
	c.path = memory ? NULL : path.ptr;
	if ((rc = open_db(&c, memory)))
		goto done;
	*db = c.db;
	c.db = NULL;
done:
	if (c.db)
		sqlite3_close(c.db);
	sd_hmap_release(&c.tables);
	sd_hmap_release(&c.indexes);
	sd_str_release(&path);
	return rc;
}
