/*
 * strbuf.c - the string builder (git strbuf).  Invariant: ptr is never NULL
 * and always NUL-terminated; while alloc is 0, ptr points at the shared
 * empty string and must not be written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schemadiff/util.h"

char sd_str_empty_[1];

void sd_str_init(sd_str *s)
{
	s->ptr = sd_str_empty_;
	s->len = 0;
	s->alloc = 0;
}

void sd_str_release(sd_str *s)
{
	if (s->alloc)
		free(s->ptr);
	sd_str_init(s);
}

void sd_str_reset(sd_str *s)
{
	sd_str_truncate(s, 0);
}

void sd_str_grow(sd_str *s, size_t extra)
{
	size_t need = s->len + extra + 1;
	size_t cap;

	if (need < s->len)
		sd_die("string size overflow");
	if (need <= s->alloc)
		return;
	cap = s->alloc ? s->alloc : 64;
	while (cap < need)
		cap *= 2;
	if (!s->alloc) {
		s->ptr = xmalloc(cap);
		s->ptr[0] = '\0';
	} else {
		s->ptr = xrealloc(s->ptr, cap);
	}
	s->alloc = cap;
}

void sd_str_addn(sd_str *s, const char *text, size_t n)
{
	sd_str_grow(s, n);
	memcpy(s->ptr + s->len, text, n);
	s->len += n;
	s->ptr[s->len] = '\0';
}

void sd_str_add(sd_str *s, const char *text)
{
	sd_str_addn(s, text, strlen(text));
}

void sd_str_addch(sd_str *s, char c)
{
	sd_str_grow(s, 1);
	s->ptr[s->len++] = c;
	s->ptr[s->len] = '\0';
}

void sd_str_vaddf(sd_str *s, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	sd_str_grow(s, 64);
	va_copy(cp, ap);
	n = vsnprintf(s->ptr + s->len, s->alloc - s->len, fmt, cp);
	va_end(cp);
	if (n < 0)
		sd_die("vsnprintf failed for format \"%s\"", fmt);
	if ((size_t)n >= s->alloc - s->len) {
		sd_str_grow(s, (size_t)n);
		n = vsnprintf(s->ptr + s->len, s->alloc - s->len, fmt, ap);
	}
	s->len += (size_t)n;
}

void sd_str_addf(sd_str *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sd_str_vaddf(s, fmt, ap);
	va_end(ap);
}

void sd_str_truncate(sd_str *s, size_t len)
{
	if (len > s->len)
		len = s->len;
	if (s->alloc) {
		s->len = len;
		s->ptr[len] = '\0';
	}
}

char *sd_str_detach(sd_str *s)
{
	char *p;

	if (!s->alloc)
		return xstrdup("");
	p = s->ptr;
	sd_str_init(s);
	return p;
}
