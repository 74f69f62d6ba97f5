/*
 * yaml_reader.h - YAML as an event source for the schema loader (private to
 * src/load).
 *
 * The reader parses the whole document with libyaml's event parser first
 * and keeps a compact list of events, so every syntax problem is found
 * before the loader validates anything (as for JSON, a syntax error anywhere
 * wins over a validation error).  Checked while parsing: one document only,
 * duplicate mapping keys, scalar keys only, tags (only the core schema's
 * !!str, !!int, !!float, !!bool, !!null, !!map, !!seq and the
 * non-specific "!"), anchors defined before their aliases, and the size of
 * the document with every alias expanded (a bounded expansion: a
 * "billion laughs" document is an error, not an out-of-memory).
 *
 * The loader then pulls jsonr tokens (sd_yaml_source): mappings are
 * objects, sequences arrays, and a plain scalar resolves by the YAML 1.2
 * core schema (null, ~ and empty: null; true/false; integers; floats;
 * anything else a string).  Quoted and block scalars are strings.  Aliases
 * are expanded by replaying the anchored node's events; replayed tokens
 * carry the alias's position.  Merge keys (<<: *a or <<: [*a, *b]) replay
 * the key/value pairs of anchored mappings that the mapping does not set
 * itself (the first source wins).  A token's sd_sl_pos offset is its 0-based
 * column.
 */
#ifndef SD_LOAD_YAML_READER_H
#define SD_LOAD_YAML_READER_H

#include <stddef.h>

#include "load/schema_load_int.h"

typedef struct sd_yaml_reader sd_yaml_reader;

/*
 * Parse text[0..len) (name for messages) into *out (caller frees with
 * sd_yaml_reader_free).  Errors: SD_EINPUT with line and column; an empty
 * stream (no document) is not an error: sd_yaml_reader_empty tells.
 */
int sd_yaml_reader_open(sd_yaml_reader **out, const char *text, size_t len, const char *name,
			sd_error *err);
/* True when the stream holds no document (empty, or only comments). */
int sd_yaml_reader_empty(const sd_yaml_reader *r);
void sd_yaml_reader_free(sd_yaml_reader *r);

/*
 * The jsonr_type a plain scalar s[0..n) resolves to by the YAML 1.2 core
 * schema: JSONR_NULL, _TRUE, _FALSE, _INTEGER, _REAL or _STRING.
 */
int sd_yaml_resolve_plain(const char *s, size_t n);

/* The event source over an opened reader (ctx: the sd_yaml_reader). */
extern const sd_sl_source_ops sd_yaml_source;

#endif
