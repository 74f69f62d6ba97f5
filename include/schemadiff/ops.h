/*
 * ops.h - the one op vocabulary.
 *
 * The comparator turns two schemas into an ordered sd_oplist; the review,
 * JSON, SQL and Alembic emitters only render it.  Names follow Alembic's op
 * vocabulary.  An op carries everything an emitter needs without looking at
 * the schemas again (a drop_table carries the full table so a downgrade can
 * re-create it).
 *
 * Ownership: the objects an op points at belong to the oplist's own arena
 * schema (ops->store), copied there by the comparator, so an oplist outlives
 * the two schemas it was computed from.
 */
#ifndef SCHEMADIFF_OPS_H
#define SCHEMADIFF_OPS_H

#include "model.h"

typedef enum sd_op_kind {
	SD_OP_CREATE_TABLE,
	SD_OP_DROP_TABLE,
	SD_OP_ADD_COLUMN,
	SD_OP_DROP_COLUMN,
	SD_OP_ALTER_COLUMN,
	SD_OP_CREATE_INDEX,
	SD_OP_DROP_INDEX,
	SD_OP_CREATE_UNIQUE_CONSTRAINT,
	SD_OP_CREATE_FOREIGN_KEY,
	SD_OP_CREATE_CHECK_CONSTRAINT,
	SD_OP_CREATE_PRIMARY_KEY,
	SD_OP_DROP_CONSTRAINT,
	SD_OP_CREATE_TABLE_COMMENT,   /* set or change a table comment */
	SD_OP_DROP_TABLE_COMMENT,
	SD_OP_CREATE_VIEW,
	SD_OP_DROP_VIEW,             /* create_view/drop_view also carry materialized views
	                                (view->materialized) */
	SD_OP_CREATE_ENUM,
	SD_OP_DROP_ENUM,
	SD_OP_ADD_ENUM_VALUE,        /* value, placed before/after neighbor */
	SD_OP_CREATE_SEQUENCE,
	SD_OP_DROP_SEQUENCE,
	SD_OP_ALTER_SEQUENCE,
	SD_OP__COUNT
} sd_op_kind;

/* Alembic's name: "create_table", "drop_index", ... */
const char *sd_op_kind_name(sd_op_kind k);
int sd_op_kind_from_name(const char *name); /* -1 when unknown */

typedef enum sd_constraint_type {
	SD_CONSTRAINT_NONE = 0,
	SD_CONSTRAINT_UNIQUE,
	SD_CONSTRAINT_FOREIGN_KEY,
	SD_CONSTRAINT_CHECK,
	SD_CONSTRAINT_PRIMARY
} sd_constraint_type;

/* "unique", "foreignkey", "check", "primary" (Alembic's type_=). */
const char *sd_constraint_type_name(sd_constraint_type t);

/* alter_column change bits */
enum {
	SD_CHANGE_TYPE = 1 << 0,
	SD_CHANGE_NULLABLE = 1 << 1,
	SD_CHANGE_DEFAULT = 1 << 2,
	SD_CHANGE_COMMENT = 1 << 3,
	SD_CHANGE_AUTOINCREMENT = 1 << 4,
	SD_CHANGE_GENERATED = 1 << 5,
	SD_CHANGE_COLLATION = 1 << 6
};

typedef struct sd_op {
	sd_op_kind kind;
	const char *schema;           /* table's (or view's) namespace, NULL = default */
	const char *table;            /* table name (view name for view ops) */

	const sd_table *table_def;    /* create_table, drop_table: the table as the
	                                 op creates/drops it: without its indexes
	                                 (separate create_index/drop_index ops) and
	                                 without FKs on a cycle among the created/
	                                 dropped tables (separate create_foreign_key/
	                                 drop_constraint ops).  Every other table
	                                 op: the whole table as it is in the target
	                                 schema of the op list's direction (one
	                                 copy per table, for SQLite rebuilds); for
	                                 ops on a table being dropped, as it is in
	                                 the source schema */
	const sd_column *column;      /* add_column, drop_column: the column;
	                                 alter_column: the column after */
	const sd_column *old_column;  /* alter_column: the column before */
	unsigned changes;             /* alter_column: SD_CHANGE_* bits */
	const sd_index *index;        /* create_index, drop_index */

	sd_constraint_type ctype;     /* create_*_constraint/primary_key, drop_constraint */
	const sd_primary_key *pk;
	const sd_unique *unique;
	const sd_foreign_key *fk;
	const sd_check *check;

	const char *comment;          /* create_table_comment: new; drop_table_comment: NULL */
	const char *old_comment;      /* comment ops: the previous comment */
	const sd_view *view;          /* create_view, drop_view */
	const sd_enum *enum_def;      /* create_enum, drop_enum: the enum; add_enum_value:
	                                 the enum after the op */
	const char *value;            /* add_enum_value: the new value ... */
	const char *neighbor;         /* ... placed next to this one (NULL: append) */
	bool before;                  /* ... BEFORE neighbor (true) or AFTER it */
	const sd_sequence *sequence;  /* create/drop/alter_sequence (alter: after) */
	const sd_sequence *old_sequence; /* alter_sequence: before */

	bool destructive;             /* loses data: drop table/column, narrowing type, ... */
	const char *why;              /* optional reason for the destructive flag */
	bool long_lock;               /* would hold a long lock on a large table (set by the
	                                 dialect's op_lock_note, sd_dialect_mark_long_locks) */
	const char *lock_why;         /* the reason: static, or owned by the list when loaded */
} sd_op;

typedef struct sd_oplist {
	sd_op *ops;
	size_t n;
	size_t alloc;
	sd_schema *store;             /* owns every object the ops point at */
	/*
	 * The views and triggers of the direction's TARGET schema (copies in
	 * store), so that an emitter that must rebuild a table (SQLite's
	 * copy-and-move) can re-create the views and triggers that depend on
	 * it.  They are context, not changes.
	 */
	sd_view **target_views;
	size_t ntarget_views;
	sd_trigger **target_triggers;
	size_t ntarget_triggers;
} sd_oplist;

void sd_oplist_init(sd_oplist *l, const char *dialect);
void sd_oplist_release(sd_oplist *l);
sd_op *sd_oplist_push(sd_oplist *l, sd_op_kind kind, const char *schema, const char *table);

/* A migration: upgrade ops and their exact inverse, each ordered. */
typedef struct sd_migration {
	sd_oplist upgrade;
	sd_oplist downgrade;
	size_t unsupported_seen;      /* objects seen but not compared (triggers, PG objects the model does not hold) */
	size_t unsupported_by_kind[SD_OBJ__COUNT];
	const char *dialect;          /* the dialect the comparison used */
} sd_migration;

void sd_migration_release(sd_migration *m);

#endif
