/*
 * pg.c - the PostgreSQL introspector over libpq (pg_dump's getTables /
 * getIndexes shape): one bulk query per catalog for every table of the
 * namespaces read, never one round trip per table, inside one
 * REPEATABLE READ READ ONLY transaction so the snapshot is consistent.
 * The queries are pipelined, and split over two connections that share
 * that one snapshot ("running the catalog queries" below).
 * information_schema is never used; pg_catalog, information_schema and
 * pg_toast are never read as user schemas; alembic_version is skipped.
 *
 * What the model holds, and how PostgreSQL maps onto it:
 *  - column type: format_type(); default: pg_get_expr(); NOT NULL;
 *    collation only when it differs from the type's default; comment.
 *  - identity columns and serial columns are autoincrement TRUE.  A serial
 *    is a column whose default is nextval() of a sequence the column owns
 *    (pg_depend 'a'): that default is part of the column, not a user
 *    default, so server_default is NULL (identity has no default at all).
 *  - generated columns (attgenerated 's'): the expression, STORED.
 *  - PK / UNIQUE / FK / CHECK with their names; FK actions, MATCH,
 *    DEFERRABLE / INITIALLY DEFERRED; CHECK text from
 *    pg_get_constraintdef() without "CHECK (...)".
 *  - indexes that do not back a constraint: columns or expressions
 *    (pg_get_indexdef per column, asked only for expression indexes), DESC,
 *    NULLS FIRST/LAST only when not the direction's default, collation when
 *    not the column's, predicate.
 *  - views and materialized views (pg_get_viewdef), triggers
 *    (pg_get_triggerdef: seen, counted).
 *  - enums (pg_enum by enumsortorder); sequences that no column owns as
 *    its serial or identity, with settings that differ from the default.
 *  - counted, not compared (sd_schema.unheld): exclusion constraints,
 *    partitions, foreign tables, domains, composite and range types,
 *    functions and extensions (extension members count as the extension).
 *  - index method (non-btree), INCLUDE columns, NULLS NOT DISTINCT (15+,
 *    on indexes and on UNIQUE constraints); NOT VALID FKs and checks;
 *    identity ALWAYS / BY DEFAULT.
 *  - operator classes of index key columns, only when not the default
 *    for the column's type and the index's method, named as the server's
 *    pg_get_indexdef names them (schema-qualified when not visible on the
 *    search_path); see q_indexes.
 * Not held by the model yet: indexes of materialized views, schemas as
 * objects, operator class options (PostgreSQL 13's "ops (siglen = 32)").
 *
 * Passwords: the source label and every message show the URL redacted
 * (sd_pg_redact_url); libpq's own messages never contain the password.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "schemadiff/dialect.h"
#include "introspect/pg_introspect.h"

static _Thread_local unsigned last_query_count;

unsigned sd_pg_introspect_last_query_count(void)
{
	return last_query_count;
}

/* ---- URLs ---- */

static bool is_uri(const char *url)
{
	return strstr(url, "://") != NULL && strchr(url, '=') != url;
}

void sd_pg_conninfo(sd_str *out, const char *url)
{
	const char *sep = strstr(url, "://");
	const char *plus;

	if (sep && (plus = memchr(url, '+', (size_t)(sep - url))) != NULL) {
		/* SQLAlchemy's postgresql+psycopg2://: the driver is not libpq's business */
		sd_str_add(out, "postgresql");
		sd_str_add(out, sep);
		return;
	}
	sd_str_add(out, url);
}

/* Key/value strings: "password=secret" or "password = 'se cret'" -> "password=***". */
static void redact_kv(sd_str *out, const char *s)
{
	const char *p = s;

	while (*p) {
		const char *k = p, *ke, *v;

		while (*p == ' ' || *p == '\t')
			p++;
		sd_str_addn(out, k, (size_t)(p - k));
		k = p;
		while (*p && *p != '=' && *p != ' ' && *p != '\t')
			p++;
		ke = p;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '=') {
			sd_str_addn(out, k, (size_t)(p - k));
			if (!*p)
				break;
			sd_str_addch(out, *p++);
			continue;
		}
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		v = p;
		if (*p == '\'') {
			p++;
			while (*p && *p != '\'') {
				if (*p == '\\' && p[1])
					p++;
				p++;
			}
			if (*p)
				p++;
		} else {
			while (*p && *p != ' ' && *p != '\t')
				p++;
		}
		sd_str_addn(out, k, (size_t)(ke - k));
		sd_str_addch(out, '=');
		if ((size_t)(ke - k) == 8 && sd_strncasecmp(k, "password", 8) == 0)
			sd_str_add(out, "***");
		else
			sd_str_addn(out, v, (size_t)(p - v));
	}
}

void sd_pg_redact_url(sd_str *out, const char *url)
{
	const char *sep, *auth, *auth_end, *at = NULL, *colon, *q;

	if (!is_uri(url)) {
		redact_kv(out, url);
		return;
	}
	sep = strstr(url, "://");
	auth = sep + 3;
	auth_end = auth + strcspn(auth, "/?");
	for (q = auth; q < auth_end; q++) {
		if (*q == '@')
			at = q;  /* the last '@' ends the userinfo */
	}
	sd_str_addn(out, url, (size_t)(auth - url));
	if (at) {
		colon = memchr(auth, ':', (size_t)(at - auth));
		if (colon) {
			sd_str_addn(out, auth, (size_t)(colon - auth));
			sd_str_add(out, ":***");
		} else {
			sd_str_addn(out, auth, (size_t)(at - auth));
		}
		auth = at;
	}
	sd_str_addn(out, auth, (size_t)(auth_end - auth));
	/* query parameters: password=... */
	q = auth_end;
	while (*q) {
		const char *start = q;
		size_t n;

		if (*q == '?' || *q == '&') {
			sd_str_addch(out, *q++);
			continue;
		}
		n = strcspn(q, "&");
		if (n >= 9 && sd_strncasecmp(q, "password=", 9) == 0) {
			sd_str_add(out, "password=***");
		} else {
			sd_str_addn(out, start, n);
		}
		q += n;
	}
}

/* ---- the context ---- */

typedef struct tinfo {
	unsigned oid;
	sd_table *t;
	const char **attnames;   /* by attnum; NULL for dropped */
	unsigned *attcoll;       /* by attnum */
	size_t nattnames, aattnames;
} tinfo;

struct fetcher;

typedef struct ictx {
	PGconn *conn;
	const char *url;         /* as given */
	const char *conninfo;    /* for libpq (the driver part of postgresql+x:// dropped) */
	struct fetcher *f;       /* the catalog queries in flight */
	char *label;             /* redacted */
	sd_error *err;
	sd_schema *s;
	sd_str nsp_oids;         /* "{1,2}" */
	char **nsp_names;        /* read namespaces */
	unsigned *nsp_oid;
	size_t nnsp;
	unsigned default_nsp;    /* whose tables get schema NULL; 0 = none */
	tinfo *tables;           /* sorted by oid */
	size_t ntables, atables;
	sd_str scratch;
} ictx;

/* One line: libpq's message with new lines and tabs folded into spaces. */
static void one_line(sd_str *out, const char *msg)
{
	bool space = false;
	const char *p;
	size_t start = out->len;

	for (p = msg; p && *p; p++) {
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

static int query_fail(ictx *c, const char *what, const char *sql, PGresult *res)
{
	sd_str m = SD_STR_INIT;
	int rc;

	one_line(&m, res ? PQresultErrorMessage(res) : PQerrorMessage(c->conn));
	rc = sd_error_set_at(c->err, SD_EDB, c->label, 0, 0, NULL, "%s failed: %s", what, m.ptr);
	if (sql)
		sd_error_set_detail(c->err, "query: %s", sql);
	sd_str_release(&m);
	return rc;
}

static int run_cmd(ictx *c, const char *sql)
{
	PGresult *res;
	int rc = 0;

	last_query_count++;
	res = PQexec(c->conn, sql);
	if (!res || PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = query_fail(c, sql, NULL, res);
	PQclear(res);
	return rc;
}

/*
 * Settings for the introspection's transaction, on every connection: no
 * JIT compilation (the catalog queries of a large database cost enough to
 * pass jit_above_cost, and compiling their expressions takes longer than
 * running them: about 50 ms of server CPU at 5,000 tables).
 */
static const char q_settings[] = "SET LOCAL jit = off";

/* ---- running the catalog queries ----
 *
 * The catalog queries do not depend on one another: all of them are sent
 * at once (libpq pipeline mode) and fetched by a thread per connection,
 * while this thread turns the results into the model in a fixed order.  So
 * the server runs the next query while the previous result is parsed and
 * decoded, and the results of the heavy queries are decoded as the others
 * still run.  The queries are split in two shares: share 1 runs on a second
 * connection whose REPEATABLE READ READ ONLY transaction imports the first
 * one's snapshot (pg_export_snapshot / SET TRANSACTION SNAPSHOT), so both
 * read exactly the same catalog state, on two server processes at once.
 * The second connection uses the same connection parameters, so the same
 * role, database and settings (search_path, DateStyle: what format_type and
 * pg_get_expr print depends on them).  It is a bonus, never a requirement:
 * when it cannot be made (no snapshot to export, too many connections, a
 * different server behind the same name) or is not ready by the time the
 * first connection has run its share, the first connection runs share 1
 * too.  Every result is checked and reported the same way whichever
 * connection ran it.
 */

typedef enum cq_id {
	CQ_TABLES, CQ_COLUMNS, CQ_CONSTRAINTS, CQ_INDEXES, CQ_COLLATIONS, CQ_TRIGGERS, CQ_ENUMS,
	CQ_SEQUENCES, CQ_UNHELD, CQ_COUNT
} cq_id;

typedef struct cquery {
	const char *what;        /* "reading pg_class": what failed, in messages */
	char *sql;               /* the text sent (owned) */
	int share;               /* 0: the first connection; 1: the second, if any */
	PGresult *res;           /* once fetched; taken by the decoder */
	char *err;               /* fetched without a result: libpq's message (owned) */
	int conn;                /* which connection ran it (0 or 1) */
	unsigned seq;            /* order of fetching on that connection */
	bool fetched;
	bool failed;             /* no rows: an error, or aborted after one */
	bool aborted;            /* only because an earlier query of the pipeline failed */
} cquery;

enum { B_NONE, B_SETUP, B_CLAIMED, B_TAKEN };

typedef struct fetcher {
	pthread_mutex_t mu;
	pthread_cond_t cv;       /* a query was fetched; the second connection's state changed */
	cquery q[CQ_COUNT];
	const char *param;       /* $1: the namespace oids; NULL until known */
	PGconn *a;               /* the introspector's connection */
	PGconn *b;               /* the second connection (its thread's) */
	const char *conninfo;
	const char *a_host, *a_port;
	char snapshot[64];
	int b_state;             /* B_NONE: no second connection; B_SETUP: being made; B_CLAIMED:
				    it runs share 1; B_TAKEN: the first connection runs share 1 */
	bool stop;               /* the decoder is finished: a second connection still in the
				    making gives up */
	unsigned seq[2];
	pthread_t ta, tb;
	bool ta_started, tb_started;
} fetcher;

static void fetched(fetcher *f, cquery *q, int conn, PGresult *res, const char *err)
{
	pthread_mutex_lock(&f->mu);
	q->res = res;
	q->err = err ? xstrdup(err) : NULL;
	q->conn = conn;
	q->seq = f->seq[conn]++;
	q->fetched = true;
	q->failed = !res || PQresultStatus(res) != PGRES_TUPLES_OK;
#ifdef LIBPQ_HAS_PIPELINING
	q->aborted = res && PQresultStatus(res) == PGRES_PIPELINE_ABORTED;
#endif
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->mu);
}

/*
 * Run the queries of one share on conn, in order, each result handed to
 * the decoder as soon as it is complete.  Pipelined when libpq can (14+;
 * the protocol is the same on every server): one round trip for all.
 */
static void fetch_share(fetcher *f, PGconn *conn, int conn_id, int share)
{
	const char *params[1] = { f->param };
	size_t i;
#ifdef LIBPQ_HAS_PIPELINING
	bool piped = PQenterPipelineMode(conn) == 1;
	size_t sent = 0;

	for (i = 0; piped && i < CQ_COUNT; i++) {
		if (f->q[i].share != share)
			continue;
		/* Flush: each result leaves the server as soon as it is complete (else its
		 * last buffer waits for the next query's first rows) */
		if (!PQsendQueryParams(conn, f->q[i].sql, strchr(f->q[i].sql, '$') ? 1 : 0, NULL,
				       params, NULL, NULL, 0) || !PQsendFlushRequest(conn))
			break;
		sent = i + 1;
	}
	if (piped && (sent == 0 || PQpipelineSync(conn) != 1))
		sent = 0;
	for (i = 0; piped && i < CQ_COUNT; i++) {
		PGresult *res, *extra;

		if (f->q[i].share != share)
			continue;
		if (i >= sent) {
			fetched(f, &f->q[i], conn_id, NULL, PQerrorMessage(conn));
			continue;
		}
		res = PQgetResult(conn);
		/* the NULL that ends one query's results (a second result would be a bug) */
		while (res && (extra = PQgetResult(conn)) != NULL)
			PQclear(extra);
		fetched(f, &f->q[i], conn_id, res, res ? NULL : PQerrorMessage(conn));
	}
	if (piped) {
		PGresult *sync;

		if (sent > 0 && (sync = PQgetResult(conn)) != NULL)
			PQclear(sync);   /* PGRES_PIPELINE_SYNC */
		PQexitPipelineMode(conn);
		return;
	}
#endif
	for (i = 0; i < CQ_COUNT; i++) {
		PGresult *res;

		if (f->q[i].share != share)
			continue;
		res = PQexecParams(conn, f->q[i].sql, strchr(f->q[i].sql, '$') ? 1 : 0, NULL, params,
				   NULL, NULL, 0);
		fetched(f, &f->q[i], conn_id, res, res ? NULL : PQerrorMessage(conn));
	}
}

/* The first connection: its share, then share 1 unless the second connection has claimed it. */
static void *fetch_a(void *arg)
{
	fetcher *f = arg;
	bool take;

	fetch_share(f, f->a, 0, 0);
	pthread_mutex_lock(&f->mu);
	take = f->b_state != B_CLAIMED;
	if (take)
		f->b_state = B_TAKEN;
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->mu);
	if (take)
		fetch_share(f, f->a, 0, 1);
	return NULL;
}

/* Wait until the second connection's socket is ready, polling the stop flag: false to give up. */
static bool b_wait(fetcher *f, bool for_write)
{
	struct pollfd p;

	p.fd = PQsocket(f->b);
	p.events = for_write ? POLLOUT : POLLIN;
	for (;;) {
		bool stop;
		int n;

		pthread_mutex_lock(&f->mu);
		stop = f->stop || f->b_state != B_SETUP;
		pthread_mutex_unlock(&f->mu);
		if (stop || p.fd < 0)
			return false;
		n = poll(&p, 1, 20);
		if (n > 0)
			return true;
		if (n < 0 && errno != EINTR)
			return false;
	}
}

/*
 * Make the second connection without ever blocking for long (the first one
 * may take share 1 over at any moment): connect, check it reached the same
 * server, BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY, import the
 * first connection's snapshot and apply q_settings in one round trip.
 */
static bool b_setup(fetcher *f)
{
	const char *keys[] = { "connect_timeout", "fallback_application_name", "dbname", NULL };
	const char *vals[] = { "10", "schemadiff", f->conninfo, NULL };
	PostgresPollingStatusType st = PGRES_POLLING_WRITING;
	sd_str sql = SD_STR_INIT;
	PGresult *res;
	bool ok = true;

	f->b = PQconnectStartParams(keys, vals, 1);
	if (!f->b || PQstatus(f->b) == CONNECTION_BAD)
		return false;
	while (st != PGRES_POLLING_OK) {
		if (st == PGRES_POLLING_FAILED || !b_wait(f, st == PGRES_POLLING_WRITING))
			return false;
		st = PQconnectPoll(f->b);
	}
	if (!sd_streq(PQhost(f->b), f->a_host) || !sd_streq(PQport(f->b), f->a_port))
		return false;
	/* the snapshot to import: exported by the first connection meanwhile */
	pthread_mutex_lock(&f->mu);
	while (!f->snapshot[0] && f->b_state == B_SETUP && !f->stop)
		pthread_cond_wait(&f->cv, &f->mu);
	ok = f->snapshot[0] && f->b_state == B_SETUP && !f->stop;
	pthread_mutex_unlock(&f->mu);
	if (!ok)
		return false;
	sd_str_addf(&sql, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; "
		    "SET TRANSACTION SNAPSHOT '%s'; %s", f->snapshot, q_settings);
	ok = PQsendQuery(f->b, sql.ptr) == 1;
	sd_str_release(&sql);
	while (ok) {
		while (ok && PQisBusy(f->b))
			ok = b_wait(f, false) && PQconsumeInput(f->b) == 1;
		if (!ok || (res = PQgetResult(f->b)) == NULL)
			break;
		ok = PQresultStatus(res) == PGRES_COMMAND_OK;
		PQclear(res);
	}
	return ok;
}

static void *fetch_b(void *arg)
{
	fetcher *f = arg;
	bool ok = b_setup(f), claimed;

	pthread_mutex_lock(&f->mu);
	claimed = ok && f->b_state == B_SETUP && !f->stop;
	if (claimed)
		f->b_state = B_CLAIMED;
	pthread_cond_broadcast(&f->cv);
	/* the namespaces may still be being read (the decoder gives up: stop) */
	while (claimed && !f->param && !f->stop)
		pthread_cond_wait(&f->cv, &f->mu);
	claimed = claimed && f->param;
	pthread_mutex_unlock(&f->mu);
	if (claimed)
		fetch_share(f, f->b, 1, 1);
	return NULL;
}

/* A snapshot name as pg_export_snapshot() makes them: hex digits and dashes. */
static bool snapshot_name_ok(const char *s)
{
	size_t n = strspn(s, "0123456789ABCDEFabcdef-");

	return n > 0 && n < 64 && s[n] == '\0';
}

/*
 * Start making the second connection, on its own thread, as soon as the
 * first one is made (so its password, if wrong, is not tried twice).  It
 * imports the snapshot fetcher_snapshot gives it, and takes share 1 when it
 * is ready, if the first connection has not taken it by then.
 */
static void fetcher_second(fetcher *f, ictx *c)
{
	f->conninfo = c->conninfo;
	f->a_host = PQhost(c->conn);
	f->a_port = PQport(c->conn);
	f->b_state = B_SETUP;
	f->tb_started = pthread_create(&f->tb, NULL, fetch_b, f) == 0;
	if (!f->tb_started)
		f->b_state = B_NONE;
}

/* The first connection's snapshot for the second to import; NULL: none (one connection). */
static void fetcher_snapshot(fetcher *f, const char *snapshot)
{
	pthread_mutex_lock(&f->mu);
	if (snapshot && snapshot_name_ok(snapshot))
		snprintf(f->snapshot, sizeof(f->snapshot), "%s", snapshot);
	else if (f->b_state == B_SETUP)
		f->b_state = B_TAKEN;   /* nothing to import: the second connection gives up */
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->mu);
}

/*
 * Run the queries with param as $1: on a thread of their own (and the
 * second connection's) when threads, else here and now, one after the
 * other on the first connection.
 */
static void fetcher_run(fetcher *f, const char *param, bool threads)
{
	pthread_mutex_lock(&f->mu);
	f->param = param;
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->mu);
	if (threads)
		f->ta_started = pthread_create(&f->ta, NULL, fetch_a, f) == 0;
	if (!f->ta_started)
		fetch_a(f);
}

/* Wait for every fetch to end, free what the decoder did not take, close the second connection. */
static void fetcher_finish(fetcher *f)
{
	size_t i;

	pthread_mutex_lock(&f->mu);
	f->stop = true;
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->mu);
	if (f->ta_started)
		pthread_join(f->ta, NULL);
	if (f->tb_started)
		pthread_join(f->tb, NULL);
	f->ta_started = f->tb_started = false;
	if (f->b)
		PQfinish(f->b);   /* a read-only transaction: nothing to commit */
	f->b = NULL;
	for (i = 0; i < CQ_COUNT; i++) {
		PQclear(f->q[i].res);
		free(f->q[i].err);
		free(f->q[i].sql);
		f->q[i].res = NULL;
		f->q[i].err = NULL;
		f->q[i].sql = NULL;
	}
}

/*
 * The result of catalog query id (the caller owns it), waiting for it if
 * need be; on failure the error of the query that failed first on its
 * connection (in a pipeline the ones after it are only "aborted").
 */
static int take(ictx *c, cq_id id, PGresult **res)
{
	fetcher *f = c->f;
	cquery *q = &f->q[id], *first;
	sd_str m = SD_STR_INIT;
	size_t i;
	int rc;

	pthread_mutex_lock(&f->mu);
	while (!q->fetched)
		pthread_cond_wait(&f->cv, &f->mu);
	*res = q->res;
	q->res = NULL;
	pthread_mutex_unlock(&f->mu);
	if (*res && PQresultStatus(*res) == PGRES_TUPLES_OK)
		return 0;
	q->res = *res;
	*res = NULL;
	first = q;
	pthread_mutex_lock(&f->mu);
	for (i = 0; i < CQ_COUNT; i++) {
		cquery *o = &f->q[i];

		if (o->fetched && o->failed && !o->aborted && o->conn == q->conn &&
		    (first->aborted || o->seq < first->seq))
			first = o;
	}
	pthread_mutex_unlock(&f->mu);
	one_line(&m, first->res ? PQresultErrorMessage(first->res) : first->err);
	rc = sd_error_set_at(c->err, SD_EDB, c->label, 0, 0, NULL, "%s failed: %s", first->what,
			     m.ptr);
	sd_error_set_detail(c->err, "query: %s", first->sql);
	sd_str_release(&m);
	return rc;
}

static const char *val(PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

static bool boolval(PGresult *r, int row, int col)
{
	const char *v = val(r, row, col);

	return v && v[0] == 't';
}

/* An oid or other unsigned number as the server prints it (digits only; 0 for NULL). */
static unsigned oidval(PGresult *r, int row, int col)
{
	const char *v = val(r, row, col);
	unsigned n = 0;

	while (v && *v >= '0' && *v <= '9')
		n = n * 10 + (unsigned)(*v++ - '0');
	return n;
}

static int cmp_tinfo(const void *a, const void *b)
{
	unsigned x = ((const tinfo *)a)->oid, y = ((const tinfo *)b)->oid;

	return x < y ? -1 : x > y;
}

static tinfo *find_table(ictx *c, unsigned oid)
{
	tinfo key;

	key.oid = oid;
	return c->ntables ? bsearch(&key, c->tables, c->ntables, sizeof(tinfo), cmp_tinfo) : NULL;
}

/* Schema name a table of namespace nsp gets in the model (NULL = default). */
static const char *model_schema(ictx *c, unsigned nsp, const char *nspname)
{
	return nsp == c->default_nsp ? NULL : nspname;
}

/* Parse "1 2 3" (int2vector / oidvector text) into at most max numbers. */
static size_t parse_vector(const char *s, long *out, size_t max)
{
	size_t n = 0;
	char *end;

	while (s && (*s == '{' || *s == ' '))
		s++;
	while (s && *s && n < max) {
		long v = strtol(s, &end, 10);

		if (end == s)
			break;
		out[n++] = v;
		s = end;
		while (*s == ' ' || *s == ',' || *s == '{' || *s == '}')
			s++;
	}
	return n;
}

/*
 * Parse a text[] literal ("{a,\"b c\",NULL}") into arena strings pushed to
 * *arr (NULL elements as NULL).
 */
static void parse_text_array(ictx *c, const char *s, const char ***arr, size_t *n)
{
	const char *p = s;

	if (!p || *p != '{')
		return;
	p++;
	while (*p && *p != '}') {
		sd_str_reset(&c->scratch);
		if (*p == '"') {
			p++;
			while (*p && *p != '"') {
				if (*p == '\\' && p[1])
					p++;
				sd_str_addch(&c->scratch, *p++);
			}
			if (*p)
				p++;
			sd_names_push(c->s, arr, n, c->scratch.ptr);
		} else {
			while (*p && *p != ',' && *p != '}')
				sd_str_addch(&c->scratch, *p++);
			if (strcmp(c->scratch.ptr, "NULL") == 0) {
				sd_names_push(c->s, arr, n, "");
				(*arr)[*n - 1] = NULL;
			} else {
				sd_names_push(c->s, arr, n, c->scratch.ptr);
			}
		}
		if (*p == ',')
			p++;
	}
}

/* ---- connect and pick namespaces ---- */

static int connect_db(ictx *c)
{
	sd_str ci = SD_STR_INIT, m = SD_STR_INIT;
	const char *keys[] = { "connect_timeout", "fallback_application_name", "dbname", NULL };
	const char *vals[] = { "10", "schemadiff", NULL, NULL };
	int rc = 0;

	sd_pg_conninfo(&ci, c->url);
	vals[2] = ci.ptr;
	c->conn = PQconnectdbParams(keys, vals, 1);
	if (!c->conn || PQstatus(c->conn) != CONNECTION_OK) {
		one_line(&m, c->conn ? PQerrorMessage(c->conn) : "out of memory");
		rc = sd_error_set_at(c->err, SD_EDB, c->label, 0, 0, NULL,
				     "cannot connect to PostgreSQL: %s", m.ptr);
	}
	sd_str_release(&ci);
	sd_str_release(&m);
	return rc;
}

/*
 * The first connection's snapshot, for the second one to import.  Whether
 * the role may call pg_export_snapshot is asked first, before the second
 * connection is made (a function's EXECUTE privilege is checked when a
 * query starts, so it cannot be asked in the same query, and a failed
 * export would abort the transaction).
 */
static const char q_snapshot_ok[] =
	"SELECT pg_catalog.has_function_privilege('pg_catalog.pg_export_snapshot()', 'EXECUTE')";

static const char q_snapshot[] = "SELECT pg_catalog.pg_export_snapshot()";

static const char q_namespaces[] =
	"SELECT n.oid, n.nspname, n.nspname = current_schema() AS is_current,\n"
	"       has_schema_privilege(n.oid, 'USAGE') AS usable\n"
	"FROM pg_catalog.pg_namespace n\n"
	"WHERE n.nspname = ANY ($1::text[])\n"
	"  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')";

static void text_array_literal(sd_str *out, const char *const *items, size_t n)
{
	size_t i;
	const char *p;

	sd_str_addch(out, '{');
	for (i = 0; i < n; i++) {
		if (i)
			sd_str_addch(out, ',');
		sd_str_addch(out, '"');
		for (p = items[i]; *p; p++) {
			if (*p == '"' || *p == '\\')
				sd_str_addch(out, '\\');
			sd_str_addch(out, *p);
		}
		sd_str_addch(out, '"');
	}
	sd_str_addch(out, '}');
}

static int pick_namespaces(ictx *c, const sd_introspect_opts *opts)
{
	const char **want = NULL;
	size_t nwant = 0, i;
	sd_str arr = SD_STR_INIT;
	PGresult *res = NULL;
	const char *params[1];
	int rc = 0, row;

	if (opts && opts->nschemas) {
		want = opts->schemas;
		nwant = opts->nschemas;
	} else {
		last_query_count++;
		res = PQexec(c->conn, "SELECT current_schema()");
		if (!res || PQresultStatus(res) != PGRES_TUPLES_OK) {
			rc = query_fail(c, "reading current_schema()", "SELECT current_schema()", res);
			goto done;
		}
		if (PQgetisnull(res, 0, 0)) {
			rc = sd_error_set_at(c->err, SD_EINPUT, c->label, 0, 0, NULL,
					     "no current schema: the search_path names no existing schema "
					     "(use --schema NAME)");
			goto done;
		}
		sd_names_push(c->s, &want, &nwant, PQgetvalue(res, 0, 0));
		PQclear(res);
		res = NULL;
	}
	for (i = 0; i < nwant; i++) {
		if (strcmp(want[i], "pg_catalog") == 0 || strcmp(want[i], "information_schema") == 0 ||
		    strcmp(want[i], "pg_toast") == 0) {
			rc = sd_error_set_at(c->err, SD_EINPUT, c->label, 0, 0, NULL,
					     "schema \"%s\" is a system schema and is never read", want[i]);
			goto done;
		}
	}
	text_array_literal(&arr, want, nwant);
	params[0] = arr.ptr;
	last_query_count++;
	res = PQexecParams(c->conn, q_namespaces, 1, NULL, params, NULL, NULL, 0);
	if (!res || PQresultStatus(res) != PGRES_TUPLES_OK) {
		rc = query_fail(c, "reading pg_namespace", q_namespaces, res);
		goto done;
	}
	for (i = 0; i < nwant; i++) {
		bool found = false;

		for (row = 0; row < PQntuples(res); row++) {
			if (strcmp(PQgetvalue(res, row, 1), want[i]) != 0)
				continue;
			found = true;
			if (!boolval(res, row, 3)) {
				rc = sd_error_set_at(c->err, SD_EDB, c->label, 0, 0, NULL,
						     "permission denied for schema \"%s\" (no USAGE privilege)",
						     want[i]);
				goto done;
			}
		}
		if (!found) {
			rc = sd_error_set_at(c->err, SD_EINPUT, c->label, 0, 0, NULL,
					     "schema \"%s\" does not exist", want[i]);
			goto done;
		}
	}
	c->nnsp = (size_t)PQntuples(res);
	c->nsp_names = xcalloc(c->nnsp + 1, sizeof(char *));
	c->nsp_oid = xcalloc(c->nnsp + 1, sizeof(unsigned));
	sd_str_addch(&c->nsp_oids, '{');
	for (row = 0; row < PQntuples(res); row++) {
		c->nsp_oid[row] = oidval(res, row, 0);
		c->nsp_names[row] = xstrdup(PQgetvalue(res, row, 1));
		sd_str_addf(&c->nsp_oids, "%s%u", row ? "," : "", c->nsp_oid[row]);
		if (c->nnsp == 1 || boolval(res, row, 2))
			c->default_nsp = c->nsp_oid[row];
	}
	sd_str_addch(&c->nsp_oids, '}');
done:
	PQclear(res);
	sd_str_release(&arr);
	return rc;
}

/* ---- catalogs ---- */

static const char q_tables[] =
	"SELECT c.oid, c.relnamespace, n.nspname, c.relname, c.relkind, d.description,\n"
	"       CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid) END AS viewdef\n"
	"FROM pg_catalog.pg_class c\n"
	"JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n"
	"LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid\n"
	"     AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = 0\n"
	"WHERE c.relnamespace = ANY ($1::oid[]) AND c.relkind IN ('r', 'p', 'v', 'm')\n"
	"  AND NOT c.relispartition\n"
	"ORDER BY c.oid";

static int read_tables(ictx *c)
{
	PGresult *r;
	int rc, i, n, f_oid, f_nsp, f_nspname, f_name, f_kind, f_desc, f_view;

	if ((rc = take(c, CQ_TABLES, &r)))
		return rc;
	f_oid = PQfnumber(r, "oid");
	f_nsp = PQfnumber(r, "relnamespace");
	f_nspname = PQfnumber(r, "nspname");
	f_name = PQfnumber(r, "relname");
	f_kind = PQfnumber(r, "relkind");
	f_desc = PQfnumber(r, "description");
	f_view = PQfnumber(r, "viewdef");
	n = PQntuples(r);
	for (i = 0; i < n; i++) {
		const char *kind = PQgetvalue(r, i, f_kind);
		const char *name = PQgetvalue(r, i, f_name);
		const char *schema = model_schema(c, oidval(r, i, f_nsp), PQgetvalue(r, i, f_nspname));
		tinfo *ti;

		if (kind[0] == 'v' || kind[0] == 'm') {
			sd_view *v;

			const char *def = val(r, i, f_view);
			size_t len;

			sd_str_reset(&c->scratch);
			while (def && (*def == ' ' || *def == '\n'))
				def++;
			sd_str_add(&c->scratch, def ? def : "");
			len = c->scratch.len;
			while (len && (c->scratch.ptr[len - 1] == ';' || c->scratch.ptr[len - 1] == ' ' ||
				       c->scratch.ptr[len - 1] == '\n'))
				len--;
			sd_str_truncate(&c->scratch, len);
			v = sd_schema_add_view(c->s, schema, name, c->scratch.ptr);
			v->materialized = kind[0] == 'm';
			continue;
		}
		if (strcmp(name, "alembic_version") == 0)
			continue;
		SD_GROW(c->tables, c->ntables + 1, c->atables);
		ti = &c->tables[c->ntables++];
		memset(ti, 0, sizeof(*ti));
		ti->oid = oidval(r, i, f_oid);
		ti->t = sd_schema_add_table(c->s, schema, name);
		ti->t->comment = sd_schema_strdup(c->s, val(r, i, f_desc));
	}
	PQclear(r);
	/* ORDER BY c.oid compares oids as unsigned, as cmp_tinfo does */
	if (c->ntables)
		qsort(c->tables, c->ntables, sizeof(tinfo), cmp_tinfo);
	return 0;
}

/*
 * A default cannot refer to a column, so it is deparsed without the table
 * as context (relid 0): pg_get_expr with a table opens it (a relation cache
 * entry and a lock per table, the larger part of this query's time); only
 * a generated column's expression needs its table.
 */
static const char q_columns[] =
	"SELECT a.attrelid, a.attnum, a.attname,\n"
	"       pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,\n"
	"       a.attnotnull,\n"
	"       pg_catalog.pg_get_expr(ad.adbin, CASE WHEN a.attgenerated = '' THEN 0\n"
	"                                             ELSE ad.adrelid END) AS def,\n"
	"       a.attidentity, a.attgenerated, a.attcollation,\n"
	"       CASE WHEN a.attcollation <> t.typcollation THEN co.collname END AS collname,\n"
	"       d.description,\n"
	"       CASE WHEN ad.adbin IS NOT NULL AND a.attidentity = '' AND a.attgenerated = ''\n"
	"            THEN EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep\n"
	"                         JOIN pg_catalog.pg_class s ON s.oid = dep.objid AND s.relkind = 'S'\n"
	"                         WHERE dep.classid = 'pg_catalog.pg_class'::regclass\n"
	"                           AND dep.refclassid = 'pg_catalog.pg_class'::regclass\n"
	"                           AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum\n"
	"                           AND dep.deptype = 'a') END AS owns_seq\n"
	"FROM pg_catalog.pg_attribute a\n"
	"JOIN pg_catalog.pg_class c ON c.oid = a.attrelid\n"
	"JOIN pg_catalog.pg_type t ON t.oid = a.atttypid\n"
	"LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum\n"
	"LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation\n"
	"LEFT JOIN pg_catalog.pg_description d ON d.objoid = a.attrelid\n"
	"     AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = a.attnum\n"
	"WHERE c.relnamespace = ANY ($1::oid[]) AND c.relkind IN ('r', 'p')\n"
	"  AND a.attnum > 0 AND NOT a.attisdropped\n"
	"ORDER BY a.attrelid, a.attnum";

static int read_columns(ictx *c)
{
	PGresult *r;
	int rc, i, n, f_rel, f_num, f_name, f_type, f_nn, f_def, f_ident, f_gen, f_coll, f_collname,
	    f_desc, f_seq;
	unsigned last_rel = 0;
	tinfo *last_ti = NULL;

	if ((rc = take(c, CQ_COLUMNS, &r)))
		return rc;
	f_rel = PQfnumber(r, "attrelid");
	f_num = PQfnumber(r, "attnum");
	f_name = PQfnumber(r, "attname");
	f_type = PQfnumber(r, "type");
	f_nn = PQfnumber(r, "attnotnull");
	f_def = PQfnumber(r, "def");
	f_ident = PQfnumber(r, "attidentity");
	f_gen = PQfnumber(r, "attgenerated");
	f_coll = PQfnumber(r, "attcollation");
	f_collname = PQfnumber(r, "collname");
	f_desc = PQfnumber(r, "description");
	f_seq = PQfnumber(r, "owns_seq");
	n = PQntuples(r);
	for (i = 0; i < n; i++) {
		unsigned rel = oidval(r, i, f_rel);
		tinfo *ti = rel == last_rel ? last_ti : find_table(c, rel);  /* ORDER BY attrelid */
		long num = atol(PQgetvalue(r, i, f_num));
		const char *ident = PQgetvalue(r, i, f_ident), *gen = PQgetvalue(r, i, f_gen);
		const char *def = val(r, i, f_def);
		sd_column *col;

		last_rel = rel;
		last_ti = ti;
		if (!ti)
			continue;  /* alembic_version */
		col = sd_table_add_column(c->s, ti->t, PQgetvalue(r, i, f_name));
		col->type = sd_schema_strdup(c->s, PQgetvalue(r, i, f_type));
		col->nullable = !boolval(r, i, f_nn);
		col->collation = sd_schema_strdup(c->s, val(r, i, f_collname));
		col->comment = sd_schema_strdup(c->s, val(r, i, f_desc));
		if (ident[0]) {
			col->autoincrement = SD_AUTOINC_TRUE;
			col->identity = ident[0] == 'a' ? "ALWAYS" : "BY DEFAULT";
		} else if (gen[0]) {
			col->generated = sd_schema_strdup(c->s, def);
			col->generated_stored = true;
		} else if (def && boolval(r, i, f_seq) && strncmp(def, "nextval(", 8) == 0) {
			col->autoincrement = SD_AUTOINC_TRUE;  /* serial: the default is the column's */
		} else {
			col->server_default = sd_schema_strdup(c->s, def);
		}
		if (num > 0 && (size_t)num >= ti->nattnames) {
			size_t want = (size_t)num + 1;

			if (want > ti->aattnames) {
				ti->aattnames = want < 16 ? 16 : 2 * want;
				ti->attnames = xrealloc(ti->attnames, ti->aattnames * sizeof(char *));
				ti->attcoll = xrealloc(ti->attcoll, ti->aattnames * sizeof(unsigned));
			}
			memset(ti->attnames + ti->nattnames, 0, (want - ti->nattnames) * sizeof(char *));
			memset(ti->attcoll + ti->nattnames, 0, (want - ti->nattnames) * sizeof(unsigned));
			ti->nattnames = want;
		}
		if (num > 0) {
			ti->attnames[num] = col->name;
			ti->attcoll[num] = oidval(r, i, f_coll);
		}
	}
	PQclear(r);
	return 0;
}

static const char *attname(const tinfo *ti, long num)
{
	return num > 0 && (size_t)num < ti->nattnames ? ti->attnames[num] : NULL;
}

/* Push the names of "{1,3}" attnums to a name list; false if one is unknown. */
static bool push_attnums(ictx *c, const tinfo *ti, const char *key, const char ***arr, size_t *n)
{
	long nums[64];
	size_t k, cnt = parse_vector(key, nums, SD_ARRAY_LEN(nums));

	for (k = 0; k < cnt; k++) {
		const char *nm = attname(ti, nums[k]);

		if (!nm)
			return false;
		sd_names_push(c->s, arr, n, nm);
	}
	return true;
}

static const char *fk_action(char a)
{
	switch (a) {
	case 'r': return "RESTRICT";
	case 'c': return "CASCADE";
	case 'n': return "SET NULL";
	case 'd': return "SET DEFAULT";
	default: return NULL;  /* 'a' NO ACTION: not stated */
	}
}

/* "CHECK ((a > 0)) NOT VALID" -> "(a > 0)": the text inside CHECK ( ... ). */
static void check_body(sd_str *out, const char *def)
{
	const char *p = strchr(def, '('), *q;
	int depth = 0;
	char quote = 0;

	if (!p) {
		sd_str_add(out, def);
		return;
	}
	for (q = p; *q; q++) {
		if (quote) {
			if (*q == quote)
				quote = 0;
			continue;
		}
		if (*q == '\'' || *q == '"')
			quote = *q;
		else if (*q == '(')
			depth++;
		else if (*q == ')' && --depth == 0)
			break;
	}
	sd_str_addn(out, p + 1, (size_t)(q - p - 1));
}

/*
 * A foreign key's referenced columns come as attnums (confkey), named from
 * the columns already read when the referenced table is one of the tables
 * read (the condition mirrors read_tables); only for other tables does the
 * server name them (refcols), one subquery per key.
 */
/* %s: "ci.indnullsnotdistinct" on PostgreSQL 15 and later, else "false" */
static const char q_constraints[] =
	"SELECT con.conrelid, con.conname, con.contype, con.condeferrable, con.condeferred,\n"
	"       con.conkey, con.confupdtype, con.confdeltype, con.confmatchtype,\n"
	"       rn.oid AS refnsp, rn.nspname AS refnspname, rc.relname AS refrelname,\n"
	"       con.confrelid, con.confkey,\n"
	"       CASE WHEN con.contype = 'f' AND NOT (rc.relnamespace = ANY ($1::oid[])\n"
	"            AND rc.relkind IN ('r', 'p') AND NOT rc.relispartition\n"
	"            AND rc.relname <> 'alembic_version') THEN ARRAY(\n"
	"         SELECT ra.attname FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)\n"
	"         JOIN pg_catalog.pg_attribute ra ON ra.attrelid = con.confrelid AND ra.attnum = k.num\n"
	"         ORDER BY k.ord) END AS refcols,\n"
	"       CASE WHEN con.contype = 'c' THEN pg_catalog.pg_get_constraintdef(con.oid) END AS def,\n"
	"       con.convalidated, %s AS nnd\n"
	"FROM pg_catalog.pg_constraint con\n"
	"JOIN pg_catalog.pg_class c ON c.oid = con.conrelid\n"
	"LEFT JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid\n"
	"LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace\n"
	"LEFT JOIN pg_catalog.pg_index ci ON ci.indexrelid = con.conindid AND con.contype = 'u'\n"
	"WHERE c.relnamespace = ANY ($1::oid[]) AND c.relkind IN ('r', 'p')\n"
	"  AND con.contype IN ('p', 'u', 'f', 'c') AND con.conparentid = 0\n"
	"ORDER BY con.conrelid, con.conname";

static int read_constraints(ictx *c)
{
	PGresult *r;
	int rc, i, n, f_rel, f_name, f_type, f_defer, f_deferred, f_key, f_upd, f_del, f_match,
	    f_refnsp, f_refnspname, f_refrel, f_refcols, f_def, f_valid, f_confrel, f_confkey, f_nnd;

	if ((rc = take(c, CQ_CONSTRAINTS, &r)))
		return rc;
	f_rel = PQfnumber(r, "conrelid");
	f_name = PQfnumber(r, "conname");
	f_type = PQfnumber(r, "contype");
	f_defer = PQfnumber(r, "condeferrable");
	f_deferred = PQfnumber(r, "condeferred");
	f_key = PQfnumber(r, "conkey");
	f_upd = PQfnumber(r, "confupdtype");
	f_del = PQfnumber(r, "confdeltype");
	f_match = PQfnumber(r, "confmatchtype");
	f_refnsp = PQfnumber(r, "refnsp");
	f_refnspname = PQfnumber(r, "refnspname");
	f_refrel = PQfnumber(r, "refrelname");
	f_refcols = PQfnumber(r, "refcols");
	f_confrel = PQfnumber(r, "confrelid");
	f_confkey = PQfnumber(r, "confkey");
	f_def = PQfnumber(r, "def");
	f_valid = PQfnumber(r, "convalidated");
	f_nnd = PQfnumber(r, "nnd");
	n = PQntuples(r);
	for (i = 0; i < n; i++) {
		tinfo *ti = find_table(c, oidval(r, i, f_rel));
		const char *name = PQgetvalue(r, i, f_name), *key = val(r, i, f_key);
		char type = PQgetvalue(r, i, f_type)[0];
		bool ok = true;

		if (!ti)
			continue;
		if (type == 'p') {
			sd_primary_key *pk = sd_table_set_pk(c->s, ti->t, name);

			ok = push_attnums(c, ti, key, &pk->columns, &pk->ncolumns);
		} else if (type == 'u') {
			sd_unique *u = sd_table_add_unique(c->s, ti->t, name);

			ok = push_attnums(c, ti, key, &u->columns, &u->ncolumns);
			u->nulls_not_distinct = boolval(r, i, f_nnd);
		} else if (type == 'f') {
			sd_foreign_key *fk = sd_table_add_fk(c->s, ti->t, name);
			const char *m = PQgetvalue(r, i, f_match);

			ok = push_attnums(c, ti, key, &fk->columns, &fk->ncolumns);
			fk->ref_schema = sd_schema_strdup(c->s, model_schema(c, oidval(r, i, f_refnsp),
									     PQgetvalue(r, i, f_refnspname)));
			fk->ref_table = sd_schema_strdup(c->s, PQgetvalue(r, i, f_refrel));
			if (!PQgetisnull(r, i, f_refcols)) {
				parse_text_array(c, val(r, i, f_refcols), &fk->ref_columns,
						 &fk->nref_columns);
			} else {
				const tinfo *ref = find_table(c, oidval(r, i, f_confrel));

				ok = ok && ref && push_attnums(c, ref, val(r, i, f_confkey),
							      &fk->ref_columns, &fk->nref_columns);
			}
			fk->on_update = fk_action(PQgetvalue(r, i, f_upd)[0]);
			fk->on_delete = fk_action(PQgetvalue(r, i, f_del)[0]);
			fk->match = m[0] == 'f' ? "FULL" : m[0] == 'p' ? "PARTIAL" : NULL;
			fk->deferrable = boolval(r, i, f_defer);
			fk->initially_deferred = boolval(r, i, f_deferred);
			fk->not_valid = !boolval(r, i, f_valid);
		} else if (type == 'c') {
			sd_str_reset(&c->scratch);
			check_body(&c->scratch, PQgetvalue(r, i, f_def));
			sd_table_add_check(c->s, ti->t, name, c->scratch.ptr)->not_valid =
				!boolval(r, i, f_valid);
		}
		if (!ok) {
			PQclear(r);
			return sd_error_set_at(c->err, SD_EDB, c->label, 0, 0, NULL,
					       "constraint \"%s\" on \"%s\" names a column that was not read",
					       name, ti->t->name);
		}
	}
	PQclear(r);
	return 0;
}

/*
 * Operator classes (opc: the key positions, 1-based, and names of those
 * that are not the default; absent when all are): what pg_get_indexdef
 * prints, without deparsing every index.  A key column's class is the
 * default when it is pg_opclass.opcdefault for the type it indexes, the
 * way the server's GetDefaultOpClass picks it: an exact match of
 * opcintype, else the one default class the type is binary-coercible to
 * (implicit binary pg_cast, or a polymorphic anyarray/anyenum/... input),
 * a preferred type of the category winning a tie.
 *  - k: key columns whose class is not trivially the default (opcdefault
 *    and opcintype = the indexed type); the indexed type is the index
 *    column's, except where the catalogs record a storage type instead
 *    (an opclass opckeytype, and hash indexes: the only core method with
 *    a key type), typ NULL;
 *  - p, shown: the GetDefaultOpClass rule once per distinct (class, type),
 *    domains reduced to their base type (dom);
 *  - typ NULL (the indexed type is not in the catalogs): the server's own
 *    deparse of that index says whether the class is printed.
 * The opclass name is qualified when not visible, as pg_get_indexdef does.
 */
/* %s: "i.indnullsnotdistinct" on PostgreSQL 15 and later, else "false" */
static const char q_indexes[] =
	"SELECT i.indrelid, ic.relname, i.indisunique, i.indnkeyatts, i.indkey, i.indoption,\n"
	"       i.indnatts, am.amname, %s AS nnd,\n"
	"       i.indcollation, pg_catalog.pg_get_expr(i.indpred, i.indrelid) AS pred,\n"
	"       CASE WHEN i.indexprs IS NOT NULL THEN ARRAY(\n"
	"         SELECT pg_catalog.pg_get_indexdef(i.indexrelid, k, true)\n"
	"         FROM generate_series(1, i.indnkeyatts) k ORDER BY k) END AS exprs,\n"
	"       opc.opcpos, opc.opcnames\n"
	"FROM pg_catalog.pg_index i\n"
	"JOIN pg_catalog.pg_class c ON c.oid = i.indrelid\n"
	"JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid\n"
	"JOIN pg_catalog.pg_am am ON am.oid = ic.relam\n"
	"LEFT JOIN (\n"
	"  WITH RECURSIVE k AS (\n"
	"    SELECT x.indexrelid, ia.attnum AS n, o.oid AS opc, o.opcdefault, o.opcintype, o.opcmethod,\n"
	"           CASE WHEN o.opckeytype = 0 AND oam.amname <> 'hash' THEN ia.atttypid END AS typ,\n"
	"           CASE WHEN pg_catalog.pg_opclass_is_visible(o.oid) THEN pg_catalog.quote_ident(o.opcname)\n"
	"                ELSE pg_catalog.quote_ident(ns.nspname) || '.' || pg_catalog.quote_ident(o.opcname)\n"
	"           END AS opcname\n"
	"    FROM pg_catalog.pg_index x\n"
	"    JOIN pg_catalog.pg_class xc ON xc.oid = x.indrelid\n"
	"    JOIN pg_catalog.pg_attribute ia ON ia.attrelid = x.indexrelid AND ia.attnum <= x.indnkeyatts\n"
	"    JOIN pg_catalog.pg_opclass o ON o.oid = x.indclass[ia.attnum - 1]\n"
	"    JOIN pg_catalog.pg_namespace ns ON ns.oid = o.opcnamespace\n"
	"    JOIN pg_catalog.pg_am oam ON oam.oid = o.opcmethod\n"
	"    WHERE xc.relnamespace = ANY ($1::oid[]) AND xc.relkind IN ('r', 'p')\n"
	"      AND NOT (o.opcdefault AND o.opcintype = ia.atttypid AND o.opckeytype = 0\n"
	"               AND oam.amname <> 'hash')),\n"
	"  dom(oid, base) AS (\n"
	"    SELECT t.oid, t.typbasetype FROM pg_catalog.pg_type t WHERE t.typtype = 'd'\n"
	"    UNION ALL SELECT dom.oid, t.typbasetype FROM dom\n"
	"    JOIN pg_catalog.pg_type t ON t.oid = dom.base AND t.typtype = 'd'),\n"
	"  p AS (\n"
	"    SELECT DISTINCT k.opc, k.typ, k.opcintype, k.opcmethod, COALESCE(d.base, k.typ) AS btyp\n"
	"    FROM k LEFT JOIN (dom d JOIN pg_catalog.pg_type dt ON dt.oid = d.base AND dt.typtype <> 'd')\n"
	"           ON d.oid = k.typ\n"
	"    WHERE k.opcdefault AND k.opcintype <> COALESCE(d.base, k.typ)),\n"
	"  shown AS (\n"
	"    SELECT p.opc, p.typ FROM p\n"
	"    JOIN pg_catalog.pg_opclass e ON e.opcmethod = p.opcmethod AND e.opcdefault AND e.opcintype = p.btyp\n"
	"    UNION\n"
	"    SELECT p.opc, p.typ FROM p\n"
	"    JOIN pg_catalog.pg_type kt ON kt.oid = p.btyp\n"
	"    JOIN pg_catalog.pg_type ot ON ot.oid = p.opcintype\n"
	"    JOIN pg_catalog.pg_opclass e ON e.opcmethod = p.opcmethod AND e.opcdefault AND e.oid <> p.opc\n"
	"    JOIN pg_catalog.pg_type et ON et.oid = e.opcintype\n"
	"    LEFT JOIN pg_catalog.pg_cast ca ON ca.castsource = p.btyp AND ca.casttarget = e.opcintype\n"
	"         AND ca.castmethod = 'b' AND ca.castcontext = 'i'\n"
	"    WHERE (NOT (ot.typispreferred AND ot.typcategory = kt.typcategory)\n"
	"           OR (et.typispreferred AND et.typcategory = kt.typcategory))\n"
	"      AND (ca.oid IS NOT NULL OR (et.typtype = 'p' AND CASE et.typname\n"
	"        WHEN 'anyelement' THEN true WHEN 'anycompatible' THEN true\n"
	"        WHEN 'anyarray' THEN kt.typelem <> 0 AND kt.typlen = -1\n"
	"        WHEN 'anycompatiblearray' THEN kt.typelem <> 0 AND kt.typlen = -1\n"
	"        WHEN 'anynonarray' THEN NOT (kt.typelem <> 0 AND kt.typlen = -1)\n"
	"        WHEN 'anycompatiblenonarray' THEN NOT (kt.typelem <> 0 AND kt.typlen = -1)\n"
	"        WHEN 'anyenum' THEN kt.typtype = 'e'\n"
	"        WHEN 'anyrange' THEN kt.typtype = 'r'\n"
	"        WHEN 'anycompatiblerange' THEN kt.typtype = 'r'\n"
	"        WHEN 'anymultirange' THEN kt.typtype = 'm'\n"
	"        WHEN 'anycompatiblemultirange' THEN kt.typtype = 'm'\n"
	"        WHEN 'record' THEN kt.typtype = 'c'\n"
	"        ELSE false END)))\n"
	"  SELECT k.indexrelid, pg_catalog.array_agg(k.n ORDER BY k.n) AS opcpos,\n"
	"         pg_catalog.array_agg(k.opcname ORDER BY k.n) AS opcnames\n"
	"  FROM k LEFT JOIN shown s ON s.opc = k.opc AND s.typ = k.typ\n"
	"  WHERE NOT k.opcdefault OR s.opc IS NOT NULL\n"
	"     OR (k.typ IS NULL AND pg_catalog.pg_get_indexdef(k.indexrelid, 0, false) ~\n"
	"         (' ' || pg_catalog.regexp_replace(k.opcname, '(\\W)', '\\\\\\1', 'g') || '[ ,)]'))\n"
	"  GROUP BY k.indexrelid) opc ON opc.indexrelid = i.indexrelid\n"
	"WHERE c.relnamespace = ANY ($1::oid[]) AND c.relkind IN ('r', 'p')\n"
	"  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con\n"
	"                  WHERE con.conrelid = i.indrelid AND con.conindid = i.indexrelid\n"
	"                    AND con.contype IN ('p', 'u', 'x'))\n"
	"ORDER BY i.indrelid, ic.relname";

static const char q_collations[] =
	"SELECT co.oid, co.collname FROM pg_catalog.pg_collation co\n"
	"WHERE co.oid IN (SELECT DISTINCT unnest(i.indcollation::oid[])\n"
	"                 FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indrelid\n"
	"                 WHERE c.relnamespace = ANY ($1::oid[]))\n"
	"ORDER BY co.oid";

#define DEFAULT_COLLATION_OID 100

static const char *collation_name(PGresult *colls, unsigned oid)
{
	int i;

	for (i = 0; colls && i < PQntuples(colls); i++) {
		if (oidval(colls, i, 0) == oid)
			return PQgetvalue(colls, i, 1);
	}
	return NULL;
}

static int read_indexes(ictx *c)
{
	PGresult *r = NULL, *colls = NULL;
	int rc, i, n, f_rel, f_name, f_uniq, f_nkey, f_key, f_opt, f_coll, f_pred, f_exprs, f_natts,
	    f_am, f_nnd, f_opcpos, f_opcnames;

	if ((rc = take(c, CQ_INDEXES, &r)))
		return rc;
	if ((rc = take(c, CQ_COLLATIONS, &colls))) {
		PQclear(r);
		return rc;
	}
	f_rel = PQfnumber(r, "indrelid");
	f_name = PQfnumber(r, "relname");
	f_uniq = PQfnumber(r, "indisunique");
	f_nkey = PQfnumber(r, "indnkeyatts");
	f_key = PQfnumber(r, "indkey");
	f_opt = PQfnumber(r, "indoption");
	f_coll = PQfnumber(r, "indcollation");
	f_pred = PQfnumber(r, "pred");
	f_exprs = PQfnumber(r, "exprs");
	f_natts = PQfnumber(r, "indnatts");
	f_am = PQfnumber(r, "amname");
	f_nnd = PQfnumber(r, "nnd");
	f_opcpos = PQfnumber(r, "opcpos");
	f_opcnames = PQfnumber(r, "opcnames");
	n = PQntuples(r);
	for (i = 0; i < n; i++) {
		tinfo *ti = find_table(c, oidval(r, i, f_rel));
		long keys[64], opts[64], colls_v[64], opcpos[64];
		const char **exprs = NULL, **opcnames = NULL;
		size_t nexprs = 0, nk, nall, k, nopc, nopcnames = 0;
		long nkey;
		sd_index *ix;

		if (!ti)
			continue;
		nkey = atol(PQgetvalue(r, i, f_nkey));
		nk = parse_vector(PQgetvalue(r, i, f_key), keys, SD_ARRAY_LEN(keys));
		nall = nk;
		parse_vector(PQgetvalue(r, i, f_opt), opts, SD_ARRAY_LEN(opts));
		parse_vector(PQgetvalue(r, i, f_coll), colls_v, SD_ARRAY_LEN(colls_v));
		parse_text_array(c, val(r, i, f_exprs), &exprs, &nexprs);
		nopc = parse_vector(val(r, i, f_opcpos), opcpos, SD_ARRAY_LEN(opcpos));
		parse_text_array(c, val(r, i, f_opcnames), &opcnames, &nopcnames);
		if ((long)nk > nkey)
			nk = (size_t)nkey;  /* INCLUDE columns are not keys */
		ix = sd_table_add_index(c->s, ti->t, PQgetvalue(r, i, f_name));
		ix->unique = boolval(r, i, f_uniq);
		ix->where = sd_schema_strdup(c->s, val(r, i, f_pred));
		if (strcmp(PQgetvalue(r, i, f_am), "btree") != 0)
			ix->method = sd_schema_strdup(c->s, PQgetvalue(r, i, f_am));
		ix->nulls_not_distinct = boolval(r, i, f_nnd);
		for (k = nk; k < nall && (long)k < atol(PQgetvalue(r, i, f_natts)); k++)
			if (keys[k] != 0)
				sd_names_push(c->s, &ix->include, &ix->ninclude, attname(ti, keys[k]));
		for (k = 0; k < nk; k++) {
			sd_index_elem *e = sd_index_add_elem(c->s, ix);
			bool desc = (opts[k] & 1) != 0, nulls_first = (opts[k] & 2) != 0;
			unsigned coll = (unsigned)colls_v[k];

			if (keys[k] != 0)
				e->column = attname(ti, keys[k]);
			else
				e->expression = k < nexprs ? exprs[k] : NULL;
			e->desc = desc;
			if (nulls_first != desc)
				e->nulls = nulls_first ? "FIRST" : "LAST";
			if (coll != 0 && (keys[k] != 0 ? coll != ti->attcoll[keys[k]]
						       : coll != DEFAULT_COLLATION_OID))
				e->collation = sd_schema_strdup(c->s, collation_name(colls, coll));
		}
		for (k = 0; k < nopc && k < nopcnames; k++)
			if (opcpos[k] >= 1 && (size_t)opcpos[k] <= nk)
				ix->elems[opcpos[k] - 1]->opclass = opcnames[k];
	}
	PQclear(r);
	PQclear(colls);
	return 0;
}

static const char q_triggers[] =
	"SELECT t.tgrelid, t.tgname, pg_catalog.pg_get_triggerdef(t.oid) AS def\n"
	"FROM pg_catalog.pg_trigger t\n"
	"JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid\n"
	"WHERE c.relnamespace = ANY ($1::oid[]) AND NOT t.tgisinternal\n"
	"ORDER BY t.tgrelid, t.tgname";

static int read_triggers(ictx *c)
{
	PGresult *r;
	int rc, i, n;

	if ((rc = take(c, CQ_TRIGGERS, &r)))
		return rc;
	n = PQntuples(r);
	for (i = 0; i < n; i++) {
		tinfo *ti = find_table(c, oidval(r, i, 0));

		if (ti)
			sd_schema_add_trigger(c->s, ti->t->schema, PQgetvalue(r, i, 1), ti->t->name,
					      PQgetvalue(r, i, 2));
	}
	PQclear(r);
	return 0;
}

/* Enum types: one row per value, in each type's sort order (one NULL label: no values). */
static const char q_enums[] =
	"SELECT t.typnamespace, n.nspname, t.typname, e.enumlabel\n"
	"FROM pg_catalog.pg_type t\n"
	"JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace\n"
	"LEFT JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid\n"
	"WHERE t.typtype = 'e' AND t.typnamespace = ANY ($1::oid[])\n"
	"ORDER BY t.oid, e.enumsortorder";

static int read_enums(ictx *c)
{
	PGresult *r;
	int rc, i, n, f_nsp, f_nspname, f_name, f_label;
	sd_enum *e = NULL;
	unsigned last_nsp = 0;
	const char *last_name = NULL;

	if ((rc = take(c, CQ_ENUMS, &r)))
		return rc;
	f_nsp = PQfnumber(r, "typnamespace");
	f_nspname = PQfnumber(r, "nspname");
	f_name = PQfnumber(r, "typname");
	f_label = PQfnumber(r, "enumlabel");
	n = PQntuples(r);
	for (i = 0; i < n; i++) {
		unsigned nsp = oidval(r, i, f_nsp);
		const char *name = PQgetvalue(r, i, f_name);

		if (!e || nsp != last_nsp || strcmp(name, last_name) != 0) {
			e = sd_schema_add_enum(c->s, model_schema(c, nsp, PQgetvalue(r, i, f_nspname)), name);
			last_nsp = nsp;
			last_name = e->name;
		}
		if (!PQgetisnull(r, i, f_label))
			sd_names_push(c->s, &e->values, &e->nvalues, PQgetvalue(r, i, f_label));
	}
	PQclear(r);
	return 0;
}

/*
 * Sequences no column owns as its serial or identity: a serial's sequence
 * (OWNED BY its column, pg_depend 'a', and used by that column's default)
 * and an identity's (pg_depend 'i') are part of the column.  Settings equal
 * to the server's default for the type and direction come back NULL.
 */
static const char q_sequences[] =
	"SELECT c.relnamespace, n.nspname, c.relname,\n"
	"       NULLIF(pg_catalog.format_type(s.seqtypid, NULL), 'bigint') AS type,\n"
	"       CASE WHEN s.seqstart <> CASE WHEN s.seqincrement > 0 THEN s.seqmin ELSE s.seqmax END\n"
	"            THEN s.seqstart END AS start,\n"
	"       NULLIF(s.seqincrement, 1) AS increment,\n"
	"       CASE WHEN s.seqmin <> CASE WHEN s.seqincrement > 0 THEN 1 ELSE -x.tmax - 1 END\n"
	"            THEN s.seqmin END AS min,\n"
	"       CASE WHEN s.seqmax <> CASE WHEN s.seqincrement > 0 THEN x.tmax ELSE -1 END\n"
	"            THEN s.seqmax END AS max,\n"
	"       NULLIF(s.seqcache, 1) AS cache, s.seqcycle,\n"
	"       o.relname || '.' || o.attname AS owned_by\n"
	"FROM pg_catalog.pg_sequence s\n"
	"JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid\n"
	"JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n"
	"CROSS JOIN LATERAL (SELECT CASE s.seqtypid WHEN 'pg_catalog.int2'::pg_catalog.regtype\n"
	"       THEN 32767::bigint WHEN 'pg_catalog.int4'::pg_catalog.regtype THEN 2147483647::bigint\n"
	"       ELSE 9223372036854775807::bigint END AS tmax) x\n"
	"LEFT JOIN LATERAL (SELECT t.relname, a.attname, EXISTS (\n"
	"           SELECT 1 FROM pg_catalog.pg_attrdef ad\n"
	"           JOIN pg_catalog.pg_depend dd ON dd.classid = 'pg_catalog.pg_attrdef'::regclass\n"
	"                AND dd.objid = ad.oid AND dd.refclassid = 'pg_catalog.pg_class'::regclass\n"
	"                AND dd.refobjid = c.oid\n"
	"           WHERE ad.adrelid = d.refobjid AND ad.adnum = d.refobjsubid) AS serial\n"
	"       FROM pg_catalog.pg_depend d\n"
	"       JOIN pg_catalog.pg_class t ON t.oid = d.refobjid\n"
	"       JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid\n"
	"       WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid\n"
	"         AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.deptype = 'a'\n"
	"       LIMIT 1) o ON true\n"
	"WHERE c.relnamespace = ANY ($1::oid[])\n"
	"  AND NOT COALESCE(o.serial, false)\n"
	"  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d\n"
	"                  WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid\n"
	"                    AND d.deptype = 'i')\n"
	"ORDER BY c.oid";

static int read_sequences(ictx *c)
{
	PGresult *r;
	int rc, i, n, f_nsp, f_nspname, f_name, f_type, f_start, f_inc, f_min, f_max, f_cache,
	    f_cycle, f_owned;

	if ((rc = take(c, CQ_SEQUENCES, &r)))
		return rc;
	f_nsp = PQfnumber(r, "relnamespace");
	f_nspname = PQfnumber(r, "nspname");
	f_name = PQfnumber(r, "relname");
	f_type = PQfnumber(r, "type");
	f_start = PQfnumber(r, "start");
	f_inc = PQfnumber(r, "increment");
	f_min = PQfnumber(r, "min");
	f_max = PQfnumber(r, "max");
	f_cache = PQfnumber(r, "cache");
	f_cycle = PQfnumber(r, "seqcycle");
	f_owned = PQfnumber(r, "owned_by");
	n = PQntuples(r);
	for (i = 0; i < n; i++) {
		sd_sequence *q = sd_schema_add_sequence(
			c->s, model_schema(c, oidval(r, i, f_nsp), PQgetvalue(r, i, f_nspname)),
			PQgetvalue(r, i, f_name));

		q->type = sd_schema_strdup(c->s, val(r, i, f_type));
		q->start = sd_schema_strdup(c->s, val(r, i, f_start));
		q->increment = sd_schema_strdup(c->s, val(r, i, f_inc));
		q->min = sd_schema_strdup(c->s, val(r, i, f_min));
		q->max = sd_schema_strdup(c->s, val(r, i, f_max));
		q->cache = sd_schema_strdup(c->s, val(r, i, f_cache));
		q->cycle = boolval(r, i, f_cycle);
		q->owned_by = sd_schema_strdup(c->s, val(r, i, f_owned));
	}
	PQclear(r);
	return 0;
}

/*
 * What the model does not hold, counted per kind so that nothing is
 * silently ignored (the review's "Not compared:" line).  Objects that
 * belong to an extension count as the extension.
 */
static const char q_unheld[] =
	"WITH ext AS (SELECT d.classid, d.objid FROM pg_catalog.pg_depend d WHERE d.deptype = 'e')\n"
	"SELECT 'exclusion' AS kind, count(*) AS n FROM pg_catalog.pg_constraint con\n"
	"  JOIN pg_catalog.pg_class c ON c.oid = con.conrelid\n"
	"  WHERE con.contype = 'x' AND c.relnamespace = ANY ($1::oid[])\n"
	"UNION ALL SELECT 'partition', count(*) FROM pg_catalog.pg_class c\n"
	"  WHERE c.relispartition AND c.relkind IN ('r', 'p') AND c.relnamespace = ANY ($1::oid[])\n"
	"UNION ALL SELECT 'foreign_table', count(*) FROM pg_catalog.pg_class c\n"
	"  WHERE c.relkind = 'f' AND c.relnamespace = ANY ($1::oid[])\n"
	"UNION ALL SELECT 'domain', count(*) FROM pg_catalog.pg_type t\n"
	"  WHERE t.typtype = 'd' AND t.typnamespace = ANY ($1::oid[])\n"
	"    AND (t.oid) NOT IN (SELECT objid FROM ext WHERE classid = 'pg_catalog.pg_type'::regclass)\n"
	"UNION ALL SELECT 'type', count(*) FROM pg_catalog.pg_type t\n"
	"  WHERE (t.typtype = 'r' OR (t.typtype = 'c' AND EXISTS (SELECT 1 FROM pg_catalog.pg_class k\n"
	"         WHERE k.oid = t.typrelid AND k.relkind = 'c')))\n"
	"    AND t.typnamespace = ANY ($1::oid[])\n"
	"    AND (t.oid) NOT IN (SELECT objid FROM ext WHERE classid = 'pg_catalog.pg_type'::regclass)\n"
	"UNION ALL SELECT 'function', count(*) FROM pg_catalog.pg_proc p\n"
	"  WHERE p.pronamespace = ANY ($1::oid[])\n"
	"    AND (p.oid) NOT IN (SELECT objid FROM ext WHERE classid = 'pg_catalog.pg_proc'::regclass)\n"
	"UNION ALL SELECT 'extension', count(*) FROM pg_catalog.pg_extension x\n"
	"  WHERE x.extnamespace = ANY ($1::oid[])";

static int read_unheld(ictx *c)
{
	static const struct {
		const char *key;
		sd_obj_kind kind;
	} kinds[] = {
		{ "exclusion", SD_OBJ_EXCLUSION }, { "partition", SD_OBJ_PARTITION },
		{ "foreign_table", SD_OBJ_FOREIGN_TABLE }, { "domain", SD_OBJ_DOMAIN },
		{ "type", SD_OBJ_TYPE }, { "function", SD_OBJ_FUNCTION },
		{ "extension", SD_OBJ_EXTENSION },
	};
	PGresult *r;
	int rc, i, n, f_kind, f_n;
	size_t k;

	if ((rc = take(c, CQ_UNHELD, &r)))
		return rc;
	f_kind = PQfnumber(r, "kind");
	f_n = PQfnumber(r, "n");
	n = PQntuples(r);
	for (i = 0; i < n; i++)
		for (k = 0; k < SD_ARRAY_LEN(kinds); k++)
			if (strcmp(PQgetvalue(r, i, f_kind), kinds[k].key) == 0)
				c->s->unheld[kinds[k].kind] += (size_t)strtoul(PQgetvalue(r, i, f_n), NULL, 10);
	PQclear(r);
	return 0;
}

static void ictx_release(ictx *c)
{
	size_t i;

	if (c->conn)
		PQfinish(c->conn);
	for (i = 0; i < c->ntables; i++) {
		free(c->tables[i].attnames);
		free(c->tables[i].attcoll);
	}
	free(c->tables);
	for (i = 0; i < c->nnsp; i++)
		free(c->nsp_names[i]);
	free(c->nsp_names);
	free(c->nsp_oid);
	free(c->label);
	sd_str_release(&c->nsp_oids);
	sd_str_release(&c->scratch);
}

/*
 * The catalog queries and which connection runs them: share 0 on the first
 * connection, share 1 on the second when there is one.  The shares are of
 * about the same server time (server CPU at 5,000 tables: pg_attribute 130
 * ms + the small ones 45 ms; pg_constraint 135 ms, most of it deparsing
 * CHECKs, + pg_index 40 ms, which deparses predicates and expressions with
 * the same tables open).
 */
static void plan_queries(fetcher *f, ictx *c)
{
	static const struct {
		cq_id id;
		const char *what;
		const char *sql;
		int share;
	} plan[] = {
		{ CQ_TABLES, "reading pg_class", q_tables, 0 },
		{ CQ_COLUMNS, "reading pg_attribute", q_columns, 0 },
		{ CQ_CONSTRAINTS, "reading pg_constraint", q_constraints, 1 },
		{ CQ_INDEXES, "reading pg_index", q_indexes, 1 },
		{ CQ_COLLATIONS, "reading pg_collation", q_collations, 0 },
		{ CQ_TRIGGERS, "reading pg_trigger", q_triggers, 0 },
		{ CQ_ENUMS, "reading pg_enum", q_enums, 0 },
		{ CQ_SEQUENCES, "reading pg_sequence", q_sequences, 0 },
		{ CQ_UNHELD, "counting objects not compared", q_unheld, 0 },
	};
	size_t i;

	_Static_assert(SD_ARRAY_LEN(plan) == CQ_COUNT, "one plan entry per catalog query");
	f->a = c->conn;
	for (i = 0; i < SD_ARRAY_LEN(plan); i++) {
		cquery *q = &f->q[plan[i].id];
		sd_str sql = SD_STR_INIT;

		/* the queries with a %s that depends on the server's version */
		if (plan[i].id == CQ_INDEXES)
			sd_str_addf(&sql, plan[i].sql, PQserverVersion(c->conn) >= 150000
							       ? "i.indnullsnotdistinct" : "false");
		else if (plan[i].id == CQ_CONSTRAINTS)
			sd_str_addf(&sql, plan[i].sql, PQserverVersion(c->conn) >= 150000
							       ? "ci.indnullsnotdistinct" : "false");
		else
			sd_str_add(&sql, plan[i].sql);
		q->what = plan[i].what;
		q->sql = sd_str_detach(&sql);
		q->share = plan[i].share;
		last_query_count++;
	}
}

/* Whether the role may export a snapshot (so that a second connection is worth making). */
static int snapshot_allowed(ictx *c, bool *ok)
{
	PGresult *res;
	int rc = 0;

	last_query_count++;
	res = PQexec(c->conn, q_snapshot_ok);
	if (!res || PQresultStatus(res) != PGRES_TUPLES_OK)
		rc = query_fail(c, "checking the EXECUTE privilege on pg_export_snapshot()",
				q_snapshot_ok, res);
	*ok = !rc && PQntuples(res) == 1 && boolval(res, 0, 0);
	PQclear(res);
	return rc;
}

/* The snapshot to share, in out (*snapshot NULL: none). */
static int export_snapshot(ictx *c, char *out, size_t size, const char **snapshot)
{
	PGresult *res;
	int rc;

	*snapshot = NULL;
	last_query_count++;
	res = PQexec(c->conn, q_snapshot);
	if (!res || PQresultStatus(res) != PGRES_TUPLES_OK) {
		rc = query_fail(c, "exporting the snapshot", q_snapshot, res);
		PQclear(res);
		return rc;
	}
	if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0)) {
		snprintf(out, size, "%s", PQgetvalue(res, 0, 0));
		*snapshot = out;
	}
	PQclear(res);
	return 0;
}

int sd_pg_introspect(sd_schema **out, const char *url, const sd_introspect_opts *opts,
		     sd_error *err)
{
	ictx c;
	fetcher f;
	sd_str label = SD_STR_INIT;
	char snapbuf[64];
	const char *snapshot = NULL;
	bool threads = getenv("SCHEMADIFF_NO_THREADS") == NULL, two = false;
	int rc;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	memset(&f, 0, sizeof(f));
	pthread_mutex_init(&f.mu, NULL);
	pthread_cond_init(&f.cv, NULL);
	sd_str_init(&c.nsp_oids);
	sd_str_init(&c.scratch);
	last_query_count = 0;
	c.url = url;
	c.err = err;
	c.f = &f;
	sd_pg_redact_url(&label, url);
	c.label = sd_str_detach(&label);
	c.s = sd_schema_new("postgresql", c.label);
	c.s->live = true;
	sd_pg_conninfo(&label, url);
	c.s->live_conninfo = sd_schema_strdup(c.s, label.ptr);
	c.conninfo = c.s->live_conninfo;
	sd_str_release(&label);

	if ((rc = connect_db(&c)))
		goto done;
	plan_queries(&f, &c);
	/* the second connection is made while this one sets up and reads the namespaces */
	if (threads && !(opts && opts->one_connection) && (rc = snapshot_allowed(&c, &two)))
		goto done;
	if (two)
		fetcher_second(&f, &c);
	if ((rc = run_cmd(&c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")) ||
	    (rc = run_cmd(&c, q_settings)))
		goto done;
	if (two && (rc = export_snapshot(&c, snapbuf, sizeof(snapbuf), &snapshot)))
		goto done;
	fetcher_snapshot(&f, snapshot);
	if ((rc = pick_namespaces(&c, opts)))
		goto done;
	fetcher_run(&f, c.nsp_oids.ptr, threads);
	if ((rc = read_tables(&c)) || (rc = read_columns(&c)) || (rc = read_constraints(&c)) ||
	    (rc = read_indexes(&c)) || (rc = read_triggers(&c)) || (rc = read_enums(&c)) ||
	    (rc = read_sequences(&c)) || (rc = read_unheld(&c)))
		goto done;
	fetcher_finish(&f);
	if ((rc = run_cmd(&c, "COMMIT")))
		goto done;
	if ((rc = sd_schema_finish(c.s, err)))
		goto done;
	*out = c.s;
	c.s = NULL;
done:
	fetcher_finish(&f);
	pthread_mutex_destroy(&f.mu);
	pthread_cond_destroy(&f.cv);
	sd_schema_free(c.s);
	ictx_release(&c);
	return rc;
}

/* ---- the server as the judge of expression equality ---- */

typedef struct eq_sink {
	bool *eq;
	size_t n;
} eq_sink;

/* Notices "sdeq <i>" from the DO block below: pair i is equal. */
static void eq_notice(void *arg, const PGresult *res)
{
	eq_sink *sink = arg;
	const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	char *end;
	unsigned long i;

	if (!msg || strncmp(msg, "sdeq ", 5) != 0)
		return;
	i = strtoul(msg + 5, &end, 10);
	if (end != msg + 5 && *end == '\0' && i < sink->n)
		sink->eq[i] = true;
}

#define EQ_TAG "$sd_eq$"

/*
 * One DO block for all pairs, each in its own sub-block so an expression
 * that fails (or would write: the transaction is READ ONLY) only leaves its
 * own pair unequal; the answers come back as notices.  BEGIN, DO and
 * ROLLBACK go in one PQexec: one round trip.
 */
int sd_pg_exprs_equal(const char *conninfo, const char *const *a, const char *const *b,
		      const char *const *types, size_t n, bool *eq, sd_error *err)
{
	const char *keys[] = { "connect_timeout", "fallback_application_name", "dbname", NULL };
	const char *vals[] = { "10", "schemadiff", conninfo, NULL };
	sd_str sql = SD_STR_INIT, m = SD_STR_INIT;
	eq_sink sink = { eq, n };
	PGconn *conn = NULL;
	PGresult *r = NULL;
	size_t i, asked = 0;
	int rc = 0;

	for (i = 0; i < n; i++)
		eq[i] = false;
	if (!conninfo || n == 0)
		return 0;
	sd_str_add(&sql, "BEGIN TRANSACTION READ ONLY;\nDO " EQ_TAG "\nDECLARE r boolean;\nBEGIN\n");
	for (i = 0; i < n; i++) {
		if (!a[i] || !b[i] || strstr(a[i], EQ_TAG) || strstr(b[i], EQ_TAG) ||
		    (types && types[i] && strstr(types[i], EQ_TAG)))
			continue;
		if (types && types[i])
			sd_str_addf(&sql, "BEGIN r := ((%s)::%s IS NOT DISTINCT FROM (%s)::%s);", a[i],
				    types[i], b[i], types[i]);
		else
			sd_str_addf(&sql, "BEGIN r := ((%s) IS NOT DISTINCT FROM (%s));", a[i], b[i]);
		sd_str_addf(&sql, " IF r THEN RAISE NOTICE 'sdeq %zu'; END IF;"
			    " EXCEPTION WHEN others THEN NULL; END;\n", i);
		asked++;
	}
	sd_str_add(&sql, "END\n" EQ_TAG ";\nROLLBACK");
	if (!asked)
		goto done;

	conn = PQconnectdbParams(keys, vals, 1);
	if (!conn || PQstatus(conn) != CONNECTION_OK) {
		one_line(&m, conn ? PQerrorMessage(conn) : "out of memory");
		rc = sd_error_set(err, SD_EDB, "cannot connect to PostgreSQL to compare defaults: %s",
				  m.ptr);
		goto done;
	}
	PQsetNoticeReceiver(conn, eq_notice, &sink);
	r = PQexec(conn, sql.ptr);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		one_line(&m, r ? PQresultErrorMessage(r) : PQerrorMessage(conn));
		rc = sd_error_set(err, SD_EDB, "comparing defaults on the server failed: %s\n%s",
				  m.ptr, sql.ptr);
		for (i = 0; i < n; i++)
			eq[i] = false;
	}
done:
	PQclear(r);
	if (conn)
		PQfinish(conn);
	sd_str_release(&sql);
	sd_str_release(&m);
	return rc;
}
