/*
 * fingerprint.h - a schema's identity: "sha256:<64 hex digits>" of a
 * canonical serialisation of the NORMALIZED schema.
 *
 * Equal fingerprints mean the same schema whatever its source: a database
 * and the schema file introspected from it give the same fingerprint, as do
 * two files that differ only in formatting, key order or the order of sets.
 *
 * The canonical text (version "schemadiff-fingerprint/1") is one line per
 * object, built from:
 *   - types, defaults, CHECK / index / view / trigger / generated
 *     expressions through the dialect's normalize_* functions;
 *   - columns in declared order, and the column lists of keys, foreign keys
 *     and index elements in their order (order is meaning there);
 *   - tables, views, triggers, and each table's uniques, foreign keys,
 *     checks and indexes as SETS: their lines are sorted bytewise, so
 *     catalog or file order does not matter;
 *   - comments only when the dialect stores them (SD_CAP_COMMENTS) and the
 *     primary key's name only when it keeps it (SD_CAP_NAMED_PK), as the
 *     comparator does;
 *   - PostgreSQL's options (an index element's operator class, an index's
 *     method, INCLUDE and NULLS NOT DISTINCT, a unique constraint's NULLS
 *     NOT DISTINCT) only when set, so schemas without them hash as before;
 *     operator classes in the comparator's canonical form;
 *   - every string length-prefixed ("5:email"), NULL as "~", so no value
 *     can be mistaken for a separator.
 * The dialect d is the one the values are normalised with; NULL picks it as
 * sd_compare_pick_dialect(s, s) does (the schema's own, else SQLite).  Its
 * name is part of the text.
 */
#ifndef SCHEMADIFF_FINGERPRINT_H
#define SCHEMADIFF_FINGERPRINT_H

#include "dialect.h"

#define SD_FINGERPRINT_PREFIX "sha256:"
/* "sha256:" + 64 hex digits + NUL */
#define SD_FINGERPRINT_SIZE 72

/* Append the canonical text of s (see above) to out. */
void sd_schema_canonical(sd_str *out, const sd_schema *s, const sd_dialect *d);

/* Write "sha256:<hex>" of sd_schema_canonical(s, d) into out. */
void sd_schema_fingerprint(char out[SD_FINGERPRINT_SIZE], const sd_schema *s,
			   const sd_dialect *d);

#endif
