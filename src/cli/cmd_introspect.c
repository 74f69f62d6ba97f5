/*
 * cmd_introspect.c - "schemadiff introspect SOURCE": read a database (or a
 * schema file) and write the schema file for it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "common.h"
#include "config.h"
#include "schemadiff/exitcodes.h"
#include "schemadiff/schemafile.h"
#include "schemadiff/source.h"

static const sd_cmd_help help = {
	"introspect", "[SOURCE] [-o FILE] [--include/--exclude PATTERN]",
	"Read a database (read-only) and write its schema file (JSON or YAML).",
	"SOURCE is a database URL (sqlite:///relative.db, sqlite:////abs/path.db) or a\n"
	"schema file, which is then re-written in canonical form. The output format is\n"
	"described by schemas/schema.schema.json. The file is written atomically.\n"
	"The output is YAML when FILE ends in .yaml or .yml or with --format yaml.\n"
	"Without SOURCE, the sqlalchemy.url of ./alembic.ini (or -c FILE) is read.\n"
	"--include/--exclude leave objects out by name (see 'schemadiff diff --help').",
	"  schemadiff introspect sqlite:///registry.db -o w.2020.19.json\n"
	"  schemadiff introspect sqlite:///registry.db | less\n"
	"  schemadiff introspect target.json -o target.yaml\n"
	"  schemadiff introspect -o current.json --exclude 'tmp_.*'   # inside an Alembic project",
	0, 1,
};

int cmd_introspect(int argc, char **argv)
{
	const char *output = NULL, *format = NULL;
	sd_strlist schemas = { 0 };
	sd_cli_config_opts co = { 0 };
	sd_cli_config cfg = SD_CLI_CONFIG_INIT;
	const char *source;
	const sd_option opts[] = {
		{ SD_OPT_STRING, 'o', "output", "FILE", &output, "Write to FILE (atomically) instead of stdout" },
		{ SD_OPT_LIST, 0, "schema", "NAME", &schemas, "Database schema (namespace) to read; repeatable" },
		{ SD_OPT_STRING, 0, "format", "FORMAT", &format, "json or yaml (default: from FILE's name, else json)" },
		SD_CLI_FILTER_OPTIONS(&co),
		SD_CLI_CONFIG_OPTIONS(&co),
		{ SD_OPT_END, 0, NULL, NULL, NULL, NULL },
	};
	sd_introspect_opts iopts = { 0 };
	sd_error err = SD_ERROR_INIT;
	sd_schema *s = NULL;
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
	if (sd_cli_config_load(&cfg, &co, &err)) {
		sd_cli_config_report(&cfg, &err);
		goto done;
	}
	if (format && strcmp(format, "json") != 0 && strcmp(format, "yaml") != 0) {
		sd_error_set(&err, SD_EINPUT, "unknown format \"%s\": expected \"json\" or \"yaml\"", format);
		sd_cli_report(&err);
		goto done;
	}
	if (!format && output) {
		size_t n = strlen(output);
		if ((n >= 5 && sd_strcasecmp(output + n - 5, ".yaml") == 0) ||
		    (n >= 4 && sd_strcasecmp(output + n - 4, ".yml") == 0))
			format = "yaml";
	}
	source = nargs ? args[0] : cfg.url;
	if (!source) {
		sd_error_set(&err, SD_EINPUT, "no SOURCE: give a database URL, or set sqlalchemy.url "
			     "in %s", cfg.ini_path ? cfg.ini_path : "alembic.ini");
		sd_cli_report(&err);
		goto done;
	}
	iopts.schemas = schemas.items;
	iopts.nschemas = schemas.n;
	if (sd_source_load(&s, source, &iopts, &err)) {
		sd_cli_report(&err);
		goto done;
	}
	sd_cli_filter_schema(&cfg, s);
	if (format && strcmp(format, "yaml") == 0)
		sd_schema_to_yaml(&out, s);
	else
		sd_schema_to_json(&out, s);
	if (sd_cli_write_output(output, &out, &err)) {
		sd_cli_report(&err);
		goto done;
	}
	status = SD_EXIT_OK;
done:
	sd_schema_free(s);
	sd_error_clear(&err);
	sd_str_release(&out);
	sd_strlist_release(&schemas);
	sd_cli_config_release(&cfg);
	sd_cli_config_opts_release(&co);
	free(args);
	return status;
}
