/*
 * sqlite_introspect.h - the SQLite introspector's entry point, private to
 * src/, so that the dialect struct in src/dialect/sqlite.c can point at it
 * without the dialect including introspector internals.
 */
#ifndef SCHEMADIFF_SQLITE_INTROSPECT_H
#define SCHEMADIFF_SQLITE_INTROSPECT_H

#include "schemadiff/dialect.h"

/* Read the SQLite database at url (opened read-only) into a finished schema. */
extern int sd_sqlite_introspect(sd_schema **out, const char *url, const sd_introspect_opts *opts,
				sd_error *err);

/*
 * The same on a database the caller has open (e.g. a scratch copy in
 * memory).  label names the schema's source in messages.  The handle stays
 * open and owned by the caller; it must not be inside a transaction.
 */
struct sqlite3;
int sd_sqlite_introspect_handle(sd_schema **out, struct sqlite3 *db, const char *label,
				sd_error *err);

/*
 * Open the database of an SQLite URL read-only, exactly as the introspector
 * does (missing files are an error, never created).  *db is the caller's
 * (sqlite3_close).
 */
int sd_sqlite_open_url(struct sqlite3 **db, const char *url, sd_error *err);

/*
 * The dialect's scratch-copy hooks (sqlite_scratch.c, see dialect.h): the
 * database is copied into memory with the backup API.
 */
int sd_sqlite_scratch_open(void **scratch, const char *url, sd_error *err);
int sd_sqlite_scratch_exec(void *scratch, const char *sql, sd_error *err);
int sd_sqlite_scratch_introspect(void *scratch, sd_schema **out, sd_error *err);
void sd_sqlite_scratch_close(void *scratch);

/* The dialect's alembic_version hooks (sqlite_version.c, see dialect.h). */
int sd_sqlite_read_version_table(const char *url, char ***revs, size_t *n, sd_error *err);
int sd_sqlite_write_version_table(const char *url, const char *const *revs, size_t n,
				  bool print_sql, sd_str *sql_out, sd_error *err);

/*
 * Test hook (added by the introspector): the number of statements
 * sd_sqlite_introspect prepared in its last call on this thread.  It does
 * not grow with the number of tables.
 */
unsigned sd_sqlite_introspect_last_prepare_count(void);

/*
 * Verify mode (tests; or SCHEMADIFF_SQLITE_VERIFY=1 in the environment):
 * also read pragma_index_xinfo for every CREATE INDEX and fail if an
 * element's column, DESC or collation differs from what the DDL gave.  Off
 * by default because that pragma costs an index lookup per index.  Applies
 * to later calls on this thread.
 */
void sd_sqlite_introspect_set_verify(bool on);

#endif
