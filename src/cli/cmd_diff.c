/*
 * cmd_diff.c - "schemadiff diff FROM TO": what changed, as a review or JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "common.h"
#include "schemadiff/exitcodes.h"

static const sd_cmd_help help = {
	"diff", "FROM TO [--format text|json] [--exit-code] [-o FILE]",
	"Compare two schemas and print the changes that turn FROM into TO.",
	"FROM and TO are each a database URL (sqlite:///relative.db, sqlite:////abs/path.db)\n"
	"or a schema file (.json). Databases are opened read-only.\n"
	"The text format is a review: one line per detected change, grouped by table,\n"
	"changes that lose data marked [destructive]. The JSON format is the op list\n"
	"{\"ops\": [...], \"downgrade\": [...]} described by schemas/ops.schema.json.",
	"  schemadiff diff sqlite:///registry.db w.2020.22.json\n"
	"  schemadiff diff w.2020.19.json w.2020.22.json --format json -o ops.json\n"
	"  schemadiff diff sqlite:///registry.db w.2020.22.json --exit-code",
	2, 2,
};

int cmd_diff(int argc, char **argv)
{
	const char *format = "text", *output = NULL;
	bool exit_code = false;
	sd_strlist schemas = { 0 };
	const sd_option opts[] = {
		{ SD_OPT_STRING, 'f', "format", "FORMAT", &format, "Output format: text (default) or json" },
		{ SD_OPT_STRING, 'o', "output", "FILE", &output, "Write to FILE (atomically) instead of stdout" },
		{ SD_OPT_FLAG, 0, "exit-code", NULL, &exit_code, "Exit with 1 when there are differences" },
		{ SD_OPT_LIST, 0, "schema", "NAME", &schemas, "Database schema (namespace) to read; repeatable" },
		{ SD_OPT_END, 0, NULL, NULL, NULL, NULL },
	};
	sd_introspect_opts iopts = { 0 };
	sd_migration m = { 0 };
	sd_error err = SD_ERROR_INIT;
	const sd_emitter *e;
	const sd_dialect *d = NULL;
	sd_str out = SD_STR_INIT;
	const char **args = NULL;
	size_t nargs;
	int rc, status = SD_EXIT_ERROR;

	rc = sd_parse_options(argc, argv, opts, &help, &args, &nargs);
	if (rc != SD_PARSE_OK) {
		sd_strlist_release(&schemas);
		return rc == SD_PARSE_HELP ? SD_EXIT_OK : SD_EXIT_ERROR;
	}
	e = sd_emitter_find(format);
	if (!e) {
		fprintf(stderr, "error: unknown format \"%s\"\nhint: use --format text or --format json\n",
			format);
		goto done;
	}
	iopts.schemas = schemas.items;
	iopts.nschemas = schemas.n;
	if (sd_cli_compare(&m, args[0], args[1], &iopts, &d, &err) ||
	    sd_emit(e, &m, d, &out, &err) || sd_cli_write_output(output, &out, &err)) {
		sd_cli_report(&err);
		goto done;
	}
	status = (exit_code && m.upgrade.n > 0) ? SD_EXIT_CHANGES : SD_EXIT_OK;
done:
	if (m.upgrade.store || m.downgrade.store)
		sd_migration_release(&m);
	sd_error_clear(&err);
	sd_str_release(&out);
	sd_strlist_release(&schemas);
	free(args);
	return status;
}
