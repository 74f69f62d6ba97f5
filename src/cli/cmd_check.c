/*
 * cmd_check.c - "schemadiff check FROM TO": a CI gate.  Exit 0 when the
 * schemas are equal, 1 with the review printed when they differ, 2 on error.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "common.h"
#include "config.h"
#include "schemadiff/exitcodes.h"

static const sd_cmd_help help = {
	"check", "[[FROM] TO] [--format text|json|github] [--quiet] [--include/--exclude PATTERN]",
	"Check that two schemas are equal; exit 0 when they are, 1 when they differ.",
	"When they differ, the review of the differences (as printed by 'schemadiff diff')\n"
	"goes to stdout: --format text (the default), json (the op list, as 'diff --format\n"
	"json' writes it) or github (one GitHub Actions annotation per change: ::error\n"
	"for changes that lose data, ::warning for the others). Errors (unreadable file,\n"
	"bad URL, bad schema) exit with 2.\n"
	"Inside an Alembic project (./alembic.ini, or -c FILE) FROM defaults to its\n"
	"sqlalchemy.url and TO to the 'target' of its [schemadiff] section, whose\n"
	"include/exclude patterns apply unless --include/--exclude are given.",
	"  schemadiff check sqlite:///registry.db w.2020.22.json\n"
	"  schemadiff check sqlite:///ci-built.db target.json --quiet || exit 1\n"
	"  schemadiff check --exclude 'tmp_.*'     # inside an Alembic project\n"
	"  schemadiff check sqlite:///prod-copy.db target.json --format github",
	0, 2,
};

int cmd_check(int argc, char **argv)
{
	bool quiet = false;
	const char *format = "text";
	const sd_emitter *e;
	sd_strlist schemas = { 0 };
	sd_cli_config_opts co = { 0 };
	sd_cli_config cfg = SD_CLI_CONFIG_INIT;
	const char *from, *to;
	const sd_option opts[] = {
		{ SD_OPT_FLAG, 'q', "quiet", NULL, &quiet, "Print nothing; only the exit status tells" },
		{ SD_OPT_STRING, 'f', "format", "FORMAT", &format, "Output format: text (default), json or github" },
		{ SD_OPT_LIST, 0, "schema", "NAME", &schemas, "Database schema (namespace) to read; repeatable" },
		SD_CLI_FILTER_OPTIONS(&co),
		SD_CLI_CONFIG_OPTIONS(&co),
		{ SD_OPT_END, 0, NULL, NULL, NULL, NULL },
	};
	sd_introspect_opts iopts = { 0 };
	sd_migration m = { 0 };
	sd_error err = SD_ERROR_INIT;
	const sd_dialect *d = NULL;
	sd_str out = SD_STR_INIT;
	const char **args = NULL;
	size_t nargs;
	int rc, status = SD_EXIT_ERROR;

	rc = sd_parse_options(argc, argv, opts, &help, &args, &nargs);
	if (rc != SD_PARSE_OK) {
		sd_strlist_release(&schemas);
		sd_cli_config_opts_release(&co);
		return rc == SD_PARSE_HELP ? SD_EXIT_OK : SD_EXIT_ERROR;
	}
	e = sd_emitter_find(format);
	if (!e || (e != &sd_emitter_review && e != &sd_emitter_json && e != &sd_emitter_github)) {
		fprintf(stderr, "error: unknown format \"%s\"\nhint: use --format text, json or github\n",
			format);
		goto done;
	}
	if (sd_cli_config_load(&cfg, &co, &err) ||
	    sd_cli_config_sources(&cfg, args, nargs, &from, &to, &err)) {
		sd_cli_config_report(&cfg, &err);
		goto done;
	}
	iopts.schemas = schemas.items;
	iopts.nschemas = schemas.n;
	if (sd_cli_compare_cfg(&m, from, to, &iopts, &cfg, &d, NULL, NULL, &err)) {
		sd_cli_report(&err);
		goto done;
	}
	status = m.upgrade.n > 0 ? SD_EXIT_CHANGES : SD_EXIT_OK;
	if (!quiet) {
		if (sd_emit(e, &m, d, &out, &err) || sd_cli_write_output(NULL, &out, &err)) {
			sd_cli_report(&err);
			status = SD_EXIT_ERROR;
		}
	}
done:
	if (m.upgrade.store || m.downgrade.store)
		sd_migration_release(&m);
	sd_error_clear(&err);
	sd_str_release(&out);
	sd_strlist_release(&schemas);
	sd_cli_config_release(&cfg);
	sd_cli_config_opts_release(&co);
	free(args);
	return status;
}
