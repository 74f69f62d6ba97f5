/*
 * postgresql_alembic.h - the PostgreSQL dialect's alembic_type member.
 */
#ifndef SCHEMADIFF_DIALECT_POSTGRESQL_ALEMBIC_H
#define SCHEMADIFF_DIALECT_POSTGRESQL_ALEMBIC_H

#include "schemadiff/dialect.h"

void sd_pg_alembic_type(sd_str *out, const char *type, unsigned *imports);

#endif
