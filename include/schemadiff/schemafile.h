/*
 * schemafile.h - the schema file format, JSON or YAML (the same model).
 * Described by schemas/schema.schema.json and by example in README.md.
 */
#ifndef SCHEMADIFF_SCHEMAFILE_H
#define SCHEMADIFF_SCHEMAFILE_H

#include <jansson.h>
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

/*
 * The same from YAML text (one document; YAML 1.2 core schema, anchors and
 * aliases, block scalars; see README "YAML schema files").  Errors carry
 * name, line, column and the object path, with the JSON loader's messages
 * where the problem is the same.
 */
int sd_schema_from_yaml(sd_schema **out, const char *text, size_t len, const char *name,
			sd_error *err);
int sd_schema_load_yaml_file(sd_schema **out, const char *path, sd_error *err);

/*
 * Write s as YAML: the JSON writer's keys and order in block style, strings
 * quoted only when a plain scalar would read back differently, multi-line
 * text as literal blocks.  Deterministic; loads back into an equal model.
 */
void sd_schema_to_yaml(sd_str *out, const sd_schema *s);

/*
 * The same objects as jansson values (new references, caller owns), in
 * exactly the shape the schema file uses, so the JSON op list embeds a
 * table, column or index the way a schema file writes it.  Keys are in a
 * fixed order; absent optional values are omitted.
 */
json_t *sd_json_from_schema(const sd_schema *s);
json_t *sd_json_from_table(const sd_table *t);
json_t *sd_json_from_column(const sd_column *c);
json_t *sd_json_from_pk(const sd_primary_key *pk);
json_t *sd_json_from_unique(const sd_unique *u);
json_t *sd_json_from_fk(const sd_foreign_key *fk);
json_t *sd_json_from_check(const sd_check *c);
json_t *sd_json_from_index(const sd_index *ix);
json_t *sd_json_from_view(const sd_view *v);
json_t *sd_json_from_trigger(const sd_trigger *tr);
json_t *sd_json_from_enum(const sd_enum *e);
json_t *sd_json_from_sequence(const sd_sequence *q);

#endif
