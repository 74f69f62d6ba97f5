/*
 * json_load_int.h - the schema-file loader's building blocks, shared with
 * the op-list loader (ops_load.c), which embeds tables, columns, indexes
 * and constraints in exactly the schema-file shape.  Private to src/load.
 *
 * The loader keeps the object path of the value being read as a stack of
 * steps; errors are reported at the current path with file, line, column
 * (json_pos.h) and the path string ("ops[2].definition.columns[1].type").
 */
#ifndef SD_LOAD_JSON_LOAD_INT_H
#define SD_LOAD_JSON_LOAD_INT_H

#include <jansson.h>

#include "schemadiff/hmap.h"
#include "schemadiff/model.h"
#include "load/json_pos.h"

#define SD_JL_MAX_DEPTH 16

typedef struct sd_json_loader {
	sd_schema *s;                 /* objects are allocated here */
	const char *text;             /* the document, BOM removed */
	size_t len;
	const char *name;             /* file name for messages */
	sd_json_step path[SD_JL_MAX_DEPTH]; /* where we are: keys and indexes */
	size_t depth;
	sd_error *err;
	/*
	 * Names seen so far, so that duplicates and references to missing
	 * columns are reported at their place in the file (sd_schema_finish
	 * checks the same, but knows no positions).
	 */
	sd_hmap tables;               /* table key (see name_key) -> sd_table */
	sd_hmap views;                /* view key -> sd_view */
	sd_hmap columns;              /* column name -> sd_column, current table */
	sd_hmap indexes;              /* index name -> sd_index, current table */
	const sd_table *table;        /* the table being read */
	bool any_columns;             /* do not check column names against the table
	                                 (a constraint or index read without its table) */
} sd_json_loader;

/* Flags for the field getters. */
enum {
	SD_JL_REQUIRED = 1 << 0,  /* the key must be present */
	SD_JL_NULL = 1 << 1,      /* null is a value (for required keys; optional ones always accept it) */
	SD_JL_NONEMPTY = 1 << 2   /* strings: not ""; arrays: at least one element */
};

void sd_jl_push_key(sd_json_loader *L, const char *key);
void sd_jl_push_index(sd_json_loader *L, size_t i);
void sd_jl_pop(sd_json_loader *L);

/*
 * Report msg at the current path (with at_key: at the last step's key);
 * hint may be NULL.  Returns SD_EINPUT.
 */
int sd_jl_fail(sd_json_loader *L, bool at_key, const char *hint, const char *msg);
/* "expected WHAT, got TYPE" at the current path. */
int sd_jl_fail_type(sd_json_loader *L, const json_t *v, const char *what);

/* obj must be an object whose keys are all among keys[0..n) (suggests near misses). */
int sd_jl_check_object(sd_json_loader *L, const json_t *obj, const char *what,
		       const char *const *keys, size_t n);

/* Field getters: obj[key]; defaults are kept when absent or (optional) null. */
int sd_jl_get_value(sd_json_loader *L, const json_t *obj, const char *key, unsigned flags,
		    json_t **out);
int sd_jl_get_str(sd_json_loader *L, const json_t *obj, const char *key, unsigned flags,
		  const char **out);
int sd_jl_get_bool(sd_json_loader *L, const json_t *obj, const char *key, bool *out);
int sd_jl_get_array(sd_json_loader *L, const json_t *obj, const char *key, unsigned flags,
		    json_t **out);

/*
 * Read o (the value at the current path) as one schema-file object of kind
 * SD_OBJ_TABLE, _COLUMN, _PRIMARY_KEY, _UNIQUE, _FOREIGN_KEY, _CHECK or
 * _INDEX into L->s's arena, detached: it is not added to L->s (a table) or
 * to any table.  table names the owning table in messages (ignored for
 * SD_OBJ_TABLE).  Inside a table, columns named by its constraints and
 * indexes must exist; a constraint or index read alone is not checked.
 * *out is the sd_table / sd_column / ... read.
 */
int sd_jl_load_detached(sd_json_loader *L, sd_obj_kind kind, const char *table, const json_t *o,
			void **out);

#endif
