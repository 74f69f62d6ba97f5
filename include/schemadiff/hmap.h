/*
 * hmap.h - string-keyed hash map (open addressing, FNV-1a).  Keys are not
 * copied: they must outlive the map (they normally live in a schema arena).
 * Iteration order is never used for output: callers sort.
 */
#ifndef SCHEMADIFF_HMAP_H
#define SCHEMADIFF_HMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct sd_hmap_entry {
	const char *key;
	size_t keylen;
	uint64_t hash;
	void *value;
} sd_hmap_entry;

typedef struct sd_hmap {
	sd_hmap_entry *slots;
	size_t cap;   /* power of two, or 0 */
	size_t n;
} sd_hmap;

#define SD_HMAP_INIT { NULL, 0, 0 }

uint64_t sd_hash_bytes(const void *p, size_t n);
void sd_hmap_init(sd_hmap *m);
void sd_hmap_release(sd_hmap *m);
/* Insert or replace; returns the previous value or NULL. */
void *sd_hmap_put(sd_hmap *m, const char *key, size_t keylen, void *value);
void *sd_hmap_get(const sd_hmap *m, const char *key, size_t keylen);
/* NUL-terminated key convenience forms. */
void *sd_hmap_puts(sd_hmap *m, const char *key, void *value);
void *sd_hmap_gets(const sd_hmap *m, const char *key);

#endif
