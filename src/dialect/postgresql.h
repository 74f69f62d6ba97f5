/*
 * postgresql.h - helpers of the PostgreSQL dialect shared inside src/.
 */
#ifndef SCHEMADIFF_DIALECT_POSTGRESQL_H
#define SCHEMADIFF_DIALECT_POSTGRESQL_H

#include <stdbool.h>
#include <stddef.h>

/* Is word (len bytes, any case) a keyword PostgreSQL's quote_ident quotes? */
bool sd_pg_is_keyword(const char *word, size_t len);

#endif
