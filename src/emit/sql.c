/*
 * sql.c - the SQL revision file ("sql"), SQLite dialect (dialects with in-place
 * ALTER go to sql_alter.c, chosen by caps): one file with an
 * upgrade and a downgrade section in the dbmate convention
 *
 *   -- <header: message, revision ids, date, verification status>
 *   -- migrate:up
 *   PRAGMA foreign_keys=OFF;  BEGIN IMMEDIATE;  ...  COMMIT;  PRAGMA foreign_keys=ON;
 *   -- migrate:down
 *   ...
 *
 * Each section runs as it stands with `sqlite3 DB < section.sql` or
 * sqlite3_exec().  What SQLite's ALTER TABLE cannot do is done with the
 * documented twelve-step rebuild (lang_altertable.html#otheralter): new
 * table, copy rows, drop, rename, re-create indexes, triggers and views.
 *
 * Design (why each piece is there):
 *   - PRAGMA foreign_keys=OFF comes BEFORE BEGIN: inside a transaction the
 *     pragma is a no-op, and a rebuild that drops a parent table with
 *     foreign keys on cascade-deletes (or nulls) the child rows.
 *   - One rebuild per table and direction, to the table's target
 *     definition (op->table_def), placed at the table's first op that needs
 *     it; the table's add/drop/alter-column and constraint ops are folded
 *     into it and its index ops after it are skipped (the rebuild creates
 *     the target's indexes).  With foreign keys off, an FK naming a table
 *     that appears later, or a parent dropped after its child's rebuild,
 *     is fine at every step; only the end state is checked.
 *   - Tables created in the section get their whole target definition in
 *     the CREATE TABLE (FK cycles need no later ALTER: SQLite accepts
 *     forward references), so their constraint ops are folded too.
 *   - Views and triggers that mention a rebuilt table are dropped before it
 *     and re-created after: since 3.26 (legacy_alter_table=OFF, the
 *     default) ALTER TABLE RENAME re-parses the schema and fails on a view
 *     whose table is momentarily missing.  With both settings of
 *     legacy_alter_table the emitted steps work, so the pragma is left as
 *     the connection has it.
 *   - The sqlite3 shell does not stop at an error unless run with -bail,
 *     and a failed statement only undoes itself: a plain `sqlite3 DB <
 *     file` would go on and COMMIT a half-done migration.  So the section
 *     ends with postconditions that only read temp tables, pragmas and
 *     sqlite_schema (they cannot fail themselves) and roll the whole
 *     transaction back through a temp trigger's RAISE(ROLLBACK): no new
 *     foreign-key violations (PRAGMA foreign_key_check, counted against
 *     the violations present before, so old dirty data does not block
 *     every migration), every rebuild copied all rows, and every table the
 *     section touched has exactly its target columns and indexes, views
 *     created are there and views dropped are gone.
 *   - PRAGMA foreign_keys=ON after COMMIT: a CLI connection ends anyway;
 *     an application connection that runs migrations wants enforcement
 *     back, and leaving it off would silently disable it.
 */
#include <stdlib.h>
#include <string.h>

#include "schemadiff/emit.h"
#include "schemadiff/hmap.h"
#include "schemadiff/sqltok.h"
#include "emit/sql_alter.h"

#define NEW_PREFIX "_sd_new_"

enum fate { T_SURVIVES, T_CREATED, T_DROPPED };

typedef struct tbl_plan {
	char *key;                 /* "schema\x1fname" (owned) */
	const char *schema;
	const char *name;
	enum fate fate;
	bool rebuild;
	bool rebuilt;              /* the rebuild has been written */
	size_t first;              /* the op index where the rebuild goes */
	const sd_table *target;    /* whole target table (non-create op), or NULL */
	const sd_table *source;    /* whole source table (from the other list), or NULL */
	const sd_table *created;   /* create_table's table_def */
	const char **added;        /* columns added by add_column ops */
	size_t nadded, aadded;
	const char **created_indexes; /* created tables: create_index names */
	size_t ncreated_indexes, acreated_indexes;
	bool touched;              /* appears in the section: checked at the end */
} tbl_plan;

typedef struct view_ref {
	const char *schema;
	const char *name;
	const char *definition;
} view_ref;

typedef struct dir_plan {
	const sd_oplist *l;
	const sd_oplist *other;
	tbl_plan **tables;
	size_t ntables, atables;
	sd_hmap map;
	sd_str body;
	view_ref *views;           /* views that exist at the current op */
	size_t nviews, aviews;
	view_ref *vchecks;         /* views the section created (or re-created) */
	size_t nvchecks, avchecks;
	view_ref *vgone;           /* views the section dropped for good */
	size_t nvgone, avgone;
	size_t nrebuilds;
	bool any_autoinc_rebuild;
} dir_plan;

typedef struct sql_state {
	dir_plan dir[2];
} sql_state;

/* ---- text helpers ------------------------------------------------------- */

static void add_ident(sd_emit_ctx *ctx, sd_str *out, const char *ident)
{
	ctx->dialect->quote_ident(out, ident);
}

static void add_qname(sd_emit_ctx *ctx, sd_str *out, const char *schema, const char *name)
{
	if (schema) {
		add_ident(ctx, out, schema);
		sd_str_addch(out, '.');
	}
	add_ident(ctx, out, name);
}

/*
 * SQL text taken from the schema (CHECK, generated and index expressions,
 * WHERE, view bodies): as written, minus trailing blanks and semicolons,
 * and followed by a newline when it holds "--" so that a trailing line
 * comment cannot swallow what we write after it.
 */
static void add_sqltext(sd_str *out, const char *text)
{
	size_t n = strlen(text);

	while (n && (text[n - 1] == ' ' || text[n - 1] == '\t' || text[n - 1] == '\n' ||
		     text[n - 1] == '\r' || text[n - 1] == ';'))
		n--;
	sd_str_addn(out, text, n);
	if (strstr(text, "--"))
		sd_str_addch(out, '\n');
}

static void add_names(sd_emit_ctx *ctx, sd_str *out, const char *const *names, size_t n)
{
	sd_str_addch(out, '(');
	for (size_t i = 0; i < n; i++) {
		if (i)
			sd_str_add(out, ", ");
		add_ident(ctx, out, names[i]);
	}
	sd_str_addch(out, ')');
}

/*
 * If expr (outer parentheses aside) is one literal - a number with an
 * optional sign, a string, a blob, NULL, TRUE or FALSE - set its span and
 * return true.  Such a default may be written bare, which ALTER TABLE ADD
 * COLUMN requires.  *is_null tells a NULL literal.
 */
static bool default_literal(const char *expr, const char **start, size_t *len, bool *is_null)
{
	sd_lexer lx;
	sd_tok t[8];
	size_t n = 0, lo, hi;

	sd_lexer_init(&lx, expr, strlen(expr));
	for (;;) {
		sd_tok k = sd_lexer_next(&lx);

		if (k.kind == SD_TOK_EOF)
			break;
		if (k.kind == SD_TOK_ERROR || n == SD_ARRAY_LEN(t))
			return false;
		t[n++] = k;
	}
	lo = 0;
	hi = n;
	while (hi - lo >= 3 && t[lo].kind == SD_TOK_LPAREN && t[hi - 1].kind == SD_TOK_RPAREN) {
		lo++;
		hi--;
	}
	*is_null = false;
	if (hi - lo == 1) {
		sd_tok *k = &t[lo];

		if (k->kind == SD_TOK_NUMBER || k->kind == SD_TOK_STRING || k->kind == SD_TOK_BLOB)
			goto yes;
		if (k->kind == SD_TOK_IDENT &&
		    (sd_tok_is(k, "NULL") || sd_tok_is(k, "TRUE") || sd_tok_is(k, "FALSE"))) {
			*is_null = sd_tok_is(k, "NULL");
			goto yes;
		}
		return false;
	}
	if (hi - lo == 2 && t[lo].kind == SD_TOK_OP && t[lo].len == 1 &&
	    (t[lo].start[0] == '-' || t[lo].start[0] == '+') && t[lo + 1].kind == SD_TOK_NUMBER)
		goto yes;
	return false;
yes:
	*start = t[lo].start;
	*len = (size_t)(t[hi - 1].start + t[hi - 1].len - t[lo].start);
	return true;
}

/* CURRENT_TIME, CURRENT_DATE, CURRENT_TIMESTAMP (may be written bare). */
static bool default_current(const char *expr)
{
	sd_lexer lx;
	sd_tok a, b;

	sd_lexer_init(&lx, expr, strlen(expr));
	a = sd_lexer_next(&lx);
	b = sd_lexer_next(&lx);
	return a.kind == SD_TOK_IDENT && b.kind == SD_TOK_EOF &&
	       (sd_tok_is(&a, "CURRENT_TIME") || sd_tok_is(&a, "CURRENT_DATE") ||
		sd_tok_is(&a, "CURRENT_TIMESTAMP"));
}

/* " DEFAULT x": a literal or CURRENT_* bare, anything else in parentheses. */
static void add_default(sd_str *out, const char *expr)
{
	const char *s;
	size_t n;
	bool is_null;

	sd_str_add(out, " DEFAULT ");
	if (default_literal(expr, &s, &n, &is_null)) {
		sd_str_addn(out, s, n);
	} else if (default_current(expr)) {
		add_sqltext(out, expr);
	} else {
		sd_str_addch(out, '(');
		add_sqltext(out, expr);
		sd_str_addch(out, ')');
	}
}

/* ---- table definitions -------------------------------------------------- */

static bool is_autoinc_pk(const sd_table *t, const sd_column *c)
{
	return c->autoincrement == SD_AUTOINC_TRUE && t->pk && t->pk->ncolumns == 1 &&
	       strcmp(t->pk->columns[0], c->name) == 0;
}

static void add_column_def(sd_emit_ctx *ctx, sd_str *out, const sd_table *t, const sd_column *c)
{
	add_ident(ctx, out, c->name);
	if (c->type && *c->type) {
		sd_str_addch(out, ' ');
		sd_str_add(out, c->type);
	}
	if (t && is_autoinc_pk(t, c)) {
		if (t->pk->name) {
			sd_str_add(out, " CONSTRAINT ");
			add_ident(ctx, out, t->pk->name);
		}
		sd_str_add(out, " PRIMARY KEY AUTOINCREMENT");
	}
	if (!c->nullable)
		sd_str_add(out, " NOT NULL");
	if (c->server_default && !c->generated)
		add_default(out, c->server_default);
	if (c->collation) {
		sd_str_add(out, " COLLATE ");
		add_ident(ctx, out, c->collation);
	}
	if (c->generated) {
		sd_str_add(out, " GENERATED ALWAYS AS (");
		add_sqltext(out, c->generated);
		sd_str_add(out, c->generated_stored ? ") STORED" : ") VIRTUAL");
	}
}

static void add_constraint_name(sd_emit_ctx *ctx, sd_str *out, const char *name)
{
	if (name) {
		sd_str_add(out, "CONSTRAINT ");
		add_ident(ctx, out, name);
		sd_str_addch(out, ' ');
	}
}

static void add_fk(sd_emit_ctx *ctx, sd_str *out, const sd_foreign_key *fk)
{
	add_constraint_name(ctx, out, fk->name);
	sd_str_add(out, "FOREIGN KEY ");
	add_names(ctx, out, fk->columns, fk->ncolumns);
	sd_str_add(out, " REFERENCES ");
	/* SQLite: the parent is in the child's schema; it cannot be qualified */
	add_ident(ctx, out, fk->ref_table);
	if (fk->nref_columns) {
		sd_str_addch(out, ' ');
		add_names(ctx, out, fk->ref_columns, fk->nref_columns);
	}
	if (fk->on_delete)
		sd_str_addf(out, " ON DELETE %s", fk->on_delete);
	if (fk->on_update)
		sd_str_addf(out, " ON UPDATE %s", fk->on_update);
	if (fk->match)
		sd_str_addf(out, " MATCH %s", fk->match);
	if (fk->deferrable)
		sd_str_add(out, fk->initially_deferred ? " DEFERRABLE INITIALLY DEFERRED"
						       : " DEFERRABLE INITIALLY IMMEDIATE");
}

/* CREATE TABLE name (...) [WITHOUT ROWID][, STRICT]; without indexes. */
static void add_create_table(sd_emit_ctx *ctx, sd_str *out, const sd_table *t, const char *schema,
			     const char *name)
{
	bool inline_pk = false;

	sd_str_add(out, "CREATE TABLE ");
	add_qname(ctx, out, schema, name);
	sd_str_add(out, " (");
	for (size_t i = 0; i < t->ncolumns; i++) {
		sd_str_add(out, i ? ",\n    " : "\n    ");
		add_column_def(ctx, out, t, t->columns[i]);
		if (is_autoinc_pk(t, t->columns[i]))
			inline_pk = true;
	}
	if (t->pk && !inline_pk) {
		sd_str_add(out, ",\n    ");
		add_constraint_name(ctx, out, t->pk->name);
		sd_str_add(out, "PRIMARY KEY ");
		add_names(ctx, out, t->pk->columns, t->pk->ncolumns);
	}
	for (size_t i = 0; i < t->nuniques; i++) {
		sd_str_add(out, ",\n    ");
		add_constraint_name(ctx, out, t->uniques[i]->name);
		sd_str_add(out, "UNIQUE ");
		add_names(ctx, out, t->uniques[i]->columns, t->uniques[i]->ncolumns);
	}
	for (size_t i = 0; i < t->nchecks; i++) {
		sd_str_add(out, ",\n    ");
		add_constraint_name(ctx, out, t->checks[i]->name);
		sd_str_add(out, "CHECK (");
		add_sqltext(out, t->checks[i]->expression);
		sd_str_addch(out, ')');
	}
	for (size_t i = 0; i < t->nfks; i++) {
		sd_str_add(out, ",\n    ");
		add_fk(ctx, out, t->fks[i]);
	}
	sd_str_add(out, "\n)");
	if (t->without_rowid)
		sd_str_add(out, " WITHOUT ROWID");
	if (t->strict)
		sd_str_add(out, t->without_rowid ? ", STRICT" : " STRICT");
	sd_str_add(out, ";\n");
}

static void add_create_index(sd_emit_ctx *ctx, sd_str *out, const char *schema, const char *table,
			     const sd_index *ix)
{
	sd_str_add(out, ix->unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
	add_qname(ctx, out, schema, ix->name);
	sd_str_add(out, " ON ");
	add_ident(ctx, out, table);
	sd_str_add(out, " (");
	for (size_t i = 0; i < ix->nelems; i++) {
		const sd_index_elem *e = ix->elems[i];

		if (i)
			sd_str_add(out, ", ");
		if (e->column)
			add_ident(ctx, out, e->column);
		else
			add_sqltext(out, e->expression ? e->expression : "NULL");
		if (e->collation) {
			sd_str_add(out, " COLLATE ");
			add_ident(ctx, out, e->collation);
		}
		if (e->desc)
			sd_str_add(out, " DESC");
		if (e->nulls)
			sd_str_addf(out, " NULLS %s", e->nulls);
	}
	sd_str_addch(out, ')');
	if (ix->where) {
		sd_str_add(out, " WHERE ");
		add_sqltext(out, ix->where);
	}
	sd_str_add(out, ";\n");
}

/* ---- planning ----------------------------------------------------------- */

static char *table_key(const char *schema, const char *name)
{
	sd_str k = SD_STR_INIT;

	sd_str_add(&k, schema ? schema : "");
	sd_str_addch(&k, '\x1f');
	sd_str_add(&k, name ? name : "");
	return sd_str_detach(&k);
}

static tbl_plan *plan_table(dir_plan *d, const char *schema, const char *name, bool create)
{
	char *key = table_key(schema, name);
	tbl_plan *tp = sd_hmap_gets(&d->map, key);

	if (tp || !create) {
		free(key);
		return tp;
	}
	tp = xcalloc(1, sizeof(*tp));
	tp->key = key;
	tp->schema = schema;
	tp->name = name;
	tp->fate = T_SURVIVES;
	SD_GROW(d->tables, d->ntables + 1, d->atables);
	d->tables[d->ntables++] = tp;
	sd_hmap_puts(&d->map, tp->key, tp);
	return tp;
}

static bool is_view_op(const sd_op *op)
{
	return op->kind == SD_OP_CREATE_VIEW || op->kind == SD_OP_DROP_VIEW;
}

static bool is_comment_only(const sd_op *op)
{
	return op->kind == SD_OP_CREATE_TABLE_COMMENT || op->kind == SD_OP_DROP_TABLE_COMMENT ||
	       (op->kind == SD_OP_ALTER_COLUMN && !(op->changes & ~(unsigned)SD_CHANGE_COMMENT));
}

static bool in_names(const char *const *names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

/*
 * Can ALTER TABLE ADD COLUMN add this column (lang_altertable.html)?  No
 * PRIMARY KEY or UNIQUE, no CURRENT_* or parenthesised default (so only
 * literal defaults), NOT NULL needs a non-NULL default, no STORED
 * generated column.  Constraints on the column (FK, CHECK, UNIQUE) come as
 * their own ops and force a rebuild anyway.
 */
static bool add_column_alterable(const sd_op *op)
{
	const sd_column *c = op->column;
	const sd_table *t = op->table_def;
	const char *s;
	size_t n;
	bool is_null = true;

	if (!c)
		return false;
	if (c->autoincrement == SD_AUTOINC_TRUE)
		return false;
	if (c->generated && c->generated_stored)
		return false;
	if (t && t->pk && in_names(t->pk->columns, t->pk->ncolumns, c->name))
		return false;
	if (c->server_default && !c->generated && !default_literal(c->server_default, &s, &n, &is_null))
		return false;
	if (!c->nullable && !c->generated && (!c->server_default || is_null))
		return false;
	return true;
}

/* Does this op, on a surviving table, need the table rebuilt? */
static bool needs_rebuild(const sd_op *op)
{
	switch (op->kind) {
	case SD_OP_ALTER_COLUMN:
		return !is_comment_only(op);
	case SD_OP_CREATE_UNIQUE_CONSTRAINT:
	case SD_OP_CREATE_FOREIGN_KEY:
	case SD_OP_CREATE_CHECK_CONSTRAINT:
	case SD_OP_CREATE_PRIMARY_KEY:
	case SD_OP_DROP_CONSTRAINT:
		return true;
	case SD_OP_ADD_COLUMN:
		return !add_column_alterable(op);
	default:
		return false;
	}
}

/* Ops a rebuild of their table does (folded into it). */
static bool folded_by_rebuild(const sd_op *op)
{
	switch (op->kind) {
	case SD_OP_ALTER_COLUMN:
		return !is_comment_only(op);
	case SD_OP_ADD_COLUMN:
	case SD_OP_DROP_COLUMN:
	case SD_OP_CREATE_UNIQUE_CONSTRAINT:
	case SD_OP_CREATE_FOREIGN_KEY:
	case SD_OP_CREATE_CHECK_CONSTRAINT:
	case SD_OP_CREATE_PRIMARY_KEY:
	case SD_OP_DROP_CONSTRAINT:
		return true;
	default:
		return false;
	}
}

static void push_view(view_ref **arr, size_t *n, size_t *alloc, const char *schema,
		      const char *name, const char *def)
{
	SD_GROW(*arr, *n + 1, *alloc);
	(*arr)[*n].schema = schema;
	(*arr)[*n].name = name;
	(*arr)[*n].definition = def;
	(*n)++;
}

static long find_view(const view_ref *arr, size_t n, const char *schema, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (sd_streq(arr[i].schema, schema) && strcmp(arr[i].name, name) == 0)
			return (long)i;
	return -1;
}

static void remove_view(view_ref *arr, size_t *n, const char *schema, const char *name)
{
	long i = find_view(arr, *n, schema, name);

	if (i < 0)
		return;
	memmove(&arr[i], &arr[i + 1], (*n - (size_t)i - 1) * sizeof(*arr));
	(*n)--;
}

static void plan_direction(dir_plan *d, const sd_oplist *l, const sd_oplist *other)
{
	d->l = l;
	d->other = other;
	sd_hmap_init(&d->map);
	sd_str_init(&d->body);

	/* the views of the source: the other direction's target */
	for (size_t i = 0; other && i < other->ntarget_views; i++)
		push_view(&d->views, &d->nviews, &d->aviews, other->target_views[i]->schema,
			  other->target_views[i]->name, other->target_views[i]->definition);

	for (size_t i = 0; i < l->n; i++) {
		const sd_op *op = &l->ops[i];
		tbl_plan *tp;

		if (is_view_op(op) || !op->table)
			continue;
		tp = plan_table(d, op->schema, op->table, true);
		tp->touched = true;
		if (op->kind == SD_OP_CREATE_TABLE) {
			tp->fate = T_CREATED;
			tp->created = op->table_def;
		} else if (op->kind == SD_OP_DROP_TABLE) {
			tp->fate = T_DROPPED;
		} else if (op->table_def) {
			tp->target = op->table_def;
		}
		if (op->kind == SD_OP_ADD_COLUMN && op->column) {
			SD_GROW(tp->added, tp->nadded + 1, tp->aadded);
			tp->added[tp->nadded++] = op->column->name;
		}
		if (op->kind == SD_OP_CREATE_INDEX && op->index) {
			SD_GROW(tp->created_indexes, tp->ncreated_indexes + 1, tp->acreated_indexes);
			tp->created_indexes[tp->ncreated_indexes++] = op->index->name;
		}
	}
	/* the source definition of each table: from the inverse ops */
	for (size_t i = 0; other && i < other->n; i++) {
		const sd_op *op = &other->ops[i];
		tbl_plan *tp;

		if (is_view_op(op) || !op->table || op->kind == SD_OP_CREATE_TABLE ||
		    op->kind == SD_OP_DROP_TABLE || !op->table_def)
			continue;
		tp = plan_table(d, op->schema, op->table, false);
		if (tp)
			tp->source = op->table_def;
	}
	/* which surviving tables are rebuilt, and where */
	for (size_t i = 0; i < l->n; i++) {
		const sd_op *op = &l->ops[i];
		tbl_plan *tp;

		if (is_view_op(op) || !op->table)
			continue;
		tp = plan_table(d, op->schema, op->table, false);
		if (tp->fate == T_SURVIVES && needs_rebuild(op) && tp->target)
			tp->rebuild = true;
	}
	for (size_t t = 0; t < d->ntables; t++)
		d->tables[t]->first = (size_t)-1;
	for (size_t i = 0; i < l->n; i++) {
		const sd_op *op = &l->ops[i];
		tbl_plan *tp;

		if (is_view_op(op) || !op->table)
			continue;
		tp = plan_table(d, op->schema, op->table, false);
		if (tp->rebuild && folded_by_rebuild(op) && tp->first == (size_t)-1)
			tp->first = i;
	}
	for (size_t t = 0; t < d->ntables; t++) {
		tbl_plan *tp = d->tables[t];

		if (!tp->rebuild)
			continue;
		d->nrebuilds++;
		for (size_t c = 0; c < tp->target->ncolumns; c++)
			if (tp->target->columns[c]->autoincrement == SD_AUTOINC_TRUE)
				d->any_autoinc_rebuild = true;
	}
}

static void release_direction(dir_plan *d)
{
	for (size_t t = 0; t < d->ntables; t++) {
		free(d->tables[t]->key);
		free(d->tables[t]->added);
		free(d->tables[t]->created_indexes);
		free(d->tables[t]);
	}
	free(d->tables);
	sd_hmap_release(&d->map);
	sd_str_release(&d->body);
	free(d->views);
	free(d->vchecks);
	free(d->vgone);
}

/* ---- dependents of a rebuilt table -------------------------------------- */

/* Does sql mention any of the names (identifier tokens, case-insensitive)? */
static bool sql_mentions(const char *sql, const char *const *names, size_t n)
{
	sd_lexer lx;
	sd_str v = SD_STR_INIT;
	bool hit = false;

	if (!sql)
		return false;
	sd_lexer_init(&lx, sql, strlen(sql));
	for (;;) {
		sd_tok k = sd_lexer_next(&lx);

		if (k.kind == SD_TOK_EOF || k.kind == SD_TOK_ERROR)
			break;
		if (k.kind != SD_TOK_IDENT && k.kind != SD_TOK_QIDENT && k.kind != SD_TOK_STRING)
			continue;
		sd_str_reset(&v);
		sd_tok_ident_value(&k, &v);
		for (size_t i = 0; i < n && !hit; i++)
			hit = sd_strcasecmp(v.ptr, names[i]) == 0;
		if (hit)
			break;
	}
	sd_str_release(&v);
	return hit;
}

/*
 * The views that must go before table tp is rebuilt: those mentioning it,
 * then (to a fixed point) those mentioning such a view, in that order -
 * the order they are re-created in.  Appended as indexes into d->views.
 */
static size_t dependent_views(const dir_plan *d, const tbl_plan *tp, size_t **out)
{
	const char **names = xmalloc((d->nviews + 1) * sizeof(*names));
	size_t nnames = 0, n = 0;
	size_t *idx = xmalloc((d->nviews + 1) * sizeof(*idx));
	bool grew = true;

	names[nnames++] = tp->name;
	while (grew) {
		grew = false;
		for (size_t i = 0; i < d->nviews; i++) {
			bool have = false;

			for (size_t j = 0; j < n && !have; j++)
				have = idx[j] == i;
			if (have || !sd_streq(d->views[i].schema, tp->schema) ||
			    !sql_mentions(d->views[i].definition, names, nnames))
				continue;
			idx[n++] = i;
			names[nnames++] = d->views[i].name;
			grew = true;
		}
	}
	free(names);
	*out = idx;
	return n;
}

/* ---- rendering one op --------------------------------------------------- */

static void add_drop_view(sd_emit_ctx *ctx, sd_str *out, const char *schema, const char *name)
{
	sd_str_add(out, "DROP VIEW ");
	add_qname(ctx, out, schema, name);
	sd_str_add(out, ";\n");
}

static void add_create_view(sd_emit_ctx *ctx, sd_str *out, const char *schema, const char *name,
			    const char *def)
{
	sd_str_add(out, "CREATE VIEW ");
	add_qname(ctx, out, schema, name);
	sd_str_add(out, " AS ");
	add_sqltext(out, def);
	sd_str_add(out, ";\n");
}

/* schema-qualified name of an SQLite internal table: "s".sqlite_schema */
static void add_internal(sd_emit_ctx *ctx, sd_str *out, const char *schema, const char *name)
{
	if (schema) {
		add_ident(ctx, out, schema);
		sd_str_addch(out, '.');
	}
	sd_str_add(out, name);
}

/* The twelve-step rebuild of tp to its target definition. */
static void write_rebuild(sd_emit_ctx *ctx, dir_plan *d, tbl_plan *tp)
{
	sd_str *out = &d->body;
	const sd_table *t = tp->target;
	sd_str newname = SD_STR_INIT;
	size_t *vidx = NULL;
	size_t nv = dependent_views(d, tp, &vidx);
	const char **vnames = xmalloc((nv + 1) * sizeof(*vnames));
	const sd_trigger **trig = xmalloc((d->l->ntarget_triggers + 1) * sizeof(*trig));
	size_t ntrig = 0;
	bool rowid = tp->source && !t->without_rowid && !tp->source->without_rowid;
	bool first = true;
	bool autoinc = false;

	sd_str_addf(&newname, NEW_PREFIX "%s", tp->name);
	vnames[0] = tp->name;
	for (size_t i = 0; i < nv; i++)
		vnames[i + 1] = d->views[vidx[i]].name;

	/* triggers on the table or its dependent views, or mentioning them */
	for (size_t i = 0; i < d->l->ntarget_triggers; i++) {
		const sd_trigger *tr = d->l->target_triggers[i];

		if (!sd_streq(tr->schema, tp->schema))
			continue;
		if (in_names(vnames, nv + 1, tr->table ? tr->table : "") ||
		    sql_mentions(tr->sql, vnames, nv + 1))
			trig[ntrig++] = tr;
	}

	sd_str_add(out, "-- rebuild ");
	add_qname(ctx, out, tp->schema, tp->name);
	sd_str_add(out, " (https://www.sqlite.org/lang_altertable.html#otheralter)\n");
	for (size_t i = 0; i < ntrig; i++) {
		sd_str_add(out, "DROP TRIGGER IF EXISTS ");
		add_qname(ctx, out, trig[i]->schema, trig[i]->name);
		sd_str_add(out, ";\n");
	}
	for (size_t i = 0; i < nv; i++)
		add_drop_view(ctx, out, d->views[vidx[i]].schema, d->views[vidx[i]].name);

	add_create_table(ctx, out, t, tp->schema, newname.ptr);

	/* copy the columns the old table has: not added here, not generated */
	for (size_t c = 0; c < t->ncolumns; c++) {
		const char *cn = t->columns[c]->name;

		if (sd_strcasecmp(cn, "rowid") == 0 || sd_strcasecmp(cn, "oid") == 0 ||
		    sd_strcasecmp(cn, "_rowid_") == 0)
			rowid = false;
		if (t->columns[c]->autoincrement == SD_AUTOINC_TRUE)
			autoinc = true;
	}
	/* an INTEGER PRIMARY KEY column is the rowid: copying it copies the rowid */
	if (t->pk && t->pk->ncolumns == 1 && !t->without_rowid) {
		const sd_column *pc = sd_table_find_column(t, t->pk->columns[0]);

		if (pc && pc->type && sd_strcasecmp(pc->type, "INTEGER") == 0)
			rowid = false;
	}
	if (rowid && tp->source) {
		for (size_t c = 0; c < tp->source->ncolumns; c++) {
			const char *cn = tp->source->columns[c]->name;

			if (sd_strcasecmp(cn, "rowid") == 0 || sd_strcasecmp(cn, "oid") == 0 ||
			    sd_strcasecmp(cn, "_rowid_") == 0)
				rowid = false;
		}
	}
	sd_str_add(out, "INSERT INTO ");
	add_qname(ctx, out, tp->schema, newname.ptr);
	sd_str_add(out, " (");
	{
		sd_str cols = SD_STR_INIT;

		if (rowid) {
			sd_str_add(&cols, "rowid");
			first = false;
		}
		for (size_t c = 0; c < t->ncolumns; c++) {
			const sd_column *col = t->columns[c];

			if (col->generated || in_names(tp->added, tp->nadded, col->name))
				continue;
			if (tp->source) {
				const sd_column *old = sd_table_find_column(tp->source, col->name);

				if (!old)
					continue;
			}
			if (!first)
				sd_str_add(&cols, ", ");
			add_ident(ctx, &cols, col->name);
			first = false;
		}
		sd_str_add(out, cols.ptr);
		sd_str_add(out, ")\n    SELECT ");
		sd_str_add(out, first ? "NULL" : cols.ptr);
		sd_str_add(out, " FROM ");
		add_qname(ctx, out, tp->schema, tp->name);
		sd_str_add(out, ";\n");
		sd_str_release(&cols);
	}
	/* rows postcondition: counted here, checked before COMMIT */
	sd_str_add(out, "INSERT INTO temp._sd_rows VALUES (");
	sd_sql_literal(out, tp->name);
	sd_str_add(out, ", (SELECT count(*) FROM ");
	add_qname(ctx, out, tp->schema, tp->name);
	sd_str_add(out, "), (SELECT count(*) FROM ");
	add_qname(ctx, out, tp->schema, newname.ptr);
	sd_str_add(out, "));\n");
	if (autoinc) {
		sd_str_add(out, "INSERT INTO temp._sd_seq SELECT name, seq FROM ");
		add_internal(ctx, out, tp->schema, "sqlite_sequence");
		sd_str_add(out, " WHERE name = ");
		sd_sql_literal(out, tp->name);
		sd_str_add(out, ";\n");
	}
	sd_str_add(out, "DROP TABLE ");
	add_qname(ctx, out, tp->schema, tp->name);
	sd_str_add(out, ";\nALTER TABLE ");
	add_qname(ctx, out, tp->schema, newname.ptr);
	sd_str_add(out, " RENAME TO ");
	add_ident(ctx, out, tp->name);
	sd_str_add(out, ";\n");
	if (autoinc) {
		/* keep AUTOINCREMENT's high-water mark: ids are never reused */
		sd_str_add(out, "INSERT INTO ");
		add_internal(ctx, out, tp->schema, "sqlite_sequence");
		sd_str_add(out, " (name, seq) SELECT name, seq FROM temp._sd_seq WHERE name = ");
		sd_sql_literal(out, tp->name);
		sd_str_add(out, ";\nDELETE FROM ");
		add_internal(ctx, out, tp->schema, "sqlite_sequence");
		sd_str_add(out, " WHERE name = ");
		sd_sql_literal(out, tp->name);
		sd_str_add(out, " AND rowid NOT IN (SELECT rowid FROM ");
		add_internal(ctx, out, tp->schema, "sqlite_sequence");
		sd_str_add(out, " WHERE name = ");
		sd_sql_literal(out, tp->name);
		sd_str_add(out, " ORDER BY seq DESC LIMIT 1);\n");
	}
	for (size_t i = 0; i < t->nindexes; i++)
		add_create_index(ctx, out, tp->schema, tp->name, t->indexes[i]);
	for (size_t i = 0; i < nv; i++)
		add_create_view(ctx, out, d->views[vidx[i]].schema, d->views[vidx[i]].name,
				d->views[vidx[i]].definition);
	for (size_t i = 0; i < ntrig; i++) {
		add_sqltext(out, trig[i]->sql);
		sd_str_add(out, ";\n");
	}
	tp->rebuilt = true;
	sd_str_release(&newname);
	free(vidx);
	free(vnames);
	free(trig);
}

static void note(dir_plan *d, const sd_op *op, const char *why)
{
	sd_str line = SD_STR_INIT;

	sd_review_line(&line, op);
	sd_sql_comment(&d->body, "", line.ptr);
	if (why)
		sd_sql_comment(&d->body, "   ", why);
	sd_str_release(&line);
}

static int render_op(sd_emit_ctx *ctx, dir_plan *d, size_t i, sd_error *err)
{
	const sd_op *op = &d->l->ops[i];
	sd_str *out = &d->body;
	tbl_plan *tp = NULL;

	if (is_view_op(op)) {
		note(d, op, NULL);
		if (!op->view)
			return sd_error_set(err, SD_EINPUT, "%s of '%s' carries no view",
					    sd_op_kind_name(op->kind), op->table ? op->table : "");
		if (op->kind == SD_OP_DROP_VIEW) {
			add_drop_view(ctx, out, op->view->schema, op->view->name);
			remove_view(d->views, &d->nviews, op->view->schema, op->view->name);
			remove_view(d->vchecks, &d->nvchecks, op->view->schema, op->view->name);
			push_view(&d->vgone, &d->nvgone, &d->avgone, op->view->schema, op->view->name,
				  NULL);
		} else {
			add_create_view(ctx, out, op->view->schema, op->view->name,
					op->view->definition);
			remove_view(d->views, &d->nviews, op->view->schema, op->view->name);
			push_view(&d->views, &d->nviews, &d->aviews, op->view->schema,
				  op->view->name, op->view->definition);
			remove_view(d->vgone, &d->nvgone, op->view->schema, op->view->name);
			push_view(&d->vchecks, &d->nvchecks, &d->avchecks, op->view->schema,
				  op->view->name, op->view->definition);
		}
		return 0;
	}
	if (!op->table)
		return sd_error_set(err, SD_EINPUT, "%s without a table", sd_op_kind_name(op->kind));
	tp = plan_table(d, op->schema, op->table, false);

	if (is_comment_only(op)) {
		note(d, op, "SQLite keeps no comments: nothing to do");
		return 0;
	}

	if (tp->fate == T_CREATED) {
		switch (op->kind) {
		case SD_OP_CREATE_TABLE:
			if (!op->table_def)
				return sd_error_set(err, SD_EINPUT, "create_table '%s' carries no table",
						    op->table);
			note(d, op, NULL);
			add_create_table(ctx, out, tp->target ? tp->target : op->table_def,
					 op->schema, op->table);
			return 0;
		case SD_OP_CREATE_INDEX:
			break;
		default:
			note(d, op, "part of the CREATE TABLE above");
			return 0;
		}
	} else if (tp->fate == T_DROPPED) {
		switch (op->kind) {
		case SD_OP_DROP_TABLE:
		case SD_OP_DROP_INDEX:
			break;
		default:
			note(d, op, "the table is dropped below");
			return 0;
		}
	} else if (tp->rebuild) {
		bool index_op = op->kind == SD_OP_CREATE_INDEX || op->kind == SD_OP_DROP_INDEX;

		if (folded_by_rebuild(op) || (index_op && tp->rebuilt)) {
			if (i == tp->first) {
				note(d, op, "done by this rebuild, with every other change to the table:");
				write_rebuild(ctx, d, tp);
			} else {
				note(d, op, "done by the rebuild of the table above");
			}
			return 0;
		}
	}

	note(d, op, NULL);
	switch (op->kind) {
	case SD_OP_DROP_TABLE:
		sd_str_add(out, "DROP TABLE ");
		add_qname(ctx, out, op->schema, op->table);
		sd_str_add(out, ";\n");
		return 0;
	case SD_OP_CREATE_INDEX:
		if (!op->index)
			return sd_error_set(err, SD_EINPUT, "create_index on '%s' carries no index",
					    op->table);
		add_create_index(ctx, out, op->schema, op->table, op->index);
		return 0;
	case SD_OP_DROP_INDEX:
		if (!op->index)
			return sd_error_set(err, SD_EINPUT, "drop_index on '%s' carries no index",
					    op->table);
		sd_str_add(out, "DROP INDEX ");
		add_qname(ctx, out, op->schema, op->index->name);
		sd_str_add(out, ";\n");
		return 0;
	case SD_OP_ADD_COLUMN:
		if (!op->column)
			return sd_error_set(err, SD_EINPUT, "add_column on '%s' carries no column",
					    op->table);
		sd_str_add(out, "ALTER TABLE ");
		add_qname(ctx, out, op->schema, op->table);
		sd_str_add(out, " ADD COLUMN ");
		add_column_def(ctx, out, NULL, op->column);
		sd_str_add(out, ";\n");
		return 0;
	case SD_OP_DROP_COLUMN:
		if (!op->column)
			return sd_error_set(err, SD_EINPUT, "drop_column on '%s' carries no column",
					    op->table);
		sd_str_add(out, "ALTER TABLE ");
		add_qname(ctx, out, op->schema, op->table);
		sd_str_add(out, " DROP COLUMN ");
		add_ident(ctx, out, op->column->name);
		sd_str_add(out, ";\n");
		return 0;
	default:
		break;
	}
	return sd_error_set(err, SD_EUNSUPPORTED, "%s on '%s' cannot be written as SQLite SQL",
			    sd_op_kind_name(op->kind), op->table);
}

/* ---- section frame ------------------------------------------------------ */

static void write_prologue(sd_str *out, const dir_plan *d)
{
	sd_str_add(out,
		   "PRAGMA foreign_keys=OFF;\n"
		   "BEGIN IMMEDIATE;\n"
		   "-- postconditions (checked before COMMIT): a failure rolls everything back\n"
		   "DROP TABLE IF EXISTS temp._sd_guard;\n"
		   "CREATE TEMP TABLE _sd_guard (failed TEXT NOT NULL);\n"
		   "CREATE TEMP TRIGGER _sd_guard_fk BEFORE INSERT ON _sd_guard"
		   " WHEN NEW.failed = 'foreign keys' BEGIN SELECT RAISE(ROLLBACK,"
		   " 'schemadiff: the migration leaves foreign key violations; rolled back'); END;\n"
		   "CREATE TEMP TRIGGER _sd_guard_rows BEFORE INSERT ON _sd_guard"
		   " WHEN NEW.failed = 'rows' BEGIN SELECT RAISE(ROLLBACK,"
		   " 'schemadiff: a table rebuild did not copy every row; rolled back'); END;\n"
		   "CREATE TEMP TRIGGER _sd_guard_schema BEFORE INSERT ON _sd_guard"
		   " WHEN NEW.failed = 'schema' BEGIN SELECT RAISE(ROLLBACK,"
		   " 'schemadiff: a statement failed, the schema is not the target; rolled back');"
		   " END;\n"
		   "DROP TABLE IF EXISTS temp._sd_fk_before;\n"
		   "CREATE TEMP TABLE _sd_fk_before AS SELECT \"table\" AS tbl, parent, count(*) AS n"
		   " FROM pragma_foreign_key_check GROUP BY 1, 2;\n");
	if (d->nrebuilds)
		sd_str_add(out, "DROP TABLE IF EXISTS temp._sd_rows;\n"
				"CREATE TEMP TABLE _sd_rows (name TEXT, old_n INTEGER, new_n INTEGER);\n");
	if (d->any_autoinc_rebuild)
		sd_str_add(out, "DROP TABLE IF EXISTS temp._sd_seq;\n"
				"CREATE TEMP TABLE _sd_seq (name TEXT, seq INTEGER);\n");
	sd_str_addch(out, '\n');
}

/* 'a','b' as SQLite's quote() writes each name, comma-joined, as a literal */
static void add_name_list_literal(sd_str *out, const char *const *names, size_t n)
{
	sd_str joined = SD_STR_INIT;

	for (size_t i = 0; i < n; i++) {
		if (i)
			sd_str_addch(&joined, ',');
		sd_sql_literal(&joined, names[i]);
	}
	sd_sql_literal(out, joined.ptr);
	sd_str_release(&joined);
}

static int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * name with ASCII letters lowered, appended NUL-terminated to buf; returns
 * its offset (buf may still move).  SQLite matches names so (an ADD COLUMN
 * keeps the table's "ID" where the target says "id"), and so do the
 * postconditions, with lower() -- ASCII-only in SQLite too.
 */
static size_t lower_name(sd_str *buf, const char *name)
{
	size_t at = buf->len;

	for (const char *p = name; *p; p++)
		sd_str_addch(buf, (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p));
	sd_str_addch(buf, '\0');
	return at;
}

/* names[0..n) lowered (lower_name) and sorted bytewise, as SQLite's ORDER BY sorts them. */
static const char **lowered_sorted(sd_str *buf, const char *const *names, size_t n)
{
	size_t *at = xmalloc((n + 1) * sizeof(*at));
	const char **out = xmalloc((n + 1) * sizeof(*out));

	for (size_t i = 0; i < n; i++)
		at[i] = lower_name(buf, names[i]);
	for (size_t i = 0; i < n; i++)
		out[i] = buf->ptr + at[i];
	free(at);
	qsort(out, n, sizeof(*out), cmp_strp);
	return out;
}

/* The schema postcondition for one table the section touched. */
static void write_table_check(sd_emit_ctx *ctx, sd_str *out, const tbl_plan *tp)
{
	const sd_table *t = tp->fate == T_CREATED ? (tp->target ? tp->target : tp->created)
						  : tp->target;
	sd_str args = SD_STR_INIT;

	sd_sql_literal(&args, tp->name);
	if (tp->schema) {
		sd_str_add(&args, ", ");
		sd_sql_literal(&args, tp->schema);
	}
	sd_str_add(out, "SELECT 'schema' WHERE ");
	if (tp->fate == T_DROPPED) {
		sd_str_add(out, "EXISTS (SELECT 1 FROM ");
		add_internal(ctx, out, tp->schema, "sqlite_schema");
		sd_str_add(out, " WHERE type = 'table' AND name = ");
		sd_sql_literal(out, tp->name);
		sd_str_add(out, " COLLATE NOCASE)");
	} else {
		const char **cols, **ixs;
		size_t nix;
		sd_str lowc = SD_STR_INIT, lowi = SD_STR_INIT;   /* each holds one list's names */
		const char **names = xmalloc((t->ncolumns + t->nindexes + tp->ncreated_indexes + 1) *
					     sizeof(*names));

		for (size_t c = 0; c < t->ncolumns; c++)
			names[c] = t->columns[c]->name;
		cols = lowered_sorted(&lowc, names, t->ncolumns);
		if (tp->fate == T_CREATED && !tp->target) {
			nix = tp->ncreated_indexes;
			for (size_t x = 0; x < nix; x++)
				names[x] = tp->created_indexes[x];
		} else {
			nix = t->nindexes;
			for (size_t x = 0; x < nix; x++)
				names[x] = t->indexes[x]->name;
		}
		ixs = lowered_sorted(&lowi, names, nix);
		free(names);
		sd_str_addf(out, "coalesce((SELECT group_concat(quote(name), ',') FROM (SELECT lower(name)"
				 " AS name FROM pragma_table_xinfo(%s) ORDER BY 1)), '') IS NOT ", args.ptr);
		add_name_list_literal(out, cols, t->ncolumns);
		sd_str_addf(out, "\n    OR coalesce((SELECT group_concat(quote(name), ',') FROM (SELECT"
				 " lower(name) AS name FROM pragma_index_list(%s) WHERE origin = 'c'"
				 " ORDER BY 1)), '') IS NOT ", args.ptr);
		add_name_list_literal(out, ixs, nix);
		sd_str_release(&lowc);
		sd_str_release(&lowi);
		free(cols);
		free(ixs);
	}
	sd_str_release(&args);
}

/*
 * The postconditions, as ONE statement (after a rollback nothing else of
 * ours runs but the IF EXISTS drops and COMMIT): the schema of every table
 * and view the section touched (column and index names, as sets: ADD
 * COLUMN appends, and column order is not compared), every rebuild copied
 * all rows, and no foreign-key violations beyond those present before.
 */
static void write_epilogue(sd_emit_ctx *ctx, sd_str *out, const dir_plan *d)
{
	sd_str_add(out, "\n-- postconditions: a failed one rolls the whole section back\n"
			"INSERT INTO temp._sd_guard (failed)\n");
	for (size_t t = 0; t < d->ntables; t++) {
		const tbl_plan *tp = d->tables[t];

		if (!tp->touched)
			continue;
		if (tp->fate != T_DROPPED && !tp->target && !tp->created)
			continue; /* no whole definition to check against */
		write_table_check(ctx, out, tp);
		sd_str_add(out, "\nUNION ALL ");
	}
	for (size_t v = 0; v < d->nvchecks + d->nvgone; v++) {
		const view_ref *vr = v < d->nvchecks ? &d->vchecks[v] : &d->vgone[v - d->nvchecks];

		sd_str_addf(out, "SELECT 'schema' WHERE %sEXISTS (SELECT 1 FROM ",
			    v < d->nvchecks ? "NOT " : "");
		add_internal(ctx, out, vr->schema, "sqlite_schema");
		sd_str_add(out, " WHERE type = 'view' AND name = ");
		sd_sql_literal(out, vr->name);
		sd_str_add(out, " COLLATE NOCASE)\nUNION ALL ");
	}
	if (d->nrebuilds)
		sd_str_addf(out, "SELECT 'rows' WHERE (SELECT count(*) FROM temp._sd_rows WHERE"
				 " old_n = new_n) IS NOT %zu\nUNION ALL ",
			    d->nrebuilds);
	sd_str_add(out, "SELECT 'foreign keys' WHERE EXISTS (SELECT 1 FROM (SELECT \"table\" AS tbl,"
			" parent, count(*) AS n FROM pragma_foreign_key_check GROUP BY 1, 2) AS a\n"
			"    WHERE a.n > coalesce((SELECT b.n FROM temp._sd_fk_before AS b"
			" WHERE b.tbl = a.tbl AND b.parent = a.parent), 0));\n");
	sd_str_add(out, "DROP TABLE IF EXISTS temp._sd_guard;\n"
			"DROP TABLE IF EXISTS temp._sd_fk_before;\n");
	if (d->nrebuilds)
		sd_str_add(out, "DROP TABLE IF EXISTS temp._sd_rows;\n");
	if (d->any_autoinc_rebuild)
		sd_str_add(out, "DROP TABLE IF EXISTS temp._sd_seq;\n");
	sd_str_add(out, "COMMIT;\nPRAGMA foreign_keys=ON;\n");
}

/* ---- the emitter -------------------------------------------------------- */

void sd_sql_write_header(sd_emit_ctx *ctx, const char *run_note)
{
	const sd_revision_meta *r = ctx->rev;
	sd_str *out = ctx->out;
	sd_str tmp = SD_STR_INIT;

	if (r && r->message && *r->message) {
		sd_sql_comment(out, "", r->message);
		sd_str_add(out, "--\n");
	}
	sd_sql_comment(out, "Revision ID: ", r && r->rev_id ? r->rev_id : "");
	for (size_t i = 0; r && i < r->ndown_revisions; i++) {
		if (i)
			sd_str_add(&tmp, ", ");
		sd_str_add(&tmp, r->down_revisions[i]);
	}
	sd_sql_comment(out, "Revises: ", tmp.ptr);
	sd_str_reset(&tmp);
	if (r && r->nbranch_labels) {
		for (size_t i = 0; i < r->nbranch_labels; i++)
			sd_str_addf(&tmp, "%s%s", i ? ", " : "", r->branch_labels[i]);
		sd_sql_comment(out, "Branch labels: ", tmp.ptr);
		sd_str_reset(&tmp);
	}
	if (r && r->ndepends_on) {
		for (size_t i = 0; i < r->ndepends_on; i++)
			sd_str_addf(&tmp, "%s%s", i ? ", " : "", r->depends_on[i]);
		sd_sql_comment(out, "Depends on: ", tmp.ptr);
		sd_str_reset(&tmp);
	}
	sd_sql_comment(out, "Create Date: ", r && r->create_date ? r->create_date : "");
	if (r && r->fingerprint)
		sd_sql_comment(out, "Schema fingerprint: ", r->fingerprint);
	sd_str_addf(&tmp, "generated by schemadiff for %s", ctx->dialect->name);
	sd_sql_comment(out, "", tmp.ptr);
	if (r && r->verified)
		sd_sql_comment(out, "", "verified: the upgrade and the downgrade were applied to a copy "
				     "of the database and each compared equal to its target");
	else
		sd_sql_comment(out, "not verified: ",
			    r && r->verify_note && *r->verify_note ? r->verify_note
								   : "no convergence proof was run");
	sd_sql_comment(out, "", run_note);
	sd_str_release(&tmp);
}

/* Dialects whose ALTER TABLE does everything in place use sql_alter.c. */
static bool in_place(const sd_emit_ctx *ctx)
{
	return (ctx->dialect->caps & SD_SQL_IN_PLACE_CAPS) == SD_SQL_IN_PLACE_CAPS;
}

static int sql_begin(sd_emit_ctx *ctx, sd_error *err)
{
	sql_state *st;

	if (in_place(ctx))
		return sd_sql_alter_begin(ctx, err);
	st = xcalloc(1, sizeof(*st));

	(void)err;
	ctx->state = st;
	plan_direction(&st->dir[0], &ctx->m->upgrade, &ctx->m->downgrade);
	plan_direction(&st->dir[1], &ctx->m->downgrade, &ctx->m->upgrade);
	return 0;
}

static int sql_op(sd_emit_ctx *ctx, const sd_op *op, bool downgrade, sd_error *err)
{
	sql_state *st = ctx->state;
	dir_plan *d;

	if (in_place(ctx))
		return sd_sql_alter_op(ctx, op, downgrade, err);
	d = &st->dir[downgrade ? 1 : 0];
	if (op < d->l->ops || op >= d->l->ops + d->l->n)
		return sd_error_set(err, SD_EINTERNAL, "sql emitter: op is not in the migration");
	return render_op(ctx, d, (size_t)(op - d->l->ops), err);
}

static void write_section(sd_emit_ctx *ctx, const dir_plan *d)
{
	if (d->l->n == 0) {
		sd_str_add(ctx->out, "-- nothing to do\n");
		return;
	}
	write_prologue(ctx->out, d);
	sd_str_add(ctx->out, d->body.ptr);
	write_epilogue(ctx, ctx->out, d);
}

static int sql_end(sd_emit_ctx *ctx, sd_error *err)
{
	sql_state *st = ctx->state;

	if (in_place(ctx))
		return sd_sql_alter_end(ctx, err);
	if (!st)
		return 0;
	if (!err || !err->code) {
		sd_sql_write_header(ctx, "each section runs as it stands (sqlite3 DB < section.sql) "
					 "and is all or nothing; for dbmate, mark both sections "
					 "transaction:false");
		sd_str_add(ctx->out, "\n-- migrate:up\n");
		write_section(ctx, &st->dir[0]);
		sd_str_add(ctx->out, "\n-- migrate:down\n");
		write_section(ctx, &st->dir[1]);
	}
	release_direction(&st->dir[0]);
	release_direction(&st->dir[1]);
	free(st);
	ctx->state = NULL;
	return 0;
}

const sd_emitter sd_emitter_sql = {
	.name = "sql",
	.begin = sql_begin,
	.op = sql_op,
	.end = sql_end,
};
