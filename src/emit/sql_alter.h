/*
 * sql_alter.h - the SQL revision file for dialects whose ALTER TABLE does
 * every change in place (PostgreSQL), next to sql.c's SQLite rebuilds.
 * sql.c picks one of the two by the dialect's caps, never by its name.
 */
#ifndef SD_EMIT_SQL_ALTER_H
#define SD_EMIT_SQL_ALTER_H

#include "schemadiff/emit.h"

/* Caps that make ALTER TABLE enough for every op: the in-place renderer. */
#define SD_SQL_IN_PLACE_CAPS (SD_CAP_ALTER_COLUMN | SD_CAP_ADD_CONSTRAINT | SD_CAP_DROP_COLUMN)

int sd_sql_alter_begin(sd_emit_ctx *ctx, sd_error *err);
int sd_sql_alter_op(sd_emit_ctx *ctx, const sd_op *op, bool downgrade, sd_error *err);
int sd_sql_alter_end(sd_emit_ctx *ctx, sd_error *err);

/*
 * The name PostgreSQL gives an unnamed constraint (makeObjectName with
 * NAMEDATALEN 64): "<table>_pkey", "<table>_<cols>_key", "<table>_<cols>_fkey",
 * "<table>_<col>_check" (one column named in the expression) or
 * "<table>_check".  Appended to out.  columns are the constraint's columns
 * (for a check: all the table's columns, to find the ones it names).
 */
void sd_sql_pg_constraint_name(sd_str *out, const char *table, sd_constraint_type type,
			       const char *const *columns, size_t ncolumns, const char *check_expr);

/*
 * Does an in-place type change from -> to need an explicit cast (USING
 * col::to)?  True when the two types are of different kinds (text and
 * number, text and boolean, ...) and the target is not text, which every
 * type has an assignment cast to.
 */
bool sd_sql_type_change_needs_cast(const sd_dialect *d, const char *from, const char *to);

/*
 * The statement (";\n"-terminated) of a create/drop_enum, add_enum_value or
 * create/drop/alter_sequence op, as the in-place SQL renderer writes it,
 * appended to out; identifiers quoted by d.  The op carries its object.
 */
void sd_sql_pg_object(const sd_dialect *d, sd_str *out, const sd_op *op);

/*
 * The CREATE INDEX statement of ix on schema.table (";\n"-terminated, not
 * concurrent), and the ALTER TABLE ... ADD CONSTRAINT ... UNIQUE [NULLS NOT
 * DISTINCT] (...) statement of u (unnamed: by the name the server gives
 * it), as the in-place SQL renderer writes them, appended to out.  For the
 * Alembic emitter's op.execute() of what SQLAlchemy cannot express.
 */
void sd_sql_pg_create_index(const sd_dialect *d, sd_str *out, const char *schema,
			    const char *table, const sd_index *ix);
void sd_sql_pg_add_unique(const sd_dialect *d, sd_str *out, const char *schema, const char *table,
			  const sd_unique *u);

/* The revision header (comment lines), shared by both renderers; run_note is its last line. */
void sd_sql_write_header(sd_emit_ctx *ctx, const char *run_note);

#endif
