/*
 * cmp_helpers.c - see cmp_helpers.h.
 */
#include <stdlib.h>
#include <string.h>

#include "cmp_helpers.h"

static void names(sd_str *out, const char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sd_str_addf(out, "%s%s", i ? "," : "", v[i]);
}

static void index_def(sd_str *out, const sd_index *ix)
{
	size_t i;

	for (i = 0; i < ix->nelems; i++) {
		const sd_index_elem *e = ix->elems[i];

		sd_str_addf(out, "%s%s%s", i ? "," : "", e->column ? e->column : e->expression,
			    e->desc ? " desc" : "");
	}
}

void cmp_render_op(sd_str *out, const sd_op *op)
{
	static const char *const change_names[] = {
		"type", "nullable", "default", "comment", "autoincrement", "generated", "collation"
	};
	size_t i;
	bool first = true;

	sd_str_add(out, sd_op_kind_name(op->kind));
	if (op->kind == SD_OP_DROP_CONSTRAINT)
		sd_str_addf(out, " %s", sd_constraint_type_name(op->ctype));
	sd_str_addch(out, ' ');
	sd_qualified_name(out, op->schema, op->table);
	switch (op->kind) {
	case SD_OP_ADD_COLUMN:
	case SD_OP_DROP_COLUMN:
		sd_str_addf(out, ".%s", op->column->name);
		break;
	case SD_OP_ALTER_COLUMN:
		sd_str_addf(out, ".%s ", op->column->name);
		for (i = 0; i < SD_ARRAY_LEN(change_names); i++) {
			if (op->changes & (1u << i)) {
				sd_str_addf(out, "%s%s", first ? "" : ",", change_names[i]);
				first = false;
			}
		}
		break;
	case SD_OP_CREATE_INDEX:
	case SD_OP_DROP_INDEX:
		if (op->index->name) {
			sd_str_addf(out, ".%s", op->index->name);
		} else {
			sd_str_add(out, ".[");
			index_def(out, op->index);
			sd_str_addch(out, ']');
		}
		break;
	case SD_OP_CREATE_UNIQUE_CONSTRAINT:
	case SD_OP_CREATE_FOREIGN_KEY:
	case SD_OP_CREATE_CHECK_CONSTRAINT:
	case SD_OP_CREATE_PRIMARY_KEY:
	case SD_OP_DROP_CONSTRAINT: {
		const char *name = op->pk ? op->pk->name : op->unique ? op->unique->name
			: op->fk ? op->fk->name : op->check ? op->check->name : NULL;

		if (name) {
			sd_str_addf(out, ".%s", name);
			break;
		}
		sd_str_add(out, ".[");
		if (op->pk)
			names(out, op->pk->columns, op->pk->ncolumns);
		else if (op->unique)
			names(out, op->unique->columns, op->unique->ncolumns);
		else if (op->check)
			sd_str_add(out, op->check->expression);
		else if (op->fk) {
			names(out, op->fk->columns, op->fk->ncolumns);
			sd_str_addf(out, "->%s(", op->fk->ref_table);
			names(out, op->fk->ref_columns, op->fk->nref_columns);
			sd_str_addch(out, ')');
		}
		sd_str_addch(out, ']');
		break;
	}
	case SD_OP_CREATE_TABLE_COMMENT:
		sd_str_addf(out, " '%s'", op->comment);
		break;
	case SD_OP_CREATE_SEQUENCE:
	case SD_OP_ALTER_SEQUENCE:
	case SD_OP_DROP_SEQUENCE:
		if (op->sequence && op->sequence->owned_by)
			sd_str_addf(out, " owned by %s", op->sequence->owned_by);
		break;
	default:
		break;
	}
	if (op->destructive)
		sd_str_add(out, " !");
}

void cmp_render_list(sd_str *out, const sd_oplist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		cmp_render_op(out, &l->ops[i]);
		sd_str_addch(out, '\n');
	}
}

void cmp_render_migration(sd_str *out, const sd_migration *m)
{
	sd_str_add(out, "upgrade:\n");
	cmp_render_list(out, &m->upgrade);
	sd_str_add(out, "downgrade:\n");
	cmp_render_list(out, &m->downgrade);
}

sd_schema *cmp_clone(const sd_schema *s)
{
	sd_schema *c = sd_schema_new(s->dialect, s->source);
	sd_error err = SD_ERROR_INIT;
	size_t i;

	for (i = 0; i < s->ntables; i++) {
		sd_table *copy = sd_table_copy(c, s->tables[i]);
		sd_table *slot = sd_schema_add_table(c, copy->schema, copy->name);

		*slot = *copy;
	}
	for (i = 0; i < s->nviews; i++)
		sd_schema_add_view(c, s->views[i]->schema, s->views[i]->name, s->views[i]->definition);
	for (i = 0; i < s->ntriggers; i++)
		sd_schema_add_trigger(c, s->triggers[i]->schema, s->triggers[i]->name,
				      s->triggers[i]->table, s->triggers[i]->sql);
	for (i = 0; i < s->nenums; i++) {
		sd_enum *e = sd_schema_add_enum(c, s->enums[i]->schema, s->enums[i]->name);

		*e = *sd_enum_copy(c, s->enums[i]);
	}
	for (i = 0; i < s->nsequences; i++) {
		sd_sequence *q = sd_schema_add_sequence(c, s->sequences[i]->schema,
							s->sequences[i]->name);

		*q = *sd_sequence_copy(c, s->sequences[i]);
	}
	if (sd_schema_finish(c, &err))
		sd_die("clone: %s", err.message);
	return c;
}

/* ---- an equality independent of the comparator ---- */

static int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort the lines in [from, end of out) so set order does not matter. */
static void sort_lines(sd_str *out, size_t from)
{
	char *text = xstrndup(out->ptr + from, out->len - from), *p = text, **lines = NULL;
	size_t n = 0, alloc = 0, i;

	while (*p) {
		char *nl = strchr(p, '\n');

		SD_GROW(lines, n + 1, alloc);
		lines[n++] = p;
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	if (n > 1)
		qsort(lines, n, sizeof(*lines), cmp_strp);
	sd_str_truncate(out, from);
	for (i = 0; i < n; i++)
		sd_str_addf(out, "%s\n", lines[i]);
	free(lines);
	free(text);
}

static void norm(sd_str *out, void (*fn)(sd_str *, const char *), const char *text)
{
	if (text)
		fn(out, text);
	else
		sd_str_add(out, "<null>");
}

/*
 * A canonical dump written without the comparator's code: tables by
 * name, columns by name with canonical type and default, constraints as
 * sets of definitions (names left out: a named and an unnamed constraint
 * with one definition are equal), indexes with names.  Comments and
 * autoincrement AUTO are left out, as the comparator ignores them.
 */
void cmp_canonical_dump(sd_str *out, const sd_schema *s, const sd_dialect *d)
{
	size_t i, j, k, mark;

	for (i = 0; i < s->ntables; i++) {
		const sd_table *t = s->tables[i];

		sd_str_addf(out, "table %s.%s\n", t->schema ? t->schema : "", t->name);
		mark = out->len;
		for (j = 0; j < t->ncolumns; j++) {
			const sd_column *c = t->columns[j];

			sd_str_addf(out, "  column %s ", c->name);
			norm(out, d->normalize_type, c->type);
			sd_str_addf(out, " %s default=", c->nullable ? "null" : "notnull");
			norm(out, d->normalize_default, c->server_default);
			sd_str_add(out, " generated=");
			norm(out, d->normalize_expr, c->generated);
			sd_str_addf(out, " collate=%s\n", c->collation ? c->collation : "");
		}
		if (t->pk) {
			sd_str_add(out, "  pk");
			for (k = 0; k < t->pk->ncolumns; k++)
				sd_str_addf(out, " %s", t->pk->columns[k]);
			sd_str_addch(out, '\n');
		}
		for (j = 0; j < t->nuniques; j++) {
			sd_str_add(out, "  unique");
			for (k = 0; k < t->uniques[j]->ncolumns; k++)
				sd_str_addf(out, " %s", t->uniques[j]->columns[k]);
			sd_str_addch(out, '\n');
		}
		for (j = 0; j < t->nfks; j++) {
			const sd_foreign_key *fk = t->fks[j];

			sd_str_add(out, "  fk");
			for (k = 0; k < fk->ncolumns; k++)
				sd_str_addf(out, " %s", fk->columns[k]);
			sd_str_addf(out, " -> %s(", fk->ref_table);
			for (k = 0; k < fk->nref_columns; k++)
				sd_str_addf(out, " %s", fk->ref_columns[k]);
			sd_str_addf(out, ") del=%s upd=%s def=%d/%d\n",
				    fk->on_delete ? fk->on_delete : "NO ACTION",
				    fk->on_update ? fk->on_update : "NO ACTION", fk->deferrable,
				    fk->initially_deferred);
		}
		for (j = 0; j < t->nchecks; j++) {
			sd_str_add(out, "  check ");
			norm(out, d->normalize_expr, t->checks[j]->expression);
			sd_str_addch(out, '\n');
		}
		for (j = 0; j < t->nindexes; j++) {
			const sd_index *ix = t->indexes[j];

			sd_str_addf(out, "  index %s%s", ix->name ? ix->name : "", ix->unique ? " unique" : "");
			for (k = 0; k < ix->nelems; k++) {
				sd_str_addch(out, ' ');
				if (ix->elems[k]->column)
					sd_str_add(out, ix->elems[k]->column);
				else
					norm(out, d->normalize_expr, ix->elems[k]->expression);
				sd_str_addf(out, "%s", ix->elems[k]->desc ? " desc" : "");
			}
			sd_str_add(out, " where ");
			norm(out, d->normalize_expr, ix->where);
			sd_str_addch(out, '\n');
		}
		sort_lines(out, mark);
	}
	for (i = 0; i < s->nviews; i++) {
		sd_str_addf(out, "view %s ", s->views[i]->name);
		norm(out, d->normalize_expr, s->views[i]->definition);
		sd_str_addch(out, '\n');
	}
}

/* Apply l to a clone of start; it must then compare equal to want. */
static int prove(const sd_schema *start, const sd_oplist *l, const sd_schema *want,
		 const sd_compare_opts *opts, const char *what, sd_str *why)
{
	sd_schema *s = cmp_clone(start);
	sd_error err = SD_ERROR_INIT;
	sd_migration m;
	int rc = -1;

	if (sd_apply_ops(s, l, &err)) {
		sd_str_addf(why, "%s: apply failed: %s (%s)\n", what, err.message,
			    err.path ? err.path : "");
		cmp_render_list(why, l);
		goto done;
	}
	if (sd_compare(&m, s, want, opts, &err)) {
		sd_str_addf(why, "%s: compare failed: %s\n", what, err.message);
		goto done;
	}
	{
		const sd_dialect *d = opts && opts->dialect ? opts->dialect : sd_compare_pick_dialect(s, want);
		sd_str x = SD_STR_INIT, y = SD_STR_INIT;
		bool differ;

		cmp_canonical_dump(&x, s, d);
		cmp_canonical_dump(&y, want, d);
		differ = strcmp(x.ptr, y.ptr) != 0;
		if (differ)
			sd_str_addf(why, "%s: canonical dumps differ:\n--- applied\n%s--- target\n%s",
				    what, x.ptr, y.ptr);
		sd_str_release(&x);
		sd_str_release(&y);
		if (differ)
			goto release;
	}
	if (m.upgrade.n || m.downgrade.n) {
		sd_str_addf(why, "%s: applied schema still differs from the target:\n", what);
		cmp_render_migration(why, &m);
		sd_str_add(why, "ops applied:\n");
		cmp_render_list(why, l);
	} else {
		rc = 0;
	}
release:
	sd_migration_release(&m);
done:
	sd_error_clear(&err);
	sd_schema_free(s);
	return rc;
}

int cmp_roundtrip(const sd_schema *from, const sd_schema *to, const sd_compare_opts *opts,
		  sd_str *why)
{
	sd_error err = SD_ERROR_INIT;
	sd_migration m1, m2;
	sd_str r1 = SD_STR_INIT, r2 = SD_STR_INIT;
	int rc = -1;

	if (sd_compare(&m1, from, to, opts, &err) || sd_compare(&m2, from, to, opts, &err)) {
		sd_str_addf(why, "compare failed: %s\n", err.message);
		sd_error_clear(&err);
		return -1;
	}
	cmp_render_migration(&r1, &m1);
	cmp_render_migration(&r2, &m2);
	if (strcmp(r1.ptr, r2.ptr) != 0) {
		sd_str_addf(why, "not deterministic:\n%s---\n%s", r1.ptr, r2.ptr);
		goto done;
	}
	if (prove(from, &m1.upgrade, to, opts, "upgrade", why) ||
	    prove(to, &m1.downgrade, from, opts, "downgrade", why))
		goto done;
	rc = 0;
done:
	sd_str_release(&r1);
	sd_str_release(&r2);
	sd_migration_release(&m1);
	sd_migration_release(&m2);
	return rc;
}

const sd_dialect *cmp_comment_dialect(void)
{
	static sd_dialect d;

	d = *sd_dialect_find("sqlite");
	d.caps |= SD_CAP_COMMENTS;
	return &d;
}
