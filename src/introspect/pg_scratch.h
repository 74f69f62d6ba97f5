/*
 * pg_scratch.h - the PostgreSQL proof database (pg_scratch.c): the
 * dialect's scratch_open_empty, scratch_exec, scratch_introspect,
 * scratch_check_texts and scratch_close members.
 */
#ifndef SCHEMADIFF_PG_SCRATCH_H
#define SCHEMADIFF_PG_SCRATCH_H

#include "schemadiff/dialect.h"

int sd_pg_scratch_open_empty(void **scratch, const char *dev_url, const sd_schema *source,
			     sd_error *err);
int sd_pg_scratch_exec(void *scratch, const char *sql, sd_error *err);
int sd_pg_scratch_introspect(void *scratch, sd_schema **out, sd_error *err);
void sd_pg_scratch_close(void *scratch);
int sd_pg_scratch_check_texts(void *scratch, const sd_table *const *tables,
			      const char *const *exprs, size_t n, char **out, sd_error *err);

#endif
