/*
 * cmp_helpers.h - shared by the comparator tests: a compact text form of an
 * op list, schema clones, and the round-trip proof (apply the upgrade to
 * `from`, compare with `to`: no ops; apply the downgrade to `to`, compare
 * with `from`: no ops).
 */
#ifndef CMP_HELPERS_H
#define CMP_HELPERS_H

#include "schemadiff/compare.h"

/*
 * One op per line, e.g. "drop_index t.ix_a", "drop_constraint foreignkey
 * c.fk_c_p", "alter_column t.c type,nullable !" ("!" = destructive).
 * Unnamed constraints are shown by definition in brackets.
 */
void cmp_render_op(sd_str *out, const sd_op *op);
void cmp_render_list(sd_str *out, const sd_oplist *l);
/* "upgrade:\n<ops>downgrade:\n<ops>" */
void cmp_render_migration(sd_str *out, const sd_migration *m);

/* A finished deep copy of s. */
sd_schema *cmp_clone(const sd_schema *s);

/*
 * The round-trip and determinism proof for one pair.  Returns 0, or -1
 * with the reason appended to why.  When out_render is not NULL the
 * rendered migration is appended to it (computed after both input schemas
 * may have been freed by the caller: the migration owns its objects).
 */
int cmp_roundtrip(const sd_schema *from, const sd_schema *to, const sd_compare_opts *opts,
		  sd_str *why);

/*
 * A canonical text of s written independently of the comparator (sets
 * sorted, constraint names left out, types/defaults/expressions through
 * d's normalisers), so the round trip does not only trust sd_compare.
 */
void cmp_canonical_dump(sd_str *out, const sd_schema *s, const sd_dialect *d);

/* sqlite with SD_CAP_COMMENTS, for cases about comments. */
const sd_dialect *cmp_comment_dialect(void);

#endif
