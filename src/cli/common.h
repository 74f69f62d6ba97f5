/* common.h - helpers shared by the CLI commands. */
#ifndef SCHEMADIFF_CLI_COMMON_H
#define SCHEMADIFF_CLI_COMMON_H

#include "schemadiff/compare.h"
#include "schemadiff/emit.h"

/*
 * Load from and to (database URLs or schema files), compare, fill m (caller
 * releases with sd_migration_release, also on failure).  *dialect (may be
 * NULL) is set to the dialect the comparison used.  alembic_version is left
 * out of both sides; for name filters and alembic.ini defaults use
 * sd_cli_compare_cfg (config.h).
 */
int sd_cli_compare(sd_migration *m, const char *from, const char *to,
		   const sd_introspect_opts *iopts, const sd_dialect **dialect, sd_error *err);

/*
 * Load both sides (a schema file on a second thread while a database is
 * read); *a and *b are finished schemas owned by the caller.  The error of
 * FROM wins.  sd_cli_compare_cfg (config.h) adds filters and the dialect.
 */
int sd_cli_load_pair(sd_schema **a, sd_schema **b, const char *from, const char *to,
		     const sd_introspect_opts *iopts, sd_error *err);

/* Write text to path atomically, or to stdout when path is NULL or "-". */
int sd_cli_write_output(const char *path, const sd_str *text, sd_error *err);

#endif
