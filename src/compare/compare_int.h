/*
 * compare_int.h - private to src/compare: the comparator hands order.c a
 * bag of ops, each tagged with its ordering step and sort keys; order.c
 * computes the foreign-key graph orders and sorts the bag into the final
 * sd_oplist.  See the banner of order.c for the rules.
 */
#ifndef SCHEMADIFF_COMPARE_INT_H
#define SCHEMADIFF_COMPARE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "schemadiff/compare.h"
#include "schemadiff/hmap.h"

/*
 * Sequence settings with NULL resolved to the server's default for the
 * type and direction (CREATE SEQUENCE's), as text: "bigint", increment 1,
 * min 1 / type's min, max type's max / -1, start min / max, cache 1.
 * f[] points into q or buf (type names are literals).
 */
typedef struct sd_seq_eff {
	const char *f[6];  /* type, increment, min, max, start, cache */
	char buf[3][24];
} sd_seq_eff;

void sd_seq_effective(const sd_dialect *d, const sd_sequence *q, sd_seq_eff *e);

/*
 * The column q->owned_by names ("table.column", the table in q's
 * namespace), found with find(arg, schema, table): every split at a '.' is
 * tried, as either name may hold dots.  NULL when there is none.
 */
typedef const sd_table *(*sd_find_table_fn)(void *arg, const char *schema, const char *name);
const sd_column *sd_seq_owner(const sd_sequence *q, sd_find_table_fn find, void *arg);

/*
 * Does the default expression def call nextval() on sequence q?  The
 * argument's name is read as the server reads a regclass literal (bare
 * parts folded to lower case, "quoted" ones exact); an unqualified name
 * matches q in any namespace (the search path is not known here).
 */
bool sd_default_uses_sequence(const char *def, const sd_sequence *q);

/*
 * The canonical form of an index element's operator class (NULL appends
 * nothing): the dialect's expression normalisation (unquoted names fold to
 * lower case, needless quotes go) without a leading "pg_catalog.", so
 * "TEXT_PATTERN_OPS", "\"text_pattern_ops\"" and "pg_catalog.text_pattern_ops"
 * are one operator class.  Appended to out.
 */
void sd_opclass_canon(sd_str *out, const sd_dialect *d, const char *opclass);

/*
 * The operator class of element e of index ix (on table t of schema s) as
 * the comparator sees it: sd_opclass_canon's form appended to out, and
 * true; false (nothing appended) when e names none, or names the default
 * that d's opclass_is_default knows for the column's type and the index's
 * method (a file that says int4_ops on an integer column equals a
 * database, which shows no class).
 */
bool sd_index_elem_opclass(sd_str *out, const sd_dialect *d, const sd_schema *s,
			   const sd_table *t, const sd_index *ix, const sd_index_elem *e);

/* Ordering steps, in the order ops are emitted (order.c's banner). */
enum {
	SD_STEP_DROP_VIEW = 1,
	SD_STEP_DISOWN_SEQUENCE,
	SD_STEP_DROP_FK,
	SD_STEP_DROP_INDEX_CONSTRAINT,
	SD_STEP_DROP_COLUMN,
	SD_STEP_DROP_TABLE,
	SD_STEP_DROP_SEQUENCE,
	SD_STEP_DROP_ENUM,
	SD_STEP_CREATE_ENUM,
	SD_STEP_ADD_ENUM_VALUE,
	SD_STEP_CREATE_SEQUENCE,
	SD_STEP_ALTER_SEQUENCE,
	SD_STEP_CREATE_TABLE,
	SD_STEP_ADD_COLUMN,
	SD_STEP_ALTER_COLUMN,
	SD_STEP_DROP_SEQUENCE_USED,
	SD_STEP_CREATE_CONSTRAINT,
	SD_STEP_CREATE_INDEX,
	SD_STEP_CREATE_FK,
	SD_STEP_OWN_SEQUENCE,
	SD_STEP_COMMENT,
	SD_STEP_CREATE_VIEW
};

/*
 * One op before ordering.  The sort key is, in order:
 * (step, sub, pos, k1, k2, sub2, pos2, name, defkey, seq).
 * Strings compare bytewise with NULL first; seq (creation order, itself
 * deterministic) is the last tie-breaker, so no two ops ever compare equal.
 */
typedef struct sd_pending_op {
	sd_op op;
	int step;
	int sub;
	size_t pos;
	const char *k1;        /* schema */
	const char *k2;        /* table or view name */
	int sub2;
	size_t pos2;
	const char *name;      /* object name */
	const char *defkey;    /* object definition (canonical text) */
	size_t seq;
} sd_pending_op;

typedef struct sd_pending {
	sd_pending_op *v;
	size_t n;
	size_t alloc;
} sd_pending;

/* Append a zeroed pending op with op.kind, step and seq set. */
sd_pending_op *sd_pending_push(sd_pending *p, sd_op_kind kind, int step);
void sd_pending_release(sd_pending *p);

/* Sort p and push every op, in order, onto out. */
void sd_order_emit(sd_pending *p, sd_oplist *out);

/*
 * The table an FK points at in s: (ref_schema, ref_table); when ref_schema
 * is NULL, the referencing table's own namespace first, then the default
 * one.  NULL when the table is not in s.
 */
const sd_table *sd_fk_target(const sd_schema *s, const sd_table *t, const sd_foreign_key *fk);

/*
 * The foreign-key graph of a set of tables of schema s (tables sorted by
 * (schema, name); edges child -> parent for FKs between two different
 * tables of the set).  An FK lies on a cycle when both its tables are in
 * one strongly connected component (Tarjan); without those edges the graph
 * is acyclic and is sorted topologically with ties broken by name (Kahn's
 * algorithm over a min-heap of positions, pg_dump_sort.c's stable order).
 *
 * Results: order[] (n positions into tables): parents first, or children
 * first with children_first; cycle_fk[fkbase[i] + j] is true when FK j of
 * table i lies on a cycle.  All three arrays are malloc'd: release with
 * sd_fk_graph_release().
 */
typedef struct sd_fk_graph {
	size_t *order;
	size_t *fkbase;
	bool *cycle_fk;
} sd_fk_graph;

void sd_fk_graph_build(sd_fk_graph *g, const sd_schema *s, const sd_table *const *tables,
		       size_t n, bool children_first);
void sd_fk_graph_release(sd_fk_graph *g);

#endif
