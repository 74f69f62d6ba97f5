/*
 * cmd_branches.c - "schemadiff branches": the branch points of the
 * versions directory and where they lead, printed as `alembic branches`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "versions.h"
#include "schemadiff/exitcodes.h"

static const sd_cmd_help help = {
	"branches", "[--versions DIR] [--verbose]",
	"Show the branch points of the versions directory, as 'alembic branches' does.",
	"For each revision that more than one revision names as its down_revision,\n"
	"newest first: the branch point, then one '-> REV' line per branch (sorted by\n"
	"id) and a blank line. --verbose prints Alembic's long entry and messages.",
	"  schemadiff branches --versions alembic/versions",
	0, 0,
};

int cmd_branches(int argc, char **argv)
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
	const sd_revision **walk = NULL;
	size_t ndirs = 0, nargs, n = 0;
	sd_str out = SD_STR_INIT;
	int rc, status = SD_EXIT_ERROR;

	rc = sd_parse_options(argc, argv, opts, &help, &args, &nargs);
	if (rc != SD_PARSE_OK) {
		status = rc == SD_PARSE_HELP ? SD_EXIT_OK : SD_EXIT_ERROR;
		goto done;
	}
	if (sd_cli_versions_load(&versions, &cfg, &dirs, &ndirs, &g, &err) ||
	    sd_cli_walk(g, NULL, NULL, &walk, &n, &err)) {
		sd_cli_report(&err);
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		const sd_revision *r = walk[i];

		if (!r->is_branch_point)
			continue;
		if (verbose)
			sd_cli_rev_log_entry(&out, g, r);
		else
			sd_cli_rev_format(&out, g, r, SD_RF_BRANCHES | SD_RF_HEAD | SD_RF_TREE);
		sd_str_addch(&out, '\n');
		for (size_t j = 0; j < r->n_next; j++) {
			const sd_revision *nx = sd_revgraph_get(g, r->next[j]);

			sd_str_addf(&out, "%*s -> ", (int)strlen(r->id), "");
			if (nx)
				sd_cli_rev_format(&out, g, nx, SD_RF_BRANCHES | SD_RF_HEAD | SD_RF_TREE |
						  (verbose ? SD_RF_DOC : 0));
			sd_str_addch(&out, '\n');
		}
		sd_str_addch(&out, '\n');
	}
	fputs(out.ptr, stdout);
	status = SD_EXIT_OK;
done:
	free(walk);
	sd_revgraph_free(g);
	sd_alembic_config_free(cfg);
	sd_error_clear(&err);
	sd_str_release(&out);
	sd_strlist_release(&versions);
	free(args);
	return status;
}
