/*
 * arena.h - one arena per schema (libgit2 git_pool, git mem-pool).
 *
 * Objects and strings of one loaded or introspected schema live in its
 * arena and are released in one call.  With SCHEMADIFF_ARENA_MALLOC=1 in the
 * environment every allocation is a separate malloc, tracked in a list, so
 * ASan and valgrind see each object on its own.
 */
#ifndef SCHEMADIFF_ARENA_H
#define SCHEMADIFF_ARENA_H

#include <stddef.h>
#include "util.h"

typedef struct sd_arena sd_arena;

sd_arena *sd_arena_new(void);
void sd_arena_free(sd_arena *a);
void *sd_arena_alloc(sd_arena *a, size_t n);     /* zeroed, max-aligned */
char *sd_arena_strdup(sd_arena *a, const char *s); /* NULL stays NULL */
char *sd_arena_strndup(sd_arena *a, const char *s, size_t n);
char *sd_arena_printf(sd_arena *a, const char *fmt, ...) SD_PRINTF(2, 3);
/* Append one pointer to an arena-held array (*arr, *n), growing by doubling. */
void sd_arena_push(sd_arena *a, void ***arr, size_t *n, void *item);
size_t sd_arena_bytes(const sd_arena *a);          /* for benchmarks */

#endif
