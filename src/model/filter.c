/*
 * filter.c - --include / --exclude name filters over a finished schema
 * (see include/schemadiff/filter.h for the names matched and the rules).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"
#include "schemadiff/filter.h"

typedef struct pattern {
	pcre2_code *code;
} pattern;

struct sd_filter {
	pattern *inc, *exc;
	size_t ninc, nexc, ainc, aexc;
	pcre2_match_data *md;    /* one block for every match (sized for the largest pattern) */
	sd_str name;             /* scratch for qualified names */
};

static const char ALEMBIC_VERSION[] = "alembic_version";

sd_filter *sd_filter_new(void)
{
	sd_filter *f = xcalloc(1, sizeof(*f));

	sd_str_init(&f->name);
	return f;
}

void sd_filter_free(sd_filter *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->ninc; i++)
		pcre2_code_free(f->inc[i].code);
	for (i = 0; i < f->nexc; i++)
		pcre2_code_free(f->exc[i].code);
	free(f->inc);
	free(f->exc);
	pcre2_match_data_free(f->md);
	sd_str_release(&f->name);
	free(f);
}

int sd_filter_add(sd_filter *f, sd_filter_kind kind, const char *pattern_text, const char *origin,
		  sd_error *err)
{
	int errcode;
	PCRE2_SIZE erroff;
	pcre2_code *code;
	pcre2_match_data *md;
	uint32_t cap = 0;

	code = pcre2_compile((PCRE2_SPTR)pattern_text, PCRE2_ZERO_TERMINATED,
			     PCRE2_ANCHORED | PCRE2_ENDANCHORED | PCRE2_UTF, &errcode, &erroff, NULL);
	if (!code) {
		PCRE2_UCHAR msg[256];
		int rc;

		if (pcre2_get_error_message(errcode, msg, sizeof(msg)) < 0)
			msg[0] = '\0';
		rc = sd_error_set(err, SD_EINPUT, "%s '%s': %s at offset %zu", origin, pattern_text,
				  (const char *)msg, (size_t)erroff);
		if (err && err->code == rc)
			err->column = (int)erroff + 1;
		return rc;
	}
	(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE); /* falls back to the interpreter */
	(void)pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &cap);
	if (!f->md || pcre2_get_ovector_count(f->md) < cap + 1) {
		md = pcre2_match_data_create(cap + 1, NULL);
		if (!md)
			sd_die("out of memory");
		pcre2_match_data_free(f->md);
		f->md = md;
	}
	if (kind == SD_FILTER_INCLUDE) {
		SD_GROW(f->inc, f->ninc + 1, f->ainc);
		f->inc[f->ninc++].code = code;
	} else {
		SD_GROW(f->exc, f->nexc + 1, f->aexc);
		f->exc[f->nexc++].code = code;
	}
	return 0;
}

size_t sd_filter_count(const sd_filter *f, sd_filter_kind kind)
{
	if (!f)
		return 0;
	return kind == SD_FILTER_INCLUDE ? f->ninc : f->nexc;
}

/* Does any of pats[0..n-1] match the whole of s? */
static bool match_any(const sd_filter *f, const pattern *pats, size_t n, const sd_str *s)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int rc = pcre2_match(pats[i].code, (PCRE2_SPTR)s->ptr, s->len, 0, 0, f->md, NULL);

		if (rc >= 0)
			return true;
		/* PCRE2_ERROR_NOMATCH, or a UTF error in a name: not a match */
	}
	return false;
}

static void qualify(sd_str *out, const char *schema, const char *table, const char *name)
{
	sd_str_reset(out);
	if (schema) {
		sd_str_add(out, schema);
		sd_str_addch(out, '.');
	}
	sd_str_add(out, table);
	if (name) {
		sd_str_addch(out, '.');
		sd_str_add(out, name);
	}
}

bool sd_filter_keeps_table(const sd_filter *f, const char *schema, const char *name)
{
	sd_filter *mf = (sd_filter *)f; /* the scratch name and match data are not state */

	if (strcmp(name, ALEMBIC_VERSION) == 0)
		return false;
	if (!f || (!f->ninc && !f->nexc))
		return true;
	qualify(&mf->name, schema, name, NULL);
	if (f->ninc && !match_any(f, f->inc, f->ninc, &f->name))
		return false;
	return !match_any(f, f->exc, f->nexc, &f->name);
}

bool sd_filter_keeps_object(const sd_filter *f, const char *schema, const char *table,
			    const char *name)
{
	sd_filter *mf = (sd_filter *)f;

	if (!f || !f->nexc || !name)
		return true;
	qualify(&mf->name, schema, table, name);
	return !match_any(f, f->exc, f->nexc, &f->name);
}

/* The table fk refers to, as the comparator resolves it: its ref_schema,
 * else the table's own schema. */
static const char *fk_ref_schema(const sd_table *t, const sd_foreign_key *fk)
{
	return fk->ref_schema ? fk->ref_schema : t->schema;
}

static void note_fk(sd_str *notes, const sd_table *t, const sd_foreign_key *fk)
{
	size_t i;

	sd_str_add(notes, "foreign key ");
	if (fk->name)
		sd_str_addf(notes, "'%s' ", fk->name);
	sd_str_add(notes, "on '");
	sd_qualified_name(notes, t->schema, t->name);
	sd_str_add(notes, "' ");
	if (!fk->name) {
		sd_str_addch(notes, '(');
		for (i = 0; i < fk->ncolumns; i++)
			sd_str_addf(notes, "%s%s", i ? ", " : "", fk->columns[i]);
		sd_str_add(notes, ") ");
	}
	sd_str_add(notes, "refers to excluded table '");
	sd_qualified_name(notes, fk->ref_schema, fk->ref_table);
	sd_str_add(notes, "' (kept and compared)\n");
}

size_t sd_filter_apply(const sd_filter *f, sd_schema *s, sd_str *notes)
{
	size_t removed = 0, i, j, k;

	/* Tables and views first: a table's own objects go with it. */
	for (i = 0, j = 0; i < s->ntables; i++) {
		if (sd_filter_keeps_table(f, s->tables[i]->schema, s->tables[i]->name))
			s->tables[j++] = s->tables[i];
		else
			removed++;
	}
	s->ntables = j;
	for (i = 0, j = 0; i < s->nviews; i++) {
		if (sd_filter_keeps_table(f, s->views[i]->schema, s->views[i]->name))
			s->views[j++] = s->views[i];
		else
			removed++;
	}
	s->nviews = j;
	for (i = 0, j = 0; i < s->ntriggers; i++) {
		sd_trigger *tr = s->triggers[i];

		if (tr->table && (!sd_filter_keeps_table(f, tr->schema, tr->table) ||
				  !sd_filter_keeps_object(f, tr->schema, tr->table, tr->name)))
			removed++;
		else
			s->triggers[j++] = tr;
	}
	s->ntriggers = j;

	for (i = 0; i < s->ntables; i++) {
		sd_table *t = s->tables[i];

		if (f && f->nexc) {
			for (j = 0, k = 0; j < t->nindexes; j++) {
				if (sd_filter_keeps_object(f, t->schema, t->name, t->indexes[j]->name))
					t->indexes[k++] = t->indexes[j];
				else
					removed++;
			}
			t->nindexes = k;
			for (j = 0, k = 0; j < t->nuniques; j++) {
				if (sd_filter_keeps_object(f, t->schema, t->name, t->uniques[j]->name))
					t->uniques[k++] = t->uniques[j];
				else
					removed++;
			}
			t->nuniques = k;
			for (j = 0, k = 0; j < t->nchecks; j++) {
				if (sd_filter_keeps_object(f, t->schema, t->name, t->checks[j]->name))
					t->checks[k++] = t->checks[j];
				else
					removed++;
			}
			t->nchecks = k;
			for (j = 0, k = 0; j < t->nfks; j++) {
				if (sd_filter_keeps_object(f, t->schema, t->name, t->fks[j]->name))
					t->fks[k++] = t->fks[j];
				else
					removed++;
			}
			t->nfks = k;
			if (t->pk && !sd_filter_keeps_object(f, t->schema, t->name, t->pk->name)) {
				t->pk = NULL;
				removed++;
			}
		}
		for (j = 0; notes && j < t->nfks; j++) {
			const sd_foreign_key *fk = t->fks[j];

			if (fk->ref_table && !sd_filter_keeps_table(f, fk_ref_schema(t, fk), fk->ref_table) &&
			    strcmp(fk->ref_table, ALEMBIC_VERSION) != 0)
				note_fk(notes, t, fk);
		}
	}
	if (removed)
		sd_model_map_rebuild(s);
	return removed;
}

void sd_filter_restore(const sd_filter *f, sd_schema *dst, const sd_schema *full)
{
	size_t i, j;

	for (i = 0; i < full->ntables; i++) {
		const sd_table *t = full->tables[i];
		sd_table *d;

		if (strcmp(t->name, ALEMBIC_VERSION) == 0)
			continue;
		if (!sd_filter_keeps_table(f, t->schema, t->name)) {
			if (!sd_schema_find_table(dst, t->schema, t->name))
				sd_schema_insert_table(dst, sd_table_copy(dst, t));
			continue;
		}
		if (!f || !f->nexc || !(d = sd_schema_find_table(dst, t->schema, t->name)))
			continue;
		for (j = 0; j < t->nindexes; j++)
			if (!sd_filter_keeps_object(f, t->schema, t->name, t->indexes[j]->name) &&
			    !sd_table_find_index(d, t->indexes[j]->name))
				sd_arena_push(dst->arena, (void ***)&d->indexes, &d->nindexes,
					      sd_index_copy(dst, t->indexes[j]));
		for (j = 0; j < t->nuniques; j++)
			if (!sd_filter_keeps_object(f, t->schema, t->name, t->uniques[j]->name))
				sd_arena_push(dst->arena, (void ***)&d->uniques, &d->nuniques,
					      sd_unique_copy(dst, t->uniques[j]));
		for (j = 0; j < t->nchecks; j++)
			if (!sd_filter_keeps_object(f, t->schema, t->name, t->checks[j]->name))
				sd_arena_push(dst->arena, (void ***)&d->checks, &d->nchecks,
					      sd_check_copy(dst, t->checks[j]));
		for (j = 0; j < t->nfks; j++)
			if (!sd_filter_keeps_object(f, t->schema, t->name, t->fks[j]->name))
				sd_arena_push(dst->arena, (void ***)&d->fks, &d->nfks,
					      sd_fk_copy(dst, t->fks[j]));
		if (t->pk && !d->pk && !sd_filter_keeps_object(f, t->schema, t->name, t->pk->name))
			d->pk = sd_pk_copy(dst, t->pk);
	}
	for (i = 0; i < full->nviews; i++) {
		const sd_view *v = full->views[i];

		if (!sd_filter_keeps_table(f, v->schema, v->name) &&
		    !sd_schema_find_view(dst, v->schema, v->name))
			sd_schema_add_view(dst, v->schema, v->name, v->definition);
	}
	for (i = 0; i < full->ntriggers; i++) {
		const sd_trigger *tr = full->triggers[i];

		if (tr->table && (!sd_filter_keeps_table(f, tr->schema, tr->table) ||
				  !sd_filter_keeps_object(f, tr->schema, tr->table, tr->name)))
			sd_schema_add_trigger(dst, tr->schema, tr->name, tr->table, tr->sql);
	}
}
