/*
 * json_write.c - write the schema model as a schema file (JSON).
 *
 * Builds jansson values in the exact shape the loader reads (keys in the
 * fixed order of the format, absent and default values omitted except
 * "nullable"), so the JSON op emitter can embed a table, column or index
 * the way a schema file writes it.  Output is deterministic: the model is
 * canonically sorted by sd_schema_finish and jansson keeps insertion order.
 */
#include <string.h>

#include "schemadiff/schemafile.h"

/*
 * A JSON string for s.  Text that is not valid UTF-8 (a catalog may hold
 * anything) has each bad byte replaced by U+FFFD, so the file stays valid
 * JSON; the loader only ever sees UTF-8.
 */
static json_t *jstr(const char *s)
{
	json_t *v = json_string(s);
	sd_str buf = SD_STR_INIT;

	if (v)
		return v;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 :
			   (*p & 0xF8) == 0xF0 ? 4 : 0;
		json_t *probe = NULL;
		if (n > 0) {
			size_t i;
			for (i = 1; i < n && (p[i] & 0xC0) == 0x80; i++)
				;
			if (i == n)
				probe = json_stringn((const char *)p, n);
		}
		if (probe) {
			sd_str_addn(&buf, (const char *)p, n);
			json_decref(probe);
			p += n;
		} else {
			sd_str_add(&buf, "\xEF\xBF\xBD");
			p++;
		}
	}
	v = json_string(buf.ptr);
	sd_str_release(&buf);
	return v ? v : json_string("");
}

/* obj[key] = s, when s is set. */
static void set_str(json_t *obj, const char *key, const char *s)
{
	if (s)
		json_object_set_new(obj, key, jstr(s));
}

static void set_true(json_t *obj, const char *key, bool b)
{
	if (b)
		json_object_set_new(obj, key, json_true());
}

static json_t *names(const char *const *arr, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, jstr(arr[i]));
	return a;
}

json_t *sd_json_from_column(const sd_column *c)
{
	json_t *o = json_object();

	set_str(o, "name", c->name);
	json_object_set_new(o, "type", c->type ? jstr(c->type) : json_null());
	json_object_set_new(o, "nullable", json_boolean(c->nullable));
	set_str(o, "default", c->server_default);
	if (c->autoincrement != SD_AUTOINC_AUTO)
		json_object_set_new(o, "autoincrement",
				    json_boolean(c->autoincrement == SD_AUTOINC_TRUE));
	if (c->generated) {
		json_t *g = json_object();
		set_str(g, "expression", c->generated);
		set_true(g, "stored", c->generated_stored);
		json_object_set_new(o, "generated", g);
	}
	set_str(o, "collation", c->collation);
	set_str(o, "comment", c->comment);
	set_str(o, "identity", c->identity);
	return o;
}

json_t *sd_json_from_pk(const sd_primary_key *pk)
{
	json_t *o = json_object();

	set_str(o, "name", pk->name);
	json_object_set_new(o, "columns", names(pk->columns, pk->ncolumns));
	return o;
}

json_t *sd_json_from_unique(const sd_unique *u)
{
	json_t *o = json_object();

	set_str(o, "name", u->name);
	json_object_set_new(o, "columns", names(u->columns, u->ncolumns));
	set_true(o, "nulls_not_distinct", u->nulls_not_distinct);
	return o;
}

json_t *sd_json_from_fk(const sd_foreign_key *fk)
{
	json_t *o = json_object();

	set_str(o, "name", fk->name);
	json_object_set_new(o, "columns", names(fk->columns, fk->ncolumns));
	set_str(o, "referred_schema", fk->ref_schema);
	set_str(o, "referred_table", fk->ref_table);
	json_object_set_new(o, "referred_columns", names(fk->ref_columns, fk->nref_columns));
	set_str(o, "on_delete", fk->on_delete);
	set_str(o, "on_update", fk->on_update);
	set_true(o, "deferrable", fk->deferrable);
	if (fk->initially_deferred)
		json_object_set_new(o, "initially", json_string("DEFERRED"));
	set_str(o, "match", fk->match);
	set_true(o, "not_valid", fk->not_valid);
	return o;
}

json_t *sd_json_from_check(const sd_check *c)
{
	json_t *o = json_object();

	set_str(o, "name", c->name);
	set_str(o, "expression", c->expression);
	set_true(o, "not_valid", c->not_valid);
	return o;
}

static json_t *index_elem(const sd_index_elem *e)
{
	json_t *o;

	if (e->column && !e->expression && !e->desc && !e->collation && !e->nulls && !e->opclass)
		return jstr(e->column);
	o = json_object();
	set_str(o, "column", e->column);
	set_str(o, "expression", e->expression);
	set_true(o, "desc", e->desc);
	set_str(o, "collation", e->collation);
	if (e->nulls)
		json_object_set_new(o, "nulls", json_string(sd_strcasecmp(e->nulls, "FIRST") == 0 ?
							    "first" : "last"));
	set_str(o, "opclass", e->opclass);
	return o;
}

json_t *sd_json_from_index(const sd_index *ix)
{
	json_t *o = json_object();
	json_t *cols = json_array();

	set_str(o, "name", ix->name);
	set_true(o, "unique", ix->unique);
	for (size_t i = 0; i < ix->nelems; i++)
		json_array_append_new(cols, index_elem(ix->elems[i]));
	json_object_set_new(o, "columns", cols);
	set_str(o, "where", ix->where);
	set_str(o, "method", ix->method);
	if (ix->ninclude)
		json_object_set_new(o, "include", names(ix->include, ix->ninclude));
	set_true(o, "nulls_not_distinct", ix->nulls_not_distinct);
	return o;
}

/* obj[key] = [fn(items[0]), ...], omitted when empty. */
#define SET_LIST(obj, key, items, n, fn)                                   \
	do {                                                               \
		if ((n) > 0) {                                             \
			json_t *a_ = json_array();                         \
			for (size_t i_ = 0; i_ < (n); i_++)                \
				json_array_append_new(a_, fn((items)[i_])); \
			json_object_set_new((obj), (key), a_);             \
		}                                                          \
	} while (0)

json_t *sd_json_from_table(const sd_table *t)
{
	json_t *o = json_object();
	json_t *cols = json_array();

	set_str(o, "name", t->name);
	set_str(o, "schema", t->schema);
	set_str(o, "comment", t->comment);
	for (size_t i = 0; i < t->ncolumns; i++)
		json_array_append_new(cols, sd_json_from_column(t->columns[i]));
	json_object_set_new(o, "columns", cols);  /* required, even when empty */
	if (t->pk)
		json_object_set_new(o, "primary_key", sd_json_from_pk(t->pk));
	SET_LIST(o, "unique_constraints", t->uniques, t->nuniques, sd_json_from_unique);
	SET_LIST(o, "foreign_keys", t->fks, t->nfks, sd_json_from_fk);
	SET_LIST(o, "check_constraints", t->checks, t->nchecks, sd_json_from_check);
	SET_LIST(o, "indexes", t->indexes, t->nindexes, sd_json_from_index);
	set_true(o, "without_rowid", t->without_rowid);
	set_true(o, "strict", t->strict);
	return o;
}

json_t *sd_json_from_view(const sd_view *v)
{
	json_t *o = json_object();

	set_str(o, "name", v->name);
	set_str(o, "schema", v->schema);
	set_str(o, "definition", v->definition);
	set_true(o, "materialized", v->materialized);
	return o;
}

json_t *sd_json_from_enum(const sd_enum *e)
{
	json_t *o = json_object();
	json_t *vals = json_array();

	set_str(o, "name", e->name);
	set_str(o, "schema", e->schema);
	for (size_t i = 0; i < e->nvalues; i++)
		json_array_append_new(vals, json_string(e->values[i]));
	json_object_set_new(o, "values", vals);
	return o;
}

json_t *sd_json_from_sequence(const sd_sequence *q)
{
	json_t *o = json_object();

	set_str(o, "name", q->name);
	set_str(o, "schema", q->schema);
	set_str(o, "type", q->type);
	set_str(o, "start", q->start);
	set_str(o, "increment", q->increment);
	set_str(o, "min", q->min);
	set_str(o, "max", q->max);
	set_str(o, "cache", q->cache);
	set_true(o, "cycle", q->cycle);
	set_str(o, "owned_by", q->owned_by);
	return o;
}

json_t *sd_json_from_trigger(const sd_trigger *tr)
{
	json_t *o = json_object();

	set_str(o, "name", tr->name);
	set_str(o, "schema", tr->schema);
	set_str(o, "table", tr->table);
	set_str(o, "sql", tr->sql);
	return o;
}

json_t *sd_json_from_schema(const sd_schema *s)
{
	json_t *o = json_object();
	json_t *tables = json_array();

	json_object_set_new(o, "format", json_string("schemadiff/1"));
	set_str(o, "dialect", s->dialect);
	for (size_t i = 0; i < s->ntables; i++)
		json_array_append_new(tables, sd_json_from_table(s->tables[i]));
	json_object_set_new(o, "tables", tables);  /* required, even when empty */
	SET_LIST(o, "views", s->views, s->nviews, sd_json_from_view);
	SET_LIST(o, "triggers", s->triggers, s->ntriggers, sd_json_from_trigger);
	SET_LIST(o, "enums", s->enums, s->nenums, sd_json_from_enum);
	SET_LIST(o, "sequences", s->sequences, s->nsequences, sd_json_from_sequence);
	return o;
}

static int dump_to_str(const char *buffer, size_t size, void *data)
{
	sd_str_addn(data, buffer, size);
	return 0;
}

void sd_schema_to_json(sd_str *out, const sd_schema *s)
{
	json_t *j = sd_json_from_schema(s);

	json_dump_callback(j, dump_to_str, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	sd_str_addch(out, '\n');
	json_decref(j);
}
