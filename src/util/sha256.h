/*
 * sha256.h - SHA-256 (FIPS 180-4), for schema fingerprints.  No dependency:
 * the one hash the tree needs is small enough to carry.
 */
#ifndef SCHEMADIFF_SHA256_H
#define SCHEMADIFF_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SD_SHA256_LEN 32

typedef struct sd_sha256 {
	uint32_t h[8];
	uint64_t nbytes;          /* bytes hashed so far */
	unsigned char buf[64];    /* the partial block */
	size_t nbuf;
} sd_sha256;

void sd_sha256_init(sd_sha256 *c);
void sd_sha256_update(sd_sha256 *c, const void *data, size_t len);
/* Finish and write the 32-byte digest; c must be re-initialised before reuse. */
void sd_sha256_final(sd_sha256 *c, unsigned char out[SD_SHA256_LEN]);
/* One call: the digest of data[0..len) as 64 lowercase hex digits + NUL into hex[65]. */
void sd_sha256_hex(const void *data, size_t len, char hex[2 * SD_SHA256_LEN + 1]);

#endif
