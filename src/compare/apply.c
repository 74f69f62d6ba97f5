/*
 * apply.c - the op applier over the model: runs an op list against a
 * schema in place, refusing every op that does not fit the schema as it
 * stands at that point.  It proves the comparator and the ordering rules
 * before any SQL exists: apply(from, compare(from, to).upgrade) must
 * compare equal to `to`, and the checks below fail on a wrong order
 * (dropping a table something still references, creating an FK before its
 * table, dropping a column an index still uses, a sequence OWNED BY a
 * column not created yet, dropping a sequence a default still uses, ...).
 * Like PostgreSQL, dropping a column or table drops the sequences it owns.
 *
 * Objects are copied into the schema's arena.  Tables and views are found
 * through a map private to one run; sd_schema_finish() restores canonical
 * order and the schema's own lookup map at the end (also after a failure,
 * so the schema stays consistent).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "compare_int.h"

typedef struct apply_ctx {
	sd_schema *s;
	sd_arena *keys;
	sd_hmap tables;    /* schema "\0" name -> sd_table* (NULL once dropped) */
	sd_hmap views;
	size_t opno;
	const sd_op *op;
	sd_error *err;
} apply_ctx;

static const char *obj_key(sd_arena *a, const char *schema, const char *name, size_t *len)
{
	size_t sl = schema ? strlen(schema) : 0, nl = strlen(name);
	char *k = sd_arena_alloc(a, sl + nl + 2);

	if (sl)
		memcpy(k, schema, sl);
	memcpy(k + sl + 1, name, nl);
	*len = sl + 1 + nl;
	return k;
}

static void *map_find(apply_ctx *c, sd_hmap *m, const char *schema, const char *name)
{
	sd_str k = SD_STR_INIT;
	void *v;

	if (!name)
		return NULL;
	if (schema)
		sd_str_add(&k, schema);
	sd_str_addch(&k, '\0');
	sd_str_add(&k, name);
	v = sd_hmap_get(m, k.ptr, k.len);
	sd_str_release(&k);
	return v;
}

static void map_set(apply_ctx *c, sd_hmap *m, const char *schema, const char *name, void *v)
{
	size_t len;
	const char *k = obj_key(c->keys, schema, name, &len);

	sd_hmap_put(m, k, len, v);
}

static sd_table *find_table(apply_ctx *c, const char *schema, const char *name)
{
	return map_find(c, &c->tables, schema, name);
}

/* The same resolution rule as sd_fk_target, against the schema as it stands now. */
static sd_table *fk_target(apply_ctx *c, const sd_table *t, const sd_foreign_key *fk)
{
	sd_table *r;

	if (fk->ref_schema)
		return find_table(c, fk->ref_schema, fk->ref_table);
	r = find_table(c, t->schema, fk->ref_table);
	if (!r && t->schema && *t->schema)
		r = find_table(c, NULL, fk->ref_table);
	return r;
}

static int fail(apply_ctx *c, const char *obj, const char *fmt, ...) SD_PRINTF(3, 4);

static int fail(apply_ctx *c, const char *obj, const char *fmt, ...)
{
	sd_str path = SD_STR_INIT, msg = SD_STR_INIT;
	va_list ap;
	int rc;

	sd_qualified_name(&path, c->op->schema, c->op->table ? c->op->table : "");
	if (obj)
		sd_str_addf(&path, ".%s", obj);
	va_start(ap, fmt);
	sd_str_vaddf(&msg, fmt, ap);
	va_end(ap);
	rc = sd_error_set_at(c->err, SD_EINPUT, c->s->source, 0, 0, path.ptr, "op %zu (%s): %s",
			     c->opno, sd_op_kind_name(c->op->kind), msg.ptr);
	sd_str_release(&path);
	sd_str_release(&msg);
	return rc;
}

/* ---- raw equality, for finding unnamed objects (the op carries an exact copy) ---- */

static bool names_eq(const char *const *a, size_t na, const char *const *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (strcmp(a[i], b[i]) != 0)
			return false;
	return true;
}

static bool unique_eq(const sd_unique *a, const sd_unique *b)
{
	return sd_streq(a->name, b->name) && names_eq(a->columns, a->ncolumns, b->columns, b->ncolumns);
}

static bool fk_eq(const sd_foreign_key *a, const sd_foreign_key *b)
{
	return sd_streq(a->name, b->name) &&
	       names_eq(a->columns, a->ncolumns, b->columns, b->ncolumns) &&
	       sd_streq(a->ref_schema, b->ref_schema) && sd_streq(a->ref_table, b->ref_table) &&
	       names_eq(a->ref_columns, a->nref_columns, b->ref_columns, b->nref_columns) &&
	       sd_streq(a->on_delete, b->on_delete) && sd_streq(a->on_update, b->on_update) &&
	       a->deferrable == b->deferrable && a->initially_deferred == b->initially_deferred &&
	       sd_streq(a->match, b->match);
}

static bool check_eq(const sd_check *a, const sd_check *b)
{
	return sd_streq(a->name, b->name) && sd_streq(a->expression, b->expression);
}

static bool index_eq(const sd_index *a, const sd_index *b)
{
	size_t i;

	if (!sd_streq(a->name, b->name) || a->unique != b->unique || a->nelems != b->nelems ||
	    !sd_streq(a->where, b->where))
		return false;
	for (i = 0; i < a->nelems; i++) {
		const sd_index_elem *x = a->elems[i], *y = b->elems[i];

		if (!sd_streq(x->column, y->column) || !sd_streq(x->expression, y->expression) ||
		    x->desc != y->desc || !sd_streq(x->collation, y->collation) ||
		    !sd_streq(x->nulls, y->nulls))
			return false;
	}
	return true;
}

/*
 * Position of the object matching want in arr: by name when want is
 * named, else the first unnamed one with the same definition.  -1 if none.
 */
typedef bool (*eq_fn)(const void *, const void *);
typedef const char *(*name_fn)(const void *);

static const char *unique_name(const void *p) { return ((const sd_unique *)p)->name; }
static const char *fk_name(const void *p) { return ((const sd_foreign_key *)p)->name; }
static const char *check_name(const void *p) { return ((const sd_check *)p)->name; }
static const char *index_name(const void *p) { return ((const sd_index *)p)->name; }
static bool unique_eqv(const void *a, const void *b) { return unique_eq(a, b); }
static bool fk_eqv(const void *a, const void *b) { return fk_eq(a, b); }
static bool check_eqv(const void *a, const void *b) { return check_eq(a, b); }
static bool index_eqv(const void *a, const void *b) { return index_eq(a, b); }

static long find_obj(void *const *arr, size_t n, const void *want, name_fn nm, eq_fn eq)
{
	const char *name = nm(want);
	size_t i;

	for (i = 0; i < n; i++) {
		if (name ? sd_streq(nm(arr[i]), name) : eq(arr[i], want))
			return (long)i;
	}
	return -1;
}

static void remove_at(void **arr, size_t *n, size_t i)
{
	memmove(&arr[i], &arr[i + 1], (*n - i - 1) * sizeof(void *));
	(*n)--;
}

static const char *label(const char *name)
{
	return name ? name : "(unnamed)";
}

/* Every name in cols must be a column of t. */
static int need_columns(apply_ctx *c, const sd_table *t, const char *what, const char *objname,
			const char *const *cols, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!sd_table_find_column(t, cols[i]))
			return fail(c, objname, "%s \"%s\" uses column \"%s\", which table \"%s\" does not have",
				    what, label(objname), cols[i], t->name);
	return 0;
}

static bool names_has(const char *const *cols, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(cols[i], name) == 0)
			return true;
	return false;
}

/* The table the op is about; fails when it is missing. */
static int op_table(apply_ctx *c, sd_table **out)
{
	*out = c->op->table ? find_table(c, c->op->schema, c->op->table) : NULL;
	if (!*out)
		return fail(c, NULL, "table \"%s\" does not exist", c->op->table ? c->op->table : "");
	return 0;
}

/* Another table whose FK still points at t, or NULL. */
static const sd_table *referenced_by(apply_ctx *c, const sd_table *t, const char *column,
				     const sd_foreign_key **fkout)
{
	size_t i, j;

	for (i = 0; i < c->s->ntables; i++) {
		const sd_table *o = c->s->tables[i];

		if (o == t)
			continue;
		for (j = 0; j < o->nfks; j++) {
			const sd_foreign_key *fk = o->fks[j];

			if (fk_target(c, o, fk) != t)
				continue;
			if (column && !names_has(fk->ref_columns, fk->nref_columns, column))
				continue;
			*fkout = fk;
			return o;
		}
	}
	return NULL;
}

/* ---- sequences owned by columns (PostgreSQL's OWNED BY) ---- */

static const sd_table *find_table_cb(void *arg, const char *schema, const char *name)
{
	return find_table(arg, schema, name);
}

/*
 * Remove the sequences owned by column `column` of t (every column when
 * NULL): PostgreSQL drops an owned sequence with its column or table.
 */
static void drop_owned_sequences(apply_ctx *c, const sd_table *t, const char *column)
{
	size_t i = 0;

	while (i < c->s->nsequences) {
		const sd_sequence *q = c->s->sequences[i];
		const sd_column *owner = q->owned_by ? sd_seq_owner(q, find_table_cb, c) : NULL;
		bool owned = false;

		for (size_t j = 0; owner && j < t->ncolumns; j++)
			if (t->columns[j] == owner)
				owned = !column || strcmp(owner->name, column) == 0;
		if (owned)
			remove_at((void **)c->s->sequences, &c->s->nsequences, i);
		else
			i++;
	}
}

static int apply_create_table(apply_ctx *c)
{
	const sd_table *def = c->op->table_def;
	sd_table *t;
	size_t j;

	if (!def)
		return fail(c, NULL, "op carries no table definition");
	if (find_table(c, def->schema, def->name))
		return fail(c, NULL, "table \"%s\" already exists", def->name);
	for (j = 0; j < def->nfks; j++) {
		const sd_foreign_key *fk = def->fks[j];

		if (!fk_target(c, def, fk) && !(sd_streq(fk->ref_table, def->name) &&
						 (!fk->ref_schema || sd_streq(fk->ref_schema, def->schema))))
			return fail(c, fk->name, "foreign key \"%s\" refers to table \"%s\", which does not exist",
				    label(fk->name), fk->ref_table);
	}
	t = sd_table_copy(c->s, def);
	sd_arena_push(c->s->arena, (void ***)&c->s->tables, &c->s->ntables, t);
	map_set(c, &c->tables, t->schema, t->name, t);
	return 0;
}

static int apply_drop_table(apply_ctx *c)
{
	const sd_foreign_key *fk = NULL;
	const sd_table *child;
	sd_table *t;
	size_t i;
	int rc;

	if ((rc = op_table(c, &t)))
		return rc;
	if ((child = referenced_by(c, t, NULL, &fk)))
		return fail(c, NULL, "table \"%s\" is still referenced by foreign key \"%s\" of table \"%s\"",
			    t->name, label(fk->name), child->name);
	drop_owned_sequences(c, t, NULL);
	for (i = 0; i < c->s->ntables; i++)
		if (c->s->tables[i] == t)
			break;
	remove_at((void **)c->s->tables, &c->s->ntables, i);
	map_set(c, &c->tables, t->schema, t->name, NULL);
	return 0;
}

static int apply_add_column(apply_ctx *c)
{
	sd_table *t;
	sd_column *col;
	int rc;

	if ((rc = op_table(c, &t)))
		return rc;
	if (!c->op->column)
		return fail(c, NULL, "op carries no column");
	if (sd_table_find_column(t, c->op->column->name))
		return fail(c, c->op->column->name, "column \"%s\" already exists", c->op->column->name);
	col = sd_column_copy(c->s, c->op->column);
	sd_arena_push(c->s->arena, (void ***)&t->columns, &t->ncolumns, col);
	return 0;
}

static int apply_drop_column(apply_ctx *c)
{
	const sd_foreign_key *fk = NULL;
	const sd_table *child;
	const char *name;
	sd_table *t;
	size_t i, j;
	int rc;

	if ((rc = op_table(c, &t)))
		return rc;
	if (!c->op->column)
		return fail(c, NULL, "op carries no column");
	name = c->op->column->name;
	for (i = 0; i < t->ncolumns; i++)
		if (strcmp(t->columns[i]->name, name) == 0)
			break;
	if (i == t->ncolumns)
		return fail(c, name, "column \"%s\" does not exist", name);
	if (t->pk && names_has(t->pk->columns, t->pk->ncolumns, name))
		return fail(c, name, "column \"%s\" is still used by the primary key", name);
	for (j = 0; j < t->nuniques; j++)
		if (names_has(t->uniques[j]->columns, t->uniques[j]->ncolumns, name))
			return fail(c, name, "column \"%s\" is still used by unique constraint \"%s\"", name,
				    label(t->uniques[j]->name));
	for (j = 0; j < t->nfks; j++)
		if (names_has(t->fks[j]->columns, t->fks[j]->ncolumns, name))
			return fail(c, name, "column \"%s\" is still used by foreign key \"%s\"", name,
				    label(t->fks[j]->name));
	for (j = 0; j < t->nindexes; j++) {
		const sd_index *ix = t->indexes[j];
		size_t e;

		for (e = 0; e < ix->nelems; e++)
			if (ix->elems[e]->column && strcmp(ix->elems[e]->column, name) == 0)
				return fail(c, name, "column \"%s\" is still used by index \"%s\"", name,
					    label(ix->name));
	}
	if ((child = referenced_by(c, t, name, &fk)))
		return fail(c, name, "column \"%s\" is still referenced by foreign key \"%s\" of table \"%s\"",
			    name, label(fk->name), child->name);
	drop_owned_sequences(c, t, name);
	remove_at((void **)t->columns, &t->ncolumns, i);
	return 0;
}

static int apply_alter_column(apply_ctx *c)
{
	const sd_column *want = c->op->column, *old = c->op->old_column;
	sd_column *cur;
	sd_table *t;
	unsigned ch = c->op->changes;
	int rc;

	if ((rc = op_table(c, &t)))
		return rc;
	if (!want)
		return fail(c, NULL, "op carries no column");
	cur = sd_table_find_column(t, want->name);
	if (!cur)
		return fail(c, want->name, "column \"%s\" does not exist", want->name);
	if (old && (((ch & SD_CHANGE_TYPE) && !sd_streq(cur->type, old->type)) ||
		    ((ch & SD_CHANGE_NULLABLE) && cur->nullable != old->nullable) ||
		    ((ch & SD_CHANGE_DEFAULT) && !sd_streq(cur->server_default, old->server_default))))
		return fail(c, want->name, "column \"%s\" is not in the state the op expects", want->name);
	*cur = *sd_column_copy(c->s, want);
	return 0;
}

static int apply_create_index(apply_ctx *c)
{
	const sd_index *ix = c->op->index;
	sd_table *t;
	size_t e;
	int rc;

	if ((rc = op_table(c, &t)))
		return rc;
	if (!ix)
		return fail(c, NULL, "op carries no index");
	if (ix->name && sd_table_find_index(t, ix->name))
		return fail(c, ix->name, "index \"%s\" already exists", ix->name);
	for (e = 0; e < ix->nelems; e++)
		if (ix->elems[e]->column && !sd_table_find_column(t, ix->elems[e]->column))
			return fail(c, ix->name, "index \"%s\" uses column \"%s\", which table \"%s\" does not have",
				    label(ix->name), ix->elems[e]->column, t->name);
	sd_arena_push(c->s->arena, (void ***)&t->indexes, &t->nindexes, sd_index_copy(c->s, ix));
	return 0;
}

static int apply_drop_index(apply_ctx *c)
{
	const sd_index *ix = c->op->index;
	sd_table *t;
	long i;
	int rc;

	if ((rc = op_table(c, &t)))
		return rc;
	if (!ix)
		return fail(c, NULL, "op carries no index");
	i = find_obj((void *const *)t->indexes, t->nindexes, ix, index_name, index_eqv);
	if (i < 0)
		return fail(c, ix->name, "index \"%s\" does not exist", label(ix->name));
	remove_at((void **)t->indexes, &t->nindexes, (size_t)i);
	return 0;
}

static int apply_create_constraint(apply_ctx *c)
{
	const sd_op *op = c->op;
	sd_table *t;
	int rc;

	if ((rc = op_table(c, &t)))
		return rc;
	switch (op->kind) {
	case SD_OP_CREATE_PRIMARY_KEY:
		if (!op->pk)
			return fail(c, NULL, "op carries no primary key");
		if (t->pk)
			return fail(c, op->pk->name, "table \"%s\" already has a primary key", t->name);
		if ((rc = need_columns(c, t, "primary key", op->pk->name, op->pk->columns, op->pk->ncolumns)))
			return rc;
		t->pk = sd_pk_copy(c->s, op->pk);
		return 0;
	case SD_OP_CREATE_UNIQUE_CONSTRAINT:
		if (!op->unique)
			return fail(c, NULL, "op carries no unique constraint");
		if (op->unique->name && find_obj((void *const *)t->uniques, t->nuniques, op->unique,
						 unique_name, unique_eqv) >= 0)
			return fail(c, op->unique->name, "unique constraint \"%s\" already exists",
				    op->unique->name);
		if ((rc = need_columns(c, t, "unique constraint", op->unique->name, op->unique->columns,
				       op->unique->ncolumns)))
			return rc;
		sd_arena_push(c->s->arena, (void ***)&t->uniques, &t->nuniques,
			      sd_unique_copy(c->s, op->unique));
		return 0;
	case SD_OP_CREATE_FOREIGN_KEY:
		if (!op->fk)
			return fail(c, NULL, "op carries no foreign key");
		if (op->fk->name && find_obj((void *const *)t->fks, t->nfks, op->fk, fk_name, fk_eqv) >= 0)
			return fail(c, op->fk->name, "foreign key \"%s\" already exists", op->fk->name);
		if ((rc = need_columns(c, t, "foreign key", op->fk->name, op->fk->columns, op->fk->ncolumns)))
			return rc;
		if (!fk_target(c, t, op->fk))
			return fail(c, op->fk->name, "foreign key \"%s\" refers to table \"%s\", which does not exist",
				    label(op->fk->name), op->fk->ref_table);
		sd_arena_push(c->s->arena, (void ***)&t->fks, &t->nfks, sd_fk_copy(c->s, op->fk));
		return 0;
	case SD_OP_CREATE_CHECK_CONSTRAINT:
	default:
		if (!op->check)
			return fail(c, NULL, "op carries no check constraint");
		if (op->check->name && find_obj((void *const *)t->checks, t->nchecks, op->check,
						check_name, check_eqv) >= 0)
			return fail(c, op->check->name, "check constraint \"%s\" already exists",
				    op->check->name);
		sd_arena_push(c->s->arena, (void ***)&t->checks, &t->nchecks,
			      sd_check_copy(c->s, op->check));
		return 0;
	}
}

static int apply_drop_constraint(apply_ctx *c)
{
	const sd_op *op = c->op;
	sd_table *t;
	long i;
	int rc;

	if ((rc = op_table(c, &t)))
		return rc;
	switch (op->ctype) {
	case SD_CONSTRAINT_PRIMARY:
		if (!t->pk)
			return fail(c, NULL, "table \"%s\" has no primary key", t->name);
		if (op->pk && op->pk->name && t->pk->name && strcmp(op->pk->name, t->pk->name) != 0)
			return fail(c, op->pk->name, "primary key \"%s\" does not exist", op->pk->name);
		t->pk = NULL;
		return 0;
	case SD_CONSTRAINT_UNIQUE:
		if (!op->unique)
			return fail(c, NULL, "op carries no unique constraint");
		i = find_obj((void *const *)t->uniques, t->nuniques, op->unique, unique_name, unique_eqv);
		if (i < 0)
			return fail(c, op->unique->name, "unique constraint \"%s\" does not exist",
				    label(op->unique->name));
		remove_at((void **)t->uniques, &t->nuniques, (size_t)i);
		return 0;
	case SD_CONSTRAINT_FOREIGN_KEY:
		if (!op->fk)
			return fail(c, NULL, "op carries no foreign key");
		i = find_obj((void *const *)t->fks, t->nfks, op->fk, fk_name, fk_eqv);
		if (i < 0)
			return fail(c, op->fk->name, "foreign key \"%s\" does not exist", label(op->fk->name));
		remove_at((void **)t->fks, &t->nfks, (size_t)i);
		return 0;
	case SD_CONSTRAINT_CHECK:
		if (!op->check)
			return fail(c, NULL, "op carries no check constraint");
		i = find_obj((void *const *)t->checks, t->nchecks, op->check, check_name, check_eqv);
		if (i < 0)
			return fail(c, op->check->name, "check constraint \"%s\" does not exist",
				    label(op->check->name));
		remove_at((void **)t->checks, &t->nchecks, (size_t)i);
		return 0;
	case SD_CONSTRAINT_NONE:
	default:
		return fail(c, NULL, "drop_constraint without a constraint type");
	}
}

static int apply_comment(apply_ctx *c)
{
	sd_table *t;
	int rc;

	if ((rc = op_table(c, &t)))
		return rc;
	if (!sd_streq(t->comment, c->op->old_comment))
		return fail(c, NULL, "table \"%s\" does not have the comment the op expects", t->name);
	if (c->op->kind == SD_OP_DROP_TABLE_COMMENT) {
		if (!t->comment)
			return fail(c, NULL, "table \"%s\" has no comment", t->name);
		t->comment = NULL;
	} else {
		if (!c->op->comment)
			return fail(c, NULL, "op carries no comment");
		t->comment = sd_schema_strdup(c->s, c->op->comment);
	}
	return 0;
}

static int apply_view(apply_ctx *c)
{
	const sd_view *v = c->op->view;
	sd_view *cur;
	size_t i;

	if (!v)
		return fail(c, NULL, "op carries no view");
	cur = map_find(c, &c->views, v->schema, v->name);
	if (c->op->kind == SD_OP_CREATE_VIEW) {
		if (cur)
			return fail(c, NULL, "view \"%s\" already exists", v->name);
		cur = sd_view_copy(c->s, v);
		sd_arena_push(c->s->arena, (void ***)&c->s->views, &c->s->nviews, cur);
		map_set(c, &c->views, cur->schema, cur->name, cur);
		return 0;
	}
	if (!cur)
		return fail(c, NULL, "view \"%s\" does not exist", v->name);
	for (i = 0; i < c->s->nviews; i++)
		if (c->s->views[i] == cur)
			break;
	remove_at((void **)c->s->views, &c->s->nviews, i);
	map_set(c, &c->views, v->schema, v->name, NULL);
	return 0;
}

/* Enums and sequences: by (schema, name) in the schema's own arrays. */
static long enum_at(const sd_schema *s, const char *schema, const char *name)
{
	size_t i;

	for (i = 0; i < s->nenums; i++)
		if (sd_streq(s->enums[i]->schema, schema) && strcmp(s->enums[i]->name, name) == 0)
			return (long)i;
	return -1;
}

static long seq_at(const sd_schema *s, const char *schema, const char *name)
{
	size_t i;

	for (i = 0; i < s->nsequences; i++)
		if (sd_streq(s->sequences[i]->schema, schema) &&
		    strcmp(s->sequences[i]->name, name) == 0)
			return (long)i;
	return -1;
}

static int apply_enum(apply_ctx *c)
{
	const sd_enum *e = c->op->enum_def;
	long at;
	sd_enum *cur;
	size_t i, pos;

	if (!e)
		return fail(c, NULL, "op carries no enum");
	at = enum_at(c->s, e->schema, e->name);
	switch (c->op->kind) {
	case SD_OP_CREATE_ENUM:
		if (at >= 0)
			return fail(c, NULL, "enum \"%s\" already exists", e->name);
		sd_arena_push(c->s->arena, (void ***)&c->s->enums, &c->s->nenums, sd_enum_copy(c->s, e));
		return 0;
	case SD_OP_DROP_ENUM:
		if (at < 0)
			return fail(c, NULL, "enum \"%s\" does not exist", e->name);
		remove_at((void **)c->s->enums, &c->s->nenums, (size_t)at);
		return 0;
	default:
		break;
	}
	if (at < 0)
		return fail(c, NULL, "enum \"%s\" does not exist", e->name);
	cur = c->s->enums[at];
	if (!c->op->value)
		return fail(c, NULL, "op carries no value");
	for (i = 0; i < cur->nvalues; i++)
		if (strcmp(cur->values[i], c->op->value) == 0)
			return fail(c, NULL, "enum \"%s\" already has value \"%s\"", e->name, c->op->value);
	pos = cur->nvalues;
	if (c->op->neighbor) {
		for (i = 0; i < cur->nvalues; i++)
			if (strcmp(cur->values[i], c->op->neighbor) == 0)
				break;
		if (i == cur->nvalues)
			return fail(c, NULL, "enum \"%s\" has no value \"%s\"", e->name, c->op->neighbor);
		pos = c->op->before ? i : i + 1;
	}
	sd_names_push(c->s, &cur->values, &cur->nvalues, c->op->value);
	memmove(&cur->values[pos + 1], &cur->values[pos], (cur->nvalues - 1 - pos) * sizeof(char *));
	cur->values[pos] = sd_schema_strdup(c->s, c->op->value);
	return 0;
}

/*
 * As on the server: OWNED BY needs the column to exist; a sequence that a
 * column default still calls nextval() on cannot be dropped; an owned
 * sequence went with its column or table (drop_owned_sequences), so an op
 * on it after that finds nothing.
 */
static int apply_sequence(apply_ctx *c)
{
	const sd_sequence *q = c->op->sequence;
	long at;
	size_t i, j;

	if (!q)
		return fail(c, NULL, "op carries no sequence");
	at = seq_at(c->s, q->schema, q->name);
	if (c->op->kind != SD_OP_DROP_SEQUENCE && q->owned_by &&
	    !sd_seq_owner(q, find_table_cb, c))
		return fail(c, NULL, "sequence \"%s\" is owned by column \"%s\", which does not exist",
			    q->name, q->owned_by);
	if (c->op->kind == SD_OP_CREATE_SEQUENCE) {
		if (at >= 0)
			return fail(c, NULL, "sequence \"%s\" already exists", q->name);
		sd_arena_push(c->s->arena, (void ***)&c->s->sequences, &c->s->nsequences,
			      sd_sequence_copy(c->s, q));
		return 0;
	}
	if (at < 0)
		return fail(c, NULL, "sequence \"%s\" does not exist", q->name);
	if (c->op->kind != SD_OP_DROP_SEQUENCE) {
		c->s->sequences[at] = sd_sequence_copy(c->s, q);
		return 0;
	}
	for (i = 0; i < c->s->ntables; i++) {
		const sd_table *t = c->s->tables[i];

		for (j = 0; j < t->ncolumns; j++)
			if (t->columns[j]->server_default &&
			    sd_default_uses_sequence(t->columns[j]->server_default, c->s->sequences[at]))
				return fail(c, NULL, "sequence \"%s\" is still used by the default of "
					    "column \"%s.%s\"", q->name, t->name, t->columns[j]->name);
	}
	remove_at((void **)c->s->sequences, &c->s->nsequences, (size_t)at);
	return 0;
}

static int apply_one(apply_ctx *c)
{
	switch (c->op->kind) {
	case SD_OP_CREATE_TABLE: return apply_create_table(c);
	case SD_OP_DROP_TABLE: return apply_drop_table(c);
	case SD_OP_ADD_COLUMN: return apply_add_column(c);
	case SD_OP_DROP_COLUMN: return apply_drop_column(c);
	case SD_OP_ALTER_COLUMN: return apply_alter_column(c);
	case SD_OP_CREATE_INDEX: return apply_create_index(c);
	case SD_OP_DROP_INDEX: return apply_drop_index(c);
	case SD_OP_CREATE_UNIQUE_CONSTRAINT:
	case SD_OP_CREATE_FOREIGN_KEY:
	case SD_OP_CREATE_CHECK_CONSTRAINT:
	case SD_OP_CREATE_PRIMARY_KEY:
		return apply_create_constraint(c);
	case SD_OP_DROP_CONSTRAINT: return apply_drop_constraint(c);
	case SD_OP_CREATE_TABLE_COMMENT:
	case SD_OP_DROP_TABLE_COMMENT:
		return apply_comment(c);
	case SD_OP_CREATE_VIEW:
	case SD_OP_DROP_VIEW:
		return apply_view(c);
	case SD_OP_CREATE_ENUM:
	case SD_OP_DROP_ENUM:
	case SD_OP_ADD_ENUM_VALUE:
		return apply_enum(c);
	case SD_OP_CREATE_SEQUENCE:
	case SD_OP_DROP_SEQUENCE:
	case SD_OP_ALTER_SEQUENCE:
		return apply_sequence(c);
	case SD_OP__COUNT:
	default:
		return fail(c, NULL, "unknown op kind %d", (int)c->op->kind);
	}
}

int sd_apply_ops(sd_schema *s, const sd_oplist *ops, sd_error *err)
{
	apply_ctx c;
	size_t i;
	int rc = 0;

	memset(&c, 0, sizeof(c));
	c.s = s;
	c.err = err;
	c.keys = sd_arena_new();
	sd_hmap_init(&c.tables);
	sd_hmap_init(&c.views);
	for (i = 0; i < s->ntables; i++)
		map_set(&c, &c.tables, s->tables[i]->schema, s->tables[i]->name, s->tables[i]);
	for (i = 0; i < s->nviews; i++)
		map_set(&c, &c.views, s->views[i]->schema, s->views[i]->name, s->views[i]);

	for (i = 0; i < ops->n; i++) {
		c.opno = i;
		c.op = &ops->ops[i];
		if ((rc = apply_one(&c)))
			break;
	}
	if (rc) {
		sd_error ignored = SD_ERROR_INIT;

		sd_schema_finish(s, &ignored);  /* keep s consistent; the first error stands */
		sd_error_clear(&ignored);
	} else {
		rc = sd_schema_finish(s, err);
	}
	sd_hmap_release(&c.tables);
	sd_hmap_release(&c.views);
	sd_arena_free(c.keys);
	return rc;
}
