/*
 * model_finish.c - canonical order and validation of a built schema.
 *
 * Output must never depend on catalog or file order (pg_dump's pre-sort,
 * sqldiff's ORDER BY name): tables and views sort by (schema, name);
 * indexes and constraints by name, unnamed ones after the named ones,
 * ordered by their definition.  Columns keep their declared order.
 */
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"

static int cmp_names(const char *const *a, size_t na, const char *const *b, size_t nb)
{
	size_t i;

	for (i = 0; i < na && i < nb; i++) {
		int c = strcmp(a[i], b[i]);

		if (c)
			return c;
	}
	return (na > nb) - (na < nb);
}

/* Named before unnamed; then by name; the caller breaks remaining ties. */
static int cmp_opt_name(const char *a, const char *b)
{
	if (!a || !b)
		return (a == NULL) - (b == NULL);
	return strcmp(a, b);
}

static int cmp_table(const void *pa, const void *pb)
{
	const sd_table *a = *(sd_table *const *)pa, *b = *(sd_table *const *)pb;
	int c = sd_strcmp_null(a->schema, b->schema);

	return c ? c : strcmp(a->name, b->name);
}

static int cmp_view(const void *pa, const void *pb)
{
	const sd_view *a = *(sd_view *const *)pa, *b = *(sd_view *const *)pb;
	int c = sd_strcmp_null(a->schema, b->schema);

	return c ? c : strcmp(a->name, b->name);
}

/* Enums and sequences both start with (schema, name). */
static int cmp_enum(const void *pa, const void *pb)
{
	const sd_enum *a = *(sd_enum *const *)pa, *b = *(sd_enum *const *)pb;
	int c = sd_strcmp_null(a->schema, b->schema);

	return c ? c : strcmp(a->name, b->name);
}

static int cmp_sequence(const void *pa, const void *pb)
{
	const sd_sequence *a = *(sd_sequence *const *)pa, *b = *(sd_sequence *const *)pb;
	int c = sd_strcmp_null(a->schema, b->schema);

	return c ? c : strcmp(a->name, b->name);
}

static int cmp_trigger(const void *pa, const void *pb)
{
	const sd_trigger *a = *(sd_trigger *const *)pa, *b = *(sd_trigger *const *)pb;
	int c = sd_strcmp_null(a->schema, b->schema);

	if (!c)
		c = sd_strcmp_null(a->table, b->table);
	return c ? c : sd_strcmp_null(a->name, b->name);
}

static int cmp_unique(const void *pa, const void *pb)
{
	const sd_unique *a = *(sd_unique *const *)pa, *b = *(sd_unique *const *)pb;
	int c = cmp_opt_name(a->name, b->name);

	if (!c)
		c = cmp_names(a->columns, a->ncolumns, b->columns, b->ncolumns);
	return c ? c : (int)a->nulls_not_distinct - (int)b->nulls_not_distinct;
}

static int cmp_fk(const void *pa, const void *pb)
{
	const sd_foreign_key *a = *(sd_foreign_key *const *)pa, *b = *(sd_foreign_key *const *)pb;
	int c = cmp_opt_name(a->name, b->name);

	if (!c)
		c = cmp_names(a->columns, a->ncolumns, b->columns, b->ncolumns);
	if (!c)
		c = sd_strcmp_null(a->ref_schema, b->ref_schema);
	if (!c)
		c = sd_strcmp_null(a->ref_table, b->ref_table);
	if (!c)
		c = cmp_names(a->ref_columns, a->nref_columns, b->ref_columns, b->nref_columns);
	if (!c)
		c = sd_strcmp_null(a->on_delete, b->on_delete);
	if (!c)
		c = sd_strcmp_null(a->on_update, b->on_update);
	return c;
}

static int cmp_check(const void *pa, const void *pb)
{
	const sd_check *a = *(sd_check *const *)pa, *b = *(sd_check *const *)pb;
	int c = cmp_opt_name(a->name, b->name);

	return c ? c : sd_strcmp_null(a->expression, b->expression);
}

static int cmp_index(const void *pa, const void *pb)
{
	const sd_index *a = *(sd_index *const *)pa, *b = *(sd_index *const *)pb;
	int c = cmp_opt_name(a->name, b->name);
	size_t i;

	if (c)
		return c;
	for (i = 0; i < a->nelems && i < b->nelems; i++) {
		c = sd_strcmp_null(a->elems[i]->column, b->elems[i]->column);
		if (!c)
			c = sd_strcmp_null(a->elems[i]->expression, b->elems[i]->expression);
		if (!c)
			c = sd_strcmp_null(a->elems[i]->opclass, b->elems[i]->opclass);
		if (c)
			return c;
	}
	c = (a->nelems > b->nelems) - (a->nelems < b->nelems);
	return c ? c : sd_strcmp_null(a->where, b->where);
}

#define SORT(arr, n, cmp) \
	do { if ((n) > 1) qsort((arr), (n), sizeof(*(arr)), (cmp)); } while (0)

static int fail(sd_schema *s, sd_error *err, const sd_table *t, const char *obj, const char *fmt,
		const char *a, const char *b)
{
	sd_str path = SD_STR_INIT;
	int rc;

	sd_qualified_name(&path, t ? t->schema : NULL, t ? t->name : "");
	if (obj)
		sd_str_addf(&path, ".%s", obj);
	rc = sd_error_set_at(err, SD_EINPUT, s->source, 0, 0, t ? path.ptr : NULL, fmt, a, b);
	sd_str_release(&path);
	return rc;
}

static int check_columns(sd_schema *s, const sd_table *t, const char *what, const char *objname,
			 const char *const *cols, size_t n, sd_error *err)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!sd_table_find_column(t, cols[i]))
			return fail(s, err, t, objname, "%s names column \"%s\", which the table does not have",
				    what, cols[i]);
	return 0;
}

static int validate_table(sd_schema *s, sd_table *t, sd_error *err)
{
	sd_hmap seen = SD_HMAP_INIT;
	size_t i, j;
	int rc = 0;

	if (!t->name || !*t->name)
		return fail(s, err, NULL, NULL, "a table has an empty name%s%s", "", "");
	for (i = 0; i < t->ncolumns; i++) {
		const char *name = t->columns[i]->name;

		if (!name || !*name) {
			rc = fail(s, err, t, NULL, "column %s%shas an empty name", "", "");
			goto done;
		}
		if (sd_hmap_puts(&seen, name, t->columns[i])) {
			rc = fail(s, err, t, name, "duplicate column \"%s\"%s", name, "");
			goto done;
		}
	}
	if (t->pk && (rc = check_columns(s, t, "primary key", t->pk->name, t->pk->columns,
					 t->pk->ncolumns, err)))
		goto done;
	for (i = 0; i < t->nuniques; i++)
		if ((rc = check_columns(s, t, "unique constraint", t->uniques[i]->name,
					t->uniques[i]->columns, t->uniques[i]->ncolumns, err)))
			goto done;
	for (i = 0; i < t->nfks; i++) {
		const sd_foreign_key *fk = t->fks[i];

		if ((rc = check_columns(s, t, "foreign key", fk->name, fk->columns, fk->ncolumns, err)))
			goto done;
		if (fk->nref_columns && fk->nref_columns != fk->ncolumns) {
			rc = fail(s, err, t, fk->name,
				  "foreign key %s\"%s\" has different numbers of local and referred columns",
				  fk->name ? "" : "to ", fk->name ? fk->name : fk->ref_table);
			goto done;
		}
	}
	for (i = 0; i < t->nindexes; i++) {
		const sd_index *ix = t->indexes[i];

		if (!ix->nelems) {
			rc = fail(s, err, t, ix->name, "index \"%s\" has no columns%s",
				  ix->name ? ix->name : "", "");
			goto done;
		}
		for (j = 0; j < ix->nelems; j++)
			if (ix->elems[j]->column && !sd_table_find_column(t, ix->elems[j]->column)) {
				rc = fail(s, err, t, ix->name,
					  "index names column \"%s\", which the table does not have%s",
					  ix->elems[j]->column, "");
				goto done;
			}
		for (j = i + 1; j < t->nindexes; j++)
			if (ix->name && sd_streq(ix->name, t->indexes[j]->name)) {
				rc = fail(s, err, t, ix->name, "duplicate index \"%s\"%s", ix->name, "");
				goto done;
			}
	}
done:
	sd_hmap_release(&seen);
	return rc;
}

int sd_schema_finish(sd_schema *s, sd_error *err)
{
	size_t i;
	int rc;

	SORT(s->tables, s->ntables, cmp_table);
	SORT(s->views, s->nviews, cmp_view);
	SORT(s->triggers, s->ntriggers, cmp_trigger);
	SORT(s->enums, s->nenums, cmp_enum);
	SORT(s->sequences, s->nsequences, cmp_sequence);
	for (i = 0; i < s->nenums; i++) {
		size_t j, k;

		if (i > 0 && cmp_enum(&s->enums[i - 1], &s->enums[i]) == 0)
			return sd_error_set_at(err, SD_EINPUT, s->source, 0, 0, s->enums[i]->name,
					       "duplicate enum \"%s\"", s->enums[i]->name);
		for (j = 0; j < s->enums[i]->nvalues; j++)
			for (k = j + 1; k < s->enums[i]->nvalues; k++)
				if (strcmp(s->enums[i]->values[j], s->enums[i]->values[k]) == 0)
					return sd_error_set_at(err, SD_EINPUT, s->source, 0, 0,
							       s->enums[i]->name,
							       "duplicate value \"%s\" in enum \"%s\"",
							       s->enums[i]->values[j], s->enums[i]->name);
	}
	for (i = 1; i < s->nsequences; i++)
		if (cmp_sequence(&s->sequences[i - 1], &s->sequences[i]) == 0)
			return sd_error_set_at(err, SD_EINPUT, s->source, 0, 0, s->sequences[i]->name,
					       "duplicate sequence \"%s\"", s->sequences[i]->name);
	for (i = 0; i < s->ntables; i++) {
		sd_table *t = s->tables[i];

		SORT(t->uniques, t->nuniques, cmp_unique);
		SORT(t->fks, t->nfks, cmp_fk);
		SORT(t->checks, t->nchecks, cmp_check);
		SORT(t->indexes, t->nindexes, cmp_index);
		if ((rc = validate_table(s, t, err)))
			return rc;
		if (i > 0 && cmp_table(&s->tables[i - 1], &s->tables[i]) == 0)
			return fail(s, err, t, NULL, "duplicate table \"%s\"%s", t->name, "");
	}
	for (i = 1; i < s->nviews; i++)
		if (cmp_view(&s->views[i - 1], &s->views[i]) == 0)
			return sd_error_set_at(err, SD_EINPUT, s->source, 0, 0, s->views[i]->name,
					       "duplicate view \"%s\"", s->views[i]->name);
	sd_model_map_rebuild(s);
	return 0;
}
