/*
 * schema_load.c - read a schema file (JSON) into the schema model, streaming.
 *
 * The pull reader (jsonr.c) hands out tokens; this file builds the model
 * from them as they come, so no tree of the document is ever held: peak
 * memory is the file plus the model.  Every key is validated on the way:
 * required keys, the JSON type of every value, enumerations, duplicate and
 * unknown keys (a typo must not pass silently).
 *
 * Keys may come in any order, so each object collects its values first and
 * is added to the model when its '}' arrives; a table's columns, PK,
 * constraints and indexes are gathered in a holder sd_table and moved into
 * the real one at its end.  Checks that need the table's name and complete
 * column list (a column named by a constraint or index must exist,
 * duplicate index names, FK column counts) run at once when both are known,
 * which is always the case in files the writer produced, and are otherwise
 * queued with their position until they are.
 *
 * Error precedence is that of a parse-then-validate loader: when the model
 * is rejected, the rest of the text is still checked, and a syntax error or
 * duplicate key anywhere in the file is reported instead.
 *
 * The readers of single objects (a table, column, index, constraint, view
 * or trigger at the current token) also serve the op-list loader, which
 * embeds them in the same shape (schema_load_int.h, sd_sl_read_object).
 *
 * Conventions of the format (see schemas/schema.schema.json): every
 * optional key may also be null, meaning absent; enumerated words are
 * case-insensitive on input and stored upper-case in the model.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "schemadiff/hmap.h"
#include "schemadiff/schemafile.h"
#include "schemadiff/sqltok.h"
#include "load/schema_load_int.h"

#define MAX_DEPTH SD_SL_MAX_DEPTH
#define NONE SIZE_MAX

typedef sd_schema_loader loader;
typedef sd_sl_pos pos;
typedef sd_sl_step step;

/* A table-level check waiting for the table's name and columns. */
typedef enum { CK_COLUMN, CK_INDEX_NAME, CK_FK_COUNT } check_kind;

typedef struct sd_sl_check {
	check_kind kind;
	const char *str;          /* CK_COLUMN: the column; CK_INDEX_NAME: the index name */
	void *obj;                /* CK_INDEX_NAME: the sd_index */
	size_t a, b;              /* CK_FK_COUNT: referred columns, columns */
	pos at;
	step path[MAX_DEPTH];
	size_t depth;
} check;

/* Flags for the value readers. */
enum {
	F_REQUIRED = SD_SL_REQUIRED,
	F_NULL = SD_SL_NULL,
	F_NONEMPTY = SD_SL_NONEMPTY,
	F_COLUMNS = 1 << 3,   /* name lists: each must be a column of the current table */
	F_NAME = SD_SL_NAME
};

/* ---- paths, positions, errors ------------------------------------------- */

void sd_sl_push_key(loader *L, const char *key)
{
	assert(L->depth < MAX_DEPTH);
	L->path[L->depth].key = key;
	L->path[L->depth].index = 0;
	L->depth++;
}

void sd_sl_push_index(loader *L, size_t i)
{
	assert(L->depth < MAX_DEPTH);
	L->path[L->depth].key = NULL;
	L->path[L->depth].index = i;
	L->depth++;
}

void sd_sl_pop(loader *L)
{
	assert(L->depth > 0);
	L->depth--;
}

pos sd_sl_here(const loader *L)
{
	pos p = { L->tok.off, L->tok.line };
	return p;
}

/* "tables[3].columns[1].type" */
static void format_path(const step *path, size_t n, sd_str *out)
{
	for (size_t i = 0; i < n; i++) {
		if (path[i].key) {
			if (i > 0)
				sd_str_addch(out, '.');
			sd_str_add(out, path[i].key);
		} else {
			sd_str_addf(out, "[%zu]", path[i].index);
		}
	}
}

/* Report an error at p naming path[0..n); hint may be NULL.  Returns SD_EINPUT. */
static int vfail(loader *L, const step *path, size_t n, pos p, const char *hint, const char *fmt,
		 va_list ap) SD_PRINTF(6, 0);
static int vfail(loader *L, const step *path, size_t n, pos p, const char *hint, const char *fmt,
		 va_list ap)
{
	sd_str where = SD_STR_INIT, msg = SD_STR_INIT;
	bool fresh = L->err && L->err->code == 0;

	sd_str_vaddf(&msg, fmt, ap);
	format_path(path, n, &where);
	sd_error_set_at(L->err, SD_EINPUT, L->name, p.line, L->ops->column(L->ctx, p),
			where.len ? where.ptr : NULL, "%s", msg.ptr);
	if (fresh && hint)
		sd_error_set_hint(L->err, "%s", hint);
	sd_str_release(&where);
	sd_str_release(&msg);
	return SD_EINPUT;
}

/* At p, naming the current path. */
int sd_sl_fail_at(loader *L, pos p, const char *hint, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vfail(L, L->path, L->depth, p, hint, fmt, ap);
	va_end(ap);
	return rc;
}

/* At the current token, naming the current path. */
static int fail_here(loader *L, const char *fmt, ...) SD_PRINTF(2, 3);
static int fail_here(loader *L, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vfail(L, L->path, L->depth, sd_sl_here(L), NULL, fmt, ap);
	va_end(ap);
	return rc;
}

static int syntax_error(loader *L)
{
	pos at;
	const char *msg = L->ops->error(L->ctx, &at);

	L->syntax = true;
	return sd_error_set_at(L->err, SD_EINPUT, L->name, at.line, L->ops->column(L->ctx, at), NULL,
			       "invalid %s: %s", L->ops->lang, msg);
}

/* Read the next token into L->tok. */
int sd_sl_next(loader *L)
{
	if (L->ops->next(L->ctx, &L->tok) == JSONR_ERROR)
		return syntax_error(L);
	return 0;
}

int sd_sl_seek(loader *L, pos p)
{
	assert(L->ops->seek);
	L->ops->seek(L->ctx, p);
	return sd_sl_next(L);
}

/* ---- the JSON event source ---------------------------------------------- */

static jsonr_type json_next(void *ctx, jsonr_token *tok)
{
	tok->style = JSONR_STYLE_JSON;
	return jsonr_next(ctx, tok);
}

static const char *json_error(void *ctx, pos *at)
{
	return jsonr_error(ctx, &at->off, &at->line);
}

static int json_column(void *ctx, pos p)
{
	return jsonr_column(ctx, p.off);
}

static void json_seek(void *ctx, pos p)
{
	jsonr_seek(ctx, p.off, p.line);
}

static const sd_sl_source_ops json_source = {
	"JSON", json_next, json_error, json_column, json_seek
};

static const char *type_name(jsonr_type t)
{
	switch (t) {
	case JSONR_OBJECT: return "an object";
	case JSONR_ARRAY: return "an array";
	case JSONR_STRING: return "a string";
	case JSONR_INTEGER: return "an integer";
	case JSONR_REAL: return "a number";
	case JSONR_TRUE: /* fall through */
	case JSONR_FALSE: return "a boolean";
	case JSONR_NULL: return "null";
	default: return "an unknown value";
	}
}

/* "expected WHAT, got TYPE" at the current token. */
int sd_sl_fail_type(loader *L, const char *what)
{
	return fail_here(L, "expected %s, got %s", what, type_name(L->tok.type));
}

/* ---- strings ----------------------------------------------------------- */

/* The current string token, NUL-terminated in the stash; returns its offset. */
static size_t stash_tok(loader *L)
{
	size_t at = L->stash.len;

	sd_str_addn(&L->stash, L->tok.str, L->tok.len);
	sd_str_addch(&L->stash, '\0');
	return at;
}

static const char *stashed(const loader *L, size_t at)
{
	return at == NONE ? NULL : L->stash.ptr + at;
}

/* The current string token, copied into the schema's arena. */
static const char *arena_tok(loader *L)
{
	return sd_arena_strndup(L->s->arena, L->tok.str, L->tok.len);
}

static bool tok_is(const loader *L, const char *word)
{
	return strncmp(word, L->tok.str, L->tok.len) == 0 && word[L->tok.len] == '\0';
}

static bool tok_is_nocase(const loader *L, const char *word)
{
	return sd_strncasecmp(word, L->tok.str, L->tok.len) == 0 && word[L->tok.len] == '\0';
}

/* ---- value readers: each looks at the current token ---------------------- */

/*
 * One part of a name as SQL writes it, src[0..len), appended to out:
 * "Quoted" is taken as written ("" is one quote), unquoted is folded to
 * lower case the way PostgreSQL folds it (ASCII letters only: its
 * downcase_identifier leaves multibyte characters alone).  An unquoted part
 * must be a valid SQL identifier, or nobody could have written it that way.
 */
static int fold_part(loader *L, const char *src, size_t len, sd_str *out)
{
	if (len == 0)
		return fail_here(L, "empty name part in \"%.*s\"", (int)L->tok.len, L->tok.str);
	if (src[0] == '"') {
		size_t i, start = out->len;

		for (i = 1; i < len; i++) {
			if (src[i] != '"') {
				sd_str_addch(out, src[i]);
				continue;
			}
			if (i + 1 < len && src[i + 1] == '"') {
				sd_str_addch(out, '"');
				i++;
				continue;
			}
			break;
		}
		if (i != len - 1)
			return sd_sl_fail_at(L, sd_sl_here(L), "inside a quoted name write a double quote twice",
					     "unbalanced double quote in name %.*s", (int)L->tok.len,
					     L->tok.str);
		if (out->len == start)
			return fail_here(L, "empty quoted name in %.*s", (int)L->tok.len, L->tok.str);
		return 0;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)src[i];
		bool ok = c >= 0x80 || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (i > 0 && ((c >= '0' && c <= '9') || c == '$'));

		if (!ok)
			return sd_sl_fail_at(L, sd_sl_here(L),
					     "with \"names\": \"sql\", write it in double quotes to keep it as is",
					     "\"%.*s\" is not a valid unquoted SQL name", (int)L->tok.len,
					     L->tok.str);
		sd_str_addch(out, (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
	}
	return 0;
}

/*
 * With "names": "sql", replace the current string token by the name it
 * writes (see fold_part); with dotted, parts separated by unquoted dots
 * are each read so (the "table.column" of a sequence's owned_by).
 */
static int fold_tok(loader *L, bool dotted)
{
	const char *s = L->tok.str;
	size_t n = L->tok.len, part = 0;
	bool quoted = false;

	sd_str_truncate(&L->namebuf, 0);
	for (size_t i = 0; i <= n; i++) {
		if (i < n && s[i] == '"')
			quoted = !quoted;
		if (i < n && (quoted || !dotted || s[i] != '.'))
			continue;
		if (fold_part(L, s + part, i - part, &L->namebuf) < 0)
			return SD_EINPUT;
		if (i < n)
			sd_str_addch(&L->namebuf, '.');
		part = i + 1;
	}
	L->tok.str = L->namebuf.ptr;
	L->tok.len = L->namebuf.len;
	return 0;
}

/* A string: 1 when it is one, 0 when absent (null where allowed), or SD_EINPUT. */
int sd_sl_want_str(loader *L, unsigned flags)
{
	if (L->tok.type == JSONR_NULL && (!(flags & F_REQUIRED) || (flags & F_NULL)))
		return 0;
	if (L->tok.type != JSONR_STRING)
		return sd_sl_fail_type(L, (flags & (F_REQUIRED | F_NULL)) == F_REQUIRED ?
				 "a string" : "a string or null");
	if ((flags & F_NONEMPTY) && L->tok.len == 0)
		return fail_here(L, "expected a non-empty string");
	if ((flags & F_NAME) && L->fold && fold_tok(L, false) < 0)
		return SD_EINPUT;
	return 1;
}

/* An optional or required string into the arena (*out NULL when absent). */
int sd_sl_read_str(loader *L, unsigned flags, const char **out)
{
	int rc = sd_sl_want_str(L, flags);

	if (rc < 0)
		return rc;
	*out = rc ? arena_tok(L) : NULL;
	return 0;
}

static int fail_path_hint(loader *L, const step *path, size_t n, pos p, const char *hint,
			  const char *fmt, ...) SD_PRINTF(6, 7);
static int fail_path_hint(loader *L, const step *path, size_t n, pos p, const char *hint,
			  const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vfail(L, path, n, p, hint, fmt, ap);
	va_end(ap);
	return rc;
}

/* A PostgreSQL-only value (what) at p (path[0..n)) in a file whose dialect is SQLite. */
static int pg_only_fail(loader *L, const step *path, size_t n, pos p, const char *what)
{
	sd_str hint = SD_STR_INIT;
	int rc;

	sd_str_addf(&hint, "leave \"%s\" out, or write \"dialect\": \"postgresql\"",
		    n && path[n - 1].key ? path[n - 1].key : "it");
	rc = fail_path_hint(L, path, n, p, hint.ptr,
			    "%s is PostgreSQL-only, and the file's dialect is \"sqlite\"", what);
	sd_str_release(&hint);
	return rc;
}

int sd_sl_pg_only(loader *L, const char *what, pos p)
{
	if (L->dialect && strcmp(L->dialect, "sqlite") == 0)
		return pg_only_fail(L, L->path, L->depth, p, what);
	if (!L->pg_only) {
		L->pg_only = what;
		L->pg_only_at = p;
		L->pg_only_depth = L->depth;
		memcpy(L->pg_only_path, L->path, L->depth * sizeof(step));
	}
	return 0;
}

int sd_sl_check_dialect(loader *L)
{
	if (L->pg_only && L->dialect && strcmp(L->dialect, "sqlite") == 0)
		return pg_only_fail(L, L->pg_only_path, L->pg_only_depth, L->pg_only_at, L->pg_only);
	return 0;
}

/* The same into the stash (*out NONE when absent). */
static int stash_str(loader *L, unsigned flags, size_t *out)
{
	int rc = sd_sl_want_str(L, flags);

	if (rc < 0)
		return rc;
	*out = rc ? stash_tok(L) : NONE;
	return 0;
}

int sd_sl_read_bool(loader *L, bool *out)
{
	if (L->tok.type == JSONR_NULL)
		return 0;
	if (L->tok.type == JSONR_STRING && L->tok.style == JSONR_STYLE_PLAIN &&
	    (tok_is_nocase(L, "yes") || tok_is_nocase(L, "no") || tok_is_nocase(L, "on") ||
	     tok_is_nocase(L, "off") || tok_is_nocase(L, "y") || tok_is_nocase(L, "n")))
		return sd_sl_fail_at(L, sd_sl_here(L), "YAML 1.2 reads yes, no, on and off as strings: "
				     "write true or false", "expected a boolean or null, got a string");
	if (L->tok.type != JSONR_TRUE && L->tok.type != JSONR_FALSE)
		return sd_sl_fail_type(L, "a boolean or null");
	*out = L->tok.type == JSONR_TRUE;
	return 0;
}

/* One of words[0..n) (case-insensitive); *out points at the canonical word. */
static int read_enum(loader *L, const char *const *words, size_t n, const char **out)
{
	int rc = sd_sl_want_str(L, 0);

	*out = NULL;
	if (rc <= 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		if (tok_is_nocase(L, words[i])) {
			*out = words[i];
			return 0;
		}
	}
	sd_str list = SD_STR_INIT;
	for (size_t i = 0; i < n; i++)
		sd_str_addf(&list, "%s\"%s\"", i ? ", " : "", words[i]);
	rc = fail_here(L, "invalid value \"%.*s\": expected one of %s", (int)L->tok.len, L->tok.str,
		       list.ptr);
	sd_str_release(&list);
	return rc;
}

/* An array: 1 when one begins, 0 when absent (optional and null), or SD_EINPUT. */
static int want_array(loader *L, unsigned flags)
{
	if (L->tok.type == JSONR_NULL && !(flags & F_REQUIRED))
		return 0;
	if (L->tok.type != JSONR_ARRAY)
		return sd_sl_fail_type(L, (flags & F_REQUIRED) ? "an array" : "an array or null");
	return 1;
}

/*
 * The next element of the array that began at start: 1 with its first
 * token current (and its index pushed on the path; the caller pops), 0 at
 * the end, or SD_EINPUT.
 */
static int array_next(loader *L, pos start, size_t i, unsigned flags)
{
	if (sd_sl_next(L) < 0)
		return SD_EINPUT;
	if (L->tok.type == JSONR_ARRAY_END) {
		if (i == 0 && (flags & F_NONEMPTY))
			return sd_sl_fail_at(L, start, NULL, "expected a non-empty array");
		return 0;
	}
	sd_sl_push_index(L, i);
	return 1;
}

static size_t edit_distance(const char *a, size_t la, const char *b)
{
	size_t lb = strlen(b);
	size_t row[64];

	if (lb >= SD_ARRAY_LEN(row))
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

int sd_sl_unknown_key(loader *L, pos p, const char *key, size_t len, const char *const *keys,
		      size_t n)
{
	size_t best = (size_t)-1, best_i = 0;
	sd_str hint = SD_STR_INIT;
	int rc;

	for (size_t i = 0; i < n; i++) {
		size_t d = edit_distance(key, len, keys[i]);
		if (d < best) {
			best = d;
			best_i = i;
		}
	}
	if (best <= 2)
		sd_str_addf(&hint, "did you mean \"%s\"?", keys[best_i]);
	rc = sd_sl_fail_at(L, p, hint.len ? hint.ptr : NULL, "unknown key \"%.*s\"", (int)len, key);
	sd_str_release(&hint);
	return rc;
}

int sd_sl_duplicate_key(loader *L, pos p, const char *key, size_t len)
{
	L->syntax = true;
	return sd_error_set_at(L->err, SD_EINPUT, L->name, p.line, L->ops->column(L->ctx, p), NULL,
			       "invalid %s: duplicate key \"%.*s\"", L->ops->lang, (int)len, key);
}

/*
 * The next key of the current object, one of keys[0..n): returns 1 with
 * *which set, the key pushed on the path (the caller pops) and the value's
 * first token current; 0 at the end of the object; SD_EINPUT for an unknown
 * or repeated key (reported at the key) or a syntax error.
 */
static int next_key(loader *L, const char *const *keys, size_t n, unsigned *seen, size_t *which)
{
	size_t i;

	*which = n;   /* read only when 1 is returned; set so that -O3 can see it is never garbage */
	if (sd_sl_next(L) < 0)
		return SD_EINPUT;
	if (L->tok.type == JSONR_OBJECT_END)
		return 0;
	assert(L->tok.type == JSONR_KEY);
	for (i = 0; i < n; i++)
		if (tok_is(L, keys[i]))
			break;
	if (i == n)
		return sd_sl_unknown_key(L, sd_sl_here(L), L->tok.str, L->tok.len, keys, n);
	if (*seen & (1u << i))
		return sd_sl_duplicate_key(L, sd_sl_here(L), L->tok.str, L->tok.len);
	*seen |= 1u << i;
	*which = i;
	sd_sl_push_key(L, keys[i]);
	return sd_sl_next(L) < 0 ? SD_EINPUT : 1;
}

#define HAS(seen, k) (((seen) >> (k)) & 1u)

/* "missing required key" for an object that began at start (current path). */
int sd_sl_missing(loader *L, pos start, const char *key)
{
	return sd_sl_fail_at(L, start, NULL, "missing required key \"%s\"", key);
}

/* ---- table-level checks ------------------------------------------------- */

static int fail_path(loader *L, const step *path, size_t n, pos p, const char *fmt, ...) SD_PRINTF(5, 6);
static int fail_path(loader *L, const step *path, size_t n, pos p, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vfail(L, path, n, p, NULL, fmt, ap);
	va_end(ap);
	return rc;
}

static bool table_ready(const loader *L)
{
	return L->tname != NONE && L->columns_done;
}

/* Run a check; only called once the table is ready. */
static int run_check(loader *L, const check *c)
{
	const char *tname = stashed(L, L->tname);

	switch (c->kind) {
	case CK_COLUMN:
		if (sd_hmap_gets(&L->columns, c->str))
			return 0;
		return fail_path(L, c->path, c->depth, c->at, "no column \"%s\" in table \"%s\"", c->str,
				 tname);
	case CK_INDEX_NAME:
		if (!sd_hmap_puts(&L->indexes, c->str, c->obj))
			return 0;
		return fail_path(L, c->path, c->depth, c->at, "duplicate index \"%s\" in table \"%s\"",
				 c->str, tname);
	case CK_FK_COUNT:
		return fail_path(L, c->path, c->depth, c->at, "%zu referred column%s for %zu column%s",
				 c->a, c->a == 1 ? "" : "s", c->b, c->b == 1 ? "" : "s");
	}
	return 0;
}

/* Run a check now when the table is ready, else queue it with the current path. */
static int check_later(loader *L, check_kind kind, const char *str, void *obj, size_t a, size_t b,
		       pos at)
{
	check c;

	c.kind = kind;
	c.str = str;
	c.obj = obj;
	c.a = a;
	c.b = b;
	c.at = at;
	c.depth = L->depth;
	memcpy(c.path, L->path, L->depth * sizeof(step));
	if (table_ready(L))
		return run_check(L, &c);
	SD_GROW(L->checks, L->nchecks + 1, L->checks_alloc);
	L->checks[L->nchecks++] = c;
	return 0;
}

/* The table has become ready: run what was queued, in order. */
static int flush_checks(loader *L)
{
	for (size_t i = 0; i < L->nchecks; i++)
		if (run_check(L, &L->checks[i]) < 0)
			return SD_EINPUT;
	L->nchecks = 0;
	return 0;
}

/*
 * col (an arena string) must be a column of the current table; at names it.
 * Not checked for an object read without its table (any_columns).
 */
static int column_ref(loader *L, const char *col, pos at)
{
	if (L->any_columns)
		return 0;
	if (table_ready(L)) {
		if (sd_hmap_gets(&L->columns, col))
			return 0;
		return sd_sl_fail_at(L, at, NULL, "no column \"%s\" in table \"%s\"", col, stashed(L, L->tname));
	}
	return check_later(L, CK_COLUMN, col, NULL, 0, 0, at);
}

/* ---- lists -------------------------------------------------------------- */

/*
 * A list of column names (non-empty strings) into (*arr, *n); with
 * F_COLUMNS, each must be a column of the current table.
 */
static int read_names(loader *L, unsigned flags, const char ***arr, size_t *n)
{
	pos start = sd_sl_here(L);
	int rc = want_array(L, flags);

	if (rc <= 0)
		return rc;
	for (size_t i = 0;; i++) {
		rc = array_next(L, start, i, flags);
		if (rc <= 0)
			return rc;
		if (L->tok.type != JSONR_STRING)
			return sd_sl_fail_type(L, "a column name (string)");
		if (L->tok.len == 0)
			return fail_here(L, "expected a non-empty string");
		if (L->fold && fold_tok(L, false) < 0)
			return SD_EINPUT;
		size_t mark = L->stash.len;
		sd_names_push(L->s, arr, n, stashed(L, stash_tok(L)));
		sd_str_truncate(&L->stash, mark);
		if ((flags & F_COLUMNS) && column_ref(L, (*arr)[*n - 1], sd_sl_here(L)) < 0)
			return SD_EINPUT;
		sd_sl_pop(L);
	}
}

/* Each element of an optional or required array, read by fn into holder h. */
typedef int (*elem_fn)(loader *L, sd_table *h);

static int read_list(loader *L, sd_table *h, unsigned flags, elem_fn fn)
{
	pos start = sd_sl_here(L);
	int rc = want_array(L, flags);

	if (rc <= 0)
		return rc;
	for (size_t i = 0;; i++) {
		rc = array_next(L, start, i, flags);
		if (rc <= 0)
			return rc;
		if (fn(L, h) < 0)
			return SD_EINPUT;
		sd_sl_pop(L);
	}
}

/* ---- columns ------------------------------------------------------------ */

static const char *const column_keys[] = {
	"name", "type", "nullable", "default", "autoincrement", "generated", "collation", "comment",
	"identity"
};
enum { C_NAME, C_TYPE, C_NULLABLE, C_DEFAULT, C_AUTOINC, C_GENERATED, C_COLLATION, C_COMMENT,
       C_IDENTITY };
static const char *const column_identity[] = { "ALWAYS", "BY DEFAULT" };
static const char *const generated_keys[] = { "expression", "stored" };

static int read_generated(loader *L, sd_column *c)
{
	pos start = sd_sl_here(L);
	unsigned seen = 0;
	size_t k;
	int rc;

	if (L->tok.type != JSONR_OBJECT)
		return sd_sl_fail_type(L, "an object or null");
	while ((rc = next_key(L, generated_keys, SD_ARRAY_LEN(generated_keys), &seen, &k)) > 0) {
		if (k == 0)
			rc = sd_sl_read_str(L, F_REQUIRED | F_NONEMPTY, &c->generated);
		else
			rc = sd_sl_read_bool(L, &c->generated_stored);
		if (rc < 0)
			return rc;
		sd_sl_pop(L);
	}
	if (rc < 0)
		return rc;
	if (!HAS(seen, 0))
		return sd_sl_missing(L, start, "expression");
	return 0;
}

static int read_autoinc(loader *L, sd_autoinc *out)
{
	switch (L->tok.type) {
	case JSONR_NULL:
		return 0;
	case JSONR_TRUE:
		*out = SD_AUTOINC_TRUE;
		return 0;
	case JSONR_FALSE:
		*out = SD_AUTOINC_FALSE;
		return 0;
	case JSONR_STRING:
		if (tok_is_nocase(L, "auto")) {
			*out = SD_AUTOINC_AUTO;
			return 0;
		}
		return fail_here(L, "invalid value \"%.*s\": expected true, false or \"auto\"",
				 (int)L->tok.len, L->tok.str);
	default:
		return sd_sl_fail_type(L, "true, false or \"auto\"");
	}
}

/*
 * A column default: SQL text, or null.  A YAML plain scalar that resolves
 * to a number or boolean (default: 0) is taken as the text written, which
 * is the SQL people mean; in JSON a default must be a string.
 */
static int read_default(loader *L, const char **out)
{
	switch (L->tok.type) {
	case JSONR_INTEGER:
	case JSONR_REAL:
	case JSONR_TRUE:
	case JSONR_FALSE:
		if (L->tok.style == JSONR_STYLE_PLAIN && L->tok.str) {
			*out = arena_tok(L);
			return 0;
		}
		break;
	default:
		break;
	}
	return sd_sl_read_str(L, 0, out);
}

/* A column into the holder h; *name_at is where its name is. */
static int read_column_at(loader *L, sd_table *h, pos *name_at)
{
	pos start = sd_sl_here(L);
	sd_column tmp = { 0 }, *c;
	size_t name = NONE, mark = L->stash.len, k;
	unsigned seen = 0;
	int rc;

	*name_at = start;
	if (L->tok.type != JSONR_OBJECT)
		return sd_sl_fail_type(L, "an object");
	tmp.nullable = true;
	tmp.autoincrement = SD_AUTOINC_AUTO;
	while ((rc = next_key(L, column_keys, SD_ARRAY_LEN(column_keys), &seen, &k)) > 0) {
		switch (k) {
		case C_NAME:
			*name_at = sd_sl_here(L);
			rc = stash_str(L, F_REQUIRED | F_NONEMPTY | F_NAME, &name);
			break;
		case C_TYPE:
			rc = sd_sl_read_str(L, F_REQUIRED | F_NULL, &tmp.type);
			break;
		case C_NULLABLE:
			rc = sd_sl_read_bool(L, &tmp.nullable);
			break;
		case C_DEFAULT:
			rc = read_default(L, &tmp.server_default);
			break;
		case C_AUTOINC:
			rc = read_autoinc(L, &tmp.autoincrement);
			break;
		case C_GENERATED:
			rc = L->tok.type == JSONR_NULL ? 0 : read_generated(L, &tmp);
			break;
		case C_COLLATION:
			rc = sd_sl_read_str(L, F_NONEMPTY, &tmp.collation);
			break;
		case C_IDENTITY:
			rc = read_enum(L, column_identity, SD_ARRAY_LEN(column_identity), &tmp.identity);
			break;
		default:
			rc = sd_sl_read_str(L, 0, &tmp.comment);
			break;
		}
		if (rc < 0)
			return rc;
		sd_sl_pop(L);
	}
	if (rc < 0)
		return rc;
	if (!HAS(seen, C_NAME))
		return sd_sl_missing(L, start, "name");
	if (!HAS(seen, C_TYPE))
		return sd_sl_missing(L, start, "type");
	c = sd_table_add_column(L->s, h, stashed(L, name));
	sd_str_truncate(&L->stash, mark);
	tmp.name = c->name;
	*c = tmp;
	if (sd_hmap_puts(&L->columns, c->name, c)) {
		sd_sl_push_key(L, "name");
		return sd_sl_fail_at(L, *name_at, NULL, "duplicate column \"%s\"", c->name);
	}
	return 0;
}

static int read_column(loader *L, sd_table *h)
{
	pos name_at;

	return read_column_at(L, h, &name_at);
}

/* ---- constraints -------------------------------------------------------- */

/* A primary key has the first two; a unique constraint all three. */
static const char *const key_list_keys[] = { "name", "columns", "nulls_not_distinct" };

/* A primary key (pk) or a unique constraint. */
static int read_key_list(loader *L, sd_table *h, bool pk)
{
	pos start = sd_sl_here(L);
	const char **cols = NULL;
	size_t ncols = 0, name = NONE, mark = L->stash.len, k;
	unsigned seen = 0;
	bool nnd = false;
	int rc;

	if (L->tok.type != JSONR_OBJECT)
		return sd_sl_fail_type(L, pk ? "an object or null" : "an object");
	while ((rc = next_key(L, key_list_keys, pk ? 2 : 3, &seen, &k)) > 0) {
		if (k == 0) {
			rc = stash_str(L, F_NONEMPTY | F_NAME, &name);
		} else if (k == 1) {
			rc = read_names(L, F_REQUIRED | F_NONEMPTY | F_COLUMNS, &cols, &ncols);
		} else {
			rc = sd_sl_read_bool(L, &nnd);
			if (rc == 0 && nnd)
				rc = sd_sl_pg_only(L, "NULLS NOT DISTINCT", sd_sl_here(L));
		}
		if (rc < 0)
			return rc;
		sd_sl_pop(L);
	}
	if (rc < 0)
		return rc;
	if (!HAS(seen, 1))
		return sd_sl_missing(L, start, "columns");
	if (pk) {
		sd_primary_key *p = sd_table_set_pk(L->s, h, stashed(L, name));
		p->columns = cols;
		p->ncolumns = ncols;
	} else {
		sd_unique *u = sd_table_add_unique(L->s, h, stashed(L, name));
		u->columns = cols;
		u->ncolumns = ncols;
		u->nulls_not_distinct = nnd;
	}
	sd_str_truncate(&L->stash, mark);
	return 0;
}

static int read_unique(loader *L, sd_table *h)
{
	return read_key_list(L, h, false);
}

static const char *const fk_keys[] = {
	"name", "columns", "referred_schema", "referred_table", "referred_columns",
	"on_delete", "on_update", "deferrable", "initially", "match", "not_valid"
};
enum { FK_NAME, FK_COLUMNS, FK_REF_SCHEMA, FK_REF_TABLE, FK_REF_COLUMNS, FK_ON_DELETE, FK_ON_UPDATE,
       FK_DEFERRABLE, FK_INITIALLY, FK_MATCH, FK_NOT_VALID };
static const char *const fk_actions[] = {
	"CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION"
};
static const char *const fk_initially[] = { "DEFERRED", "IMMEDIATE" };
static const char *const fk_match[] = { "FULL", "PARTIAL", "SIMPLE" };

static int read_fk(loader *L, sd_table *h)
{
	pos start = sd_sl_here(L), ref_at = start;
	sd_foreign_key tmp = { 0 }, *fk;
	const char *initially = NULL;
	size_t name = NONE, mark = L->stash.len, k;
	unsigned seen = 0;
	int rc;

	if (L->tok.type != JSONR_OBJECT)
		return sd_sl_fail_type(L, "an object");
	while ((rc = next_key(L, fk_keys, SD_ARRAY_LEN(fk_keys), &seen, &k)) > 0) {
		switch (k) {
		case FK_NAME:
			rc = stash_str(L, F_NONEMPTY | F_NAME, &name);
			break;
		case FK_COLUMNS:
			rc = read_names(L, F_REQUIRED | F_NONEMPTY | F_COLUMNS, &tmp.columns, &tmp.ncolumns);
			break;
		case FK_REF_SCHEMA:
			rc = sd_sl_read_str(L, F_NONEMPTY | F_NAME, &tmp.ref_schema);
			break;
		case FK_REF_TABLE:
			rc = sd_sl_read_str(L, F_REQUIRED | F_NONEMPTY | F_NAME, &tmp.ref_table);
			break;
		case FK_REF_COLUMNS:
			ref_at = sd_sl_here(L);
			rc = read_names(L, F_REQUIRED, &tmp.ref_columns, &tmp.nref_columns);
			break;
		case FK_ON_DELETE:
			rc = read_enum(L, fk_actions, SD_ARRAY_LEN(fk_actions), &tmp.on_delete);
			break;
		case FK_ON_UPDATE:
			rc = read_enum(L, fk_actions, SD_ARRAY_LEN(fk_actions), &tmp.on_update);
			break;
		case FK_DEFERRABLE:
			rc = sd_sl_read_bool(L, &tmp.deferrable);
			break;
		case FK_INITIALLY:
			rc = read_enum(L, fk_initially, SD_ARRAY_LEN(fk_initially), &initially);
			break;
		case FK_NOT_VALID:
			rc = sd_sl_read_bool(L, &tmp.not_valid);
			break;
		default:
			rc = read_enum(L, fk_match, SD_ARRAY_LEN(fk_match), &tmp.match);
			break;
		}
		if (rc < 0)
			return rc;
		sd_sl_pop(L);
	}
	if (rc < 0)
		return rc;
	if (!HAS(seen, FK_COLUMNS))
		return sd_sl_missing(L, start, "columns");
	if (!HAS(seen, FK_REF_TABLE))
		return sd_sl_missing(L, start, "referred_table");
	if (!HAS(seen, FK_REF_COLUMNS))
		return sd_sl_missing(L, start, "referred_columns");
	fk = sd_table_add_fk(L->s, h, stashed(L, name));
	sd_str_truncate(&L->stash, mark);
	tmp.name = fk->name;
	tmp.initially_deferred = initially && strcmp(initially, "DEFERRED") == 0;
	*fk = tmp;
	if (fk->nref_columns && fk->nref_columns != fk->ncolumns) {
		sd_sl_push_key(L, "referred_columns");
		rc = check_later(L, CK_FK_COUNT, NULL, NULL, fk->nref_columns, fk->ncolumns, ref_at);
		sd_sl_pop(L);
	}
	return rc;
}

static const char *const check_keys[] = { "name", "expression", "not_valid" };

static int read_check(loader *L, sd_table *h)
{
	pos start = sd_sl_here(L);
	size_t name = NONE, expr = NONE, mark = L->stash.len, k;
	unsigned seen = 0;
	bool not_valid = false;
	int rc;

	if (L->tok.type != JSONR_OBJECT)
		return sd_sl_fail_type(L, "an object");
	while ((rc = next_key(L, check_keys, SD_ARRAY_LEN(check_keys), &seen, &k)) > 0) {
		if (k == 0)
			rc = stash_str(L, F_NONEMPTY | F_NAME, &name);
		else if (k == 2)
			rc = sd_sl_read_bool(L, &not_valid);
		else
			rc = stash_str(L, F_REQUIRED | F_NONEMPTY, &expr);
		if (rc < 0)
			return rc;
		sd_sl_pop(L);
	}
	if (rc < 0)
		return rc;
	if (!HAS(seen, 1))
		return sd_sl_missing(L, start, "expression");
	sd_table_add_check(L->s, h, stashed(L, name), stashed(L, expr))->not_valid = not_valid;
	sd_str_truncate(&L->stash, mark);
	return 0;
}

/* ---- indexes ------------------------------------------------------------ */

static const char *const index_keys[] = {
	"name", "unique", "columns", "where", "method", "include", "nulls_not_distinct"
};
enum { IX_NAME, IX_UNIQUE, IX_COLUMNS, IX_WHERE, IX_METHOD, IX_INCLUDE, IX_NND };
static const char *const elem_keys[] = {
	"column", "expression", "desc", "collation", "nulls", "opclass"
};
enum { E_COLUMN, E_EXPRESSION, E_DESC, E_COLLATION, E_NULLS, E_OPCLASS };
static const char *const elem_nulls[] = { "FIRST", "LAST" };

/*
 * An operator class as SQL writes it: a name, or schema.name, each part
 * a plain word or a "quoted" identifier, with nothing between the tokens
 * (no spaces, no comments) -- since it goes into CREATE INDEX as written.
 * PostgreSQL-only (sd_sl_pg_only).
 */
static int read_opclass(loader *L, const char **out)
{
	pos at = sd_sl_here(L);
	sd_lexer lx;
	sd_tok t;
	size_t next = 0;   /* where the next token must start */
	int rc = sd_sl_want_str(L, F_NONEMPTY), parts = 0;
	bool tight = true, dot = false;

	if (rc <= 0)
		return rc;
	sd_lexer_init(&lx, L->tok.str, L->tok.len);
	for (;;) {
		t = sd_lexer_next(&lx);
		tight = tight && (size_t)(t.start - L->tok.str) == next;
		next = (size_t)(t.start - L->tok.str) + t.len;
		if (!(t.kind == SD_TOK_IDENT || (t.kind == SD_TOK_QIDENT && t.start[0] == '"')))
			break;
		parts++;
		t = sd_lexer_next(&lx);
		tight = tight && (size_t)(t.start - L->tok.str) == next;
		next = (size_t)(t.start - L->tok.str) + t.len;
		dot = t.kind == SD_TOK_DOT;
		if (!dot || parts == 2)
			break;
	}
	if (t.kind != SD_TOK_EOF || parts == 0 || dot || !tight || next != L->tok.len)
		return sd_sl_fail_at(L, at, "write the name as SQL does: text_pattern_ops, "
				     "myschema.my_ops, or \"Quoted Ops\"",
				     "\"%.*s\" is not an operator class name", (int)L->tok.len, L->tok.str);
	*out = arena_tok(L);
	return sd_sl_pg_only(L, "an operator class", at);
}

static int read_index_elem(loader *L, sd_index *ix)
{
	pos start = sd_sl_here(L), column_at = start;
	sd_index_elem tmp = { 0 }, *e;
	unsigned seen = 0;
	size_t k;
	int rc;

	if (L->tok.type == JSONR_STRING) {
		if (L->tok.len == 0)
			return fail_here(L, "expected a non-empty string");
		if (L->fold && fold_tok(L, false) < 0)
			return SD_EINPUT;
		e = sd_index_add_elem(L->s, ix);
		e->column = arena_tok(L);
		return column_ref(L, e->column, start);
	}
	if (L->tok.type != JSONR_OBJECT)
		return sd_sl_fail_type(L, "a column name (string) or an object");
	while ((rc = next_key(L, elem_keys, SD_ARRAY_LEN(elem_keys), &seen, &k)) > 0) {
		switch (k) {
		case E_COLUMN:
			column_at = sd_sl_here(L);
			rc = sd_sl_read_str(L, F_NONEMPTY | F_NAME, &tmp.column);
			break;
		case E_EXPRESSION:
			rc = sd_sl_read_str(L, F_NONEMPTY, &tmp.expression);
			break;
		case E_DESC:
			rc = sd_sl_read_bool(L, &tmp.desc);
			break;
		case E_COLLATION:
			rc = sd_sl_read_str(L, F_NONEMPTY, &tmp.collation);
			break;
		case E_OPCLASS:
			rc = read_opclass(L, &tmp.opclass);
			break;
		default:
			rc = read_enum(L, elem_nulls, SD_ARRAY_LEN(elem_nulls), &tmp.nulls);
			break;
		}
		if (rc < 0)
			return rc;
		sd_sl_pop(L);
	}
	if (rc < 0)
		return rc;
	if ((tmp.column == NULL) == (tmp.expression == NULL))
		return sd_sl_fail_at(L, start, NULL, tmp.column ?
			       "an index element has both \"column\" and \"expression\"" :
			       "an index element needs \"column\" or \"expression\"");
	if (tmp.column) {
		sd_sl_push_key(L, "column");
		rc = column_ref(L, tmp.column, column_at);
		sd_sl_pop(L);
		if (rc < 0)
			return rc;
	}
	e = sd_index_add_elem(L->s, ix);
	*e = tmp;
	return 0;
}

static int read_index(loader *L, sd_table *h)
{
	pos start = sd_sl_here(L), name_at = start, cols_at;
	sd_index tmp = { 0 }, *ix;
	size_t name = NONE, mark = L->stash.len, k;
	unsigned seen = 0;
	int rc;

	if (L->tok.type != JSONR_OBJECT)
		return sd_sl_fail_type(L, "an object");
	while ((rc = next_key(L, index_keys, SD_ARRAY_LEN(index_keys), &seen, &k)) > 0) {
		switch (k) {
		case IX_NAME:
			name_at = sd_sl_here(L);
			rc = stash_str(L, F_REQUIRED | F_NONEMPTY | F_NAME, &name);
			/* reported before the elements, when the table's names are known */
			if (rc == 0 && table_ready(L) &&
			    sd_hmap_get(&L->indexes, L->tok.str, L->tok.len))
				rc = fail_here(L, "duplicate index \"%s\" in table \"%s\"",
					       stashed(L, name), stashed(L, L->tname));
			break;
		case IX_UNIQUE:
			rc = sd_sl_read_bool(L, &tmp.unique);
			break;
		case IX_COLUMNS:
			cols_at = sd_sl_here(L);
			rc = want_array(L, F_REQUIRED);
			for (size_t i = 0; rc > 0; i++) {
				rc = array_next(L, cols_at, i, F_NONEMPTY);
				if (rc > 0) {
					if (read_index_elem(L, &tmp) < 0)
						return SD_EINPUT;
					sd_sl_pop(L);
				}
			}
			break;
		case IX_METHOD:
			rc = sd_sl_read_str(L, F_NONEMPTY, &tmp.method);
			break;
		case IX_INCLUDE:
			rc = read_names(L, F_NONEMPTY | F_COLUMNS, &tmp.include, &tmp.ninclude);
			break;
		case IX_NND:
			rc = sd_sl_read_bool(L, &tmp.nulls_not_distinct);
			break;
		default:
			rc = sd_sl_read_str(L, F_NONEMPTY, &tmp.where);
			break;
		}
		if (rc < 0)
			return rc;
		sd_sl_pop(L);
	}
	if (rc < 0)
		return rc;
	if (!HAS(seen, IX_NAME))
		return sd_sl_missing(L, start, "name");
	if (!HAS(seen, IX_COLUMNS))
		return sd_sl_missing(L, start, "columns");
	ix = sd_table_add_index(L->s, h, stashed(L, name));
	sd_str_truncate(&L->stash, mark);
	tmp.name = ix->name;
	*ix = tmp;
	sd_sl_push_key(L, "name");
	rc = check_later(L, CK_INDEX_NAME, ix->name, ix, 0, 0, name_at);
	sd_sl_pop(L);
	return rc;
}

/* ---- tables, views, triggers --------------------------------------------- */

static const char *const table_keys[] = {
	"name", "schema", "comment", "columns", "primary_key", "unique_constraints",
	"foreign_keys", "check_constraints", "indexes", "without_rowid", "strict"
};
enum { T_NAME, T_SCHEMA, T_COMMENT, T_COLUMNS, T_PK, T_UNIQUE, T_FK, T_CHECK, T_INDEXES,
       T_WITHOUT_ROWID, T_STRICT };

/*
 * Is (schema, name) new in map?  Records it (the key lives in the schema's
 * arena: "N" or "S<schema>", NUL, then the name) and returns true when so.
 */
static bool name_is_new(loader *L, sd_hmap *map, const char *schema, const char *name, void *obj)
{
	size_t ls = schema ? strlen(schema) : 0, ln = strlen(name);
	char *key = sd_arena_alloc(L->s->arena, ls + ln + 3);

	key[0] = schema ? 'S' : 'N';
	if (schema)
		memcpy(key + 1, schema, ls);
	key[1 + ls] = '\0';
	memcpy(key + 2 + ls, name, ln);
	return sd_hmap_put(map, key, ls + ln + 2, obj) == NULL;
}

static int read_table_body(loader *L, sd_table *h, pos *name_at, size_t *schema)
{
	unsigned seen = 0;
	size_t k;
	int rc;

	while ((rc = next_key(L, table_keys, SD_ARRAY_LEN(table_keys), &seen, &k)) > 0) {
		switch (k) {
		case T_NAME:
			*name_at = sd_sl_here(L);
			rc = stash_str(L, F_REQUIRED | F_NONEMPTY | F_NAME, &L->tname);
			if (rc == 0 && table_ready(L))
				rc = flush_checks(L);
			break;
		case T_SCHEMA:
			rc = stash_str(L, F_NONEMPTY | F_NAME, schema);
			break;
		case T_COMMENT:
			rc = sd_sl_read_str(L, 0, &h->comment);
			break;
		case T_COLUMNS: {
			pos at = sd_sl_here(L);
			rc = want_array(L, F_REQUIRED);
			for (size_t i = 0; rc > 0; i++) {
				rc = array_next(L, at, i, 0);
				if (rc > 0) {
					if (read_column(L, h) < 0)
						return SD_EINPUT;
					sd_sl_pop(L);
				}
			}
			L->columns_done = true;
			if (rc == 0 && table_ready(L))
				rc = flush_checks(L);
			break;
		}
		case T_PK:
			rc = L->tok.type == JSONR_NULL ? 0 : read_key_list(L, h, true);
			break;
		case T_UNIQUE:
			rc = read_list(L, h, 0, read_unique);
			break;
		case T_FK:
			rc = read_list(L, h, 0, read_fk);
			break;
		case T_CHECK:
			rc = read_list(L, h, 0, read_check);
			break;
		case T_INDEXES:
			rc = read_list(L, h, 0, read_index);
			break;
		case T_WITHOUT_ROWID:
			rc = sd_sl_read_bool(L, &h->without_rowid);
			break;
		default:
			rc = sd_sl_read_bool(L, &h->strict);
			break;
		}
		if (rc < 0)
			return rc;
		sd_sl_pop(L);
	}
	if (rc < 0)
		return rc;
	if (!HAS(seen, T_NAME))
		return 1;
	if (!HAS(seen, T_COLUMNS))
		return 2;
	return 0;
}

/*
 * A table object into the holder h (its name and schema in the stash at
 * *name and *schema, NONE when absent); *name_at is where its name is.
 */
static int read_table_obj(loader *L, sd_table *h, pos *name_at, size_t *name, size_t *schema)
{
	pos start = sd_sl_here(L);
	int rc;

	*name_at = start;
	*name = *schema = NONE;
	if (L->tok.type != JSONR_OBJECT)
		return sd_sl_fail_type(L, "an object");
	L->tname = NONE;
	L->columns_done = false;
	L->nchecks = 0;
	rc = read_table_body(L, h, name_at, schema);
	if (rc < 0)
		return rc;
	if (rc > 0)
		return sd_sl_missing(L, start, rc == 1 ? "name" : "columns");
	assert(L->nchecks == 0);
	*name = L->tname;
	L->tname = NONE;
	sd_hmap_release(&L->columns);
	sd_hmap_release(&L->indexes);
	return 0;
}

/* Move what the holder h collected into table t. */
static void table_take(sd_table *t, const sd_table *h)
{
	t->comment = h->comment;
	t->columns = h->columns;
	t->ncolumns = h->ncolumns;
	t->pk = h->pk;
	t->uniques = h->uniques;
	t->nuniques = h->nuniques;
	t->fks = h->fks;
	t->nfks = h->nfks;
	t->checks = h->checks;
	t->nchecks = h->nchecks;
	t->indexes = h->indexes;
	t->nindexes = h->nindexes;
	t->without_rowid = h->without_rowid;
	t->strict = h->strict;
}

static int read_table(loader *L, sd_table *unused)
{
	pos name_at;
	sd_table h = { 0 }, *t;
	size_t name, schema, mark = L->stash.len;
	int rc;

	(void)unused;
	rc = read_table_obj(L, &h, &name_at, &name, &schema);
	if (rc < 0)
		return rc;
	t = sd_schema_add_table(L->s, stashed(L, schema), stashed(L, name));
	sd_str_truncate(&L->stash, mark);
	if (!name_is_new(L, &L->tables, t->schema, t->name, t)) {
		sd_str q = SD_STR_INIT;
		sd_qualified_name(&q, t->schema, t->name);
		sd_sl_push_key(L, "name");
		rc = sd_sl_fail_at(L, name_at, NULL, "duplicate table \"%s\"", q.ptr);
		sd_str_release(&q);
		return rc;
	}
	table_take(t, &h);
	return 0;
}

static const char *const view_keys[] = { "name", "schema", "definition", "materialized" };
enum { V_MATERIALIZED = 3 };

/*
 * A view object: name, schema and definition into the stash at v[0..3)
 * (NONE when absent), "materialized" into *mat (false when absent).
 */
static int read_view_obj(loader *L, size_t v[3], bool *mat, pos *name_at)
{
	pos start = sd_sl_here(L);
	static const unsigned flags[3] = {
		F_REQUIRED | F_NONEMPTY | F_NAME, F_NONEMPTY | F_NAME, F_REQUIRED | F_NONEMPTY
	};
	unsigned seen = 0;
	size_t k;
	int rc;

	*name_at = start;
	v[0] = v[1] = v[2] = NONE;
	*mat = false;
	if (L->tok.type != JSONR_OBJECT)
		return sd_sl_fail_type(L, "an object");
	while ((rc = next_key(L, view_keys, SD_ARRAY_LEN(view_keys), &seen, &k)) > 0) {
		if (k == 0)
			*name_at = sd_sl_here(L);
		if (k == V_MATERIALIZED ? sd_sl_read_bool(L, mat) < 0 : stash_str(L, flags[k], &v[k]) < 0)
			return SD_EINPUT;
		sd_sl_pop(L);
	}
	if (rc < 0)
		return rc;
	if (!HAS(seen, 0))
		return sd_sl_missing(L, start, "name");
	if (!HAS(seen, 2))
		return sd_sl_missing(L, start, "definition");
	return 0;
}

static int read_view(loader *L, sd_table *unused)
{
	pos name_at;
	size_t v[3], mark = L->stash.len;
	sd_view *view;
	bool mat;

	(void)unused;
	if (read_view_obj(L, v, &mat, &name_at) < 0)
		return SD_EINPUT;
	view = sd_schema_add_view(L->s, stashed(L, v[1]), stashed(L, v[0]), stashed(L, v[2]));
	view->materialized = mat;
	sd_str_truncate(&L->stash, mark);
	if (!name_is_new(L, &L->views, view->schema, view->name, view)) {
		sd_sl_push_key(L, "name");
		return sd_sl_fail_at(L, name_at, NULL, "duplicate view \"%s\"", view->name);
	}
	return 0;
}

static const char *const trigger_keys[] = { "name", "schema", "table", "sql" };

/* A trigger object: name, schema, table and sql into the stash at v[0..4). */
static int read_trigger_obj(loader *L, size_t v[4])
{
	pos start = sd_sl_here(L);
	static const unsigned flags[4] = {
		F_REQUIRED | F_NONEMPTY | F_NAME, F_NONEMPTY | F_NAME, F_REQUIRED | F_NONEMPTY | F_NAME,
		F_REQUIRED | F_NONEMPTY
	};
	unsigned seen = 0;
	size_t k;
	int rc;

	v[0] = v[1] = v[2] = v[3] = NONE;
	if (L->tok.type != JSONR_OBJECT)
		return sd_sl_fail_type(L, "an object");
	while ((rc = next_key(L, trigger_keys, SD_ARRAY_LEN(trigger_keys), &seen, &k)) > 0) {
		if (stash_str(L, flags[k], &v[k]) < 0)
			return SD_EINPUT;
		sd_sl_pop(L);
	}
	if (rc < 0)
		return rc;
	for (k = 0; k < SD_ARRAY_LEN(trigger_keys); k++)
		if ((flags[k] & F_REQUIRED) && !HAS(seen, k))
			return sd_sl_missing(L, start, trigger_keys[k]);
	return 0;
}

static int read_trigger(loader *L, sd_table *unused)
{
	size_t v[4], mark = L->stash.len;

	(void)unused;
	if (read_trigger_obj(L, v) < 0)
		return SD_EINPUT;
	sd_schema_add_trigger(L->s, stashed(L, v[1]), stashed(L, v[0]), stashed(L, v[2]),
			      stashed(L, v[3]));
	sd_str_truncate(&L->stash, mark);
	return 0;
}

/* ---- enums and sequences (PostgreSQL) ------------------------------------ */

static const char *const enum_keys[] = { "name", "schema", "values" };

/* An enum object into the holder *e (strings in L->s's arena); values required, distinct. */
static int read_enum_obj(loader *L, sd_enum *e, pos *name_at)
{
	pos start = sd_sl_here(L), at;
	unsigned seen = 0;
	size_t k;
	int rc;

	*name_at = start;
	memset(e, 0, sizeof(*e));
	if (L->tok.type != JSONR_OBJECT)
		return sd_sl_fail_type(L, "an object");
	while ((rc = next_key(L, enum_keys, SD_ARRAY_LEN(enum_keys), &seen, &k)) > 0) {
		if (k == 0)
			*name_at = sd_sl_here(L);
		if (k == 0)
			rc = sd_sl_read_str(L, F_REQUIRED | F_NONEMPTY | F_NAME, &e->name);
		else if (k == 1)
			rc = sd_sl_read_str(L, F_NONEMPTY | F_NAME, &e->schema);
		else {
			at = sd_sl_here(L);
			rc = want_array(L, F_REQUIRED);
		}
		for (size_t i = 0; k == 2 && rc > 0; i++) {
			rc = array_next(L, at, i, 0);
			if (rc <= 0)
				break;
			if (L->tok.type != JSONR_STRING)
				return sd_sl_fail_type(L, "an enum value (string)");
			for (size_t j = 0; j < e->nvalues; j++)
				if (strlen(e->values[j]) == L->tok.len &&
				    memcmp(e->values[j], L->tok.str, L->tok.len) == 0)
					return fail_here(L, "duplicate enum value \"%s\"", e->values[j]);
			sd_arena_push(L->s->arena, (void ***)&e->values, &e->nvalues, (void *)arena_tok(L));
			sd_sl_pop(L);
		}
		if (rc < 0)
			return rc;
		sd_sl_pop(L);
	}
	if (rc < 0)
		return rc;
	if (!HAS(seen, 0))
		return sd_sl_missing(L, start, "name");
	if (!HAS(seen, 2))
		return sd_sl_missing(L, start, "values");
	return 0;
}

static int read_enum_def(loader *L, sd_table *unused)
{
	sd_enum h, *e;
	pos name_at;

	(void)unused;
	if (read_enum_obj(L, &h, &name_at) < 0)
		return SD_EINPUT;
	if (sd_schema_find_enum(L->s, h.schema, h.name)) {
		sd_sl_push_key(L, "name");
		return sd_sl_fail_at(L, name_at, NULL, "duplicate enum \"%s\"", h.name);
	}
	e = sd_schema_add_enum(L->s, h.schema, h.name);
	e->values = h.values;
	e->nvalues = h.nvalues;
	return 0;
}

static const char *const sequence_keys[] = {
	"name", "schema", "type", "start", "increment", "min", "max", "cache", "cycle", "owned_by"
};
enum { Q_CYCLE = 8, Q_OWNED_BY = 9 };

/* A sequence object into the holder *q (strings in L->s's arena); numbers as text. */
static int read_sequence_obj(loader *L, sd_sequence *q, pos *name_at)
{
	pos start = sd_sl_here(L);
	const char **str[] = {
		&q->name, &q->schema, &q->type, &q->start, &q->increment, &q->min, &q->max,
		&q->cache, NULL, &q->owned_by
	};
	unsigned seen = 0;
	size_t k;
	int rc;

	*name_at = start;
	memset(q, 0, sizeof(*q));
	if (L->tok.type != JSONR_OBJECT)
		return sd_sl_fail_type(L, "an object");
	while ((rc = next_key(L, sequence_keys, SD_ARRAY_LEN(sequence_keys), &seen, &k)) > 0) {
		if (k == 0)
			*name_at = sd_sl_here(L);
		if (k == Q_CYCLE)
			rc = sd_sl_read_bool(L, &q->cycle);
		else if (k >= 3 && k <= 7 && L->tok.type == JSONR_INTEGER && L->tok.str)
			*str[k] = arena_tok(L);       /* a number written as a number */
		else if (k == Q_OWNED_BY && L->fold && L->tok.type == JSONR_STRING && L->tok.len &&
			 fold_tok(L, true) < 0)
			return SD_EINPUT;
		else
			rc = sd_sl_read_str(L, k == 0 ? F_REQUIRED | F_NONEMPTY | F_NAME :
					    k == 1 ? F_NONEMPTY | F_NAME : F_NONEMPTY, str[k]);
		if (rc < 0)
			return rc;
		if (k >= 3 && k <= 7 && *str[k]) {  /* start .. cache: integers as text */
			const char *d = *str[k] + (**str[k] == '-');

			if (!*d || strspn(d, "0123456789") != strlen(d))
				return fail_here(L, "expected an integer as text, got \"%s\"", *str[k]);
		}
		sd_sl_pop(L);
	}
	if (rc < 0)
		return rc;
	if (!HAS(seen, 0))
		return sd_sl_missing(L, start, "name");
	return 0;
}

static int read_sequence_def(loader *L, sd_table *unused)
{
	sd_sequence h, *q;
	pos name_at;

	(void)unused;
	if (read_sequence_obj(L, &h, &name_at) < 0)
		return SD_EINPUT;
	if (sd_schema_find_sequence(L->s, h.schema, h.name)) {
		sd_sl_push_key(L, "name");
		return sd_sl_fail_at(L, name_at, NULL, "duplicate sequence \"%s\"", h.name);
	}
	q = sd_schema_add_sequence(L->s, h.schema, h.name);
	h.schema = q->schema;
	h.name = q->name;
	*q = h;
	return 0;
}

/* ---- objects read alone (the op-list loader) ------------------------------ */

/* A table, view or trigger, detached, into L->s. */
static int read_whole(loader *L, sd_obj_kind kind, void **out, pos *name_at)
{
	size_t v[4], mark = L->stash.len;
	sd_table h = { 0 }, *t;
	sd_view view = { 0 };
	sd_enum en;
	sd_sequence seq;
	sd_trigger *tr;
	int rc = 0;

	switch (kind) {
	case SD_OBJ_ENUM:
		rc = read_enum_obj(L, &en, name_at);
		if (rc == 0)
			*out = sd_enum_copy(L->s, &en);
		break;
	case SD_OBJ_SEQUENCE:
		rc = read_sequence_obj(L, &seq, name_at);
		if (rc == 0)
			*out = sd_sequence_copy(L->s, &seq);
		break;
	case SD_OBJ_TABLE:
		rc = read_table_obj(L, &h, name_at, &v[0], &v[1]);
		if (rc < 0)
			break;
		t = sd_arena_alloc(L->s->arena, sizeof(*t));
		t->schema = sd_schema_strdup(L->s, stashed(L, v[1]));
		t->name = sd_schema_strdup(L->s, stashed(L, v[0]));
		table_take(t, &h);
		*out = t;
		break;
	case SD_OBJ_VIEW:
		rc = read_view_obj(L, v, &view.materialized, name_at);
		if (rc < 0)
			break;
		view.name = stashed(L, v[0]);
		view.schema = stashed(L, v[1]);
		view.definition = stashed(L, v[2]);
		*out = sd_view_copy(L->s, &view);
		break;
	default:
		assert(kind == SD_OBJ_TRIGGER);
		rc = read_trigger_obj(L, v);
		if (rc < 0)
			break;
		tr = sd_arena_alloc(L->s->arena, sizeof(*tr));
		tr->name = sd_schema_strdup(L->s, stashed(L, v[0]));
		tr->schema = sd_schema_strdup(L->s, stashed(L, v[1]));
		tr->table = sd_schema_strdup(L->s, stashed(L, v[2]));
		tr->sql = sd_schema_strdup(L->s, stashed(L, v[3]));
		*out = tr;
		break;
	}
	sd_str_truncate(&L->stash, mark);
	return rc;
}

int sd_sl_read_object(loader *L, sd_obj_kind kind, const char *table, void **out, pos *name_at)
{
	size_t mark = L->stash.len;
	sd_table h = { 0 };
	pos at;
	int rc;

	*out = NULL;
	if (!name_at)
		name_at = &at;
	*name_at = sd_sl_here(L);
	if (kind == SD_OBJ_TABLE || kind == SD_OBJ_VIEW || kind == SD_OBJ_TRIGGER ||
	    kind == SD_OBJ_ENUM || kind == SD_OBJ_SEQUENCE)
		return read_whole(L, kind, out, name_at);

	/* A part of a table: read into a holder that stands for its table. */
	sd_str_add(&L->stash, table ? table : "");
	sd_str_addch(&L->stash, '\0');
	L->tname = mark;
	L->columns_done = true;
	L->any_columns = kind != SD_OBJ_COLUMN;
	L->nchecks = 0;
	switch (kind) {
	case SD_OBJ_COLUMN:
		rc = read_column_at(L, &h, name_at);
		*out = h.ncolumns ? h.columns[0] : NULL;
		break;
	case SD_OBJ_PRIMARY_KEY:
		rc = read_key_list(L, &h, true);
		*out = h.pk;
		break;
	case SD_OBJ_UNIQUE:
		rc = read_unique(L, &h);
		*out = h.nuniques ? h.uniques[0] : NULL;
		break;
	case SD_OBJ_FOREIGN_KEY:
		rc = read_fk(L, &h);
		*out = h.nfks ? h.fks[0] : NULL;
		break;
	case SD_OBJ_CHECK:
		rc = read_check(L, &h);
		*out = h.nchecks ? h.checks[0] : NULL;
		break;
	case SD_OBJ_INDEX:
		rc = read_index(L, &h);
		*out = h.nindexes ? h.indexes[0] : NULL;
		break;
	default:
		rc = sd_error_set(L->err, SD_EINTERNAL, "cannot read a %s on its own",
				  sd_obj_kind_name(kind));
		break;
	}
	L->tname = NONE;
	L->columns_done = false;
	L->any_columns = false;
	L->nchecks = 0;
	sd_hmap_release(&L->columns);
	sd_hmap_release(&L->indexes);
	sd_str_truncate(&L->stash, mark);
	if (rc < 0)
		*out = NULL;
	return rc < 0 ? rc : 0;
}

static const char *const top_keys[] = {
	"format", "dialect", "tables", "views", "triggers", "enums", "sequences", "names"
};
enum { TOP_FORMAT, TOP_DIALECT, TOP_TABLES, TOP_VIEWS, TOP_TRIGGERS, TOP_ENUMS, TOP_SEQUENCES,
       TOP_NAMES };
static const char *const name_styles[] = { "exact", "sql" };
static const char *const dialects[] = { "sqlite", "postgresql" };

/*
 * Does the document say "names": "sql" at its top level?  The style must
 * be known before the first name is read, and a key may come anywhere in
 * its object, so this reads the document's tokens once, skipping nested
 * values, on a reader of its own.  Syntax errors answer false: the real
 * read reports them.  Callers ask only when the text contains "names" at
 * all (sd_sl_mentions_names), so ordinary files are read once.
 */
bool sd_sl_prescan_fold(const sd_sl_source_ops *ops, void *ctx)
{
	jsonr_token tok;
	int depth = 0;
	bool want = false;

	for (;;) {
		switch (ops->next(ctx, &tok)) {
		case JSONR_ERROR:
		case JSONR_EOF:
			return false;
		case JSONR_OBJECT:
		case JSONR_ARRAY:
			depth++;
			want = false;
			break;
		case JSONR_OBJECT_END:
		case JSONR_ARRAY_END:
			if (--depth == 0)
				return false;
			break;
		case JSONR_KEY:
			want = depth == 1 && tok.len == 5 && memcmp(tok.str, "names", 5) == 0;
			break;
		case JSONR_STRING:
			if (want)
				return tok.len == 3 && sd_strncasecmp(tok.str, "sql", 3) == 0;
			break;
		default:
			if (want)
				return false;
			break;
		}
	}
}

bool sd_sl_mentions_names(const char *text, size_t len)
{
	for (const char *p = text, *end = text + len; end - p >= 5; p++) {
		p = memchr(p, 'n', (size_t)(end - p) - 4);
		if (!p)
			return false;
		if (memcmp(p, "names", 5) == 0)
			return true;
	}
	return false;
}

int sd_sl_read_document(loader *L)
{
	pos start;
	unsigned seen = 0;
	size_t k, i;
	int rc;

	if (sd_sl_next(L) < 0)
		return SD_EINPUT;
	if (L->tok.type != JSONR_OBJECT)
		return fail_here(L, "expected an object at the top level, got %s",
				 type_name(L->tok.type));
	start = sd_sl_here(L);
	while ((rc = next_key(L, top_keys, SD_ARRAY_LEN(top_keys), &seen, &k)) > 0) {
		switch (k) {
		case TOP_FORMAT:
			rc = sd_sl_want_str(L, 0);
			if (rc > 0 && !tok_is(L, "schemadiff/1"))
				return sd_sl_fail_at(L, sd_sl_here(L), L->tok.len > 15 &&
					       memcmp(L->tok.str, "schemadiff-ops/", 15) == 0 ?
					       "this is an op list (schemadiff diff --format json);"
					       " a schema file has \"format\": \"schemadiff/1\"" :
					       "this version reads \"schemadiff/1\"",
					       "unsupported format \"%.*s\"", (int)L->tok.len, L->tok.str);
			break;
		case TOP_DIALECT:
			rc = sd_sl_want_str(L, 0);
			if (rc <= 0)
				break;
			for (i = 0; i < SD_ARRAY_LEN(dialects); i++)
				if (tok_is(L, dialects[i]))
					break;
			if (i == SD_ARRAY_LEN(dialects))
				return fail_here(L, "unknown dialect \"%.*s\": expected \"sqlite\" or \"postgresql\"",
						 (int)L->tok.len, L->tok.str);
			L->s->dialect = L->dialect = dialects[i];
			rc = sd_sl_check_dialect(L);
			break;
		case TOP_NAMES: {
			const char *style;

			/* The caller found it before the first name was read (sd_sl_prescan_fold). */
			rc = read_enum(L, name_styles, SD_ARRAY_LEN(name_styles), &style);
			assert(rc < 0 || L->fold == (style && strcmp(style, "sql") == 0));
			break;
		}
		case TOP_TABLES:
			rc = read_list(L, NULL, F_REQUIRED, read_table);
			break;
		case TOP_VIEWS:
			rc = read_list(L, NULL, 0, read_view);
			break;
		case TOP_ENUMS:
			rc = read_list(L, NULL, 0, read_enum_def);
			break;
		case TOP_SEQUENCES:
			rc = read_list(L, NULL, 0, read_sequence_def);
			break;
		default:
			rc = read_list(L, NULL, 0, read_trigger);
			break;
		}
		if (rc < 0)
			return rc;
		sd_sl_pop(L);
	}
	if (rc < 0)
		return rc;
	if (!HAS(seen, TOP_TABLES))
		return sd_sl_missing(L, start, "tables");
	if (sd_sl_next(L) < 0)
		return SD_EINPUT;
	assert(L->tok.type == JSONR_EOF);
	return 0;
}

int sd_json_first_error(const char *text, size_t len, const char *name, sd_error *err)
{
	jsonr r;
	jsonr_token tok;
	sd_arena *keys_arena = sd_arena_new();
	sd_hmap *keys = NULL;       /* per depth: the keys of the open object */
	size_t nkeys = 0, depth = 0;
	int rc = 0;

	jsonr_init(&r, text, len);
	for (;;) {
		jsonr_type t = jsonr_next(&r, &tok);
		if (t == JSONR_EOF)
			break;
		if (t == JSONR_ERROR) {
			size_t off;
			int line;
			const char *msg = jsonr_error(&r, &off, &line);
			rc = sd_error_set_at(err, SD_EINPUT, name, line, jsonr_column(&r, off), NULL,
					     "invalid JSON: %s", msg);
			break;
		}
		if (t == JSONR_OBJECT || t == JSONR_ARRAY) {
			depth++;
			if (depth >= nkeys) {
				keys = xrealloc(keys, (depth + 1) * sizeof(*keys));
				for (; nkeys <= depth; nkeys++)
					sd_hmap_init(&keys[nkeys]);
			}
			sd_hmap_release(&keys[depth]);
		} else if (t == JSONR_OBJECT_END || t == JSONR_ARRAY_END) {
			depth--;
		} else if (t == JSONR_KEY) {
			const char *k = sd_arena_strndup(keys_arena, tok.str, tok.len);
			if (sd_hmap_put(&keys[depth], k, tok.len, (void *)k)) {
				rc = sd_error_set_at(err, SD_EINPUT, name, tok.line,
						     jsonr_column(&r, tok.off), NULL,
						     "invalid JSON: duplicate key \"%s\"", k);
				break;
			}
		}
	}
	for (size_t i = 0; i < nkeys; i++)
		sd_hmap_release(&keys[i]);
	free(keys);
	sd_arena_free(keys_arena);
	jsonr_release(&r);
	return rc;
}

void sd_sl_init_source(loader *L, sd_schema *s, const sd_sl_source_ops *ops, void *ctx,
		       const char *name, sd_error *err)
{
	memset(L, 0, sizeof(*L));
	L->ops = ops;
	L->ctx = ctx;
	L->s = s;
	L->name = name;
	L->err = err;
	L->tname = NONE;
	sd_str_init(&L->stash);
	sd_str_init(&L->namebuf);
	jsonr_init(&L->r, "", 0);
}

void sd_sl_init(loader *L, sd_schema *s, const char *text, size_t len, const char *name,
		sd_error *err)
{
	sd_sl_init_source(L, s, &json_source, NULL, name, err);
	jsonr_init(&L->r, text, len);
	L->ctx = &L->r;
}

void sd_sl_release(loader *L)
{
	jsonr_release(&L->r);
	sd_str_release(&L->stash);
	sd_str_release(&L->namebuf);
	sd_hmap_release(&L->tables);
	sd_hmap_release(&L->views);
	sd_hmap_release(&L->columns);
	sd_hmap_release(&L->indexes);
	free(L->checks);
	L->checks = NULL;
}

/* Only blanks (the JSON whitespace) in text? */
static bool all_blank(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!strchr(" \t\r\n", text[i]) || text[i] == '\0')
			return false;
	return true;
}

int sd_schema_from_json(sd_schema **out, const char *text, size_t len, const char *name,
			sd_error *err)
{
	loader L;
	sd_error mine = SD_ERROR_INIT;
	sd_schema *s = NULL;
	int rc;

	*out = NULL;
	if (!name)
		name = "<input>";
	/* A UTF-8 byte order mark is accepted and ignored (editors on Windows write one). */
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
		text += 3;
		len -= 3;
	}
	if (all_blank(text, len))
		return sd_error_set_at(err, SD_EINPUT, name, 0, 0, NULL,
				       "empty file: expected a JSON object");

	s = sd_schema_new(NULL, name);
	sd_sl_init(&L, s, text, len, name, &mine);
	if (sd_sl_mentions_names(text, len)) {
		jsonr pre;

		jsonr_init(&pre, text, len);
		L.fold = sd_sl_prescan_fold(&json_source, &pre);
		jsonr_release(&pre);
	}
	rc = sd_sl_read_document(&L);
	sd_sl_release(&L);
	if (rc < 0) {
		/* A syntax error or duplicate key further on wins, as in parse-then-validate. */
		if (!L.syntax && sd_json_first_error(text, len, name, err) < 0) {
			sd_error_clear(&mine);
		} else if (err && err->code == 0) {
			*err = mine;
		} else {
			sd_error_clear(&mine);
		}
		goto done;
	}
	rc = sd_schema_finish(s, err);
	if (rc < 0) {
		if (err && !err->source)
			err->source = xstrdup(name);
		goto done;
	}
	*out = s;
	s = NULL;
done:
	if (s)
		sd_schema_free(s);
	return rc;
}

int sd_schema_load_json_file(sd_schema **out, const char *path, sd_error *err)
{
	char *text = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	rc = sd_read_file(path, &text, &len);
	if (rc < 0) {
		rc = sd_error_set_at(err, SD_EIO, path, 0, 0, NULL, "could not read schema file: %s",
				     strerror(-rc));
		goto done;
	}
	rc = sd_schema_from_json(out, text, len, path, err);
done:
	free(text);
	return rc;
}
