/*
 * dialect.h - the one dialect interface (pg_dump's format vtable, sqldiff's
 * xDiff).  Core code never switches on a dialect's name: everything that
 * differs between SQLite and PostgreSQL (and MySQL later) sits behind this
 * struct, one file per dialect under src/dialect/.
 */
#ifndef SCHEMADIFF_DIALECT_H
#define SCHEMADIFF_DIALECT_H

#include "model.h"

struct sd_op;          /* ops.h */
struct sd_migration;   /* ops.h */

/* Capabilities: what the dialect's catalogs keep and what ALTER can do in place. */
enum {
	SD_CAP_COMMENTS = 1 << 0,          /* table/column comments are stored */
	SD_CAP_SCHEMAS = 1 << 1,           /* namespaces other than the default */
	SD_CAP_ALTER_COLUMN = 1 << 2,      /* ALTER COLUMN TYPE / SET NOT NULL / DEFAULT */
	SD_CAP_ADD_CONSTRAINT = 1 << 3,    /* ALTER TABLE ADD/DROP CONSTRAINT */
	SD_CAP_DROP_COLUMN = 1 << 4,       /* ALTER TABLE DROP COLUMN (with limits) */
	SD_CAP_NAMED_PK = 1 << 5,          /* the catalog keeps primary-key names */
	SD_CAP_IDENTITY = 1 << 6,          /* autoincrement columns are identity columns
	                                      (GENERATED ... AS IDENTITY, sa.Identity()) */
	SD_CAP_TYPES_SEQUENCES = 1 << 7,   /* enum types, sequences and materialized
	                                      views (CREATE TYPE / SEQUENCE / MATERIALIZED VIEW) */
	SD_CAP_NOCASE_NAMES = 1 << 8,      /* names match whatever the case of their ASCII
	                                      letters (SQLite: "Dataset" is dataset) */
	SD_CAP_OPCLASS = 1 << 9,           /* index operator classes (CREATE INDEX ... (c text_pattern_ops)) */
	SD_CAP_UNIQUE_NND = 1 << 10        /* UNIQUE NULLS NOT DISTINCT constraints */
};

typedef struct sd_introspect_opts {
	const char **schemas;     /* namespaces to read; NULL/0 = the default one */
	size_t nschemas;
	bool one_connection;      /* another database is read at the same time: one connection
				     each (PostgreSQL otherwise splits its queries over two) */
} sd_introspect_opts;

typedef struct sd_dialect {
	const char *name;         /* "sqlite", "postgresql" */
	unsigned caps;

	/*
	 * Read a live database.  url is the user's source string; the database
	 * is opened read-only.  On success *out is a finished schema owned by
	 * the caller.
	 */
	int (*introspect)(sd_schema **out, const char *url, const sd_introspect_opts *opts,
			  sd_error *err);

	/*
	 * Canonical forms, appended to out, used only for comparison (never
	 * written back to files): equal canonical text means equal.
	 *   type:    "int" -> "INTEGER", "varchar ( 32 )" -> "VARCHAR(32)", synonyms
	 *   default: outer parentheses and spacing, keyword case
	 *   expr:    CHECK / index expression / WHERE text, token-normalised
	 * NULL input appends nothing.
	 */
	void (*normalize_type)(sd_str *out, const char *type);
	void (*normalize_default)(sd_str *out, const char *expr);
	void (*normalize_expr)(sd_str *out, const char *expr);

	/* Append ident, quoted only when needed (keyword-aware, sqldiff safeId). */
	void (*quote_ident)(sd_str *out, const char *ident);

	/*
	 * Does changing a column's type from -> to lose data (narrowing length
	 * or precision, text to number, ...)?  Both are raw type strings.
	 */
	bool (*type_change_is_lossy)(const char *from, const char *to);

	/*
	 * The SQLAlchemy type expression for a SQL type, as Alembic renders it:
	 * "sa.VARCHAR(length=32)", "sa.BIGINT()", "sa.NUMERIC(precision=10,
	 * scale=2)".  A type that needs a dialect module (postgresql.JSONB())
	 * sets the matching bit in *imports (SD_IMPORT_*).  NULL type: the
	 * dialect's generic type.
	 */
	void (*alembic_type)(sd_str *out, const char *type, unsigned *imports);

	/*
	 * A scratch copy of a live database, for proving a migration before a
	 * revision file is written: open copies the database at url (SQLite:
	 * into memory with the backup API), exec runs SQL text (a whole
	 * -- migrate:up or :down section) on the copy, introspect reads the
	 * copy back, close frees it.  The original is never written.  A NULL
	 * url opens an empty scratch database instead, where the proof builds
	 * the source from its model (a schema-file FROM).  NULL members: the
	 * dialect cannot prove (the command then says so).
	 */
	int (*scratch_open)(void **scratch, const char *url, sd_error *err);
	int (*scratch_exec)(void *scratch, const char *sql, sd_error *err);
	int (*scratch_introspect)(void *scratch, sd_schema **out, sd_error *err);
	void (*scratch_close)(void *scratch);

	/*
	 * For dialects whose databases cannot be copied (PostgreSQL): open the
	 * EMPTY scratch database the user names (--dev-url) instead of a copy;
	 * the proof then builds source there from the model and goes on with
	 * scratch_exec / scratch_introspect, and scratch_close drops all it
	 * made, leaving the database empty.  Refuses a database that is not
	 * empty.  source: the schemas (namespaces) it uses are created when
	 * missing.  NULL member: no proof on a dev database.
	 */
	int (*scratch_open_empty)(void **scratch, const char *dev_url, const sd_schema *source,
				  sd_error *err);

	/*
	 * CHECK expressions in the server's canonical form, on an open scratch
	 * database: exprs[i] is created as a CHECK constraint of a temporary
	 * table with the columns (names and types) of tables[i] and read back
	 * as the server deparses it, again and again until the text no longer
	 * changes (PostgreSQL's deparsed text is not always stable when it is
	 * created anew).  out[i]: that text (malloc'd), or NULL when the server
	 * refused the table or the expression.  Everything is rolled back.
	 * Used by the proof for CHECKs that still differ after it.  NULL
	 * member: the proof judges CHECKs by normalize_expr alone.
	 */
	int (*scratch_check_texts)(void *scratch, const sd_table *const *tables,
				   const char *const *exprs, size_t n, char **out, sd_error *err);

	/*
	 * Would this op hold a long lock on a large (existing) table?  The
	 * reason as a static string, or NULL.  NULL member: nothing is marked.
	 */
	const char *(*op_lock_note)(const struct sd_op *op);

	/*
	 * Alembic's version table (alembic_version, which introspection skips).
	 * read: the version_num values of the database at url, sorted, into
	 * *revs (malloc'd array of malloc'd strings, *n of them; caller frees
	 * each and the array).  Returns 0, or 1 when there is no alembic_version
	 * table (*revs NULL, *n 0), or a negative error.  Read-only.
	 * write: make the table hold exactly revs[0..n-1], as Alembic does:
	 * CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL,
	 * CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)) when
	 * missing, then UPDATE / INSERT / DELETE rows, all in one transaction.
	 * The statements are appended to *sql_out (may be NULL); with print_sql
	 * they are only computed (against the database's current rows), never
	 * run.  The one hook that writes to a database.
	 * NULL members: unsupported by the dialect.
	 */
	int (*read_version_table)(const char *url, char ***revs, size_t *n, sd_error *err);
	int (*write_version_table)(const char *url, const char *const *revs, size_t n,
				   bool print_sql, sd_str *sql_out, sd_error *err);

	/*
	 * The longest identifier the server keeps, in bytes (PostgreSQL's
	 * NAMEDATALEN - 1 = 63); longer names are cut (at a character
	 * boundary) when created.  The comparator compares names cut this way
	 * when one side is a live database.  0 = no limit.
	 */
	size_t max_identifier_length;

	/*
	 * The canonical form of a column default, knowing the column's type
	 * (raw, may be NULL): on PostgreSQL a boolean column's 1 is true.  The
	 * implicit default of an autoincrement column (a serial's nextval of
	 * its sequence) is the empty string, which equals no default on an
	 * autoincrement column.  NULL member: normalize_default is used.
	 */
	void (*normalize_column_default)(sd_str *out, const char *expr, const char *type);

	/*
	 * Ask the server whether pairs of default expressions that still differ
	 * in canonical text are equal: a[i] vs b[i] for i < n, each evaluated
	 * with the column type types[i] (may be NULL).  eq[i] is set true only
	 * when the server says they are equal; an expression the dialect does
	 * not trust to evaluate (not immutable) or that fails stays false.  One
	 * connection and one round trip for all pairs, on a read-only
	 * transaction.  Used only when both sides are live databases of this
	 * dialect.  NULL member: never asked.
	 */
	int (*exprs_equal)(const char *conninfo, const char *const *a, const char *const *b,
			   const char *const *types, size_t n, bool *eq, sd_error *err);

	/*
	 * Is opclass (lower case, unqualified: sd_opclass_canon's form) the
	 * operator class the server picks when none is named, for a column of
	 * type (raw SQL text; is_enum: a user enum type) in an index of method
	 * (NULL = the default method)?  A schema file may name the default
	 * ("int4_ops" on an integer column, as SQLAlchemy's documentation
	 * does); the server does not show it, so the comparator treats it as
	 * absent.  Only built-in types and methods are known; anything else is
	 * false.  NULL member: never.
	 */
	bool (*opclass_is_default)(const char *opclass, const char *method, const char *type,
				   bool is_enum);
} sd_dialect;

/* Imports a rendered Alembic type may need beyond "import sqlalchemy as sa". */
enum {
	SD_IMPORT_SQLITE = 1 << 0,      /* from sqlalchemy.dialects import sqlite */
	SD_IMPORT_POSTGRESQL = 1 << 1,  /* from sqlalchemy.dialects import postgresql */
	SD_IMPORT_SQLTYPE = 1 << 2      /* the file defines SQLType(spec): a column type
	                                   written exactly as the database declares it,
	                                   for types no SQLAlchemy type compiles back to */
};

extern const sd_dialect sd_dialect_sqlite;
extern const sd_dialect sd_dialect_postgresql;

/*
 * Set long_lock / lock_why on the ops of m (both directions) that the
 * dialect's op_lock_note marks, except ops on tables the same list creates.
 * Called by sd_compare.
 */
void sd_dialect_mark_long_locks(const sd_dialect *d, struct sd_migration *m);

/* By name ("sqlite", "postgresql"); NULL when unknown. */
const sd_dialect *sd_dialect_find(const char *name);

#endif
