/*
 * jsonr.c - streaming JSON pull reader (see jsonr.h).
 *
 * A table-driven state machine: the stack says whether each open container
 * is an object or an array, the state says what may come next.  The hot
 * paths are blanks and plain ASCII strings; both are tight loops over the
 * buffer.  Escapes switch a string to the scratch buffer, where the part
 * before the first escape is copied once and the rest decoded.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schemadiff/util.h"
#include "load/jsonr.h"

enum {
	S_VALUE,        /* a value (top level, after ':' or after ',' in an array) */
	S_ARRAY_FIRST,  /* a value or ']' (after '[') */
	S_OBJECT_FIRST, /* a key or '}' (after '{') */
	S_KEY,          /* a key (after ',' in an object) */
	S_NEXT,         /* ',' or the end of the open container (after a value) */
	S_DONE          /* end of input (after the top-level value) */
};

/* Bytes in a string: 0 plain, 1 '"', 2 '\\', 3 control character, 4 non-ASCII. */
static const unsigned char str_class[256] = {
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
};

void jsonr_init(jsonr *r, const char *text, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->text = r->p = text;
	r->end = text + len;
	r->line = 1;
	r->state = S_VALUE;
}

void jsonr_seek(jsonr *r, size_t off, int line)
{
	r->p = r->text + off;
	r->line = line;
	r->depth = 0;
	r->state = S_VALUE;
}

void jsonr_release(jsonr *r)
{
	free(r->scratch);
	r->scratch = NULL;
	r->scratch_alloc = 0;
}

const char *jsonr_error(const jsonr *r, size_t *off, int *line)
{
	if (off)
		*off = r->err_off;
	if (line)
		*line = r->err_line;
	return r->msg;
}

int jsonr_column(const jsonr *r, size_t off)
{
	const char *at = r->text + off, *ls = at;
	int col = 1;

	while (ls > r->text && ls[-1] != '\n')
		ls--;
	for (; ls < at; ls++)
		if ((*ls & 0xC0) != 0x80)
			col++;  /* count UTF-8 lead bytes only: one per character */
	return col;
}

static jsonr_type fail(jsonr *r, const char *at, const char *fmt, ...) SD_PRINTF(3, 4);
static jsonr_type fail(jsonr *r, const char *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
	va_end(ap);
	r->err_off = (size_t)(at - r->text);
	r->err_line = r->line;
	r->p = r->end;
	r->state = -1;
	return JSONR_ERROR;
}

/* What sits at p, for "expected X, got Y". */
static const char *describe(const jsonr *r, const char *p, char *buf, size_t n)
{
	unsigned char c;

	if (p >= r->end)
		return "end of file";
	c = (unsigned char)*p;
	if (c >= 0x20 && c < 0x7F)
		snprintf(buf, n, "'%c'", c);
	else
		snprintf(buf, n, "byte 0x%02x", c);
	return buf;
}

static jsonr_type unexpected(jsonr *r, const char *what)
{
	char buf[16];

	return fail(r, r->p, "expected %s, got %s", what, describe(r, r->p, buf, sizeof(buf)));
}

/* Length of the valid UTF-8 sequence at p (RFC 3629), or 0. */
static size_t utf8_seq(const unsigned char *p, const unsigned char *end)
{
	unsigned c = p[0], lo = 0x80, hi = 0xBF;
	size_t n, i;

	if (c < 0xC2)
		return 0;            /* continuation byte or overlong lead */
	if (c < 0xE0) {
		n = 2;
	} else if (c < 0xF0) {
		n = 3;
		if (c == 0xE0)
			lo = 0xA0;       /* overlong */
		else if (c == 0xED)
			hi = 0x9F;       /* surrogates */
	} else if (c < 0xF5) {
		n = 4;
		if (c == 0xF0)
			lo = 0x90;       /* overlong */
		else if (c == 0xF4)
			hi = 0x8F;       /* above U+10FFFF */
	} else {
		return 0;
	}
	if ((size_t)(end - p) < n)
		return 0;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	return n;
}

static void scratch_reserve(jsonr *r, size_t need)
{
	if (need > r->scratch_alloc) {
		size_t a = r->scratch_alloc ? r->scratch_alloc : 256;
		while (a < need)
			a *= 2;
		r->scratch = xrealloc(r->scratch, a);
		r->scratch_alloc = a;
	}
}

static int hex4(const char *p, unsigned *out)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static size_t put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/*
 * The string whose opening quote is at r->p: sets tok->str/len and leaves
 * r->p after the closing quote.
 */
static jsonr_type read_string(jsonr *r, jsonr_token *tok, jsonr_type type)
{
	const unsigned char *start = (const unsigned char *)r->p + 1, *p = start;
	const unsigned char *end = (const unsigned char *)r->end;
	size_t o = 0;   /* bytes in scratch, once escaped */
	bool escaped = false;

	for (;;) {
		const unsigned char *run = p;
		size_t n;

		while (p < end && str_class[*p] == 0)
			p++;
		if (escaped && p > run) {
			scratch_reserve(r, o + (size_t)(p - run) + 1);
			memcpy(r->scratch + o, run, (size_t)(p - run));
			o += (size_t)(p - run);
		}
		if (p >= end)
			return fail(r, r->p, "unterminated string");
		switch (str_class[*p]) {
		case 1:  /* closing quote */
			if (escaped) {
				r->scratch[o] = '\0';
				tok->str = r->scratch;
				tok->len = o;
			} else {
				tok->str = (const char *)start;
				tok->len = (size_t)(p - start);
			}
			r->p = (const char *)p + 1;
			return type;
		case 3:
			return fail(r, (const char *)p, "control character 0x%02x in a string (write it as an escape)", *p);
		case 4:
			n = utf8_seq(p, end);
			if (n == 0)
				return fail(r, (const char *)p, "invalid UTF-8 byte 0x%02x in a string", *p);
			if (escaped) {
				scratch_reserve(r, o + n + 1);
				memcpy(r->scratch + o, p, n);
				o += n;
			}
			p += n;
			break;
		case 2: {
			unsigned cp;
			const unsigned char *esc = p;

			if (!escaped) {
				escaped = true;
				o = (size_t)(p - start);
				scratch_reserve(r, o + 8);
				memcpy(r->scratch, start, o);
			}
			scratch_reserve(r, o + 8);
			if (end - p < 2)
				return fail(r, r->p, "unterminated string");
			switch (p[1]) {
			case '"': r->scratch[o++] = '"'; p += 2; continue;
			case '\\': r->scratch[o++] = '\\'; p += 2; continue;
			case '/': r->scratch[o++] = '/'; p += 2; continue;
			case 'b': r->scratch[o++] = '\b'; p += 2; continue;
			case 'f': r->scratch[o++] = '\f'; p += 2; continue;
			case 'n': r->scratch[o++] = '\n'; p += 2; continue;
			case 'r': r->scratch[o++] = '\r'; p += 2; continue;
			case 't': r->scratch[o++] = '\t'; p += 2; continue;
			case 'u': break;
			default:
				if (p[1] >= 0x20 && p[1] < 0x7F)
					return fail(r, (const char *)esc, "invalid escape '\\%c' in a string", p[1]);
				return fail(r, (const char *)esc, "invalid escape in a string");
			}
			if (end - p < 6 || hex4((const char *)p + 2, &cp) < 0)
				return fail(r, (const char *)esc, "invalid \\u escape in a string (four hex digits expected)");
			p += 6;
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				unsigned lo;
				if (end - p < 6 || p[0] != '\\' || p[1] != 'u' ||
				    hex4((const char *)p + 2, &lo) < 0 || lo < 0xDC00 || lo > 0xDFFF)
					return fail(r, (const char *)esc,
						    "invalid \\u escape in a string: unpaired surrogate \\u%04X", cp);
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				p += 6;
			} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
				return fail(r, (const char *)esc,
					    "invalid \\u escape in a string: unpaired surrogate \\u%04X", cp);
			} else if (cp == 0) {
				return fail(r, (const char *)esc, "\\u0000 is not allowed in a string");
			}
			o += put_utf8(r->scratch + o, cp);
			break;
		}
		}
	}
}

static bool is_digit(const char *p, const char *end)
{
	return p < end && *p >= '0' && *p <= '9';
}

static bool is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '+' || c == '-';
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? at r->p. */
static jsonr_type read_number(jsonr *r, jsonr_token *tok)
{
	const char *p = r->p, *end = r->end;
	jsonr_type type = JSONR_INTEGER;

	if (*p == '-')
		p++;
	if (p < end && *p == '0') {
		p++;
	} else if (is_digit(p, end)) {
		while (is_digit(p, end))
			p++;
	} else {
		return fail(r, r->p, "invalid number");
	}
	if (p < end && *p == '.') {
		p++;
		if (!is_digit(p, end))
			return fail(r, r->p, "invalid number");
		while (is_digit(p, end))
			p++;
		type = JSONR_REAL;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (!is_digit(p, end))
			return fail(r, r->p, "invalid number");
		while (is_digit(p, end))
			p++;
		type = JSONR_REAL;
	}
	if (p < end && is_word(*p))
		return fail(r, r->p, "invalid number");
	tok->str = r->p;
	tok->len = (size_t)(p - r->p);
	r->p = p;
	return type;
}

/* A value starting at r->p (blanks skipped, not at the end). */
static jsonr_type read_value(jsonr *r, jsonr_token *tok, const char *expected)
{
	const char *p = r->p;
	size_t n;

	switch (*p) {
	case '{':
	case '[':
		if (r->depth >= JSONR_MAX_DEPTH)
			return fail(r, p, "nesting deeper than %d levels", JSONR_MAX_DEPTH);
		r->stack[r->depth++] = *p == '{';
		r->p = p + 1;
		r->state = *p == '{' ? S_OBJECT_FIRST : S_ARRAY_FIRST;
		return *p == '{' ? JSONR_OBJECT : JSONR_ARRAY;
	case '"':
		return read_string(r, tok, JSONR_STRING);
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return read_number(r, tok);
	case 't': case 'f': case 'n':
		for (n = 0; p + n < r->end && is_word(p[n]); n++)
			;
		r->p = p + n;
		if (n == 4 && memcmp(p, "true", 4) == 0)
			return JSONR_TRUE;
		if (n == 5 && memcmp(p, "false", 5) == 0)
			return JSONR_FALSE;
		if (n == 4 && memcmp(p, "null", 4) == 0)
			return JSONR_NULL;
		return fail(r, p, "invalid literal \"%.*s\"", n > 16 ? 16 : (int)n, p);
	default:
		return unexpected(r, expected);
	}
}

jsonr_type jsonr_next(jsonr *r, jsonr_token *tok)
{
	const char *p = r->p, *end = r->end;
	jsonr_type type;

	tok->str = NULL;
	tok->len = 0;
	if (r->state < 0) {
		tok->type = JSONR_ERROR;
		return JSONR_ERROR;
	}
again:
	while (p < end) {
		char c = *p;
		if (c == ' ' || c == '\t' || c == '\r') {
			p++;
		} else if (c == '\n') {
			r->line++;
			p++;
		} else {
			break;
		}
	}
	r->p = p;
	tok->off = (size_t)(p - r->text);
	tok->line = r->line;
	switch (r->state) {
	case S_DONE:
		type = p == end ? JSONR_EOF : unexpected(r, "end of file after the top-level value");
		break;
	case S_OBJECT_FIRST:
	case S_KEY:
		if (p < end && *p == '"') {
			type = read_string(r, tok, JSONR_KEY);
			if (type == JSONR_ERROR)
				break;
			p = r->p;
			while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
				r->line += *p++ == '\n';
			r->p = p;
			if (p >= end || *p != ':') {
				type = unexpected(r, "':'");
				break;
			}
			r->p = p + 1;
			r->state = S_VALUE;
			break;
		}
		if (r->state == S_OBJECT_FIRST && p < end && *p == '}') {
			r->p = p + 1;
			r->depth--;
			r->state = r->depth ? S_NEXT : S_DONE;
			type = JSONR_OBJECT_END;
			break;
		}
		type = unexpected(r, r->state == S_KEY ? "a string (an object key)" :
				  "a string (an object key) or '}'");
		break;
	case S_NEXT: {
		bool obj = r->stack[r->depth - 1];
		if (p < end && *p == ',') {
			p++;
			r->state = obj ? S_KEY : S_VALUE;
			goto again;
		}
		if (p < end && *p == (obj ? '}' : ']')) {
			r->p = p + 1;
			r->depth--;
			r->state = r->depth ? S_NEXT : S_DONE;
			type = obj ? JSONR_OBJECT_END : JSONR_ARRAY_END;
			break;
		}
		type = unexpected(r, obj ? "',' or '}'" : "',' or ']'");
		break;
	}
	case S_ARRAY_FIRST:
		if (p < end && *p == ']') {
			r->p = p + 1;
			r->depth--;
			r->state = r->depth ? S_NEXT : S_DONE;
			type = JSONR_ARRAY_END;
			break;
		}
		/* fall through */
	default:  /* S_VALUE */
		if (p >= end) {
			type = unexpected(r, r->state == S_ARRAY_FIRST ? "a value or ']'" : "a value");
			break;
		}
		type = read_value(r, tok, r->state == S_ARRAY_FIRST ? "a value or ']'" : "a value");
		if (type != JSONR_ERROR && type != JSONR_OBJECT && type != JSONR_ARRAY)
			r->state = r->depth ? S_NEXT : S_DONE;
		break;
	}
	tok->type = type;
	return type;
}
