/*
 * json_write.c - write the schema model as a schema file (JSON).
 *
 * One description of the file's shape (keys in the fixed order of the
 * format, absent and default values omitted except "nullable"), run
 * against one of two writers: a text writer that streams the file straight
 * into a string (sd_schema_to_json: no value tree, no allocation per
 * value), and a tree writer that builds jansson values, so the JSON op
 * emitter can embed a table, column or index the way a schema file writes
 * it (sd_json_from_*).  The text is exactly what jansson's
 * json_dump(JSON_INDENT(2) | JSON_PRESERVE_ORDER) prints for the tree.
 * Output is deterministic: the model is canonically sorted by
 * sd_schema_finish.
 */
#include <string.h>

#include "schemadiff/schemafile.h"

/*
 * A JSON string for s.  Text that is not valid UTF-8 (a catalog may hold
 * anything) has each bad byte replaced by U+FFFD, so the file stays valid
 * JSON; the loader only ever sees UTF-8.
 */
static json_t *jstr(const char *s)
{
	json_t *v = json_string(s);
	sd_str buf = SD_STR_INIT;

	if (v)
		return v;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 :
			   (*p & 0xF8) == 0xF0 ? 4 : 0;
		json_t *probe = NULL;
		if (n > 0) {
			size_t i;
			for (i = 1; i < n && (p[i] & 0xC0) == 0x80; i++)
				;
			if (i == n)
				probe = json_stringn((const char *)p, n);
		}
		if (probe) {
			sd_str_addn(&buf, (const char *)p, n);
			json_decref(probe);
			p += n;
		} else {
			sd_str_add(&buf, "\xEF\xBF\xBD");
			p++;
		}
	}
	v = json_string(buf.ptr);
	sd_str_release(&buf);
	return v ? v : json_string("");
}

/* ---- the two writers ---- */

#define JW_MAX_DEPTH 8

typedef struct jw {
	sd_str *out;                    /* text writer: the file so far; NULL: tree writer */
	unsigned depth;                 /* open containers */
	bool first[JW_MAX_DEPTH];       /* text: nothing written in container [d] yet */
	json_t *stack[JW_MAX_DEPTH];    /* tree: the open containers */
	json_t *root;                   /* tree: the value written at depth 0 */
} jw;

/*
 * Text: room for n more bytes at the end of out; the caller writes them and
 * calls text_done with the new end.
 */
static char *text_room(sd_str *out, size_t n)
{
	sd_str_grow(out, n);
	return out->ptr + out->len;
}

static void text_done(sd_str *out, char *end)
{
	out->len = (size_t)(end - out->ptr);
	*end = '\0';
}

/* The bytes jansson's dump escapes ('"', '\\', controls below 0x20): 1; not ASCII: 2. */
static const unsigned char text_class[256] = {
	[0x00] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['"'] = 1, ['\\'] = 1,
	[0x80] = 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
};

/* s[0..n) as a JSON string, escaped as jansson's dump does (\uXXXX upper-case for controls). */
static void text_escaped(sd_str *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	char *o = text_room(out, 6 * n + 2);

	*o++ = '"';
	for (; p < end; p++) {
		if (text_class[*p] != 1) {
			*o++ = (char)*p;
			continue;
		}
		*o++ = '\\';
		switch (*p) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '\b': *o++ = 'b'; break;
		case '\f': *o++ = 'f'; break;
		case '\n': *o++ = 'n'; break;
		case '\r': *o++ = 'r'; break;
		case '\t': *o++ = 't'; break;
		default:
			memcpy(o, "u00", 3);
			o[3] = hex[*p >> 4];
			o[4] = hex[*p & 0xF];
			o += 5;
			break;
		}
	}
	*o++ = '"';
	text_done(out, o);
}

static void text_string(sd_str *out, const char *s)
{
	const unsigned char *p;
	unsigned char any = 0;
	size_t n;
	char *o;

	for (p = (const unsigned char *)s; *p; p++)
		any |= text_class[*p];
	n = (size_t)(p - (const unsigned char *)s);
	if (!any) {
		/* the common case: nothing to escape */
		o = text_room(out, n + 2);
		*o++ = '"';
		memcpy(o, s, n);
		o += n;
		*o++ = '"';
		text_done(out, o);
	} else if (!(any & 2)) {
		text_escaped(out, s, n);
	} else {
		/* not ASCII: the same check and U+FFFD repair as the tree's strings */
		json_t *v = jstr(s);

		text_escaped(out, json_string_value(v), json_string_length(v));
		json_decref(v);
	}
}

#define TEXT_MAX_INDENT (2 * JW_MAX_DEPTH)

/* Text: a new line and the indent of depth (jansson's JSON_INDENT(2)) at o. */
static char *text_newline(char *o, unsigned depth)
{
	*o++ = '\n';
	memset(o, ' ', 2 * (size_t)depth);
	return o + 2 * (size_t)depth;
}

/*
 * Text: start a member of the current container: the comma, the new line
 * and indent, and key (a literal of the format: nothing to escape), then
 * text (a literal value or bracket) if not NULL.
 */
static void text_member(jw *w, const char *key, const char *text)
{
	size_t klen = key ? strlen(key) : 0, tlen = text ? strlen(text) : 0;
	char *o = text_room(w->out, 2 + 2 * (size_t)w->depth + klen + 4 + tlen);

	if (w->depth) {
		if (w->first[w->depth - 1])
			w->first[w->depth - 1] = false;
		else
			*o++ = ',';
		o = text_newline(o, w->depth);
	}
	if (key) {
		*o++ = '"';
		memcpy(o, key, klen);
		o += klen;
		memcpy(o, "\": ", 3);
		o += 3;
	}
	if (text)
		memcpy(o, text, tlen);
	text_done(w->out, o + tlen);
}

/* Start a member: key (NULL in an array or at the top) is written or remembered. */
static void jw_put(jw *w, const char *key, json_t *tree_value, const char *text)
{
	if (w->out) {
		text_member(w, key, text);
		return;
	}
	if (!w->depth)
		w->root = tree_value;
	else if (key)
		json_object_set_new(w->stack[w->depth - 1], key, tree_value);
	else
		json_array_append_new(w->stack[w->depth - 1], tree_value);
}

static void jw_str(jw *w, const char *key, const char *s)
{
	if (w->out) {
		jw_put(w, key, NULL, NULL);
		text_string(w->out, s);
	} else {
		jw_put(w, key, jstr(s), NULL);
	}
}

static void jw_bool(jw *w, const char *key, bool b)
{
	jw_put(w, key, w->out ? NULL : json_boolean(b), b ? "true" : "false");
}

static void jw_null(jw *w, const char *key)
{
	jw_put(w, key, w->out ? NULL : json_null(), "null");
}

static void jw_open(jw *w, const char *key, bool object)
{
	json_t *v = NULL;

	if (w->depth >= JW_MAX_DEPTH)
		sd_die("json_write: nesting deeper than %d", JW_MAX_DEPTH);
	if (!w->out)
		v = object ? json_object() : json_array();
	jw_put(w, key, v, object ? "{" : "[");
	w->first[w->depth] = true;
	w->stack[w->depth] = v;
	w->depth++;
}

static void jw_close(jw *w, bool object)
{
	bool empty = w->first[--w->depth];
	char *o;

	if (!w->out)
		return;
	o = text_room(w->out, 2 + TEXT_MAX_INDENT);
	if (!empty)
		o = text_newline(o, w->depth);
	*o++ = object ? '}' : ']';
	text_done(w->out, o);
}

/* obj[key] = s, when s is set. */
static void set_str(jw *w, const char *key, const char *s)
{
	if (s)
		jw_str(w, key, s);
}

static void set_true(jw *w, const char *key, bool b)
{
	if (b)
		jw_bool(w, key, true);
}

static void names(jw *w, const char *key, const char *const *arr, size_t n)
{
	jw_open(w, key, false);
	for (size_t i = 0; i < n; i++)
		jw_str(w, NULL, arr[i]);
	jw_close(w, false);
}

/* ---- the shape of the file ---- */

static void w_column(jw *w, const char *key, const sd_column *c)
{
	jw_open(w, key, true);
	set_str(w, "name", c->name);
	if (c->type)
		jw_str(w, "type", c->type);
	else
		jw_null(w, "type");
	jw_bool(w, "nullable", c->nullable);
	set_str(w, "default", c->server_default);
	if (c->autoincrement != SD_AUTOINC_AUTO)
		jw_bool(w, "autoincrement", c->autoincrement == SD_AUTOINC_TRUE);
	if (c->generated) {
		jw_open(w, "generated", true);
		set_str(w, "expression", c->generated);
		set_true(w, "stored", c->generated_stored);
		jw_close(w, true);
	}
	set_str(w, "collation", c->collation);
	set_str(w, "comment", c->comment);
	set_str(w, "identity", c->identity);
	jw_close(w, true);
}

static void w_pk(jw *w, const char *key, const sd_primary_key *pk)
{
	jw_open(w, key, true);
	set_str(w, "name", pk->name);
	names(w, "columns", pk->columns, pk->ncolumns);
	jw_close(w, true);
}

static void w_unique(jw *w, const char *key, const sd_unique *u)
{
	jw_open(w, key, true);
	set_str(w, "name", u->name);
	names(w, "columns", u->columns, u->ncolumns);
	set_true(w, "nulls_not_distinct", u->nulls_not_distinct);
	jw_close(w, true);
}

static void w_fk(jw *w, const char *key, const sd_foreign_key *fk)
{
	jw_open(w, key, true);
	set_str(w, "name", fk->name);
	names(w, "columns", fk->columns, fk->ncolumns);
	set_str(w, "referred_schema", fk->ref_schema);
	set_str(w, "referred_table", fk->ref_table);
	names(w, "referred_columns", fk->ref_columns, fk->nref_columns);
	set_str(w, "on_delete", fk->on_delete);
	set_str(w, "on_update", fk->on_update);
	set_true(w, "deferrable", fk->deferrable);
	if (fk->initially_deferred)
		jw_str(w, "initially", "DEFERRED");
	set_str(w, "match", fk->match);
	set_true(w, "not_valid", fk->not_valid);
	jw_close(w, true);
}

static void w_check(jw *w, const char *key, const sd_check *c)
{
	jw_open(w, key, true);
	set_str(w, "name", c->name);
	set_str(w, "expression", c->expression);
	set_true(w, "not_valid", c->not_valid);
	jw_close(w, true);
}

static void w_index_elem(jw *w, const sd_index_elem *e)
{
	if (e->column && !e->expression && !e->desc && !e->collation && !e->nulls && !e->opclass) {
		jw_str(w, NULL, e->column);
		return;
	}
	jw_open(w, NULL, true);
	set_str(w, "column", e->column);
	set_str(w, "expression", e->expression);
	set_true(w, "desc", e->desc);
	set_str(w, "collation", e->collation);
	if (e->nulls)
		jw_str(w, "nulls", sd_strcasecmp(e->nulls, "FIRST") == 0 ? "first" : "last");
	set_str(w, "opclass", e->opclass);
	jw_close(w, true);
}

static void w_index(jw *w, const char *key, const sd_index *ix)
{
	jw_open(w, key, true);
	set_str(w, "name", ix->name);
	set_true(w, "unique", ix->unique);
	jw_open(w, "columns", false);
	for (size_t i = 0; i < ix->nelems; i++)
		w_index_elem(w, ix->elems[i]);
	jw_close(w, false);
	set_str(w, "where", ix->where);
	set_str(w, "method", ix->method);
	if (ix->ninclude)
		names(w, "include", ix->include, ix->ninclude);
	set_true(w, "nulls_not_distinct", ix->nulls_not_distinct);
	jw_close(w, true);
}

/* obj[key] = [fn(items[0]), ...], omitted when empty. */
#define SET_LIST(w, key, items, n, fn)                           \
	do {                                                     \
		if ((n) > 0) {                                   \
			jw_open((w), (key), false);              \
			for (size_t i_ = 0; i_ < (n); i_++)      \
				fn((w), NULL, (items)[i_]);      \
			jw_close((w), false);                    \
		}                                                \
	} while (0)

static void w_table(jw *w, const char *key, const sd_table *t)
{
	jw_open(w, key, true);
	set_str(w, "name", t->name);
	set_str(w, "schema", t->schema);
	set_str(w, "comment", t->comment);
	jw_open(w, "columns", false);  /* required, even when empty */
	for (size_t i = 0; i < t->ncolumns; i++)
		w_column(w, NULL, t->columns[i]);
	jw_close(w, false);
	if (t->pk)
		w_pk(w, "primary_key", t->pk);
	SET_LIST(w, "unique_constraints", t->uniques, t->nuniques, w_unique);
	SET_LIST(w, "foreign_keys", t->fks, t->nfks, w_fk);
	SET_LIST(w, "check_constraints", t->checks, t->nchecks, w_check);
	SET_LIST(w, "indexes", t->indexes, t->nindexes, w_index);
	set_true(w, "without_rowid", t->without_rowid);
	set_true(w, "strict", t->strict);
	jw_close(w, true);
}

static void w_view(jw *w, const char *key, const sd_view *v)
{
	jw_open(w, key, true);
	set_str(w, "name", v->name);
	set_str(w, "schema", v->schema);
	set_str(w, "definition", v->definition);
	set_true(w, "materialized", v->materialized);
	jw_close(w, true);
}

static void w_enum(jw *w, const char *key, const sd_enum *e)
{
	jw_open(w, key, true);
	set_str(w, "name", e->name);
	set_str(w, "schema", e->schema);
	names(w, "values", e->values, e->nvalues);
	jw_close(w, true);
}

static void w_sequence(jw *w, const char *key, const sd_sequence *q)
{
	jw_open(w, key, true);
	set_str(w, "name", q->name);
	set_str(w, "schema", q->schema);
	set_str(w, "type", q->type);
	set_str(w, "start", q->start);
	set_str(w, "increment", q->increment);
	set_str(w, "min", q->min);
	set_str(w, "max", q->max);
	set_str(w, "cache", q->cache);
	set_true(w, "cycle", q->cycle);
	set_str(w, "owned_by", q->owned_by);
	jw_close(w, true);
}

static void w_trigger(jw *w, const char *key, const sd_trigger *tr)
{
	jw_open(w, key, true);
	set_str(w, "name", tr->name);
	set_str(w, "schema", tr->schema);
	set_str(w, "table", tr->table);
	set_str(w, "sql", tr->sql);
	jw_close(w, true);
}

static void w_schema(jw *w, const char *key, const sd_schema *s)
{
	jw_open(w, key, true);
	jw_str(w, "format", "schemadiff/1");
	set_str(w, "dialect", s->dialect);
	jw_open(w, "tables", false);  /* required, even when empty */
	for (size_t i = 0; i < s->ntables; i++)
		w_table(w, NULL, s->tables[i]);
	jw_close(w, false);
	SET_LIST(w, "views", s->views, s->nviews, w_view);
	SET_LIST(w, "triggers", s->triggers, s->ntriggers, w_trigger);
	SET_LIST(w, "enums", s->enums, s->nenums, w_enum);
	SET_LIST(w, "sequences", s->sequences, s->nsequences, w_sequence);
	jw_close(w, true);
}

/* ---- the public writers ---- */

/* sd_json_from_X(p): the tree writer run over w_X. */
#define TREE_WRITER(X, T)                                  \
	json_t *sd_json_from_##X(const T *p)               \
	{                                                  \
		jw w;                                      \
		memset(&w, 0, sizeof(w));                  \
		w_##X(&w, NULL, p);                        \
		return w.root;                             \
	}

TREE_WRITER(column, sd_column)
TREE_WRITER(pk, sd_primary_key)
TREE_WRITER(unique, sd_unique)
TREE_WRITER(fk, sd_foreign_key)
TREE_WRITER(check, sd_check)
TREE_WRITER(index, sd_index)
TREE_WRITER(table, sd_table)
TREE_WRITER(view, sd_view)
TREE_WRITER(enum, sd_enum)
TREE_WRITER(sequence, sd_sequence)
TREE_WRITER(trigger, sd_trigger)
TREE_WRITER(schema, sd_schema)

void sd_schema_to_json(sd_str *out, const sd_schema *s)
{
	jw w;

	memset(&w, 0, sizeof(w));
	w.out = out;
	w_schema(&w, NULL, s);
	sd_str_addch(out, '\n');
}
