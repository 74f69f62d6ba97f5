/*
 * test_hmap.c - the string-keyed hash map: insert, replace, lookups of
 * present and missing keys, explicit-length keys with embedded NULs, and
 * 100,000 keys through many rehashes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schemadiff/hmap.h"
#include "schemadiff/util.h"

#define V(i) ((void *)(uintptr_t)(i))

static void test_empty(void **state)
{
	sd_hmap m = SD_HMAP_INIT, m2;

	(void)state;
	assert_null(sd_hmap_gets(&m, "anything"));
	assert_null(sd_hmap_get(&m, "", 0));
	sd_hmap_init(&m2);
	assert_null(sd_hmap_gets(&m2, "x"));
	assert_int_equal(m2.n, 0);
	sd_hmap_release(&m);
	sd_hmap_release(&m2);
	assert_null(m.slots);
	assert_int_equal(m.cap, 0);
}

static void test_put_get_replace(void **state)
{
	sd_hmap m = SD_HMAP_INIT;
	char key[8] = "users";

	(void)state;
	assert_null(sd_hmap_puts(&m, "users", V(1)));
	assert_null(sd_hmap_puts(&m, "orders", V(2)));
	assert_int_equal(m.n, 2);
	assert_ptr_equal(sd_hmap_gets(&m, "users"), V(1));
	assert_ptr_equal(sd_hmap_gets(&m, "orders"), V(2));
	/* lookup by content, not by pointer */
	assert_ptr_equal(sd_hmap_gets(&m, key), V(1));
	assert_null(sd_hmap_gets(&m, "user"));
	assert_null(sd_hmap_gets(&m, "userss"));
	assert_null(sd_hmap_gets(&m, "Users"));

	/* replace returns the old value and does not add an entry */
	assert_ptr_equal(sd_hmap_puts(&m, key, V(3)), V(1));
	assert_int_equal(m.n, 2);
	assert_ptr_equal(sd_hmap_gets(&m, "users"), V(3));
	assert_ptr_equal(sd_hmap_gets(&m, "orders"), V(2));

	/* the empty key is a key like any other */
	assert_null(sd_hmap_puts(&m, "", V(4)));
	assert_ptr_equal(sd_hmap_gets(&m, ""), V(4));
	assert_int_equal(m.n, 3);
	sd_hmap_release(&m);
}

static void test_embedded_nul(void **state)
{
	sd_hmap m = SD_HMAP_INIT;
	/* schema "\0" name keys, as the model builds them */
	static const char k1[] = "a\0b", k2[] = "a\0c", k3[] = "\0ab";

	(void)state;
	assert_null(sd_hmap_put(&m, k1, 3, V(1)));
	assert_null(sd_hmap_put(&m, k2, 3, V(2)));
	assert_null(sd_hmap_put(&m, k1, 1, V(3)));  /* "a" */
	assert_null(sd_hmap_put(&m, k1, 2, V(4)));  /* "a\0" */
	assert_null(sd_hmap_put(&m, k3, 3, V(5)));
	assert_int_equal(m.n, 5);
	assert_ptr_equal(sd_hmap_get(&m, "a\0b", 3), V(1));
	assert_ptr_equal(sd_hmap_get(&m, "a\0c", 3), V(2));
	assert_ptr_equal(sd_hmap_get(&m, "a", 1), V(3));
	assert_ptr_equal(sd_hmap_gets(&m, "a"), V(3));
	assert_ptr_equal(sd_hmap_get(&m, "a\0", 2), V(4));
	assert_ptr_equal(sd_hmap_get(&m, "\0ab", 3), V(5));
	assert_null(sd_hmap_get(&m, "a\0d", 3));
	assert_null(sd_hmap_get(&m, "\0a", 2));
	assert_null(sd_hmap_get(&m, "", 0));
	sd_hmap_release(&m);
}

static void test_many_keys(void **state)
{
	enum { N = 100000 };
	char **keys = xcalloc(N, sizeof(*keys));
	sd_hmap m = SD_HMAP_INIT;
	char buf[32];
	size_t i;

	(void)state;
	for (i = 0; i < N; i++) {
		snprintf(buf, sizeof(buf), "table_%zu", i);
		keys[i] = xstrdup(buf);
		assert_null(sd_hmap_puts(&m, keys[i], V(i + 1)));
	}
	assert_int_equal(m.n, N);
	/* cap stays a power of two with room to spare */
	assert_int_equal(m.cap & (m.cap - 1), 0);
	assert_true(m.cap > m.n);
	for (i = 0; i < N; i++) {
		snprintf(buf, sizeof(buf), "table_%zu", i);
		if (sd_hmap_gets(&m, buf) != V(i + 1))
			fail_msg("key %s lost", buf);
	}
	for (i = N; i < N + 1000; i++) {
		snprintf(buf, sizeof(buf), "table_%zu", i);
		assert_null(sd_hmap_gets(&m, buf));
	}
	assert_null(sd_hmap_gets(&m, "table_"));
	assert_null(sd_hmap_gets(&m, "table_-1"));
	/* replace every tenth key, nothing else moves */
	for (i = 0; i < N; i += 10)
		assert_ptr_equal(sd_hmap_puts(&m, keys[i], V(i + 2)), V(i + 1));
	assert_int_equal(m.n, N);
	for (i = 0; i < N; i++)
		assert_ptr_equal(sd_hmap_gets(&m, keys[i]), V(i % 10 ? i + 1 : i + 2));
	sd_hmap_release(&m);
	for (i = 0; i < N; i++)
		free(keys[i]);
	free(keys);
}

/*
 * A lookup of a missing key after every insert: with too high a load
 * factor the table fills up at some size and the probe never ends.
 */
static void test_missing_after_each_put(void **state)
{
	enum { N = 4096 };
	char (*keys)[16] = xcalloc(N, sizeof(*keys));
	sd_hmap m = SD_HMAP_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < N; i++) {
		snprintf(keys[i], sizeof(keys[i]), "k%zu", i);
		sd_hmap_puts(&m, keys[i], V(i + 1));
		assert_null(sd_hmap_gets(&m, "missing"));
		assert_true(m.n * 2 <= m.cap);
	}
	sd_hmap_release(&m);
	free(keys);
}

static void test_hash_vectors(void **state)
{
	(void)state;
	/* FNV-1a 64-bit reference values */
	assert_true(sd_hash_bytes("", 0) == 0xcbf29ce484222325ULL);
	assert_true(sd_hash_bytes("a", 1) == 0xaf63dc4c8601ec8cULL);
	assert_true(sd_hash_bytes("foobar", 6) == 0x85944171f73967e8ULL);
	assert_true(sd_hash_bytes("a\0b", 3) != sd_hash_bytes("a\0c", 3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_put_get_replace),
		cmocka_unit_test(test_embedded_nul),
		cmocka_unit_test(test_many_keys),
		cmocka_unit_test(test_missing_after_each_put),
		cmocka_unit_test(test_hash_vectors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
