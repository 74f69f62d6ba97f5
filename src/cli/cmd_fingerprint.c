/*
 * cmd_fingerprint.c - "schemadiff fingerprint SOURCE": the schema's
 * fingerprint (fingerprint.h), the same for a database and its schema file.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "schemadiff/exitcodes.h"
#include "schemadiff/fingerprint.h"
#include "schemadiff/source.h"

static const sd_cmd_help help = {
	"fingerprint", "SOURCE [--canonical]",
	"Print the fingerprint of a schema (a database or a schema file).",
	"The fingerprint is sha256:<hex> of a canonical text of the normalized schema:\n"
	"types, defaults and expressions in the dialect's canonical form, columns in\n"
	"declared order, sets (tables, indexes, constraints, views) sorted. A database\n"
	"and the schema file introspected from it have the same fingerprint; so do two\n"
	"files that differ only in formatting or in the order of sets. Revision files\n"
	"written by 'schemadiff revision' record the fingerprint of their target schema\n"
	"('Schema fingerprint:' in the header). --canonical prints the hashed text.",
	"  schemadiff fingerprint sqlite:///registry.db\n"
	"  schemadiff fingerprint alembic/versions/w.2020.22.schema.json",
	1, 1,
};

int cmd_fingerprint(int argc, char **argv)
{
	bool canonical = false;
	sd_strlist schemas = { 0 };
	sd_introspect_opts iopts = { 0 };
	const sd_option opts[] = {
		{ SD_OPT_FLAG, 0, "canonical", NULL, &canonical, "Print the canonical text instead of its hash" },
		{ SD_OPT_LIST, 0, "schema", "NAME", &schemas, "Database schema (namespace) to read; repeatable" },
		{ SD_OPT_END, 0, NULL, NULL, NULL, NULL },
	};
	sd_error err = SD_ERROR_INIT;
	sd_schema *s = NULL;
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
	if (canonical) {
		sd_str text = SD_STR_INIT;

		sd_schema_canonical(&text, s, NULL);
		fputs(text.ptr, stdout);
		sd_str_release(&text);
	} else {
		char fp[SD_FINGERPRINT_SIZE];

		sd_schema_fingerprint(fp, s, NULL);
		printf("%s\n", fp);
	}
	status = SD_EXIT_OK;
done:
	sd_schema_free(s);
	sd_error_clear(&err);
	sd_strlist_release(&schemas);
	free(args);
	return status;
}
