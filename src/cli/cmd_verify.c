/*
 * cmd_verify.c - "schemadiff verify DB": is the database where its
 * alembic_version table says?  The recorded revision's snapshot
 * (<versions>/<rev>.schema.json, written by `schemadiff revision`) is
 * compared with the live schema.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "versions.h"
#include "schemadiff/emit.h"
#include "schemadiff/exitcodes.h"
#include "schemadiff/source.h"

static const sd_cmd_help help = {
	"verify", "DB [--versions DIR | -c FILE [-n NAME]] [--json]",
	"Check that a database's schema is the one its alembic_version table claims.",
	"Reads the revision recorded in DB's alembic_version table, loads that\n"
	"revision's schema snapshot (<DIR>/<rev>.schema.json, written by 'schemadiff\n"
	"revision') and compares it with the live schema. Prints\n"
	"  database is at REV and its schema matches\n"
	"and exits 0, or prints what differs (changes from the snapshot to the live\n"
	"database) and exits 1. When the revision has no snapshot, or the database\n"
	"has no alembic_version table (or several heads), it says which snapshot the\n"
	"live schema matches, if any, and exits 1. Errors exit with 2.\n"
	"The versions directory is --versions DIR, else the one of ./alembic.ini.\n"
	"The database is only read.",
	"  schemadiff verify sqlite:///registry.db --versions alembic/versions\n"
	"  schemadiff verify sqlite:///prod.db --json > verify.json || echo drifted",
	1, 1,
};

int sd_cli_db_dialect(const char *url, bool write, const sd_dialect **d, sd_error *err)
{
	if (sd_source_classify(url, d) != SD_SOURCE_DATABASE || !*d)
		return sd_error_set_at(err, SD_EINPUT, url, 0, 0, NULL,
				       "not a database URL (the version table lives in a database)");
	if (!(write ? (*d)->write_version_table != NULL : (*d)->read_version_table != NULL))
		return sd_error_set_at(err, SD_EUNSUPPORTED, url, 0, 0, NULL,
				       "the %s dialect cannot %s alembic_version yet", (*d)->name,
				       write ? "write" : "read");
	return 0;
}

/* The identification lines / JSON members after a failed lookup. */
static void add_identify(sd_str *out, const sd_identify_result *id, bool json,
			 const char *const *dirs, size_t ndirs)
{
	if (json) {
		sd_str_add(out, ",\n  \"matches\": [");
		for (size_t i = 0; i < id->matches.n; i++) {
			sd_str_add(out, i ? ", " : "");
			sd_cli_json_str(out, id->matches.items[i]);
		}
		sd_str_add(out, "],\n  \"closest\": ");
		sd_cli_json_str(out, id->closest);
		sd_str_addf(out, ",\n  \"closest_differences\": %zu", id->closest ? id->closest_ops : 0);
		return;
	}
	if (id->matches.n) {
		sd_str_add(out, "its schema matches the snapshot of ");
		for (size_t i = 0; i < id->matches.n; i++)
			sd_str_addf(out, "%s%s", i ? ", " : "", id->matches.items[i]);
		sd_str_addch(out, '\n');
	} else if (id->closest) {
		sd_str_addf(out, "its schema matches no snapshot; the closest is %s (%zu difference%s)\n",
			    id->closest, id->closest_ops, id->closest_ops == 1 ? "" : "s");
	} else {
		sd_str_add(out, "there are no snapshots in ");
		for (size_t i = 0; i < ndirs; i++)
			sd_str_addf(out, "%s%s", i ? ", " : "", dirs[i]);
		sd_str_addch(out, '\n');
	}
}

int sd_cli_verify_db(const char *url, const sd_introspect_opts *iopts, const sd_revgraph *g,
		     const char *const *dirs, size_t ndirs, bool json, sd_str *out, sd_error *err)
{
	const sd_dialect *d = NULL;
	char **revs = NULL, *snap_path = NULL;
	size_t nrevs = 0;
	sd_schema *live = NULL, *snap = NULL;
	sd_migration m = { 0 };
	sd_identify_result id = { 0 };
	const char *status;
	sd_str text = SD_STR_INIT;
	int rc, has_table, exit_status = SD_EXIT_ERROR;

	if ((rc = sd_cli_db_dialect(url, false, &d, err)))
		goto done;
	if ((has_table = d->read_version_table(url, &revs, &nrevs, err)) < 0)
		goto done;
	has_table = has_table == 0;
	if (sd_source_load(&live, url, iopts, err))
		goto done;
	if (nrevs == 1 && (snap_path = sd_cli_find_snapshot(dirs, ndirs, revs[0]))) {
		if (sd_source_load(&snap, snap_path, NULL, err) ||
		    sd_cli_check_snapshot(g, revs[0], snap_path, snap, err) ||
		    sd_cli_compare_schemas(&m, snap, live, err))
			goto done;
		status = m.upgrade.n ? "differs" : "match";
		if (!m.upgrade.n)
			sd_str_addf(&text, "database is at %s and its schema matches\n", revs[0]);
		else {
			sd_str_addf(&text, "database is at %s but its schema differs from the snapshot "
				    "of %s (%s); from the snapshot to the database:\n", revs[0],
				    revs[0], snap_path);
			sd_cli_review(&text, &m, "  ");
		}
	} else {
		if (sd_cli_identify(&id, live, dirs, ndirs, err))
			goto done;
		if (nrevs == 1) {
			status = "no-snapshot";
			sd_str_addf(&text, "database is at %s but %s has no snapshot", revs[0], revs[0]);
			if (g && !sd_revgraph_get(g, revs[0]))
				sd_str_add(&text, " and is not a revision of the versions directory");
			sd_str_addch(&text, '\n');
		} else if (nrevs > 1) {
			status = "several-heads";
			sd_str_add(&text, "database is at several heads (");
			for (size_t i = 0; i < nrevs; i++)
				sd_str_addf(&text, "%s%s", i ? ", " : "", revs[i]);
			sd_str_add(&text, "); no single snapshot describes it\n");
		} else {
			status = "unstamped";
			sd_str_add(&text, has_table ? "database's alembic_version table is empty\n"
						    : "database has no alembic_version table\n");
		}
		add_identify(&text, &id, false, dirs, ndirs);
	}
	exit_status = strcmp(status, "match") == 0 ? SD_EXIT_OK : SD_EXIT_CHANGES;
	if (!json) {
		sd_str_add(out, text.ptr);
		goto done;
	}
	sd_str_add(out, "{\n  \"database\": ");
	sd_cli_json_str(out, url);
	sd_str_add(out, ",\n  \"version_table\": ");
	sd_str_add(out, has_table ? "true" : "false");
	sd_str_add(out, ",\n  \"revisions\": [");
	for (size_t i = 0; i < nrevs; i++) {
		sd_str_add(out, i ? ", " : "");
		sd_cli_json_str(out, revs[i]);
	}
	sd_str_add(out, "],\n  \"status\": ");
	sd_cli_json_str(out, status);
	sd_str_add(out, ",\n  \"snapshot\": ");
	sd_cli_json_str(out, snap_path);
	sd_str_add(out, ",\n  \"differences\": [");
	for (size_t i = 0; i < m.upgrade.n; i++) {
		sd_str line = SD_STR_INIT;

		sd_review_line(&line, &m.upgrade.ops[i]);
		sd_str_add(out, i ? ",\n    " : "\n    ");
		sd_cli_json_str(out, line.ptr);
		sd_str_release(&line);
	}
	sd_str_add(out, m.upgrade.n ? "\n  ]" : "]");
	if (!snap)
		add_identify(out, &id, true, dirs, ndirs);
	sd_str_add(out, ",\n  \"message\": ");
	if (text.len && strchr(text.ptr, '\n'))
		sd_str_truncate(&text, (size_t)(strchr(text.ptr, '\n') - text.ptr));
	sd_cli_json_str(out, text.ptr);
	sd_str_add(out, "\n}\n");
done:
	for (size_t i = 0; i < nrevs; i++)
		free(revs[i]);
	free(revs);
	free(snap_path);
	sd_schema_free(live);
	sd_schema_free(snap);
	sd_migration_release(&m);
	sd_identify_result_release(&id);
	sd_str_release(&text);
	return exit_status;
}

int cmd_verify(int argc, char **argv)
{
	bool json = false;
	sd_cli_versions_opts vo = { 0 };
	const sd_option opts[] = {
		SD_CLI_VERSIONS_OPTIONS(&vo),
		SD_CLI_SCHEMA_OPTION(&vo),
		{ SD_OPT_FLAG, 0, "json", NULL, &json, "Print a JSON document instead of text" },
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
	if (sd_cli_versions_load(&vo, &cfg, &dirs, &ndirs, &g, &err)) {
		sd_cli_report(&err);
		goto done;
	}
	status = sd_cli_verify_db(args[0], &vo.iopts, g, dirs, ndirs, json, &out, &err);
	if (status == SD_EXIT_ERROR)
		sd_cli_report(&err);
	else
		fputs(out.ptr, stdout);
done:
	sd_revgraph_free(g);
	sd_alembic_config_free(cfg);
	sd_error_clear(&err);
	sd_str_release(&out);
	sd_strlist_release(&vo.versions);
	sd_strlist_release(&vo.schemas);
	free(args);
	return status;
}
