/*
 * schemafile.h - the schema file format (JSON; YAML in its own issue).
 * Described by schemas/schema.schema.json and by example in README.md.
 */
#ifndef SCHEMADIFF_SCHEMAFILE_H
#define SCHEMADIFF_SCHEMAFILE_H

#include "model.h"

/*
 * Parse JSON text (name is the file name for messages) into a finished
 * schema.  Errors carry name, line, column and the object path
 * ("tables[3].columns[1].type").  *out is owned by the caller.
 */
int sd_schema_from_json(sd_schema **out, const char *text, size_t len, const char *name,
			sd_error *err);
int sd_schema_load_json_file(sd_schema **out, const char *path, sd_error *err);

/* Write s as JSON (deterministic, 2-space indent, trailing newline). */
void sd_schema_to_json(sd_str *out, const sd_schema *s);

#endif
