/*
 * json_pos.c - locate a value of a JSON document by its object path.
 *
 * A small scanner over the original text, used only when the loader has
 * rejected a value and needs its line and column (jansson keeps positions
 * for syntax errors only).  The text has already been parsed by jansson,
 * but every step is still bounds-checked: a failed lookup returns -1 and
 * the caller reports the error without a position.
 */
#include <string.h>

#include "schemadiff/util.h"
#include "load/json_pos.h"

typedef struct scanner {
	const char *text;
	size_t len;
	size_t p;
} scanner;

static void skip_ws(scanner *sc)
{
	while (sc->p < sc->len) {
		char c = sc->text[sc->p];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		sc->p++;
	}
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int read_hex4(scanner *sc, unsigned *out)
{
	unsigned v = 0;

	if (sc->p + 4 > sc->len)
		return -1;
	for (int i = 0; i < 4; i++) {
		int h = hexval(sc->text[sc->p + (size_t)i]);
		if (h < 0)
			return -1;
		v = v * 16 + (unsigned)h;
	}
	sc->p += 4;
	*out = v;
	return 0;
}

static void add_utf8(sd_str *out, unsigned cp)
{
	if (cp < 0x80) {
		sd_str_addch(out, (char)cp);
	} else if (cp < 0x800) {
		sd_str_addch(out, (char)(0xC0 | (cp >> 6)));
		sd_str_addch(out, (char)(0x80 | (cp & 0x3F)));
	} else if (cp < 0x10000) {
		sd_str_addch(out, (char)(0xE0 | (cp >> 12)));
		sd_str_addch(out, (char)(0x80 | ((cp >> 6) & 0x3F)));
		sd_str_addch(out, (char)(0x80 | (cp & 0x3F)));
	} else {
		sd_str_addch(out, (char)(0xF0 | (cp >> 18)));
		sd_str_addch(out, (char)(0x80 | ((cp >> 12) & 0x3F)));
		sd_str_addch(out, (char)(0x80 | ((cp >> 6) & 0x3F)));
		sd_str_addch(out, (char)(0x80 | (cp & 0x3F)));
	}
}

/*
 * Scan the string at sc->p (which must be '"'), leaving sc->p after the
 * closing quote.  With out non-NULL, append the decoded bytes to it.
 */
static int scan_string(scanner *sc, sd_str *out)
{
	if (sc->p >= sc->len || sc->text[sc->p] != '"')
		return -1;
	sc->p++;
	while (sc->p < sc->len) {
		char c = sc->text[sc->p++];
		if (c == '"')
			return 0;
		if (c != '\\') {
			if (out)
				sd_str_addch(out, c);
			continue;
		}
		if (sc->p >= sc->len)
			return -1;
		c = sc->text[sc->p++];
		if (c == 'u') {
			unsigned cp, lo;
			if (read_hex4(sc, &cp) < 0)
				return -1;
			if (cp >= 0xD800 && cp < 0xDC00 && sc->p + 1 < sc->len &&
			    sc->text[sc->p] == '\\' && sc->text[sc->p + 1] == 'u') {
				sc->p += 2;
				if (read_hex4(sc, &lo) < 0)
					return -1;
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			}
			if (out)
				add_utf8(out, cp);
			continue;
		}
		if (out) {
			switch (c) {
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			default: break;  /* '"', '\\', '/' stand for themselves */
			}
			sd_str_addch(out, c);
		}
	}
	return -1;
}

/* Skip one value (scalar, object or array) starting at sc->p. */
static int skip_value(scanner *sc)
{
	size_t depth = 0;

	skip_ws(sc);
	do {
		if (sc->p >= sc->len)
			return -1;
		char c = sc->text[sc->p];
		if (c == '"') {
			if (scan_string(sc, NULL) < 0)
				return -1;
		} else if (c == '{' || c == '[') {
			depth++;
			sc->p++;
		} else if (c == '}' || c == ']') {
			if (depth == 0)
				return -1;
			depth--;
			sc->p++;
		} else if (depth > 0 && (c == ',' || c == ':' || c == ' ' || c == '\t' ||
					 c == '\n' || c == '\r')) {
			sc->p++;
		} else {
			/* a number or literal: up to the next delimiter */
			size_t start = sc->p;
			while (sc->p < sc->len && !strchr(",:]} \t\r\n\"{[", sc->text[sc->p]))
				sc->p++;
			if (sc->p == start)
				return -1;
		}
	} while (depth > 0);
	return 0;
}

/* Does the JSON string at sc->p decode to key?  Leaves sc->p after it. */
static int key_matches(scanner *sc, const char *key, bool *match)
{
	sd_str buf = SD_STR_INIT;
	int rc = scan_string(sc, &buf);

	*match = rc == 0 && buf.len == strlen(key) && memcmp(buf.ptr, key, buf.len) == 0;
	sd_str_release(&buf);
	return rc;
}

/* Follow one step from the value at sc->p; on success sc->p is at the step's value. */
static int step(scanner *sc, const sd_json_step *st, size_t *key_at)
{
	skip_ws(sc);
	if (sc->p >= sc->len)
		return -1;
	if (st->key) {
		if (sc->text[sc->p] != '{')
			return -1;
		sc->p++;
		for (;;) {
			bool match;
			skip_ws(sc);
			if (sc->p >= sc->len || sc->text[sc->p] == '}')
				return -1;
			size_t start = sc->p;
			if (key_matches(sc, st->key, &match) < 0)
				return -1;
			skip_ws(sc);
			if (sc->p >= sc->len || sc->text[sc->p] != ':')
				return -1;
			sc->p++;
			skip_ws(sc);
			if (match) {
				*key_at = start;
				return 0;
			}
			if (skip_value(sc) < 0)
				return -1;
			skip_ws(sc);
			if (sc->p < sc->len && sc->text[sc->p] == ',')
				sc->p++;
		}
	}
	if (sc->text[sc->p] != '[')
		return -1;
	sc->p++;
	for (size_t i = 0;; i++) {
		skip_ws(sc);
		if (sc->p >= sc->len || sc->text[sc->p] == ']')
			return -1;
		if (i == st->index) {
			*key_at = sc->p;
			return 0;
		}
		if (skip_value(sc) < 0)
			return -1;
		skip_ws(sc);
		if (sc->p < sc->len && sc->text[sc->p] == ',')
			sc->p++;
	}
}

void sd_json_offset_pos(const char *text, size_t len, size_t off, int *line, int *column)
{
	int l = 1, c = 1;

	if (off > len)
		off = len;
	for (size_t i = 0; i < off; i++) {
		unsigned char ch = (unsigned char)text[i];
		if (ch == '\n') {
			l++;
			c = 1;
		} else if ((ch & 0xC0) != 0x80) {
			c++;  /* count UTF-8 lead bytes only: one per character */
		}
	}
	*line = l;
	*column = c;
}

int sd_json_pos(const char *text, size_t len, const sd_json_step *path, size_t n, bool at_key,
		int *line, int *column)
{
	scanner sc = { text, len, 0 };
	size_t key_at = 0;

	for (size_t i = 0; i < n; i++)
		if (step(&sc, &path[i], &key_at) < 0)
			return -1;
	skip_ws(&sc);
	if (sc.p >= len)
		return -1;
	sd_json_offset_pos(text, len, at_key && n > 0 ? key_at : sc.p, line, column);
	return 0;
}
