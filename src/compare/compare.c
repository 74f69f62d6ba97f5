/*
 * compare.c - the comparator: two finished schemas in, an ordered upgrade
 * and its exact inverse (the downgrade, computed as compare(to, from)) out.
 *
 * Tables and views are matched by (schema, name) through the schemas'
 * hash maps; columns, constraints and indexes through per-table hash maps,
 * so the work is linear in the size of the schemas (plus the final sort).
 * Constraints and indexes are matched in two rounds: by name when both
 * sides name them, then by canonical definition (unnamed ones, or a named
 * one against an unnamed one).  A changed object is dropped and created;
 * two names for one definition is a rename, also a drop and a create.
 *
 * Every object an op points at is copied into the op list's store, so the
 * migration outlives both schemas.  Ordering lives in order.c.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare_int.h"

typedef struct cmp_ctx {
	const sd_dialect *d;
	bool comments;
	size_t maxid;            /* names cut to this many bytes (0: exact names) */
	bool nocase;             /* names compared with ASCII letters folded (SQLite) */
	const sd_hmap *eqdefs;   /* column -> counterpart whose default the server called equal */
	const sd_compare_opts *opts; /* check_text (may be NULL) */
	sd_hmap tabs_a, tabs_b;  /* with maxid or nocase: "schema\x1fcut name" -> table */
	sd_hmap views_a, views_b; /* the same for views */
	const sd_schema *a;      /* the direction's source */
	const sd_schema *b;      /* the direction's target */
	sd_schema *store;        /* the op list's store */
	sd_pending pend;
	sd_arena *tmp;           /* canonical keys, freed after the direction */
	sd_str scratch;
} cmp_ctx;

/* Per-table state: the target table's copy in the store, made on first use. */
typedef struct tbl_ctx {
	const sd_table *ta;
	const sd_table *tb;
	const sd_table *def;
} tbl_ctx;

const sd_dialect *sd_compare_pick_dialect(const sd_schema *from, const sd_schema *to)
{
	const sd_dialect *d = NULL;

	if (from && from->dialect)
		d = sd_dialect_find(from->dialect);
	if (!d && to && to->dialect)
		d = sd_dialect_find(to->dialect);
	if (!d)
		d = sd_dialect_find("sqlite");
	if (!d)
		d = &sd_dialect_sqlite;
	return d;
}

/*
 * A name as the server matches it: with nocase, ASCII letters lowered
 * (SQLite finds "Dataset" when asked for dataset, so the two are one
 * table, not a drop and a create that would fail); then cut to maxid bytes
 * at a UTF-8 character boundary (PostgreSQL's NAMEDATALEN truncation).
 * Otherwise the name itself.
 */
static const char *cut(const cmp_ctx *c, const char *name)
{
	size_t n;

	if (name && c->nocase) {
		const char *u = name;

		while (*u && !(*u >= 'A' && *u <= 'Z'))   /* (strpbrk is slow: a set scan per byte) */
			u++;
		if (*u) {
			char *low = sd_arena_strndup(c->tmp, name, strlen(name));

			for (char *p = low + (u - name); *p; p++)
				if (*p >= 'A' && *p <= 'Z')
					*p = (char)(*p - 'A' + 'a');
			name = low;
		}
	}
	if (!name || !c->maxid || strlen(name) <= c->maxid)
		return name;
	n = c->maxid;
	while (n > 0 && ((unsigned char)name[n] & 0xC0) == 0x80)
		n--;
	return sd_arena_strndup(c->tmp, name, n);
}

static const char *tab_key(const cmp_ctx *c, const char *schema, const char *name)
{
	return sd_arena_printf(c->tmp, "%s\x1f%s", schema ? schema : "", cut(c, name));
}

static void index_tables(cmp_ctx *c, sd_hmap *m, const sd_schema *s)
{
	size_t i;

	for (i = 0; i < s->ntables; i++)
		sd_hmap_puts(m, tab_key(c, s->tables[i]->schema, s->tables[i]->name), s->tables[i]);
}

static void index_views(cmp_ctx *c, sd_hmap *m, const sd_schema *s)
{
	for (size_t i = 0; i < s->nviews; i++)
		sd_hmap_puts(m, tab_key(c, s->views[i]->schema, s->views[i]->name), s->views[i]);
}

/* The view of side (c->a or c->b) that v's name means on the server. */
static const sd_view *find_view(const cmp_ctx *c, const sd_schema *side, const sd_view *v)
{
	const sd_view *r = sd_schema_find_view(side, v->schema, v->name);

	if (r || (!c->maxid && !c->nocase))
		return r;
	return sd_hmap_gets(side == c->a ? &c->views_a : &c->views_b,
			    tab_key(c, v->schema, v->name));
}

/* The table of side (c->a or c->b) that t's name means on the server. */
static const sd_table *find_table(const cmp_ctx *c, const sd_schema *side, const sd_table *t)
{
	const sd_table *r = sd_schema_find_table(side, t->schema, t->name);

	if (r || (!c->maxid && !c->nocase))
		return r;
	return sd_hmap_gets(side == c->a ? &c->tabs_a : &c->tabs_b,
			    tab_key(c, t->schema, t->name));
}

/* Canonical text via a dialect normaliser, in the tmp arena; NULL stays NULL. */
static const char *canon(cmp_ctx *c, void (*fn)(sd_str *, const char *), const char *text)
{
	if (!text)
		return NULL;
	if (!fn)
		return text;
	sd_str_reset(&c->scratch);
	fn(&c->scratch, text);
	return sd_arena_strndup(c->tmp, c->scratch.ptr, c->scratch.len);
}

static bool canon_differs(cmp_ctx *c, void (*fn)(sd_str *, const char *), const char *x,
			  const char *y)
{
	if (!x || !y)
		return x != y;
	if (strcmp(x, y) == 0)
		return false;  /* the common case: identical text needs no canonical form */
	return strcmp(canon(c, fn, x), canon(c, fn, y)) != 0;
}

/* ---- canonical definitions (the keys of the definition round) ---- */

static void add_names(const cmp_ctx *c, sd_str *s, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			sd_str_addch(s, ',');
		sd_str_add(s, cut(c, names[i]));
	}
}

static const char *key_done(cmp_ctx *c, sd_str *s)
{
	const char *k = sd_arena_strndup(c->tmp, s->ptr, s->len);

	sd_str_release(s);
	return k;
}

static const char *unique_key(cmp_ctx *c, const sd_unique *u)
{
	sd_str s = SD_STR_INIT;

	add_names(c, &s, u->columns, u->ncolumns);
	if (u->nulls_not_distinct)
		sd_str_add(&s, "\x1fnnd");
	return key_done(c, &s);
}

static const char *pk_key(cmp_ctx *c, const sd_primary_key *pk)
{
	sd_str s = SD_STR_INIT;

	add_names(c, &s, pk->columns, pk->ncolumns);
	return key_done(c, &s);
}

static const char *action(const char *a)
{
	return a && *a ? a : "NO ACTION";
}

static const char *fk_key(cmp_ctx *c, const sd_foreign_key *fk)
{
	sd_str s = SD_STR_INIT;
	const char *match = fk->match && sd_strcasecmp(fk->match, "SIMPLE") != 0 ? fk->match : "";

	add_names(c, &s, fk->columns, fk->ncolumns);
	sd_str_addf(&s, "\x1f%s\x1f%s\x1f", fk->ref_schema ? fk->ref_schema : "",
		    fk->ref_table ? cut(c, fk->ref_table) : "");
	add_names(c, &s, fk->ref_columns, fk->nref_columns);
	sd_str_addf(&s, "\x1f%s\x1f%s\x1f%d%d\x1f%s", action(fk->on_delete), action(fk->on_update),
		    fk->deferrable, fk->initially_deferred, match);
	if (fk->not_valid)
		sd_str_add(&s, "\x1fnot valid");
	return key_done(c, &s);
}

static const char *check_key(cmp_ctx *c, const sd_check *ck)
{
	const char *k = c->opts && c->opts->check_text
		? c->opts->check_text(c->opts->check_text_arg, ck) : NULL;

	if (!k)
		k = canon(c, c->d->normalize_expr, ck->expression);

	if (ck->not_valid)
		return sd_arena_printf(c->tmp, "%s\x1fnot valid", k ? k : "");
	return k ? k : "";
}

void sd_opclass_canon(sd_str *out, const sd_dialect *d, const char *opclass)
{
	sd_str tmp = SD_STR_INIT;

	if (!opclass)
		return;
	if (d->normalize_expr)
		d->normalize_expr(&tmp, opclass);
	else
		sd_str_add(&tmp, opclass);
	if (strncmp(tmp.ptr, "pg_catalog.", 11) == 0)
		sd_str_add(out, tmp.ptr + 11);
	else
		sd_str_add(out, tmp.ptr);
	sd_str_release(&tmp);
}

/* Is type (raw) one of s's enums ("mood", or "app.mood" / a type in the table's schema)? */
static bool is_enum_type(const sd_schema *s, const sd_table *t, const char *type)
{
	const char *dot = strrchr(type, '.');

	for (size_t i = 0; i < s->nenums; i++) {
		const sd_enum *en = s->enums[i];

		if (dot ? en->schema && strlen(en->schema) == (size_t)(dot - type) &&
			  strncmp(en->schema, type, (size_t)(dot - type)) == 0 &&
			  strcmp(en->name, dot + 1) == 0
			: strcmp(en->name, type) == 0 && (!en->schema || sd_streq(en->schema, t->schema)))
			return true;
	}
	return false;
}

bool sd_index_elem_opclass(sd_str *out, const sd_dialect *d, const sd_schema *s,
			   const sd_table *t, const sd_index *ix, const sd_index_elem *e)
{
	sd_str canon = SD_STR_INIT;
	const sd_column *col;
	bool dflt = false;

	if (!e->opclass)
		return false;
	sd_opclass_canon(&canon, d, e->opclass);
	if (d->opclass_is_default && e->column && t && (col = sd_table_find_column(t, e->column)) &&
	    col->type)
		dflt = d->opclass_is_default(canon.ptr, ix->method, col->type,
					     s && is_enum_type(s, t, col->type));
	if (!dflt)
		sd_str_add(out, canon.ptr);
	sd_str_release(&canon);
	return !dflt;
}

static const char *index_key(cmp_ctx *c, const sd_index *ix, const sd_table *t,
			     const sd_schema *sch)
{
	sd_str s = SD_STR_INIT;
	size_t i;

	sd_str_add(&s, ix->unique ? "U" : "-");
	for (i = 0; i < ix->nelems; i++) {
		const sd_index_elem *e = ix->elems[i];

		if (e->column)
			sd_str_addf(&s, "\x1f" "c:%s", cut(c, e->column));
		else
			sd_str_addf(&s, "\x1f" "e:%s", canon(c, c->d->normalize_expr, e->expression));
		sd_str_addf(&s, "\x1e%d\x1e%s\x1e%s", e->desc, e->collation ? e->collation : "",
			    e->nulls ? e->nulls : "");
		sd_str_reset(&c->scratch);
		if (sd_index_elem_opclass(&c->scratch, c->d, sch, t, ix, e))
			sd_str_addf(&s, "\x1eo:%s", c->scratch.ptr);
	}
	if (ix->where)
		sd_str_addf(&s, "\x1fw:%s", canon(c, c->d->normalize_expr, ix->where));
	if (ix->method && sd_strcasecmp(ix->method, "btree") != 0)
		sd_str_addf(&s, "\x1fm:%s", ix->method);
	if (ix->ninclude) {
		sd_str_add(&s, "\x1fi:");
		add_names(c, &s, ix->include, ix->ninclude);
	}
	if (ix->nulls_not_distinct)
		sd_str_add(&s, "\x1fnnd");
	return key_done(c, &s);
}

/* ---- op construction ---- */

static const sd_table *target_def(cmp_ctx *c, tbl_ctx *t)
{
	if (!t->def)
		t->def = sd_table_copy(c->store, t->tb);
	return t->def;
}

static sd_pending_op *add_op(cmp_ctx *c, sd_op_kind kind, int step, const sd_table *def)
{
	sd_pending_op *po = sd_pending_push(&c->pend, kind, step);

	po->op.schema = def->schema;
	po->op.table = def->name;
	po->op.table_def = def;
	po->k1 = def->schema;
	po->k2 = def->name;
	return po;
}

static const char *why(cmp_ctx *c, const char *fmt, const char *x, const char *y)
{
	return sd_arena_printf(c->store->arena, fmt, x ? x : "(none)", y ? y : "(none)");
}

/* Object kinds that go through the two-round matcher. */
typedef enum mkind { MK_UNIQUE, MK_FK, MK_CHECK, MK_INDEX } mkind;

static void op_drop(cmp_ctx *c, tbl_ctx *t, mkind k, const void *obj, const char *name,
		    const char *key)
{
	const sd_table *def = target_def(c, t);
	sd_pending_op *po;

	switch (k) {
	case MK_UNIQUE:
		po = add_op(c, SD_OP_DROP_CONSTRAINT, SD_STEP_DROP_INDEX_CONSTRAINT, def);
		po->op.ctype = SD_CONSTRAINT_UNIQUE;
		po->op.unique = sd_unique_copy(c->store, obj);
		po->sub2 = 1;
		break;
	case MK_CHECK:
		po = add_op(c, SD_OP_DROP_CONSTRAINT, SD_STEP_DROP_INDEX_CONSTRAINT, def);
		po->op.ctype = SD_CONSTRAINT_CHECK;
		po->op.check = sd_check_copy(c->store, obj);
		po->sub2 = 2;
		break;
	case MK_INDEX:
		po = add_op(c, SD_OP_DROP_INDEX, SD_STEP_DROP_INDEX_CONSTRAINT, def);
		po->op.index = sd_index_copy(c->store, obj);
		po->sub2 = 0;
		break;
	case MK_FK:
	default:
		po = add_op(c, SD_OP_DROP_CONSTRAINT, SD_STEP_DROP_FK, def);
		po->op.ctype = SD_CONSTRAINT_FOREIGN_KEY;
		po->op.fk = sd_fk_copy(c->store, obj);
		break;
	}
	po->name = name;
	po->defkey = key;
}

static void op_create(cmp_ctx *c, tbl_ctx *t, mkind k, const void *obj, const char *name,
		      const char *key)
{
	const sd_table *def = target_def(c, t);
	sd_pending_op *po;

	switch (k) {
	case MK_UNIQUE:
		po = add_op(c, SD_OP_CREATE_UNIQUE_CONSTRAINT, SD_STEP_CREATE_CONSTRAINT, def);
		po->op.ctype = SD_CONSTRAINT_UNIQUE;
		po->op.unique = sd_unique_copy(c->store, obj);
		po->sub2 = 1;
		break;
	case MK_CHECK:
		po = add_op(c, SD_OP_CREATE_CHECK_CONSTRAINT, SD_STEP_CREATE_CONSTRAINT, def);
		po->op.ctype = SD_CONSTRAINT_CHECK;
		po->op.check = sd_check_copy(c->store, obj);
		po->sub2 = 2;
		break;
	case MK_INDEX:
		po = add_op(c, SD_OP_CREATE_INDEX, SD_STEP_CREATE_INDEX, def);
		po->op.index = sd_index_copy(c->store, obj);
		break;
	case MK_FK:
	default:
		po = add_op(c, SD_OP_CREATE_FOREIGN_KEY, SD_STEP_CREATE_FK, def);
		po->op.ctype = SD_CONSTRAINT_FOREIGN_KEY;
		po->op.fk = sd_fk_copy(c->store, obj);
		break;
	}
	po->name = name;
	po->defkey = key;
}

/* ---- the two-round matcher ---- */

typedef struct item {
	const void *obj;
	const char *name;
	const char *key;
	bool matched;
	const sd_table *t;       /* its table, and the table's schema */
	const sd_schema *s;
} item;

static item *items_of(cmp_ctx *c, mkind k, const sd_table *t, const sd_schema *s, size_t *n)
{
	size_t i, count;
	item *v;

	(void)c;
	switch (k) {
	case MK_UNIQUE: count = t->nuniques; break;
	case MK_FK: count = t->nfks; break;
	case MK_CHECK: count = t->nchecks; break;
	case MK_INDEX: default: count = t->nindexes; break;
	}
	v = xcalloc(count ? count : 1, sizeof(*v));
	for (i = 0; i < count; i++) {
		v[i].t = t;
		v[i].s = s;
		switch (k) {
		case MK_UNIQUE:
			v[i].obj = t->uniques[i];
			v[i].name = t->uniques[i]->name;
			break;
		case MK_FK:
			v[i].obj = t->fks[i];
			v[i].name = t->fks[i]->name;
			break;
		case MK_CHECK:
			v[i].obj = t->checks[i];
			v[i].name = t->checks[i]->name;
			break;
		case MK_INDEX:
			v[i].obj = t->indexes[i];
			v[i].name = t->indexes[i]->name;
			break;
		}
	}
	*n = count;
	return v;
}

/*
 * The canonical definition, computed on first use: most objects are paired
 * by name and found identical by raw_same(), and never need one.
 */
static const char *item_key(cmp_ctx *c, mkind k, item *it)
{
	if (it->key)
		return it->key;
	switch (k) {
	case MK_UNIQUE: it->key = unique_key(c, it->obj); break;
	case MK_FK: it->key = fk_key(c, it->obj); break;
	case MK_CHECK: it->key = check_key(c, it->obj); break;
	case MK_INDEX: default: it->key = index_key(c, it->obj, it->t, it->s); break;
	}
	return it->key;
}

static bool names_same(const char *const *a, size_t na, const char *const *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (strcmp(a[i], b[i]) != 0)
			return false;
	return true;
}

/*
 * Field-by-field equality of the raw text of every part of the definition
 * key.  True implies equal keys (canonical forms of equal text are equal);
 * false says nothing, and the keys decide.
 */
static bool raw_same(mkind k, const void *pa, const void *pb)
{
	size_t i;

	switch (k) {
	case MK_UNIQUE: {
		const sd_unique *a = pa, *b = pb;

		return names_same(a->columns, a->ncolumns, b->columns, b->ncolumns) &&
		       a->nulls_not_distinct == b->nulls_not_distinct;
	}
	case MK_FK: {
		const sd_foreign_key *a = pa, *b = pb;

		return names_same(a->columns, a->ncolumns, b->columns, b->ncolumns) &&
		       sd_streq(a->ref_schema, b->ref_schema) && sd_streq(a->ref_table, b->ref_table) &&
		       names_same(a->ref_columns, a->nref_columns, b->ref_columns, b->nref_columns) &&
		       sd_streq(a->on_delete, b->on_delete) && sd_streq(a->on_update, b->on_update) &&
		       a->deferrable == b->deferrable && a->initially_deferred == b->initially_deferred &&
		       sd_streq(a->match, b->match) && a->not_valid == b->not_valid;
	}
	case MK_CHECK: {
		const sd_check *a = pa, *b = pb;

		return sd_streq(a->expression, b->expression) && a->not_valid == b->not_valid;
	}
	case MK_INDEX:
	default: {
		const sd_index *a = pa, *b = pb;

		if (a->unique != b->unique || a->nelems != b->nelems || !sd_streq(a->where, b->where) ||
		    !sd_streq(a->method, b->method) || a->nulls_not_distinct != b->nulls_not_distinct ||
		    !names_same(a->include, a->ninclude, b->include, b->ninclude))
			return false;
		for (i = 0; i < a->nelems; i++) {
			const sd_index_elem *x = a->elems[i], *y = b->elems[i];

			if (!sd_streq(x->column, y->column) || !sd_streq(x->expression, y->expression) ||
			    x->desc != y->desc || !sd_streq(x->collation, y->collation) ||
			    !sd_streq(x->nulls, y->nulls) || !sd_streq(x->opclass, y->opclass))
				return false;
		}
		return true;
	}
	}
}

static void match_objects(cmp_ctx *c, tbl_ctx *t, mkind k)
{
	size_t na, nb, i;
	item *a = items_of(c, k, t->ta, c->a, &na), *b = items_of(c, k, t->tb, c->b, &nb);
	size_t *next = xcalloc(nb ? nb : 1, sizeof(size_t));
	sd_hmap byname = SD_HMAP_INIT, bykey = SD_HMAP_INIT;

	/* Round 1: named on both sides, paired by name. */
	for (i = 0; i < nb; i++)
		if (b[i].name)
			sd_hmap_puts(&byname, cut(c, b[i].name), (void *)(i + 1));
	for (i = 0; i < na; i++) {
		size_t j;

		if (!a[i].name)
			continue;
		j = (size_t)sd_hmap_gets(&byname, cut(c, a[i].name));
		if (!j || b[j - 1].matched)
			continue;
		j--;
		a[i].matched = b[j].matched = true;
		if (!raw_same(k, a[i].obj, b[j].obj) &&
		    strcmp(item_key(c, k, &a[i]), item_key(c, k, &b[j])) != 0) {
			op_drop(c, t, k, a[i].obj, a[i].name, a[i].key);
			op_create(c, t, k, b[j].obj, b[j].name, b[j].key);
		}
	}

	/* Round 2: the rest by definition; equal definitions under two names are a rename. */
	for (i = nb; i-- > 0;) {
		if (b[i].matched)
			continue;
		next[i] = (size_t)sd_hmap_gets(&bykey, item_key(c, k, &b[i]));
		sd_hmap_puts(&bykey, b[i].key, (void *)(i + 1));
	}
	for (i = 0; i < na; i++) {
		size_t j;

		if (a[i].matched)
			continue;
		j = (size_t)sd_hmap_gets(&bykey, item_key(c, k, &a[i]));
		if (!j)
			continue;
		j--;
		sd_hmap_puts(&bykey, b[j].key, (void *)next[j]);
		a[i].matched = b[j].matched = true;
		if (a[i].name && b[j].name && strcmp(cut(c, a[i].name), cut(c, b[j].name)) != 0) {
			op_drop(c, t, k, a[i].obj, a[i].name, a[i].key);
			op_create(c, t, k, b[j].obj, b[j].name, b[j].key);
		}
	}

	for (i = 0; i < na; i++)
		if (!a[i].matched)
			op_drop(c, t, k, a[i].obj, a[i].name, item_key(c, k, &a[i]));
	for (i = 0; i < nb; i++)
		if (!b[i].matched)
			op_create(c, t, k, b[i].obj, b[i].name, item_key(c, k, &b[i]));

	sd_hmap_release(&byname);
	sd_hmap_release(&bykey);
	free(next);
	free(a);
	free(b);
}

/* ---- columns, keys, comments of a surviving table ---- */

/*
 * Column defaults: canonical text knowing the column type (a boolean's 1
 * is true), then, for two live databases, what the server said.
 */
static bool defaults_differ(cmp_ctx *c, const sd_column *x, const sd_column *y)
{
	const char *dx = x->server_default, *dy = y->server_default;

	if (!dx && !dy)
		return false;
	if (!dx || !dy) {
		/* an autoincrement column's implicit default (PG serial's nextval) */
		const sd_column *none = dx ? y : x, *has = dx ? x : y;

		if (none->autoincrement != SD_AUTOINC_TRUE || !c->d->normalize_column_default)
			return true;
		sd_str_reset(&c->scratch);
		c->d->normalize_column_default(&c->scratch, has->server_default, has->type);
		return c->scratch.len != 0;
	}
	if (strcmp(dx, dy) == 0)
		return false;
	if (c->d->normalize_column_default) {
		sd_str_reset(&c->scratch);
		c->d->normalize_column_default(&c->scratch, dx, x->type);
		dx = sd_arena_strndup(c->tmp, c->scratch.ptr, c->scratch.len);
		sd_str_reset(&c->scratch);
		c->d->normalize_column_default(&c->scratch, dy, y->type);
		dy = sd_arena_strndup(c->tmp, c->scratch.ptr, c->scratch.len);
	} else {
		dx = canon(c, c->d->normalize_default, dx);
		dy = canon(c, c->d->normalize_default, dy);
	}
	if (strcmp(dx, dy) == 0)
		return false;
	if (c->eqdefs && sd_hmap_get(c->eqdefs, (const char *)&x, sizeof(x)) == y)
		return false;
	return true;
}

static unsigned column_changes(cmp_ctx *c, const sd_column *x, const sd_column *y)
{
	unsigned ch = 0;

	if (!sd_streq(x->type, y->type) &&
	    strcmp(x->type ? canon(c, c->d->normalize_type, x->type) : "",
		   y->type ? canon(c, c->d->normalize_type, y->type) : "") != 0)
		ch |= SD_CHANGE_TYPE;
	if (x->nullable != y->nullable)
		ch |= SD_CHANGE_NULLABLE;
	if (defaults_differ(c, x, y))
		ch |= SD_CHANGE_DEFAULT;
	if (c->comments && !sd_streq(x->comment, y->comment))
		ch |= SD_CHANGE_COMMENT;
	if (x->autoincrement != SD_AUTOINC_AUTO && y->autoincrement != SD_AUTOINC_AUTO &&
	    x->autoincrement != y->autoincrement)
		ch |= SD_CHANGE_AUTOINCREMENT;
	/* identity kind: compared when both sides state one (not stated = either) */
	if (x->identity && y->identity && strcmp(x->identity, y->identity) != 0)
		ch |= SD_CHANGE_AUTOINCREMENT;
	if (canon_differs(c, c->d->normalize_expr, x->generated, y->generated) ||
	    (x->generated && x->generated_stored != y->generated_stored))
		ch |= SD_CHANGE_GENERATED;
	if (!sd_streq(x->collation, y->collation))
		ch |= SD_CHANGE_COLLATION;
	return ch;
}

static bool type_change_lossy(cmp_ctx *c, const sd_column *x, const sd_column *y)
{
	if (!y->type)
		return false;  /* to an untyped (SQLite BLOB-affinity) column: values kept */
	if (!x->type)
		return true;   /* affinity may now convert stored values */
	return c->d->type_change_is_lossy ? c->d->type_change_is_lossy(x->type, y->type) : true;
}

static void compare_columns(cmp_ctx *c, tbl_ctx *t)
{
	const sd_table *ta = t->ta, *tb = t->tb;
	sd_hmap amap = SD_HMAP_INIT, bmap = SD_HMAP_INIT;
	size_t i;

	for (i = 0; i < ta->ncolumns; i++)
		sd_hmap_puts(&amap, cut(c, ta->columns[i]->name), ta->columns[i]);
	for (i = 0; i < tb->ncolumns; i++)
		sd_hmap_puts(&bmap, cut(c, tb->columns[i]->name), tb->columns[i]);

	for (i = 0; i < ta->ncolumns; i++) {
		const sd_column *x = ta->columns[i];
		sd_pending_op *po;

		if (sd_hmap_gets(&bmap, cut(c, x->name)))
			continue;
		po = add_op(c, SD_OP_DROP_COLUMN, SD_STEP_DROP_COLUMN, target_def(c, t));
		po->op.column = sd_column_copy(c->store, x);
		po->op.destructive = true;
		po->op.why = why(c, "drops column \"%s\" and its data%s", x->name, "");
		po->pos2 = i;
		po->name = x->name;
	}
	for (i = 0; i < tb->ncolumns; i++) {
		const sd_column *y = tb->columns[i], *x = sd_hmap_gets(&amap, cut(c, y->name));
		sd_pending_op *po;
		unsigned ch;

		if (!x) {
			po = add_op(c, SD_OP_ADD_COLUMN, SD_STEP_ADD_COLUMN, target_def(c, t));
			po->op.column = sd_column_copy(c->store, y);
			po->pos2 = i;
			po->name = y->name;
			continue;
		}
		ch = column_changes(c, x, y);
		if (!ch)
			continue;
		po = add_op(c, SD_OP_ALTER_COLUMN, SD_STEP_ALTER_COLUMN, target_def(c, t));
		po->op.column = sd_column_copy(c->store, y);
		po->op.old_column = sd_column_copy(c->store, x);
		po->op.changes = ch;
		po->pos2 = i;
		po->name = y->name;
		if ((ch & SD_CHANGE_TYPE) && type_change_lossy(c, x, y)) {
			po->op.destructive = true;
			po->op.why = why(c, "type change from %s to %s may lose data", x->type, y->type);
		}
	}
	sd_hmap_release(&amap);
	sd_hmap_release(&bmap);
}

static void compare_pk(cmp_ctx *c, tbl_ctx *t)
{
	const sd_primary_key *x = t->ta->pk, *y = t->tb->pk;
	bool drop = false, create = false;
	sd_pending_op *po;

	if (x && y) {
		if (strcmp(pk_key(c, x), pk_key(c, y)) != 0 ||
		    (x->name && y->name && strcmp(cut(c, x->name), cut(c, y->name)) != 0))
			drop = create = true;
	} else {
		drop = x != NULL;
		create = y != NULL;
	}
	if (drop) {
		po = add_op(c, SD_OP_DROP_CONSTRAINT, SD_STEP_DROP_INDEX_CONSTRAINT, target_def(c, t));
		po->op.ctype = SD_CONSTRAINT_PRIMARY;
		po->op.pk = sd_pk_copy(c->store, x);
		po->sub2 = 3;
		po->name = x->name;
	}
	if (create) {
		po = add_op(c, SD_OP_CREATE_PRIMARY_KEY, SD_STEP_CREATE_CONSTRAINT, target_def(c, t));
		po->op.ctype = SD_CONSTRAINT_PRIMARY;
		po->op.pk = sd_pk_copy(c->store, y);
		po->sub2 = 0;
		po->name = y->name;
	}
}

static void compare_table_comment(cmp_ctx *c, tbl_ctx *t)
{
	const char *x = t->ta->comment, *y = t->tb->comment;
	sd_pending_op *po;

	if (!c->comments || sd_streq(x, y))
		return;
	po = add_op(c, y ? SD_OP_CREATE_TABLE_COMMENT : SD_OP_DROP_TABLE_COMMENT, SD_STEP_COMMENT,
		    target_def(c, t));
	po->op.comment = sd_schema_strdup(c->store, y);
	po->op.old_comment = sd_schema_strdup(c->store, x);
}

static void compare_table(cmp_ctx *c, const sd_table *ta, const sd_table *tb)
{
	tbl_ctx t = { ta, tb, NULL };

	compare_columns(c, &t);
	compare_pk(c, &t);
	match_objects(c, &t, MK_UNIQUE);
	match_objects(c, &t, MK_FK);
	match_objects(c, &t, MK_CHECK);
	match_objects(c, &t, MK_INDEX);
	compare_table_comment(c, &t);
}

/*
 * The table as create_table makes it (or drop_table finds it): a shallow
 * copy of full without indexes (separate ops) and without the FKs that
 * lie on a cycle (separate ops).  Shares full's objects; all in the store.
 */
static const sd_table *strip_table(cmp_ctx *c, const sd_table *full, const bool *cycle_fk)
{
	sd_table *t = sd_arena_alloc(c->store->arena, sizeof(*t));
	size_t j;

	*t = *full;
	t->indexes = NULL;
	t->nindexes = 0;
	t->fks = NULL;
	t->nfks = 0;
	for (j = 0; j < full->nfks; j++)
		if (!cycle_fk[j])
			sd_arena_push(c->store->arena, (void ***)&t->fks, &t->nfks, full->fks[j]);
	return t;
}

/* Tables of a that are not in b: dropped (children first, cycles broken by FK drops). */
static void dropped_tables(cmp_ctx *c)
{
	const sd_table **set = NULL;
	size_t n = 0, alloc = 0, i, j;
	sd_fk_graph g;

	for (i = 0; i < c->a->ntables; i++) {
		const sd_table *t = c->a->tables[i];

		if (!find_table(c, c->b, t)) {
			SD_GROW(set, n + 1, alloc);
			set[n++] = t;
		}
	}
	sd_fk_graph_build(&g, c->a, set, n, true);
	for (i = 0; i < n; i++) {
		size_t r = g.order[i];
		const sd_table *t = set[r];
		const sd_table *full = sd_table_copy(c->store, t);
		const bool *cyc = &g.cycle_fk[g.fkbase[r]];
		sd_pending_op *po;

		for (j = 0; j < t->nfks; j++) {
			if (!cyc[j])
				continue;
			po = add_op(c, SD_OP_DROP_CONSTRAINT, SD_STEP_DROP_TABLE, full);
			po->op.ctype = SD_CONSTRAINT_FOREIGN_KEY;
			po->op.fk = full->fks[j];
			po->sub = 0;
			po->name = t->fks[j]->name;
			po->defkey = fk_key(c, t->fks[j]);
		}
		for (j = 0; j < t->nindexes; j++) {
			po = add_op(c, SD_OP_DROP_INDEX, SD_STEP_DROP_TABLE, full);
			po->op.index = full->indexes[j];
			po->sub = 1;
			po->pos = i;
			po->sub2 = 0;
			po->name = t->indexes[j]->name;
			po->defkey = index_key(c, t->indexes[j], t, c->a);
		}
		po = add_op(c, SD_OP_DROP_TABLE, SD_STEP_DROP_TABLE, strip_table(c, full, cyc));
		po->sub = 1;
		po->pos = i;
		po->sub2 = 1;
		po->op.destructive = true;
		po->op.why = why(c, "drops table \"%s\" and its data%s", t->name, "");
	}
	sd_fk_graph_release(&g);
	free(set);
}

/* Tables of b that are not in a: created parents first; cycle FKs and indexes after. */
static void created_tables(cmp_ctx *c)
{
	const sd_table **set = NULL;
	size_t n = 0, alloc = 0, i, j;
	sd_fk_graph g;

	for (i = 0; i < c->b->ntables; i++) {
		const sd_table *t = c->b->tables[i];

		if (!find_table(c, c->a, t)) {
			SD_GROW(set, n + 1, alloc);
			set[n++] = t;
		}
	}
	sd_fk_graph_build(&g, c->b, set, n, false);
	for (i = 0; i < n; i++) {
		size_t r = g.order[i];
		const sd_table *t = set[r];
		const sd_table *full = sd_table_copy(c->store, t);
		const bool *cyc = &g.cycle_fk[g.fkbase[r]];
		sd_pending_op *po;

		po = add_op(c, SD_OP_CREATE_TABLE, SD_STEP_CREATE_TABLE, strip_table(c, full, cyc));
		po->pos = i;
		for (j = 0; j < t->nindexes; j++) {
			po = add_op(c, SD_OP_CREATE_INDEX, SD_STEP_CREATE_INDEX, full);
			po->op.index = full->indexes[j];
			po->name = t->indexes[j]->name;
			po->defkey = index_key(c, t->indexes[j], t, c->b);
		}
		for (j = 0; j < t->nfks; j++) {
			if (!cyc[j])
				continue;
			po = add_op(c, SD_OP_CREATE_FOREIGN_KEY, SD_STEP_CREATE_FK, full);
			po->op.ctype = SD_CONSTRAINT_FOREIGN_KEY;
			po->op.fk = full->fks[j];
			po->name = t->fks[j]->name;
			po->defkey = fk_key(c, t->fks[j]);
		}
	}
	sd_fk_graph_release(&g);
	free(set);
}

static sd_pending_op *view_op(cmp_ctx *c, sd_op_kind kind, int step, const sd_view *v)
{
	sd_pending_op *po = sd_pending_push(&c->pend, kind, step);
	const sd_view *copy = sd_view_copy(c->store, v);

	po->op.schema = copy->schema;
	po->op.table = copy->name;
	po->op.view = copy;
	po->k1 = copy->schema;
	po->k2 = copy->name;
	return po;
}

static void compare_views(cmp_ctx *c)
{
	size_t i;

	for (i = 0; i < c->a->nviews; i++) {
		const sd_view *x = c->a->views[i];
		const sd_view *y = find_view(c, c->b, x);

		if (y && x->materialized == y->materialized &&
		    !canon_differs(c, c->d->normalize_expr, x->definition, y->definition))
			continue;
		view_op(c, SD_OP_DROP_VIEW, SD_STEP_DROP_VIEW, x);
		if (y)
			view_op(c, SD_OP_CREATE_VIEW, SD_STEP_CREATE_VIEW, y);
	}
	for (i = 0; i < c->b->nviews; i++) {
		const sd_view *y = c->b->views[i];

		if (!find_view(c, c->a, y))
			view_op(c, SD_OP_CREATE_VIEW, SD_STEP_CREATE_VIEW, y);
	}
}

/* ---- enums and sequences (PostgreSQL) ---- */

static sd_pending_op *enum_op(cmp_ctx *c, sd_op_kind kind, int step, const sd_enum *e)
{
	sd_pending_op *po = sd_pending_push(&c->pend, kind, step);
	const sd_enum *copy = sd_enum_copy(c->store, e);

	po->op.schema = copy->schema;
	po->op.table = copy->name;
	po->op.enum_def = copy;
	po->k1 = copy->schema;
	po->k2 = copy->name;
	return po;
}

static long value_pos(const sd_enum *e, const char *v)
{
	size_t i;

	for (i = 0; i < e->nvalues; i++)
		if (strcmp(e->values[i], v) == 0)
			return (long)i;
	return -1;
}

/*
 * x's values kept in y, in the same order (only additions)?  Then each
 * new value is one add_enum_value, AFTER the value before it in y (BEFORE
 * the next when it is y's first), in y's order so the neighbour exists.
 * Otherwise (a value removed, or the order changed) PostgreSQL cannot
 * alter the type in place: drop_enum + create_enum, flagged destructive.
 * Columns of that type are not rewritten by these ops: DROP TYPE fails
 * while a surviving column uses the type, which stops the migration
 * before any data is lost (the review says why).
 */
static void compare_enum(cmp_ctx *c, const sd_enum *x, const sd_enum *y)
{
	size_t i, j = 0;
	long last = -1;
	bool additive = true;
	sd_pending_op *po;

	for (i = 0; i < x->nvalues && additive; i++) {
		long p = value_pos(y, x->values[i]);

		if (p < 0 || p <= last)
			additive = false;
		last = p;
	}
	if (additive && x->nvalues == y->nvalues)
		return;
	if (!additive) {
		po = enum_op(c, SD_OP_DROP_ENUM, SD_STEP_DROP_ENUM, x);
		po->op.destructive = true;
		po->op.why = "values removed or reordered: the type is re-created";
		po = enum_op(c, SD_OP_CREATE_ENUM, SD_STEP_CREATE_ENUM, y);
		po->op.destructive = true;
		po->op.why = "values removed or reordered: the type is re-created";
		return;
	}
	for (j = 0; j < y->nvalues; j++) {
		if (value_pos(x, y->values[j]) >= 0)
			continue;
		po = enum_op(c, SD_OP_ADD_ENUM_VALUE, SD_STEP_ADD_ENUM_VALUE, y);
		po->op.value = po->op.enum_def->values[j];
		po->pos = j;
		if (j > 0) {
			po->op.neighbor = po->op.enum_def->values[j - 1];
		} else if (y->nvalues > 1) {
			po->op.neighbor = po->op.enum_def->values[1];
			po->op.before = true;
		}
	}
}

static void compare_enums(cmp_ctx *c)
{
	size_t i;

	for (i = 0; i < c->a->nenums; i++) {
		const sd_enum *x = c->a->enums[i];
		const sd_enum *y = sd_schema_find_enum(c->b, x->schema, x->name);

		if (y)
			compare_enum(c, x, y);
		else
			enum_op(c, SD_OP_DROP_ENUM, SD_STEP_DROP_ENUM, x);
	}
	for (i = 0; i < c->b->nenums; i++) {
		const sd_enum *y = c->b->enums[i];

		if (!sd_schema_find_enum(c->a, y->schema, y->name))
			enum_op(c, SD_OP_CREATE_ENUM, SD_STEP_CREATE_ENUM, y);
	}
}

static sd_pending_op *seq_op(cmp_ctx *c, sd_op_kind kind, int step, const sd_sequence *q)
{
	sd_pending_op *po = sd_pending_push(&c->pend, kind, step);
	const sd_sequence *copy = sd_sequence_copy(c->store, q);

	po->op.schema = copy->schema;
	po->op.table = copy->name;
	po->op.sequence = copy;
	po->k1 = copy->schema;
	po->k2 = copy->name;
	return po;
}

typedef sd_seq_eff seq_eff;

static void seq_effective(cmp_ctx *c, const sd_sequence *q, seq_eff *e)
{
	sd_seq_effective(c->d, q, e);
}

void sd_seq_effective(const sd_dialect *d, const sd_sequence *q, sd_seq_eff *e)
{
	sd_str tybuf = SD_STR_INIT;
	const char *ty = q->type ? q->type : "bigint";
	long long tmax = 9223372036854775807LL;
	bool desc = q->increment && q->increment[0] == '-';

	if (d->normalize_type) {
		d->normalize_type(&tybuf, ty);
		ty = tybuf.ptr;
	}
	if (strstr(ty, "small") || strstr(ty, "int2") || strstr(ty, "INT2"))
		tmax = 32767;
	else if (!strstr(ty, "big") && !strstr(ty, "BIG") && !strstr(ty, "int8") && !strstr(ty, "INT8"))
		tmax = 2147483647;
	e->f[0] = tmax == 32767 ? "smallint" : tmax == 2147483647 ? "integer" : "bigint";
	e->f[1] = q->increment ? q->increment : "1";
	snprintf(e->buf[0], sizeof(e->buf[0]), "%lld", desc ? -tmax - 1 : 1LL);
	snprintf(e->buf[1], sizeof(e->buf[1]), "%lld", desc ? -1LL : tmax);
	e->f[2] = q->min ? q->min : e->buf[0];
	e->f[3] = q->max ? q->max : e->buf[1];
	e->f[4] = q->start ? q->start : desc ? e->f[3] : e->f[2];
	e->f[5] = q->cache ? q->cache : "1";
	sd_str_release(&tybuf);
}

static bool seq_differs(cmp_ctx *c, const sd_sequence *x, const sd_sequence *y)
{
	seq_eff ex, ey;
	size_t i;

	seq_effective(c, x, &ex);
	seq_effective(c, y, &ey);
	for (i = 0; i < SD_ARRAY_LEN(ex.f); i++)
		if (strcmp(ex.f[i], ey.f[i]) != 0)
			return true;
	return x->cycle != y->cycle || !sd_streq(x->owned_by, y->owned_by);
}

const sd_column *sd_seq_owner(const sd_sequence *q, sd_find_table_fn find, void *arg)
{
	const char *dot;

	if (!q->owned_by)
		return NULL;
	for (dot = strchr(q->owned_by, '.'); dot; dot = strchr(dot + 1, '.')) {
		char *table = xstrndup(q->owned_by, (size_t)(dot - q->owned_by));
		const sd_table *t = find(arg, q->schema, table);
		const sd_column *col = t ? sd_table_find_column(t, dot + 1) : NULL;

		free(table);
		if (col)
			return col;
	}
	return NULL;
}

/* One part of a regclass name at *p (bare: folded to lower case), into out; past it. */
static const char *regclass_part(const char *p, const char *end, sd_str *out)
{
	if (*p == '"') {
		for (p++; p < end; p++) {
			if (*p == '"' && p + 1 < end && p[1] == '"')
				p++;
			else if (*p == '"')
				return p + 1;
			sd_str_addch(out, *p);
		}
		return p;
	}
	for (; p < end && *p != '.'; p++)
		sd_str_addch(out, (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p);
	return p;
}

/* Does the regclass text [p, end) ("name", "schema.name", quoted parts) name q? */
static bool regclass_is(const char *p, const char *end, const sd_sequence *q)
{
	sd_str first = SD_STR_INIT, second = SD_STR_INIT;
	bool two, is;

	p = regclass_part(p, end, &first);
	two = p < end && *p == '.';
	if (two)
		p = regclass_part(p + 1, end, &second);
	if (p != end)
		is = false;  /* three parts (a database name) or trailing text */
	else if (two)
		is = strcmp(second.ptr, q->name) == 0 && (!q->schema || strcmp(first.ptr, q->schema) == 0);
	else
		is = strcmp(first.ptr, q->name) == 0;
	sd_str_release(&first);
	sd_str_release(&second);
	return is;
}

bool sd_default_uses_sequence(const char *def, const sd_sequence *q)
{
	const char *p;

	for (p = def; p && *p; p++) {
		sd_str lit = SD_STR_INIT;
		const char *s;
		bool is;

		if (sd_strncasecmp(p, "nextval", 7) != 0 ||
		    (p > def && (isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '"')))
			continue;
		for (s = p + 7; *s == ' '; s++)
			;
		if (*s++ != '(')
			continue;
		while (*s == ' ')
			s++;
		if (*s++ != '\'')
			continue;
		for (; *s; s++) {
			if (*s == '\'' && s[1] == '\'')
				s++;
			else if (*s == '\'')
				break;
			sd_str_addch(&lit, *s);
		}
		is = regclass_is(lit.ptr, lit.ptr + lit.len, q);
		sd_str_release(&lit);
		if (is)
			return true;
	}
	return false;
}

static const sd_table *find_in_schema(void *arg, const char *schema, const char *name)
{
	return sd_schema_find_table(arg, schema, name);
}

/* Does side hold the column q is OWNED BY?  (false without an owner) */
static bool owner_in(const sd_schema *side, const sd_sequence *q)
{
	return sd_seq_owner(q, find_in_schema, (void *)side) != NULL;
}

/*
 * Is x used by the default of a column of c->a that c->b still has?  Then
 * dropping x waits for alter_column to change that default (DROP SEQUENCE
 * fails while a default calls nextval() on it).
 */
static bool used_by_surviving_default(cmp_ctx *c, const sd_sequence *x)
{
	size_t i, j;

	for (i = 0; i < c->a->ntables; i++) {
		const sd_table *ta = c->a->tables[i];
		const sd_table *tb = find_table(c, c->b, ta);

		for (j = 0; tb && j < ta->ncolumns; j++)
			if (ta->columns[j]->server_default &&
			    sd_default_uses_sequence(ta->columns[j]->server_default, x) &&
			    sd_table_find_column(tb, ta->columns[j]->name))
				return true;
	}
	return false;
}

static sd_pending_op *seq_alter_op(cmp_ctx *c, int step, const sd_sequence *from,
				   const sd_sequence *to)
{
	sd_pending_op *po = seq_op(c, SD_OP_ALTER_SEQUENCE, step, to);

	po->op.old_sequence = sd_sequence_copy(c->store, from);
	return po;
}

/*
 * OWNED BY a column that does not exist yet, or no longer: PostgreSQL
 * checks the column when OWNED BY is set, and drops an owned sequence with
 * its column or table.  A sequence owned by a column this migration
 * creates is created without an owner (a column default may call nextval()
 * on it, so it comes before the tables) and given its owner in a late
 * alter_sequence, once the column exists; the reverse, for a column this
 * migration drops, releases the owner (OWNED BY NONE) in an early
 * alter_sequence, before any column or table is dropped, so the sequence
 * is not dropped with it and a drop_sequence or alter_sequence after the
 * drop still finds it.  An owner that exists on both sides is set inline.
 */
static void create_sequence(cmp_ctx *c, const sd_sequence *y)
{
	sd_sequence bare = *y;

	if (!y->owned_by || owner_in(c->a, y)) {
		seq_op(c, SD_OP_CREATE_SEQUENCE, SD_STEP_CREATE_SEQUENCE, y);
		return;
	}
	bare.owned_by = NULL;
	seq_op(c, SD_OP_CREATE_SEQUENCE, SD_STEP_CREATE_SEQUENCE, &bare);
	seq_alter_op(c, SD_STEP_OWN_SEQUENCE, &bare, y);
}

static void drop_sequence(cmp_ctx *c, const sd_sequence *x)
{
	int step = used_by_surviving_default(c, x) ? SD_STEP_DROP_SEQUENCE_USED
						   : SD_STEP_DROP_SEQUENCE;
	sd_sequence bare = *x;

	if (!x->owned_by || owner_in(c->b, x)) {
		seq_op(c, SD_OP_DROP_SEQUENCE, step, x);
		return;
	}
	bare.owned_by = NULL;
	seq_alter_op(c, SD_STEP_DISOWN_SEQUENCE, x, &bare);
	seq_op(c, SD_OP_DROP_SEQUENCE, step, &bare);
}

/*
 * x -> y: an owner whose column this migration drops is released early (or
 * moved straight to the new owner when that column exists already); the
 * settings change in step 5b; an owner whose column this migration creates
 * is set late.  Each alter_sequence goes from the state the one before left.
 */
static void alter_sequence(cmp_ctx *c, const sd_sequence *x, const sd_sequence *y)
{
	bool owner_changes = !sd_streq(x->owned_by, y->owned_by);
	bool release = owner_changes && x->owned_by && !owner_in(c->b, x);
	bool set_late = owner_changes && y->owned_by && !owner_in(c->a, y);
	sd_sequence cur = *x, mid = *y;

	if (!seq_differs(c, x, y))
		return;
	if (release) {
		cur.owned_by = set_late ? NULL : y->owned_by;
		seq_alter_op(c, SD_STEP_DISOWN_SEQUENCE, x, &cur);
	}
	if (set_late)
		mid.owned_by = cur.owned_by;
	if (seq_differs(c, &cur, &mid))
		seq_alter_op(c, SD_STEP_ALTER_SEQUENCE, &cur, &mid);
	if (set_late)
		seq_alter_op(c, SD_STEP_OWN_SEQUENCE, &mid, y);
}

static void compare_sequences(cmp_ctx *c)
{
	size_t i;

	for (i = 0; i < c->a->nsequences; i++) {
		const sd_sequence *x = c->a->sequences[i];
		const sd_sequence *y = sd_schema_find_sequence(c->b, x->schema, x->name);

		if (y)
			alter_sequence(c, x, y);
		else
			drop_sequence(c, x);
	}
	for (i = 0; i < c->b->nsequences; i++) {
		const sd_sequence *y = c->b->sequences[i];

		if (!sd_schema_find_sequence(c->a, y->schema, y->name))
			create_sequence(c, y);
	}
}

/* ---- are ASCII capitals anywhere in the names? ---- */

static bool has_upper(const char *s)
{
	for (; s && *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			return true;
	return false;
}

static bool any_upper(const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (has_upper(names[i]))
			return true;
	return false;
}

/*
 * Does any name in s hold an ASCII capital?  When neither side has one,
 * folding changes nothing, and cut() need not look at every name each
 * time it is asked (the common case: a 10% cost on the SQLite benchmark).
 */
static bool schema_has_upper(const sd_schema *s)
{
	for (size_t i = 0; i < s->ntables; i++) {
		const sd_table *t = s->tables[i];

		if (has_upper(t->schema) || has_upper(t->name))
			return true;
		for (size_t j = 0; j < t->ncolumns; j++)
			if (has_upper(t->columns[j]->name))
				return true;
		if (t->pk && (has_upper(t->pk->name) || any_upper(t->pk->columns, t->pk->ncolumns)))
			return true;
		for (size_t j = 0; j < t->nuniques; j++)
			if (has_upper(t->uniques[j]->name) ||
			    any_upper(t->uniques[j]->columns, t->uniques[j]->ncolumns))
				return true;
		for (size_t j = 0; j < t->nfks; j++) {
			const sd_foreign_key *fk = t->fks[j];

			if (has_upper(fk->name) || has_upper(fk->ref_schema) || has_upper(fk->ref_table) ||
			    any_upper(fk->columns, fk->ncolumns) ||
			    any_upper(fk->ref_columns, fk->nref_columns))
				return true;
		}
		for (size_t j = 0; j < t->nchecks; j++)
			if (has_upper(t->checks[j]->name))
				return true;
		for (size_t j = 0; j < t->nindexes; j++) {
			const sd_index *ix = t->indexes[j];

			if (has_upper(ix->name) || any_upper(ix->include, ix->ninclude))
				return true;
			for (size_t k = 0; k < ix->nelems; k++)
				if (has_upper(ix->elems[k]->column))
					return true;
		}
	}
	for (size_t i = 0; i < s->nviews; i++)
		if (has_upper(s->views[i]->schema) || has_upper(s->views[i]->name))
			return true;
	return false;
}

/* One direction: a -> b, ordered, into out. */
static void diff_direction(const sd_dialect *d, const sd_compare_opts *opts, bool comments, bool nocase,
			   size_t maxid, const sd_hmap *eqdefs, const sd_schema *a,
			   const sd_schema *b, sd_oplist *out)
{
	cmp_ctx c;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.d = d;
	c.comments = comments;
	c.a = a;
	c.b = b;
	c.store = out->store;
	c.tmp = sd_arena_new();
	sd_str_init(&c.scratch);
	c.maxid = maxid;
	c.nocase = nocase;
	c.eqdefs = eqdefs;
	c.opts = opts;
	sd_hmap_init(&c.tabs_a);
	sd_hmap_init(&c.tabs_b);
	sd_hmap_init(&c.views_a);
	sd_hmap_init(&c.views_b);
	if (maxid || c.nocase) {
		index_tables(&c, &c.tabs_a, a);
		index_tables(&c, &c.tabs_b, b);
		index_views(&c, &c.views_a, a);
		index_views(&c, &c.views_b, b);
	}

	compare_views(&c);
	compare_enums(&c);
	compare_sequences(&c);
	for (i = 0; i < a->ntables; i++) {
		const sd_table *ta = a->tables[i];
		const sd_table *tb = find_table(&c, b, ta);

		if (tb)
			compare_table(&c, ta, tb);
	}
	dropped_tables(&c);
	created_tables(&c);
	sd_order_emit(&c.pend, out);

	sd_pending_release(&c.pend);
	sd_hmap_release(&c.tabs_a);
	sd_hmap_release(&c.tabs_b);
	sd_hmap_release(&c.views_a);
	sd_hmap_release(&c.views_b);
	sd_str_release(&c.scratch);
	sd_arena_free(c.tmp);
}

/* Triggers are not compared, only counted: each distinct (schema, table, name) once. */
static size_t count_triggers(const sd_schema *from, const sd_schema *to)
{
	const sd_schema *sides[2] = { from, to };
	sd_arena *keys = sd_arena_new();
	sd_hmap seen = SD_HMAP_INIT;
	size_t i, k, n = 0;

	for (k = 0; k < 2; k++) {
		for (i = 0; i < sides[k]->ntriggers; i++) {
			const sd_trigger *tr = sides[k]->triggers[i];
			const char *s = tr->schema ? tr->schema : "", *t = tr->table ? tr->table : "";
			const char *nm = tr->name ? tr->name : "";
			size_t sl = strlen(s), tl = strlen(t), nl = strlen(nm);
			char *key = sd_arena_alloc(keys, sl + tl + nl + 3);

			memcpy(key, s, sl);
			memcpy(key + sl + 1, t, tl);
			memcpy(key + sl + tl + 2, nm, nl);
			if (!sd_hmap_get(&seen, key, sl + tl + nl + 2)) {
				sd_hmap_put(&seen, key, sl + tl + nl + 2, (void *)tr);
				n++;
			}
		}
	}
	sd_hmap_release(&seen);
	sd_arena_free(keys);
	return n;
}

/* Copy the target's views and triggers into the op list: context for table rebuilds. */
static void keep_target_context(sd_oplist *l, const sd_schema *target)
{
	sd_schema *st = l->store;
	size_t i;

	for (i = 0; i < target->nviews; i++)
		sd_arena_push(st->arena, (void ***)&l->target_views, &l->ntarget_views,
			      sd_view_copy(st, target->views[i]));
	for (i = 0; i < target->ntriggers; i++) {
		const sd_trigger *src = target->triggers[i];
		sd_trigger *tr = sd_arena_alloc(st->arena, sizeof(*tr));

		tr->schema = sd_arena_strdup(st->arena, src->schema);
		tr->name = sd_arena_strdup(st->arena, src->name);
		tr->table = sd_arena_strdup(st->arena, src->table);
		tr->sql = sd_arena_strdup(st->arena, src->sql);
		sd_arena_push(st->arena, (void ***)&l->target_triggers, &l->ntarget_triggers, tr);
	}
}

/*
 * Both sides live databases of a dialect that can judge: every pair of
 * matched columns whose defaults still differ in canonical text goes to
 * the server in one batch.  The pairs it calls equal go into eqdefs, both
 * ways (column -> counterpart), keyed by the column's address (kept in
 * *pairs, which the caller frees after the map).
 */
static int server_equal_defaults(sd_hmap *eqdefs, const sd_column ***pairs, const sd_dialect *d,
				 const sd_schema *from, const sd_schema *to, sd_error *err)
{
	cmp_ctx c;
	const sd_column **xs = NULL, **ys = NULL;
	const char **da = NULL, **db = NULL, **ty = NULL;
	bool *eq = NULL;
	size_t n = 0, alloc = 0, i, j, k;
	int rc = 0;

	if (!from->live || !to->live || !d->exprs_equal || !from->live_conninfo ||
	    !to->live_conninfo || !from->dialect || !to->dialect ||
	    strcmp(from->dialect, d->name) != 0 || strcmp(to->dialect, d->name) != 0)
		return 0;
	memset(&c, 0, sizeof(c));
	c.d = d;
	c.tmp = sd_arena_new();
	sd_str_init(&c.scratch);
	for (i = 0; i < from->ntables; i++) {
		const sd_table *ta = from->tables[i];
		const sd_table *tb = sd_schema_find_table(to, ta->schema, ta->name);

		for (j = 0; tb && j < ta->ncolumns; j++) {
			const sd_column *x = ta->columns[j], *y = sd_table_find_column(tb, x->name);

			if (!y || !defaults_differ(&c, x, y))
				continue;
			if (n + 1 > alloc) {
				alloc = alloc ? 2 * alloc : 16;
				xs = xrealloc(xs, alloc * sizeof(*xs));
				ys = xrealloc(ys, alloc * sizeof(*ys));
				da = xrealloc(da, alloc * sizeof(*da));
				db = xrealloc(db, alloc * sizeof(*db));
				ty = xrealloc(ty, alloc * sizeof(*ty));
			}
			xs[n] = x;
			ys[n] = y;
			da[n] = x->server_default;
			db[n] = y->server_default;
			ty[n] = x->type && y->type && strcmp(canon(&c, d->normalize_type, x->type),
							       canon(&c, d->normalize_type, y->type)) == 0
				? x->type : NULL;
			n++;
		}
	}
	if (n) {
		eq = xcalloc(n, sizeof(*eq));
		rc = d->exprs_equal(from->live_conninfo, da, db, ty, n, eq, err);
		*pairs = xcalloc(2 * n, sizeof(**pairs));
		for (i = 0, k = 0; !rc && i < n; i++) {
			if (!eq[i])
				continue;
			(*pairs)[k] = xs[i];
			(*pairs)[k + 1] = ys[i];
			sd_hmap_put(eqdefs, (const char *)&(*pairs)[k], sizeof(xs[i]), (void *)ys[i]);
			sd_hmap_put(eqdefs, (const char *)&(*pairs)[k + 1], sizeof(ys[i]), (void *)xs[i]);
			k += 2;
		}
	}
	free(xs);
	free(ys);
	free(da);
	free(db);
	free(ty);
	free(eq);
	sd_str_release(&c.scratch);
	sd_arena_free(c.tmp);
	return rc;
}

/*
 * What d cannot have: the first index element with an operator class
 * (without SD_CAP_OPCLASS) or unique constraint with NULLS NOT DISTINCT
 * (without SD_CAP_UNIQUE_NND) in s is an error naming it.
 */
static int check_dialect_features(const sd_dialect *d, const sd_schema *s, sd_error *err)
{
	size_t i, j, k;
	sd_str path = SD_STR_INIT;
	int rc = 0;

	for (i = 0; i < s->ntables && !rc; i++) {
		const sd_table *t = s->tables[i];

		for (j = 0; j < t->nindexes && !rc && !(d->caps & SD_CAP_OPCLASS); j++)
			for (k = 0; k < t->indexes[j]->nelems && !rc; k++) {
				const sd_index_elem *e = t->indexes[j]->elems[k];

				if (!e->opclass)
					continue;
				sd_qualified_name(&path, t->schema, t->name);
				sd_str_addf(&path, ".%s", t->indexes[j]->name);
				rc = sd_error_set_at(err, SD_EINPUT, s->source, 0, 0, path.ptr,
						     "operator class \"%s\" on %s: %s has no operator classes",
						     e->opclass, e->column ? "a column" : "an expression",
						     d->name);
			}
		for (j = 0; j < t->nuniques && !rc && !(d->caps & SD_CAP_UNIQUE_NND); j++) {
			if (!t->uniques[j]->nulls_not_distinct)
				continue;
			sd_qualified_name(&path, t->schema, t->name);
			if (t->uniques[j]->name)
				sd_str_addf(&path, ".%s", t->uniques[j]->name);
			rc = sd_error_set_at(err, SD_EINPUT, s->source, 0, 0, path.ptr,
					     "unique constraint with NULLS NOT DISTINCT: %s has none",
					     d->name);
		}
	}
	if (rc)
		sd_error_set_hint(err, "these are PostgreSQL features: compare with \"dialect\": "
				  "\"postgresql\" in the schema file, or leave them out");
	sd_str_release(&path);
	return rc;
}

int sd_compare(sd_migration *m, const sd_schema *from, const sd_schema *to,
	       const sd_compare_opts *opts, sd_error *err)
{
	const sd_dialect *d;
	bool comments, nocase;
	size_t ntrig, maxid, k;
	sd_hmap eqdefs = SD_HMAP_INIT;
	const sd_column **pairs = NULL;
	int rc = 0;

	memset(m, 0, sizeof(*m));
	if (!from || !to)
		return sd_error_set(err, SD_EINTERNAL, "compare needs two schemas");
	d = opts && opts->dialect ? opts->dialect : sd_compare_pick_dialect(from, to);
	comments = (d->caps & SD_CAP_COMMENTS) && !(opts && opts->ignore_comments);

	m->dialect = d->name;
	sd_oplist_init(&m->upgrade, d->name);
	sd_oplist_init(&m->downgrade, d->name);
	maxid = (from->live || to->live) ? d->max_identifier_length : 0;
	if ((rc = check_dialect_features(d, from, err)) || (rc = check_dialect_features(d, to, err)))
		goto done;
	if ((rc = server_equal_defaults(&eqdefs, &pairs, d, from, to, err)))
		goto done;
	nocase = (d->caps & SD_CAP_NOCASE_NAMES) && (schema_has_upper(from) || schema_has_upper(to));
	diff_direction(d, opts, comments, nocase, maxid, &eqdefs, from, to, &m->upgrade);
	diff_direction(d, opts, comments, nocase, maxid, &eqdefs, to, from, &m->downgrade);
	keep_target_context(&m->upgrade, to);
	keep_target_context(&m->downgrade, from);

	ntrig = count_triggers(from, to);
	m->unsupported_seen = ntrig;
	m->unsupported_by_kind[SD_OBJ_TRIGGER] = ntrig;
	sd_dialect_mark_long_locks(d, m);
	/*
	 * Objects an introspector saw but the model does not hold: the larger
	 * of the two sides' counts per kind (both sides usually hold the same
	 * objects; no names to pair them by).
	 */
	for (k = 0; k < SD_OBJ__COUNT; k++) {
		size_t n = from->unheld[k] > to->unheld[k] ? from->unheld[k] : to->unheld[k];

		m->unsupported_by_kind[k] += n;
		m->unsupported_seen += n;
	}
done:
	sd_hmap_release(&eqdefs);
	free(pairs);
	if (rc)
		sd_migration_release(m);
	return rc;
}
