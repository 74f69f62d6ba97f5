/*
 * cmd_introspect.c - "schemadiff introspect SOURCE": read a database (or a
 * schema file) and write the schema file for it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "common.h"
#include "schemadiff/exitcodes.h"
#include "schemadiff/schemafile.h"
#include "schemadiff/source.h"

static const sd_cmd_help help = {
	"introspect", "SOURCE [-o FILE]",
	"Read a database (read-only) and write its schema file (JSON).",
	"SOURCE is a database URL (sqlite:///relative.db, sqlite:////abs/path.db) or a\n"
	"schema file, which is then re-written in canonical form. The output format is\n"
	"described by schemas/schema.schema.json. The file is written atomically.",
	"  schemadiff introspect sqlite:///registry.db -o w.2020.19.json\n"
	"  schemadiff introspect sqlite:///registry.db | less",
	1, 1,
};

int cmd_introspect(int argc, char **argv)
{
	const char *output = NULL;
	sd_strlist schemas = { 0 };
	const sd_option opts[] = {
		{ SD_OPT_STRING, 'o', "output", "FILE", &output, "Write to FILE (atomically) instead of stdout" },
		{ SD_OPT_LIST, 0, "schema", "NAME", &schemas, "Database schema (namespace) to read; repeatable" },
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
		return rc == SD_PARSE_HELP ? SD_EXIT_OK : SD_EXIT_ERROR;
	}
	iopts.schemas = schemas.items;
	iopts.nschemas = schemas.n;
	if (sd_source_load(&s, args[0], &iopts, &err)) {
		sd_cli_report(&err);
		goto done;
	}
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
	free(args);
	return status;
}
