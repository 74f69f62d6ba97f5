/*
 * cmd_render.c - "schemadiff render OPS.json": render a (possibly
 * hand-edited) JSON op list as a revision file, without the databases, so
 * that review -> edit -> render works offline.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "common.h"
#include "schemadiff/exitcodes.h"
#include "schemadiff/opsfile.h"
#include "schemadiff/revision.h"

static const sd_cmd_help help = {
	"render", "OPS.json [--format alembic|sql] [--rev-id ID] [-m MSG] [-o FILE]",
	"Render a JSON op list (schemadiff diff --format json) as a revision file.",
	"The op list may have been edited by hand after review: it is checked as\n"
	"schema files are (errors name file, line, column and the op's path).\n"
	"The revision's metadata comes from the options: --down-revision (repeat it\n"
	"for a merge; none: a first revision), --branch-label, --depends-on.  The\n"
	"header notes that the file was not proven on a database (see 'schemadiff\n"
	"revision').  Output goes to stdout, or atomically to -o FILE (never over an\n"
	"existing file).",
	"  schemadiff diff sqlite:///registry.db w.2020.22.json --format json -o ops.json\n"
	"  $EDITOR ops.json\n"
	"  schemadiff render ops.json --rev-id w.2020.22 --down-revision w.2020.19 \\\n"
	"      -m 'migration from w.2020.19 to w.2020.22' -o versions/w.2020.22_edited.py",
	1, 1,
};

int cmd_render(int argc, char **argv)
{
	const char *format = "alembic", *rev_id = NULL, *message = NULL, *output = NULL;
	sd_strlist down = { 0 }, labels = { 0 }, depends = { 0 };
	const sd_option opts[] = {
		{ SD_OPT_STRING, 'f', "format", "FORMAT", &format, "alembic (default) or sql" },
		{ SD_OPT_STRING, 0, "rev-id", "ID", &rev_id, "Revision id (default: 12 random hex digits)" },
		{ SD_OPT_STRING, 'm', "message", "MSG", &message, "The revision's message" },
		{ SD_OPT_LIST, 0, "down-revision", "REV", &down, "Parent revision; repeat for a merge" },
		{ SD_OPT_LIST, 0, "branch-label", "LABEL", &labels, "Branch label; repeatable" },
		{ SD_OPT_LIST, 0, "depends-on", "REV", &depends, "Dependency; repeatable" },
		{ SD_OPT_STRING, 'o', "output", "FILE", &output, "Write to FILE (atomically, never over a file)" },
		{ SD_OPT_END, 0, NULL, NULL, NULL, NULL },
	};
	sd_error err = SD_ERROR_INIT;
	sd_migration m = { 0 };
	sd_revision_meta meta = { 0 };
	const sd_emitter *e;
	const sd_dialect *d;
	sd_str out = SD_STR_INIT;
	const char **args = NULL;
	char *gen_id = NULL, date[64];
	size_t nargs;
	int rc, status = SD_EXIT_ERROR;

	rc = sd_parse_options(argc, argv, opts, &help, &args, &nargs);
	if (rc != SD_PARSE_OK) {
		status = rc == SD_PARSE_HELP ? SD_EXIT_OK : SD_EXIT_ERROR;
		goto done;
	}
	if (!(e = sd_cli_revision_emitter(format)))
		goto done;
	if (!rev_id)
		rev_id = gen_id = sd_revision_id_new();
	if (sd_revision_id_validate(NULL, rev_id, &err))
		goto fail;
	for (size_t i = 0; i < down.n; i++)
		if (sd_revision_id_validate(NULL, down.items[i], &err))
			goto fail;
	if (sd_migration_load_json_file(&m, args[0], &err))
		goto fail;
	d = sd_dialect_find(m.dialect ? m.dialect : "sqlite");
	if (!d) {
		sd_error_set_at(&err, SD_EUNSUPPORTED, args[0], 0, 0, NULL,
				"the %s dialect is not available in this build", m.dialect);
		goto fail;
	}

	sd_cli_create_date(date, sizeof(date));
	meta.rev_id = rev_id;
	meta.down_revisions = down.items;
	meta.ndown_revisions = down.n;
	meta.branch_labels = labels.items;
	meta.nbranch_labels = labels.n;
	meta.depends_on = depends.items;
	meta.ndepends_on = depends.n;
	meta.message = message;
	meta.create_date = date;
	meta.verify_note = "rendered from an op list, without a database";
	if (sd_emit_revision(e, &m, d, &meta, &out, &err))
		goto fail;
	if (output && strcmp(output, "-") != 0) {
		rc = sd_write_file_atomic(output, out.ptr, out.len, true);
		if (rc) {
			sd_error_set_at(&err, rc == -EEXIST ? SD_EEXISTS : SD_EIO, output, 0, 0, NULL,
					"%s", rc == -EEXIST ? "file exists; refusing to overwrite it" :
					strerror(-rc));
			goto fail;
		}
	} else if (sd_cli_write_output(NULL, &out, &err)) {
		goto fail;
	}
	status = SD_EXIT_OK;
	goto done;
fail:
	sd_cli_report(&err);
done:
	sd_migration_release(&m);
	sd_error_clear(&err);
	sd_str_release(&out);
	sd_strlist_release(&down);
	sd_strlist_release(&labels);
	sd_strlist_release(&depends);
	free(gen_id);
	free(args);
	return status;
}
