/*
 * json_load.c - schema-file objects (tables, columns, constraints, indexes)
 * from jansson values, for the op-list loader (json_load_int.h).
 *
 * The schema file itself is read by the streaming loader (schema_load.c),
 * which holds no tree of the document; the op-list loader parses its
 * (small) files with jansson and reads the tables, columns, indexes and
 * constraints embedded in them here, with the same validation and messages
 * as the schema file: required keys, the JSON type of every value,
 * enumerations, and unknown keys (a typo must not pass silently).  The
 * object path of the value being read is kept as a small stack of keys and
 * indexes; the path string and the line/column (json_pos.c) are computed
 * only when an error is reported.
 *
 * Conventions of the format (see schemas/schema.schema.json): every
 * optional key may also be null, meaning absent; enumerated words are
 * case-insensitive on input and stored upper-case in the model.
 */
#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "schemadiff/hmap.h"
#include "schemadiff/schemafile.h"
#include "load/json_load_int.h"

#define MAX_DEPTH SD_JL_MAX_DEPTH

/* The loader state (json_load_int.h, shared with the op-list loader). */
typedef sd_json_loader loader;

/* Flags for the field getters. */
enum {
	F_REQUIRED = SD_JL_REQUIRED,  /* the key must be present */
	F_NULL = SD_JL_NULL,          /* null is a value (for required keys; optional ones always accept it) */
	F_NONEMPTY = SD_JL_NONEMPTY   /* strings: not ""; arrays: at least one element */
};

static void push_key(loader *L, const char *key)
{
	assert(L->depth < MAX_DEPTH);
	L->path[L->depth].key = key;
	L->path[L->depth].index = 0;
	L->depth++;
}

static void push_index(loader *L, size_t i)
{
	assert(L->depth < MAX_DEPTH);
	L->path[L->depth].key = NULL;
	L->path[L->depth].index = i;
	L->depth++;
}

static void pop(loader *L)
{
	assert(L->depth > 0);
	L->depth--;
}

/* "tables[3].columns[1].type" for the first n steps. */
static void format_path(const loader *L, size_t n, sd_str *out)
{
	for (size_t i = 0; i < n; i++) {
		if (L->path[i].key) {
			if (i > 0)
				sd_str_addch(out, '.');
			sd_str_add(out, L->path[i].key);
		} else {
			sd_str_addf(out, "[%zu]", L->path[i].index);
		}
	}
}

/*
 * Report an error at the current path: at the value, or with at_key at the
 * key of the last step (then the path names the enclosing object).  hint
 * may be NULL.  Returns SD_EINPUT.
 */
static int fail_at(loader *L, bool at_key, const char *hint, const char *fmt, ...) SD_PRINTF(4, 5);
static int fail_at(loader *L, bool at_key, const char *hint, const char *fmt, ...)
{
	sd_str path = SD_STR_INIT, msg = SD_STR_INIT;
	int line = 0, column = 0;
	va_list ap;
	bool fresh = L->err && L->err->code == 0;

	va_start(ap, fmt);
	sd_str_vaddf(&msg, fmt, ap);
	va_end(ap);
	if (sd_json_pos(L->text, L->len, L->path, L->depth, at_key, &line, &column) < 0)
		line = column = 0;
	format_path(L, at_key && L->depth > 0 ? L->depth - 1 : L->depth, &path);
	sd_error_set_at(L->err, SD_EINPUT, L->name, line, column, path.len ? path.ptr : NULL, "%s",
			msg.ptr);
	if (fresh && hint)
		sd_error_set_hint(L->err, "%s", hint);
	sd_str_release(&path);
	sd_str_release(&msg);
	return SD_EINPUT;
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number";
	case JSON_TRUE: /* fall through */
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "an unknown value";
}

/* "expected WHAT, got TYPE" at the current path. */
static int fail_type(loader *L, const json_t *v, const char *what)
{
	return fail_at(L, false, NULL, "expected %s, got %s", what, type_name(v));
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
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

/*
 * obj must be an object (what names it in the message); every key must be
 * one of keys[0..n).  An unknown key is reported at the key, with a
 * suggestion when a known key is close.
 */
static int check_object(loader *L, const json_t *obj, const char *what,
			const char *const *keys, size_t n)
{
	const char *k;
	json_t *v;

	if (!json_is_object(obj))
		return fail_type(L, obj, what);
	json_object_foreach((json_t *)obj, k, v) {
		size_t i, best = (size_t)-1, best_i = 0;
		for (i = 0; i < n; i++)
			if (strcmp(k, keys[i]) == 0)
				break;
		if (i < n)
			continue;
		for (i = 0; i < n; i++) {
			size_t d = edit_distance(k, keys[i]);
			if (d < best) {
				best = d;
				best_i = i;
			}
		}
		sd_str hint = SD_STR_INIT;
		if (best <= 2)
			sd_str_addf(&hint, "did you mean \"%s\"?", keys[best_i]);
		push_key(L, k);
		int rc = fail_at(L, true, hint.len ? hint.ptr : NULL, "unknown key \"%s\"", k);
		pop(L);
		sd_str_release(&hint);
		return rc;
	}
	return 0;
}

/*
 * Field getters.  Each reads obj[key]; *out is left at its default when the
 * key is absent or (optional key) null.  Errors name obj.key.
 */
static int missing(loader *L, const char *key)
{
	return fail_at(L, false, NULL, "missing required key \"%s\"", key);
}

static int get_value(loader *L, const json_t *obj, const char *key, unsigned flags, json_t **out)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v) {
		if (flags & F_REQUIRED)
			return missing(L, key);
		return 0;
	}
	if (json_is_null(v) && !(flags & F_REQUIRED))
		return 0;  /* optional and null: absent */
	*out = v;
	return 0;
}

static int get_str(loader *L, const json_t *obj, const char *key, unsigned flags, const char **out)
{
	json_t *v;

	*out = NULL;
	if (get_value(L, obj, key, flags, &v) < 0)
		return SD_EINPUT;
	if (!v || (json_is_null(v) && (flags & F_NULL)))
		return 0;
	if (!json_is_string(v)) {
		push_key(L, key);
		int rc = fail_type(L, v, (flags & (F_REQUIRED | F_NULL)) == F_REQUIRED ?
				      "a string" : "a string or null");
		pop(L);
		return rc;
	}
	if ((flags & F_NONEMPTY) && json_string_length(v) == 0) {
		push_key(L, key);
		int rc = fail_at(L, false, NULL, "expected a non-empty string");
		pop(L);
		return rc;
	}
	*out = json_string_value(v);
	return 0;
}

/* An optional string, copied into the schema's arena. */
static int get_str_dup(loader *L, const json_t *obj, const char *key, unsigned flags,
		       const char **out)
{
	const char *v;

	if (get_str(L, obj, key, flags, &v) < 0)
		return SD_EINPUT;
	*out = v ? sd_schema_strdup(L->s, v) : NULL;
	return 0;
}

static int get_bool(loader *L, const json_t *obj, const char *key, bool *out)
{
	json_t *v;

	if (get_value(L, obj, key, 0, &v) < 0)
		return SD_EINPUT;
	if (!v)
		return 0;
	if (!json_is_boolean(v)) {
		push_key(L, key);
		int rc = fail_type(L, v, "a boolean or null");
		pop(L);
		return rc;
	}
	*out = json_is_true(v);
	return 0;
}

/* One of words[0..n) (case-insensitive); *out points at the canonical word. */
static int get_enum(loader *L, const json_t *obj, const char *key, const char *const *words,
		    size_t n, const char **out)
{
	const char *v;

	*out = NULL;
	if (get_str(L, obj, key, 0, &v) < 0)
		return SD_EINPUT;
	if (!v)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (sd_strcasecmp(v, words[i]) == 0) {
			*out = words[i];
			return 0;
		}
	}
	sd_str list = SD_STR_INIT;
	for (size_t i = 0; i < n; i++)
		sd_str_addf(&list, "%s\"%s\"", i ? ", " : "", words[i]);
	push_key(L, key);
	int rc = fail_at(L, false, NULL, "invalid value \"%s\": expected one of %s", v, list.ptr);
	pop(L);
	sd_str_release(&list);
	return rc;
}

/* An array (or absent/null when optional: *out NULL). */
static int get_array(loader *L, const json_t *obj, const char *key, unsigned flags, json_t **out)
{
	json_t *v;

	if (get_value(L, obj, key, flags, &v) < 0)
		return SD_EINPUT;
	*out = NULL;
	if (!v)
		return 0;
	push_key(L, key);
	int rc = 0;
	if (!json_is_array(v))
		rc = fail_type(L, v, (flags & F_REQUIRED) ? "an array" : "an array or null");
	else if ((flags & F_NONEMPTY) && json_array_size(v) == 0)
		rc = fail_at(L, false, NULL, "expected a non-empty array");
	pop(L);
	if (rc == 0)
		*out = v;
	return rc;
}

/* Report a column of the current table that does not exist, at the current path. */
static int no_column(loader *L, const char *column)
{
	return fail_at(L, false, NULL, "no column \"%s\" in table \"%s\"", column, L->table->name);
}

/*
 * A list of column names (non-empty strings) into (*arr, *n); with
 * F_COLUMNS, each must be a column of the current table.
 */
#define F_COLUMNS (1u << 8)
static int get_names(loader *L, const json_t *obj, const char *key, unsigned flags,
		     const char ***arr, size_t *n)
{
	json_t *a, *v;
	size_t i;
	int rc = 0;

	if (get_array(L, obj, key, flags, &a) < 0)
		return SD_EINPUT;
	if (!a)
		return 0;
	push_key(L, key);
	json_array_foreach(a, i, v) {
		push_index(L, i);
		if (!json_is_string(v))
			rc = fail_type(L, v, "a column name (string)");
		else if (json_string_length(v) == 0)
			rc = fail_at(L, false, NULL, "expected a non-empty string");
		else if ((flags & F_COLUMNS) && !L->any_columns &&
			 !sd_hmap_get(&L->columns, json_string_value(v),
							     json_string_length(v)))
			rc = no_column(L, json_string_value(v));
		else
			sd_names_push(L->s, arr, n, json_string_value(v));
		pop(L);
		if (rc < 0)
			break;
	}
	pop(L);
	return rc;
}

/* Load each element of obj[key] (an optional array) with fn. */
typedef int (*elem_fn)(loader *L, sd_table *t, const json_t *v);

static int load_list(loader *L, sd_table *t, const json_t *obj, const char *key, unsigned flags,
		     elem_fn fn)
{
	json_t *a, *v;
	size_t i;
	int rc = 0;

	if (get_array(L, obj, key, flags, &a) < 0)
		return SD_EINPUT;
	if (!a)
		return 0;
	push_key(L, key);
	json_array_foreach(a, i, v) {
		push_index(L, i);
		rc = fn(L, t, v);
		pop(L);
		if (rc < 0)
			break;
	}
	pop(L);
	return rc;
}

/* ---- columns ---------------------------------------------------------- */

static const char *const column_keys[] = {
	"name", "type", "nullable", "default", "autoincrement", "generated", "collation", "comment"
};
static const char *const generated_keys[] = { "expression", "stored" };

static int load_generated(loader *L, sd_column *c, const json_t *g)
{
	const char *expr;

	if (check_object(L, g, "an object or null", generated_keys, SD_ARRAY_LEN(generated_keys)) < 0 ||
	    get_str(L, g, "expression", F_REQUIRED | F_NONEMPTY, &expr) < 0 ||
	    get_bool(L, g, "stored", &c->generated_stored) < 0)
		return SD_EINPUT;
	c->generated = sd_schema_strdup(L->s, expr);
	return 0;
}

static int load_column(loader *L, sd_table *t, const json_t *o)
{
	const char *name, *type;
	json_t *v;
	sd_column *c;

	if (check_object(L, o, "an object", column_keys, SD_ARRAY_LEN(column_keys)) < 0 ||
	    get_str(L, o, "name", F_REQUIRED | F_NONEMPTY, &name) < 0 ||
	    get_str(L, o, "type", F_REQUIRED | F_NULL, &type) < 0)
		return SD_EINPUT;
	c = sd_table_add_column(L->s, t, name);
	if (sd_hmap_puts(&L->columns, c->name, c)) {
		push_key(L, "name");
		int rc = fail_at(L, false, NULL, "duplicate column \"%s\"", name);
		pop(L);
		return rc;
	}
	c->type = type ? sd_schema_strdup(L->s, type) : NULL;
	c->nullable = true;
	if (get_bool(L, o, "nullable", &c->nullable) < 0 ||
	    get_str_dup(L, o, "default", 0, &c->server_default) < 0 ||
	    get_str_dup(L, o, "collation", F_NONEMPTY, &c->collation) < 0 ||
	    get_str_dup(L, o, "comment", 0, &c->comment) < 0)
		return SD_EINPUT;

	if (get_value(L, o, "autoincrement", 0, &v) < 0)
		return SD_EINPUT;
	if (v) {
		if (json_is_true(v)) {
			c->autoincrement = SD_AUTOINC_TRUE;
		} else if (json_is_false(v)) {
			c->autoincrement = SD_AUTOINC_FALSE;
		} else if (json_is_string(v) && sd_strcasecmp(json_string_value(v), "auto") == 0) {
			c->autoincrement = SD_AUTOINC_AUTO;
		} else {
			push_key(L, "autoincrement");
			int rc = json_is_string(v) ?
				fail_at(L, false, NULL, "invalid value \"%s\": expected true, false or \"auto\"",
					json_string_value(v)) :
				fail_type(L, v, "true, false or \"auto\"");
			pop(L);
			return rc;
		}
	}

	if (get_value(L, o, "generated", 0, &v) < 0)
		return SD_EINPUT;
	if (v) {
		push_key(L, "generated");
		int rc = load_generated(L, c, v);
		pop(L);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- constraints ------------------------------------------------------ */

static const char *const key_list_keys[] = { "name", "columns" };

static int load_pk(loader *L, sd_table *t, const json_t *o)
{
	const char *name;
	sd_primary_key *pk;

	if (check_object(L, o, "an object or null", key_list_keys, SD_ARRAY_LEN(key_list_keys)) < 0 ||
	    get_str(L, o, "name", F_NONEMPTY, &name) < 0)
		return SD_EINPUT;
	pk = sd_table_set_pk(L->s, t, name);
	return get_names(L, o, "columns", F_REQUIRED | F_NONEMPTY | F_COLUMNS, &pk->columns,
			 &pk->ncolumns);
}

static int load_unique(loader *L, sd_table *t, const json_t *o)
{
	const char *name;
	sd_unique *u;

	if (check_object(L, o, "an object", key_list_keys, SD_ARRAY_LEN(key_list_keys)) < 0 ||
	    get_str(L, o, "name", F_NONEMPTY, &name) < 0)
		return SD_EINPUT;
	u = sd_table_add_unique(L->s, t, name);
	return get_names(L, o, "columns", F_REQUIRED | F_NONEMPTY | F_COLUMNS, &u->columns,
			 &u->ncolumns);
}

static const char *const fk_keys[] = {
	"name", "columns", "referred_schema", "referred_table", "referred_columns",
	"on_delete", "on_update", "deferrable", "initially", "match"
};
static const char *const fk_actions[] = {
	"CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION"
};
static const char *const fk_initially[] = { "DEFERRED", "IMMEDIATE" };
static const char *const fk_match[] = { "FULL", "PARTIAL", "SIMPLE" };

static int load_fk(loader *L, sd_table *t, const json_t *o)
{
	const char *name, *ref_table, *initially;
	sd_foreign_key *fk;

	if (check_object(L, o, "an object", fk_keys, SD_ARRAY_LEN(fk_keys)) < 0 ||
	    get_str(L, o, "name", F_NONEMPTY, &name) < 0)
		return SD_EINPUT;
	fk = sd_table_add_fk(L->s, t, name);
	if (get_names(L, o, "columns", F_REQUIRED | F_NONEMPTY | F_COLUMNS, &fk->columns,
		      &fk->ncolumns) < 0 ||
	    get_str_dup(L, o, "referred_schema", F_NONEMPTY, &fk->ref_schema) < 0 ||
	    get_str(L, o, "referred_table", F_REQUIRED | F_NONEMPTY, &ref_table) < 0 ||
	    get_names(L, o, "referred_columns", F_REQUIRED, &fk->ref_columns, &fk->nref_columns) < 0 ||
	    get_enum(L, o, "on_delete", fk_actions, SD_ARRAY_LEN(fk_actions), &fk->on_delete) < 0 ||
	    get_enum(L, o, "on_update", fk_actions, SD_ARRAY_LEN(fk_actions), &fk->on_update) < 0 ||
	    get_bool(L, o, "deferrable", &fk->deferrable) < 0 ||
	    get_enum(L, o, "initially", fk_initially, SD_ARRAY_LEN(fk_initially), &initially) < 0 ||
	    get_enum(L, o, "match", fk_match, SD_ARRAY_LEN(fk_match), &fk->match) < 0)
		return SD_EINPUT;
	if (fk->nref_columns && fk->nref_columns != fk->ncolumns) {
		push_key(L, "referred_columns");
		fail_at(L, false, NULL, "%zu referred column%s for %zu column%s", fk->nref_columns,
			fk->nref_columns == 1 ? "" : "s", fk->ncolumns, fk->ncolumns == 1 ? "" : "s");
		pop(L);
		return SD_EINPUT;
	}
	fk->ref_table = sd_schema_strdup(L->s, ref_table);
	fk->initially_deferred = initially && strcmp(initially, "DEFERRED") == 0;
	return 0;
}

static const char *const check_keys[] = { "name", "expression" };

static int load_check(loader *L, sd_table *t, const json_t *o)
{
	const char *name, *expr;

	if (check_object(L, o, "an object", check_keys, SD_ARRAY_LEN(check_keys)) < 0 ||
	    get_str(L, o, "name", F_NONEMPTY, &name) < 0 ||
	    get_str(L, o, "expression", F_REQUIRED | F_NONEMPTY, &expr) < 0)
		return SD_EINPUT;
	sd_table_add_check(L->s, t, name, expr);
	return 0;
}

/* ---- indexes ---------------------------------------------------------- */

static const char *const index_keys[] = { "name", "unique", "columns", "where" };
static const char *const elem_keys[] = { "column", "expression", "desc", "collation", "nulls" };
static const char *const elem_nulls[] = { "FIRST", "LAST" };

static int load_index_elem(loader *L, sd_index *ix, const json_t *v)
{
	const char *column, *expr;
	sd_index_elem *e;

	if (json_is_string(v)) {
		if (json_string_length(v) == 0)
			return fail_at(L, false, NULL, "expected a non-empty string");
		if (!L->any_columns &&
		    !sd_hmap_get(&L->columns, json_string_value(v), json_string_length(v)))
			return no_column(L, json_string_value(v));
		e = sd_index_add_elem(L->s, ix);
		e->column = sd_schema_strdup(L->s, json_string_value(v));
		return 0;
	}
	if (!json_is_object(v))
		return fail_type(L, v, "a column name (string) or an object");
	if (check_object(L, v, "an object", elem_keys, SD_ARRAY_LEN(elem_keys)) < 0 ||
	    get_str(L, v, "column", F_NONEMPTY, &column) < 0 ||
	    get_str(L, v, "expression", F_NONEMPTY, &expr) < 0)
		return SD_EINPUT;
	if ((column == NULL) == (expr == NULL))
		return fail_at(L, false, NULL, column ?
			       "an index element has both \"column\" and \"expression\"" :
			       "an index element needs \"column\" or \"expression\"");
	if (column && !L->any_columns && !sd_hmap_gets(&L->columns, column)) {
		push_key(L, "column");
		int rc = no_column(L, column);
		pop(L);
		return rc;
	}
	e = sd_index_add_elem(L->s, ix);
	e->column = sd_schema_strdup(L->s, column);
	e->expression = sd_schema_strdup(L->s, expr);
	if (get_bool(L, v, "desc", &e->desc) < 0 ||
	    get_str_dup(L, v, "collation", F_NONEMPTY, &e->collation) < 0 ||
	    get_enum(L, v, "nulls", elem_nulls, SD_ARRAY_LEN(elem_nulls), &e->nulls) < 0)
		return SD_EINPUT;
	return 0;
}

static int load_index(loader *L, sd_table *t, const json_t *o)
{
	const char *name;
	json_t *a, *v;
	size_t i;
	sd_index *ix;
	int rc = 0;

	if (check_object(L, o, "an object", index_keys, SD_ARRAY_LEN(index_keys)) < 0 ||
	    get_str(L, o, "name", F_REQUIRED | F_NONEMPTY, &name) < 0)
		return SD_EINPUT;
	ix = sd_table_add_index(L->s, t, name);
	if (sd_hmap_puts(&L->indexes, ix->name, ix)) {
		push_key(L, "name");
		fail_at(L, false, NULL, "duplicate index \"%s\" in table \"%s\"", name, t->name);
		pop(L);
		return SD_EINPUT;
	}
	if (get_bool(L, o, "unique", &ix->unique) < 0 ||
	    get_str_dup(L, o, "where", F_NONEMPTY, &ix->where) < 0 ||
	    get_array(L, o, "columns", F_REQUIRED | F_NONEMPTY, &a) < 0)
		return SD_EINPUT;
	push_key(L, "columns");
	json_array_foreach(a, i, v) {
		push_index(L, i);
		rc = load_index_elem(L, ix, v);
		pop(L);
		if (rc < 0)
			break;
	}
	pop(L);
	return rc;
}

/* ---- tables ------------------------------------------------------------ */

static const char *const table_keys[] = {
	"name", "schema", "comment", "columns", "primary_key", "unique_constraints",
	"foreign_keys", "check_constraints", "indexes", "without_rowid", "strict"
};

static int load_table_body(loader *L, sd_table *t, const json_t *o);

/* Everything of a table after its name; L->columns fills as columns are read. */
static int load_table_body(loader *L, sd_table *t, const json_t *o)
{
	json_t *v;

	if (get_str_dup(L, o, "comment", 0, &t->comment) < 0 ||
	    load_list(L, t, o, "columns", F_REQUIRED, load_column) < 0 ||
	    get_value(L, o, "primary_key", 0, &v) < 0)
		return SD_EINPUT;
	if (v) {
		push_key(L, "primary_key");
		int rc = load_pk(L, t, v);
		pop(L);
		if (rc < 0)
			return rc;
	}
	if (load_list(L, t, o, "unique_constraints", 0, load_unique) < 0 ||
	    load_list(L, t, o, "foreign_keys", 0, load_fk) < 0 ||
	    load_list(L, t, o, "check_constraints", 0, load_check) < 0 ||
	    load_list(L, t, o, "indexes", 0, load_index) < 0 ||
	    get_bool(L, o, "without_rowid", &t->without_rowid) < 0 ||
	    get_bool(L, o, "strict", &t->strict) < 0)
		return SD_EINPUT;
	return 0;
}

/* ---- building blocks for the op-list loader (json_load_int.h) ---------- */

void sd_jl_push_key(loader *L, const char *key) { push_key(L, key); }
void sd_jl_push_index(loader *L, size_t i) { push_index(L, i); }
void sd_jl_pop(loader *L) { pop(L); }

int sd_jl_fail(loader *L, bool at_key, const char *hint, const char *msg)
{
	return fail_at(L, at_key, hint, "%s", msg);
}

int sd_jl_fail_type(loader *L, const json_t *v, const char *what)
{
	return fail_type(L, v, what);
}

int sd_jl_check_object(loader *L, const json_t *obj, const char *what, const char *const *keys,
		       size_t n)
{
	return check_object(L, obj, what, keys, n);
}

int sd_jl_get_value(loader *L, const json_t *obj, const char *key, unsigned flags, json_t **out)
{
	return get_value(L, obj, key, flags, out);
}

int sd_jl_get_str(loader *L, const json_t *obj, const char *key, unsigned flags, const char **out)
{
	return get_str(L, obj, key, flags, out);
}

int sd_jl_get_bool(loader *L, const json_t *obj, const char *key, bool *out)
{
	return get_bool(L, obj, key, out);
}

int sd_jl_get_array(loader *L, const json_t *obj, const char *key, unsigned flags, json_t **out)
{
	return get_array(L, obj, key, flags, out);
}

int sd_jl_load_detached(loader *L, sd_obj_kind kind, const char *table, const json_t *o,
			void **out)
{
	sd_table *t = sd_arena_alloc(L->s->arena, sizeof(*t));
	const char *name, *schema;
	int rc;

	*out = NULL;
	L->any_columns = kind != SD_OBJ_TABLE && kind != SD_OBJ_COLUMN;
	t->name = table ? sd_schema_strdup(L->s, table) : "";
	L->table = t;
	switch (kind) {
	case SD_OBJ_TABLE:
		rc = check_object(L, o, "an object", table_keys, SD_ARRAY_LEN(table_keys));
		if (!rc)
			rc = get_str(L, o, "name", F_REQUIRED | F_NONEMPTY, &name);
		if (!rc)
			rc = get_str(L, o, "schema", F_NONEMPTY, &schema);
		if (!rc) {
			t->name = sd_schema_strdup(L->s, name);
			t->schema = sd_schema_strdup(L->s, schema);
			rc = load_table_body(L, t, o);
		}
		*out = t;
		break;
	case SD_OBJ_COLUMN:
		rc = load_column(L, t, o);
		*out = t->ncolumns ? t->columns[0] : NULL;
		break;
	case SD_OBJ_PRIMARY_KEY:
		rc = load_pk(L, t, o);
		*out = t->pk;
		break;
	case SD_OBJ_UNIQUE:
		rc = load_unique(L, t, o);
		*out = t->nuniques ? t->uniques[0] : NULL;
		break;
	case SD_OBJ_FOREIGN_KEY:
		rc = load_fk(L, t, o);
		*out = t->nfks ? t->fks[0] : NULL;
		break;
	case SD_OBJ_CHECK:
		rc = load_check(L, t, o);
		*out = t->nchecks ? t->checks[0] : NULL;
		break;
	case SD_OBJ_INDEX:
		rc = load_index(L, t, o);
		*out = t->nindexes ? t->indexes[0] : NULL;
		break;
	default:
		rc = sd_error_set(L->err, SD_EINTERNAL, "cannot load a %s on its own",
				  sd_obj_kind_name(kind));
		break;
	}
	L->table = NULL;
	L->any_columns = false;
	sd_hmap_release(&L->columns);
	sd_hmap_release(&L->indexes);
	if (rc < 0)
		*out = NULL;
	return rc < 0 ? rc : 0;
}
