/*
 * pylit.c - the Python-literal escaper (see pylit.h).  Both functions walk
 * UTF-8 sequences so that a multi-byte character is copied whole and a
 * broken one becomes U+FFFD instead of producing a file Python refuses.
 */
#include <string.h>

#include "emit/pylit.h"

/*
 * Length of the valid UTF-8 sequence at p (1-4), 0 when p starts an
 * invalid one (bad lead byte, short, overlong, surrogate, > U+10FFFF);
 * *cp gets the code point.
 */
static size_t utf8_seq(const unsigned char *p, unsigned long *cp)
{
	size_t n, i;
	unsigned long c;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xE0) == 0xC0) {
		n = 2;
		c = p[0] & 0x1F;
	} else if ((p[0] & 0xF0) == 0xE0) {
		n = 3;
		c = p[0] & 0x0F;
	} else if ((p[0] & 0xF8) == 0xF0) {
		n = 4;
		c = p[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80) /* also stops at the NUL */
			return 0;
		c = (c << 6) | (p[i] & 0x3F);
	}
	if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
		return 0;
	*cp = c;
	return n;
}

/* Escapes shared by both forms; returns false when c is copied as is. */
static bool add_escape(sd_str *out, unsigned long c)
{
	switch (c) {
	case '\\':
		sd_str_add(out, "\\\\");
		return true;
	case '\n':
		sd_str_add(out, "\\n");
		return true;
	case '\r':
		sd_str_add(out, "\\r");
		return true;
	case '\t':
		sd_str_add(out, "\\t");
		return true;
	default:
		break;
	}
	if (c < 0x20 || (c >= 0x7F && c <= 0xA0)) {
		sd_str_addf(out, "\\x%02lx", c);
		return true;
	}
	if (c == 0x2028 || c == 0x2029) {
		sd_str_addf(out, "\\u%04lx", c);
		return true;
	}
	return false;
}

void sd_py_str(sd_str *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	char q;

	if (!s) {
		sd_str_add(out, "None");
		return;
	}
	q = (strchr(s, '\'') && !strchr(s, '"')) ? '"' : '\'';
	sd_str_addch(out, q);
	while (*p) {
		unsigned long c;
		size_t n = utf8_seq(p, &c);

		if (!n) {
			sd_str_add(out, "\xEF\xBF\xBD");
			p++;
			continue;
		}
		if (c == (unsigned char)q) {
			sd_str_addch(out, '\\');
			sd_str_addch(out, q);
		} else if (!add_escape(out, c)) {
			sd_str_addn(out, (const char *)p, n);
		}
		p += n;
	}
	sd_str_addch(out, q);
}

void sd_py_docstring(sd_str *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!s)
		return;
	while (*p) {
		unsigned long c;
		size_t n = utf8_seq(p, &c);

		if (!n) {
			sd_str_add(out, "\xEF\xBF\xBD");
			p++;
			continue;
		}
		if (c == '\n') {
			sd_str_addch(out, '\n');
		} else if (c == '"' && (p[1] == '"' || p[1] == '\0')) {
			/* a run of quotes, or one just before the closing """ */
			sd_str_add(out, "\\\"");
		} else if (!add_escape(out, c)) {
			sd_str_addn(out, (const char *)p, n);
		}
		p += n;
	}
}
