/*
 * cmd_history.c - "schemadiff history [-r A:B]": the revisions from the
 * heads down to the bases, printed as `alembic history` does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "versions.h"
#include "schemadiff/exitcodes.h"

static const sd_cmd_help help = {
	"history", "[-r [A]:[B]] [--versions DIR] [--verbose]",
	"List the revisions newest first, as 'alembic history' does.",
	"One line per revision, children before parents:\n"
	"  PARENT (DEPENDS_ON) -> REV (branch labels) (head) (branchpoint), message\n"
	"-r A:B limits the list to revisions that descend from A and lead to B (both\n"
	"included); A: or :B leave one end open ('base' and 'heads' say so too).\n"
	"--verbose prints Alembic's long entries.",
	"  schemadiff history --versions alembic/versions\n"
	"  schemadiff history -r w.2020.19:w.2020.22",
	0, 0,
};

/* "" / "base" / "heads" / "head": the open end. */
static const char *end_or_null(char *s)
{
	if (!*s || strcmp(s, "base") == 0 || strcmp(s, "heads") == 0 || strcmp(s, "head") == 0)
		return NULL;
	return s;
}

int cmd_history(int argc, char **argv)
{
	bool verbose = false;
	const char *range = NULL;
	sd_strlist versions = { 0 };
	const sd_option opts[] = {
		{ SD_OPT_STRING, 'r', "rev-range", "A:B", &range, "Only revisions from A up to B" },
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
	char *base = NULL, *head = NULL;
	sd_str out = SD_STR_INIT;
	int rc, status = SD_EXIT_ERROR;

	rc = sd_parse_options(argc, argv, opts, &help, &args, &nargs);
	if (rc != SD_PARSE_OK) {
		status = rc == SD_PARSE_HELP ? SD_EXIT_OK : SD_EXIT_ERROR;
		goto done;
	}
	if (range) {
		const char *colon = strchr(range, ':');

		if (!colon) {
			fprintf(stderr, "error: history range requires [start]:[end], [start]:, or "
				":[end]\nhint: see 'schemadiff history --help'\n");
			goto done;
		}
		base = xstrndup(range, (size_t)(colon - range));
		head = xstrdup(colon + 1);
	}
	if (sd_cli_versions_load(&versions, &cfg, &dirs, &ndirs, &g, &err) ||
	    sd_cli_walk(g, base ? end_or_null(base) : NULL, head ? end_or_null(head) : NULL,
			&walk, &n, &err)) {
		sd_cli_report(&err);
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		if (verbose)
			sd_cli_rev_log_entry(&out, g, walk[i]);
		else
			sd_cli_rev_format(&out, g, walk[i], SD_RF_PARENTS | SD_RF_BRANCHES |
					  SD_RF_HEAD | SD_RF_TREE | SD_RF_DOC);
		sd_str_addch(&out, '\n');
	}
	fputs(out.ptr, stdout);
	status = SD_EXIT_OK;
done:
	free(walk);
	free(base);
	free(head);
	sd_revgraph_free(g);
	sd_alembic_config_free(cfg);
	sd_error_clear(&err);
	sd_str_release(&out);
	sd_strlist_release(&versions);
	free(args);
	return status;
}
