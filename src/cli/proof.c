/*
 * proof.c - the convergence proof as revision and diff --verify run it
 * (proof.h): one plan, one run, one report, for both commands.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "proof.h"
#include "schemadiff/emit.h"
#include "schemadiff/revision.h"
#include "schemadiff/source.h"

int sd_cli_proof_plan(sd_cli_proof *p, sd_str *why, sd_error *err)
{
	const sd_dialect *fd = NULL;
	bool from_db = sd_source_classify(p->from_spec, &fd) == SD_SOURCE_DATABASE;
	const sd_dialect *d = from_db && fd ? fd : p->dialect;

	p->where = SD_PROOF_NONE;
	p->prover = d;
	if (p->dev_url) {
		if (!d->scratch_open_empty)
			return sd_error_set(err, SD_EINPUT, "--dev-url: the %s dialect %s, not on a "
					    "dev database", d->name,
					    d->scratch_open ? "proves a migration on a scratch copy "
							      "of its own"
							    : "cannot prove a migration");
		p->where = SD_PROOF_DEV;
	} else if (from_db && d->scratch_open) {
		p->where = SD_PROOF_COPY;
	} else if (d->scratch_open_empty) {
		sd_str_addf(why, "a %s migration is proven on a scratch database: --dev-url URL "
			    "(an empty database) is needed", d->name);
	} else if (!from_db && p->from_model && d->scratch_open) {
		p->where = SD_PROOF_MODEL;
	} else if (!from_db) {
		sd_str_add(why, "FROM is a schema file, not a database to prove the migration on");
	} else {
		sd_str_addf(why, "the %s dialect cannot prove a migration", d->name);
	}
	return 0;
}

/* What the proof left, one review line per op, on stderr. */
static void print_residual(const sd_migration *res, const char *step)
{
	sd_str s = SD_STR_INIT;

	if (!res->upgrade.n)
		return;
	sd_str_addf(&s, "differences left after the %s (what the %s still lacks):\n", step, step);
	for (size_t i = 0; i < res->upgrade.n; i++) {
		sd_str line = SD_STR_INIT;

		sd_review_lines(&line, &res->upgrade.ops[i]);
		for (const char *q = line.ptr; *q;) {
			const char *eol = strchr(q, '\n');
			size_t n = eol ? (size_t)(eol - q) : strlen(q);

			sd_str_add(&s, "  ");
			sd_str_addn(&s, q, n);
			sd_str_addch(&s, '\n');
			q += n + (eol ? 1 : 0);
		}
		sd_str_release(&line);
	}
	fputs(s.ptr, stderr);
	sd_str_release(&s);
}

int sd_cli_proof_run(const sd_cli_proof *p, const sd_migration *m, const sd_schema *from,
		     const sd_schema *to, const char *hint, sd_error *err)
{
	sd_schema *full_from = NULL, *proof_to = NULL;
	sd_migration residual = { 0 };
	const char *step = NULL;
	const sd_dialect *d = p->prover;
	sd_str url = SD_STR_INIT;
	int rc;

	/*
	 * With name filters, the scratch database still holds what was
	 * filtered out, untouched: prove against the whole FROM and a copy of
	 * the target with FROM's filtered-out objects put back (filter.h).
	 */
	if (sd_filter_count(p->filter, SD_FILTER_INCLUDE) ||
	    sd_filter_count(p->filter, SD_FILTER_EXCLUDE)) {
		if ((rc = sd_source_load(&full_from, p->from_spec, p->iopts, err)) ||
		    (rc = sd_source_load(&proof_to, p->to_spec, p->iopts, err)))
			goto done;
		sd_filter_apply(p->filter, proof_to, NULL);
		sd_filter_restore(p->filter, proof_to, full_from);
		if ((rc = sd_schema_finish(proof_to, err)))
			goto done;
		from = full_from;
		to = proof_to;
	}
	switch (p->where) {
	case SD_PROOF_COPY:
		sd_source_database_url(&url, p->from_spec);
		rc = sd_revision_prove(d, url.ptr, m, from, to, &residual, &step, err);
		break;
	case SD_PROOF_DEV:
		rc = sd_revision_prove_dev(d, p->dev_url, m, from, to, &residual, &step, err);
		break;
	case SD_PROOF_MODEL:
		rc = sd_revision_prove_model(d, m, from, to, &residual, &step, err);
		break;
	default:
		rc = sd_error_set(err, SD_EINTERNAL, "no place to prove the migration on");
		break;
	}
	if (rc == SD_EVERIFY) {
		if (hint)
			sd_error_set_hint(err, "%s", hint);
		sd_cli_report(err);
		if (step)
			print_residual(&residual, step);
	}
done:
	sd_str_release(&url);
	sd_migration_release(&residual);
	sd_schema_free(full_from);
	sd_schema_free(proof_to);
	return rc;
}
