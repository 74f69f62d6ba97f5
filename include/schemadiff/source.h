/*
 * source.h - open any source: a database URL or a schema file.
 *
 *   sqlite:///relative/path.db      SQLite, path relative to the cwd
 *   sqlite:////absolute/path.db     SQLite, absolute path
 *   sqlite:///:memory:              an empty in-memory database
 *   postgresql://..., postgresql+driver://...   (PostgreSQL issue)
 *   path.json                       schema file (JSON)
 *   path.yaml, path.yml             schema file (YAML issue)
 */
#ifndef SCHEMADIFF_SOURCE_H
#define SCHEMADIFF_SOURCE_H

#include "dialect.h"

typedef enum sd_source_kind {
	SD_SOURCE_UNKNOWN = 0,
	SD_SOURCE_DATABASE,
	SD_SOURCE_JSON,
	SD_SOURCE_YAML
} sd_source_kind;

/* Classify spec; for a database, *dialect is set. */
sd_source_kind sd_source_classify(const char *spec, const sd_dialect **dialect);

/*
 * The URL a database spec stands for, appended to out: a bare path to an
 * SQLite file becomes sqlite:///path; any other spec is copied as it is.
 */
void sd_source_database_url(sd_str *out, const char *spec);

/*
 * Load spec into a finished schema (*out, owned by the caller).  Databases
 * are opened read-only.  Errors name the file (line, column, object path)
 * or the URL.
 */
int sd_source_load(sd_schema **out, const char *spec, const sd_introspect_opts *opts,
		   sd_error *err);

#endif
