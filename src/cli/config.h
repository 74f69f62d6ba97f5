/*
 * config.h - where a command's settings come from, resolved in one place.
 *
 * Sources, strongest first:
 *   1. explicit options and positional arguments of the command;
 *   2. -x KEY=VALUE (Alembic's -x; the keys schemadiff reads are listed
 *      below, any other key is an error);
 *   3. the [schemadiff] section of the Alembic config file;
 *   4. the [alembic] section, or -n/--name NAME's (sqlalchemy.url, script_location,
 *      version_locations, file_template, truncate_slug_length).
 * The Alembic config file is -c/--config FILE, else ./alembic.ini when it
 * exists; there is no other configuration file.  Values are interpolated as
 * Alembic's configparser does (%(here)s, "%%" for "%"); relative paths are
 * relative to the current directory, as in Alembic.
 *
 * -x keys: url (alias sqlalchemy.url), target, dialect, format, versions.
 * [schemadiff] keys: target, include, exclude (one pattern per line:
 * indented continuation lines, so a pattern may contain spaces), dialect,
 * versions (one directory per line), format (revision's: alembic or sql).
 * An explicit --include (--exclude) replaces the file's include (exclude)
 * list; it does not add to it.
 *
 * How a command uses it (any command that reads two sides):
 *
 *     sd_cli_config_opts co = { 0 };
 *     sd_option opts[] = { ..., SD_CLI_CONFIG_OPTIONS(&co), SD_CLI_FILTER_OPTIONS(&co),
 *                          { SD_OPT_END, ... } };
 *     sd_cli_config cfg = SD_CLI_CONFIG_INIT;
 *     ...parse...
 *     if (sd_cli_config_load(&cfg, &co, &err) ||
 *         sd_cli_config_sources(&cfg, args, nargs, &from, &to, &err))
 *             sd_cli_config_report(&cfg, &err);
 *     sd_cli_compare_cfg(&m, from, to, &iopts, &cfg, &d, &err);
 *     ...
 *     sd_cli_config_release(&cfg); sd_cli_config_opts_release(&co);
 */
#ifndef SCHEMADIFF_CLI_CONFIG_H
#define SCHEMADIFF_CLI_CONFIG_H

#include "cli.h"
#include "schemadiff/compare.h"
#include "schemadiff/filter.h"
#include "schemadiff/revision.h"

/* What the option tables fill. */
typedef struct sd_cli_config_opts {
	const char *config;      /* -c/--config FILE */
	const char *name;        /* -n/--name SECTION: read instead of [alembic], as alembic -n */
	sd_strlist x;            /* -x KEY=VALUE */
	sd_strlist include;      /* --include PATTERN */
	sd_strlist exclude;      /* --exclude PATTERN */
} sd_cli_config_opts;

#define SD_CLI_CONFIG_OPTIONS(o)                                                              \
	{ SD_OPT_STRING, 'c', "config", "FILE", &(o)->config,                                 \
	  "Alembic config file (default: ./alembic.ini when present)" },                      \
	{ SD_OPT_STRING, 'n', "name", "NAME", &(o)->name,                                     \
	  "Section of the config file to read, as alembic -n (default: alembic)" },           \
	{ SD_OPT_LIST, 'x', "x-arg", "KEY=VALUE", &(o)->x,                                    \
	  "Override a setting: url, target, dialect, format, versions; repeatable" }

#define SD_CLI_FILTER_OPTIONS(o)                                                              \
	{ SD_OPT_LIST, 0, "include", "PATTERN", &(o)->include,                                \
	  "Compare only tables/views whose name fully matches PATTERN; repeatable" },         \
	{ SD_OPT_LIST, 0, "exclude", "PATTERN", &(o)->exclude,                                \
	  "Leave out objects whose qualified name fully matches PATTERN; repeatable" }

typedef struct sd_cli_config {
	char *ini_path;               /* the Alembic config file read, or NULL */
	sd_alembic_config *alembic;   /* its [alembic] section, or NULL */
	char *url;                    /* the database: -x url, else sqlalchemy.url; or NULL */
	char *target;                 /* -x target, else [schemadiff] target; or NULL */
	const sd_dialect *dialect;    /* -x dialect, else [schemadiff] dialect; or NULL */
	char *format;                 /* -x format, else [schemadiff] format; or NULL */
	char **versions;              /* -x versions, else [schemadiff] versions (one per
	                                 line), else the [alembic] versions; n 0 = none */
	size_t nversions;
	int truncate_slug_length;     /* [alembic]; 40 */
	const char *file_template;    /* [alembic] file_template (interpolated), or NULL */
	sd_filter *filter;            /* never NULL after sd_cli_config_load */
	char *bad_pattern;            /* the invalid pattern, for sd_cli_config_report */
} sd_cli_config;

#define SD_CLI_CONFIG_INIT { NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 40, NULL, NULL, NULL }

/*
 * Resolve everything but the positional arguments.  A missing -c FILE, an
 * unreadable or malformed ini, an unknown -x key, an unknown dialect and an
 * invalid pattern are errors (cfg is then still safe to release).  An
 * invalid pattern has err->column set; sd_cli_config_report() prints the
 * caret line under it.
 */
int sd_cli_config_load(sd_cli_config *cfg, const sd_cli_config_opts *o, sd_error *err);

/*
 * FROM and TO of a two-sided command from its positional arguments:
 *   2 arguments   FROM TO as given;
 *   1 argument    FROM = the configured URL, TO = the argument;
 *   0 arguments   FROM = the configured URL, TO = the configured target.
 * A missing URL or target is SD_EINPUT with a hint saying where to set it.
 * The strings point into args or cfg.
 */
int sd_cli_config_sources(const sd_cli_config *cfg, const char **args, size_t nargs,
			  const char **from, const char **to, sd_error *err);

/* Print err as sd_cli_report does; after an invalid pattern, also the
 * pattern and a caret under the character PCRE2 stopped at.  Returns
 * SD_EXIT_ERROR. */
int sd_cli_config_report(const sd_cli_config *cfg, const sd_error *err);

/*
 * sd_cli_compare (common.h) with the configuration: both sides are
 * filtered with cfg->filter (alembic_version always goes), the comparison
 * uses cfg->dialect when set, and the filter's notes are printed on stderr
 * ("note: foreign key ... refers to excluded table ...", once per line).
 * cfg may be NULL (then only alembic_version is filtered).  When keep_from
 * is not NULL, *keep_from and *keep_to receive the filtered schemas (the
 * caller frees them) for a proof; otherwise they are freed here.
 */
int sd_cli_compare_cfg(sd_migration *m, const char *from, const char *to,
		       const sd_introspect_opts *iopts, const sd_cli_config *cfg,
		       const sd_dialect **dialect, sd_schema **keep_from, sd_schema **keep_to,
		       sd_error *err);

/* Filter one loaded schema (introspect) and print the notes. */
void sd_cli_filter_schema(const sd_cli_config *cfg, sd_schema *s);

/*
 * The Unix time of a Create Date string from sd_cli_create_date (local
 * time, "YYYY-MM-DD HH:MM:SS[.ffffff]"), for the file_template's tokens,
 * so the file name and the header agree to the second.
 */
long long sd_cli_date_epoch(const char *date);

void sd_cli_config_release(sd_cli_config *cfg);
void sd_cli_config_opts_release(sd_cli_config_opts *o);

#endif
