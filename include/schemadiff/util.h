/*
 * util.h - allocation wrappers, the string builder and small helpers.
 *
 * Allocation goes through xmalloc() and friends, which abort with a message
 * on out-of-memory (git's xmalloc, PostgreSQL's pg_malloc): no OOM branches
 * anywhere else.  All SQL, Python and report text is built with sd_str.
 */
#ifndef SCHEMADIFF_UTIL_H
#define SCHEMADIFF_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#if defined(__GNUC__)
#define SD_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define SD_NORETURN __attribute__((noreturn))
#else
#define SD_PRINTF(f, a)
#define SD_NORETURN
#endif

#define SD_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Grow *arr (of element size elsize, capacity *alloc) to hold at least need. */
void sd_grow(void **arr, size_t elsize, size_t need, size_t *alloc);
#define SD_GROW(arr, need, alloc) sd_grow((void **)&(arr), sizeof(*(arr)), (need), &(alloc))

SD_NORETURN void sd_die(const char *fmt, ...) SD_PRINTF(1, 2);

/*
 * sd_str - growable string (git strbuf, libgit2 git_str).
 * Never NULL once initialised: ptr points at "" when empty; always
 * NUL-terminated.  sd_str_detach() is the only ownership transfer.
 */
typedef struct sd_str {
	char *ptr;
	size_t len;
	size_t alloc;
} sd_str;

#define SD_STR_INIT { sd_str_empty_, 0, 0 }
extern char sd_str_empty_[];

void sd_str_init(sd_str *s);
void sd_str_release(sd_str *s);         /* free memory, back to empty */
void sd_str_reset(sd_str *s);           /* length 0, keep memory */
void sd_str_grow(sd_str *s, size_t extra);
void sd_str_add(sd_str *s, const char *text);
void sd_str_addn(sd_str *s, const char *text, size_t n);
void sd_str_addch(sd_str *s, char c);
void sd_str_addf(sd_str *s, const char *fmt, ...) SD_PRINTF(2, 3);
void sd_str_vaddf(sd_str *s, const char *fmt, va_list ap) SD_PRINTF(2, 0);
void sd_str_truncate(sd_str *s, size_t len);
char *sd_str_detach(sd_str *s);         /* caller owns result (free()) */

/* ASCII-only helpers: SQL keywords are ASCII, identifiers may be UTF-8. */
int sd_strcasecmp(const char *a, const char *b);
int sd_strncasecmp(const char *a, const char *b, size_t n);
bool sd_streq(const char *a, const char *b);      /* NULL-safe equality */
int sd_strcmp_null(const char *a, const char *b);  /* NULL sorts first */

/* Read a whole file; returns 0 or -errno.  *out is malloc'd, NUL-terminated. */
int sd_read_file(const char *path, char **out, size_t *len);

/*
 * Write data to path atomically: a temporary file in the same directory,
 * fsync, then rename.  With no_clobber, refuse (-EEXIST) when path exists
 * (link(2)-based, so a concurrent writer cannot race us).  Returns 0 or
 * -errno; on failure nothing is left behind.
 */
int sd_write_file_atomic(const char *path, const char *data, size_t len, bool no_clobber);

/* In-tree builds ban strcpy, sprintf, strtok, ... (git's banned.h); kept last. */
#ifdef SD_BAN_UNSAFE_LIBC
#include "util/banned.h"
#endif

#endif
