/*
 * compare.h - the comparator and the op applier.
 */
#ifndef SCHEMADIFF_COMPARE_H
#define SCHEMADIFF_COMPARE_H

#include "dialect.h"
#include "ops.h"

typedef struct sd_compare_opts {
	const sd_dialect *dialect;   /* NULL: chosen from the schemas (see sd_compare) */
	bool ignore_comments;        /* forced on when a live side cannot store comments */
	/*
	 * Optional: the text a CHECK constraint (of either schema) is compared
	 * by, instead of the dialect's canonical form of its expression; NULL
	 * from the callback: the canonical form.  The proof sets it to the
	 * server's canonical text for every CHECK of a table on both sides, so
	 * that both sides of a table are judged alike.
	 */
	const char *(*check_text)(void *arg, const sd_check *ck);
	void *check_text_arg;
} sd_compare_opts;

/*
 * Compare two finished schemas and fill m with the ordered upgrade (from ->
 * to) and its exact inverse, the downgrade (to -> from), also ordered.
 *
 * The dialect is opts->dialect, else the dialect of a live side, else of a
 * file that states one, else SQLite.  When either side's dialect cannot
 * store comments, comment differences are not reported.  A schema that
 * holds what the dialect cannot have (an operator class without
 * SD_CAP_OPCLASS, UNIQUE NULLS NOT DISTINCT without SD_CAP_UNIQUE_NND) is
 * an error (SD_EINPUT) naming the object: it would be a difference no
 * migration can ever settle.
 *
 * Ordering is deterministic and dependency-safe (see src/compare/order.c).
 * m is owned by the caller: sd_migration_release().  Returns 0 or an error.
 */
int sd_compare(sd_migration *m, const sd_schema *from, const sd_schema *to,
	       const sd_compare_opts *opts, sd_error *err);

/* The dialect sd_compare would use for these two schemas. */
const sd_dialect *sd_compare_pick_dialect(const sd_schema *from, const sd_schema *to);

/*
 * The op applier over the model: apply ops, in order, to s (modified in
 * place; new objects are copied into s's arena).  Fails with SD_EINPUT
 * naming the op when an op does not fit the schema (dropping what is not
 * there, creating what exists).  Proves the comparator before any SQL
 * exists: compare(A,B) applied to A must compare equal to B.
 */
int sd_apply_ops(sd_schema *s, const sd_oplist *ops, sd_error *err);

#endif
