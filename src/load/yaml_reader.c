/*
 * yaml_reader.c - YAML schema files: libyaml's event parser as an event
 * source for the one schema-file walker in schema_load.c (see
 * yaml_reader.h for what is checked where).
 *
 * Pass one (sd_yaml_reader_open) runs yaml_parser_parse over the document
 * and appends compact events: scalars resolved to jsonr token types with
 * their text copied into one buffer, keys marked as keys, aliases as a
 * reference to the anchored node's event range.  Pass two (the loader's
 * next() calls) walks that list with a stack of frames; an alias pushes a
 * frame over its anchor's events, so nothing is copied and the expansion
 * costs only what the loader reads, which pass one has bounded.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "schemadiff/arena.h"
#include "schemadiff/hmap.h"
#include "schemadiff/schemafile.h"
#include "load/yaml_reader.h"

#define NONE SIZE_MAX
#define EV_ALIAS 100               /* besides the jsonr_type values */
#define EV_MERGE 101               /* a merge key's value: key/value pairs to replay */
#define MAX_DEPTH 512              /* nesting, as for JSON */
/*
 * Bounded alias expansion: the document with every alias expanded may have
 * at most EXPANSION_BASE + EXPANSION_FACTOR * (events written) events.  A
 * hand-written file with shared column templates stays far below; a
 * "billion laughs" document (each level aliasing the one before ten times)
 * passes it within a few levels.
 */
#define EXPANSION_BASE 100000
#define EXPANSION_FACTOR 10

#define CORE_TAG "tag:yaml.org,2002:"

typedef struct yr_event {
	int type;                  /* a jsonr_type, EV_ALIAS or EV_MERGE */
	int vtype;                 /* keys: the type the scalar resolves to as a value */
	int style;                 /* JSONR_STYLE_* */
	int line, col;             /* 1-based line, 0-based column */
	size_t str, len;           /* scalars and keys: text in strs (NUL-terminated) */
	size_t a_start, a_end;     /* EV_ALIAS: the anchored node's events;
	                              EV_MERGE: pairs ranges[a_start..a_start + a_end) */
	size_t match;              /* OBJECT, ARRAY: the index of the matching end */
} yr_event;

typedef struct yr_frame {
	size_t start, at, end;     /* events [start, end), next at */
	int line, col;             /* an alias's position for its replayed events (line 0: none) */
} yr_frame;

struct sd_yaml_reader {
	yr_event *evs;
	size_t nevs, evs_alloc;
	sd_str strs;
	size_t *ranges;            /* merged key/value pairs: event ranges [2i, 2i+1) */
	size_t nranges, ranges_alloc;
	yr_frame *frames;
	size_t nframes, frames_alloc;
	int empty;
};

/* ---- pass one: parse ------------------------------------------------------ */

typedef struct yr_anchor {
	size_t start, end;         /* events */
	size_t size;               /* events with its aliases expanded */
} yr_anchor;

/* A merge key's source: the mapping anchored at events [start, end). */
typedef struct yr_merge {
	size_t ev;                 /* its EV_MERGE event */
	size_t start, end;
} yr_merge;

typedef struct yr_open {
	bool map;
	bool merge_value;          /* mapping: the next value is a merge key's */
	bool merge_seq;            /* a sequence of merge sources (no events) */
	yr_merge *merges;          /* mapping: merge sources, in order */
	size_t nmerges, merges_alloc;
	size_t start;              /* its start event */
	size_t total_at;           /* the expanded count at its start */
	const char *anchor;        /* in the arena, or NULL */
	bool key_next;             /* mapping: the next node is a key */
	sd_hmap keys;              /* mapping: keys seen */
} yr_open;

typedef struct yr_parse {
	sd_yaml_reader *r;
	const char *text;
	size_t len;
	const char *name;
	sd_error *err;
	sd_arena *arena;
	sd_hmap anchors;           /* name -> yr_anchor */
	yr_open *open;
	size_t nopen, open_alloc;
	size_t total;              /* events so far with aliases expanded */
} yr_parse;

/* Byte offset of 1-based line, 0-based character column col (clamped to the text). */
static size_t byte_at(const yr_parse *P, int line, int col)
{
	size_t i = 0;

	for (int l = 1; l < line && i < P->len; i++)
		if (P->text[i] == '\n')
			l++;
	for (; col > 0 && i < P->len && P->text[i] != '\n'; col--) {
		i++;
		while (i < P->len && ((unsigned char)P->text[i] & 0xC0) == 0x80)
			i++;
	}
	return i;
}

static int fail(yr_parse *P, int line, int col, const char *hint, const char *fmt, ...) SD_PRINTF(5, 6);
static int fail(yr_parse *P, int line, int col, const char *hint, const char *fmt, ...)
{
	sd_str msg = SD_STR_INIT;
	bool fresh = P->err && P->err->code == 0;
	va_list ap;

	va_start(ap, fmt);
	sd_str_vaddf(&msg, fmt, ap);
	va_end(ap);
	sd_error_set_at(P->err, SD_EINPUT, P->name, line, col + 1, NULL, "invalid YAML: %s", msg.ptr);
	if (fresh && hint)
		sd_error_set_hint(P->err, "%s", hint);
	sd_str_release(&msg);
	return SD_EINPUT;
}

static int fail_mark(yr_parse *P, yaml_mark_t m, const char *hint, const char *fmt, ...) SD_PRINTF(4, 5);
static int fail_mark(yr_parse *P, yaml_mark_t m, const char *hint, const char *fmt, ...)
{
	sd_str msg = SD_STR_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	sd_str_vaddf(&msg, fmt, ap);
	va_end(ap);
	rc = fail(P, (int)m.line + 1, (int)m.column, hint, "%s", msg.ptr);
	sd_str_release(&msg);
	return rc;
}

/* libyaml's error, with the context it names. */
static int parse_error(yr_parse *P, const yaml_parser_t *p)
{
	const char *problem = p->problem ? p->problem : "syntax error";
	sd_str msg = SD_STR_INIT;
	const char *hint = NULL;
	int line, col, rc;

	if (p->error == YAML_MEMORY_ERROR)
		sd_die("out of memory in the YAML parser");
	if (p->error == YAML_READER_ERROR) {
		size_t off = p->problem_offset < P->len ? p->problem_offset : P->len;
		line = 1;
		col = 0;
		for (size_t i = 0; i < off; i++) {
			if (P->text[i] == '\n') {
				line++;
				col = 0;
			} else if (((unsigned char)P->text[i] & 0xC0) != 0x80) {
				col++;
			}
		}
		if (p->problem_value != -1)
			sd_str_addf(&msg, "%s (byte 0x%02X)", problem, (unsigned)p->problem_value & 0xFF);
		else
			sd_str_add(&msg, problem);
		rc = fail(P, line, col, NULL, "%s", msg.ptr);
		sd_str_release(&msg);
		return rc;
	}
	line = (int)p->problem_mark.line + 1;
	col = (int)p->problem_mark.column;
	sd_str_add(&msg, problem);
	if (p->context) {
		if (p->context_mark.line != p->problem_mark.line ||
		    p->context_mark.column != p->problem_mark.column)
			sd_str_addf(&msg, " (%s at line %zu, column %zu)", p->context,
				    (size_t)p->context_mark.line + 1, (size_t)p->context_mark.column + 1);
		else
			sd_str_addf(&msg, " (%s)", p->context);
	}
	{
		size_t b = byte_at(P, line, col);
		if (b < P->len && P->text[b] == '\t')
			hint = "indent with spaces: YAML does not allow tabs in indentation";
	}
	rc = fail(P, line, col, hint, "%s", msg.ptr);
	sd_str_release(&msg);
	return rc;
}

static yr_event *add_event(yr_parse *P, int type, yaml_mark_t m)
{
	sd_yaml_reader *r = P->r;
	yr_event *e;

	SD_GROW(r->evs, r->nevs + 1, r->evs_alloc);
	e = &r->evs[r->nevs++];
	memset(e, 0, sizeof(*e));
	e->type = e->vtype = type;
	e->line = (int)m.line + 1;
	e->col = (int)m.column;
	e->str = NONE;
	return e;
}

/* Count n more expanded events; an error beyond the bound. */
static int expand(yr_parse *P, size_t n, yaml_mark_t m)
{
	size_t limit = EXPANSION_BASE + EXPANSION_FACTOR * P->r->nevs;

	if (n > limit || P->total > limit - n)
		return fail_mark(P, m, "a schema file may use aliases, but not to build an alias bomb",
				 "the document is too large with its aliases expanded "
				 "(more than %zu nodes)", limit);
	P->total += n;
	return 0;
}

static bool is_word(const char *s, size_t n, const char *const *words)
{
	for (; *words; words++)
		if (strlen(*words) == n && memcmp(s, *words, n) == 0)
			return true;
	return false;
}

static size_t digits(const char *s, size_t n, const char *set)
{
	size_t i = 0;

	while (i < n && strchr(set, s[i]) && s[i])
		i++;
	return i;
}

#define DEC "0123456789"

/* A plain scalar by the YAML 1.2 core schema. */
int sd_yaml_resolve_plain(const char *s, size_t n)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL", NULL };
	static const char *const trues[] = { "true", "True", "TRUE", NULL };
	static const char *const falses[] = { "false", "False", "FALSE", NULL };
	static const char *const infs[] = { ".inf", ".Inf", ".INF", NULL };
	static const char *const nans[] = { ".nan", ".NaN", ".NAN", NULL };
	size_t i = 0, d;

	if (is_word(s, n, nulls))
		return JSONR_NULL;
	if (is_word(s, n, trues))
		return JSONR_TRUE;
	if (is_word(s, n, falses))
		return JSONR_FALSE;
	if (is_word(s, n, nans))
		return JSONR_REAL;
	if (n > 2 && s[0] == '0' && s[1] == 'o' && digits(s + 2, n - 2, "01234567") == n - 2)
		return JSONR_INTEGER;
	if (n > 2 && s[0] == '0' && s[1] == 'x' &&
	    digits(s + 2, n - 2, DEC "abcdefABCDEF") == n - 2)
		return JSONR_INTEGER;
	if (n > 0 && (s[0] == '-' || s[0] == '+'))
		i = 1;
	if (is_word(s + i, n - i, infs))
		return JSONR_REAL;
	d = digits(s + i, n - i, DEC);
	if (d > 0 && i + d == n)
		return JSONR_INTEGER;
	/* [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
	i += d;
	if (i < n && s[i] == '.') {
		size_t f = digits(s + i + 1, n - i - 1, DEC);
		if (d == 0 && f == 0)
			return JSONR_STRING;
		i += 1 + f;
	} else if (d == 0) {
		return JSONR_STRING;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '-' || s[i] == '+'))
			i++;
		d = digits(s + i, n - i, DEC);
		if (d == 0)
			return JSONR_STRING;
		i += d;
	}
	return i == n ? JSONR_REAL : JSONR_STRING;
}

/* "!!str" for a core tag, else the tag. */
static void short_tag(const char *tag, sd_str *out)
{
	if (strncmp(tag, CORE_TAG, strlen(CORE_TAG)) == 0)
		sd_str_addf(out, "!!%s", tag + strlen(CORE_TAG));
	else
		sd_str_add(out, tag);
}

static int bad_tag(yr_parse *P, yaml_mark_t m, const char *tag)
{
	sd_str t = SD_STR_INIT;
	int rc;

	short_tag(tag, &t);
	rc = fail_mark(P, m, "a schema file knows the tags !!str, !!int, !!float, !!bool, !!null, "
		       "!!map and !!seq", "unsupported tag \"%s\"", t.ptr);
	sd_str_release(&t);
	return rc;
}

/* The token type of a scalar event (its tag honoured), or SD_EINPUT. */
static int scalar_type(yr_parse *P, const yaml_event_t *e, int *type)
{
	const char *tag = (const char *)e->data.scalar.tag;
	const char *s = (const char *)e->data.scalar.value;
	size_t n = e->data.scalar.length;
	int t;

	if (!tag) {
		*type = e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE ? sd_yaml_resolve_plain(s, n) :
			JSONR_STRING;
		return 0;
	}
	if (strcmp(tag, "!") == 0 || strcmp(tag, CORE_TAG "str") == 0) {
		*type = JSONR_STRING;
		return 0;
	}
	if (strncmp(tag, CORE_TAG, strlen(CORE_TAG)) != 0)
		return bad_tag(P, e->start_mark, tag);
	t = sd_yaml_resolve_plain(s, n);
	tag += strlen(CORE_TAG);
	if (strcmp(tag, "null") == 0 && t == JSONR_NULL)
		*type = t;
	else if (strcmp(tag, "bool") == 0 && (t == JSONR_TRUE || t == JSONR_FALSE))
		*type = t;
	else if (strcmp(tag, "int") == 0 && t == JSONR_INTEGER)
		*type = t;
	else if (strcmp(tag, "float") == 0 && (t == JSONR_INTEGER || t == JSONR_REAL))
		*type = JSONR_REAL;
	else if (strcmp(tag, "null") && strcmp(tag, "bool") && strcmp(tag, "int") &&
		 strcmp(tag, "float"))
		return bad_tag(P, e->start_mark, (const char *)e->data.scalar.tag);
	else
		return fail_mark(P, e->start_mark, NULL, "\"%.*s\" is not a valid !!%s",
				 (int)(n > 60 ? 60 : n), s, tag);
	return 0;
}

static yr_open *top(yr_parse *P)
{
	return P->nopen ? &P->open[P->nopen - 1] : NULL;
}

/* A key text at m in the current mapping: a duplicate is an error. */
static int key_seen(yr_parse *P, const char *s, size_t n, yaml_mark_t m)
{
	yr_open *o = top(P);
	const char *k;

	if (sd_hmap_get(&o->keys, s, n))
		return fail_mark(P, m, NULL, "duplicate key \"%.*s\"", (int)n, s);
	k = sd_arena_strndup(P->arena, s, n);
	sd_hmap_put(&o->keys, k, n, (void *)k);
	return 0;
}

/* Is the node about to come a mapping key?  Consumes the mapping's turn. */
static bool next_is_key(yr_parse *P)
{
	yr_open *o = top(P);
	bool key;

	if (!o || !o->map)
		return false;
	key = o->key_next;
	o->key_next = !key;
	return key;
}

static void anchor_set(yr_parse *P, const char *name, size_t start, size_t end, size_t size)
{
	yr_anchor *a = sd_hmap_gets(&P->anchors, name);

	if (!a) {
		a = sd_arena_alloc(P->arena, sizeof(*a));
		sd_hmap_puts(&P->anchors, sd_arena_strdup(P->arena, name), a);
	}
	a->start = start;
	a->end = end;
	a->size = size;
}

#define MERGE_WANTS "a merge key (<<) takes an alias of a mapping, or a list of them"

/* Is the node about to come (not a key) a merge source? */
static bool merging(const yr_parse *P)
{
	const yr_open *o = P->nopen ? &P->open[P->nopen - 1] : NULL;

	return o && ((o->map && o->merge_value) || o->merge_seq);
}

/* The anchor a, aliased at m, merged into the mapping being read. */
static int add_merge(yr_parse *P, const yr_anchor *a, yaml_mark_t m)
{
	yr_open *o = top(P);
	yr_event *ev;

	if (o->merge_seq)
		o = &P->open[P->nopen - 2];
	o->merge_value = false;
	if (P->r->evs[a->start].type != JSONR_OBJECT)
		return fail_mark(P, m, NULL, MERGE_WANTS);
	if (expand(P, a->size, m) < 0)
		return SD_EINPUT;
	ev = add_event(P, EV_MERGE, m);
	SD_GROW(o->merges, o->nmerges + 1, o->merges_alloc);
	o->merges[o->nmerges].ev = (size_t)(ev - P->r->evs);
	o->merges[o->nmerges].start = a->start;
	o->merges[o->nmerges].end = a->end;
	o->nmerges++;
	return 0;
}

static int on_scalar(yr_parse *P, const yaml_event_t *e)
{
	const char *s = (const char *)e->data.scalar.value;
	size_t n = e->data.scalar.length;
	bool key = next_is_key(P);
	yr_event *ev;
	int type = JSONR_STRING;

	if (memchr(s, '\0', n))
		return fail_mark(P, e->start_mark, NULL, "a string contains a NUL character");
	if (!key && merging(P))
		return fail_mark(P, e->start_mark, NULL, MERGE_WANTS);
	if (key && n == 2 && memcmp(s, "<<", 2) == 0 && !e->data.scalar.tag &&
	    e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		if (key_seen(P, s, n, e->start_mark) < 0)
			return SD_EINPUT;
		top(P)->merge_value = true;
		return 0;
	}
	if (scalar_type(P, e, &type) < 0)
		return SD_EINPUT;
	if (key && key_seen(P, s, n, e->start_mark) < 0)
		return SD_EINPUT;
	if (expand(P, 1, e->start_mark) < 0)
		return SD_EINPUT;
	ev = add_event(P, key ? JSONR_KEY : type, e->start_mark);
	ev->vtype = type;
	ev->style = e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE ? JSONR_STYLE_PLAIN :
		    e->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
		    e->data.scalar.style == YAML_FOLDED_SCALAR_STYLE ? JSONR_STYLE_BLOCK :
		    JSONR_STYLE_QUOTED;
	ev->str = P->r->strs.len;
	ev->len = n;
	sd_str_addn(&P->r->strs, s, n);
	sd_str_addch(&P->r->strs, '\0');
	if (e->data.scalar.anchor)
		anchor_set(P, (const char *)e->data.scalar.anchor, P->r->nevs - 1, P->r->nevs, 1);
	return 0;
}

static int on_alias(yr_parse *P, const yaml_event_t *e)
{
	const char *name = (const char *)e->data.alias.anchor;
	yr_anchor *a = sd_hmap_gets(&P->anchors, name);
	bool key = next_is_key(P);
	yr_event *ev;

	if (!a) {
		for (size_t i = 0; i < P->nopen; i++)
			if (P->open[i].anchor && strcmp(P->open[i].anchor, name) == 0)
				return fail_mark(P, e->start_mark, NULL,
						 "alias \"*%s\" refers to a node that contains it", name);
		return fail_mark(P, e->start_mark, NULL, "unknown anchor \"%s\" (an alias must follow "
				 "its anchor \"&%s\")", name, name);
	}
	if (key) {
		const yr_event *src = &P->r->evs[a->start];
		if (a->end - a->start != 1)
			return fail_mark(P, e->start_mark, NULL, "a mapping key must be a scalar");
		if (key_seen(P, P->r->strs.ptr + src->str, src->len, e->start_mark) < 0 ||
		    expand(P, 1, e->start_mark) < 0)
			return SD_EINPUT;
		ev = add_event(P, JSONR_KEY, e->start_mark);
		ev->vtype = src->vtype;
		ev->style = src->style;
		ev->str = src->str;
		ev->len = src->len;
		return 0;
	}
	if (merging(P))
		return add_merge(P, a, e->start_mark);
	if (expand(P, a->size, e->start_mark) < 0)
		return SD_EINPUT;
	ev = add_event(P, EV_ALIAS, e->start_mark);
	ev->a_start = a->start;
	ev->a_end = a->end;
	return 0;
}

static int on_start(yr_parse *P, const yaml_event_t *e, bool map)
{
	const char *tag = (const char *)(map ? e->data.mapping_start.tag : e->data.sequence_start.tag);
	const char *anchor = (const char *)(map ? e->data.mapping_start.anchor :
					    e->data.sequence_start.anchor);
	yr_open *o;

	bool merge_seq = false;

	if (next_is_key(P))
		return fail_mark(P, e->start_mark, NULL, "a mapping key must be a scalar");
	if (merging(P)) {
		if (map || top(P)->merge_seq)
			return fail_mark(P, e->start_mark, NULL, MERGE_WANTS);
		top(P)->merge_value = false;
		merge_seq = true;
	}
	if (tag && strcmp(tag, "!") != 0 && strcmp(tag, map ? CORE_TAG "map" : CORE_TAG "seq") != 0)
		return bad_tag(P, e->start_mark, tag);
	if (P->nopen >= MAX_DEPTH)
		return fail_mark(P, e->start_mark, NULL, "nesting too deep (more than %d levels)",
				 MAX_DEPTH);
	if (expand(P, 1, e->start_mark) < 0)
		return SD_EINPUT;
	SD_GROW(P->open, P->nopen + 1, P->open_alloc);
	o = &P->open[P->nopen++];
	memset(o, 0, sizeof(*o));
	o->map = map;
	o->merge_seq = merge_seq;
	sd_hmap_init(&o->keys);
	if (merge_seq)
		return 0;
	o->start = P->r->nevs;
	o->total_at = P->total - 1;
	o->anchor = anchor ? sd_arena_strdup(P->arena, anchor) : NULL;
	o->key_next = true;
	add_event(P, map ? JSONR_OBJECT : JSONR_ARRAY, e->start_mark);
	return 0;
}

/* The pair (key event k, its value) as a range: 1 past the value's end. */
static size_t pair_end(const sd_yaml_reader *r, size_t k)
{
	const yr_event *v = &r->evs[k + 1];

	return v->type == JSONR_OBJECT || v->type == JSONR_ARRAY ? v->match + 1 : k + 2;
}

/* Pair [k, end) from a merge source: kept unless its key is explicit or merged already. */
static void merge_pair(yr_parse *P, const yr_open *o, sd_hmap *merged, size_t k, size_t end)
{
	sd_yaml_reader *r = P->r;
	const char *key = r->strs.ptr + r->evs[k].str;
	size_t n = r->evs[k].len;

	if (sd_hmap_get(&o->keys, key, n) || sd_hmap_get(merged, key, n))
		return;
	sd_hmap_put(merged, key, n, (void *)key);
	SD_GROW(r->ranges, r->nranges + 2, r->ranges_alloc);
	r->ranges[r->nranges++] = k;
	r->ranges[r->nranges++] = end;
}

/*
 * The mapping o ends: its merge keys' pairs are known now.  Explicit keys
 * win over merged ones, earlier merge sources over later ones (YAML's merge
 * key type); each EV_MERGE event gets the pairs it contributes.
 */
static void resolve_merges(yr_parse *P, yr_open *o)
{
	sd_yaml_reader *r = P->r;
	sd_hmap merged;

	sd_hmap_init(&merged);
	for (size_t m = 0; m < o->nmerges; m++) {
		size_t first = r->nranges / 2;
		for (size_t i = o->merges[m].start + 1; i + 1 < o->merges[m].end;) {
			const yr_event *e = &r->evs[i];
			if (e->type == EV_MERGE) {
				for (size_t j = e->a_start; j < e->a_start + e->a_end; j++)
					merge_pair(P, o, &merged, r->ranges[2 * j], r->ranges[2 * j + 1]);
				i++;
				continue;
			}
			assert(e->type == JSONR_KEY);
			size_t end = pair_end(r, i);
			merge_pair(P, o, &merged, i, end);
			i = end;
		}
		r->evs[o->merges[m].ev].a_start = first;
		r->evs[o->merges[m].ev].a_end = r->nranges / 2 - first;
	}
	sd_hmap_release(&merged);
}

static int on_end(yr_parse *P, const yaml_event_t *e, bool map)
{
	yr_open *o = top(P);

	assert(o && o->map == map);
	if (o->merge_seq) {
		sd_hmap_release(&o->keys);
		P->nopen--;
		return 0;
	}
	if (o->nmerges)
		resolve_merges(P, o);
	free(o->merges);
	o->merges = NULL;
	if (expand(P, 1, e->start_mark) < 0)
		return SD_EINPUT;
	add_event(P, map ? JSONR_OBJECT_END : JSONR_ARRAY_END, e->start_mark);
	P->r->evs[o->start].match = P->r->nevs - 1;
	if (o->anchor)
		anchor_set(P, o->anchor, o->start, P->r->nevs, P->total - o->total_at);
	sd_hmap_release(&o->keys);
	P->nopen--;
	return 0;
}

int sd_yaml_reader_open(sd_yaml_reader **out, const char *text, size_t len, const char *name,
			sd_error *err)
{
	yr_parse P;
	yaml_parser_t p;
	yaml_event_t e;
	sd_yaml_reader *r = xcalloc(1, sizeof(*r));
	int ndocs = 0, rc = 0;
	bool finished = false;

	*out = NULL;
	memset(&P, 0, sizeof(P));
	P.r = r;
	P.text = text;
	P.len = len;
	P.name = name;
	P.err = err;
	P.arena = sd_arena_new();
	sd_hmap_init(&P.anchors);
	sd_str_init(&r->strs);
	if (!yaml_parser_initialize(&p))
		sd_die("out of memory in the YAML parser");
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	while (!finished && rc == 0) {
		if (!yaml_parser_parse(&p, &e)) {
			rc = parse_error(&P, &p);
			break;
		}
		switch (e.type) {
		case YAML_STREAM_END_EVENT:
			finished = true;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (ndocs++ > 0)
				rc = fail_mark(&P, e.start_mark, "a schema file is one document: "
					       "remove the \"---\" line, or split the file",
					       "more than one document in the file");
			break;
		case YAML_ALIAS_EVENT:
			rc = on_alias(&P, &e);
			break;
		case YAML_SCALAR_EVENT:
			rc = on_scalar(&P, &e);
			break;
		case YAML_SEQUENCE_START_EVENT:
			rc = on_start(&P, &e, false);
			break;
		case YAML_SEQUENCE_END_EVENT:
			rc = on_end(&P, &e, false);
			break;
		case YAML_MAPPING_START_EVENT:
			rc = on_start(&P, &e, true);
			break;
		case YAML_MAPPING_END_EVENT:
			rc = on_end(&P, &e, true);
			break;
		default:
			break;
		}
		yaml_event_delete(&e);
	}
	yaml_parser_delete(&p);
	for (size_t i = 0; i < P.nopen; i++) {
		sd_hmap_release(&P.open[i].keys);
		free(P.open[i].merges);
	}
	free(P.open);
	sd_hmap_release(&P.anchors);
	sd_arena_free(P.arena);
	if (rc < 0) {
		sd_yaml_reader_free(r);
		return rc;
	}
	r->empty = ndocs == 0;
	SD_GROW(r->frames, 1, r->frames_alloc);
	r->frames[0].start = r->frames[0].at = 0;
	r->frames[0].end = r->nevs;
	r->frames[0].line = r->frames[0].col = 0;
	r->nframes = 1;
	*out = r;
	return 0;
}

int sd_yaml_reader_empty(const sd_yaml_reader *r)
{
	return r->empty;
}

void sd_yaml_reader_free(sd_yaml_reader *r)
{
	if (!r)
		return;
	free(r->evs);
	free(r->ranges);
	free(r->frames);
	sd_str_release(&r->strs);
	free(r);
}

/* ---- pass two: the event source ------------------------------------------ */

static jsonr_type yr_next(void *ctx, jsonr_token *tok)
{
	sd_yaml_reader *r = ctx;

	for (;;) {
		yr_frame *f;
		const yr_event *e;

		if (r->nframes == 0) {
			memset(tok, 0, sizeof(*tok));
			tok->type = JSONR_EOF;
			tok->line = r->nevs ? r->evs[r->nevs - 1].line : 1;
			return JSONR_EOF;
		}
		f = &r->frames[r->nframes - 1];
		if (f->at == f->end) {
			r->nframes--;
			continue;
		}
		e = &r->evs[f->at++];
		if (e->type == EV_MERGE) {
			/* Push the pairs last first, so the first is read first. */
			int line = f->line ? f->line : e->line, col = f->line ? f->col : e->col;
			SD_GROW(r->frames, r->nframes + e->a_end, r->frames_alloc);
			for (size_t j = e->a_start + e->a_end; j-- > e->a_start;) {
				yr_frame *nf = &r->frames[r->nframes++];
				nf->start = nf->at = r->ranges[2 * j];
				nf->end = r->ranges[2 * j + 1];
				nf->line = line;
				nf->col = col;
			}
			continue;
		}
		if (e->type == EV_ALIAS) {
			yr_frame nf;
			nf.start = nf.at = e->a_start;
			nf.end = e->a_end;
			nf.line = f->line ? f->line : e->line;
			nf.col = f->line ? f->col : e->col;
			SD_GROW(r->frames, r->nframes + 1, r->frames_alloc);
			r->frames[r->nframes++] = nf;
			continue;
		}
		/* An anchored key replayed as a value is that value. */
		tok->type = (jsonr_type)(e->type == JSONR_KEY && f->end - f->start == 1 && f->line ?
					 e->vtype : e->type);
		tok->str = e->str == NONE ? NULL : r->strs.ptr + e->str;
		tok->len = e->len;
		tok->line = f->line ? f->line : e->line;
		tok->off = (size_t)(f->line ? f->col : e->col);
		tok->style = e->str == NONE ? JSONR_STYLE_JSON : e->style;
		return tok->type;
	}
}

static const char *yr_error(void *ctx, sd_sl_pos *at)
{
	(void)ctx;
	at->off = 0;
	at->line = 0;
	return "internal error: the YAML events were checked when read";
}

static int yr_column(void *ctx, sd_sl_pos p)
{
	(void)ctx;
	return (int)p.off + 1;
}

const sd_sl_source_ops sd_yaml_source = {
	"YAML", yr_next, yr_error, yr_column, NULL
};

/* ---- schema files ----------------------------------------------------------- */

int sd_schema_from_yaml(sd_schema **out, const char *text, size_t len, const char *name,
			sd_error *err)
{
	sd_yaml_reader *r = NULL;
	sd_schema_loader L;
	sd_schema *s = NULL;
	int rc;

	*out = NULL;
	if (!name)
		name = "<input>";
	rc = sd_yaml_reader_open(&r, text, len, name, err);
	if (rc < 0)
		goto done;
	if (sd_yaml_reader_empty(r)) {
		rc = sd_error_set_at(err, SD_EINPUT, name, 0, 0, NULL,
				     "empty file: expected a YAML mapping");
		goto done;
	}
	s = sd_schema_new(NULL, name);
	sd_sl_init_source(&L, s, &sd_yaml_source, r, name, err);
	if (sd_sl_mentions_names(text, len)) {
		sd_yaml_reader *pre = NULL;

		if (sd_yaml_reader_open(&pre, text, len, name, NULL) == 0)
			L.fold = sd_sl_prescan_fold(&sd_yaml_source, pre);
		sd_yaml_reader_free(pre);
	}
	rc = sd_sl_read_document(&L);
	sd_sl_release(&L);
	if (rc < 0)
		goto done;
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
	sd_yaml_reader_free(r);
	return rc;
}

int sd_schema_load_yaml_file(sd_schema **out, const char *path, sd_error *err)
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
	rc = sd_schema_from_yaml(out, text, len, path, err);
done:
	free(text);
	return rc;
}
