/*
 * arena.c - bump allocator holding one schema's objects and strings.
 *
 * Memory comes in blocks; a request larger than a quarter block gets a block
 * of its own.  SCHEMADIFF_ARENA_MALLOC=1 switches to one malloc per request
 * (kept on a list) so that ASan and valgrind see every object separately.
 */
#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schemadiff/arena.h"

#define ARENA_BLOCK (64 * 1024)
#define ARENA_ALIGN (alignof(max_align_t))

struct block {
	struct block *next;
	size_t size;
	size_t used;
	alignas(max_align_t) unsigned char data[];
};

struct sd_arena {
	struct block *blocks;
	bool malloc_each;
	size_t bytes;
};

sd_arena *sd_arena_new(void)
{
	sd_arena *a = xcalloc(1, sizeof(*a));
	const char *dbg = getenv("SCHEMADIFF_ARENA_MALLOC");

	a->malloc_each = dbg && *dbg && strcmp(dbg, "0") != 0;
	return a;
}

void sd_arena_free(sd_arena *a)
{
	struct block *b, *next;

	if (!a)
		return;
	for (b = a->blocks; b; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}

static struct block *new_block(sd_arena *a, size_t size)
{
	struct block *b = xmalloc(sizeof(*b) + size);

	b->size = size;
	b->used = 0;
	a->bytes += size;
	return b;
}

void *sd_arena_alloc(sd_arena *a, size_t n)
{
	struct block *b;
	void *p;

	n = (n + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
	if (!n)
		n = ARENA_ALIGN;
	if (a->malloc_each || n > ARENA_BLOCK / 4) {
		/* Own block, linked behind the current one so bumping continues there. */
		b = new_block(a, n);
		b->used = n;
		if (a->blocks) {
			b->next = a->blocks->next;
			a->blocks->next = b;
		} else {
			b->next = NULL;
			a->blocks = b;
		}
		memset(b->data, 0, n);
		return b->data;
	}
	b = a->blocks;
	if (!b || b->size - b->used < n) {
		b = new_block(a, ARENA_BLOCK);
		b->next = a->blocks;
		a->blocks = b;
	}
	p = b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

char *sd_arena_strndup(sd_arena *a, const char *s, size_t n)
{
	char *p;

	if (!s)
		return NULL;
	n = strnlen(s, n);  /* strndup semantics: stop at a NUL */
	p = sd_arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *sd_arena_strdup(sd_arena *a, const char *s)
{
	return s ? sd_arena_strndup(a, s, strlen(s)) : NULL;
}

char *sd_arena_printf(sd_arena *a, const char *fmt, ...)
{
	sd_str buf = SD_STR_INIT;
	va_list ap;
	char *p;

	va_start(ap, fmt);
	sd_str_vaddf(&buf, fmt, ap);
	va_end(ap);
	p = sd_arena_strndup(a, buf.ptr, buf.len);
	sd_str_release(&buf);
	return p;
}

/*
 * Capacity is implicit: arrays start at 4 slots and double whenever the
 * count reaches a power of two, so no capacity field is needed.
 */
void sd_arena_push(sd_arena *a, void ***arr, size_t *n, void *item)
{
	size_t count = *n;

	if (count == 0 || (count >= 4 && (count & (count - 1)) == 0)) {
		size_t cap = count < 4 ? 4 : count * 2;
		void **grown = sd_arena_alloc(a, cap * sizeof(void *));

		if (count)
			memcpy(grown, *arr, count * sizeof(void *));
		*arr = grown;
	}
	(*arr)[count] = item;
	*n = count + 1;
}

size_t sd_arena_bytes(const sd_arena *a)
{
	return a->bytes;
}
