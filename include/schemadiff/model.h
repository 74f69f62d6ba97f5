/*
 * model.h - the one in-memory schema model.
 *
 * Introspectors (live catalogs) and loaders (JSON/YAML files) both produce an
 * sd_schema; the comparator reads two of them.  Every object and string of a
 * schema lives in the schema's arena: sd_schema_free() releases everything.
 * Strings are NULL when absent ("no default", "unnamed constraint").
 *
 * Arrays are arrays of pointers so that an object's address is stable while
 * its siblings are still being added.
 *
 * Order: columns keep their declared order; every set (indexes, constraints,
 * tables, views) is put in a canonical order by sd_schema_finish(), so
 * output never depends on catalog or file order.
 */
#ifndef SCHEMADIFF_MODEL_H
#define SCHEMADIFF_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include "arena.h"
#include "error.h"

/* Object kinds: one enum for all of them (pg_dump's DumpableObjectType). */
typedef enum sd_obj_kind {
	SD_OBJ_TABLE,
	SD_OBJ_COLUMN,
	SD_OBJ_PRIMARY_KEY,
	SD_OBJ_UNIQUE,
	SD_OBJ_FOREIGN_KEY,
	SD_OBJ_CHECK,
	SD_OBJ_INDEX,
	SD_OBJ_VIEW,
	SD_OBJ_TRIGGER,
	SD_OBJ_ENUM,
	SD_OBJ_SEQUENCE,
	SD_OBJ_MATERIALIZED_VIEW,
	/* Seen in a live database, not held by the model: counted, never compared. */
	SD_OBJ_EXCLUSION,
	SD_OBJ_PARTITION,
	SD_OBJ_DOMAIN,
	SD_OBJ_TYPE,                  /* composite and range types */
	SD_OBJ_FUNCTION,
	SD_OBJ_EXTENSION,
	SD_OBJ_FOREIGN_TABLE,
	SD_OBJ__COUNT
} sd_obj_kind;

/* "table", "column", "primary key", ... for reports. */
const char *sd_obj_kind_name(sd_obj_kind k);

/* The column's autoincrement flag, as SQLAlchemy has it. */
typedef enum sd_autoinc {
	SD_AUTOINC_AUTO = 0,  /* not stated: the dialect's default behaviour */
	SD_AUTOINC_TRUE,      /* SQLite AUTOINCREMENT, PG identity/serial */
	SD_AUTOINC_FALSE
} sd_autoinc;

typedef struct sd_column {
	const char *name;
	const char *type;            /* as SQL writes it: "VARCHAR(32)"; NULL = untyped (SQLite) */
	bool nullable;
	const char *server_default;  /* SQL expression text, NULL = none */
	sd_autoinc autoincrement;
	const char *generated;       /* generation expression, NULL = not generated */
	bool generated_stored;       /* STORED (true) or VIRTUAL (false) */
	const char *collation;
	const char *comment;
	const char *identity;        /* PG identity: "ALWAYS", "BY DEFAULT"; NULL = not one / not stated */
} sd_column;

typedef struct sd_primary_key {
	const char *name;            /* NULL = unnamed */
	const char **columns;
	size_t ncolumns;
} sd_primary_key;

typedef struct sd_unique {
	const char *name;
	const char **columns;
	size_t ncolumns;
	bool nulls_not_distinct;      /* PG 15 UNIQUE NULLS NOT DISTINCT */
} sd_unique;

/* Referential actions and deferrability as upper-case SQL words, NULL = not stated
 * (which means NO ACTION / NOT DEFERRABLE). */
typedef struct sd_foreign_key {
	const char *name;
	const char **columns;
	size_t ncolumns;
	const char *ref_schema;
	const char *ref_table;
	const char **ref_columns;     /* may be 0 long: "REFERENCES t" means t's PK */
	size_t nref_columns;
	const char *on_delete;        /* "CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION" */
	const char *on_update;
	bool deferrable;
	bool initially_deferred;
	const char *match;            /* "FULL", "PARTIAL", "SIMPLE", or NULL */
	bool not_valid;               /* PG NOT VALID: existing rows not checked */
} sd_foreign_key;

typedef struct sd_check {
	const char *name;
	const char *expression;       /* text inside CHECK ( ... ), as written */
	bool not_valid;               /* PG NOT VALID: existing rows not checked */
} sd_check;

typedef struct sd_index_elem {
	const char *column;           /* set for a plain column ... */
	const char *expression;       /* ... or this for an expression element */
	bool desc;
	const char *collation;
	const char *nulls;            /* "FIRST", "LAST" or NULL */
	/*
	 * PG operator class as SQL writes it ("text_pattern_ops",
	 * "myschema.my_ops"), only when it is not the default for the column's
	 * type and the index's method; NULL = the default.
	 */
	const char *opclass;
} sd_index_elem;

typedef struct sd_index {
	const char *name;
	bool unique;
	sd_index_elem **elems;
	size_t nelems;
	const char *where;            /* partial-index predicate, NULL = none */
	const char *method;           /* access method ("gin"); NULL = the default (btree) */
	const char **include;         /* INCLUDE (...) columns */
	size_t ninclude;
	bool nulls_not_distinct;      /* PG 15 NULLS NOT DISTINCT (unique indexes) */
} sd_index;

typedef struct sd_table {
	const char *schema;           /* namespace; NULL = the default one */
	const char *name;
	const char *comment;
	sd_column **columns;          /* declared order */
	size_t ncolumns;
	sd_primary_key *pk;           /* NULL = no primary key */
	sd_unique **uniques;
	size_t nuniques;
	sd_foreign_key **fks;
	size_t nfks;
	sd_check **checks;
	size_t nchecks;
	sd_index **indexes;
	size_t nindexes;
	bool without_rowid;           /* SQLite WITHOUT ROWID */
	bool strict;                  /* SQLite STRICT */
} sd_table;

typedef struct sd_view {
	const char *schema;
	const char *name;
	const char *definition;       /* the SELECT */
	bool materialized;            /* PG MATERIALIZED VIEW */
} sd_view;

/* PG enum type: values in their sort order (pg_enum.enumsortorder). */
typedef struct sd_enum {
	const char *schema;
	const char *name;
	const char **values;
	size_t nvalues;
} sd_enum;

/*
 * PG sequence that no column owns (a serial's or identity's sequence is
 * part of its column).  Numbers as decimal text; NULL = not stated (the
 * server's default for the type).  owned_by: "table.column" set by
 * OWNED BY on a sequence that is not a serial's, NULL = none.
 */
typedef struct sd_sequence {
	const char *schema;
	const char *name;
	const char *type;             /* "bigint" (default), "integer", "smallint" */
	const char *start;
	const char *increment;
	const char *min;
	const char *max;
	const char *cache;
	bool cycle;
	const char *owned_by;
} sd_sequence;

/* Seen but not compared yet: counted in the review so nothing is silently ignored. */
typedef struct sd_trigger {
	const char *schema;
	const char *name;
	const char *table;
	const char *sql;
} sd_trigger;

typedef struct sd_table_map sd_table_map;

typedef struct sd_schema {
	sd_arena *arena;
	const char *dialect;          /* "sqlite", "postgresql", or NULL (file, not stated) */
	const char *source;           /* where it came from, for messages (no password) */
	sd_table **tables;
	size_t ntables;
	sd_view **views;
	size_t nviews;
	sd_trigger **triggers;
	size_t ntriggers;
	sd_enum **enums;              /* by (schema, name) */
	size_t nenums;
	sd_sequence **sequences;      /* by (schema, name) */
	size_t nsequences;
	/* Objects a live introspector saw that the model does not hold (counted, see ops.h). */
	size_t unheld[SD_OBJ__COUNT];
	sd_table_map *map;            /* (schema, name) -> table; built by sd_schema_finish */
	/*
	 * Set by an introspector: the schema was read from a live database
	 * (names are as the server stores them).  live_conninfo (may be NULL)
	 * is what the dialect's exprs_equal hook connects with; it may hold a
	 * password, so it is never printed, written or compared.
	 */
	bool live;
	const char *live_conninfo;
} sd_schema;

/* Construction.  Every returned object is zeroed and owned by the schema. */
sd_schema *sd_schema_new(const char *dialect, const char *source);
void sd_schema_free(sd_schema *s);
sd_table *sd_schema_add_table(sd_schema *s, const char *schema, const char *name);
sd_view *sd_schema_add_view(sd_schema *s, const char *schema, const char *name, const char *definition);
sd_trigger *sd_schema_add_trigger(sd_schema *s, const char *schema, const char *name,
				  const char *table, const char *sql);
sd_enum *sd_schema_add_enum(sd_schema *s, const char *schema, const char *name);
sd_sequence *sd_schema_add_sequence(sd_schema *s, const char *schema, const char *name);
sd_column *sd_table_add_column(sd_schema *s, sd_table *t, const char *name);
sd_primary_key *sd_table_set_pk(sd_schema *s, sd_table *t, const char *name);
sd_unique *sd_table_add_unique(sd_schema *s, sd_table *t, const char *name);
sd_foreign_key *sd_table_add_fk(sd_schema *s, sd_table *t, const char *name);
sd_check *sd_table_add_check(sd_schema *s, sd_table *t, const char *name, const char *expression);
sd_index *sd_table_add_index(sd_schema *s, sd_table *t, const char *name);
sd_index_elem *sd_index_add_elem(sd_schema *s, sd_index *ix);
/* Append a column name (copied into the arena) to a name list. */
void sd_names_push(sd_schema *s, const char ***arr, size_t *n, const char *name);
/* Copy a string into the schema's arena (NULL stays NULL). */
const char *sd_schema_strdup(sd_schema *s, const char *str);

/*
 * Deep copies into schema dst (sd_table_copy returns a detached table, not
 * added to dst->tables) (for the op applier and for op lists that must
 * outlive their source schemas).
 */
sd_table *sd_table_copy(sd_schema *dst, const sd_table *src);
sd_column *sd_column_copy(sd_schema *dst, const sd_column *src);
sd_index *sd_index_copy(sd_schema *dst, const sd_index *src);
sd_unique *sd_unique_copy(sd_schema *dst, const sd_unique *src);
sd_foreign_key *sd_fk_copy(sd_schema *dst, const sd_foreign_key *src);
sd_check *sd_check_copy(sd_schema *dst, const sd_check *src);
sd_primary_key *sd_pk_copy(sd_schema *dst, const sd_primary_key *src);
sd_view *sd_view_copy(sd_schema *dst, const sd_view *src);
sd_enum *sd_enum_copy(sd_schema *dst, const sd_enum *src);          /* detached */
sd_sequence *sd_sequence_copy(sd_schema *dst, const sd_sequence *src); /* detached */

/*
 * Edits (the op applier): insert a detached table (from sd_table_copy),
 * remove a table or view (the object stays in the arena), and remove one
 * pointer from any pointer array of the model.  The lookup map follows.
 */
void sd_schema_insert_table(sd_schema *s, sd_table *t);
void sd_schema_remove_table(sd_schema *s, sd_table *t);
void sd_schema_remove_view(sd_schema *s, sd_view *v);
void sd_ptr_array_remove(void **arr, size_t *n, const void *item);

/*
 * Finish a schema after construction: sort sets canonically (tables and
 * views by (schema, name); indexes, uniques, fks and checks by name, unnamed
 * ones after named ones by definition), build the lookup map, and validate:
 * duplicate table/column/index names, columns named in constraints or
 * indexes that do not exist.  Returns 0 or SD_EINPUT with err naming the
 * table and object.
 */
int sd_schema_finish(sd_schema *s, sd_error *err);

/* Lookups (hash, not scans).  schema NULL = default namespace. */
sd_table *sd_schema_find_table(const sd_schema *s, const char *schema, const char *name);
sd_column *sd_table_find_column(const sd_table *t, const char *name);
sd_index *sd_table_find_index(const sd_table *t, const char *name);
sd_view *sd_schema_find_view(const sd_schema *s, const char *schema, const char *name);
/* Enums and sequences: linear scans (few of them). */
sd_enum *sd_schema_find_enum(const sd_schema *s, const char *schema, const char *name);
sd_sequence *sd_schema_find_sequence(const sd_schema *s, const char *schema, const char *name);

/* "schema.name" or "name", into out (appended). */
void sd_qualified_name(sd_str *out, const char *schema, const char *name);

#endif
