/*
 * source.c - turn a user's source string into a schema: a database URL goes
 * to its dialect's introspector, a schema file to its loader.
 *
 * URL forms are the ones Alembic users already have in alembic.ini.  A bare
 * path to an SQLite database file is accepted too (recognised by the
 * file's magic header), since that is what people type.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schemadiff/schemafile.h"
#include "schemadiff/source.h"

static bool has_prefix_ci(const char *s, const char *prefix)
{
	return sd_strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static bool has_suffix_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && sd_strcasecmp(s + n - m, suffix) == 0;
}

/* URL scheme up to "://", with any "+driver" part dropped (postgresql+psycopg2). */
static const sd_dialect *dialect_for_url(const char *spec)
{
	const char *colon = strstr(spec, "://");
	char scheme[32];
	size_t n;

	if (!colon)
		return NULL;
	n = (size_t)(colon - spec);
	if (memchr(spec, '+', n))
		n = (size_t)((const char *)memchr(spec, '+', n) - spec);
	if (n == 0 || n >= sizeof(scheme))
		return NULL;
	memcpy(scheme, spec, n);
	scheme[n] = '\0';
	if (sd_strcasecmp(scheme, "postgres") == 0)
		return sd_dialect_find("postgresql");
	return sd_dialect_find(scheme);
}

static bool is_sqlite_file(const char *path)
{
	static const char magic[16] = "SQLite format 3";
	char head[16];
	FILE *f = fopen(path, "rb");
	bool yes;

	if (!f)
		return false;
	yes = fread(head, 1, sizeof(head), f) == sizeof(head) && memcmp(head, magic, sizeof(head)) == 0;
	fclose(f);
	return yes;
}

/*
 * A libpq key/value connection string ("host=/tmp/x dbname=y"): the first
 * word is a libpq connection keyword followed by '='.
 */
static bool is_pg_conninfo(const char *spec)
{
	static const char *const keys[] = {
		"host", "hostaddr", "port", "dbname", "user", "password", "passfile",
		"service", "options", "sslmode", "connect_timeout", "application_name",
		"target_session_attrs", "channel_binding", "gssencmode", "sslrootcert",
	};
	size_t n = strspn(spec, "abcdefghijklmnopqrstuvwxyz_"), i;
	const char *p = spec + n;

	while (*p == ' ')
		p++;
	if (*p != '=')
		return false;
	for (i = 0; i < SD_ARRAY_LEN(keys); i++) {
		if (strlen(keys[i]) == n && strncmp(spec, keys[i], n) == 0)
			return true;
	}
	return false;
}

sd_source_kind sd_source_classify(const char *spec, const sd_dialect **dialect)
{
	if (is_pg_conninfo(spec)) {
		if (dialect)
			*dialect = sd_dialect_find("postgresql");
		return SD_SOURCE_DATABASE;
	}
	if (dialect)
		*dialect = NULL;
	if (strstr(spec, "://") || has_prefix_ci(spec, "sqlite:")) {
		if (dialect)
			*dialect = has_prefix_ci(spec, "sqlite:") ? &sd_dialect_sqlite : dialect_for_url(spec);
		return SD_SOURCE_DATABASE;
	}
	if (has_suffix_ci(spec, ".json"))
		return SD_SOURCE_JSON;
	if (has_suffix_ci(spec, ".yaml") || has_suffix_ci(spec, ".yml"))
		return SD_SOURCE_YAML;
	if (is_sqlite_file(spec)) {
		if (dialect)
			*dialect = &sd_dialect_sqlite;
		return SD_SOURCE_DATABASE;
	}
	return SD_SOURCE_UNKNOWN;
}

void sd_source_database_url(sd_str *out, const char *spec)
{
	if (!strstr(spec, "://") && !has_prefix_ci(spec, "sqlite:") && !is_pg_conninfo(spec))
		sd_str_addf(out, "sqlite:///%s", spec); /* a bare path to a database file */
	else
		sd_str_add(out, spec);
}

int sd_source_load(sd_schema **out, const char *spec, const sd_introspect_opts *opts, sd_error *err)
{
	const sd_dialect *d = NULL;
	sd_str url = SD_STR_INIT;
	int rc;

	*out = NULL;
	switch (sd_source_classify(spec, &d)) {
	case SD_SOURCE_DATABASE:
		if (!d || !d->introspect) {
			rc = sd_error_set_at(err, SD_EUNSUPPORTED, NULL, 0, 0, NULL,
					     "unsupported database URL \"%.*s...\"",
					     (int)(strstr(spec, ":") ? strstr(spec, ":") - spec : 0), spec);
			sd_error_set_hint(err, "supported: sqlite:///relative/path.db, "
					  "sqlite:////absolute/path.db, or a schema file (.json, .yaml)");
			return rc;
		}
		sd_source_database_url(&url, spec);
		rc = d->introspect(out, url.ptr, opts, err);
		sd_str_release(&url);
		return rc;
	case SD_SOURCE_JSON:
		return sd_schema_load_json_file(out, spec, err);
	case SD_SOURCE_YAML:
		return sd_schema_load_yaml_file(out, spec, err);
	case SD_SOURCE_UNKNOWN:
	default:
		rc = sd_error_set_at(err, SD_EINPUT, spec, 0, 0, NULL,
				     "not a database URL, an SQLite database or a schema file");
		sd_error_set_hint(err, "use sqlite:///path.db for a database, or a file ending in .json or .yaml");
		return rc;
	}
}
