/*
 * filter.h - name filters (--include / --exclude): PCRE2 patterns over
 * qualified object names, applied to both schemas before comparison.
 *
 * Qualified names (what a pattern is matched against):
 *   table, view           "name", or "schema.name" outside the default schema
 *   index                 "<table>.<index>"       ("schema.table.index")
 *   named constraint      "<table>.<constraint>"  (unique, foreign key, check,
 *                         primary key)
 *   trigger               "<table>.<trigger>"
 * Unnamed constraints have no name of their own: they go with their table.
 *
 * Matching: every pattern is ANCHORED at both ends (a full match, as if
 * written ^(?:PATTERN)$), case-sensitive, UTF-8.  'tmp_.*' matches "tmp_a"
 * but not "old_tmp_a"; write '.*tmp_.*' for a substring.
 *
 * What is kept:
 *  - a table or view is kept when it matches some --include (or there is
 *    none) and no --exclude; include patterns apply to tables and views only,
 *    so '--include app\..*' keeps every index and constraint of the kept
 *    tables;
 *  - an index, named constraint or trigger of a kept table is dropped when
 *    its qualified name matches an --exclude;
 *  - a table named alembic_version (in any schema) is always dropped.
 *
 * A foreign key whose referred table was filtered out is KEPT (the column
 * still refers to that table in the database) and compared as usual; one
 * note line per such foreign key says so (sd_filter_apply's notes).
 *
 * Patterns are compiled once (JIT-compiled when PCRE2 has a JIT) and
 * matched with one reused match-data block, so an sd_filter is not
 * thread-safe: use one per thread.
 */
#ifndef SCHEMADIFF_FILTER_H
#define SCHEMADIFF_FILTER_H

#include <stdbool.h>
#include "model.h"

typedef struct sd_filter sd_filter;

typedef enum sd_filter_kind {
	SD_FILTER_INCLUDE,
	SD_FILTER_EXCLUDE
} sd_filter_kind;

/* A filter with no patterns (keeps everything but alembic_version). */
sd_filter *sd_filter_new(void);
void sd_filter_free(sd_filter *f);   /* NULL is fine */

/*
 * Compile pattern and add it.  origin names where it came from in messages
 * ("--exclude", "alembic.ini [schemadiff] exclude").  An invalid pattern is
 * SD_EINPUT with the message
 *   <origin> '<pattern>': <PCRE2's message> at offset <N>
 * and err->column = N + 1 (the 1-based character PCRE2 stopped at), so a
 * caller can print a caret under the pattern.
 */
int sd_filter_add(sd_filter *f, sd_filter_kind kind, const char *pattern, const char *origin,
		  sd_error *err);

/* Number of include / exclude patterns. */
size_t sd_filter_count(const sd_filter *f, sd_filter_kind kind);

/* Would a table or view (schema may be NULL) be kept?  f may be NULL. */
bool sd_filter_keeps_table(const sd_filter *f, const char *schema, const char *name);
/* Would an index/constraint/trigger named name of table (schema.)table be kept? */
bool sd_filter_keeps_object(const sd_filter *f, const char *schema, const char *table,
			    const char *name);

/*
 * Remove from the finished schema s what f filters out (f may be NULL: only
 * alembic_version goes), then keep s finished (lookup map rebuilt; the order
 * of what stays is unchanged).  notes (may be NULL) receives one line per
 * kept foreign key that refers to a removed table, each ending in "\n",
 * without a "note: " prefix:
 *   foreign key 'fk_b_a' on 'b' refers to excluded table 'a' (kept and compared)
 * Returns the number of objects removed.
 */
size_t sd_filter_apply(const sd_filter *f, sd_schema *s, sd_str *notes);

/*
 * The opposite of sd_filter_apply, for proofs on a live copy: copy into dst
 * every object of full that f filters out (except alembic_version), so that
 * dst describes a database in which the filtered-out objects were left as
 * they are: excluded tables, views and triggers are added whole; excluded
 * indexes and named constraints are added to dst's table of the same name
 * when it exists.  dst must be re-finished by the caller (sd_schema_finish).
 */
void sd_filter_restore(const sd_filter *f, sd_schema *dst, const sd_schema *full);

#endif
