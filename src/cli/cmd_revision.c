/*
 * cmd_revision.c - "schemadiff revision FROM TO": write the next revision
 * file of an Alembic versions directory (Python, or SQL with --format sql).
 *
 * Order of work: everything cheap that can refuse comes first (options,
 * versions directory, revision graph, id, parent, target path), then the
 * two schemas are loaded and compared, the file is rendered, the migration
 * is proven on a scratch copy of a live FROM database, and only then is the
 * file written, atomically and never over an existing one.  On any error
 * nothing is left behind.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "proof.h"
#include "schemadiff/compare.h"
#include "schemadiff/emit.h"
#include "schemadiff/exitcodes.h"
#include "schemadiff/revision.h"
#include "schemadiff/source.h"
#include "schemadiff/fingerprint.h"
#include "versions.h"

static const sd_cmd_help help = {
	"revision", "[[FROM] TO] -m MESSAGE [--autogenerate] [--rev-id ID] [--versions DIR] [options]",
	"Write the next revision file of an Alembic versions directory.",
	"Compares FROM (usually the live database) with TO (usually the new schema\n"
	"file) and writes <DIR>/<rev>_<slug>.py, an Alembic revision whose upgrade()\n"
	"turns FROM into TO and whose downgrade() turns it back; with --format sql,\n"
	"<rev>_<slug>.sql with '-- migrate:up' and '-- migrate:down' sections.\n"
	"\n"
	"Inside an Alembic project (./alembic.ini, or -c FILE), FROM defaults to its\n"
	"sqlalchemy.url and TO to the 'target' of its [schemadiff] section, so one\n"
	"argument is TO (--autogenerate is accepted, and changes nothing).  The file\n"
	"is named by its file_template and truncate_slug_length as Alembic names it.\n"
	"\n"
	"The versions directory is --versions DIR, else -x versions=DIR, else the\n"
	"[schemadiff] versions, else the script_location or version_locations of\n"
	"alembic.ini.  The new revision's down_revision is the\n"
	"single head of that directory (--head REV picks one when there are several).\n"
	"Ids Alembic would refuse ('@', '-', '+', more than 32 characters) and ids\n"
	"already present are refused.  Create Date is the local time, or\n"
	"SOURCE_DATE_EPOCH when set (reproducible builds).\n"
	"\n"
	"Before writing, when FROM is a live database, the migration is proven: its\n"
	"SQL runs on an in-memory copy of FROM, which must then compare equal to TO,\n"
	"and the downgrade must bring it back to FROM.  When it does not, the command\n"
	"fails (exit status 3), prints the failing statement or the differences left\n"
	"and writes nothing.  --no-verify skips the proof; the file header says so,\n"
	"as it does when FROM is a schema file.\n"
	"On PostgreSQL the proof runs on --dev-url URL, an empty scratch database:\n"
	"FROM's schema (a database or a schema file) is built there from its model,\n"
	"the proof runs, and the database is left empty, also when the proof fails;\n"
	"a database that is not empty is refused.  FROM is never written.\n"
	"The file is written atomically and never over an existing file.",
	"  schemadiff revision sqlite:///registry.db w.2020.22.json --rev-id w.2020.22 \\\n"
	"      -m 'migration from w.2020.19 to w.2020.22' --versions alembic/versions\n"
	"  schemadiff revision sqlite:///app.db new.json -m 'add index' --format sql --versions migrations\n"
	"  schemadiff revision --autogenerate --rev-id w.2020.22 -m 'w.2020.22' target.json  # in the project",
	0, 2,
};

/*
 * Create Date as Alembic writes it: str(datetime.now()) in local time,
 * "2020-05-28 12:34:56.123456" (Python omits ".000000" when the microseconds
 * are 0).  SOURCE_DATE_EPOCH, when set to a number, replaces now.
 */
void sd_cli_create_date(char *buf, size_t size)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	struct timespec ts;
	struct tm tm;
	time_t t;
	long usec;
	size_t n;

	if (sde && *sde && strspn(sde, "0123456789") == strlen(sde)) {
		t = (time_t)strtoll(sde, NULL, 10);
		usec = 0;
	} else {
		clock_gettime(CLOCK_REALTIME, &ts);
		t = ts.tv_sec;
		usec = ts.tv_nsec / 1000;
	}
	localtime_r(&t, &tm);
	n = strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm);
	if (usec && n < size)
		snprintf(buf + n, size - n, ".%06ld", usec);
}

/* The emitter for --format; only the two that write revision files. */
const sd_emitter *sd_cli_revision_emitter(const char *format)
{
	if (strcmp(format, "alembic") != 0 && strcmp(format, "sql") != 0) {
		fprintf(stderr, "error: unknown format \"%s\"\n"
			"hint: use --format alembic or --format sql\n", format);
		return NULL;
	}
	return strcmp(format, "sql") == 0 ? &sd_emitter_sql : &sd_emitter_alembic;
}

/* A depends_on entry must name a revision or a branch label of g. */
static int check_depends(const sd_revgraph *g, const char *dep, sd_error *err)
{
	if (sd_revgraph_get(g, dep))
		return 0;
	for (size_t i = 0; i < g->n; i++)
		for (size_t j = 0; j < g->revs[i]->n_labels; j++)
			if (strcmp(g->revs[i]->labels[j], dep) == 0)
				return 0;
	return sd_error_set(err, SD_EINPUT, "--depends-on \"%s\": no such revision or branch label",
			    dep);
}

static int check_label(const sd_revgraph *g, const char *label, sd_error *err)
{
	if (!*label || strpbrk(label, "@-+:") || strchr(label, ' '))
		return sd_error_set(err, SD_EINPUT, "invalid branch label \"%s\"", label);
	for (size_t i = 0; i < g->n; i++)
		for (size_t j = 0; j < g->revs[i]->n_labels; j++)
			if (strcmp(g->revs[i]->labels[j], label) == 0)
				return sd_error_set(err, SD_EINPUT, "branch label \"%s\" is already "
						    "used by revision \"%s\" (%s)", label,
						    g->revs[i]->id, g->revs[i]->path);
	return 0;
}

/* The versions directories: --versions, else the configuration (config.h). */
static int versions_dirs(const sd_strlist *given, const sd_cli_config *conf,
			 const char *const **dirs, size_t *ndirs, sd_error *err)
{
	if (given->n) {
		*dirs = given->items;
		*ndirs = given->n;
		return 0;
	}
	if (!conf->nversions) {
		sd_error_set(err, SD_EINPUT, "no versions directory: no --versions and no alembic.ini "
			     "in the current directory");
		sd_error_set_hint(err, "pass --versions DIR (e.g. alembic/versions)");
		return SD_EINPUT;
	}
	*dirs = (const char *const *)conf->versions;
	*ndirs = conf->nversions;
	return 0;
}

int cmd_revision(int argc, char **argv)
{
	const char *format = NULL, *rev_id = NULL, *message = NULL, *head = NULL,
		   *output = NULL, *from_spec = NULL, *to_spec = NULL, *dev_url = NULL;
	bool no_verify = false, splice = false, autogenerate = false, concurrently = false,
	     online = false;
	sd_cli_config_opts co = { 0 };
	sd_cli_config conf = SD_CLI_CONFIG_INIT;
	sd_strlist versions = { 0 }, labels = { 0 }, depends = { 0 }, schemas = { 0 };
	sd_introspect_opts iopts = { 0 };
	const sd_option opts[] = {
		{ SD_OPT_STRING, 'm', "message", "MSG", &message, "The revision's message (also its file name's slug)" },
		{ SD_OPT_STRING, 0, "rev-id", "ID", &rev_id, "Revision id (default: 12 random hex digits)" },
		{ SD_OPT_LIST, 0, "versions", "DIR", &versions, "Versions directory (default: from ./alembic.ini); the file goes into the first" },
		{ SD_OPT_STRING, 0, "head", "REV", &head, "Parent revision when there are several heads ('base': a new root)" },
		{ SD_OPT_FLAG, 0, "splice", NULL, &splice, "Allow --head to name a revision that is not a head" },
		{ SD_OPT_LIST, 0, "branch-label", "LABEL", &labels, "Branch label of the new revision; repeatable" },
		{ SD_OPT_LIST, 0, "depends-on", "REV", &depends, "Revision or branch label this one depends on; repeatable" },
		{ SD_OPT_STRING, 'f', "format", "FORMAT", &format, "alembic (default) or sql" },
		{ SD_OPT_LIST, 0, "schema", "NAME", &schemas, "Database schema (namespace) to read; repeatable" },
		{ SD_OPT_FLAG, 0, "no-verify", NULL, &no_verify, "Do not prove the migration on a copy of the database" },
		{ SD_OPT_STRING, 0, "dev-url", "URL", &dev_url, "Prove on this empty scratch database (PostgreSQL); left empty" },
		{ SD_OPT_FLAG, 0, "concurrently", NULL, &concurrently, "CREATE/DROP INDEX CONCURRENTLY on existing tables (sql, PostgreSQL)" },
		{ SD_OPT_FLAG, 0, "online", NULL, &online, "--concurrently, and FKs/CHECKs added NOT VALID then validated (sql, PostgreSQL)" },
		{ SD_OPT_STRING, 'o', "output", "FILE", &output, "Write to FILE instead of <DIR>/<rev>_<slug>.py" },
		{ SD_OPT_FLAG, 0, "autogenerate", NULL, &autogenerate, "Accepted for Alembic users; schemadiff always autogenerates" },
		SD_CLI_FILTER_OPTIONS(&co),
		SD_CLI_CONFIG_OPTIONS(&co),
		{ SD_OPT_END, 0, NULL, NULL, NULL, NULL },
	};
	sd_error err = SD_ERROR_INIT;
	sd_revgraph *g = NULL;
	const sd_revision *parent = NULL;
	const char *const *dirs = NULL;
	size_t ndirs = 0, nargs;
	const char **args = NULL;
	char *gen_id = NULL, *fname = NULL, date[64] = "";
	sd_str path = SD_STR_INIT, out = SD_STR_INIT, note = SD_STR_INIT;
	sd_str snap_path = SD_STR_INIT;
	char fp[SD_FINGERPRINT_SIZE];
	sd_schema *from = NULL, *to = NULL;
	sd_migration m = { 0 };
	sd_cli_proof proof = { 0 };
	sd_compare_opts copts = { 0 };
	const sd_emitter *e;
	sd_revision_meta meta = { 0 };
	const char *down[1];
	struct stat st;
	int rc, status = SD_EXIT_ERROR;

	rc = sd_parse_options(argc, argv, opts, &help, &args, &nargs);
	if (rc != SD_PARSE_OK) {
		status = rc == SD_PARSE_HELP ? SD_EXIT_OK : SD_EXIT_ERROR;
		goto done;
	}
	if (sd_cli_config_load(&conf, &co, &err) ||
	    sd_cli_config_sources(&conf, args, nargs, &from_spec, &to_spec, &err)) {
		sd_cli_config_report(&conf, &err);
		goto done;
	}
	if (!format)
		format = conf.format ? conf.format : "alembic";
	if (!(e = sd_cli_revision_emitter(format)))
		goto done;

	/* 1. The versions directory, its graph, the id and the parent. */
	if (versions_dirs(&versions, &conf, &dirs, &ndirs, &err) ||
	    sd_revgraph_load(&g, dirs, ndirs, &err))
		goto fail;
	if (!rev_id)
		rev_id = gen_id = sd_revision_id_new();
	if (sd_revision_id_validate(g, rev_id, &err) ||
	    sd_revgraph_pick_parent(g, head, splice, &parent, &err))
		goto fail;
	for (size_t i = 0; i < labels.n; i++)
		if (check_label(g, labels.items[i], &err))
			goto fail;
	for (size_t i = 0; i < depends.n; i++)
		if (check_depends(g, depends.items[i], &err))
			goto fail;

	/* 2. Where the file goes: refuse early when it exists. */
	if (output) {
		sd_str_add(&path, output);
	} else {
		size_t fl;

		sd_cli_create_date(date, sizeof(date));
		if (sd_revision_filename_template(&fname, conf.file_template, rev_id, message,
						  conf.truncate_slug_length, sd_cli_date_epoch(date),
						  &err))
			goto fail;
		fl = strlen(fname);

		if (e == &sd_emitter_sql && fl > 3 && strcmp(fname + fl - 3, ".py") == 0)
			fname[fl - 3] = '\0';
		sd_str_addf(&path, "%s/%s%s", dirs[0], fname, e == &sd_emitter_sql ? ".sql" : "");
	}
	if (lstat(path.ptr, &st) == 0) {
		sd_error_set_at(&err, SD_EEXISTS, path.ptr, 0, 0, NULL,
				"file exists; refusing to overwrite it");
		goto fail;
	}

	/* 3. Load, compare. */
	iopts.schemas = schemas.items;
	iopts.nschemas = schemas.n;
	if (sd_cli_compare_cfg(&m, from_spec, to_spec, &iopts, &conf, &copts.dialect, &from, &to,
			       &err))
		goto fail;
	if (m.upgrade.n == 0)
		fprintf(stderr, "note: no changes detected; the revision's upgrade() and downgrade() "
			"do nothing\n");

	/* 4. The proof, or why there is none (proof.h, shared with diff --verify). */
	proof.from_spec = from_spec;
	proof.to_spec = to_spec;
	proof.filter = conf.filter;
	proof.dialect = copts.dialect;
	proof.dev_url = dev_url;
	proof.iopts = &iopts;
	if (no_verify)
		sd_str_add(&note, "--no-verify was given");
	else if (sd_cli_proof_plan(&proof, &note, &err))
		goto fail;
	if (!note.len) {
		rc = sd_cli_proof_run(&proof, &m, from, to, "nothing was written; --no-verify writes "
				      "the file without the proof", &err);
		if (rc == SD_EVERIFY) {
			status = SD_EXIT_PROOF;
			goto done;
		}
		if (rc)
			goto fail;
		meta.verified = true;
	} else {
		fprintf(stderr, "note: not verified: %s\n", note.ptr);
		meta.verify_note = note.ptr;
	}

	/* 5. Render and write. */
	if (!date[0])
		sd_cli_create_date(date, sizeof(date));
	meta.rev_id = rev_id;
	meta.online = (concurrently || online ? SD_ONLINE_CONCURRENTLY : 0) |
		      (online ? SD_ONLINE_NOT_VALID : 0);
	if (parent) {
		down[0] = parent->id;
		meta.down_revisions = down;
		meta.ndown_revisions = 1;
	}
	meta.branch_labels = labels.items;
	meta.nbranch_labels = labels.n;
	meta.depends_on = depends.items;
	meta.ndepends_on = depends.n;
	meta.message = message;
	meta.create_date = date;
	/* The target's snapshot and fingerprint, next to the revision (versions.h). */
	if (sd_cli_snapshot_prepare(to, copts.dialect, path.ptr, rev_id, &snap_path, fp, sizeof(fp),
				    &err))
		goto fail;
	meta.fingerprint = fp;
	if (sd_emit_revision(e, &m, copts.dialect, &meta, &out, &err))
		goto fail;
	if (sd_cli_write_revision_pair(path.ptr, &out, snap_path.ptr, to, &err))
		goto fail;
	printf("Generating %s ... done\n", path.ptr);
	printf("Writing schema snapshot %s ... done\n", snap_path.ptr);
	status = SD_EXIT_OK;
	goto done;
fail:
	sd_cli_report(&err);
done:
	sd_migration_release(&m);
	sd_schema_free(from);
	sd_schema_free(to);
	sd_revgraph_free(g);
	sd_cli_config_release(&conf);
	sd_cli_config_opts_release(&co);
	sd_error_clear(&err);
	sd_str_release(&path);
	sd_str_release(&out);
	sd_str_release(&note);
	sd_str_release(&snap_path);
	sd_strlist_release(&versions);
	sd_strlist_release(&labels);
	sd_strlist_release(&schemas);
	sd_strlist_release(&depends);
	free(gen_id);
	free(fname);
	free(args);
	return status;
}
