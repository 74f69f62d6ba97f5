/*
 * cmd_diff.c - "schemadiff diff FROM TO": what changed, as a review or JSON;
 * with --verify, only after the migration has been proven (proof.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "common.h"
#include "config.h"
#include "proof.h"
#include "schemadiff/exitcodes.h"

static const sd_cmd_help help = {
	"diff", "[[FROM] TO] [--format text|json] [--exit-code] [--verify [--dev-url URL]] [-o FILE] [options]",

	"Compare two schemas and print the changes that turn FROM into TO.",
	"FROM and TO are each a database URL (sqlite:///relative.db, sqlite:////abs/path.db,\n"
	"postgresql://user@host/db or a libpq conninfo string) or a schema file (.json,\n"
	".yaml, .yml). Databases are opened read-only.\n"
	"The text format is a review: one line per detected change, grouped by table,\n"
	"changes that lose data marked [destructive]. The JSON format is the op list\n"
	"{\"ops\": [...], \"downgrade\": [...]} described by schemas/ops.schema.json.\n"
	"\n"
	"Inside an Alembic project (./alembic.ini, or -c FILE) FROM defaults to its\n"
	"sqlalchemy.url and TO to the 'target' of its [schemadiff] section.\n"
	"--include/--exclude are PCRE2 patterns matched against the whole qualified\n"
	"name: 'table' or 'schema.table' for tables and views, 'table.name' for\n"
	"indexes and named constraints (see the README).  alembic_version is never\n"
	"compared.\n"
	"\n"
	"--verify proves the changes before printing them, as 'revision' does: the\n"
	"SQL of the upgrade runs on a scratch database holding FROM, which must then\n"
	"compare equal to TO, and the downgrade must bring it back to FROM.  SQLite:\n"
	"an in-memory copy of a FROM database (rows included), or an empty in-memory\n"
	"database where a FROM schema file is built.  PostgreSQL: --dev-url URL, an\n"
	"empty scratch database you provide; FROM (database or file) is built there\n"
	"from its model and the database is left empty again, also when the proof\n"
	"fails.  A database that is not empty is refused.  FROM and TO are only read.\n"
	"When the proof fails, nothing is printed on stdout; stderr says which step\n"
	"failed (the failing statement and the server's error, or the differences\n"
	"left) and the exit status is 3.",

	"  schemadiff diff sqlite:///registry.db w.2020.22.json\n"
	"  schemadiff diff w.2020.19.json w.2020.22.json --format json -o ops.json\n"
	"  schemadiff diff sqlite:///registry.db w.2020.22.json --exit-code\n"
	"  schemadiff diff sqlite:///app.db target.json --exclude 'tmp_.*' --exclude 'legacy_.*'\n"
	"  schemadiff diff sqlite:///registry.db w.2020.22.json --verify\n"
	"  schemadiff diff postgresql:///registry w.2020.22.json --verify --dev-url postgresql:///scratch\n"
	"  schemadiff diff target.json          # FROM: sqlalchemy.url of ./alembic.ini",

	0, 2,
};

int cmd_diff(int argc, char **argv)
{
	const char *format = "text", *output = NULL;
	bool exit_code = false, verify = false;
	const char *dev_url = NULL;
	sd_strlist schemas = { 0 };
	sd_cli_config_opts co = { 0 };
	sd_cli_config cfg = SD_CLI_CONFIG_INIT;
	const char *from, *to;
	const sd_option opts[] = {
		{ SD_OPT_STRING, 'f', "format", "FORMAT", &format, "Output format: text (default) or json" },
		{ SD_OPT_STRING, 'o', "output", "FILE", &output, "Write to FILE (atomically) instead of stdout" },
		{ SD_OPT_FLAG, 0, "exit-code", NULL, &exit_code, "Exit with 1 when there are differences" },
		{ SD_OPT_FLAG, 0, "verify", NULL, &verify, "Prove the migration on a scratch database first (exit 3 when it fails)" },
		{ SD_OPT_STRING, 0, "dev-url", "URL", &dev_url, "With --verify: the empty scratch database (PostgreSQL); left empty" },
		{ SD_OPT_LIST, 0, "schema", "NAME", &schemas, "Database schema (namespace) to read; repeatable" },
		SD_CLI_FILTER_OPTIONS(&co),
		SD_CLI_CONFIG_OPTIONS(&co),
		{ SD_OPT_END, 0, NULL, NULL, NULL, NULL },
	};
	sd_introspect_opts iopts = { 0 };
	sd_migration m = { 0 };
	sd_schema *a = NULL, *b = NULL;
	sd_cli_proof proof = { 0 };
	sd_str why = SD_STR_INIT;
	sd_error err = SD_ERROR_INIT;
	const sd_emitter *e;
	const sd_dialect *d = NULL;
	sd_str out = SD_STR_INIT;
	const char **args = NULL;
	size_t nargs;
	int rc, status = SD_EXIT_ERROR;

	rc = sd_parse_options(argc, argv, opts, &help, &args, &nargs);
	if (rc != SD_PARSE_OK) {
		sd_strlist_release(&schemas);
		sd_cli_config_opts_release(&co);
		return rc == SD_PARSE_HELP ? SD_EXIT_OK : SD_EXIT_ERROR;
	}
	if (sd_cli_config_load(&cfg, &co, &err) ||
	    sd_cli_config_sources(&cfg, args, nargs, &from, &to, &err)) {
		sd_cli_config_report(&cfg, &err);
		goto done;
	}
	e = sd_emitter_find(format);
	/* Revision-file formats belong to 'revision' and 'render', which give them metadata. */
	if (!e || (e != &sd_emitter_review && e != &sd_emitter_json)) {
		fprintf(stderr, "error: unknown format \"%s\"\nhint: use --format text or --format json\n",
			format);
		goto done;
	}
	if (dev_url && !verify) {
		fprintf(stderr, "error: --dev-url is the scratch database of --verify\n"
			"hint: add --verify to prove the changes there\n");
		goto done;
	}
	iopts.schemas = schemas.items;
	iopts.nschemas = schemas.n;
	if (sd_cli_compare_cfg(&m, from, to, &iopts, &cfg, &d, verify ? &a : NULL,
			       verify ? &b : NULL, &err)) {
		sd_cli_report(&err);
		goto done;
	}
	if (verify) {
		proof.from_spec = from;
		proof.to_spec = to;
		proof.iopts = &iopts;
		proof.filter = cfg.filter;
		proof.dialect = d;
		proof.dev_url = dev_url;
		proof.from_model = true;
		if (sd_cli_proof_plan(&proof, &why, &err)) {
			sd_cli_report(&err);
			goto done;
		}
		if (why.len) {
			fprintf(stderr, "error: --verify: %s\n", why.ptr);
			goto done;
		}
		rc = sd_cli_proof_run(&proof, &m, a, b, "the changes are not printed when their proof "
				      "fails; without --verify they are", &err);
		if (rc == SD_EVERIFY) {
			status = SD_EXIT_PROOF;
			goto done;
		}
		if (rc) {
			sd_cli_report(&err);
			goto done;
		}
	}
	if (sd_emit(e, &m, d, &out, &err) || sd_cli_write_output(output, &out, &err)) {
		sd_cli_report(&err);
		goto done;
	}
	status = (exit_code && m.upgrade.n > 0) ? SD_EXIT_CHANGES : SD_EXIT_OK;
done:
	if (m.upgrade.store || m.downgrade.store)
		sd_migration_release(&m);
	sd_error_clear(&err);
	sd_schema_free(a);
	sd_schema_free(b);
	sd_str_release(&why);
	sd_str_release(&out);
	sd_strlist_release(&schemas);
	sd_cli_config_release(&cfg);
	sd_cli_config_opts_release(&co);
	free(args);
	return status;
}
