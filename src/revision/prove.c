/*
 * prove.c - the convergence proof: before a revision file is written, run
 * its SQL on a scratch copy of the database and check that the upgrade
 * reaches the target and the downgrade comes back to the source (the round
 * trip of CONVENTIONS.md rule 20, done for every generated revision).
 *
 * The proof runs the SQL emitter's text, not the Alembic file: both
 * emitters render the same op list, and the SQL is what the scratch copy
 * can execute without Python.  Three places to run it, one proof: a copy
 * of the live database (sd_revision_prove), the user's empty dev database
 * (sd_revision_prove_dev, PostgreSQL) and an empty scratch database of the
 * dialect's own (sd_revision_prove_model); in the last two the source is
 * first built from its model.  revision and diff --verify both come here
 * through src/cli/proof.c.
 */
#include <stdlib.h>
#include <string.h>

#include "schemadiff/compare.h"
#include "schemadiff/emit.h"
#include "schemadiff/revision.h"

int sd_sql_split_sections(const char *sql, char **up, char **down, sd_error *err)
{
	static const char marker[] = "-- migrate:down";
	const char *p = sql;

	*up = *down = NULL;
	while (p && *p) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);

		if (n >= sizeof(marker) - 1 && memcmp(p, marker, sizeof(marker) - 1) == 0 &&
		    strspn(p + sizeof(marker) - 1, " \t\r") == n - (sizeof(marker) - 1)) {
			*up = xstrndup(sql, (size_t)(p - sql));
			*down = xstrdup(eol ? eol + 1 : "");
			return 0;
		}
		p = eol ? eol + 1 : NULL;
	}
	return sd_error_set(err, SD_EINTERNAL, "the SQL emitter's output has no \"%s\" line",
			    marker);
}

/*
 * Execute one section (step: "upgrade" or "downgrade") on the scratch
 * database, read it back, compare with want.
 */
static int prove_step(const sd_dialect *d, void *scratch, const char *step, const char *sql,
		      const sd_schema *want, sd_migration *residual, sd_error *err)
{
	sd_compare_opts copts = { 0 };
	sd_schema *got = NULL;
	int rc;

	if ((rc = d->scratch_exec(scratch, sql, err))) {
		if (rc == SD_EVERIFY) /* "SQL fails ...": say whose */
			sd_error_prefix(err, "the %s's ", step);
		goto done;
	}
	if ((rc = d->scratch_introspect(scratch, &got, err)))
		goto done;
	copts.dialect = d;
	if ((rc = sd_compare(residual, got, want, &copts, err)))
		goto done;
	if (residual->upgrade.n > 0)
		rc = SD_EVERIFY;
done:
	sd_schema_free(got);
	return rc;
}

/*
 * Build source in an empty scratch database from its model: the SQL
 * emitter's upgrade section of compare(empty, source).
 */
static int build_source(const sd_dialect *d, void *scratch, const sd_schema *source,
			sd_error *err)
{
	sd_schema *empty = sd_schema_new(d->name, "(empty)");
	sd_migration mb = { 0 };
	sd_compare_opts copts = { 0 };
	sd_str sql = SD_STR_INIT;
	char *up = NULL, *down = NULL;
	int rc;

	copts.dialect = d;
	if ((rc = sd_schema_finish(empty, err)) || (rc = sd_compare(&mb, empty, source, &copts, err)) ||
	    (rc = sd_emit_revision(&sd_emitter_sql, &mb, d, NULL, &sql, err)) ||
	    (rc = sd_sql_split_sections(sql.ptr, &up, &down, err)))
		goto done;
	if ((rc = d->scratch_exec(scratch, up, err))) {
		/* not a verdict on the migration: the source itself could not be built */
		if (rc == SD_EVERIFY)
			sd_error_prefix(err, "the source schema's ");
		err->code = rc = SD_EDB;
		sd_error_set_detail(err, "while building the source schema in the dev database "
				    "from its model, before the migration ran");
	}
done:
	sd_migration_release(&mb);
	sd_schema_free(empty);
	sd_str_release(&sql);
	free(up);
	free(down);
	return rc;
}

/* The proof proper, on an open scratch database that holds source. */
static int prove_open(const sd_dialect *d, void *scratch, const char *sql_text,
		      const sd_schema *source, const sd_schema *target, sd_migration *residual,
		      const char **failed_step, const char *where, sd_error *err)
{
	char *up = NULL, *down = NULL;
	int rc;

	if ((rc = sd_sql_split_sections(sql_text, &up, &down, err)))
		goto done;
	*failed_step = "upgrade";
	rc = prove_step(d, scratch, "upgrade", up, target, residual, err);
	if (rc)
		goto done;
	sd_migration_release(residual);
	memset(residual, 0, sizeof(*residual));

	*failed_step = "downgrade";
	rc = prove_step(d, scratch, "downgrade", down, source, residual, err);
	if (rc)
		goto done;
	sd_migration_release(residual);
	memset(residual, 0, sizeof(*residual));
	*failed_step = NULL;
done:
	if (rc && rc != SD_EVERIFY)
		*failed_step = NULL;
	if (rc == SD_EVERIFY) /* keeps an error already set (failing SQL) */
		sd_error_set(err, SD_EVERIFY, "the %s does not reach the %s schema "
			     "(checked on %s)", *failed_step,
			     strcmp(*failed_step, "upgrade") == 0 ? "target" : "source", where);
	free(up);
	free(down);
	return rc;
}

int sd_revision_prove(const sd_dialect *d, const char *url, const sd_migration *m,
		      const sd_schema *source, const sd_schema *target, sd_migration *residual,
		      const char **failed_step, sd_error *err)
{
	sd_str sql = SD_STR_INIT;
	void *scratch = NULL;
	int rc;

	memset(residual, 0, sizeof(*residual));
	*failed_step = NULL;
	if (!d->scratch_open || !d->scratch_exec || !d->scratch_introspect || !d->scratch_close)
		return sd_error_set(err, SD_EUNSUPPORTED,
				    "the %s dialect cannot prove a migration on a scratch copy",
				    d->name);
	if ((rc = sd_emit_revision(&sd_emitter_sql, m, d, NULL, &sql, err)))
		goto done;
	if ((rc = d->scratch_open(&scratch, url, err)))
		goto done;
	rc = prove_open(d, scratch, sql.ptr, source, target, residual, failed_step,
			"a copy of the database", err);
done:
	if (scratch)
		d->scratch_close(scratch);
	sd_str_release(&sql);
	return rc;
}

/*
 * The proof on a scratch database that open_empty left empty: build source
 * there from its model, then prove.  The scratch is closed on every path.
 */
static int prove_built(const sd_dialect *d, void *scratch, const sd_migration *m,
		       const sd_schema *source, const sd_schema *target, sd_migration *residual,
		       const char **failed_step, const char *where, sd_error *err)
{
	sd_str sql = SD_STR_INIT;
	int rc;

	if ((rc = sd_emit_revision(&sd_emitter_sql, m, d, NULL, &sql, err)))
		goto done;
	if ((rc = build_source(d, scratch, source, err)))
		goto done;
	rc = prove_open(d, scratch, sql.ptr, source, target, residual, failed_step, where, err);
done:
	d->scratch_close(scratch);
	sd_str_release(&sql);
	return rc;
}

int sd_revision_prove_dev(const sd_dialect *d, const char *dev_url, const sd_migration *m,
			  const sd_schema *source, const sd_schema *target,
			  sd_migration *residual, const char **failed_step, sd_error *err)
{
	void *scratch = NULL;
	int rc;

	memset(residual, 0, sizeof(*residual));
	*failed_step = NULL;
	if (!d->scratch_open_empty || !d->scratch_exec || !d->scratch_introspect ||
	    !d->scratch_close)
		return sd_error_set(err, SD_EUNSUPPORTED,
				    "the %s dialect cannot prove a migration on a dev database",
				    d->name);
	if ((rc = d->scratch_open_empty(&scratch, dev_url, source, err)))
		return rc;
	return prove_built(d, scratch, m, source, target, residual, failed_step,
			   "the dev database", err);
}

int sd_revision_prove_model(const sd_dialect *d, const sd_migration *m, const sd_schema *source,
			    const sd_schema *target, sd_migration *residual,
			    const char **failed_step, sd_error *err)
{
	void *scratch = NULL;
	int rc;

	memset(residual, 0, sizeof(*residual));
	*failed_step = NULL;
	if (!d->scratch_open || !d->scratch_exec || !d->scratch_introspect || !d->scratch_close)
		return sd_error_set(err, SD_EUNSUPPORTED,
				    "the %s dialect cannot prove a migration on a scratch database",
				    d->name);
	if ((rc = d->scratch_open(&scratch, NULL, err)))
		return rc;
	return prove_built(d, scratch, m, source, target, residual, failed_step,
			   "a scratch database built from the source's model", err);
}
