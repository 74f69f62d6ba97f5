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
 * Nullability follows SQLite: NOT NULL as declared, plus an INTEGER PRIMARY
 * KEY (the rowid; type exactly INTEGER, not DESC) and every PK column of a
 * WITHOUT ROWID or STRICT table.  A table qualified "main." or unqualified
 * has schema NULL; "temp." or CREATE TEMP gives "temp", other qualifiers are
 * kept.  A dangling "CONSTRAINT name" (legal in SQLite) names nothing.
 *
 * Returns 0, or SD_EINPUT with err giving line/column within sql and the
 * table name in err->path.  CREATE TABLE ... AS SELECT and CREATE VIRTUAL
 * TABLE return SD_EUNSUPPORTED (with a position): the text has no column
 * definitions, so the caller should take the columns from
 * pragma_table_xinfo instead (SQLite itself stores a synthesised column
 * list for AS SELECT tables, so sqlite_schema never holds that form).  On
 * any error nothing is added to s.
 */
int sd_sqlite_parse_create_table(sd_schema *s, const char *sql, sd_table **out, sd_error *err);

/*
 * Parse a CREATE [UNIQUE] INDEX statement into a new index of table t.
 * Elements: column names, or expression text verbatim, with COLLATE and
 * ASC/DESC; the WHERE predicate verbatim.  An element that is one
 * (possibly quoted) identifier followed by COLLATE, ASC, DESC, ',' or ')'
 * is a column; anything else is an expression.  The ON table must be t
 * (case-insensitive).  Returns 0 or SD_EINPUT (err->path = index name); on
 * error nothing is added to t.
 */
int sd_sqlite_parse_create_index(sd_schema *s, sd_table *t, const char *sql, sd_index **out,
				 sd_error *err);

#endif
