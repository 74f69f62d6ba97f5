/*
 * emit.c - the emitter registry and the driver that runs an emitter over a
 * migration (pg_dump's archive-format dispatch).
 */
#include <string.h>

#include "schemadiff/emit.h"

static const sd_emitter *const emitters[] = {
	&sd_emitter_review,
	&sd_emitter_json,
	&sd_emitter_alembic,
	&sd_emitter_sql,
	&sd_emitter_github,
};

const sd_emitter *sd_emitter_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < SD_ARRAY_LEN(emitters); i++)
		if (strcmp(emitters[i]->name, name) == 0)
			return emitters[i];
	return NULL;
}

/*
 * begin; every upgrade op (downgrade=false); every downgrade op
 * (downgrade=true); end.  On failure the emitter's end still runs (so it
 * frees its state) but out is cut back to its length on entry: a failed
 * emit appends nothing.  The first error is kept.
 */
int sd_emit(const sd_emitter *e, const sd_migration *m, const sd_dialect *d, sd_str *out,
	    sd_error *err)
{
	return sd_emit_revision(e, m, d, NULL, out, err);
}

/*
 * An op of l that carries what d cannot write (an index operator class
 * without SD_CAP_OPCLASS, a UNIQUE NULLS NOT DISTINCT without
 * SD_CAP_UNIQUE_NND), in its index, unique constraint or table: an error
 * naming it, rather than a file that silently leaves it out.  The
 * comparator never makes such ops; an op list read from a file (render)
 * can hold them.  (Emitters that need no dialect are run with d NULL.)
 */
static int check_op_features(const sd_dialect *d, const sd_oplist *l, sd_error *err)
{
	for (size_t i = 0; i < l->n; i++) {
		const sd_op *op = &l->ops[i];
		const sd_index *ixs[1] = { op->index };
		const sd_index *const *iv = ixs;
		size_t nix = op->index ? 1 : 0;
		const sd_unique *us[1] = { op->unique };
		const sd_unique *const *uv = us;
		size_t nu = op->unique ? 1 : 0;

		if (op->kind == SD_OP_CREATE_TABLE && op->table_def) {
			iv = (const sd_index *const *)op->table_def->indexes;
			nix = op->table_def->nindexes;
			uv = (const sd_unique *const *)op->table_def->uniques;
			nu = op->table_def->nuniques;
		}
		for (size_t j = 0; j < nix && !(d->caps & SD_CAP_OPCLASS); j++)
			for (size_t k = 0; k < iv[j]->nelems; k++)
				if (iv[j]->elems[k]->opclass)
					return sd_error_set(err, SD_EINPUT, "%s '%s' on '%s': operator class "
							    "\"%s\": %s has no operator classes",
							    sd_op_kind_name(op->kind), iv[j]->name,
							    op->table ? op->table : "", iv[j]->elems[k]->opclass,
							    d->name);
		for (size_t j = 0; j < nu && !(d->caps & SD_CAP_UNIQUE_NND); j++)
			if (uv[j]->nulls_not_distinct)
				return sd_error_set(err, SD_EINPUT, "%s on '%s': a unique constraint with "
						    "NULLS NOT DISTINCT: %s has none",
						    sd_op_kind_name(op->kind), op->table ? op->table : "",
						    d->name);
	}
	return 0;
}

int sd_emit_revision(const sd_emitter *e, const sd_migration *m, const sd_dialect *d,
		     const sd_revision_meta *rev, sd_str *out, sd_error *err)
{
	sd_emit_ctx ctx = { out, m, d, rev, NULL };
	size_t start = out->len;
	int rc;

	if (d && ((rc = check_op_features(d, &m->upgrade, err)) ||
		  (rc = check_op_features(d, &m->downgrade, err)))) {
		sd_error_set_hint(err, "these are PostgreSQL features: an op list that holds them "
				  "says \"dialect\": \"postgresql\"");
		return rc;
	}
	rc = e->begin ? e->begin(&ctx, err) : 0;
	if (rc)
		goto done;
	for (size_t i = 0; i < m->upgrade.n && !rc; i++)
		rc = e->op(&ctx, &m->upgrade.ops[i], false, err);
	for (size_t i = 0; i < m->downgrade.n && !rc; i++)
		rc = e->op(&ctx, &m->downgrade.ops[i], true, err);

done:
	if (e->end) {
		int erc = e->end(&ctx, err);

		if (!rc)
			rc = erc;
	}
	if (rc)
		sd_str_truncate(out, start);
	return rc;
}
