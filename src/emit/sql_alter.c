/*
 * sql_alter.c - the SQL revision file ("sql") for dialects whose ALTER TABLE
 * does every change in place (caps SD_SQL_IN_PLACE_CAPS: PostgreSQL).
 *
 *   -- <header>
 *   -- migrate:up
 *   BEGIN;  ...one statement group per op...  COMMIT;
 *   -- migrate:down
 *   BEGIN;  ...  COMMIT;
 *
 * Each section runs as it stands with `psql -v ON_ERROR_STOP=1 -f` and is
 * all or nothing: DDL is transactional.  Every identifier goes through the
 * dialect's quote_ident; index names are not qualified in CREATE INDEX (an
 * index lives in its table's schema) but are in DROP INDEX.  An unnamed
 * constraint is dropped by the name the server gave it
 * (sd_sql_pg_constraint_name).
 *
 * A type change is written with USING col::type when the old and new types
 * are of different kinds (text to number, ...), where the server has no
 * assignment cast; a column default is dropped before the type change and
 * set again after, since the old default may not cast to the new type.
 *
 * Online forms (sd_revision_meta.online, opt-in): CREATE/DROP INDEX
 * CONCURRENTLY on tables that exist before the section, each between a
 * COMMIT and a new BEGIN (it cannot run in a transaction block); FKs and
 * CHECKs added NOT VALID and then VALIDATE CONSTRAINT in a transaction of
 * its own, so the long scan holds only a SHARE UPDATE EXCLUSIVE lock.
 */
#include <stdlib.h>
#include <string.h>

#include "schemadiff/emit.h"
#include "schemadiff/sqltok.h"
#include "emit/sql_alter.h"

#define PG_NAMEDATALEN 64

typedef struct alt_dir {
	const sd_oplist *l;
	sd_str body;
	char **created;             /* "schema\x1fname" of tables created in the section */
	size_t ncreated;
	char **validate;            /* ALTER TABLE ... VALIDATE CONSTRAINT ... statements */
	size_t nvalidate, avalidate;
	bool in_tx;                 /* the body is inside BEGIN (tracked while rendering) */
} alt_dir;

typedef struct alt_state {
	alt_dir dir[2];
	unsigned online;
} alt_state;

/* ---- text helpers ------------------------------------------------------- */

static void add_ident(const sd_emit_ctx *ctx, sd_str *out, const char *ident)
{
	ctx->dialect->quote_ident(out, ident);
}

static void add_qname(const sd_emit_ctx *ctx, sd_str *out, const char *schema, const char *name)
{
	if (schema) {
		add_ident(ctx, out, schema);
		sd_str_addch(out, '.');
	}
	add_ident(ctx, out, name);
}

/* Schema text (expressions, view bodies): minus trailing blanks and ';',
 * a newline after it when it holds "--". */
static void add_sqltext(sd_str *out, const char *text)
{
	size_t n = strlen(text);

	while (n && strchr(" \t\r\n;", text[n - 1]))
		n--;
	sd_str_addn(out, text, n);
	if (strstr(text, "--"))
		sd_str_addch(out, '\n');
}

static void add_names(const sd_emit_ctx *ctx, sd_str *out, const char *const *names, size_t n)
{
	sd_str_addch(out, '(');
	for (size_t i = 0; i < n; i++) {
		if (i)
			sd_str_add(out, ", ");
		add_ident(ctx, out, names[i]);
	}
	sd_str_addch(out, ')');
}

/* One token (a literal, a name, CURRENT_TIMESTAMP), or token::type: written bare. */
static bool simple_expr(const char *expr)
{
	sd_lexer lx;
	size_t n = 0;
	bool cast = false;

	sd_lexer_init(&lx, expr, strlen(expr));
	for (;;) {
		sd_tok k = sd_lexer_next(&lx);

		if (k.kind == SD_TOK_EOF)
			break;
		if (k.kind == SD_TOK_ERROR)
			return false;
		if (n == 1 && k.kind == SD_TOK_OP && k.len == 2 && memcmp(k.start, "::", 2) == 0) {
			cast = true;
			n++;
			continue;
		}
		if (n == 0 && k.kind == SD_TOK_OP && k.len == 1 && k.start[0] == '-') {
			continue; /* a sign */
		}
		n++;
		if (!cast && n > 1)
			return false;
	}
	return n == 1 || cast;
}

static void add_expr(sd_str *out, const char *expr)
{
	if (simple_expr(expr)) {
		add_sqltext(out, expr);
	} else {
		sd_str_addch(out, '(');
		add_sqltext(out, expr);
		sd_str_addch(out, ')');
	}
}

/* ---- generated constraint names ----------------------------------------- */

/* Length of s clipped to at most n bytes without splitting a UTF-8 character. */
static size_t clip_utf8(const char *s, size_t len, size_t n)
{
	if (len <= n)
		return len;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

/* PostgreSQL's makeObjectName(name1, name2, label). */
static void make_object_name(sd_str *out, const char *name1, const char *name2, const char *label)
{
	size_t n1 = strlen(name1), n2 = name2 ? strlen(name2) : 0;
	size_t overhead = strlen(label) + 1 + (name2 ? 1 : 0);
	size_t avail = PG_NAMEDATALEN - 1 - overhead;

	n1 = clip_utf8(name1, n1, PG_NAMEDATALEN - 1);
	if (name2)
		n2 = clip_utf8(name2, n2, PG_NAMEDATALEN - 1);
	while (n1 + n2 > avail) {
		if (n1 > n2)
			n1 = clip_utf8(name1, n1, n1 - 1);
		else
			n2 = clip_utf8(name2, n2, n2 - 1);
	}
	sd_str_addn(out, name1, n1);
	if (name2) {
		sd_str_addch(out, '_');
		sd_str_addn(out, name2, n2);
	}
	sd_str_addch(out, '_');
	sd_str_add(out, label);
}

/* The distinct columns of the table an expression names, in order of first mention. */
static size_t check_columns(const char *expr, const char *const *cols, size_t ncols,
			    const char **first)
{
	sd_lexer lx;
	sd_str v = SD_STR_INIT;
	const char *seen = NULL;
	size_t n = 0;

	sd_lexer_init(&lx, expr, strlen(expr));
	for (;;) {
		sd_tok k = sd_lexer_next(&lx);

		if (k.kind == SD_TOK_EOF || k.kind == SD_TOK_ERROR)
			break;
		if (k.kind != SD_TOK_IDENT && k.kind != SD_TOK_QIDENT)
			continue;
		sd_str_reset(&v);
		sd_tok_ident_value(&k, &v);
		for (size_t i = 0; i < ncols; i++) {
			bool match = k.kind == SD_TOK_QIDENT ? strcmp(v.ptr, cols[i]) == 0
							     : sd_strcasecmp(v.ptr, cols[i]) == 0;

			if (match && (!seen || strcmp(seen, cols[i]) != 0)) {
				if (!seen)
					seen = cols[i];
				n++;
				break;
			}
		}
	}
	sd_str_release(&v);
	*first = seen;
	return n;
}

void sd_sql_pg_constraint_name(sd_str *out, const char *table, sd_constraint_type type,
			       const char *const *columns, size_t ncolumns, const char *check_expr)
{
	sd_str joined = SD_STR_INIT;
	const char *first = NULL;

	switch (type) {
	case SD_CONSTRAINT_PRIMARY:
		make_object_name(out, table, NULL, "pkey");
		break;
	case SD_CONSTRAINT_CHECK:
		if (check_expr && check_columns(check_expr, columns, ncolumns, &first) == 1)
			make_object_name(out, table, first, "check");
		else
			make_object_name(out, table, NULL, "check");
		break;
	default:
		for (size_t i = 0; i < ncolumns; i++) {
			if (i)
				sd_str_addch(&joined, '_');
			sd_str_add(&joined, columns[i]);
		}
		make_object_name(out, table, joined.ptr,
				 type == SD_CONSTRAINT_FOREIGN_KEY ? "fkey" : "key");
		break;
	}
	sd_str_release(&joined);
}

/* The name of the constraint an op adds or drops: its own, else the server's. */
static void op_constraint_name(sd_str *out, const sd_op *op)
{
	const char **cols = NULL;
	size_t ncols = 0;

	switch (op->ctype) {
	case SD_CONSTRAINT_PRIMARY:
		if (op->pk && op->pk->name) {
			sd_str_add(out, op->pk->name);
			return;
		}
		break;
	case SD_CONSTRAINT_UNIQUE:
		if (op->unique && op->unique->name) {
			sd_str_add(out, op->unique->name);
			return;
		}
		if (op->unique) {
			cols = op->unique->columns;
			ncols = op->unique->ncolumns;
		}
		break;
	case SD_CONSTRAINT_FOREIGN_KEY:
		if (op->fk && op->fk->name) {
			sd_str_add(out, op->fk->name);
			return;
		}
		if (op->fk) {
			cols = op->fk->columns;
			ncols = op->fk->ncolumns;
		}
		break;
	case SD_CONSTRAINT_CHECK:
		if (op->check && op->check->name) {
			sd_str_add(out, op->check->name);
			return;
		}
		break;
	default:
		break;
	}
	if (op->ctype == SD_CONSTRAINT_CHECK) {
		const sd_table *t = op->table_def;
		const char **names = xmalloc(((t ? t->ncolumns : 0) + 1) * sizeof(*names));

		for (size_t i = 0; t && i < t->ncolumns; i++)
			names[i] = t->columns[i]->name;
		sd_sql_pg_constraint_name(out, op->table, SD_CONSTRAINT_CHECK, names,
					  t ? t->ncolumns : 0, op->check ? op->check->expression : NULL);
		free(names);
		return;
	}
	sd_sql_pg_constraint_name(out, op->table, op->ctype, cols, ncols, NULL);
}

/* ---- definitions -------------------------------------------------------- */

enum tkind { K_OTHER, K_TEXT, K_NUMBER, K_BOOL, K_TIME, K_BYTES, K_JSON };
static enum tkind type_kind(const sd_dialect *d, const char *type);

/*
 * A column default: a boolean column's 0 / 1 (what schema files written for
 * SQLite hold, and SQLAlchemy's server_default="1") as false / true, which
 * the server has no assignment cast for; anything else as it stands.
 */
static void add_default(const sd_emit_ctx *ctx, sd_str *out, const sd_column *c)
{
	const char *d = c->server_default;

	if (type_kind(ctx->dialect, c->type) == K_BOOL) {
		if (strcmp(d, "0") == 0 || strcmp(d, "'0'") == 0) {
			sd_str_add(out, "false");
			return;
		}
		if (strcmp(d, "1") == 0 || strcmp(d, "'1'") == 0) {
			sd_str_add(out, "true");
			return;
		}
	}
	add_expr(out, d);
}

static void add_column_def(const sd_emit_ctx *ctx, sd_str *out, const sd_column *c)
{
	add_ident(ctx, out, c->name);
	sd_str_addch(out, ' ');
	sd_str_add(out, c->type && *c->type ? c->type : "text");
	if (c->collation) {
		sd_str_add(out, " COLLATE ");
		add_ident(ctx, out, c->collation);
	}
	if (c->generated) {
		sd_str_add(out, " GENERATED ALWAYS AS (");
		add_sqltext(out, c->generated);
		sd_str_add(out, ") STORED");
	} else if (c->autoincrement == SD_AUTOINC_TRUE) {
		sd_str_add(out, " GENERATED BY DEFAULT AS IDENTITY");
	} else if (c->server_default) {
		sd_str_add(out, " DEFAULT ");
		add_default(ctx, out, c);
	}
	if (!c->nullable)
		sd_str_add(out, " NOT NULL");
}

static void add_constraint_prefix(const sd_emit_ctx *ctx, sd_str *out, const char *name)
{
	if (name) {
		sd_str_add(out, "CONSTRAINT ");
		add_ident(ctx, out, name);
		sd_str_addch(out, ' ');
	}
}

static void add_fk_body(const sd_emit_ctx *ctx, sd_str *out, const sd_foreign_key *fk)
{
	sd_str_add(out, "FOREIGN KEY ");
	add_names(ctx, out, fk->columns, fk->ncolumns);
	sd_str_add(out, " REFERENCES ");
	add_qname(ctx, out, fk->ref_schema, fk->ref_table);
	if (fk->nref_columns) {
		sd_str_addch(out, ' ');
		add_names(ctx, out, fk->ref_columns, fk->nref_columns);
	}
	if (fk->match)
		sd_str_addf(out, " MATCH %s", fk->match);
	if (fk->on_update)
		sd_str_addf(out, " ON UPDATE %s", fk->on_update);
	if (fk->on_delete)
		sd_str_addf(out, " ON DELETE %s", fk->on_delete);
	if (fk->deferrable)
		sd_str_add(out, fk->initially_deferred ? " DEFERRABLE INITIALLY DEFERRED"
						       : " DEFERRABLE");
}

static void add_comment_on(const sd_emit_ctx *ctx, sd_str *out, const char *schema,
			   const char *table, const char *column, const char *comment)
{
	sd_str_add(out, column ? "COMMENT ON COLUMN " : "COMMENT ON TABLE ");
	add_qname(ctx, out, schema, table);
	if (column) {
		sd_str_addch(out, '.');
		add_ident(ctx, out, column);
	}
	sd_str_add(out, " IS ");
	if (comment)
		sd_sql_literal(out, comment);
	else
		sd_str_add(out, "NULL");
	sd_str_add(out, ";\n");
}

/* "UNIQUE [NULLS NOT DISTINCT] (cols)" */
static void add_unique_body(const sd_emit_ctx *ctx, sd_str *out, const sd_unique *u)
{
	sd_str_add(out, u->nulls_not_distinct ? "UNIQUE NULLS NOT DISTINCT " : "UNIQUE ");
	add_names(ctx, out, u->columns, u->ncolumns);
}

static void add_create_table(const sd_emit_ctx *ctx, sd_str *out, const sd_table *t,
			     const char *schema, const char *name)
{
	sd_str_add(out, "CREATE TABLE ");
	add_qname(ctx, out, schema, name);
	sd_str_add(out, " (");
	for (size_t i = 0; i < t->ncolumns; i++) {
		sd_str_add(out, i ? ",\n    " : "\n    ");
		add_column_def(ctx, out, t->columns[i]);
	}
	if (t->pk) {
		sd_str_add(out, ",\n    ");
		add_constraint_prefix(ctx, out, t->pk->name);
		sd_str_add(out, "PRIMARY KEY ");
		add_names(ctx, out, t->pk->columns, t->pk->ncolumns);
	}
	for (size_t i = 0; i < t->nuniques; i++) {
		sd_str_add(out, ",\n    ");
		add_constraint_prefix(ctx, out, t->uniques[i]->name);
		add_unique_body(ctx, out, t->uniques[i]);
	}
	for (size_t i = 0; i < t->nchecks; i++) {
		sd_str_add(out, ",\n    ");
		add_constraint_prefix(ctx, out, t->checks[i]->name);
		sd_str_add(out, "CHECK (");
		add_sqltext(out, t->checks[i]->expression);
		sd_str_addch(out, ')');
	}
	for (size_t i = 0; i < t->nfks; i++) {
		sd_str_add(out, ",\n    ");
		add_constraint_prefix(ctx, out, t->fks[i]->name);
		add_fk_body(ctx, out, t->fks[i]);
	}
	sd_str_add(out, "\n);\n");
	if (t->comment)
		add_comment_on(ctx, out, schema, name, NULL, t->comment);
	for (size_t i = 0; i < t->ncolumns; i++)
		if (t->columns[i]->comment)
			add_comment_on(ctx, out, schema, name, t->columns[i]->name,
				       t->columns[i]->comment);
}

static void add_create_index(const sd_emit_ctx *ctx, sd_str *out, const char *schema,
			     const char *table, const sd_index *ix, bool concurrently)
{
	sd_str_add(out, ix->unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
	if (concurrently)
		sd_str_add(out, "CONCURRENTLY ");
	add_ident(ctx, out, ix->name);
	sd_str_add(out, " ON ");
	add_qname(ctx, out, schema, table);
	if (ix->method) {
		sd_str_add(out, " USING ");
		add_ident(ctx, out, ix->method);
	}
	sd_str_add(out, " (");
	for (size_t i = 0; i < ix->nelems; i++) {
		const sd_index_elem *e = ix->elems[i];

		if (i)
			sd_str_add(out, ", ");
		if (e->column) {
			add_ident(ctx, out, e->column);
		} else {
			sd_str_addch(out, '(');
			add_sqltext(out, e->expression ? e->expression : "NULL");
			sd_str_addch(out, ')');
		}
		if (e->collation) {
			sd_str_add(out, " COLLATE ");
			add_ident(ctx, out, e->collation);
		}
		if (e->opclass) {
			/* SQL text already (a validated, quoted-where-needed name) */
			sd_str_addch(out, ' ');
			sd_str_add(out, e->opclass);
		}
		if (e->desc)
			sd_str_add(out, " DESC");
		if (e->nulls)
			sd_str_addf(out, " NULLS %s", e->nulls);
	}
	sd_str_addch(out, ')');
	if (ix->ninclude) {
		sd_str_add(out, " INCLUDE (");
		for (size_t i = 0; i < ix->ninclude; i++) {
			if (i)
				sd_str_add(out, ", ");
			add_ident(ctx, out, ix->include[i]);
		}
		sd_str_addch(out, ')');
	}
	if (ix->nulls_not_distinct)
		sd_str_add(out, " NULLS NOT DISTINCT");
	if (ix->where) {
		sd_str_add(out, " WHERE ");
		add_sqltext(out, ix->where);
	}
	sd_str_add(out, ";\n");
}

/* ---- type changes ------------------------------------------------------- */

static enum tkind type_kind(const sd_dialect *d, const char *type)
{
	static const struct {
		const char *prefix;
		enum tkind k;
	} kinds[] = {
		{ "character", K_TEXT }, { "text", K_TEXT }, { "name", K_TEXT },
		{ "citext", K_TEXT }, { "smallint", K_NUMBER }, { "integer", K_NUMBER },
		{ "bigint", K_NUMBER }, { "numeric", K_NUMBER }, { "real", K_NUMBER },
		{ "double precision", K_NUMBER }, { "boolean", K_BOOL }, { "timestamp", K_TIME },
		{ "date", K_TIME }, { "time", K_TIME }, { "bytea", K_BYTES }, { "json", K_JSON },
	};
	sd_str n = SD_STR_INIT;
	enum tkind k = K_OTHER;

	if (!type)
		return K_OTHER;
	d->normalize_type(&n, type);
	if (strchr(n.ptr, '['))
		k = K_OTHER;
	else
		for (size_t i = 0; i < SD_ARRAY_LEN(kinds); i++)
			if (strncmp(n.ptr, kinds[i].prefix, strlen(kinds[i].prefix)) == 0) {
				k = kinds[i].k;
				break;
			}
	sd_str_release(&n);
	return k;
}

bool sd_sql_type_change_needs_cast(const sd_dialect *d, const char *from, const char *to)
{
	enum tkind a = type_kind(d, from), b = type_kind(d, to);

	if (a == K_OTHER || b == K_OTHER)
		return !(from && to && strcmp(from, to) == 0) && a != b;
	if (a == b)
		return false;
	/* everything has an assignment cast to text; json/jsonb between themselves */
	return b != K_TEXT;
}

/* ---- sections ----------------------------------------------------------- */

static char *table_key(const char *schema, const char *name)
{
	sd_str k = SD_STR_INIT;

	sd_str_add(&k, schema ? schema : "");
	sd_str_addch(&k, '\x1f');
	sd_str_add(&k, name ? name : "");
	return sd_str_detach(&k);
}

static bool created_here(const alt_dir *d, const char *schema, const char *name)
{
	char *k = table_key(schema, name);
	bool hit = false;

	for (size_t i = 0; i < d->ncreated && !hit; i++)
		hit = strcmp(d->created[i], k) == 0;
	free(k);
	return hit;
}

/* Leave the transaction for one statement that cannot run inside one. */
static void outside_tx(alt_dir *d, const char *stmt)
{
	sd_str_add(&d->body, "COMMIT;\n");
	sd_str_add(&d->body, stmt);
	sd_str_add(&d->body, "BEGIN;\n");
}

/*
 * The op's review line as a comment, into out.  With online (the op is
 * written in its online form), the review's "[long lock: ...]" would be
 * wrong: it says what the form written instead does.
 */
static void note_to(sd_str *out, const sd_op *op, const char *online)
{
	sd_str line = SD_STR_INIT;
	sd_op shown = *op;

	if (online)
		shown.long_lock = false;
	sd_review_line(&line, &shown);
	if (online)
		sd_str_addf(&line, "  [online: %s]", online);
	sd_sql_comment(out, "", line.ptr);
	sd_str_release(&line);
}

static void note(alt_dir *d, const sd_op *op)
{
	note_to(&d->body, op, NULL);
}

/* Will the constraint op be added NOT VALID and validated after the section (--online)? */
static bool online_constraint(const alt_state *st, alt_dir *d, const sd_op *op)
{
	return (st->online & SD_ONLINE_NOT_VALID) &&
	       (op->kind == SD_OP_CREATE_FOREIGN_KEY || op->kind == SD_OP_CREATE_CHECK_CONSTRAINT) &&
	       !created_here(d, op->schema, op->table);
}

/* Will the index op run CONCURRENTLY, between transactions (--concurrently)? */
static bool online_index(const alt_state *st, alt_dir *d, const sd_op *op)
{
	return (st->online & SD_ONLINE_CONCURRENTLY) &&
	       (op->kind == SD_OP_CREATE_INDEX || op->kind == SD_OP_DROP_INDEX) &&
	       !created_here(d, op->schema, op->table);
}

static int render_alter_column(const sd_emit_ctx *ctx, alt_dir *d, const sd_op *op, sd_error *err)
{
	const sd_column *c = op->column, *o = op->old_column;
	sd_str *out = &d->body;
	sd_str pre = SD_STR_INIT;
	bool type_change = op->changes & (SD_CHANGE_TYPE | SD_CHANGE_COLLATION);
	bool redo_default = false;

	if (!c || !o)
		return sd_error_set(err, SD_EINPUT, "alter_column on '%s' carries no column",
				    op->table);
	if (op->changes & SD_CHANGE_GENERATED)
		return sd_error_set(err, SD_EUNSUPPORTED,
				    "alter_column %s.%s: PostgreSQL cannot change a column's "
				    "generation expression in place", op->table, c->name);
	sd_str_add(&pre, "ALTER TABLE ");
	add_qname(ctx, &pre, op->schema, op->table);
	sd_str_add(&pre, " ALTER COLUMN ");
	add_ident(ctx, &pre, c->name);

	if (op->changes & SD_CHANGE_AUTOINCREMENT && o->autoincrement == SD_AUTOINC_TRUE)
		sd_str_addf(out, "%s DROP IDENTITY IF EXISTS;\n", pre.ptr);
	if (type_change && o->server_default && !o->generated) {
		sd_str_addf(out, "%s DROP DEFAULT;\n", pre.ptr);
		redo_default = c->server_default != NULL;
	} else if (op->changes & SD_CHANGE_DEFAULT && !c->server_default) {
		sd_str_addf(out, "%s DROP DEFAULT;\n", pre.ptr);
	}
	if (type_change) {
		sd_str_addf(out, "%s TYPE %s", pre.ptr, c->type ? c->type : "text");
		if (c->collation) {
			sd_str_add(out, " COLLATE ");
			add_ident(ctx, out, c->collation);
		}
		if ((op->changes & SD_CHANGE_TYPE) && sd_sql_type_change_needs_cast(ctx->dialect, o->type, c->type)) {
			sd_str_add(out, " USING ");
			add_ident(ctx, out, c->name);
			sd_str_addf(out, "::%s", c->type);
		}
		sd_str_add(out, ";\n");
	}
	if (c->server_default && ((op->changes & SD_CHANGE_DEFAULT) || redo_default)) {
		sd_str_addf(out, "%s SET DEFAULT ", pre.ptr);
		add_default(ctx, out, c);
		sd_str_add(out, ";\n");
	}
	if (op->changes & SD_CHANGE_NULLABLE)
		sd_str_addf(out, "%s %s NOT NULL;\n", pre.ptr, c->nullable ? "DROP" : "SET");
	if (op->changes & SD_CHANGE_AUTOINCREMENT && c->autoincrement == SD_AUTOINC_TRUE)
		sd_str_addf(out, "%s ADD GENERATED BY DEFAULT AS IDENTITY;\n", pre.ptr);
	if (op->changes & SD_CHANGE_COMMENT)
		add_comment_on(ctx, out, op->schema, op->table, c->name, c->comment);
	sd_str_release(&pre);
	return 0;
}

/* ALTER TABLE t ADD CONSTRAINT ..., NOT VALID + VALIDATE when asked for. */
static void render_add_constraint(const sd_emit_ctx *ctx, const alt_state *st, alt_dir *d,
				  const sd_op *op)
{
	sd_str *out = &d->body;
	sd_str name = SD_STR_INIT;
	bool online = online_constraint(st, d, op);

	op_constraint_name(&name, op);
	sd_str_add(out, "ALTER TABLE ");
	add_qname(ctx, out, op->schema, op->table);
	sd_str_add(out, " ADD CONSTRAINT ");
	add_ident(ctx, out, name.ptr);
	sd_str_addch(out, ' ');
	switch (op->kind) {
	case SD_OP_CREATE_PRIMARY_KEY:
		sd_str_add(out, "PRIMARY KEY ");
		add_names(ctx, out, op->pk->columns, op->pk->ncolumns);
		break;
	case SD_OP_CREATE_UNIQUE_CONSTRAINT:
		add_unique_body(ctx, out, op->unique);
		break;
	case SD_OP_CREATE_FOREIGN_KEY:
		add_fk_body(ctx, out, op->fk);
		break;
	default:
		sd_str_add(out, "CHECK (");
		add_sqltext(out, op->check->expression);
		sd_str_addch(out, ')');
		break;
	}
	if (online) {
		sd_str v = SD_STR_INIT;

		sd_str_add(out, " NOT VALID");
		sd_str_add(&v, "ALTER TABLE ");
		add_qname(ctx, &v, op->schema, op->table);
		sd_str_add(&v, " VALIDATE CONSTRAINT ");
		add_ident(ctx, &v, name.ptr);
		sd_str_add(&v, ";\n");
		SD_GROW(d->validate, d->nvalidate + 1, d->avalidate);
		d->validate[d->nvalidate++] = sd_str_detach(&v);
	}
	sd_str_add(out, ";\n");
	sd_str_release(&name);
}


static bool seq_descending(const sd_sequence *q)
{
	return q->increment && q->increment[0] == '-';
}

static void add_seq_min(sd_str *out, const sd_sequence *q)
{
	if (q->min)
		sd_str_addf(out, " MINVALUE %s", q->min);
	else
		sd_str_add(out, " NO MINVALUE");
}

static void add_seq_max(sd_str *out, const sd_sequence *q)
{
	if (q->max)
		sd_str_addf(out, " MAXVALUE %s", q->max);
	else
		sd_str_add(out, " NO MAXVALUE");
}

/* START WITH the stated start, else the default for the direction (MINVALUE or MAXVALUE). */
static void add_seq_start(sd_str *out, const sd_sequence *q)
{
	sd_str_addf(out, " START WITH %s", q->start ? q->start
		    : seq_descending(q) ? (q->max ? q->max : "-1") : (q->min ? q->min : "1"));
}

static void add_seq_owner(const sd_emit_ctx *ctx, sd_str *out, const sd_sequence *q)
{
	sd_str_add(out, " OWNED BY ");
	if (q->owned_by) {
		const char *dot = strrchr(q->owned_by, '.');
		sd_str tmp = SD_STR_INIT;

		sd_str_addn(&tmp, q->owned_by, dot ? (size_t)(dot - q->owned_by) : strlen(q->owned_by));
		add_qname(ctx, out, q->schema, tmp.ptr);
		sd_str_addch(out, '.');
		add_ident(ctx, out, dot ? dot + 1 : "");
		sd_str_release(&tmp);
	} else {
		sd_str_add(out, "NONE");
	}
}

/*
 * ALTER SEQUENCE with the settings that change from x to y.  A setting not
 * stated (NULL) is the server's default for the type and direction, so
 * MINVALUE, MAXVALUE and START WITH are spelled out again when the type or
 * the direction changes.  START WITH sets the recorded start only (what a
 * later RESTART without a value goes back to): the sequence's current
 * value is not changed, so no value already handed out is handed out
 * again.
 */
static void render_alter_sequence(const sd_emit_ctx *ctx, sd_str *out, const sd_sequence *x,
				  const sd_sequence *y)
{
	bool retyped = !sd_streq(x->type, y->type);
	bool turned = seq_descending(x) != seq_descending(y);
	size_t len;

	sd_str_add(out, "ALTER SEQUENCE ");
	add_qname(ctx, out, y->schema, y->name);
	len = out->len;
	if (retyped)
		sd_str_addf(out, " AS %s", y->type ? y->type : "bigint");
	if (!sd_streq(x->increment, y->increment))
		sd_str_addf(out, " INCREMENT BY %s", y->increment ? y->increment : "1");
	if (retyped || turned || !sd_streq(x->min, y->min))
		add_seq_min(out, y);
	if (retyped || turned || !sd_streq(x->max, y->max))
		add_seq_max(out, y);
	if (retyped || turned || !sd_streq(x->start, y->start) ||
	    (!y->start && (!sd_streq(x->min, y->min) || !sd_streq(x->max, y->max))))
		add_seq_start(out, y);
	if (!sd_streq(x->cache, y->cache))
		sd_str_addf(out, " CACHE %s", y->cache ? y->cache : "1");
	if (x->cycle != y->cycle)
		sd_str_add(out, y->cycle ? " CYCLE" : " NO CYCLE");
	if (!sd_streq(x->owned_by, y->owned_by) || out->len == len)
		add_seq_owner(ctx, out, y);
	sd_str_add(out, ";\n");
}

/*
 * PostgreSQL objects outside tables: enums, sequences, materialized views
 * (the latter in the view case).  ALTER TYPE ... ADD VALUE runs inside the
 * migration's transaction (allowed since PostgreSQL 12, the oldest server
 * supported); the new value cannot be used before COMMIT, so a default or
 * CHECK naming it in the same migration fails on the server: split the
 * migration in two then.
 */
static void render_pg_object(const sd_emit_ctx *ctx, sd_str *out, const sd_op *op)
{
	const sd_sequence *q = op->sequence;
	size_t i;

	switch (op->kind) {
	case SD_OP_CREATE_ENUM:
		sd_str_add(out, "CREATE TYPE ");
		add_qname(ctx, out, op->enum_def->schema, op->enum_def->name);
		sd_str_add(out, " AS ENUM (");
		for (i = 0; i < op->enum_def->nvalues; i++) {
			if (i)
				sd_str_add(out, ", ");
			sd_sql_literal(out, op->enum_def->values[i]);
		}
		sd_str_add(out, ");\n");
		return;
	case SD_OP_DROP_ENUM:
		sd_str_add(out, "DROP TYPE ");
		add_qname(ctx, out, op->enum_def->schema, op->enum_def->name);
		sd_str_add(out, ";\n");
		return;
	case SD_OP_ADD_ENUM_VALUE:
		sd_str_add(out, "ALTER TYPE ");
		add_qname(ctx, out, op->enum_def->schema, op->enum_def->name);
		sd_str_add(out, " ADD VALUE ");
		sd_sql_literal(out, op->value);
		if (op->neighbor) {
			sd_str_add(out, op->before ? " BEFORE " : " AFTER ");
			sd_sql_literal(out, op->neighbor);
		}
		sd_str_add(out, ";\n");
		return;
	case SD_OP_DROP_SEQUENCE:
		/* no IF EXISTS: the comparator releases an owner whose column goes first */
		sd_str_add(out, "DROP SEQUENCE ");
		add_qname(ctx, out, q->schema, q->name);
		sd_str_add(out, ";\n");
		return;
	case SD_OP_ALTER_SEQUENCE:
		if (op->old_sequence) {
			render_alter_sequence(ctx, out, op->old_sequence, q);
			return;
		}
		break;
	default:
		break;
	}
	/* create_sequence (alter_sequence without the old one): every setting, the defaults
	   spelled out by NO/NONE */
	sd_str_add(out, op->kind == SD_OP_CREATE_SEQUENCE ? "CREATE SEQUENCE " : "ALTER SEQUENCE ");
	add_qname(ctx, out, q->schema, q->name);
	sd_str_addf(out, " AS %s", q->type ? q->type : "bigint");
	sd_str_addf(out, " INCREMENT BY %s", q->increment ? q->increment : "1");
	add_seq_min(out, q);
	add_seq_max(out, q);
	if (q->start)
		sd_str_addf(out, " START WITH %s", q->start);
	else if (op->kind == SD_OP_ALTER_SEQUENCE)
		add_seq_start(out, q);
	sd_str_addf(out, " CACHE %s%s", q->cache ? q->cache : "1", q->cycle ? " CYCLE" : " NO CYCLE");
	add_seq_owner(ctx, out, q);
	sd_str_add(out, ";\n");
}

void sd_sql_pg_create_index(const sd_dialect *d, sd_str *out, const char *schema,
			    const char *table, const sd_index *ix)
{
	sd_emit_ctx ctx = { 0 };

	ctx.dialect = d;
	ctx.out = out;
	add_create_index(&ctx, out, schema, table, ix, false);
}

void sd_sql_pg_add_unique(const sd_dialect *d, sd_str *out, const char *schema, const char *table,
			  const sd_unique *u)
{
	sd_emit_ctx ctx = { 0 };
	sd_op op = { 0 };
	sd_str name = SD_STR_INIT;

	ctx.dialect = d;
	ctx.out = out;
	op.kind = SD_OP_CREATE_UNIQUE_CONSTRAINT;
	op.ctype = SD_CONSTRAINT_UNIQUE;
	op.schema = schema;
	op.table = table;
	op.unique = u;
	op_constraint_name(&name, &op);
	sd_str_add(out, "ALTER TABLE ");
	add_qname(&ctx, out, schema, table);
	sd_str_add(out, " ADD CONSTRAINT ");
	add_ident(&ctx, out, name.ptr);
	sd_str_addch(out, ' ');
	add_unique_body(&ctx, out, u);
	sd_str_add(out, ";\n");
	sd_str_release(&name);
}

void sd_sql_pg_object(const sd_dialect *d, sd_str *out, const sd_op *op)
{
	sd_emit_ctx ctx = { 0 };

	ctx.dialect = d;
	ctx.out = out;
	render_pg_object(&ctx, out, op);
}

static int render_op(const sd_emit_ctx *ctx, const alt_state *st, alt_dir *d, const sd_op *op,
		     sd_error *err)
{
	sd_str *out = &d->body;
	sd_str tmp = SD_STR_INIT;
	bool concurrently;

	concurrently = online_index(st, d, op);
	if (online_constraint(st, d, op))
		note_to(out, op, "added NOT VALID, validated after the section under a weaker lock");
	else if (!concurrently)
		note(d, op);
	switch (op->kind) {
	case SD_OP_CREATE_TABLE:
		if (!op->table_def)
			return sd_error_set(err, SD_EINPUT, "create_table '%s' carries no table",
					    op->table);
		add_create_table(ctx, out, op->table_def, op->schema, op->table);
		break;
	case SD_OP_DROP_TABLE:
		sd_str_add(out, "DROP TABLE ");
		add_qname(ctx, out, op->schema, op->table);
		sd_str_add(out, ";\n");
		break;
	case SD_OP_ADD_COLUMN:
		if (!op->column)
			return sd_error_set(err, SD_EINPUT, "add_column on '%s' carries no column",
					    op->table);
		sd_str_add(out, "ALTER TABLE ");
		add_qname(ctx, out, op->schema, op->table);
		sd_str_add(out, " ADD COLUMN ");
		add_column_def(ctx, out, op->column);
		sd_str_add(out, ";\n");
		if (op->column->comment)
			add_comment_on(ctx, out, op->schema, op->table, op->column->name,
				       op->column->comment);
		break;
	case SD_OP_DROP_COLUMN:
		if (!op->column)
			return sd_error_set(err, SD_EINPUT, "drop_column on '%s' carries no column",
					    op->table);
		sd_str_add(out, "ALTER TABLE ");
		add_qname(ctx, out, op->schema, op->table);
		sd_str_add(out, " DROP COLUMN ");
		add_ident(ctx, out, op->column->name);
		sd_str_add(out, ";\n");
		break;
	case SD_OP_ALTER_COLUMN:
		return render_alter_column(ctx, d, op, err);
	case SD_OP_CREATE_INDEX:
	case SD_OP_DROP_INDEX:
		if (!op->index)
			return sd_error_set(err, SD_EINPUT, "%s on '%s' carries no index",
					    sd_op_kind_name(op->kind), op->table);
		if (concurrently)   /* the comment goes with the statement, between the transactions */
			note_to(&tmp, op, op->kind == SD_OP_CREATE_INDEX ?
				"built CONCURRENTLY: writes go on while it builds" :
				"dropped CONCURRENTLY");
		if (op->kind == SD_OP_CREATE_INDEX) {
			add_create_index(ctx, &tmp, op->schema, op->table, op->index, concurrently);
		} else {
			sd_str_add(&tmp, concurrently ? "DROP INDEX CONCURRENTLY " : "DROP INDEX ");
			add_qname(ctx, &tmp, op->schema, op->index->name);
			sd_str_add(&tmp, ";\n");
		}
		if (concurrently)
			outside_tx(d, tmp.ptr);
		else
			sd_str_add(out, tmp.ptr);
		break;
	case SD_OP_CREATE_UNIQUE_CONSTRAINT:
	case SD_OP_CREATE_FOREIGN_KEY:
	case SD_OP_CREATE_CHECK_CONSTRAINT:
	case SD_OP_CREATE_PRIMARY_KEY:
		if ((op->kind == SD_OP_CREATE_UNIQUE_CONSTRAINT && !op->unique) ||
		    (op->kind == SD_OP_CREATE_FOREIGN_KEY && !op->fk) ||
		    (op->kind == SD_OP_CREATE_CHECK_CONSTRAINT && !op->check) ||
		    (op->kind == SD_OP_CREATE_PRIMARY_KEY && !op->pk))
			return sd_error_set(err, SD_EINPUT, "%s on '%s' carries no constraint",
					    sd_op_kind_name(op->kind), op->table);
		render_add_constraint(ctx, st, d, op);
		break;
	case SD_OP_DROP_CONSTRAINT:
		op_constraint_name(&tmp, op);
		sd_str_add(out, "ALTER TABLE ");
		add_qname(ctx, out, op->schema, op->table);
		sd_str_add(out, " DROP CONSTRAINT ");
		add_ident(ctx, out, tmp.ptr);
		sd_str_add(out, ";\n");
		break;
	case SD_OP_CREATE_TABLE_COMMENT:
	case SD_OP_DROP_TABLE_COMMENT:
		add_comment_on(ctx, out, op->schema, op->table, NULL,
			       op->kind == SD_OP_CREATE_TABLE_COMMENT ? op->comment : NULL);
		break;
	case SD_OP_CREATE_VIEW:
	case SD_OP_DROP_VIEW:
		if (!op->view)
			return sd_error_set(err, SD_EINPUT, "%s of '%s' carries no view",
					    sd_op_kind_name(op->kind), op->table ? op->table : "");
		sd_str_add(out, op->kind == SD_OP_CREATE_VIEW ? "CREATE " : "DROP ");
		sd_str_add(out, op->view->materialized ? "MATERIALIZED VIEW " : "VIEW ");
		add_qname(ctx, out, op->view->schema, op->view->name);
		if (op->kind == SD_OP_CREATE_VIEW) {
			sd_str_add(out, " AS\n");
			add_sqltext(out, op->view->definition);
		}
		sd_str_add(out, ";\n");
		break;
	case SD_OP_CREATE_ENUM:
	case SD_OP_DROP_ENUM:
	case SD_OP_ADD_ENUM_VALUE:
	case SD_OP_CREATE_SEQUENCE:
	case SD_OP_DROP_SEQUENCE:
	case SD_OP_ALTER_SEQUENCE:
		if (!(ctx->dialect->caps & SD_CAP_TYPES_SEQUENCES))
			return sd_error_set(err, SD_EUNSUPPORTED, "%s of '%s': the dialect has no "
					    "enum types or sequences", sd_op_kind_name(op->kind),
					    op->table ? op->table : "");
		if ((op->kind <= SD_OP_ADD_ENUM_VALUE && !op->enum_def) ||
		    (op->kind >= SD_OP_CREATE_SEQUENCE && !op->sequence))
			return sd_error_set(err, SD_EINPUT, "%s of '%s' carries no object",
					    sd_op_kind_name(op->kind), op->table ? op->table : "");
		render_pg_object(ctx, out, op);
		break;
	default:
		sd_str_release(&tmp);
		return sd_error_set(err, SD_EUNSUPPORTED, "%s on '%s' cannot be written as %s SQL",
				    sd_op_kind_name(op->kind), op->table ? op->table : "",
				    ctx->dialect->name);
	}
	sd_str_release(&tmp);
	return 0;
}

static void dir_init(alt_dir *d, const sd_oplist *l)
{
	memset(d, 0, sizeof(*d));
	d->l = l;
	sd_str_init(&d->body);
	d->created = xcalloc(l->n + 1, sizeof(*d->created));
	for (size_t i = 0; i < l->n; i++)
		if (l->ops[i].kind == SD_OP_CREATE_TABLE)
			d->created[d->ncreated++] = table_key(l->ops[i].schema, l->ops[i].table);
}

static void dir_release(alt_dir *d)
{
	for (size_t i = 0; i < d->ncreated; i++)
		free(d->created[i]);
	free(d->created);
	for (size_t i = 0; i < d->nvalidate; i++)
		free(d->validate[i]);
	free(d->validate);
	sd_str_release(&d->body);
}

int sd_sql_alter_begin(sd_emit_ctx *ctx, sd_error *err)
{
	alt_state *st = xcalloc(1, sizeof(*st));

	(void)err;
	st->online = ctx->rev ? ctx->rev->online : 0;
	dir_init(&st->dir[0], &ctx->m->upgrade);
	dir_init(&st->dir[1], &ctx->m->downgrade);
	ctx->state = st;
	return 0;
}

int sd_sql_alter_op(sd_emit_ctx *ctx, const sd_op *op, bool downgrade, sd_error *err)
{
	alt_state *st = ctx->state;
	alt_dir *d = &st->dir[downgrade ? 1 : 0];

	if (op < d->l->ops || op >= d->l->ops + d->l->n)
		return sd_error_set(err, SD_EINTERNAL, "sql emitter: op is not in the migration");
	return render_op(ctx, st, d, op, err);
}

/* Drop "COMMIT;\nBEGIN;\n" pairs that enclose nothing (two CONCURRENTLY in a row). */
static void squeeze_empty_tx(sd_str *s)
{
	static const char pair[] = "BEGIN;\nCOMMIT;\n";
	char *p;

	while ((p = strstr(s->ptr, pair)) != NULL) {
		size_t at = (size_t)(p - s->ptr), n = sizeof(pair) - 1;

		memmove(p, p + n, s->len - at - n + 1);
		s->len -= n;
	}
}

static void write_section(sd_emit_ctx *ctx, alt_dir *d)
{
	sd_str sec = SD_STR_INIT;

	if (d->l->n == 0) {
		sd_str_add(ctx->out, "-- nothing to do\n");
		return;
	}
	sd_str_add(&sec, "BEGIN;\n");
	sd_str_add(&sec, d->body.ptr);
	sd_str_add(&sec, "COMMIT;\n");
	if (d->nvalidate) {
		sd_str_add(&sec, "-- the constraints above were added NOT VALID (no long lock);"
				 " validating them scans the table under a weaker lock\nBEGIN;\n");
		for (size_t i = 0; i < d->nvalidate; i++)
			sd_str_add(&sec, d->validate[i]);
		sd_str_add(&sec, "COMMIT;\n");
	}
	squeeze_empty_tx(&sec);
	sd_str_add(ctx->out, sec.ptr);
	sd_str_release(&sec);
}

int sd_sql_alter_end(sd_emit_ctx *ctx, sd_error *err)
{
	alt_state *st = ctx->state;

	if (!st)
		return 0;
	if (!err || !err->code) {
		sd_sql_write_header(ctx, st->online & SD_ONLINE_CONCURRENTLY
						 ? "each section runs as it stands (psql -v "
						   "ON_ERROR_STOP=1 -f section.sql); CREATE/DROP INDEX "
						   "CONCURRENTLY runs between transactions"
						 : "each section runs as it stands (psql -v "
						   "ON_ERROR_STOP=1 -f section.sql) and is all or "
						   "nothing; for dbmate, mark both sections "
						   "transaction:false");
		sd_str_add(ctx->out, "\n-- migrate:up\n");
		write_section(ctx, &st->dir[0]);
		sd_str_add(ctx->out, "\n-- migrate:down\n");
		write_section(ctx, &st->dir[1]);
	}
	dir_release(&st->dir[0]);
	dir_release(&st->dir[1]);
	free(st);
	ctx->state = NULL;
	return 0;
}
