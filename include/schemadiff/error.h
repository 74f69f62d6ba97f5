/*
 * error.h - errors as values (libgit2, jansson's json_error_t).
 *
 * Functions return int: 0 for success, a negative sd_error_code on failure,
 * and fill a caller-owned sd_error once, at the failure site.  A caller on
 * the way up never overwrites an error that is already set.
 */
#ifndef SCHEMADIFF_ERROR_H
#define SCHEMADIFF_ERROR_H

#include "util.h"

typedef enum sd_error_code {
	SD_OK = 0,
	SD_EINPUT = -1,   /* malformed input: schema file, SQL text, arguments */
	SD_EIO = -2,      /* file system */
	SD_EDB = -3,      /* database: connect, query */
	SD_EUNSUPPORTED = -4,
	SD_EEXISTS = -5,  /* refusing to overwrite */
	SD_EVERIFY = -6,  /* a generated migration failed its proof */
	SD_EINTERNAL = -7
} sd_error_code;

typedef struct sd_error {
	int code;         /* 0 when no error is set */
	char *source;     /* file name or URL (never with a password), or NULL */
	int line;         /* 1-based; 0 when unknown */
	int column;       /* 1-based; 0 when unknown */
	char *path;       /* object path: "tables[3].columns[1].type", "t.c", or NULL */
	char *message;    /* lowercase, no final period */
	char *detail;     /* optional second line */
	char *hint;       /* optional */
} sd_error;

#define SD_ERROR_INIT { 0, NULL, 0, 0, NULL, NULL, NULL, NULL }

/* Set err (if not already set) and return code.  err may be NULL. */
int sd_error_set(sd_error *err, int code, const char *fmt, ...) SD_PRINTF(3, 4);
/* The same with a location; source/path may be NULL. */
int sd_error_set_at(sd_error *err, int code, const char *source, int line, int column,
		    const char *path, const char *fmt, ...) SD_PRINTF(7, 8);
void sd_error_set_detail(sd_error *err, const char *fmt, ...) SD_PRINTF(2, 3);
void sd_error_set_hint(sd_error *err, const char *fmt, ...) SD_PRINTF(2, 3);
void sd_error_set_path(sd_error *err, const char *path); /* only if not set yet */
/* Put context before the message of an error that is set (the one exception to "set once"). */
void sd_error_prefix(sd_error *err, const char *fmt, ...) SD_PRINTF(2, 3);
void sd_error_clear(sd_error *err);
/*
 * Format as the CLI prints it:
 *   error: SOURCE:LINE:COLUMN: PATH: MESSAGE
 *   detail: ...
 *   hint: ...
 */
void sd_error_format(const sd_error *err, sd_str *out);

#endif
