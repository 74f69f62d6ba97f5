/*
 * revfile.c - read one Alembic revision file without running Python.
 *
 * A first pass marks which bytes are code (not inside a string literal or a
 * comment), so that text in the docstring or in comments never counts.  A
 * PCRE2 pattern then finds the module-level (column 0) assignments, and a
 * small hand-written parser reads each value as a Python literal.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <string.h>

#include "schemadiff/util.h"
#include "revision_int.h"

enum which { W_REVISION, W_DOWN, W_LABELS, W_DEPENDS, W_COUNT };

static const char *const names[W_COUNT] = {
	[W_REVISION] = "revision",
	[W_DOWN] = "down_revision",
	[W_LABELS] = "branch_labels",
	[W_DEPENDS] = "depends_on",
};

/* Mark code bytes: mask[i] = 1 when src[i] is outside strings and comments. */
static void mark_code(const char *src, size_t len, char *mask)
{
	size_t i = 0;

	while (i < len) {
		char c = src[i];

		if (c == '#') {
			while (i < len && src[i] != '\n')
				mask[i++] = 0;
			continue;
		}
		if (c == '\'' || c == '"') {
			bool triple = i + 2 < len && src[i + 1] == c && src[i + 2] == c;
			size_t q = triple ? 3 : 1;
			size_t k;

			for (k = 0; k < q; k++)
				mask[i++] = 0;
			while (i < len) {
				if (src[i] == '\\' && i + 1 < len) {
					mask[i++] = 0;
					mask[i++] = 0;
					continue;
				}
				if (!triple && src[i] == '\n')
					break; /* unterminated: stop at the line end */
				if (src[i] == c && (!triple ||
				    (i + 2 < len && src[i + 1] == c && src[i + 2] == c))) {
					for (k = 0; k < q; k++)
						mask[i++] = 0;
					break;
				}
				mask[i++] = 0;
			}
			continue;
		}
		mask[i++] = 1;
	}
}

static int line_of(const char *src, size_t pos)
{
	int line = 1;
	size_t i;

	for (i = 0; i < pos; i++)
		if (src[i] == '\n')
			line++;
	return line;
}

/* The value parser's cursor. */
struct cur {
	const char *src;
	size_t len;
	size_t pos;
};

/* Skip spaces and tabs, and backslash-newline continuations. */
static void skip_blank(struct cur *c)
{
	while (c->pos < c->len) {
		char ch = c->src[c->pos];

		if (ch == ' ' || ch == '\t' || ch == '\f')
			c->pos++;
		else if (ch == '\\' && c->pos + 1 < c->len && c->src[c->pos + 1] == '\n')
			c->pos += 2;
		else if (ch == '\\' && c->pos + 2 < c->len && c->src[c->pos + 1] == '\r' &&
			 c->src[c->pos + 2] == '\n')
			c->pos += 3;
		else
			break;
	}
}

/* Inside brackets: also newlines and comments. */
static void skip_space_nl(struct cur *c)
{
	for (;;) {
		skip_blank(c);
		if (c->pos >= c->len)
			return;
		if (c->src[c->pos] == '\n' || c->src[c->pos] == '\r') {
			c->pos++;
		} else if (c->src[c->pos] == '#') {
			while (c->pos < c->len && c->src[c->pos] != '\n')
				c->pos++;
		} else {
			return;
		}
	}
}

static bool is_ident_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '_' || (unsigned char)ch >= 0x80;
}

/* Is a string literal (with an optional r/u prefix) at the cursor? */
static bool at_string(const struct cur *c)
{
	size_t p = c->pos;

	if (p < c->len && strchr("rRuU", c->src[p]) && c->src[p] != '\0')
		p++;
	return p < c->len && (c->src[p] == '\'' || c->src[p] == '"');
}

/*
 * Read one string literal (plus implicitly concatenated ones: 'a' 'b').
 * Returns 0 and appends the value to out, or -1 (cursor left at the fault).
 */
static int read_string(struct cur *c, sd_str *out)
{
	bool any = false;

	while (at_string(c)) {
		bool raw = false;
		char q;
		bool triple;

		if (c->src[c->pos] == 'r' || c->src[c->pos] == 'R')
			raw = true;
		if (c->src[c->pos] != '\'' && c->src[c->pos] != '"')
			c->pos++;
		q = c->src[c->pos];
		triple = c->pos + 2 < c->len && c->src[c->pos + 1] == q && c->src[c->pos + 2] == q;
		c->pos += triple ? 3 : 1;
		for (;;) {
			char ch;

			if (c->pos >= c->len)
				return -1;
			ch = c->src[c->pos];
			if (ch == '\n' && !triple)
				return -1;
			if (ch == q && (!triple || (c->pos + 2 < c->len &&
			    c->src[c->pos + 1] == q && c->src[c->pos + 2] == q))) {
				c->pos += triple ? 3 : 1;
				break;
			}
			if (ch == '\\' && c->pos + 1 < c->len) {
				char e = c->src[c->pos + 1];

				c->pos += 2;
				if (raw) {
					sd_str_addch(out, '\\');
					sd_str_addch(out, e);
					continue;
				}
				switch (e) {
				case '\\': sd_str_addch(out, '\\'); break;
				case '\'': sd_str_addch(out, '\''); break;
				case '"': sd_str_addch(out, '"'); break;
				case 'n': sd_str_addch(out, '\n'); break;
				case 't': sd_str_addch(out, '\t'); break;
				case 'r': sd_str_addch(out, '\r'); break;
				case '\n': break; /* line continuation inside the string */
				default:
					/* Python keeps unknown escapes as written. */
					sd_str_addch(out, '\\');
					sd_str_addch(out, e);
					break;
				}
				continue;
			}
			sd_str_addch(out, ch);
			c->pos++;
		}
		any = true;
		skip_blank(c);
	}
	return any ? 0 : -1;
}

/* After the value: only blanks, a comment, ';' or the line end may follow. */
static bool at_statement_end(struct cur *c)
{
	skip_blank(c);
	return c->pos >= c->len || c->src[c->pos] == '\n' || c->src[c->pos] == '\r' ||
	       c->src[c->pos] == '#' || c->src[c->pos] == ';';
}

/*
 * Parse a value: None, a string, or (when !string_only) a tuple/list of
 * strings, parenthesised or bare ('a', 'b').  Items are appended to
 * (*items, *n) in arena a; None gives n = 0 and *is_none.
 */
static int parse_value(struct cur *c, sd_arena *a, bool string_only,
		       const char ***items, size_t *n, bool *is_none)
{
	sd_str s = SD_STR_INIT;
	int rc = -1;

	*is_none = false;
	skip_blank(c);
	if (c->pos + 4 <= c->len && memcmp(c->src + c->pos, "None", 4) == 0 &&
	    (c->pos + 4 == c->len || !is_ident_char(c->src[c->pos + 4]))) {
		c->pos += 4;
		*is_none = true;
		rc = at_statement_end(c) ? 0 : -1;
		goto done;
	}
	if (at_string(c)) {
		if (read_string(c, &s) < 0)
			goto done;
		sd_arena_push(a, (void ***)items, n, sd_arena_strdup(a, s.ptr));
		skip_blank(c);
		if (!string_only && c->pos < c->len && c->src[c->pos] == ',') {
			/* A bare tuple: 'a', 'b' on one logical line. */
			while (c->pos < c->len && c->src[c->pos] == ',') {
				c->pos++;
				skip_blank(c);
				if (!at_string(c))
					break;
				sd_str_reset(&s);
				if (read_string(c, &s) < 0)
					goto done;
				sd_arena_push(a, (void ***)items, n, sd_arena_strdup(a, s.ptr));
				skip_blank(c);
			}
		}
		rc = at_statement_end(c) ? 0 : -1;
		goto done;
	}
	if (!string_only && c->pos < c->len && (c->src[c->pos] == '(' || c->src[c->pos] == '[')) {
		char close = c->src[c->pos] == '(' ? ')' : ']';

		c->pos++;
		for (;;) {
			skip_space_nl(c);
			if (c->pos < c->len && c->src[c->pos] == close) {
				c->pos++;
				break;
			}
			if (!at_string(c))
				goto done;
			sd_str_reset(&s);
			/* Implicit concatenation may span lines inside brackets. */
			for (;;) {
				if (read_string(c, &s) < 0)
					goto done;
				skip_space_nl(c);
				if (!at_string(c))
					break;
			}
			sd_arena_push(a, (void ***)items, n, sd_arena_strdup(a, s.ptr));
			if (c->pos < c->len && c->src[c->pos] == ',') {
				c->pos++;
				continue;
			}
			if (c->pos < c->len && c->src[c->pos] == close) {
				c->pos++;
				break;
			}
			goto done;
		}
		rc = at_statement_end(c) ? 0 : -1;
		goto done;
	}
done:
	sd_str_release(&s);
	return rc;
}

static pcre2_code *assign_re(void)
{
	/* Compiled once per process; never freed (like a static table). */
	static pcre2_code *re;

	if (!re) {
		int errcode;
		PCRE2_SIZE erroff;

		re = pcre2_compile((PCRE2_SPTR)
			"^(revision|down_revision|branch_labels|depends_on)"
			"[ \\t]*(?::[^=\\n]*)?=(?!=)",
			PCRE2_ZERO_TERMINATED, PCRE2_MULTILINE, &errcode, &erroff, NULL);
		if (!re)
			sd_die("internal error: revision pattern does not compile (%d)", errcode);
	}
	return re;
}

int sd_revision_parse(sd_revgraph *g, const char *path, const char *src,
		      sd_revision **out, sd_error *err)
{
	sd_arena *a = g->priv->arena;
	size_t len = strlen(src);
	char *mask = xmalloc(len + 1);
	pcre2_match_data *md = NULL;
	sd_revnode *node = NULL;
	sd_revision *rev;
	bool seen[W_COUNT] = { false };
	PCRE2_SIZE start = 0;
	int rc = SD_EINPUT;

	mark_code(src, len, mask);
	node = sd_arena_alloc(a, sizeof(*node));
	rev = &node->pub;
	rev->path = sd_arena_strdup(a, path);
	md = pcre2_match_data_create_from_pattern(assign_re(), NULL);

	while (start <= len) {
		int m = pcre2_match(assign_re(), (PCRE2_SPTR)src, len, start, 0, md, NULL);
		PCRE2_SIZE *ov;
		enum which w;
		struct cur c;
		const char **items = NULL;
		size_t n = 0;
		bool is_none;
		int line;

		if (m < 0)
			break;
		ov = pcre2_get_ovector_pointer(md);
		start = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
		if (!mask[ov[0]])
			continue; /* inside the docstring or another string */
		for (w = 0; w < W_COUNT; w++)
			if (ov[3] - ov[2] == strlen(names[w]) &&
			    memcmp(src + ov[2], names[w], ov[3] - ov[2]) == 0)
				break;
		line = line_of(src, ov[0]);
		c.src = src;
		c.len = len;
		c.pos = ov[1];
		if (parse_value(&c, a, w == W_REVISION, &items, &n, &is_none) < 0 ||
		    (w == W_REVISION && (is_none || n != 1))) {
			sd_error_set_at(err, SD_EINPUT, path, line_of(src, c.pos < len ? c.pos : len),
					0, names[w], "%s",
					w == W_REVISION ? "expected a string" :
					"expected None, a string or a tuple of strings");
			goto done;
		}
		seen[w] = true;
		switch (w) {
		case W_REVISION:
			rev->id = items[0];
			rev->line = line;
			break;
		case W_DOWN:
			rev->down = items;
			rev->n_down = n;
			rev->down_line = line;
			break;
		case W_LABELS:
			rev->labels = items;
			rev->n_labels = n;
			rev->labels_line = line;
			break;
		case W_DEPENDS:
			rev->depends = items;
			rev->n_depends = n;
			rev->depends_line = line;
			break;
		case W_COUNT:
			break;
		}
	}
	if (!seen[W_REVISION]) {
		sd_error_set_at(err, SD_EINPUT, path, 0, 0, NULL,
				"no module-level 'revision = ...' assignment");
		goto done;
	}
	if (!seen[W_DOWN]) {
		sd_error_set_at(err, SD_EINPUT, path, 0, 0, NULL,
				"no module-level 'down_revision = ...' assignment");
		goto done;
	}
	*out = rev;
	rc = 0;
done:
	pcre2_match_data_free(md);
	free(mask);
	return rc;
}
