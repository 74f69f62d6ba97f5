/*
 * model_copy.c - deep copies of model objects into another schema's arena,
 * for op lists that outlive their source schemas and for the op applier.
 */
#include <string.h>

#include "model_internal.h"

#define DUP(s) sd_arena_strdup(dst->arena, (s))

static void copy_names(sd_schema *dst, const char ***to, size_t *nto, const char *const *from,
		       size_t n)
{
	size_t i;

	*to = NULL;
	*nto = 0;
	for (i = 0; i < n; i++)
		sd_names_push(dst, to, nto, from[i]);
}

sd_column *sd_column_copy(sd_schema *dst, const sd_column *src)
{
	sd_column *c = sd_arena_alloc(dst->arena, sizeof(*c));

	*c = *src;
	c->name = DUP(src->name);
	c->type = DUP(src->type);
	c->server_default = DUP(src->server_default);
	c->generated = DUP(src->generated);
	c->collation = DUP(src->collation);
	c->comment = DUP(src->comment);
	c->identity = DUP(src->identity);
	return c;
}

sd_primary_key *sd_pk_copy(sd_schema *dst, const sd_primary_key *src)
{
	sd_primary_key *pk = sd_arena_alloc(dst->arena, sizeof(*pk));

	pk->name = DUP(src->name);
	copy_names(dst, &pk->columns, &pk->ncolumns, src->columns, src->ncolumns);
	return pk;
}

sd_unique *sd_unique_copy(sd_schema *dst, const sd_unique *src)
{
	sd_unique *u = sd_arena_alloc(dst->arena, sizeof(*u));

	u->name = DUP(src->name);
	copy_names(dst, &u->columns, &u->ncolumns, src->columns, src->ncolumns);
	u->nulls_not_distinct = src->nulls_not_distinct;
	return u;
}

sd_foreign_key *sd_fk_copy(sd_schema *dst, const sd_foreign_key *src)
{
	sd_foreign_key *fk = sd_arena_alloc(dst->arena, sizeof(*fk));

	*fk = *src;
	fk->name = DUP(src->name);
	copy_names(dst, &fk->columns, &fk->ncolumns, src->columns, src->ncolumns);
	fk->ref_schema = DUP(src->ref_schema);
	fk->ref_table = DUP(src->ref_table);
	copy_names(dst, &fk->ref_columns, &fk->nref_columns, src->ref_columns, src->nref_columns);
	fk->on_delete = DUP(src->on_delete);
	fk->on_update = DUP(src->on_update);
	fk->match = DUP(src->match);
	fk->not_valid = src->not_valid;
	return fk;
}

sd_check *sd_check_copy(sd_schema *dst, const sd_check *src)
{
	sd_check *c = sd_arena_alloc(dst->arena, sizeof(*c));

	c->name = DUP(src->name);
	c->expression = DUP(src->expression);
	c->not_valid = src->not_valid;
	return c;
}

sd_index *sd_index_copy(sd_schema *dst, const sd_index *src)
{
	sd_index *ix = sd_arena_alloc(dst->arena, sizeof(*ix));
	size_t i;

	ix->name = DUP(src->name);
	ix->unique = src->unique;
	ix->where = DUP(src->where);
	ix->method = DUP(src->method);
	ix->nulls_not_distinct = src->nulls_not_distinct;
	copy_names(dst, &ix->include, &ix->ninclude, src->include, src->ninclude);
	for (i = 0; i < src->nelems; i++) {
		const sd_index_elem *se = src->elems[i];
		sd_index_elem *e = sd_index_add_elem(dst, ix);

		e->column = DUP(se->column);
		e->expression = DUP(se->expression);
		e->desc = se->desc;
		e->collation = DUP(se->collation);
		e->nulls = DUP(se->nulls);
		e->opclass = DUP(se->opclass);
	}
	return ix;
}

sd_view *sd_view_copy(sd_schema *dst, const sd_view *src)
{
	sd_view *v = sd_arena_alloc(dst->arena, sizeof(*v));

	v->schema = DUP(src->schema);
	v->name = DUP(src->name);
	v->definition = DUP(src->definition);
	v->materialized = src->materialized;
	return v;
}

sd_enum *sd_enum_copy(sd_schema *dst, const sd_enum *src)
{
	sd_enum *e = sd_arena_alloc(dst->arena, sizeof(*e));

	e->schema = DUP(src->schema);
	e->name = DUP(src->name);
	copy_names(dst, &e->values, &e->nvalues, src->values, src->nvalues);
	return e;
}

sd_sequence *sd_sequence_copy(sd_schema *dst, const sd_sequence *src)
{
	sd_sequence *q = sd_arena_alloc(dst->arena, sizeof(*q));

	*q = *src;
	q->schema = DUP(src->schema);
	q->name = DUP(src->name);
	q->type = DUP(src->type);
	q->start = DUP(src->start);
	q->increment = DUP(src->increment);
	q->min = DUP(src->min);
	q->max = DUP(src->max);
	q->cache = DUP(src->cache);
	q->owned_by = DUP(src->owned_by);
	return q;
}

/* A detached copy: not added to dst's table list (use sd_schema_add_table for that). */
sd_table *sd_table_copy(sd_schema *dst, const sd_table *src)
{
	sd_table *t = sd_arena_alloc(dst->arena, sizeof(*t));
	size_t i;

	t->schema = DUP(src->schema);
	t->name = DUP(src->name);
	t->comment = DUP(src->comment);
	t->without_rowid = src->without_rowid;
	t->strict = src->strict;
	for (i = 0; i < src->ncolumns; i++)
		sd_arena_push(dst->arena, (void ***)&t->columns, &t->ncolumns,
			      sd_column_copy(dst, src->columns[i]));
	if (src->pk)
		t->pk = sd_pk_copy(dst, src->pk);
	for (i = 0; i < src->nuniques; i++)
		sd_arena_push(dst->arena, (void ***)&t->uniques, &t->nuniques,
			      sd_unique_copy(dst, src->uniques[i]));
	for (i = 0; i < src->nfks; i++)
		sd_arena_push(dst->arena, (void ***)&t->fks, &t->nfks, sd_fk_copy(dst, src->fks[i]));
	for (i = 0; i < src->nchecks; i++)
		sd_arena_push(dst->arena, (void ***)&t->checks, &t->nchecks,
			      sd_check_copy(dst, src->checks[i]));
	for (i = 0; i < src->nindexes; i++)
		sd_arena_push(dst->arena, (void ***)&t->indexes, &t->nindexes,
			      sd_index_copy(dst, src->indexes[i]));
	return t;
}

void sd_schema_insert_table(sd_schema *s, sd_table *t)
{
	sd_arena_push(s->arena, (void ***)&s->tables, &s->ntables, t);
	sd_model_map_rebuild(s);
}

static void remove_ptr(void **arr, size_t *n, const void *item)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		if (arr[i] == item) {
			memmove(&arr[i], &arr[i + 1], (*n - i - 1) * sizeof(void *));
			(*n)--;
			return;
		}
	}
}

void sd_schema_remove_table(sd_schema *s, sd_table *t)
{
	remove_ptr((void **)s->tables, &s->ntables, t);
	sd_model_map_rebuild(s);
}

void sd_schema_remove_view(sd_schema *s, sd_view *v)
{
	remove_ptr((void **)s->views, &s->nviews, v);
	sd_model_map_rebuild(s);
}

void sd_ptr_array_remove(void **arr, size_t *n, const void *item)
{
	remove_ptr(arr, n, item);
}
