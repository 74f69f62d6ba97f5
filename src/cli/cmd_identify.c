/*
 * cmd_identify.c - "schemadiff identify DB": which revision's snapshot a
 * database's schema matches, for a database that was never stamped (built
 * by a definition tool): what a team needs before its first `stamp`.
 */
#include <stdio.h>
#include <stdlib.h>

#include "versions.h"
#include "schemadiff/exitcodes.h"
#include "schemadiff/source.h"

static const sd_cmd_help help = {
	"identify", "DB [--versions DIR | -c FILE [-n NAME]]",
	"Find the revision whose schema snapshot a database matches.",
	"Compares the live schema of DB with every snapshot <DIR>/<rev>.schema.json\n"
	"of the versions directory. Prints 'database matches the snapshot of REV'\n"
	"(several revisions when their snapshots are equal) and exits 0; when none\n"
	"matches exactly, names the closest snapshot by number of changes, prints\n"
	"those changes (from the snapshot to the database) and exits 1. The database's\n"
	"alembic_version table, if any, is not consulted ('schemadiff verify' does).",
	"  schemadiff identify sqlite:///registry.db --versions alembic/versions\n"
	"  schemadiff identify sqlite:///registry.db && schemadiff stamp sqlite:///registry.db REV",
	1, 1,
};

int cmd_identify(int argc, char **argv)
{
	sd_cli_versions_opts vo = { 0 };
	const sd_option opts[] = {
		SD_CLI_VERSIONS_OPTIONS(&vo),
		SD_CLI_SCHEMA_OPTION(&vo),
		{ SD_OPT_END, 0, NULL, NULL, NULL, NULL },
	};
	sd_error err = SD_ERROR_INIT;
	sd_alembic_config *cfg = NULL;
	const char *const *dirs = NULL;
	const char **args = NULL;
	size_t ndirs = 0, nargs;
	sd_schema *live = NULL, *snap = NULL;
	sd_identify_result id = { 0 };
	sd_migration m = { 0 };
	sd_str out = SD_STR_INIT;
	const sd_dialect *d = NULL;
	char *path = NULL;
	int rc, status = SD_EXIT_ERROR;

	rc = sd_parse_options(argc, argv, opts, &help, &args, &nargs);
	if (rc != SD_PARSE_OK) {
		status = rc == SD_PARSE_HELP ? SD_EXIT_OK : SD_EXIT_ERROR;
		goto done;
	}
	if (sd_source_classify(args[0], &d) != SD_SOURCE_DATABASE) {
		sd_error_set_at(&err, SD_EINPUT, args[0], 0, 0, NULL, "not a database URL");
		goto fail;
	}
	if (sd_cli_versions_load(&vo, &cfg, &dirs, &ndirs, NULL, &err) ||
	    sd_source_load(&live, args[0], &vo.iopts, &err) ||
	    sd_cli_identify(&id, live, dirs, ndirs, &err))
		goto fail;
	if (id.matches.n) {
		sd_str_add(&out, "database matches the snapshot of ");
		for (size_t i = 0; i < id.matches.n; i++)
			sd_str_addf(&out, "%s%s", i ? ", " : "", id.matches.items[i]);
		sd_str_addch(&out, '\n');
		status = SD_EXIT_OK;
	} else if (!id.closest) {
		sd_str_add(&out, "database matches no snapshot: there are none in ");
		for (size_t i = 0; i < ndirs; i++)
			sd_str_addf(&out, "%s%s", i ? ", " : "", dirs[i]);
		sd_str_addch(&out, '\n');
		status = SD_EXIT_CHANGES;
	} else {
		path = sd_cli_find_snapshot(dirs, ndirs, id.closest);
		if (!path || sd_source_load(&snap, path, NULL, &err) ||
		    sd_cli_compare_schemas(&m, snap, live, &err)) {
			sd_error_set(&err, SD_EIO, "snapshot of \"%s\" disappeared", id.closest);
			goto fail;
		}
		sd_str_addf(&out, "database matches no snapshot exactly; the closest is %s "
			    "(%zu difference%s, from the snapshot to the database):\n", id.closest,
			    id.closest_ops, id.closest_ops == 1 ? "" : "s");
		sd_cli_review(&out, &m, "  ");
		status = SD_EXIT_CHANGES;
	}
	fputs(out.ptr, stdout);
	goto done;
fail:
	sd_cli_report(&err);
done:
	sd_schema_free(live);
	sd_schema_free(snap);
	sd_migration_release(&m);
	sd_identify_result_release(&id);
	sd_alembic_config_free(cfg);
	sd_error_clear(&err);
	sd_str_release(&out);
	sd_strlist_release(&vo.versions);
	sd_strlist_release(&vo.schemas);
	free(path);
	free(args);
	return status;
}
