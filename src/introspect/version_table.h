/*
 * version_table.h - Alembic's alembic_version table, dialect-neutral parts:
 * the CREATE statement Alembic 1.8 runs and the UPDATE/DELETE/INSERT plan
 * that turns the current rows into the wanted ones.  Each dialect's
 * read/write hooks (sqlite_version.c, pg_version.c) run them.
 */
#ifndef SCHEMADIFF_VERSION_TABLE_H
#define SCHEMADIFF_VERSION_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "schemadiff/util.h"

/*
 * Table("alembic_version", Column("version_num", String(32), nullable=False),
 *       PrimaryKeyConstraint("version_num", name="alembic_version_pkc"))
 * as Alembic's DDL compiler writes it (runtime/migration.py).
 */
extern const char sd_version_table_create[];

/*
 * Append to sql the statements that turn the rows cur[0..ncur-1] into
 * exactly revs[0..n-1], each ending in ";\n\n": the CREATE first when
 * create; a row that goes away is UPDATEd to one that comes (Alembic's
 * update for a stamp along a branch), then extra rows are DELETEd and
 * missing ones INSERTed - the statements Alembic renders in --sql mode.
 */
void sd_version_table_plan(sd_str *sql, bool create, char *const *cur, size_t ncur,
			   const char *const *revs, size_t n);

/* Free a malloc'd array of n malloc'd strings. */
void sd_version_revs_free(char **revs, size_t n);

#endif
