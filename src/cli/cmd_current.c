/*
 * cmd_current.c - "schemadiff current DB": the revision(s) recorded in the
 * database's alembic_version table, printed as `alembic current` does;
 * --verify adds the check of `schemadiff verify`.
 */
#include <stdio.h>
#include <stdlib.h>

#include "versions.h"
#include "schemadiff/exitcodes.h"

static const sd_cmd_help help = {
	"current", "DB [--verify] [--versions DIR | -c FILE [-n NAME]]",
	"Show the revision recorded in a database, as 'alembic current' does.",
	"Prints each revision of DB's alembic_version table in Alembic's format\n"
	"('w.2020.22 (head)'); nothing when the database is not stamped (a note on\n"
	"stderr says why). A recorded revision the versions directory does not know\n"
	"is printed as it is, with a warning. --verify then checks that the schema\n"
	"matches the revision's snapshot, as 'schemadiff verify' does, and exits as\n"
	"verify does (0 matches, 1 does not, 2 error).",
	"  schemadiff current sqlite:///registry.db --versions alembic/versions\n"
	"  schemadiff current sqlite:///registry.db --verify",
	1, 1,
};

int cmd_current(int argc, char **argv)
{
	bool verify = false;
	sd_cli_versions_opts vo = { 0 };
	const sd_option opts[] = {
		SD_CLI_VERSIONS_OPTIONS(&vo),
		SD_CLI_SCHEMA_OPTION(&vo),
		{ SD_OPT_FLAG, 0, "verify", NULL, &verify, "Also check the schema against the revision's snapshot" },
		{ SD_OPT_END, 0, NULL, NULL, NULL, NULL },
	};
	sd_error err = SD_ERROR_INIT;
	sd_alembic_config *cfg = NULL;
	sd_revgraph *g = NULL;
	const char *const *dirs = NULL;
	const char **args = NULL;
	size_t ndirs = 0, nargs, nrevs = 0;
	char **revs = NULL;
	const sd_dialect *d = NULL;
	sd_str out = SD_STR_INIT;
	int rc, status = SD_EXIT_ERROR;

	rc = sd_parse_options(argc, argv, opts, &help, &args, &nargs);
	if (rc != SD_PARSE_OK) {
		status = rc == SD_PARSE_HELP ? SD_EXIT_OK : SD_EXIT_ERROR;
		goto done;
	}
	if (sd_cli_db_dialect(args[0], false, &d, &err) ||
	    sd_cli_versions_load(&vo, &cfg, &dirs, &ndirs, &g, &err))
		goto fail;
	if ((rc = d->read_version_table(args[0], &revs, &nrevs, &err)) < 0)
		goto fail;
	if (rc == 1)
		fprintf(stderr, "note: %s has no alembic_version table\n", args[0]);
	else if (!nrevs)
		fprintf(stderr, "note: the alembic_version table of %s is empty\n", args[0]);
	for (size_t i = 0; i < nrevs; i++) {
		const sd_revision *r = sd_revgraph_get(g, revs[i]);

		if (r)
			sd_cli_rev_format(&out, g, r, SD_RF_HEAD | SD_RF_TREE);
		else {
			sd_str_add(&out, revs[i]);
			fprintf(stderr, "warning: %s is not a revision of the versions directory\n",
				revs[i]);
		}
		sd_str_addch(&out, '\n');
	}
	fputs(out.ptr, stdout);
	status = SD_EXIT_OK;
	if (verify) {
		sd_str_reset(&out);
		status = sd_cli_verify_db(args[0], &vo.iopts, g, dirs, ndirs, false, &out, &err);
		if (status == SD_EXIT_ERROR)
			goto fail;
		fputs(out.ptr, stdout);
	}
	goto done;
fail:
	sd_cli_report(&err);
	status = SD_EXIT_ERROR;
done:
	for (size_t i = 0; i < nrevs; i++)
		free(revs[i]);
	free(revs);
	sd_revgraph_free(g);
	sd_alembic_config_free(cfg);
	sd_error_clear(&err);
	sd_str_release(&out);
	sd_strlist_release(&vo.versions);
	sd_strlist_release(&vo.schemas);
	free(args);
	return status;
}
