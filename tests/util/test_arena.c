/*
 * test_arena.c - the schema arena: zeroed, max-aligned, non-overlapping
 * allocations of every size; string helpers; pointer-array growth.  Each
 * battery runs twice: with the bump allocator and with the debug switch
 * SCHEMADIFF_ARENA_MALLOC=1 (one malloc per request).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "schemadiff/arena.h"

#define ALIGN _Alignof(max_align_t)

/*
 * Leave freed, dirty memory in the heap so that an arena that forgot to
 * zero would hand out non-zero bytes.
 */
static void dirty_heap(void)
{
	void *blocks[64];
	size_t i;

	for (i = 0; i < SD_ARRAY_LEN(blocks); i++) {
		size_t n = (i % 8 + 1) * 9000;

		blocks[i] = xmalloc(n);
		memset(blocks[i], 0xA5, n);
	}
	for (i = 0; i < SD_ARRAY_LEN(blocks); i++)
		free(blocks[i]);
}

static void assert_zero(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != 0)
			fail_msg("byte %zu of %zu is 0x%02x, not zero", i, n, p[i]);
}

static void assert_aligned(const void *p)
{
	assert_non_null(p);
	assert_int_equal((uintptr_t)p % ALIGN, 0);
}

static void set_malloc_mode(bool on)
{
	if (on)
		assert_int_equal(setenv("SCHEMADIFF_ARENA_MALLOC", "1", 1), 0);
	else
		assert_int_equal(unsetenv("SCHEMADIFF_ARENA_MALLOC"), 0);
}

/*
 * Many odd sizes, small and big interleaved: each block is zeroed and
 * aligned; then each is filled with its own pattern, and only at the end
 * are all patterns checked, so any overlap between two blocks shows.
 */
static void alloc_battery(void)
{
	enum { N = 600 };
	static const size_t big[] = { 16 * 1024 + 1, 20000, 65536, 100003, 1 << 20 };
	unsigned char *ptr[N];
	size_t size[N], i, j;
	sd_arena *a;

	dirty_heap();
	a = sd_arena_new();
	for (i = 0; i < N; i++) {
		if (i % 50 == 7)
			size[i] = big[(i / 50) % SD_ARRAY_LEN(big)];
		else
			size[i] = (i * 37) % 301; /* includes 0 and many odd sizes */
		ptr[i] = sd_arena_alloc(a, size[i]);
		assert_aligned(ptr[i]);
		assert_zero(ptr[i], size[i]);
		memset(ptr[i], (int)(i % 251) + 1, size[i]);
	}
	for (i = 0; i < N; i++) {
		for (j = 0; j < size[i]; j++)
			if (ptr[i][j] != (unsigned char)(i % 251 + 1))
				fail_msg("allocation %zu (size %zu) overwritten at byte %zu", i, size[i], j);
		/* zero-size requests still give distinct pointers */
		if (i > 0)
			assert_ptr_not_equal(ptr[i], ptr[i - 1]);
	}
	assert_true(sd_arena_bytes(a) >= 1 << 20);
	sd_arena_free(a);
}

static void test_alloc(void **state)
{
	(void)state;
	alloc_battery();
}

static void test_alloc_malloc_mode(void **state)
{
	(void)state;
	set_malloc_mode(true);
	alloc_battery();
	set_malloc_mode(false);
}

/* A big request first, in an empty arena, then small ones after it. */
static void big_first_battery(void)
{
	sd_arena *a = sd_arena_new();
	unsigned char *big = sd_arena_alloc(a, 40000);
	unsigned char *small[100];
	size_t i;

	assert_aligned(big);
	assert_zero(big, 40000);
	memset(big, 0x11, 40000);
	for (i = 0; i < SD_ARRAY_LEN(small); i++) {
		small[i] = sd_arena_alloc(a, 24);
		assert_aligned(small[i]);
		assert_zero(small[i], 24);
		memset(small[i], (int)i, 24);
	}
	for (i = 0; i < 40000; i++)
		assert_int_equal(big[i], 0x11);
	for (i = 0; i < SD_ARRAY_LEN(small); i++)
		assert_int_equal(small[i][23], (unsigned char)i);
	sd_arena_free(a);
}

static void test_big_first(void **state)
{
	(void)state;
	big_first_battery();
	set_malloc_mode(true);
	big_first_battery();
	set_malloc_mode(false);
}

static void strings_battery(void)
{
	sd_arena *a = sd_arena_new();
	char buf[16] = "temporary";
	char *p, *q, *r;
	char *big;
	size_t n = 100000, i;

	p = sd_arena_strdup(a, buf);
	memset(buf, 'X', sizeof(buf) - 1); /* the copy must not alias buf */
	assert_string_equal(p, "temporary");
	assert_null(sd_arena_strdup(a, NULL));
	assert_null(sd_arena_strndup(a, NULL, 3));

	q = sd_arena_strndup(a, "abcdef", 3);
	assert_string_equal(q, "abc");
	q = sd_arena_strndup(a, "abcdef", 0);
	assert_string_equal(q, "");
	/* strndup semantics: at most n bytes, stopping at the NUL. */
	q = sd_arena_strndup(a, "ab", 100);
	assert_string_equal(q, "ab");
	r = sd_arena_strdup(a, "");
	assert_non_null(r);
	assert_string_equal(r, "");

	p = sd_arena_printf(a, "%s.%s#%d", "main", "users", 3);
	assert_string_equal(p, "main.users#3");

	big = xmalloc(n + 1);
	for (i = 0; i < n; i++)
		big[i] = (char)('a' + i % 26);
	big[n] = '\0';
	p = sd_arena_printf(a, "[%s]", big);
	assert_int_equal(strlen(p), n + 2);
	assert_int_equal(p[0], '[');
	assert_memory_equal(p + 1, big, n);
	assert_int_equal(p[n + 1], ']');
	q = sd_arena_strdup(a, big);
	assert_string_equal(q, big);
	free(big);
	/* the earlier strings are intact */
	assert_string_equal(r, "");
	sd_arena_free(a);
}

static void test_strings(void **state)
{
	(void)state;
	strings_battery();
	set_malloc_mode(true);
	strings_battery();
	set_malloc_mode(false);
}

/*
 * Two arrays grown in turn in the same arena (so their storage
 * interleaves), 10,000 items each: at every power of two, and at the end,
 * every item so far is checked.
 */
static void push_battery(void)
{
	enum { N = 10000 };
	sd_arena *a = sd_arena_new();
	void **x = NULL, **y = NULL;
	size_t nx = 0, ny = 0, i, j;

	for (i = 0; i < N; i++) {
		sd_arena_push(a, &x, &nx, (void *)(uintptr_t)(i + 1));
		sd_arena_push(a, &y, &ny, (void *)(uintptr_t)(N - i));
		/* a scratch allocation between pushes */
		memset(sd_arena_alloc(a, 8), 0xff, 8);
		assert_int_equal(nx, i + 1);
		assert_int_equal(ny, i + 1);
		if (((i + 1) & i) == 0 || i + 1 == N) {
			for (j = 0; j <= i; j++) {
				assert_int_equal((uintptr_t)x[j], j + 1);
				assert_int_equal((uintptr_t)y[j], N - j);
			}
		}
	}
	sd_arena_free(a);
}

static void test_push(void **state)
{
	(void)state;
	push_battery();
}

static void test_push_malloc_mode(void **state)
{
	(void)state;
	set_malloc_mode(true);
	push_battery();
	set_malloc_mode(false);
}

/*
 * Prove the switch is read: in malloc mode a small request costs about its
 * own size; the bump allocator takes a whole block at once.
 */
static void test_malloc_mode_switch(void **state)
{
	sd_arena *a;

	(void)state;
	set_malloc_mode(true);
	a = sd_arena_new();
	sd_arena_alloc(a, 16);
	sd_arena_alloc(a, 16);
	assert_in_range(sd_arena_bytes(a), 32, 1024);
	sd_arena_free(a);
	set_malloc_mode(false);

	a = sd_arena_new();
	sd_arena_alloc(a, 16);
	assert_true(sd_arena_bytes(a) >= 4096);
	sd_arena_free(a);

	assert_int_equal(setenv("SCHEMADIFF_ARENA_MALLOC", "0", 1), 0);
	a = sd_arena_new();
	sd_arena_alloc(a, 16);
	assert_true(sd_arena_bytes(a) >= 4096);
	sd_arena_free(a);
	set_malloc_mode(false);

	sd_arena_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc),
		cmocka_unit_test(test_alloc_malloc_mode),
		cmocka_unit_test(test_big_first),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_push),
		cmocka_unit_test(test_push_malloc_mode),
		cmocka_unit_test(test_malloc_mode_switch),
	};

	/* Start from the default mode whatever the caller's environment says. */
	unsetenv("SCHEMADIFF_ARENA_MALLOC");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
