/*
 * hmap.c - open-addressing string map with linear probing, FNV-1a hashes.
 * Load factor kept under 1/2.  No deletion: schemas are built, then read.
 */
#include <stdlib.h>
#include <string.h>

#include "schemadiff/hmap.h"
#include "schemadiff/util.h"

uint64_t sd_hash_bytes(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = 14695981039346656037ULL; /* FNV-1a 64-bit offset basis */

	while (n--) {
		h ^= *b++;
		h *= 1099511628211ULL;
	}
	return h;
}

void sd_hmap_init(sd_hmap *m)
{
	m->slots = NULL;
	m->cap = 0;
	m->n = 0;
}

void sd_hmap_release(sd_hmap *m)
{
	free(m->slots);
	sd_hmap_init(m);
}

static sd_hmap_entry *find_slot(sd_hmap_entry *slots, size_t cap, const char *key, size_t keylen,
				uint64_t h)
{
	size_t i = (size_t)h & (cap - 1);

	for (;; i = (i + 1) & (cap - 1)) {
		sd_hmap_entry *e = &slots[i];

		if (!e->key)
			return e;
		if (e->hash == h && e->keylen == keylen && memcmp(e->key, key, keylen) == 0)
			return e;
	}
}

static void rehash(sd_hmap *m, size_t cap)
{
	sd_hmap_entry *slots = xcalloc(cap, sizeof(*slots));
	size_t i;

	for (i = 0; i < m->cap; i++) {
		sd_hmap_entry *e = &m->slots[i];

		if (e->key)
			*find_slot(slots, cap, e->key, e->keylen, e->hash) = *e;
	}
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
}

void *sd_hmap_put(sd_hmap *m, const char *key, size_t keylen, void *value)
{
	uint64_t h = sd_hash_bytes(key, keylen);
	sd_hmap_entry *e;
	void *old;

	if ((m->n + 1) * 2 > m->cap)
		rehash(m, m->cap ? m->cap * 2 : 16);
	e = find_slot(m->slots, m->cap, key, keylen, h);
	if (e->key) {
		old = e->value;
		e->value = value;
		return old;
	}
	e->key = key;
	e->keylen = keylen;
	e->hash = h;
	e->value = value;
	m->n++;
	return NULL;
}

void *sd_hmap_get(const sd_hmap *m, const char *key, size_t keylen)
{
	sd_hmap_entry *e;

	if (!m->cap)
		return NULL;
	e = find_slot(m->slots, m->cap, key, keylen, sd_hash_bytes(key, keylen));
	return e->key ? e->value : NULL;
}

void *sd_hmap_puts(sd_hmap *m, const char *key, void *value)
{
	return sd_hmap_put(m, key, strlen(key), value);
}

void *sd_hmap_gets(const sd_hmap *m, const char *key)
{
	return sd_hmap_get(m, key, strlen(key));
}
