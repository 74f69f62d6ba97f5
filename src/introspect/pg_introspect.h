/*
 * pg_introspect.h - the PostgreSQL introspector's entry point, private to
 * src/, so that the dialect struct in src/dialect/postgresql.c can point at
 * it without the dialect including introspector internals.
 */
#ifndef SCHEMADIFF_PG_INTROSPECT_H
#define SCHEMADIFF_PG_INTROSPECT_H

#include "schemadiff/dialect.h"

/*
 * Read the PostgreSQL database at url (a libpq URI, a key/value conninfo
 * string, or an SQLAlchemy postgresql+driver:// URL) into a finished
 * schema, inside one READ ONLY repeatable-read transaction.  opts->schemas
 * picks the namespaces (default: current_schema()).  Tables of the only
 * namespace read, or of current_schema() when several are read, have
 * schema NULL; others carry their namespace name.
 */
int sd_pg_introspect(sd_schema **out, const char *url, const sd_introspect_opts *opts,
		     sd_error *err);

/*
 * Append url to out with any password replaced by "***" (URI userinfo,
 * ?password= and password= in key/value strings).  Used for every message.
 */
void sd_pg_redact_url(sd_str *out, const char *url);

/*
 * The conninfo libpq is given for url: "postgresql+driver://" becomes
 * "postgresql://"; anything else is passed as it is.
 */
void sd_pg_conninfo(sd_str *out, const char *url);

/*
 * The dialect's exprs_equal hook (dialect.h): connects with conninfo and
 * asks, in one READ ONLY round trip, whether each pair of expressions
 * evaluates equal (IS NOT DISTINCT FROM, cast to types[i] when given).
 */
int sd_pg_exprs_equal(const char *conninfo, const char *const *a, const char *const *b,
		      const char *const *types, size_t n, bool *eq, sd_error *err);

/* The dialect's alembic_version hooks (pg_version.c, see dialect.h). */
int sd_pg_read_version_table(const char *url, char ***revs, size_t *n, sd_error *err);
int sd_pg_write_version_table(const char *url, const char *const *revs, size_t n, bool print_sql,
			      sd_str *sql_out, sd_error *err);

/* Test hook: catalog queries sd_pg_introspect ran in its last call on this thread. */
unsigned sd_pg_introspect_last_query_count(void);

#endif
