/*
 * test_strbuf.c - sd_str (the string builder) and the small helpers of
 * util.h: the never-NULL / always-terminated invariant, appends across
 * buffer boundaries, detach as the one ownership transfer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schemadiff/util.h"

/* The invariant every sd_str satisfies between calls. */
static void check_invariant(const sd_str *s)
{
	assert_non_null(s->ptr);
	assert_int_equal(s->ptr[s->len], '\0');
	if (s->alloc)
		assert_true(s->len < s->alloc);
	else
		assert_int_equal(s->len, 0);
	/* Nobody ever writes into the shared empty string. */
	assert_int_equal(sd_str_empty_[0], '\0');
}

static char *repeat(char c, size_t n)
{
	char *p = xmalloc(n + 1);

	memset(p, c, n);
	p[n] = '\0';
	return p;
}

static void test_init_empty(void **state)
{
	sd_str a = SD_STR_INIT, b;

	(void)state;
	sd_str_init(&b);
	check_invariant(&a);
	check_invariant(&b);
	assert_string_equal(a.ptr, "");
	assert_string_equal(b.ptr, "");
	/* Truncating or resetting an unallocated string must not write to it. */
	sd_str_truncate(&a, 0);
	sd_str_reset(&b);
	check_invariant(&a);
	check_invariant(&b);
	sd_str_release(&a);
	sd_str_release(&b);
	check_invariant(&a);
}

static void test_add_addn_addch(void **state)
{
	sd_str s = SD_STR_INIT;
	static const char bin[] = { 'x', '\0', 'y' };

	(void)state;
	sd_str_add(&s, "hello");
	check_invariant(&s);
	assert_string_equal(s.ptr, "hello");
	assert_int_equal(s.len, 5);
	sd_str_addch(&s, ',');
	sd_str_addch(&s, ' ');
	sd_str_addn(&s, "world!!!", 5);
	check_invariant(&s);
	assert_string_equal(s.ptr, "hello, world");
	assert_int_equal(s.len, 12);
	sd_str_add(&s, "");
	sd_str_addn(&s, "ignored", 0);
	assert_int_equal(s.len, 12);
	/* addn copies bytes, embedded NULs included. */
	sd_str_addn(&s, bin, sizeof(bin));
	check_invariant(&s);
	assert_int_equal(s.len, 15);
	assert_memory_equal(s.ptr + 12, bin, sizeof(bin));
	sd_str_release(&s);
	check_invariant(&s);
}

/* Many single characters: every growth step keeps the content. */
static void test_addch_growth(void **state)
{
	sd_str s = SD_STR_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < 100000; i++) {
		sd_str_addch(&s, (char)('a' + i % 26));
		assert_int_equal(s.len, i + 1);
		assert_int_equal(s.ptr[s.len], '\0');
	}
	for (i = 0; i < 100000; i++)
		assert_int_equal(s.ptr[i], 'a' + i % 26);
	sd_str_release(&s);
}

/*
 * Every (prefix, appended) length pair around the first buffer sizes, so an
 * append that exactly fills, or overflows by one, the space left is covered.
 */
static void test_addf_boundaries(void **state)
{
	char *as = repeat('a', 300), *bs = repeat('b', 300);
	size_t p, k;

	(void)state;
	for (p = 0; p < 150; p++) {
		for (k = 0; k < 300; k += (k < 140 ? 1 : 7)) {
			sd_str s = SD_STR_INIT;

			sd_str_addn(&s, as, p);
			sd_str_addf(&s, "%.*s", (int)k, bs);
			check_invariant(&s);
			assert_int_equal(s.len, p + k);
			assert_memory_equal(s.ptr, as, p);
			assert_memory_equal(s.ptr + p, bs, k);
			sd_str_release(&s);
		}
	}
	free(as);
	free(bs);
}

static void test_addf_long(void **state)
{
	size_t big = 200000; /* well over 64 KiB */
	char *x = repeat('x', big);
	sd_str s = SD_STR_INIT;
	char tail[64];
	int n;

	(void)state;
	sd_str_add(&s, "<");
	sd_str_addf(&s, "%s|%d|%s", x, 42, "end");
	check_invariant(&s);
	n = snprintf(tail, sizeof(tail), "|%d|%s", 42, "end");
	assert_int_equal(s.len, 1 + big + (size_t)n);
	assert_int_equal(s.ptr[0], '<');
	assert_memory_equal(s.ptr + 1, x, big);
	assert_string_equal(s.ptr + 1 + big, tail);

	/* A second long append after the first, with numbers and padding. */
	sd_str_reset(&s);
	sd_str_addf(&s, "%70000d%s", 7, "!");
	check_invariant(&s);
	assert_int_equal(s.len, 70001);
	assert_int_equal(s.ptr[69998], ' ');
	assert_int_equal(s.ptr[69999], '7');
	assert_int_equal(s.ptr[70000], '!');
	sd_str_release(&s);
	free(x);
}

static void vadd_helper(sd_str *s, const char *fmt, ...) SD_PRINTF(2, 3);
static void vadd_helper(sd_str *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sd_str_vaddf(s, fmt, ap);
	va_end(ap);
}

static void test_vaddf(void **state)
{
	char *y = repeat('y', 5000);
	sd_str s = SD_STR_INIT;

	(void)state;
	vadd_helper(&s, "%s=%u;", "k", 3u);
	vadd_helper(&s, "%s", y); /* needs the second vsnprintf pass */
	check_invariant(&s);
	assert_int_equal(s.len, 4 + 5000);
	assert_memory_equal(s.ptr, "k=3;", 4);
	assert_string_equal(s.ptr + 4, y);
	sd_str_release(&s);
	free(y);
}

static void test_truncate_reset(void **state)
{
	sd_str s = SD_STR_INIT;
	char *before;
	size_t alloc;

	(void)state;
	sd_str_add(&s, "abcdef");
	sd_str_truncate(&s, 3);
	check_invariant(&s);
	assert_string_equal(s.ptr, "abc");
	assert_int_equal(s.len, 3);
	/* Truncating to a longer length changes nothing. */
	sd_str_truncate(&s, 100);
	check_invariant(&s);
	assert_string_equal(s.ptr, "abc");
	assert_int_equal(s.len, 3);
	sd_str_add(&s, "XY");
	assert_string_equal(s.ptr, "abcXY");

	before = s.ptr;
	alloc = s.alloc;
	sd_str_reset(&s);
	check_invariant(&s);
	assert_int_equal(s.len, 0);
	assert_string_equal(s.ptr, "");
	/* reset keeps the memory */
	assert_ptr_equal(s.ptr, before);
	assert_int_equal(s.alloc, alloc);
	sd_str_add(&s, "again");
	assert_string_equal(s.ptr, "again");
	sd_str_release(&s);
}

static void test_grow(void **state)
{
	sd_str s = SD_STR_INIT;
	char *p;
	int i;

	(void)state;
	sd_str_grow(&s, 1000);
	check_invariant(&s);
	assert_true(s.alloc >= 1001);
	p = s.ptr;
	for (i = 0; i < 1000; i++)
		sd_str_addch(&s, 'z');
	/* No reallocation within the grown space. */
	assert_ptr_equal(s.ptr, p);
	assert_int_equal(s.len, 1000);
	check_invariant(&s);
	sd_str_release(&s);
}

static void test_detach(void **state)
{
	sd_str s = SD_STR_INIT;
	char *d;

	(void)state;
	/* Empty, never allocated: still a fresh malloc'd "" the caller frees. */
	d = sd_str_detach(&s);
	assert_non_null(d);
	assert_string_equal(d, "");
	assert_ptr_not_equal(d, sd_str_empty_);
	free(d);
	check_invariant(&s);

	/* Allocated but empty after reset. */
	sd_str_add(&s, "gone");
	sd_str_reset(&s);
	d = sd_str_detach(&s);
	assert_string_equal(d, "");
	free(d);
	check_invariant(&s);

	/* Content: ownership moves, the builder is empty and reusable. */
	sd_str_addf(&s, "%s-%d", "table", 7);
	d = sd_str_detach(&s);
	assert_string_equal(d, "table-7");
	check_invariant(&s);
	assert_int_equal(s.len, 0);
	assert_int_equal(s.alloc, 0);
	sd_str_add(&s, "new");
	assert_string_equal(s.ptr, "new");
	/* The detached buffer is independent of the reused builder. */
	assert_string_equal(d, "table-7");
	free(d);
	sd_str_release(&s);
}

static void test_release(void **state)
{
	sd_str s = SD_STR_INIT;

	(void)state;
	sd_str_add(&s, "something long enough to allocate");
	sd_str_release(&s);
	check_invariant(&s);
	assert_int_equal(s.alloc, 0);
	assert_string_equal(s.ptr, "");
	sd_str_release(&s); /* twice is fine */
	check_invariant(&s);
	sd_str_add(&s, "reuse");
	assert_string_equal(s.ptr, "reuse");
	sd_str_release(&s);
}

static void test_string_helpers(void **state)
{
	char *p;
	int *arr = NULL;
	size_t alloc = 0, i;

	(void)state;
	assert_int_equal(sd_strcasecmp("CREATE", "create"), 0);
	assert_true(sd_strcasecmp("abc", "ABD") < 0);
	assert_true(sd_strcasecmp("abcd", "ABC") > 0);
	assert_int_equal(sd_strncasecmp("TABLEx", "tabley", 5), 0);
	assert_true(sd_strncasecmp("TABLEx", "tabley", 6) < 0);
	assert_int_equal(sd_strncasecmp("ab", "AB", 10), 0);
	/* Non-ASCII bytes are compared as bytes, not folded. */
	assert_true(sd_strcasecmp("\xc3\x89", "\xc3\xa9") != 0);

	assert_true(sd_streq(NULL, NULL));
	assert_false(sd_streq("a", NULL));
	assert_false(sd_streq(NULL, "a"));
	assert_true(sd_streq("a", "a"));
	assert_false(sd_streq("a", "b"));

	assert_true(sd_strcmp_null(NULL, "a") < 0);
	assert_true(sd_strcmp_null("a", NULL) > 0);
	assert_int_equal(sd_strcmp_null(NULL, NULL), 0);
	assert_true(sd_strcmp_null("a", "b") < 0);

	p = xstrndup("abcdef", 3);
	assert_string_equal(p, "abc");
	free(p);
	/* strndup semantics: copy at most n bytes, stop at the NUL (ASan
	 * reports the read past "ab" otherwise). */
	p = xstrndup("ab", 10);
	assert_string_equal(p, "ab");
	free(p);
	p = xstrdup("");
	assert_string_equal(p, "");
	free(p);

	for (i = 0; i < 1000; i++) {
		SD_GROW(arr, i + 1, alloc);
		assert_true(alloc >= i + 1);
		arr[i] = (int)i;
	}
	for (i = 0; i < 1000; i++)
		assert_int_equal(arr[i], i);
	free(arr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_empty),
		cmocka_unit_test(test_add_addn_addch),
		cmocka_unit_test(test_addch_growth),
		cmocka_unit_test(test_addf_boundaries),
		cmocka_unit_test(test_addf_long),
		cmocka_unit_test(test_vaddf),
		cmocka_unit_test(test_truncate_reset),
		cmocka_unit_test(test_grow),
		cmocka_unit_test(test_detach),
		cmocka_unit_test(test_release),
		cmocka_unit_test(test_string_helpers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
