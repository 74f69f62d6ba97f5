/*
 * cmd_heads.c - "schemadiff heads": the heads of the versions directory,
 * printed as `alembic heads` does.
 */
#include <stdio.h>
#include <stdlib.h>

#include "versions.h"
#include "schemadiff/exitcodes.h"

static const sd_cmd_help help = {
	"heads", "[--versions DIR] [--verbose]",
	"Show the heads of the versions directory, as 'alembic heads' does.",
	"One line per head, sorted by id: 'REV (branch labels) (head)'; a revision\n"
	"that only depends_on names is an '(effective head)'. --verbose prints\n"
	"Alembic's long entry (parent, branch names, path, docstring).",
	"  schemadiff heads --versions alembic/versions",
	0, 0,
};

int cmd_heads(int argc, char **argv)
{
	bool verbose = false;
	sd_strlist versions = { 0 };
	const sd_option opts[] = {
		{ SD_OPT_LIST, 0, "versions", "DIR", &versions, "Versions directory (default: from ./alembic.ini); repeatable" },
		{ SD_OPT_FLAG, 'v', "verbose", NULL, &verbose, "Alembic's long format" },
		{ SD_OPT_END, 0, NULL, NULL, NULL, NULL },
	};
	sd_error err = SD_ERROR_INIT;
	sd_alembic_config *cfg = NULL;
	sd_revgraph *g = NULL;
	const char *const *dirs = NULL;
	const char **args = NULL;
	size_t ndirs = 0, nargs;
	sd_str out = SD_STR_INIT;
	int rc, status = SD_EXIT_ERROR;

	rc = sd_parse_options(argc, argv, opts, &help, &args, &nargs);
	if (rc != SD_PARSE_OK) {
		status = rc == SD_PARSE_HELP ? SD_EXIT_OK : SD_EXIT_ERROR;
		goto done;
	}
	if (sd_cli_versions_load(&versions, &cfg, &dirs, &ndirs, &g, &err)) {
		sd_cli_report(&err);
		goto done;
	}
	for (size_t i = 0; i < g->n_heads; i++) {
		if (verbose)
			sd_cli_rev_log_entry(&out, g, g->heads[i]);
		else
			sd_cli_rev_format(&out, g, g->heads[i], SD_RF_BRANCHES | SD_RF_HEAD);
		sd_str_addch(&out, '\n');
	}
	fputs(out.ptr, stdout);
	status = SD_EXIT_OK;
done:
	sd_revgraph_free(g);
	sd_alembic_config_free(cfg);
	sd_error_clear(&err);
	sd_str_release(&out);
	sd_strlist_release(&versions);
	free(args);
	return status;
}
