/*
 * sqlite_alembic.h - the SQLite dialect's alembic_type member.
 */
#ifndef SCHEMADIFF_DIALECT_SQLITE_ALEMBIC_H
#define SCHEMADIFF_DIALECT_SQLITE_ALEMBIC_H

#include "schemadiff/dialect.h"

void sd_sqlite_alembic_type(sd_str *out, const char *type, unsigned *imports);

#endif
