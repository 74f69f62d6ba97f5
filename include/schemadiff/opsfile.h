/*
 * opsfile.h - read a JSON op list (what `schemadiff diff --format json`
 * writes, described by schemas/ops.schema.json) back into a migration, so
 * that a reviewed and possibly hand-edited op list can be rendered as a
 * revision file without the databases (`schemadiff render`).
 */
#ifndef SCHEMADIFF_OPSFILE_H
#define SCHEMADIFF_OPSFILE_H

#include "ops.h"

/*
 * Parse JSON text (name is the file name for messages) into *m: the "ops"
 * array becomes m->upgrade, "downgrade" m->downgrade, "dialect" m->dialect
 * and "not_compared" the unsupported counts.  Every op is checked as the
 * schema-file loader checks a schema: required keys, JSON types, unknown
 * keys (with a suggestion), enumerations; the embedded tables, columns,
 * indexes and constraints are read by the schema-file loader's own code.
 * An alter_column's "changes" must start from its "existing" column
 * ("from" equal to the existing value).  Errors (SD_EINPUT) carry name,
 * line, column and the object path ("ops[2].definition.columns[1].type").
 *
 * "context" gives each direction what the comparator puts there besides
 * the ops: every op other than create_table, drop_table and the view ops
 * gets as op->table_def the direction's context table of its (schema,
 * table) -- one object shared by all ops of that table, as the comparator
 * shares one; an op whose table the context lacks is an error at the op's
 * "table".  create_table and drop_table keep their "definition" (the table
 * without its indexes and cycle FKs).  The context's views and triggers
 * become the op list's target_views and target_triggers.  Only the current
 * format ("schemadiff-ops/2") is read.
 *
 * *m is zeroed first and owned by the caller: sd_migration_release(), on
 * failure too.
 */
int sd_migration_from_json(sd_migration *m, const char *text, size_t len, const char *name,
			   sd_error *err);
int sd_migration_load_json_file(sd_migration *m, const char *path, sd_error *err);

#endif
