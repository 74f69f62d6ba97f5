/*
 * error.c - the error value.  The first error set wins: callers on the way
 * up may add a path or source only where the failure site did not.
 */
#include <stdio.h>
#include <stdlib.h>

#include "schemadiff/error.h"

static char *vformat(const char *fmt, va_list ap)
{
	sd_str s = SD_STR_INIT;

	sd_str_vaddf(&s, fmt, ap);
	return sd_str_detach(&s);
}

int sd_error_set(sd_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err || err->code)
		return code;
	err->code = code;
	va_start(ap, fmt);
	err->message = vformat(fmt, ap);
	va_end(ap);
	return code;
}

int sd_error_set_at(sd_error *err, int code, const char *source, int line, int column,
		    const char *path, const char *fmt, ...)
{
	va_list ap;

	if (!err || err->code)
		return code;
	err->code = code;
	err->source = source ? xstrdup(source) : NULL;
	err->line = line;
	err->column = column;
	err->path = path ? xstrdup(path) : NULL;
	va_start(ap, fmt);
	err->message = vformat(fmt, ap);
	va_end(ap);
	return code;
}

void sd_error_set_detail(sd_error *err, const char *fmt, ...)
{
	va_list ap;

	if (!err || err->detail)
		return;
	va_start(ap, fmt);
	err->detail = vformat(fmt, ap);
	va_end(ap);
}

void sd_error_set_hint(sd_error *err, const char *fmt, ...)
{
	va_list ap;

	if (!err || err->hint)
		return;
	va_start(ap, fmt);
	err->hint = vformat(fmt, ap);
	va_end(ap);
}

void sd_error_prefix(sd_error *err, const char *fmt, ...)
{
	va_list ap;
	char *pre;
	sd_str s = SD_STR_INIT;

	if (!err || !err->message)
		return;
	va_start(ap, fmt);
	pre = vformat(fmt, ap);
	va_end(ap);
	sd_str_addf(&s, "%s%s", pre, err->message);
	free(pre);
	free(err->message);
	err->message = sd_str_detach(&s);
}

void sd_error_set_path(sd_error *err, const char *path)
{
	if (err && !err->path && path)
		err->path = xstrdup(path);
}

void sd_error_clear(sd_error *err)
{
	if (!err)
		return;
	free(err->source);
	free(err->path);
	free(err->message);
	free(err->detail);
	free(err->hint);
	*err = (sd_error)SD_ERROR_INIT;
}

void sd_error_format(const sd_error *err, sd_str *out)
{
	sd_str_add(out, "error: ");
	if (err->source) {
		sd_str_add(out, err->source);
		if (err->line > 0) {
			sd_str_addf(out, ":%d", err->line);
			if (err->column > 0)
				sd_str_addf(out, ":%d", err->column);
		}
		sd_str_add(out, ": ");
	}
	if (err->path)
		sd_str_addf(out, "%s: ", err->path);
	sd_str_add(out, err->message ? err->message : "unknown error");
	sd_str_addch(out, '\n');
	if (err->detail)
		sd_str_addf(out, "detail: %s\n", err->detail);
	if (err->hint)
		sd_str_addf(out, "hint: %s\n", err->hint);
}
