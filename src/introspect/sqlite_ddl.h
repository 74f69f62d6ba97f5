/*
 * sqlite_ddl.h - parser for the CREATE TABLE / CREATE INDEX text SQLite
 * keeps in sqlite_schema.sql, for what the pragmas do not say: constraint
 * and FK names, CHECK expressions (table- and column-level, named and
 * unnamed), DEFERRABLE, generated columns, collations, AUTOINCREMENT,
 * partial-index WHERE and expression-index text.
 *
 * Built on the tokenizer in sqltok.h, not on regular expressions: names may
 * be quoted, contain spaces or unicode, and DDL may contain comments and
 * nested parentheses.
 */
#ifndef SCHEMADIFF_SQLITE_DDL_H
#define SCHEMADIFF_SQLITE_DDL_H

#include "schemadiff/model.h"

/*
 * Parse a CREATE TABLE statement into a new table of s (added with
 * sd_schema_add_table).  Fills columns (name, declared type verbatim with
 * single spaces, NOT NULL, DEFAULT expression text, COLLATE, GENERATED
 * ALWAYS AS (...) [STORED|VIRTUAL], PRIMARY KEY ... AUTOINCREMENT -> autoinc
 * TRUE), the primary key (column-level or table-level, with its CONSTRAINT
 * name), unique constraints, foreign keys (names, actions, DEFERRABLE
 * INITIALLY DEFERRED, MATCH), checks (text between the parentheses,
 * verbatim), WITHOUT ROWID and STRICT.  Expression text is copied verbatim
 * from the source (comments inside an expression are kept as written).
 * Column-level constraints become table constraints on that one column.
 *
 * Returns 0, or SD_EINPUT with err giving line/column within sql and the
 * table name.
 */
int sd_sqlite_parse_create_table(sd_schema *s, const char *sql, sd_table **out, sd_error *err);

/*
 * Parse a CREATE [UNIQUE] INDEX statement into a new index of table t.
 * Elements: column names, or expression text verbatim, with COLLATE and
 * ASC/DESC; the WHERE predicate verbatim.
 */
int sd_sqlite_parse_create_index(sd_schema *s, sd_table *t, const char *sql, sd_index **out,
				 sd_error *err);

#endif
