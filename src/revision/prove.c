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
#include "schemadiff/hmap.h"
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
 * CHECK texts in the server's canonical form (the dialect's
 * scratch_check_texts), by the address of the sd_check: the compare
 * options' check_text.  keys[] holds the addresses the map's keys point at.
 */
typedef struct server_checks {
	sd_hmap map;
	const sd_check **keys;
	char **texts;
	size_t n;
} server_checks;

static const char *server_check_text(void *arg, const sd_check *ck)
{
	const server_checks *sc = arg;

	return sd_hmap_get(&sc->map, (const char *)&ck, sizeof(ck));
}

static void server_checks_release(server_checks *sc)
{
	for (size_t i = 0; i < sc->n; i++)
		free(sc->texts[i]);
	free(sc->texts);
	free(sc->keys);
	sd_hmap_release(&sc->map);
}

static void push_checks(const sd_table *t, const sd_table ***tabs, const char ***exprs,
			const sd_check ***keys, size_t *n, size_t *alloc)
{
	for (size_t j = 0; j < t->nchecks; j++) {
		if (*n + 1 > *alloc) {
			*alloc = *alloc ? 2 * *alloc : 16;
			*tabs = xrealloc(*tabs, *alloc * sizeof(**tabs));
			*exprs = xrealloc(*exprs, *alloc * sizeof(**exprs));
			*keys = xrealloc(*keys, *alloc * sizeof(**keys));
		}
		(*tabs)[*n] = t;
		(*exprs)[*n] = t->checks[j]->expression;
		(*keys)[*n] = t->checks[j];
		(*n)++;
	}
}

/*
 * The residual's CHECK differences, judged in the server's canonical form:
 * for every table with a CHECK op in the residual, every CHECK of that table
 * on both sides (got and want) is deparsed by the scratch server until its
 * text is stable, and the texts go into sc.  A table goes in only when the
 * server took all of its CHECKs, so that both sides of a table are judged
 * alike.  *any: some table went in (compare again).
 */
static int judge_checks(const sd_dialect *d, void *scratch, const sd_schema *got,
			const sd_schema *want, const sd_migration *residual, server_checks *sc,
			bool *any, sd_error *err)
{
	const sd_table **tabs = NULL, **pairs = NULL;
	const char **exprs = NULL;
	size_t n = 0, alloc = 0, npairs = 0, i, j, k;
	size_t *first = NULL;
	int rc = 0;

	*any = false;
	for (i = 0; i < residual->upgrade.n; i++) {
		const sd_op *op = &residual->upgrade.ops[i];
		const sd_table *ta, *tb;

		if (op->kind != SD_OP_CREATE_CHECK_CONSTRAINT &&
		    !(op->kind == SD_OP_DROP_CONSTRAINT && op->ctype == SD_CONSTRAINT_CHECK))
			continue;
		ta = sd_schema_find_table(got, op->schema, op->table);
		tb = sd_schema_find_table(want, op->schema, op->table);
		if (!ta || !tb)
			continue;
		for (j = 0; j < npairs && pairs[2 * j] != ta; j++)
			;
		if (j < npairs)
			continue;
		pairs = xrealloc(pairs, 2 * (npairs + 1) * sizeof(*pairs));
		first = xrealloc(first, (npairs + 2) * sizeof(*first));
		pairs[2 * npairs] = ta;
		pairs[2 * npairs + 1] = tb;
		first[npairs] = n;
		push_checks(ta, &tabs, &exprs, &sc->keys, &n, &alloc);
		push_checks(tb, &tabs, &exprs, &sc->keys, &n, &alloc);
		npairs++;
		first[npairs] = n;
	}
	if (!n)
		goto done;
	sc->texts = xcalloc(n, sizeof(*sc->texts));
	sc->n = n;
	if ((rc = d->scratch_check_texts(scratch, tabs, exprs, n, sc->texts, err)))
		goto done;
	for (j = 0; j < npairs; j++) {
		for (k = first[j]; k < first[j + 1] && sc->texts[k]; k++)
			;
		if (k < first[j + 1])
			continue;  /* the server refused one of this table's CHECKs */
		for (k = first[j]; k < first[j + 1]; k++)
			sd_hmap_put(&sc->map, (const char *)&sc->keys[k], sizeof(sc->keys[k]),
				    sc->texts[k]);
		*any = true;
	}
done:
	free(tabs);
	free(exprs);
	free(pairs);
	free(first);
	return rc;
}

/*
 * Execute one section (step: "upgrade" or "downgrade") on the scratch
 * database, read it back, compare with want.  CHECKs that still differ are
 * judged again in the server's canonical form when the dialect offers it:
 * PostgreSQL deparses a CHECK differently when the deparsed text is created
 * anew, and the scratch schema was built from text.
 */
static int prove_step(const sd_dialect *d, void *scratch, const char *step, const char *sql,
		      const sd_schema *want, sd_migration *residual, sd_error *err)
{
	sd_compare_opts copts = { 0 };
	server_checks sc = { SD_HMAP_INIT, NULL, NULL, 0 };
	sd_schema *got = NULL;
	bool again = false;
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
	if (residual->upgrade.n > 0 && d->scratch_check_texts) {
		if ((rc = judge_checks(d, scratch, got, want, residual, &sc, &again, err)))
			goto done;
		if (again) {
			sd_migration_release(residual);
			copts.check_text = server_check_text;
			copts.check_text_arg = &sc;
			if ((rc = sd_compare(residual, got, want, &copts, err)))
				goto done;
		}
	}
	if (residual->upgrade.n > 0)
		rc = SD_EVERIFY;
done:
	server_checks_release(&sc);
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
