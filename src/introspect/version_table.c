/*
 * version_table.c - the dialect-neutral parts of Alembic's version table
 * (see version_table.h): its CREATE statement and the row-change plan,
 * shared by the SQLite and PostgreSQL hooks so `stamp` writes exactly
 * what Alembic 1.8 would on either.
 */
#include <stdlib.h>
#include <string.h>

#include "introspect/version_table.h"
#include "schemadiff/sqltok.h"

const char sd_version_table_create[] =
	"CREATE TABLE alembic_version (\n"
	"\tversion_num VARCHAR(32) NOT NULL, \n"
	"\tCONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n"
	")";

void sd_version_revs_free(char **revs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(revs[i]);
	free(revs);
}

static bool in_list(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

void sd_version_table_plan(sd_str *sql, bool create, char *const *cur, size_t ncur,
			   const char *const *revs, size_t n)
{
	const char **gone = xcalloc(ncur + 1, sizeof(*gone)), **come = xcalloc(n + 1, sizeof(*come));
	size_t ng = 0, nc = 0, i;

	for (i = 0; i < ncur; i++)
		if (!in_list(revs, n, cur[i]))
			gone[ng++] = cur[i];
	for (i = 0; i < n; i++)
		if (!in_list((const char *const *)cur, ncur, revs[i]) && !in_list(come, nc, revs[i]))
			come[nc++] = revs[i];
	if (create) {
		sd_str_add(sql, sd_version_table_create);
		sd_str_add(sql, ";\n\n");
	}
	for (i = 0; i < ng && i < nc; i++) {
		sd_str_add(sql, "UPDATE alembic_version SET version_num=");
		sd_sql_literal(sql, come[i]);
		sd_str_add(sql, " WHERE alembic_version.version_num = ");
		sd_sql_literal(sql, gone[i]);
		sd_str_add(sql, ";\n\n");
	}
	for (; i < ng; i++) {
		sd_str_add(sql, "DELETE FROM alembic_version WHERE alembic_version.version_num = ");
		sd_sql_literal(sql, gone[i]);
		sd_str_add(sql, ";\n\n");
	}
	for (i = ng < nc ? ng : nc; i < nc; i++) {
		sd_str_add(sql, "INSERT INTO alembic_version (version_num) VALUES (");
		sd_sql_literal(sql, come[i]);
		sd_str_add(sql, ");\n\n");
	}
	free(gone);
	free(come);
}
