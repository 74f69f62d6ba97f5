/*
 * fingerprint.c - the canonical text of a normalized schema and its
 * SHA-256 (fingerprint.h says what goes in and why).  Sets are sorted as
 * lines, so no order that carries no meaning reaches the hash.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schemadiff/compare.h"
#include "schemadiff/fingerprint.h"
#include "compare/compare_int.h"
#include "util/sha256.h"

typedef struct lines {
	char **v;
	size_t n, alloc;
} lines;

static void lines_push(lines *l, sd_str *s)
{
	SD_GROW(l->v, l->n + 1, l->alloc);
	l->v[l->n++] = sd_str_detach(s);
}

static int cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort l, append each line + '\n' to out, free l. */
static void lines_flush(sd_str *out, lines *l)
{
	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), cmp_line);
	for (size_t i = 0; i < l->n; i++) {
		sd_str_add(out, l->v[i]);
		sd_str_addch(out, '\n');
		free(l->v[i]);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* A field: " <len>:<text>", or " ~" for NULL. */
static void field(sd_str *out, const char *text)
{
	if (!text)
		sd_str_add(out, " ~");
	else
		sd_str_addf(out, " %zu:%s", strlen(text), text);
}

/* A field through a normaliser (NULL stays NULL; no normaliser: raw). */
static void nfield(sd_str *out, void (*fn)(sd_str *, const char *), const char *text)
{
	sd_str tmp = SD_STR_INIT;

	if (!text || !fn) {
		field(out, text);
		return;
	}
	fn(&tmp, text);
	field(out, tmp.ptr);
	sd_str_release(&tmp);
}

static void names(sd_str *out, const char *const *v, size_t n)
{
	sd_str_addf(out, " (%zu", n);
	for (size_t i = 0; i < n; i++)
		field(out, v[i]);
	sd_str_addch(out, ')');
}

static void table_lines(sd_str *out, const sd_schema *sch, const sd_table *t, const sd_dialect *d)
{
	bool comments = (d->caps & SD_CAP_COMMENTS) != 0;
	sd_str s = SD_STR_INIT;
	lines set = { 0 };
	size_t i, j;

	/* The table line, then its columns in order, then its sets, sorted. */
	sd_str_add(&s, "table");
	field(&s, t->schema);
	field(&s, t->name);
	field(&s, comments ? t->comment : NULL);
	sd_str_addf(&s, " %d %d", t->without_rowid, t->strict);
	sd_str_addch(&s, '\n');
	for (i = 0; i < t->ncolumns; i++) {
		const sd_column *c = t->columns[i];

		sd_str_add(&s, " column");
		field(&s, c->name);
		nfield(&s, d->normalize_type, c->type);
		sd_str_addf(&s, " %d", c->nullable);
		nfield(&s, d->normalize_default, c->server_default);
		sd_str_addf(&s, " %d", (int)c->autoincrement);
		nfield(&s, d->normalize_expr, c->generated);
		sd_str_addf(&s, " %d", c->generated ? c->generated_stored : 0);
		field(&s, c->collation);
		field(&s, comments ? c->comment : NULL);
		sd_str_addch(&s, '\n');
	}
	if (t->pk) {
		sd_str_add(&s, " pk");
		field(&s, (d->caps & SD_CAP_NAMED_PK) ? t->pk->name : NULL);
		names(&s, t->pk->columns, t->pk->ncolumns);
		sd_str_addch(&s, '\n');
	}
	sd_str_add(out, s.ptr);
	sd_str_reset(&s);

	for (i = 0; i < t->nuniques; i++) {
		sd_str_add(&s, " unique");
		field(&s, t->uniques[i]->name);
		names(&s, t->uniques[i]->columns, t->uniques[i]->ncolumns);
		if (t->uniques[i]->nulls_not_distinct)   /* absent otherwise: hashes as before */
			sd_str_add(&s, " nnd");
		lines_push(&set, &s);
	}
	for (i = 0; i < t->nfks; i++) {
		const sd_foreign_key *fk = t->fks[i];
		const char *match = fk->match && sd_strcasecmp(fk->match, "SIMPLE") != 0 ? fk->match : NULL;

		sd_str_add(&s, " fk");
		field(&s, fk->name);
		names(&s, fk->columns, fk->ncolumns);
		field(&s, fk->ref_schema);
		field(&s, fk->ref_table);
		names(&s, fk->ref_columns, fk->nref_columns);
		field(&s, fk->on_delete && *fk->on_delete ? fk->on_delete : "NO ACTION");
		field(&s, fk->on_update && *fk->on_update ? fk->on_update : "NO ACTION");
		sd_str_addf(&s, " %d %d", fk->deferrable, fk->initially_deferred);
		field(&s, match);
		lines_push(&set, &s);
	}
	for (i = 0; i < t->nchecks; i++) {
		sd_str_add(&s, " check");
		field(&s, t->checks[i]->name);
		nfield(&s, d->normalize_expr, t->checks[i]->expression);
		lines_push(&set, &s);
	}
	for (i = 0; i < t->nindexes; i++) {
		const sd_index *ix = t->indexes[i];

		sd_str_add(&s, " index");
		field(&s, ix->name);
		sd_str_addf(&s, " %d (%zu", ix->unique, ix->nelems);
		for (j = 0; j < ix->nelems; j++) {
			const sd_index_elem *e = ix->elems[j];

			field(&s, e->column);
			nfield(&s, d->normalize_expr, e->column ? NULL : e->expression);
			sd_str_addf(&s, " %d", e->desc);
			field(&s, e->collation);
			field(&s, e->nulls);
			if (e->opclass) {   /* absent otherwise: hashes as before */
				sd_str tmp = SD_STR_INIT;

				if (sd_index_elem_opclass(&tmp, d, sch, t, ix, e)) {
					sd_str_add(&s, " opclass");
					field(&s, tmp.ptr);
				}
				sd_str_release(&tmp);
			}
		}
		sd_str_addch(&s, ')');
		nfield(&s, d->normalize_expr, ix->where);
		/* PostgreSQL index options, each only when set (hashes as before otherwise) */
		if (ix->method && sd_strcasecmp(ix->method, "btree") != 0) {
			sd_str_add(&s, " method");
			field(&s, ix->method);
		}
		if (ix->ninclude) {
			sd_str_add(&s, " include");
			names(&s, ix->include, ix->ninclude);
		}
		if (ix->nulls_not_distinct)
			sd_str_add(&s, " nnd");
		lines_push(&set, &s);
	}
	/* Lines inside one table start with a space: they never sort between tables. */
	lines_flush(out, &set);
	sd_str_release(&s);
}

void sd_schema_canonical(sd_str *out, const sd_schema *s, const sd_dialect *d)
{
	lines set = { 0 };
	sd_str one = SD_STR_INIT;
	size_t i;

	if (!d)
		d = sd_compare_pick_dialect(s, s);
	sd_str_add(out, "schemadiff-fingerprint/1");
	field(out, d->name);
	sd_str_addch(out, '\n');

	/* Each table is one multi-line block: sort the blocks as wholes. */
	for (i = 0; i < s->ntables; i++) {
		table_lines(&one, s, s->tables[i], d);
		if (one.len && one.ptr[one.len - 1] == '\n')
			sd_str_truncate(&one, one.len - 1);
		lines_push(&set, &one);
	}
	lines_flush(out, &set);
	for (i = 0; i < s->nviews; i++) {
		sd_str_add(&one, "view");
		field(&one, s->views[i]->schema);
		field(&one, s->views[i]->name);
		nfield(&one, d->normalize_expr, s->views[i]->definition);
		if (s->views[i]->materialized)   /* absent otherwise: plain views hash as before */
			sd_str_add(&one, " materialized");
		lines_push(&set, &one);
	}
	lines_flush(out, &set);
	for (i = 0; i < s->ntriggers; i++) {
		sd_str_add(&one, "trigger");
		field(&one, s->triggers[i]->schema);
		field(&one, s->triggers[i]->table);
		field(&one, s->triggers[i]->name);
		nfield(&one, d->normalize_expr, s->triggers[i]->sql);
		lines_push(&set, &one);
	}
	lines_flush(out, &set);
	/* PostgreSQL enums (values in order) and sequences (settings as compared) */
	for (i = 0; i < s->nenums; i++) {
		sd_str_add(&one, "enum");
		field(&one, s->enums[i]->schema);
		field(&one, s->enums[i]->name);
		names(&one, s->enums[i]->values, s->enums[i]->nvalues);
		lines_push(&set, &one);
	}
	lines_flush(out, &set);
	for (i = 0; i < s->nsequences; i++) {
		const sd_sequence *q = s->sequences[i];
		sd_seq_eff e;

		sd_seq_effective(d, q, &e);
		sd_str_add(&one, "sequence");
		field(&one, q->schema);
		field(&one, q->name);
		for (size_t k = 0; k < SD_ARRAY_LEN(e.f); k++)
			field(&one, e.f[k]);
		sd_str_add(&one, q->cycle ? " cycle" : " nocycle");
		field(&one, q->owned_by);
		lines_push(&set, &one);
	}
	lines_flush(out, &set);
	sd_str_release(&one);
}

void sd_schema_fingerprint(char out[SD_FINGERPRINT_SIZE], const sd_schema *s,
			   const sd_dialect *d)
{
	sd_str text = SD_STR_INIT;
	char hex[2 * SD_SHA256_LEN + 1];

	sd_schema_canonical(&text, s, d);
	sd_sha256_hex(text.ptr, text.len, hex);
	snprintf(out, SD_FINGERPRINT_SIZE, "%s%s", SD_FINGERPRINT_PREFIX, hex);
	sd_str_release(&text);
}
