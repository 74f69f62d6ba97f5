/*
 * schema_load_int.h - the streaming schema-file loader's state and object
 * readers, shared with the op-list loader (ops_load.c), which embeds
 * tables, columns, indexes, constraints, views and triggers in exactly the
 * schema-file shape.  Private to src/load.
 *
 * The loader reads tokens from an event source (sd_sl_source_ops): the
 * jsonr pull reader (jsonr.h) for JSON, or the YAML reader (yaml_reader.h)
 * for YAML, both speaking jsonr's token vocabulary; it keeps the object path of the value being read as a stack of steps; errors are
 * reported with file, line, column and the path string
 * ("ops[2].definition.columns[1].type").  The current token is L->tok; a
 * reader function is called with the first token of its value current.
 */
#ifndef SD_LOAD_SCHEMA_LOAD_INT_H
#define SD_LOAD_SCHEMA_LOAD_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "schemadiff/error.h"
#include "schemadiff/hmap.h"
#include "schemadiff/model.h"
#include "schemadiff/util.h"
#include "load/jsonr.h"

#define SD_SL_MAX_DEPTH 12

/* One step of an object path: an object key, or (key NULL) an array index. */
typedef struct sd_sl_step {
	const char *key;
	size_t index;
} sd_sl_step;

/*
 * Where a token starts: line, and an offset that only its source
 * interprets (JSON: the byte offset; YAML: the 0-based column).
 */
typedef struct sd_sl_pos {
	size_t off;
	int line;
} sd_sl_pos;

/*
 * An event source: a format's reader behind the token vocabulary of
 * jsonr.h (object/array start and end, key, string, integer, real, true,
 * false, null; each with its position and, for YAML, scalar style).  ctx
 * is the reader.
 */
typedef struct sd_sl_source_ops {
	const char *lang;   /* "JSON", "YAML": syntax errors read "invalid JSON: ..." */
	/* The next token; JSONR_EOF after the document, JSONR_ERROR (sticky) on a syntax error. */
	jsonr_type (*next)(void *ctx, jsonr_token *tok);
	/* After JSONR_ERROR: the message and where. */
	const char *(*error)(void *ctx, sd_sl_pos *at);
	/* The 1-based column of p. */
	int (*column)(void *ctx, sd_sl_pos p);
	/* Restart at p (see sd_sl_seek); NULL when the source cannot. */
	void (*seek)(void *ctx, sd_sl_pos p);
} sd_sl_source_ops;

/* A table-level check waiting for the table's name and columns (schema_load.c). */
typedef struct sd_sl_check sd_sl_check;

typedef struct sd_schema_loader {
	const sd_sl_source_ops *ops;  /* the event source */
	void *ctx;                    /* its reader: &r, or a YAML reader */
	jsonr r;                      /* the JSON reader (sd_sl_init) */
	jsonr_token tok;              /* the current token */
	sd_schema *s;                 /* objects are allocated here */
	const char *name;             /* file name for messages */
	sd_error *err;
	bool syntax;                  /* the error is a syntax error or duplicate key */
	sd_sl_step path[SD_SL_MAX_DEPTH]; /* where we are: keys and indexes */
	size_t depth;
	/*
	 * NUL-terminated copies of strings that the model's construction API
	 * takes (and copies again into the arena); offsets, since it grows.
	 * Each object truncates it back to where it started.
	 */
	sd_str stash;
	/* Names seen so far, for errors at their place in the file. */
	sd_hmap tables;               /* table key -> sd_table (schema files only) */
	sd_hmap views;                /* view key -> sd_view (schema files only) */
	sd_hmap columns;              /* column name -> sd_column, current table */
	sd_hmap indexes;              /* index name -> sd_index, current table */
	/* The table being read. */
	size_t tname;                 /* stash offset of its name, or SIZE_MAX */
	bool columns_done;            /* its "columns" array has been read */
	bool any_columns;             /* do not check column names against the table
	                                 (an index or constraint read without its table) */
	sd_sl_check *checks;          /* queued until both are known */
	/*
	 * "names": "sql" -- names are SQL identifiers: "Quoted" exact, unquoted
	 * folded to lower case as PostgreSQL does.  namebuf holds the current
	 * token's folded form (L->tok points into it).
	 */
	bool fold;
	sd_str namebuf;
	size_t nchecks, checks_alloc;
	/*
	 * The document's dialect as far as it is known ("sqlite",
	 * "postgresql", NULL), and the first PostgreSQL-only value read (an
	 * operator class, a unique constraint's NULLS NOT DISTINCT), kept so
	 * that a "dialect": "sqlite" written after it can still be reported at
	 * the value (sd_sl_pg_only).
	 */
	const char *dialect;
	const char *pg_only;          /* what it was ("operator class"), NULL = none seen */
	sd_sl_pos pg_only_at;
	sd_sl_step pg_only_path[SD_SL_MAX_DEPTH];
	size_t pg_only_depth;
} sd_schema_loader;

/* Flags for the value readers. */
enum {
	SD_SL_REQUIRED = 1 << 0,  /* the key must be present */
	SD_SL_NULL = 1 << 1,      /* null is a value (for required keys; optional ones always accept it) */
	SD_SL_NONEMPTY = 1 << 2,  /* strings: not ""; arrays: at least one element */
	SD_SL_NAME = 1 << 4       /* strings: a name, read as SQL writes it when L->fold */
};



/*
 * Read text[0..len) (which must outlive the loader) into schema s, naming
 * the file name in messages; errors go to err.  sd_sl_release frees the
 * loader's own memory (not s).
 */
void sd_sl_init(sd_schema_loader *L, sd_schema *s, const char *text, size_t len, const char *name,
		sd_error *err);
/* The same over another event source (ops, ctx), which must outlive the loader. */
void sd_sl_init_source(sd_schema_loader *L, sd_schema *s, const sd_sl_source_ops *ops, void *ctx,
		       const char *name, sd_error *err);
/*
 * Read a whole schema document from L (set up by sd_sl_init*) into L->s:
 * the top-level object and EOF after it.
 */
int sd_sl_read_document(sd_schema_loader *L);
/*
 * "names": "sql" at the top level of the document ops/ctx reads (a reader
 * of its own: this consumes it)?  Set L->fold from it before
 * sd_sl_read_document.  sd_sl_mentions_names: does the text contain
 * "names" at all -- when not, the answer is no without reading.
 */
bool sd_sl_prescan_fold(const sd_sl_source_ops *ops, void *ctx);
bool sd_sl_mentions_names(const char *text, size_t len);
void sd_sl_release(sd_schema_loader *L);

void sd_sl_push_key(sd_schema_loader *L, const char *key);
void sd_sl_push_index(sd_schema_loader *L, size_t i);
void sd_sl_pop(sd_schema_loader *L);

/* The position of the current token. */
sd_sl_pos sd_sl_here(const sd_schema_loader *L);

/* Read the next token into L->tok (a syntax error is reported: SD_EINPUT). */
int sd_sl_next(sd_schema_loader *L);
/*
 * Restart the reader at p, the first byte of a value that an earlier pass
 * has read without error, and read its first token.  The value can then be
 * read as usual; the reader stops being usable after its end.
 */
int sd_sl_seek(sd_schema_loader *L, sd_sl_pos p);

/* Report msg at p, naming the current path; hint may be NULL.  Returns SD_EINPUT. */
int sd_sl_fail_at(sd_schema_loader *L, sd_sl_pos p, const char *hint, const char *fmt, ...)
	SD_PRINTF(4, 5);
/* "expected WHAT, got TYPE" at the current token. */
int sd_sl_fail_type(sd_schema_loader *L, const char *what);
/* "missing required key" for the object at start (the current path). */
int sd_sl_missing(sd_schema_loader *L, sd_sl_pos start, const char *key);
/*
 * key[0..len) at p is not one of keys[0..n): "unknown key", with a
 * suggestion when a known key is close (the current path is the object).
 */
int sd_sl_unknown_key(sd_schema_loader *L, sd_sl_pos p, const char *key, size_t len,
		      const char *const *keys, size_t n);
/* A repeated key at p: reported as invalid JSON (or YAML). */
int sd_sl_duplicate_key(sd_schema_loader *L, sd_sl_pos p, const char *key, size_t len);

/*
 * The current token as a string: 1 when it is one (L->tok.str, L->tok.len),
 * 0 when absent (null where flags allow), or SD_EINPUT.
 */
int sd_sl_want_str(sd_schema_loader *L, unsigned flags);
/* The same, copied into L->s's arena (*out NULL when absent). */
int sd_sl_read_str(sd_schema_loader *L, unsigned flags, const char **out);
/* A boolean or null (then *out is kept). */
int sd_sl_read_bool(sd_schema_loader *L, bool *out);

/*
 * The current value (at p, the current path) is a PostgreSQL-only feature
 * (what: "operator classes", "NULLS NOT DISTINCT"): an error when the
 * document's dialect is known to be SQLite, else remembered for
 * sd_sl_check_dialect.  Returns 0 or SD_EINPUT.
 */
int sd_sl_pg_only(sd_schema_loader *L, const char *what, sd_sl_pos p);
/* L->dialect has just been set: report a PostgreSQL-only value read before it. */
int sd_sl_check_dialect(sd_schema_loader *L);

/*
 * Read the current value as one schema-file object of kind SD_OBJ_TABLE,
 * _COLUMN, _PRIMARY_KEY, _UNIQUE, _FOREIGN_KEY, _CHECK, _INDEX, _VIEW or
 * _TRIGGER into L->s's arena, detached: it is added neither to L->s nor to
 * any table.  table names the owning table in messages (ignored for
 * tables, views and triggers).  Inside a table, the columns named by its
 * constraints and indexes must exist; an index or constraint read without
 * its table is not checked.  *out is the sd_table / sd_column / ... read;
 * name_at (may be NULL) receives the position of its "name" value (the
 * object's own position when it has none).
 */
int sd_sl_read_object(sd_schema_loader *L, sd_obj_kind kind, const char *table, void **out,
		      sd_sl_pos *name_at);

/*
 * The first syntax error or duplicate key anywhere in text, reported into
 * err; 0 when there is none.  For the error path: a loader that rejected a
 * document reports this instead, as a parse-then-validate loader would.
 */
int sd_json_first_error(const char *text, size_t len, const char *name, sd_error *err);

#endif
