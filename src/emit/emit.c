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

int sd_emit_revision(const sd_emitter *e, const sd_migration *m, const sd_dialect *d,
		     const sd_revision_meta *rev, sd_str *out, sd_error *err)
{
	sd_emit_ctx ctx = { out, m, d, rev, NULL };
	size_t start = out->len;
	int rc;

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
