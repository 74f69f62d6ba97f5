/*
 * alembic.c - the Alembic emitter ("alembic"): a whole revision file in the
 * layout of Alembic 1.8's script.py.mako, with every op rendered the way
 * Alembic's autogenerate renders it (autogenerate/render.py).
 *
 * Copy-and-move.  Where the dialect cannot make a change with ALTER (no
 * SD_CAP_ALTER_COLUMN / SD_CAP_ADD_CONSTRAINT / SD_CAP_DROP_COLUMN, as on
 * SQLite), consecutive ops of one table go into one
 *
 *     with op.batch_alter_table('t', schema=None, recreate='always',
 *                               copy_from=copy_from) as batch_op:
 *
 * block.  copy_from is the table as it stands at that point, written out
 * in full (sa.Table), never reflected: reflection by SQLAlchemy 1.4 loses
 * unnamed CHECKs, AUTOINCREMENT and exact type text.  The emitter knows
 * each table's state because it replays the ops over the table as the
 * other direction's op list carries it (the downgrade's target is the
 * upgrade's source).
 *
 * Unnamed constraints, so that no op ever needs a None name:
 *   - dropping one: copy_from gives it a placeholder name ("sd_unnamed_1")
 *     and batch_op.drop_constraint drops it by that name in the same block;
 *     the placeholder never reaches the database;
 *   - creating an unnamed CHECK, UNIQUE or PRIMARY KEY: passed in
 *     table_args=(...) of the batch (Alembic's documented way; batch_op's
 *     create_* refuse unnamed constraints); an unnamed FOREIGN KEY goes into
 *     copy_from itself (a table_args FK cannot resolve its referent), with a
 *     comment saying so.
 * The copy-and-move drops the old table, and with it its indexes and
 * triggers; views naming the table would break the rename.  So views and
 * triggers that name the table are dropped before the block and, with the
 * table's indexes, re-created after it.  Dropping a parent table with
 * PRAGMA foreign_keys=ON deletes (or nulls) its children's rows through
 * ON DELETE actions, so a body holding a copy-and-move turns foreign keys
 * off first -- in an autocommit block, since the pragma is a no-op inside
 * a transaction -- and back on at the end.
 *
 * Without revision metadata (ctx->rev NULL) the file gets a placeholder
 * revision id "000000000000", no down revision, an empty message and date.
 */
#include <stdlib.h>
#include <string.h>

#include "schemadiff/emit.h"
#include "schemadiff/sqltok.h"
#include "emit/pylit.h"
#include "emit/sql_alter.h"

#define PLACEHOLDER_REV "000000000000"

typedef struct dir_state {
	sd_table **tables;          /* current tables (copies in al_state.st) */
	size_t ntables, atables;
	const sd_view **views;
	size_t nviews, aviews;
	const sd_trigger **trigs;
	size_t ntrigs, atrigs;
	sd_str body;                /* the function body, indented lines */
	bool any;                   /* an op was rendered */
	bool fk_off;                /* a copy-and-move was rendered */
} dir_state;

typedef struct al_state {
	const sd_dialect *d;
	sd_schema *st;              /* owns the copies of the state */
	dir_state dir[2];           /* [0] upgrade, [1] downgrade */
	unsigned imports;
	const sd_op **group;        /* pending copy-and-move ops of one table */
	size_t ngroup, agroup;
	int gdir;
	unsigned synth;             /* placeholder-name counter */
} al_state;

/* ---- small helpers ------------------------------------------------------ */

static bool same_table(const char *s1, const char *t1, const char *s2, const char *t2)
{
	return sd_streq(s1, s2) && sd_streq(t1, t2);
}

/* Does the SQL text name ident (as a bare or quoted identifier token)? */
static bool mentions(const char *sql, const char *ident)
{
	sd_lexer lx;
	sd_str v = SD_STR_INIT;
	bool found = false;

	if (!sql || !ident)
		return false;
	sd_lexer_init(&lx, sql, strlen(sql));
	for (;;) {
		sd_tok t = sd_lexer_next(&lx);

		if (t.kind == SD_TOK_EOF || t.kind == SD_TOK_ERROR)
			break;
		if (t.kind != SD_TOK_IDENT && t.kind != SD_TOK_QIDENT && t.kind != SD_TOK_STRING)
			continue;
		sd_str_reset(&v);
		if (t.kind == SD_TOK_STRING)
			sd_str_addn(&v, t.start + 1, t.len >= 2 ? t.len - 2 : 0);
		else
			sd_tok_ident_value(&t, &v);
		if (sd_strcasecmp(v.ptr, ident) == 0) {
			found = true;
			break;
		}
	}
	sd_str_release(&v);
	return found;
}

static bool names_has(const char *const *names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (sd_strcasecmp(names[i], name) == 0)
			return true;
	return false;
}

static bool names_eq(const char *const *a, size_t na, const char *const *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (!sd_streq(a[i], b[i]))
			return false;
	return true;
}

static bool unique_eq(const sd_unique *a, const sd_unique *b)
{
	return sd_streq(a->name, b->name) &&
	       names_eq(a->columns, a->ncolumns, b->columns, b->ncolumns);
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

/* Python: a list of string literals, ['a', 'b'] */
static void py_list(sd_str *b, const char *const *names, size_t n)
{
	sd_str_addch(b, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			sd_str_add(b, ", ");
		sd_py_str(b, names[i]);
	}
	sd_str_addch(b, ']');
}

/* Python: None, 'a', or ('a', 'b') (one_as_tuple: ('a',)) */
static void py_names(sd_str *b, const char *const *names, size_t n, bool one_as_tuple)
{
	if (n == 0) {
		sd_str_add(b, "None");
		return;
	}
	if (n == 1 && !one_as_tuple) {
		sd_py_str(b, names[0]);
		return;
	}
	sd_str_addch(b, '(');
	for (size_t i = 0; i < n; i++) {
		if (i)
			sd_str_add(b, ", ");
		sd_py_str(b, names[i]);
	}
	if (n == 1)
		sd_str_addch(b, ',');
	sd_str_addch(b, ')');
}

static void sa_text(sd_str *b, const char *sql)
{
	sd_str_add(b, "sa.text(");
	sd_py_str(b, sql);
	sd_str_addch(b, ')');
}

/* op.execute('...') with SQL built from quoted identifiers */
static void render_execute(sd_str *b, const char *sql)
{
	sd_str_add(b, "op.execute(");
	sd_py_str(b, sql);
	sd_str_addch(b, ')');
}

/* The same for a statement the SQL format wrote into sql (its ";\n" dropped); releases sql. */
static void render_execute_stmt(sd_str *b, sd_str *sql)
{
	while (sql->len && (sql->ptr[sql->len - 1] == '\n' || sql->ptr[sql->len - 1] == ';'))
		sd_str_truncate(sql, sql->len - 1);
	render_execute(b, sql->ptr);
	sd_str_release(sql);
}

static void add_indent(sd_str *b, int level)
{
	for (int i = 0; i < level; i++)
		sd_str_add(b, "    ");
}

/* ---- rendering objects -------------------------------------------------- */

/* The type of c, with its collation as the type's collation= argument. */
static void render_type(al_state *s, sd_str *b, const char *type, const char *collation)
{
	sd_str t = SD_STR_INIT;

	s->d->alembic_type(&t, type, &s->imports);
	if (collation && t.len >= 2 && t.ptr[t.len - 1] == ')') {
		bool empty = t.ptr[t.len - 2] == '(';

		sd_str_truncate(&t, t.len - 1);
		sd_str_add(&t, empty ? "collation=" : ", collation=");
		sd_py_str(&t, collation);
		sd_str_addch(&t, ')');
	}
	sd_str_add(b, t.ptr);
	sd_str_release(&t);
}

/* sa.Column('c', sa.INTEGER(), server_default=sa.text('0'), nullable=False) */
static void render_column(al_state *s, sd_str *b, const sd_column *c)
{
	sd_str_add(b, "sa.Column(");
	sd_py_str(b, c->name);
	sd_str_add(b, ", ");
	render_type(s, b, c->type, c->collation);
	if (c->autoincrement == SD_AUTOINC_TRUE && (s->d->caps & SD_CAP_IDENTITY))
		sd_str_add(b, ", sa.Identity(always=False)");
	if (c->generated) {
		sd_str_add(b, ", sa.Computed(");
		sd_py_str(b, c->generated);
		sd_str_add(b, c->generated_stored ? ", persisted=True)" : ", persisted=False)");
	}
	if (c->server_default) {
		sd_str_add(b, ", server_default=");
		sa_text(b, c->server_default);
	}
	sd_str_add(b, c->nullable ? ", nullable=True" : ", nullable=False");
	if (c->comment) {
		sd_str_add(b, ", comment=");
		sd_py_str(b, c->comment);
	}
	sd_str_addch(b, ')');
}

static void fk_options(sd_str *b, const sd_foreign_key *fk)
{
	if (fk->on_update) {
		sd_str_add(b, ", onupdate=");
		sd_py_str(b, fk->on_update);
	}
	if (fk->on_delete) {
		sd_str_add(b, ", ondelete=");
		sd_py_str(b, fk->on_delete);
	}
	if (fk->initially_deferred)
		sd_str_add(b, ", initially='DEFERRED'");
	if (fk->deferrable)
		sd_str_add(b, ", deferrable=True");
	if (fk->match) {
		sd_str_add(b, ", match=");
		sd_py_str(b, fk->match);
	}
}

/* sa.ForeignKeyConstraint(['a'], ['p.id'], name='fk', ondelete='CASCADE') */
static void render_fk(sd_str *b, const sd_foreign_key *fk)
{
	sd_str_add(b, "sa.ForeignKeyConstraint(");
	py_list(b, fk->columns, fk->ncolumns);
	sd_str_add(b, ", [");
	for (size_t i = 0; i < fk->nref_columns; i++) {
		sd_str spec = SD_STR_INIT;

		if (fk->ref_schema)
			sd_str_addf(&spec, "%s.", fk->ref_schema);
		sd_str_addf(&spec, "%s.%s", fk->ref_table, fk->ref_columns[i]);
		if (i)
			sd_str_add(b, ", ");
		sd_py_str(b, spec.ptr);
		sd_str_release(&spec);
	}
	sd_str_addch(b, ']');
	if (fk->name) {
		sd_str_add(b, ", name=");
		sd_py_str(b, fk->name);
	}
	fk_options(b, fk);
	sd_str_addch(b, ')');
}

/* sa.PrimaryKeyConstraint('a', 'b', name=...) and sa.UniqueConstraint(...): same shape. */
static void render_column_constraint(sd_str *b, const char *ctor, const char *const *cols,
				     size_t n, const char *name)
{
	sd_str_add(b, ctor);
	sd_str_addch(b, '(');
	for (size_t i = 0; i < n; i++) {
		if (i)
			sd_str_add(b, ", ");
		sd_py_str(b, cols[i]);
	}
	if (name) {
		sd_str_add(b, n ? ", name=" : "name=");
		sd_py_str(b, name);
	}
	sd_str_addch(b, ')');
}

static void render_pk(sd_str *b, const sd_primary_key *pk)
{
	render_column_constraint(b, "sa.PrimaryKeyConstraint", pk->columns, pk->ncolumns, pk->name);
}

static void render_unique(sd_str *b, const sd_unique *u)
{
	render_column_constraint(b, "sa.UniqueConstraint", u->columns, u->ncolumns, u->name);
}

static void render_check(sd_str *b, const sd_check *c)
{
	sd_str_add(b, "sa.CheckConstraint(");
	sd_py_str(b, c->expression);
	if (c->name) {
		sd_str_add(b, ", name=");
		sd_py_str(b, c->name);
	}
	sd_str_addch(b, ')');
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The unique constraints with NULLS NOT DISTINCT of t, which
 * render_table_args leaves out: one op.execute() of ALTER TABLE ... ADD
 * CONSTRAINT ... UNIQUE NULLS NOT DISTINCT (...) each, at level, after
 * the op.create_table.  SQLAlchemy 1.4 has no postgresql_nulls_not_distinct
 * (it came with 2.0), and an unknown dialect keyword is an error there.
 */
static void render_nnd_uniques(al_state *s, sd_str *b, const char *schema, const sd_table *t,
			       int level)
{
	for (size_t i = 0; i < t->nuniques; i++) {
		sd_str sql = SD_STR_INIT;

		if (!t->uniques[i]->nulls_not_distinct)
			continue;
		sd_sql_pg_add_unique(s->d, &sql, schema, t->name, t->uniques[i]);
		sd_str_addch(b, '\n');
		add_indent(b, level);
		render_execute_stmt(b, &sql);
	}
}

/*
 * The arguments of op.create_table / sa.Table after the name, one per line
 * at level: columns, then constraints sorted by their text (as Alembic
 * does), then schema, comment and the dialect's table options.
 */
static void render_table_args(al_state *s, sd_str *b, const sd_table *t, int level)
{
	char **cons = NULL;
	size_t ncons = 0, acons = 0, i;
	bool autoinc = false;

	for (i = 0; i < t->ncolumns; i++) {
		sd_str_add(b, ",\n");
		add_indent(b, level);
		render_column(s, b, t->columns[i]);
		if (t->columns[i]->autoincrement == SD_AUTOINC_TRUE &&
		    !(s->d->caps & SD_CAP_IDENTITY))
			autoinc = true;
	}
	for (i = 0; i < t->nchecks + t->nfks + t->nuniques + (t->pk ? 1 : 0); i++) {
		sd_str c = SD_STR_INIT;

		if (i < t->nchecks)
			render_check(&c, t->checks[i]);
		else if (i < t->nchecks + t->nfks)
			render_fk(&c, t->fks[i - t->nchecks]);
		else if (i < t->nchecks + t->nfks + t->nuniques) {
			/* NULLS NOT DISTINCT: added after the table (render_nnd_uniques) */
			if (t->uniques[i - t->nchecks - t->nfks]->nulls_not_distinct)
				continue;
			render_unique(&c, t->uniques[i - t->nchecks - t->nfks]);
		} else
			render_pk(&c, t->pk);
		SD_GROW(cons, ncons + 1, acons);
		cons[ncons++] = sd_str_detach(&c);
	}
	if (ncons)
		qsort(cons, ncons, sizeof(*cons), cmp_str);
	for (i = 0; i < ncons; i++) {
		sd_str_add(b, ",\n");
		add_indent(b, level);
		sd_str_add(b, cons[i]);
		free(cons[i]);
	}
	free(cons);
	if (t->schema) {
		sd_str_add(b, ",\n");
		add_indent(b, level);
		sd_str_add(b, "schema=");
		sd_py_str(b, t->schema);
	}
	if (t->comment) {
		sd_str_add(b, ",\n");
		add_indent(b, level);
		sd_str_add(b, "comment=");
		sd_py_str(b, t->comment);
	}
	if (autoinc) {
		sd_str_add(b, ",\n");
		add_indent(b, level);
		sd_str_addf(b, "%s_autoincrement=True", s->d->name);
	}
	if (t->without_rowid) {
		sd_str_add(b, ",\n");
		add_indent(b, level);
		sd_str_addf(b, "%s_with_rowid=False", s->d->name);
	}
}

/* One index element: 'c', or sa.text(...) for expressions, DESC, COLLATE, NULLS. */
static void render_index_elem(al_state *s, sd_str *b, const sd_index_elem *e)
{
	sd_str sql = SD_STR_INIT;

	if (e->column && !e->desc && !e->collation && !e->nulls) {
		sd_py_str(b, e->column);
		return;
	}
	if (e->column)
		s->d->quote_ident(&sql, e->column);
	else
		sd_str_add(&sql, e->expression ? e->expression : "");
	if (e->collation) {
		sd_str_add(&sql, " COLLATE ");
		s->d->quote_ident(&sql, e->collation);
	}
	if (e->desc)
		sd_str_add(&sql, " DESC");
	if (e->nulls)
		sd_str_addf(&sql, " NULLS %s", e->nulls);
	sa_text(b, sql.ptr);
	sd_str_release(&sql);
}

/* A column's name or an expression's text. */
static const char *elem_text(const sd_index_elem *e)
{
	return e->column ? e->column : e->expression ? e->expression : "";
}

/*
 * The key SQLAlchemy matches postgresql_ops against for element e as
 * render_index_elem writes it: a column's name (the key of the Column that
 * Alembic's op.create_index makes of a string), or an expression's text
 * (Alembic wraps sa.text() in a _textual_index_element whose key is the
 * text).  NULL when the element's text carries more than the column or
 * expression (COLLATE, DESC, NULLS): SQLAlchemy appends the operator class
 * after the whole element, where it would land after DESC.
 */
static const char *ops_key(const sd_index_elem *e)
{
	return e->collation || e->desc || e->nulls ? NULL : elem_text(e);
}

/*
 * Can op.create_index (SQLAlchemy 1.4) build ix exactly?  Not with NULLS NOT
 * DISTINCT (postgresql_nulls_not_distinct came with SQLAlchemy 2.0), nor
 * with an operator class postgresql_ops cannot put in place: on an element
 * with COLLATE/DESC/NULLS, or under a key another element shares (the dict
 * would give both the class).
 */
static bool index_needs_sql(const sd_index *ix)
{
	if (ix->nulls_not_distinct)
		return true;
	for (size_t i = 0; i < ix->nelems; i++) {
		const char *k;

		if (!ix->elems[i]->opclass)
			continue;
		if (!(k = ops_key(ix->elems[i])))
			return true;
		for (size_t j = 0; j < ix->nelems; j++)
			if (j != i && strcmp(elem_text(ix->elems[j]), k) == 0)
				return true;
	}
	return false;
}

static void render_create_index(al_state *s, sd_str *b, const char *schema, const char *table,
				const sd_index *ix)
{
	bool ops = false;

	if (index_needs_sql(ix)) {
		/* SQLAlchemy 1.4 cannot say it (index_needs_sql): the SQL format's statement */
		sd_str sql = SD_STR_INIT;

		sd_sql_pg_create_index(s->d, &sql, schema, table, ix);
		render_execute_stmt(b, &sql);
		return;
	}
	sd_str_add(b, "op.create_index(");
	sd_py_str(b, ix->name);
	sd_str_add(b, ", ");
	sd_py_str(b, table);
	sd_str_add(b, ", [");
	for (size_t i = 0; i < ix->nelems; i++) {
		if (i)
			sd_str_add(b, ", ");
		render_index_elem(s, b, ix->elems[i]);
	}
	sd_str_add(b, ix->unique ? "], unique=True" : "], unique=False");
	if (schema) {
		sd_str_add(b, ", schema=");
		sd_py_str(b, schema);
	}
	if (ix->where) {
		sd_str_addf(b, ", %s_where=", s->d->name);
		sa_text(b, ix->where);
	}
	/* Dialect keyword arguments as SQLAlchemy spells them (postgresql_using=...). */
	if (ix->method) {
		sd_str_addf(b, ", %s_using=", s->d->name);
		sd_py_str(b, ix->method);
	}
	if (ix->ninclude) {
		sd_str_addf(b, ", %s_include=[", s->d->name);
		for (size_t i = 0; i < ix->ninclude; i++) {
			if (i)
				sd_str_add(b, ", ");
			sd_py_str(b, ix->include[i]);
		}
		sd_str_addch(b, ']');
	}
	/* operator classes: {key: class}, keys as ops_key says, in element order */
	for (size_t i = 0; i < ix->nelems; i++) {
		const sd_index_elem *e = ix->elems[i];

		if (!e->opclass)
			continue;
		sd_str_addf(b, ops ? ", " : ", %s_ops={", s->d->name);
		ops = true;
		sd_py_str(b, ops_key(e));
		sd_str_add(b, ": ");
		sd_py_str(b, e->opclass);
	}
	if (ops)
		sd_str_addch(b, '}');
	sd_str_addch(b, ')');
}

static void qualified(al_state *s, sd_str *sql, const char *schema, const char *name)
{
	if (schema) {
		s->d->quote_ident(sql, schema);
		sd_str_addch(sql, '.');
	}
	s->d->quote_ident(sql, name);
}

/* Ops on an object that is not a table (op->table names the view, enum or sequence). */
static bool not_table_op(const sd_op *op)
{
	switch (op->kind) {
	case SD_OP_CREATE_VIEW:
	case SD_OP_DROP_VIEW:
	case SD_OP_CREATE_ENUM:
	case SD_OP_DROP_ENUM:
	case SD_OP_ADD_ENUM_VALUE:
	case SD_OP_CREATE_SEQUENCE:
	case SD_OP_DROP_SEQUENCE:
	case SD_OP_ALTER_SEQUENCE:
		return true;
	default:
		return false;
	}
}

/*
 * Enum and sequence ops: op.execute() of the statement the SQL format
 * writes (sd_sql_pg_object), minus its ";\n".  Only for a dialect with
 * SD_CAP_TYPES_SEQUENCES (the caller checks).
 */
static void render_pg_object(al_state *s, sd_str *b, const sd_op *op)
{
	sd_str sql = SD_STR_INIT;

	sd_sql_pg_object(s->d, &sql, op);
	render_execute_stmt(b, &sql);
}

static void render_view(al_state *s, sd_str *b, const sd_view *v, bool create)
{
	sd_str sql = SD_STR_INIT;

	sd_str_add(&sql, create ? "CREATE " : "DROP ");
	sd_str_add(&sql, v->materialized ? "MATERIALIZED VIEW " : "VIEW ");
	qualified(s, &sql, v->schema, v->name);
	if (create)
		sd_str_addf(&sql, " AS %s", v->definition ? v->definition : "");
	render_execute(b, sql.ptr);
	sd_str_release(&sql);
}

static void render_trigger(al_state *s, sd_str *b, const sd_trigger *t, bool create)
{
	sd_str sql = SD_STR_INIT;

	if (create) {
		sd_str_add(&sql, t->sql ? t->sql : "");
	} else {
		sd_str_add(&sql, "DROP TRIGGER IF EXISTS ");
		qualified(s, &sql, t->schema, t->name);
	}
	render_execute(b, sql.ptr);
	sd_str_release(&sql);
}

/* ---- the state: each table as it stands at the current op ---------------- */

static sd_table **find_state(dir_state *ds, const char *schema, const char *name)
{
	for (size_t i = 0; i < ds->ntables; i++)
		if (same_table(ds->tables[i]->schema, ds->tables[i]->name, schema, name))
			return &ds->tables[i];
	return NULL;
}

static void state_add_table(al_state *s, dir_state *ds, const sd_table *def)
{
	sd_table **slot = find_state(ds, def->schema, def->name);
	sd_table *t = sd_table_copy(s->st, def);

	if (slot) {
		*slot = t;
		return;
	}
	SD_GROW(ds->tables, ds->ntables + 1, ds->atables);
	ds->tables[ds->ntables++] = t;
}

static void state_remove_table(dir_state *ds, const char *schema, const char *name)
{
	sd_table **slot = find_state(ds, schema, name);
	size_t i, j;

	if (slot) {
		i = (size_t)(slot - ds->tables);
		memmove(&ds->tables[i], &ds->tables[i + 1], (ds->ntables - i - 1) * sizeof(*ds->tables));
		ds->ntables--;
	}
	for (i = j = 0; i < ds->ntrigs; i++) /* SQLite drops a table's triggers with it */
		if (!same_table(ds->trigs[i]->schema, ds->trigs[i]->table, schema, name))
			ds->trigs[j++] = ds->trigs[i];
	ds->ntrigs = j;
}

/*
 * The direction's starting state: the other direction's target.  Its ops
 * carry each table they touch as it is there (table_def), except tables the
 * other direction drops (not in its target).
 */
static void state_init(al_state *s, dir_state *ds, const sd_oplist *other)
{
	size_t i, j;

	for (i = 0; i < other->n; i++) {
		const sd_op *op = &other->ops[i];
		bool dropped = false, full = false;

		if (!op->table_def || op->kind == SD_OP_CREATE_VIEW || op->kind == SD_OP_DROP_VIEW)
			continue;
		if (find_state(ds, op->schema, op->table))
			continue;
		for (j = 0; j < other->n; j++) {
			const sd_op *o = &other->ops[j];

			if (!same_table(o->schema, o->table, op->schema, op->table) ||
			    o->kind == SD_OP_CREATE_VIEW || o->kind == SD_OP_DROP_VIEW)
				continue;
			if (o->kind == SD_OP_DROP_TABLE)
				dropped = true;
			else if (o->kind != SD_OP_CREATE_TABLE && o->table_def && !full) {
				op = o;
				full = true;
			}
		}
		if (!dropped)
			state_add_table(s, ds, op->table_def);
	}
	for (i = 0; i < other->ntarget_views; i++) {
		SD_GROW(ds->views, ds->nviews + 1, ds->aviews);
		ds->views[ds->nviews++] = other->target_views[i];
	}
	for (i = 0; i < other->ntarget_triggers; i++) {
		SD_GROW(ds->trigs, ds->ntrigs + 1, ds->atrigs);
		ds->trigs[ds->ntrigs++] = other->target_triggers[i];
	}
}

#define PUSH(s, arr, n, item) sd_arena_push((s)->st->arena, (void ***)&(arr), &(n), (void *)(item))

static void remove_at(void **arr, size_t *n, size_t i)
{
	memmove(&arr[i], &arr[i + 1], (*n - i - 1) * sizeof(*arr));
	(*n)--;
}

/* Replay op over the state (tolerant: what is not there is ignored). */
static void state_apply(al_state *s, dir_state *ds, const sd_op *op)
{
	sd_table **slot = NULL, *t = NULL;
	size_t i;

	if (!not_table_op(op) && op->table) {
		slot = find_state(ds, op->schema, op->table);
		t = slot ? *slot : NULL;
	}
	switch (op->kind) {
	case SD_OP_CREATE_TABLE:
		if (op->table_def)
			state_add_table(s, ds, op->table_def);
		break;
	case SD_OP_DROP_TABLE:
		state_remove_table(ds, op->schema, op->table);
		break;
	case SD_OP_ADD_COLUMN:
		if (t && op->column)
			PUSH(s, t->columns, t->ncolumns, sd_column_copy(s->st, op->column));
		break;
	case SD_OP_DROP_COLUMN:
	case SD_OP_ALTER_COLUMN:
		if (!t || !op->column)
			break;
		for (i = 0; i < t->ncolumns; i++) {
			if (!sd_streq(t->columns[i]->name, op->column->name))
				continue;
			if (op->kind == SD_OP_ALTER_COLUMN)
				t->columns[i] = sd_column_copy(s->st, op->column);
			else
				remove_at((void **)t->columns, &t->ncolumns, i);
			break;
		}
		break;
	case SD_OP_CREATE_INDEX:
		if (t && op->index)
			PUSH(s, t->indexes, t->nindexes, sd_index_copy(s->st, op->index));
		break;
	case SD_OP_DROP_INDEX:
		for (i = 0; t && op->index && i < t->nindexes; i++) {
			if (sd_streq(t->indexes[i]->name, op->index->name)) {
				remove_at((void **)t->indexes, &t->nindexes, i);
				break;
			}
		}
		break;
	case SD_OP_CREATE_UNIQUE_CONSTRAINT:
		if (t && op->unique)
			PUSH(s, t->uniques, t->nuniques, sd_unique_copy(s->st, op->unique));
		break;
	case SD_OP_CREATE_FOREIGN_KEY:
		if (t && op->fk)
			PUSH(s, t->fks, t->nfks, sd_fk_copy(s->st, op->fk));
		break;
	case SD_OP_CREATE_CHECK_CONSTRAINT:
		if (t && op->check)
			PUSH(s, t->checks, t->nchecks, sd_check_copy(s->st, op->check));
		break;
	case SD_OP_CREATE_PRIMARY_KEY:
		if (t && op->pk)
			t->pk = sd_pk_copy(s->st, op->pk);
		break;
	case SD_OP_DROP_CONSTRAINT:
		if (!t)
			break;
		if (op->ctype == SD_CONSTRAINT_PRIMARY) {
			t->pk = NULL;
		} else if (op->ctype == SD_CONSTRAINT_UNIQUE && op->unique) {
			for (i = 0; i < t->nuniques; i++)
				if (op->unique->name ? sd_streq(t->uniques[i]->name, op->unique->name)
						     : unique_eq(t->uniques[i], op->unique)) {
					remove_at((void **)t->uniques, &t->nuniques, i);
					break;
				}
		} else if (op->ctype == SD_CONSTRAINT_FOREIGN_KEY && op->fk) {
			for (i = 0; i < t->nfks; i++)
				if (op->fk->name ? sd_streq(t->fks[i]->name, op->fk->name)
						 : fk_eq(t->fks[i], op->fk)) {
					remove_at((void **)t->fks, &t->nfks, i);
					break;
				}
		} else if (op->ctype == SD_CONSTRAINT_CHECK && op->check) {
			for (i = 0; i < t->nchecks; i++)
				if (op->check->name ? sd_streq(t->checks[i]->name, op->check->name)
						    : check_eq(t->checks[i], op->check)) {
					remove_at((void **)t->checks, &t->nchecks, i);
					break;
				}
		}
		break;
	case SD_OP_CREATE_TABLE_COMMENT:
	case SD_OP_DROP_TABLE_COMMENT:
		if (t)
			t->comment = op->comment;
		break;
	case SD_OP_CREATE_VIEW:
		if (op->view) {
			SD_GROW(ds->views, ds->nviews + 1, ds->aviews);
			ds->views[ds->nviews++] = op->view;
		}
		break;
	case SD_OP_DROP_VIEW:
		for (i = 0; op->view && i < ds->nviews; i++) {
			if (same_table(ds->views[i]->schema, ds->views[i]->name, op->view->schema,
				       op->view->name)) {
				memmove(&ds->views[i], &ds->views[i + 1],
					(ds->nviews - i - 1) * sizeof(*ds->views));
				ds->nviews--;
				break;
			}
		}
		break;
	case SD_OP_CREATE_ENUM:
	case SD_OP_DROP_ENUM:
	case SD_OP_ADD_ENUM_VALUE:
	case SD_OP_CREATE_SEQUENCE:
	case SD_OP_DROP_SEQUENCE:
	case SD_OP_ALTER_SEQUENCE:
		break;                /* no table changes */
	case SD_OP__COUNT:
		break;
	}
}

/* ---- which ops need the copy-and-move ------------------------------------ */

/* A default SQLite's ADD COLUMN accepts: a literal, not an expression. */
static bool constant_default(const char *d)
{
	sd_lexer lx;
	sd_tok t;

	sd_lexer_init(&lx, d, strlen(d));
	t = sd_lexer_next(&lx);
	if (t.kind == SD_TOK_OP && t.len == 1 && (t.start[0] == '-' || t.start[0] == '+'))
		t = sd_lexer_next(&lx);
	if (!(t.kind == SD_TOK_NUMBER || t.kind == SD_TOK_STRING || t.kind == SD_TOK_BLOB ||
	      sd_tok_is(&t, "NULL") || sd_tok_is(&t, "TRUE") || sd_tok_is(&t, "FALSE")))
		return false;
	return sd_lexer_next(&lx).kind == SD_TOK_EOF;
}

/* Is column name used by anything a plain ALTER TABLE DROP COLUMN refuses? */
static bool column_in_use(const dir_state *ds, const sd_table *t, const char *name)
{
	size_t i, j;

	if (t->pk && names_has(t->pk->columns, t->pk->ncolumns, name))
		return true;
	for (i = 0; i < t->nuniques; i++)
		if (names_has(t->uniques[i]->columns, t->uniques[i]->ncolumns, name))
			return true;
	for (i = 0; i < t->nfks; i++)
		if (names_has(t->fks[i]->columns, t->fks[i]->ncolumns, name))
			return true;
	for (i = 0; i < t->nchecks; i++)
		if (mentions(t->checks[i]->expression, name))
			return true;
	for (i = 0; i < t->ncolumns; i++)
		if (mentions(t->columns[i]->generated, name))
			return true;
	for (i = 0; i < t->nindexes; i++) {
		const sd_index *ix = t->indexes[i];

		if (mentions(ix->where, name))
			return true;
		for (j = 0; j < ix->nelems; j++)
			if ((ix->elems[j]->column && sd_strcasecmp(ix->elems[j]->column, name) == 0) ||
			    mentions(ix->elems[j]->expression, name))
				return true;
	}
	for (i = 0; i < ds->nviews; i++)
		if (mentions(ds->views[i]->definition, name))
			return true;
	for (i = 0; i < ds->ntrigs; i++)
		if (mentions(ds->trigs[i]->sql, name))
			return true;
	/* another table's FK naming this column of t */
	for (i = 0; i < ds->ntables; i++)
		for (j = 0; j < ds->tables[i]->nfks; j++) {
			const sd_foreign_key *fk = ds->tables[i]->fks[j];

			if (sd_streq(fk->ref_table, t->name) &&
			    names_has(fk->ref_columns, fk->nref_columns, name))
				return true;
		}
	return false;
}

static bool needs_batch(al_state *s, dir_state *ds, const sd_op *op)
{
	unsigned caps = s->d->caps;
	sd_table **slot;

	switch (op->kind) {
	case SD_OP_ALTER_COLUMN:
		return !(caps & SD_CAP_ALTER_COLUMN);
	case SD_OP_ADD_COLUMN:
		if (caps & SD_CAP_ALTER_COLUMN)
			return false;
		if (!op->column)
			return false;
		if (op->column->generated && op->column->generated_stored)
			return true;
		if (op->column->server_default)
			return !constant_default(op->column->server_default);
		return !op->column->nullable;
	case SD_OP_DROP_COLUMN:
		if (!(caps & SD_CAP_DROP_COLUMN))
			return true;
		if (caps & SD_CAP_ALTER_COLUMN)
			return false;
		slot = find_state(ds, op->schema, op->table);
		return !slot || !op->column || column_in_use(ds, *slot, op->column->name);
	case SD_OP_CREATE_UNIQUE_CONSTRAINT:
	case SD_OP_CREATE_FOREIGN_KEY:
	case SD_OP_CREATE_CHECK_CONSTRAINT:
	case SD_OP_CREATE_PRIMARY_KEY:
	case SD_OP_DROP_CONSTRAINT:
		return !(caps & SD_CAP_ADD_CONSTRAINT);
	default:
		return false;
	}
}

/* ---- rendering ops ------------------------------------------------------ */

static const char *constraint_name(const sd_op *op)
{
	switch (op->ctype) {
	case SD_CONSTRAINT_UNIQUE:
		return op->unique ? op->unique->name : NULL;
	case SD_CONSTRAINT_FOREIGN_KEY:
		return op->fk ? op->fk->name : NULL;
	case SD_CONSTRAINT_CHECK:
		return op->check ? op->check->name : NULL;
	case SD_CONSTRAINT_PRIMARY:
		return op->pk ? op->pk->name : NULL;
	case SD_CONSTRAINT_NONE:
		break;
	}
	return NULL;
}

static int op_error(const sd_op *op, sd_error *err, const char *why)
{
	sd_str path = SD_STR_INIT;

	sd_qualified_name(&path, op->schema, op->table ? op->table : "");
	sd_error_set_path(err, path.ptr);
	sd_str_release(&path);
	return sd_error_set(err, SD_EINPUT, "cannot write %s op as Alembic: %s",
			    sd_op_kind_name(op->kind), why);
}

/* ", schema='s'" when set */
static void schema_kw(sd_str *b, const char *kw, const char *schema)
{
	if (!schema)
		return;
	sd_str_addf(b, ", %s=", kw);
	sd_py_str(b, schema);
}

static void render_alter_column(al_state *s, sd_str *b, const sd_op *op, bool batch)
{
	const sd_column *a = op->old_column, *c = op->column;
	unsigned ch = op->changes;
	const char *ind = ",\n               "; /* Alembic's 11 spaces past the 4 of the body */

	if (batch) {
		sd_str_add(b, "batch_op.alter_column(");
		ind = ",\n                     ";
	} else {
		sd_str_add(b, "op.alter_column(");
		sd_py_str(b, op->table);
		sd_str_add(b, ", ");
	}
	sd_py_str(b, c->name);
	sd_str_add(b, ind);
	sd_str_add(b, "existing_type=");
	render_type(s, b, a->type, a->collation);
	if (ch & SD_CHANGE_DEFAULT) {
		sd_str_add(b, ind);
		sd_str_add(b, "server_default=");
		if (c->server_default)
			sa_text(b, c->server_default);
		else
			sd_str_add(b, "None");
	}
	if (ch & (SD_CHANGE_TYPE | SD_CHANGE_COLLATION)) {
		sd_str_add(b, ind);
		sd_str_add(b, "type_=");
		render_type(s, b, c->type, c->collation);
		if (!batch && (ch & SD_CHANGE_TYPE) && (s->d->caps & SD_CAP_ALTER_COLUMN) &&
		    sd_sql_type_change_needs_cast(s->d, a->type, c->type)) {
			sd_str u = SD_STR_INIT;

			s->d->quote_ident(&u, c->name);
			sd_str_addf(&u, "::%s", c->type);
			sd_str_add(b, ind);
			sd_str_addf(b, "%s_using=", s->d->name);
			sd_py_str(b, u.ptr);
			sd_str_release(&u);
		}
	}
	if (ch & SD_CHANGE_NULLABLE) {
		sd_str_add(b, ind);
		sd_str_add(b, c->nullable ? "nullable=True" : "nullable=False");
	}
	if (ch & SD_CHANGE_COMMENT) {
		sd_str_add(b, ind);
		sd_str_add(b, "comment=");
		sd_py_str(b, c->comment);
	}
	if (a->comment) {
		sd_str_add(b, ind);
		sd_str_add(b, "existing_comment=");
		sd_py_str(b, a->comment);
	}
	if (!(ch & SD_CHANGE_NULLABLE)) {
		sd_str_add(b, ind);
		sd_str_add(b, a->nullable ? "existing_nullable=True" : "existing_nullable=False");
	}
	if (!(ch & SD_CHANGE_DEFAULT) && a->server_default) {
		sd_str_add(b, ind);
		sd_str_add(b, "existing_server_default=");
		sa_text(b, a->server_default);
	}
	if (!batch && op->schema) {
		sd_str_add(b, ind);
		sd_str_add(b, "schema=");
		sd_py_str(b, op->schema);
	}
	sd_str_addch(b, ')');
}

/*
 * Render one op (not a view/trigger helper) at the given level into b.
 * batch: inside a batch_alter_table block (batch_op., no table argument);
 * name: the constraint name to drop (a placeholder for an unnamed one).
 */
static int render_op(al_state *s, sd_str *b, const sd_op *op, bool batch, const char *name,
		     int level, sd_error *err)
{
	const char *pre = batch ? "batch_op." : "op.";

	add_indent(b, level);
	switch (op->kind) {
	case SD_OP_CREATE_TABLE:
		if (!op->table_def)
			return op_error(op, err, "the op carries no table");
		sd_str_add(b, "op.create_table(");
		sd_py_str(b, op->table);
		render_table_args(s, b, op->table_def, level);
		sd_str_addch(b, '\n');
		add_indent(b, level);
		sd_str_addch(b, ')');
		render_nnd_uniques(s, b, op->schema, op->table_def, level);
		break;
	case SD_OP_DROP_TABLE:
		sd_str_add(b, "op.drop_table(");
		sd_py_str(b, op->table);
		schema_kw(b, "schema", op->schema);
		sd_str_addch(b, ')');
		break;
	case SD_OP_ADD_COLUMN:
		if (!op->column)
			return op_error(op, err, "the op carries no column");
		sd_str_addf(b, "%sadd_column(", pre);
		if (!batch) {
			sd_py_str(b, op->table);
			sd_str_add(b, ", ");
		}
		render_column(s, b, op->column);
		if (!batch)
			schema_kw(b, "schema", op->schema);
		sd_str_addch(b, ')');
		break;
	case SD_OP_DROP_COLUMN:
		if (!op->column)
			return op_error(op, err, "the op carries no column");
		sd_str_addf(b, "%sdrop_column(", pre);
		if (!batch) {
			sd_py_str(b, op->table);
			sd_str_add(b, ", ");
		}
		sd_py_str(b, op->column->name);
		if (!batch)
			schema_kw(b, "schema", op->schema);
		sd_str_addch(b, ')');
		break;
	case SD_OP_ALTER_COLUMN:
		if (!op->column || !op->old_column)
			return op_error(op, err, "alter_column without both columns");
		if ((op->changes & SD_CHANGE_AUTOINCREMENT) && (s->d->caps & SD_CAP_IDENTITY) &&
		    !batch) {
			/* identity columns: ALTER COLUMN ... ADD / DROP IDENTITY */
			sd_str sql = SD_STR_INIT;

			sd_str_add(&sql, "ALTER TABLE ");
			qualified(s, &sql, op->schema, op->table);
			sd_str_add(&sql, " ALTER COLUMN ");
			s->d->quote_ident(&sql, op->column->name);
			sd_str_add(&sql, op->column->autoincrement == SD_AUTOINC_TRUE
						 ? " ADD GENERATED BY DEFAULT AS IDENTITY"
						 : " DROP IDENTITY IF EXISTS");
			render_execute(b, sql.ptr);
			sd_str_release(&sql);
			if (!(op->changes & ~(unsigned)SD_CHANGE_AUTOINCREMENT))
				break;
			sd_str_addch(b, '\n');
			add_indent(b, level);
		} else if (op->changes & (SD_CHANGE_GENERATED | SD_CHANGE_AUTOINCREMENT)) {
			/* Alembic cannot alter these: the caller rebuilds (see flush_group) */
			sd_str_add(b, "# ");
			sd_str_addf(b, "%s of ", (op->changes & SD_CHANGE_GENERATED)
						  ? "generation expression" : "autoincrement");
			sd_py_str(b, op->column->name);
			sd_str_add(b, " changed: see copy_from and the table options\n");
			add_indent(b, level);
		}
		render_alter_column(s, b, op, batch);
		break;
	case SD_OP_CREATE_INDEX:
		if (!op->index)
			return op_error(op, err, "the op carries no index");
		render_create_index(s, b, op->schema, op->table, op->index);
		break;
	case SD_OP_DROP_INDEX:
		if (!op->index)
			return op_error(op, err, "the op carries no index");
		sd_str_add(b, "op.drop_index(");
		sd_py_str(b, op->index->name);
		sd_str_add(b, ", table_name=");
		sd_py_str(b, op->table);
		schema_kw(b, "schema", op->schema);
		sd_str_addch(b, ')');
		break;
	case SD_OP_CREATE_UNIQUE_CONSTRAINT:
		if (!op->unique)
			return op_error(op, err, "the op carries no unique constraint");
		if (op->unique->nulls_not_distinct && !batch) {
			/* no postgresql_nulls_not_distinct in SQLAlchemy 1.4: the SQL itself */
			sd_str sql = SD_STR_INIT;

			sd_sql_pg_add_unique(s->d, &sql, op->schema, op->table, op->unique);
			render_execute_stmt(b, &sql);
			break;
		}
		if (!op->unique->name)
			return op_error(op, err, "an unnamed unique constraint needs a copy-and-move");
		sd_str_addf(b, "%screate_unique_constraint(", pre);
		sd_py_str(b, op->unique->name);
		sd_str_add(b, ", ");
		if (!batch) {
			sd_py_str(b, op->table);
			sd_str_add(b, ", ");
		}
		py_list(b, op->unique->columns, op->unique->ncolumns);
		if (!batch)
			schema_kw(b, "schema", op->schema);
		sd_str_addch(b, ')');
		break;
	case SD_OP_CREATE_FOREIGN_KEY: {
		const sd_foreign_key *fk = op->fk;

		if (!fk)
			return op_error(op, err, "the op carries no foreign key");
		if (!fk->name)
			return op_error(op, err, "an unnamed foreign key needs a copy-and-move");
		sd_str_addf(b, "%screate_foreign_key(", pre);
		sd_py_str(b, fk->name);
		sd_str_add(b, ", ");
		if (!batch) {
			sd_py_str(b, op->table);
			sd_str_add(b, ", ");
		}
		sd_py_str(b, fk->ref_table);
		sd_str_add(b, ", ");
		py_list(b, fk->columns, fk->ncolumns);
		sd_str_add(b, ", ");
		py_list(b, fk->ref_columns, fk->nref_columns);
		if (!batch)
			schema_kw(b, "source_schema", op->schema);
		schema_kw(b, "referent_schema", fk->ref_schema);
		fk_options(b, fk);
		sd_str_addch(b, ')');
		break;
	}
	case SD_OP_CREATE_CHECK_CONSTRAINT:
		if (!op->check)
			return op_error(op, err, "the op carries no check constraint");
		if (!op->check->name)
			return op_error(op, err, "an unnamed check constraint needs a copy-and-move");
		sd_str_addf(b, "%screate_check_constraint(", pre);
		sd_py_str(b, op->check->name);
		sd_str_add(b, ", ");
		if (!batch) {
			sd_py_str(b, op->table);
			sd_str_add(b, ", ");
		}
		sd_py_str(b, op->check->expression);
		if (!batch)
			schema_kw(b, "schema", op->schema);
		sd_str_addch(b, ')');
		break;
	case SD_OP_CREATE_PRIMARY_KEY:
		if (!op->pk)
			return op_error(op, err, "the op carries no primary key");
		if (!op->pk->name)
			return op_error(op, err, "an unnamed primary key needs a copy-and-move");
		sd_str_addf(b, "%screate_primary_key(", pre);
		sd_py_str(b, op->pk->name);
		sd_str_add(b, ", ");
		if (!batch) {
			sd_py_str(b, op->table);
			sd_str_add(b, ", ");
		}
		py_list(b, op->pk->columns, op->pk->ncolumns);
		if (!batch)
			schema_kw(b, "schema", op->schema);
		sd_str_addch(b, ')');
		break;
	case SD_OP_DROP_CONSTRAINT:
		if (op->ctype == SD_CONSTRAINT_NONE)
			return op_error(op, err, "drop_constraint without a constraint type");
		if (!name)
			name = constraint_name(op);
		if (!name)
			return op_error(op, err, "an unnamed constraint can only be dropped in a copy-and-move");
		sd_str_addf(b, "%sdrop_constraint(", pre);
		sd_py_str(b, name);
		if (!batch) {
			sd_str_add(b, ", ");
			sd_py_str(b, op->table);
			schema_kw(b, "schema", op->schema);
		}
		sd_str_addf(b, ", type_='%s')", sd_constraint_type_name(op->ctype));
		break;
	case SD_OP_CREATE_TABLE_COMMENT:
		sd_str_add(b, "op.create_table_comment(");
		sd_py_str(b, op->table);
		sd_str_add(b, ", ");
		sd_py_str(b, op->comment);
		sd_str_add(b, ", existing_comment=");
		sd_py_str(b, op->old_comment);
		schema_kw(b, "schema", op->schema);
		sd_str_addch(b, ')');
		break;
	case SD_OP_DROP_TABLE_COMMENT:
		sd_str_add(b, "op.drop_table_comment(");
		sd_py_str(b, op->table);
		sd_str_add(b, ", existing_comment=");
		sd_py_str(b, op->old_comment);
		schema_kw(b, "schema", op->schema);
		sd_str_addch(b, ')');
		break;
	case SD_OP_CREATE_VIEW:
	case SD_OP_DROP_VIEW:
		if (!op->view)
			return op_error(op, err, "the op carries no view");
		render_view(s, b, op->view, op->kind == SD_OP_CREATE_VIEW);
		break;
	case SD_OP_CREATE_ENUM:
	case SD_OP_DROP_ENUM:
	case SD_OP_ADD_ENUM_VALUE:
	case SD_OP_CREATE_SEQUENCE:
	case SD_OP_DROP_SEQUENCE:
	case SD_OP_ALTER_SEQUENCE:
		if (!(s->d->caps & SD_CAP_TYPES_SEQUENCES))
			return op_error(op, err, "the dialect has no enum types or sequences");
		if (op->kind <= SD_OP_ADD_ENUM_VALUE ? !op->enum_def : !op->sequence)
			return op_error(op, err, "the op carries no enum or sequence");
		render_pg_object(s, b, op);
		break;
	case SD_OP__COUNT:
		return op_error(op, err, "unknown op kind");
	}
	sd_str_addch(b, '\n');
	return 0;
}

/* ---- copy-and-move groups ----------------------------------------------- */

/* The unnamed constraint of t that op drops, given a placeholder name in t. */
static const char *name_unnamed(al_state *s, sd_table *t, const sd_op *op)
{
	char *name = sd_arena_printf(s->st->arena, "sd_unnamed_%u", ++s->synth);
	size_t i;

	switch (op->ctype) {
	case SD_CONSTRAINT_PRIMARY:
		if (!t->pk)
			return NULL;
		t->pk->name = name;
		return name;
	case SD_CONSTRAINT_UNIQUE:
		for (i = 0; op->unique && i < t->nuniques; i++)
			if (unique_eq(t->uniques[i], op->unique)) {
				t->uniques[i]->name = name;
				return name;
			}
		return NULL;
	case SD_CONSTRAINT_FOREIGN_KEY:
		for (i = 0; op->fk && i < t->nfks; i++)
			if (fk_eq(t->fks[i], op->fk)) {
				t->fks[i]->name = name;
				return name;
			}
		return NULL;
	case SD_CONSTRAINT_CHECK:
		for (i = 0; op->check && i < t->nchecks; i++)
			if (check_eq(t->checks[i], op->check)) {
				t->checks[i]->name = name;
				return name;
			}
		return NULL;
	case SD_CONSTRAINT_NONE:
		break;
	}
	return NULL;
}

static bool has_autoinc(const sd_table *t)
{
	for (size_t i = 0; i < t->ncolumns; i++)
		if (t->columns[i]->autoincrement == SD_AUTOINC_TRUE)
			return true;
	return false;
}

/* The name of the column before name in t, or NULL when it is the first. */
static const char *column_before(const sd_table *t, const char *name)
{
	for (size_t i = 1; i < t->ncolumns; i++)
		if (sd_streq(t->columns[i]->name, name))
			return t->columns[i - 1]->name;
	return NULL;
}

/* Does the rendered block text hold a line that is not a comment? */
static bool has_statement(const char *text)
{
	while (*text) {
		const char *p = text;

		while (*p == ' ')
			p++;
		if (*p && *p != '#' && *p != '\n')
			return true;
		p = strchr(p, '\n');
		if (!p)
			break;
		text = p + 1;
	}
	return false;
}

static bool names_table(const char *sql, const sd_table *t)
{
	return mentions(sql, t->name);
}

/*
 * Write the pending group: drop the views and triggers that name the
 * table, the batch block with copy_from, then the table's indexes, the
 * triggers and the views again.
 */
static int flush_group(al_state *s, sd_error *err)
{
	dir_state *ds = &s->dir[s->gdir];
	sd_str *b = &ds->body;
	const sd_op *first;
	sd_table **slot, *before;
	const char **names = NULL;
	const sd_view **views = NULL;
	const sd_trigger **trigs = NULL;
	size_t nviews = 0, aviews = 0, ntrigs = 0, atrigs = 0, i;
	sd_str args = SD_STR_INIT, kwargs = SD_STR_INIT, notes = SD_STR_INIT;
	bool reflect;
	size_t mark;
	int rc = 0;

	if (!s->ngroup)
		return 0;
	first = s->group[0];
	slot = find_state(ds, first->schema, first->table);
	reflect = !slot;
	ds->any = true;
	ds->fk_off = true;
	names = xcalloc(s->ngroup, sizeof(*names));

	if (reflect) {
		/* no state for the table (an op list without its inverse): Alembic reflects it */
		sd_str_add(b, "    # the table's definition is not in the op list: Alembic reflects it\n");
		sd_str_add(b, "    with op.batch_alter_table(");
		sd_py_str(b, first->table);
		sd_str_add(b, ", schema=");
		sd_py_str(b, first->schema);
		sd_str_add(b, ", recreate='always') as batch_op:\n");
		for (i = 0; i < s->ngroup && !rc; i++)
			rc = render_op(s, b, s->group[i], true, NULL, 2, err);
		sd_str_addch(b, '\n');
		goto apply;
	}

	/* the table as it stands, with placeholder names for unnamed drops */
	before = sd_table_copy(s->st, *slot);
	for (i = 0; i < s->ngroup; i++) {
		const sd_op *op = s->group[i];

		if (op->kind == SD_OP_DROP_CONSTRAINT && !constraint_name(op)) {
			names[i] = name_unnamed(s, before, op);
			if (!names[i]) {
				rc = op_error(op, err, "the unnamed constraint to drop is not in the table");
				goto done;
			}
		}
	}
	/* unnamed creates: table_args, or copy_from for foreign keys */
	for (i = 0; i < s->ngroup; i++) {
		const sd_op *op = s->group[i];
		sd_str c = SD_STR_INIT;

		if (op->kind == SD_OP_CREATE_CHECK_CONSTRAINT && op->check && !op->check->name)
			render_check(&c, op->check);
		else if (op->kind == SD_OP_CREATE_UNIQUE_CONSTRAINT && op->unique && !op->unique->name)
			render_unique(&c, op->unique);
		else if (op->kind == SD_OP_CREATE_PRIMARY_KEY && op->pk && !op->pk->name)
			render_pk(&c, op->pk);
		else if (op->kind == SD_OP_CREATE_FOREIGN_KEY && op->fk && !op->fk->name) {
			PUSH(s, before->fks, before->nfks, op->fk);
			sd_str_add(&notes, "        # the unnamed foreign key ");
			render_fk(&notes, op->fk);
			sd_str_add(&notes, "\n        # is created from copy_from: Alembic's batch_op cannot "
					   "create an unnamed constraint\n");
			names[i] = "";
		}
		if (c.len) {
			sd_str_add(&args, c.ptr);
			sd_str_add(&args, ", ");
			names[i] = "";
		}
		sd_str_release(&c);
	}

	/* views and triggers naming the table go first */
	for (i = 0; i < ds->nviews; i++)
		if (names_table(ds->views[i]->definition, before)) {
			SD_GROW(views, nviews + 1, aviews);
			views[nviews++] = ds->views[i];
			add_indent(b, 1);
			render_view(s, b, ds->views[i], false);
			sd_str_addch(b, '\n');
		}
	for (i = 0; i < ds->ntrigs; i++)
		if (same_table(ds->trigs[i]->schema, ds->trigs[i]->table, before->schema, before->name) ||
		    names_table(ds->trigs[i]->sql, before)) {
			SD_GROW(trigs, ntrigs + 1, atrigs);
			trigs[ntrigs++] = ds->trigs[i];
			add_indent(b, 1);
			render_trigger(s, b, ds->trigs[i], false);
			sd_str_addch(b, '\n');
		}

	/* copy_from: the table without its indexes (re-created below) */
	before->indexes = NULL;
	before->nindexes = 0;
	sd_str_add(b, "    copy_from = sa.Table(");
	sd_py_str(b, before->name);
	sd_str_add(b, ", sa.MetaData()");
	render_table_args(s, b, before, 1);
	sd_str_add(b, "\n    )\n");

	/* replay, to know the table after the block */
	for (i = 0; i < s->ngroup; i++)
		state_apply(s, ds, s->group[i]);
	slot = find_state(ds, first->schema, first->table);
	if (slot && has_autoinc(before) != has_autoinc(*slot))
		sd_str_addf(&kwargs, ", table_kwargs={'%s_autoincrement': %s}", s->d->name,
			    has_autoinc(*slot) ? "True" : "False");

	sd_str_add(b, "    with op.batch_alter_table(");
	sd_py_str(b, first->table);
	sd_str_add(b, ", schema=");
	sd_py_str(b, first->schema);
	sd_str_add(b, ", recreate='always', copy_from=copy_from");
	if (args.len) {
		sd_str_truncate(&args, args.len - 2);
		sd_str_addf(b, ", table_args=(%s,)", args.ptr);
	}
	sd_str_add(b, kwargs.ptr);
	sd_str_add(b, ") as batch_op:\n");
	sd_str_add(b, notes.ptr);
	mark = b->len;
	for (i = 0; i < s->ngroup && !rc; i++) {
		const sd_op *op = s->group[i];

		if (names[i] && !*names[i]) {
			sd_str_add(b, "        # ");
			sd_str_add(b, sd_op_kind_name(op->kind));
			sd_str_add(b, op->kind == SD_OP_CREATE_FOREIGN_KEY ? ": from copy_from above\n"
									  : ": unnamed, in table_args above\n");
			continue;
		}
		if (op->kind == SD_OP_ALTER_COLUMN && op->column && op->old_column &&
		    (op->changes & SD_CHANGE_GENERATED)) {
			/* Alembic cannot alter a generation expression: drop and add in place */
			const char *prev = slot ? column_before(*slot, op->column->name) : NULL;

			sd_str_add(b, "        batch_op.drop_column(");
			sd_py_str(b, op->column->name);
			sd_str_add(b, ")\n        batch_op.add_column(");
			render_column(s, b, op->column);
			if (prev) {
				sd_str_add(b, ", insert_after=");
				sd_py_str(b, prev);
			} else if (slot && (*slot)->ncolumns > 1) {
				sd_str_add(b, ", insert_before=");
				sd_py_str(b, (*slot)->columns[1]->name);
			}
			sd_str_add(b, ")\n");
			continue;
		}
		rc = render_op(s, b, op, true, names[i], 2, err);
	}
	if (rc)
		goto done;
	if (!has_statement(b->ptr + mark))
		sd_str_add(b, "        pass\n");
	sd_str_addch(b, '\n');

	/* what the copy-and-move dropped with the old table */
	if (slot) {
		for (i = 0; i < (*slot)->nindexes; i++) {
			add_indent(b, 1);
			render_create_index(s, b, (*slot)->schema, (*slot)->name, (*slot)->indexes[i]);
			sd_str_addch(b, '\n');
		}
	}
	for (i = 0; i < ntrigs; i++) {
		add_indent(b, 1);
		render_trigger(s, b, trigs[i], true);
		sd_str_addch(b, '\n');
	}
	for (i = 0; i < nviews; i++) {
		add_indent(b, 1);
		render_view(s, b, views[i], true);
		sd_str_addch(b, '\n');
	}
	goto done;

apply:
	for (i = 0; i < s->ngroup; i++)
		state_apply(s, ds, s->group[i]);
done:
	free(names);
	free(views);
	free(trigs);
	sd_str_release(&args);
	sd_str_release(&kwargs);
	sd_str_release(&notes);
	s->ngroup = 0;
	return rc;
}

/* ---- the emitter -------------------------------------------------------- */

static int alembic_begin(sd_emit_ctx *ctx, sd_error *err)
{
	al_state *s = xcalloc(1, sizeof(*s));
	const sd_dialect *d = ctx->dialect;

	if (!d && ctx->m && ctx->m->dialect)
		d = sd_dialect_find(ctx->m->dialect);
	if (!d)
		d = &sd_dialect_sqlite;
	s->d = d;
	s->st = sd_schema_new(d->name, "alembic emitter state");
	sd_str_init(&s->dir[0].body);
	sd_str_init(&s->dir[1].body);
	ctx->state = s;
	if (!d->alembic_type || !d->quote_ident)
		return sd_error_set(err, SD_EUNSUPPORTED,
				    "the %s dialect cannot render Alembic revision files", d->name);
	if (ctx->m) {
		state_init(s, &s->dir[0], &ctx->m->downgrade);
		state_init(s, &s->dir[1], &ctx->m->upgrade);
	}
	return 0;
}

static int alembic_op(sd_emit_ctx *ctx, const sd_op *op, bool downgrade, sd_error *err)
{
	al_state *s = ctx->state;
	int dir = downgrade ? 1 : 0;
	dir_state *ds = &s->dir[dir];
	int rc;

	if (s->ngroup && (s->gdir != dir || !needs_batch(s, ds, op) ||
			  !same_table(s->group[0]->schema, s->group[0]->table, op->schema, op->table) ||
			  not_table_op(op))) {
		if ((rc = flush_group(s, err)))
			return rc;
	}
	if (!not_table_op(op) && op->table && needs_batch(s, ds, op)) {
		SD_GROW(s->group, s->ngroup + 1, s->agroup);
		s->group[s->ngroup++] = op;
		s->gdir = dir;
		return 0;
	}
	if ((rc = render_op(s, &ds->body, op, false, NULL, 1, err)))
		return rc;
	ds->any = true;
	state_apply(s, ds, op);
	return 0;
}

static void write_body(sd_str *out, const char *fn, dir_state *ds)
{
	sd_str_addf(out, "def %s() -> None:\n", fn);
	sd_str_add(out, "    # ### commands auto generated by schemadiff - please adjust! ###\n");
	if (!ds->any) {
		sd_str_add(out, "    pass\n");
	} else {
		if (ds->fk_off)
			sd_str_add(out,
				   "    # copy-and-move below: with foreign keys on, dropping the old table\n"
				   "    # would cascade to child rows; the pragma is a no-op in a transaction\n"
				   "    with op.get_context().autocommit_block():\n"
				   "        op.execute('PRAGMA foreign_keys=OFF')\n");
		/* no blank line just before the end marker */
		while (ds->body.len >= 2 && ds->body.ptr[ds->body.len - 1] == '\n' &&
		       ds->body.ptr[ds->body.len - 2] == '\n')
			sd_str_truncate(&ds->body, ds->body.len - 1);
		sd_str_add(out, ds->body.ptr);
		if (ds->fk_off)
			sd_str_add(out,
				   "    with op.get_context().autocommit_block():\n"
				   "        op.execute('PRAGMA foreign_keys=ON')\n");
	}
	sd_str_add(out, "    # ### end schemadiff commands ###\n");
}

static const char sqltype_class[] =
	"class SQLType(sa.types.UserDefinedType):\n"
	"    \"\"\"A column type written exactly as the database declares it.\"\"\"\n"
	"\n"
	"    cache_ok = True\n"
	"\n"
	"    def __init__(self, spec, collation=None):\n"
	"        self.spec = spec\n"
	"        self.collation = collation\n"
	"\n"
	"    def get_col_spec(self, **kw):\n"
	"        if self.collation is None:\n"
	"            return self.spec\n"
	"        return '%s COLLATE \"%s\"' % (self.spec, self.collation.replace('\"', '\"\"'))\n"
	"\n"
	"\n";

static void write_file(sd_emit_ctx *ctx, al_state *s)
{
	const sd_revision_meta *r = ctx->rev;
	const char *rev_id = r && r->rev_id ? r->rev_id : PLACEHOLDER_REV;
	sd_str *out = ctx->out;
	size_t i;

	sd_str_add(out, "\"\"\"");
	sd_py_docstring(out, r && r->message ? r->message : "");
	sd_str_add(out, "\n\nRevision ID: ");
	sd_py_docstring(out, rev_id);
	sd_str_add(out, "\nRevises: ");
	for (i = 0; r && i < r->ndown_revisions; i++) {
		if (i)
			sd_str_add(out, ", ");
		sd_py_docstring(out, r->down_revisions[i]);
	}
	sd_str_add(out, "\nCreate Date: ");
	sd_py_docstring(out, r && r->create_date ? r->create_date : "");
	if (r && r->fingerprint) {
		sd_str_add(out, "\nSchema fingerprint: ");
		sd_py_docstring(out, r->fingerprint);
	}
	sd_str_add(out, "\n\nGenerated by schemadiff");
	if (r && r->verified) {
		sd_str_add(out, "; verified: upgrade and downgrade converge on a copy of the database");
	} else {
		sd_str_add(out, "; not verified");
		if (r && r->verify_note && *r->verify_note) {
			sd_str_add(out, " (");
			sd_py_docstring(out, r->verify_note);
			sd_str_addch(out, ')');
		}
	}
	sd_str_add(out, "\n\"\"\"\nfrom alembic import op\nimport sqlalchemy as sa\n");
	if (s->imports & SD_IMPORT_POSTGRESQL)
		sd_str_add(out, "from sqlalchemy.dialects import postgresql\n");
	if (s->imports & SD_IMPORT_SQLITE)
		sd_str_add(out, "from sqlalchemy.dialects import sqlite\n");
	if (!(s->imports & (SD_IMPORT_POSTGRESQL | SD_IMPORT_SQLITE)))
		sd_str_addch(out, '\n');
	sd_str_add(out, "\n# revision identifiers, used by Alembic.\nrevision = ");
	sd_py_str(out, rev_id);
	sd_str_add(out, "\ndown_revision = ");
	py_names(out, r ? r->down_revisions : NULL, r ? r->ndown_revisions : 0, false);
	sd_str_add(out, "\nbranch_labels = ");
	py_names(out, r ? r->branch_labels : NULL, r ? r->nbranch_labels : 0, true);
	sd_str_add(out, "\ndepends_on = ");
	py_names(out, r ? r->depends_on : NULL, r ? r->ndepends_on : 0, false);
	sd_str_add(out, "\n\n\n");
	if (s->imports & SD_IMPORT_SQLTYPE)
		sd_str_add(out, sqltype_class);
	write_body(out, "upgrade", &s->dir[0]);
	sd_str_add(out, "\n\n");
	write_body(out, "downgrade", &s->dir[1]);
}

static int alembic_end(sd_emit_ctx *ctx, sd_error *err)
{
	al_state *s = ctx->state;
	int rc = 0;

	if (!s)
		return 0;
	if (!err || !err->code) {
		rc = flush_group(s, err);
		if (!rc)
			write_file(ctx, s);
	}
	sd_str_release(&s->dir[0].body);
	sd_str_release(&s->dir[1].body);
	for (int i = 0; i < 2; i++) {
		free(s->dir[i].tables);
		free(s->dir[i].views);
		free(s->dir[i].trigs);
	}
	free(s->group);
	sd_schema_free(s->st);
	free(s);
	ctx->state = NULL;
	return rc;
}

const sd_emitter sd_emitter_alembic = {
	.name = "alembic",
	.begin = alembic_begin,
	.op = alembic_op,
	.end = alembic_end,
};
