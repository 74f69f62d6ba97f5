/*
 * cmd_stamp.c - "schemadiff stamp DB REV": write alembic_version as
 * Alembic's `stamp` does, but only after the live schema has been compared
 * with REV's snapshot.  The only command that writes to a database; the
 * dialect's write_version_table hook does it in one transaction.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "versions.h"
#include "schemadiff/exitcodes.h"
#include "schemadiff/source.h"

static const sd_cmd_help help = {
	"stamp", "DB REV... [--force] [--sql] [--versions DIR | -c FILE [-n NAME]]",
	"Record REV in a database's alembic_version table, after checking its schema.",
	"Compares the live schema of DB with the snapshot of REV (<DIR>/<REV>.schema.json).\n"
	"When they match, makes alembic_version hold exactly REV, as 'alembic stamp'\n"
	"does: the table is created when missing (version_num VARCHAR(32) NOT NULL,\n"
	"primary key alembic_version_pkc), a recorded revision is UPDATEd to REV,\n"
	"extra rows are deleted, all in one transaction. When they do not match,\n"
	"nothing is written: the differences (from the snapshot to the database) are\n"
	"printed and the exit status is 1. --force stamps anyway (and says so), also\n"
	"when REV has no snapshot. --sql prints the statements instead of running\n"
	"them (the database is only read). REV may be 'head' for the single head.\n"
	"Several revisions (or 'heads', all heads) are recorded together, one row\n"
	"each, as Alembic records a database on several branches; no single snapshot\n"
	"describes such a database, so this needs --force.\n"
	"This is the only schemadiff command that writes to a database.",
	"  schemadiff stamp sqlite:///registry.db w.2020.22 --versions alembic/versions\n"
	"  schemadiff stamp sqlite:///registry.db w.2020.22 --sql\n"
	"  schemadiff stamp sqlite:///registry.db w.2020.22 --force\n"
	"  schemadiff stamp sqlite:///registry.db heads --force",
	2, SIZE_MAX,
};

/* Add rev to the list unless it is there (heads named twice are recorded once). */
static void revs_add(const char ***revs, size_t *n, const char *rev)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*revs)[i], rev) == 0)
			return;
	*revs = xrealloc(*revs, (*n + 1) * sizeof(**revs));
	(*revs)[(*n)++] = rev;
}

int cmd_stamp(int argc, char **argv)
{
	bool force = false, sql = false;
	sd_cli_versions_opts vo = { 0 };
	const sd_option opts[] = {
		SD_CLI_VERSIONS_OPTIONS(&vo),
		SD_CLI_SCHEMA_OPTION(&vo),
		{ SD_OPT_FLAG, 0, "force", NULL, &force, "Stamp even when the schema does not match REV's snapshot" },
		{ SD_OPT_FLAG, 0, "sql", NULL, &sql, "Print the SQL statements instead of running them" },
		{ SD_OPT_END, 0, NULL, NULL, NULL, NULL },
	};
	sd_error err = SD_ERROR_INIT;
	sd_alembic_config *cfg = NULL;
	sd_revgraph *g = NULL;
	const char *const *dirs = NULL;
	const char **args = NULL, *rev, **revs = NULL;
	size_t ndirs = 0, nargs, nrevs = 0;
	sd_schema *live = NULL, *snap = NULL;
	sd_migration m = { 0 };
	const sd_dialect *d = NULL;
	sd_str out = SD_STR_INIT, sqltext = SD_STR_INIT;
	char *path = NULL;
	int rc, status = SD_EXIT_ERROR;

	rc = sd_parse_options(argc, argv, opts, &help, &args, &nargs);
	if (rc != SD_PARSE_OK) {
		status = rc == SD_PARSE_HELP ? SD_EXIT_OK : SD_EXIT_ERROR;
		goto done;
	}
	if (sd_cli_db_dialect(args[0], true, &d, &err) ||
	    sd_cli_versions_load(&vo, &cfg, &dirs, &ndirs, &g, &err))
		goto fail;
	/* The revisions to record: "head" is the single head, "heads" every head. */
	for (size_t i = 1; i < nargs; i++) {
		bool all = strcmp(args[i], "heads") == 0;

		if (strcmp(args[i], "head") == 0 && g->n_heads != 1) {
			sd_error_set(&err, SD_EINPUT, "\"head\" needs exactly one head; there are %zu",
				     g->n_heads);
			sd_error_set_hint(&err, "name the revisions, or 'heads' for all of them");
			goto fail;
		}
		if (all || strcmp(args[i], "head") == 0) {
			for (size_t h = 0; h < g->n_heads; h++)
				revs_add(&revs, &nrevs, g->heads[h]->id);
			continue;
		}
		if (sd_revision_id_validate(NULL, args[i], &err))
			goto fail;
		revs_add(&revs, &nrevs, args[i]);
	}
	for (size_t i = 0; i < nrevs; i++) {
		char *p = sd_cli_find_snapshot(dirs, ndirs, revs[i]);

		if (!p && !sd_revgraph_get(g, revs[i])) {
			sd_error_set(&err, SD_EINPUT, "no such revision \"%s\" in the versions directory",
				     revs[i]);
			goto fail;
		}
		if (nrevs == 1)
			path = p;
		else
			free(p);
	}
	if (nrevs > 1 && !force) {
		sd_error_set(&err, SD_EINPUT, "%zu revisions: no single snapshot describes a database "
			     "at several heads, so the schema cannot be checked; nothing was written",
			     nrevs);
		sd_error_set_hint(&err, "--force records them without the check");
		goto fail;
	}
	rev = revs[0];
	if (nrevs == 1 && !path && !force) {
		sd_error_set(&err, SD_EINPUT, "revision \"%s\" has no schema snapshot to verify the "
			     "database against; nothing was written", rev);
		sd_error_set_hint(&err, "--force stamps without the check");
		goto fail;
	}
	if (sd_source_load(&live, args[0], &vo.iopts, &err))
		goto fail;
	if (nrevs > 1) {
		fprintf(stderr, "warning: --force: stamping %zu revisions without the check\n", nrevs);
	} else if (!path) {
		fprintf(stderr, "warning: --force: %s has no snapshot; stamping without the check\n",
			rev);
	} else {
		if (sd_source_load(&snap, path, NULL, &err) ||
		    sd_cli_check_snapshot(g, rev, path, snap, &err) ||
		    sd_cli_compare_schemas(&m, snap, live, &err))
			goto fail;
		if (m.upgrade.n) {
			sd_str_addf(&out, "the schema of %s differs from the snapshot of %s (%s); from "
				    "the snapshot to the database:\n", args[0], rev, path);
			sd_cli_review(&out, &m, "  ");
			fputs(out.ptr, force ? stderr : stdout);
			if (!force) {
				fprintf(stderr, "error: refusing to stamp %s at %s: its schema does not "
					"match; nothing was written\nhint: --force stamps anyway\n",
					args[0], rev);
				status = SD_EXIT_CHANGES;
				goto done;
			}
			fprintf(stderr, "warning: --force: stamping although the schema differs from "
				"the snapshot of %s\n", rev);
		}
	}
	if (d->write_version_table(args[0], revs, nrevs, sql, &sqltext, &err))
		goto fail;
	if (sql)
		fputs(sqltext.ptr, stdout);
	else if (nrevs > 1) {
		printf("stamped %s at", args[0]);
		for (size_t i = 0; i < nrevs; i++)
			printf("%s%s", i ? ", " : " ", revs[i]);
		printf(" (forced, not verified)\n");
	}
	else if (path && !m.upgrade.n)
		printf("stamped %s at %s; its schema matches the snapshot\n", args[0], rev);
	else
		printf("stamped %s at %s (forced, not verified)\n", args[0], rev);
	status = SD_EXIT_OK;
	goto done;
fail:
	sd_cli_report(&err);
done:
	sd_schema_free(live);
	sd_schema_free(snap);
	sd_migration_release(&m);
	sd_revgraph_free(g);
	sd_alembic_config_free(cfg);
	sd_error_clear(&err);
	sd_str_release(&out);
	sd_str_release(&sqltext);
	sd_strlist_release(&vo.versions);
	sd_strlist_release(&vo.schemas);
	free(path);
	free(revs);
	free(args);
	return status;
}
