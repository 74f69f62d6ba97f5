/* test_sha256.c - SHA-256 against the FIPS 180-2 / NIST example vectors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "util/sha256.h"

static void expect(const char *msg, size_t len, const char *hex)
{
	char got[65];

	sd_sha256_hex(msg, len, got);
	assert_string_equal(got, hex);
}

static void test_vectors(void **state)
{
	(void)state;
	expect("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	expect("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	expect("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
	       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	expect("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
	       112, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

/* One million 'a', fed in uneven pieces: the buffering across blocks. */
static void test_million_a(void **state)
{
	static char a[1000];
	unsigned char d[SD_SHA256_LEN];
	char hex[65];
	sd_sha256 c;
	size_t fed = 0, step = 1;

	(void)state;
	memset(a, 'a', sizeof(a));
	sd_sha256_init(&c);
	while (fed < 1000000) {
		size_t n = step % 997 + 1;

		if (n > 1000000 - fed)
			n = 1000000 - fed;
		sd_sha256_update(&c, a, n);
		fed += n;
		step = step * 31 + 7;
	}
	sd_sha256_final(&c, d);
	for (int i = 0; i < 32; i++) {
		hex[2 * i] = "0123456789abcdef"[d[i] >> 4];
		hex[2 * i + 1] = "0123456789abcdef"[d[i] & 15];
	}
	hex[64] = '\0';
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_million_a),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
