/*
 * model.c - building and looking up schema objects.  Everything is
 * allocated in the schema's arena; sd_schema_free() releases it all.
 */
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"

static const char *const kind_names[] = {
	[SD_OBJ_TABLE] = "table",
	[SD_OBJ_COLUMN] = "column",
	[SD_OBJ_PRIMARY_KEY] = "primary key",
	[SD_OBJ_UNIQUE] = "unique constraint",
	[SD_OBJ_FOREIGN_KEY] = "foreign key",
	[SD_OBJ_CHECK] = "check constraint",
	[SD_OBJ_INDEX] = "index",
	[SD_OBJ_VIEW] = "view",
	[SD_OBJ_TRIGGER] = "trigger",
	[SD_OBJ_ENUM] = "enum",
	[SD_OBJ_SEQUENCE] = "sequence",
	[SD_OBJ_MATERIALIZED_VIEW] = "materialized view",
	[SD_OBJ_EXCLUSION] = "exclusion constraint",
	[SD_OBJ_PARTITION] = "partition",
	[SD_OBJ_DOMAIN] = "domain",
	[SD_OBJ_TYPE] = "type",
	[SD_OBJ_FUNCTION] = "function",
	[SD_OBJ_EXTENSION] = "extension",
	[SD_OBJ_FOREIGN_TABLE] = "foreign table",
};
_Static_assert(SD_ARRAY_LEN(kind_names) == SD_OBJ__COUNT, "kind_names out of step with sd_obj_kind");

const char *sd_obj_kind_name(sd_obj_kind k)
{
	return (unsigned)k < SD_OBJ__COUNT ? kind_names[k] : "object";
}

sd_schema *sd_schema_new(const char *dialect, const char *source)
{
	sd_arena *a = sd_arena_new();
	sd_schema *s = sd_arena_alloc(a, sizeof(*s));

	s->arena = a;
	s->dialect = sd_arena_strdup(a, dialect);
	s->source = sd_arena_strdup(a, source);
	s->map = xcalloc(1, sizeof(*s->map));
	return s;
}

void sd_schema_free(sd_schema *s)
{
	if (!s)
		return;
	sd_hmap_release(&s->map->tables);
	sd_hmap_release(&s->map->views);
	free(s->map);
	sd_arena_free(s->arena);  /* s itself lives in the arena */
}

const char *sd_schema_strdup(sd_schema *s, const char *str)
{
	return sd_arena_strdup(s->arena, str);
}

/* Map key: schema, a NUL, name; stored in the arena so it outlives the map. */
static const char *map_key(sd_arena *a, const char *schema, const char *name, size_t *len)
{
	size_t sl = schema ? strlen(schema) : 0, nl = strlen(name);
	char *k = sd_arena_alloc(a, sl + nl + 2);

	if (sl)
		memcpy(k, schema, sl);
	k[sl] = '\0';
	memcpy(k + sl + 1, name, nl + 1);
	*len = sl + 1 + nl;
	return k;
}

static void *map_get(const sd_hmap *m, const char *schema, const char *name)
{
	char stackbuf[256];
	size_t sl = schema ? strlen(schema) : 0, nl = strlen(name), len = sl + 1 + nl;
	char *k = len < sizeof(stackbuf) ? stackbuf : xmalloc(len + 1);
	void *v;

	if (sl)
		memcpy(k, schema, sl);
	k[sl] = '\0';
	memcpy(k + sl + 1, name, nl);
	v = sd_hmap_get(m, k, len);
	if (k != stackbuf)
		free(k);
	return v;
}

void sd_model_map_rebuild(sd_schema *s)
{
	size_t i, len;

	sd_hmap_release(&s->map->tables);
	sd_hmap_release(&s->map->views);
	for (i = 0; i < s->ntables; i++) {
		sd_table *t = s->tables[i];
		const char *k = map_key(s->arena, t->schema, t->name, &len);

		sd_hmap_put(&s->map->tables, k, len, t);
	}
	for (i = 0; i < s->nviews; i++) {
		sd_view *v = s->views[i];
		const char *k = map_key(s->arena, v->schema, v->name, &len);

		sd_hmap_put(&s->map->views, k, len, v);
	}
}

sd_table *sd_schema_add_table(sd_schema *s, const char *schema, const char *name)
{
	sd_table *t = sd_arena_alloc(s->arena, sizeof(*t));
	const char *k;
	size_t len;

	/* "" and NULL both mean the default namespace: keep one spelling. */
	t->schema = schema && *schema ? sd_arena_strdup(s->arena, schema) : NULL;
	t->name = sd_arena_strdup(s->arena, name);
	sd_arena_push(s->arena, (void ***)&s->tables, &s->ntables, t);
	k = map_key(s->arena, t->schema, t->name, &len);
	/* A duplicate keeps the first in the map; sd_schema_finish reports it. */
	if (!sd_hmap_get(&s->map->tables, k, len))
		sd_hmap_put(&s->map->tables, k, len, t);
	return t;
}

sd_view *sd_schema_add_view(sd_schema *s, const char *schema, const char *name, const char *definition)
{
	sd_view *v = sd_arena_alloc(s->arena, sizeof(*v));
	const char *k;
	size_t len;

	v->schema = schema && *schema ? sd_arena_strdup(s->arena, schema) : NULL;
	v->name = sd_arena_strdup(s->arena, name);
	v->definition = sd_arena_strdup(s->arena, definition);
	sd_arena_push(s->arena, (void ***)&s->views, &s->nviews, v);
	k = map_key(s->arena, v->schema, v->name, &len);
	if (!sd_hmap_get(&s->map->views, k, len))
		sd_hmap_put(&s->map->views, k, len, v);
	return v;
}

sd_trigger *sd_schema_add_trigger(sd_schema *s, const char *schema, const char *name,
				  const char *table, const char *sql)
{
	sd_trigger *tr = sd_arena_alloc(s->arena, sizeof(*tr));

	tr->schema = sd_arena_strdup(s->arena, schema);
	tr->name = sd_arena_strdup(s->arena, name);
	tr->table = sd_arena_strdup(s->arena, table);
	tr->sql = sd_arena_strdup(s->arena, sql);
	sd_arena_push(s->arena, (void ***)&s->triggers, &s->ntriggers, tr);
	return tr;
}

sd_column *sd_table_add_column(sd_schema *s, sd_table *t, const char *name)
{
	sd_column *c = sd_arena_alloc(s->arena, sizeof(*c));

	c->name = sd_arena_strdup(s->arena, name);
	c->nullable = true;
	c->autoincrement = SD_AUTOINC_AUTO;
	sd_arena_push(s->arena, (void ***)&t->columns, &t->ncolumns, c);
	return c;
}

sd_primary_key *sd_table_set_pk(sd_schema *s, sd_table *t, const char *name)
{
	sd_primary_key *pk = sd_arena_alloc(s->arena, sizeof(*pk));

	pk->name = sd_arena_strdup(s->arena, name);
	t->pk = pk;
	return pk;
}

sd_unique *sd_table_add_unique(sd_schema *s, sd_table *t, const char *name)
{
	sd_unique *u = sd_arena_alloc(s->arena, sizeof(*u));

	u->name = sd_arena_strdup(s->arena, name);
	sd_arena_push(s->arena, (void ***)&t->uniques, &t->nuniques, u);
	return u;
}

sd_foreign_key *sd_table_add_fk(sd_schema *s, sd_table *t, const char *name)
{
	sd_foreign_key *fk = sd_arena_alloc(s->arena, sizeof(*fk));

	fk->name = sd_arena_strdup(s->arena, name);
	sd_arena_push(s->arena, (void ***)&t->fks, &t->nfks, fk);
	return fk;
}

sd_check *sd_table_add_check(sd_schema *s, sd_table *t, const char *name, const char *expression)
{
	sd_check *c = sd_arena_alloc(s->arena, sizeof(*c));

	c->name = sd_arena_strdup(s->arena, name);
	c->expression = sd_arena_strdup(s->arena, expression);
	sd_arena_push(s->arena, (void ***)&t->checks, &t->nchecks, c);
	return c;
}

sd_index *sd_table_add_index(sd_schema *s, sd_table *t, const char *name)
{
	sd_index *ix = sd_arena_alloc(s->arena, sizeof(*ix));

	ix->name = sd_arena_strdup(s->arena, name);
	sd_arena_push(s->arena, (void ***)&t->indexes, &t->nindexes, ix);
	return ix;
}

sd_index_elem *sd_index_add_elem(sd_schema *s, sd_index *ix)
{
	sd_index_elem *e = sd_arena_alloc(s->arena, sizeof(*e));

	sd_arena_push(s->arena, (void ***)&ix->elems, &ix->nelems, e);
	return e;
}

void sd_names_push(sd_schema *s, const char ***arr, size_t *n, const char *name)
{
	sd_arena_push(s->arena, (void ***)arr, n, sd_arena_strdup(s->arena, name));
}

sd_table *sd_schema_find_table(const sd_schema *s, const char *schema, const char *name)
{
	return map_get(&s->map->tables, schema, name);
}

sd_view *sd_schema_find_view(const sd_schema *s, const char *schema, const char *name)
{
	return map_get(&s->map->views, schema, name);
}

/* Tables have tens of columns: a scan is cheaper than a map here. */
sd_column *sd_table_find_column(const sd_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->ncolumns; i++)
		if (strcmp(t->columns[i]->name, name) == 0)
			return t->columns[i];
	return NULL;
}

sd_index *sd_table_find_index(const sd_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nindexes; i++)
		if (t->indexes[i]->name && strcmp(t->indexes[i]->name, name) == 0)
			return t->indexes[i];
	return NULL;
}

void sd_qualified_name(sd_str *out, const char *schema, const char *name)
{
	if (schema && *schema)
		sd_str_addf(out, "%s.", schema);
	sd_str_add(out, name);
}

sd_enum *sd_schema_add_enum(sd_schema *s, const char *schema, const char *name)
{
	sd_enum *e = sd_arena_alloc(s->arena, sizeof(*e));

	e->schema = schema && *schema ? sd_arena_strdup(s->arena, schema) : NULL;
	e->name = sd_arena_strdup(s->arena, name);
	sd_arena_push(s->arena, (void ***)&s->enums, &s->nenums, e);
	return e;
}

sd_sequence *sd_schema_add_sequence(sd_schema *s, const char *schema, const char *name)
{
	sd_sequence *q = sd_arena_alloc(s->arena, sizeof(*q));

	q->schema = schema && *schema ? sd_arena_strdup(s->arena, schema) : NULL;
	q->name = sd_arena_strdup(s->arena, name);
	sd_arena_push(s->arena, (void ***)&s->sequences, &s->nsequences, q);
	return q;
}

sd_enum *sd_schema_find_enum(const sd_schema *s, const char *schema, const char *name)
{
	size_t i;

	for (i = 0; i < s->nenums; i++)
		if (sd_streq(s->enums[i]->schema, schema) && strcmp(s->enums[i]->name, name) == 0)
			return s->enums[i];
	return NULL;
}

sd_sequence *sd_schema_find_sequence(const sd_schema *s, const char *schema, const char *name)
{
	size_t i;

	for (i = 0; i < s->nsequences; i++)
		if (sd_streq(s->sequences[i]->schema, schema) &&
		    strcmp(s->sequences[i]->name, name) == 0)
			return s->sequences[i];
	return NULL;
}
