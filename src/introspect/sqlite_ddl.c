/*
 * sqlite_ddl.c - recursive-descent parser for the CREATE TABLE / CREATE
 * INDEX text SQLite keeps in sqlite_schema.sql, following SQLite's grammar
 * (lang_createtable.html, lang_createindex.html and parse.y), over the
 * tokens of sqltok.c.  No regular expressions: quoted names, comments,
 * nested parentheses and constraint names in any order all parse.
 *
 * A table is parsed into a scratch schema and copied into the caller's only
 * when the whole statement parsed, so a failure never leaves half a table.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "schemadiff/sqltok.h"
#include "sqlite_ddl.h"

typedef struct parser {
	const char *sql;
	sd_tok *toks;          /* every token but comments, ending with SD_TOK_EOF */
	size_t ntoks;
	size_t i;              /* current token */
	sd_schema *s;          /* where names and objects are allocated */
	sd_table *t;           /* the table being built (CREATE TABLE) */
	const char *path;      /* table name for err->path, once known */
	sd_error *err;
	sd_str buf;
} parser;

/* The constraint keywords that end a column's type name (and start a column constraint). */
static const char *const constraint_words[] = {
	"CONSTRAINT", "PRIMARY", "NOT", "NULL", "UNIQUE", "CHECK", "DEFAULT", "COLLATE",
	"REFERENCES", "GENERATED", "AS", "DEFERRABLE",
};

static void parser_init(parser *p, sd_schema *s, const char *sql, sd_error *err)
{
	sd_lexer lx;
	size_t alloc = 0;

	memset(p, 0, sizeof(*p));
	p->sql = sql;
	p->s = s;
	p->err = err;
	sd_str_init(&p->buf);
	sd_lexer_init(&lx, sql, strlen(sql));
	for (;;) {
		sd_tok t = sd_lexer_next(&lx);

		SD_GROW(p->toks, p->ntoks + 1, alloc);
		p->toks[p->ntoks++] = t;
		/* stop at the first bad token: the parser reports it when it gets there */
		if (t.kind == SD_TOK_EOF || t.kind == SD_TOK_ERROR)
			break;
	}
}

static void parser_release(parser *p)
{
	free(p->toks);
	sd_str_release(&p->buf);
}

static const sd_tok *cur(const parser *p)
{
	return &p->toks[p->i];
}

static const sd_tok *peek(const parser *p, size_t ahead)
{
	size_t j = p->i + ahead;

	return &p->toks[j < p->ntoks ? j : p->ntoks - 1];
}

static void next(parser *p)
{
	if (p->i + 1 < p->ntoks)
		p->i++;
}

static bool is_kw(const parser *p, const char *kw)
{
	return sd_tok_is(cur(p), kw);
}

static bool accept_kw(parser *p, const char *kw)
{
	if (!is_kw(p, kw))
		return false;
	next(p);
	return true;
}

static bool accept_kind(parser *p, sd_tok_kind k)
{
	if (cur(p)->kind != k)
		return false;
	next(p);
	return true;
}

/* Set err at token t: "MESSAGE near "TOKEN"" (or "... at end of input"). */
static int fail_at(parser *p, const sd_tok *t, const char *fmt, ...) SD_PRINTF(3, 4);
static int fail_at(parser *p, const sd_tok *t, const char *fmt, ...)
{
	sd_str msg = SD_STR_INIT;
	va_list ap;

	if (t->kind == SD_TOK_ERROR) {
		char c = t->start[0];

		if (c == '\'')
			sd_str_add(&msg, "unterminated string literal");
		else if (c == '"' || c == '`' || c == '[')
			sd_str_add(&msg, "unterminated quoted identifier");
		else if (c == '/')
			sd_str_add(&msg, "unterminated comment");
		else if (c == 'x' || c == 'X')
			sd_str_add(&msg, "malformed blob literal");
		else
			sd_str_addf(&msg, "unrecognized token \"%.*s\"", (int)(t->len > 20 ? 20 : t->len),
				    t->start);
	} else {
		va_start(ap, fmt);
		sd_str_vaddf(&msg, fmt, ap);
		va_end(ap);
		if (t->kind == SD_TOK_EOF)
			sd_str_add(&msg, " at end of input");
		else
			sd_str_addf(&msg, " near \"%.*s\"", (int)(t->len > 40 ? 40 : t->len), t->start);
	}
	sd_error_set_at(p->err, SD_EINPUT, NULL, t->line, t->column, p->path, "%s", msg.ptr);
	sd_str_release(&msg);
	return SD_EINPUT;
}

static int expect_kw(parser *p, const char *kw)
{
	if (accept_kw(p, kw))
		return 0;
	return fail_at(p, cur(p), "expected %s", kw);
}

static int expect_kind(parser *p, sd_tok_kind k, const char *what)
{
	if (accept_kind(p, k))
		return 0;
	return fail_at(p, cur(p), "expected %s", what);
}

static bool is_name_tok(const sd_tok *t)
{
	return t->kind == SD_TOK_IDENT || t->kind == SD_TOK_QIDENT || t->kind == SD_TOK_STRING;
}

/* A name: bare word, quoted identifier or string; unquoted into the arena. */
static int parse_name(parser *p, const char *what, const char **out)
{
	if (!is_name_tok(cur(p)))
		return fail_at(p, cur(p), "expected %s", what);
	sd_str_reset(&p->buf);
	sd_tok_ident_value(cur(p), &p->buf);
	*out = sd_schema_strdup(p->s, p->buf.ptr);
	next(p);
	return 0;
}

/* Source text of tokens [from, to), verbatim, into the arena. */
static const char *span(parser *p, size_t from, size_t to)
{
	const sd_tok *a = &p->toks[from], *b = &p->toks[to - 1];

	return sd_arena_strndup(p->s->arena, a->start, (size_t)(b->start + b->len - a->start));
}

/*
 * At '(': the text between it and its matching ')' (verbatim, comments
 * inside kept, outer white space dropped); the parser is left after ')'.
 */
static int parse_paren_expr(parser *p, const char *what, const char **out)
{
	const sd_tok *open = cur(p);
	size_t depth = 0, start;

	if (open->kind != SD_TOK_LPAREN)
		return fail_at(p, open, "expected '(' after %s", what);
	next(p);
	start = p->i;
	for (;;) {
		const sd_tok *t = cur(p);

		if (t->kind == SD_TOK_EOF || t->kind == SD_TOK_ERROR)
			return fail_at(p, t, "unbalanced parentheses in %s", what);
		if (t->kind == SD_TOK_LPAREN) {
			depth++;
		} else if (t->kind == SD_TOK_RPAREN) {
			if (depth == 0)
				break;
			depth--;
		}
		next(p);
	}
	if (p->i == start)
		return fail_at(p, cur(p), "empty expression in %s", what);
	*out = span(p, start, p->i);
	next(p);
	return 0;
}

/* [ON CONFLICT ROLLBACK|ABORT|FAIL|IGNORE|REPLACE] */
static int parse_conflict(parser *p)
{
	if (!is_kw(p, "ON") || !sd_tok_is(peek(p, 1), "CONFLICT"))
		return 0;
	next(p);
	next(p);
	if (accept_kw(p, "ROLLBACK") || accept_kw(p, "ABORT") || accept_kw(p, "FAIL") ||
	    accept_kw(p, "IGNORE") || accept_kw(p, "REPLACE"))
		return 0;
	return fail_at(p, cur(p), "expected ROLLBACK, ABORT, FAIL, IGNORE or REPLACE");
}

static bool is_constraint_word(const sd_tok *t)
{
	size_t i;

	for (i = 0; i < SD_ARRAY_LEN(constraint_words); i++) {
		if (sd_tok_is(t, constraint_words[i]))
			return true;
	}
	return false;
}

static bool at_table_constraint(const parser *p)
{
	return is_kw(p, "CONSTRAINT") || is_kw(p, "PRIMARY") || is_kw(p, "UNIQUE") ||
	       is_kw(p, "CHECK") || is_kw(p, "FOREIGN");
}

static sd_column *find_column(const sd_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->ncolumns; i++) {
		if (sd_strcasecmp(t->columns[i]->name, name) == 0)
			return t->columns[i];
	}
	return NULL;
}

/*
 * ( name [COLLATE c] [ASC|DESC], ... ) [AUTOINCREMENT before ')' when
 * autoinc is non-NULL] into (*arr, *n).
 */
static int parse_column_list(parser *p, const char *what, const char ***arr, size_t *n,
			     bool *autoinc)
{
	int rc;

	if ((rc = expect_kind(p, SD_TOK_LPAREN, "'('")) < 0)
		return rc;
	for (;;) {
		const char *name = NULL, *coll = NULL;   /* set by the parser before use; -O3 cannot see it */

		if ((rc = parse_name(p, what, &name)) < 0)
			return rc;
		if (cur(p)->kind != SD_TOK_COMMA && cur(p)->kind != SD_TOK_RPAREN &&
		    !is_kw(p, "COLLATE") && !is_kw(p, "ASC") && !is_kw(p, "DESC") &&
		    !is_kw(p, "AUTOINCREMENT"))
			return fail_at(p, cur(p), "expected a column name in %s", what);
		sd_names_push(p->s, arr, n, name);
		if (accept_kw(p, "COLLATE") && (rc = parse_name(p, "collation name", &coll)) < 0)
			return rc;
		if (!accept_kw(p, "ASC"))
			accept_kw(p, "DESC");
		if (autoinc && accept_kw(p, "AUTOINCREMENT"))
			*autoinc = true;
		if (accept_kind(p, SD_TOK_COMMA))
			continue;
		return expect_kind(p, SD_TOK_RPAREN, "',' or ')'");
	}
}

/* [NOT] DEFERRABLE [INITIALLY DEFERRED|IMMEDIATE], when present; fk may be NULL. */
static int parse_deferrable(parser *p, sd_foreign_key *fk)
{
	bool not = false, deferred = false;

	if (is_kw(p, "NOT") && sd_tok_is(peek(p, 1), "DEFERRABLE")) {
		not = true;
		next(p);
	} else if (!is_kw(p, "DEFERRABLE")) {
		return 0;
	}
	next(p);
	if (accept_kw(p, "INITIALLY")) {
		if (accept_kw(p, "DEFERRED"))
			deferred = true;
		else if (!accept_kw(p, "IMMEDIATE"))
			return fail_at(p, cur(p), "expected DEFERRED or IMMEDIATE");
	}
	if (fk) {
		fk->deferrable = !not;
		fk->initially_deferred = !not && deferred;
	}
	return 0;
}

/* After REFERENCES: table [(cols)] {ON DELETE|UPDATE action | MATCH name}* [deferrable]. */
static int parse_fk_clause(parser *p, sd_foreign_key *fk)
{
	int rc;

	if ((rc = parse_name(p, "referenced table name", &fk->ref_table)) < 0)
		return rc;
	if (cur(p)->kind == SD_TOK_LPAREN &&
	    (rc = parse_column_list(p, "referenced column list", &fk->ref_columns,
				    &fk->nref_columns, NULL)) < 0)
		return rc;
	for (;;) {
		if (is_kw(p, "ON") && !sd_tok_is(peek(p, 1), "CONFLICT")) {
			const char **slot;
			const char *action;

			next(p);
			if (accept_kw(p, "DELETE"))
				slot = &fk->on_delete;
			else if (accept_kw(p, "UPDATE"))
				slot = &fk->on_update;
			else if (accept_kw(p, "INSERT"))
				slot = NULL; /* accepted and ignored by SQLite */
			else
				return fail_at(p, cur(p), "expected DELETE or UPDATE");
			if (accept_kw(p, "SET")) {
				if (accept_kw(p, "NULL"))
					action = "SET NULL";
				else if (accept_kw(p, "DEFAULT"))
					action = "SET DEFAULT";
				else
					return fail_at(p, cur(p), "expected NULL or DEFAULT");
			} else if (accept_kw(p, "CASCADE")) {
				action = "CASCADE";
			} else if (accept_kw(p, "RESTRICT")) {
				action = "RESTRICT";
			} else if (accept_kw(p, "NO")) {
				if ((rc = expect_kw(p, "ACTION")) < 0)
					return rc;
				action = "NO ACTION";
			} else {
				return fail_at(p, cur(p), "expected a referential action");
			}
			if (slot)
				*slot = action;
		} else if (accept_kw(p, "MATCH")) {
			size_t k;
			char *m;

			if ((rc = parse_name(p, "MATCH type", &fk->match)) < 0)
				return rc;
			m = (char *)fk->match;
			for (k = 0; m[k]; k++) {
				if (m[k] >= 'a' && m[k] <= 'z')
					m[k] = (char)(m[k] - 'a' + 'A');
			}
		} else {
			break;
		}
	}
	return parse_deferrable(p, fk);
}

/* After DEFAULT: (expr) | [+|-] literal | literal | bare word. */
static int parse_default(parser *p, sd_column *col)
{
	const sd_tok *t = cur(p);
	size_t start = p->i;

	if (t->kind == SD_TOK_LPAREN)
		return parse_paren_expr(p, "DEFAULT", &col->server_default);
	if (t->kind == SD_TOK_OP && t->len == 1 && (t->start[0] == '+' || t->start[0] == '-')) {
		next(p);
		t = cur(p);
		if (t->kind != SD_TOK_NUMBER && t->kind != SD_TOK_STRING && t->kind != SD_TOK_BLOB &&
		    t->kind != SD_TOK_IDENT)
			return fail_at(p, t, "expected a number after sign in DEFAULT");
	} else if (t->kind == SD_TOK_IDENT) {
		if (is_constraint_word(t) && !sd_tok_is(t, "NULL"))
			return fail_at(p, t, "expected a default value");
	} else if (t->kind != SD_TOK_NUMBER && t->kind != SD_TOK_STRING &&
		   t->kind != SD_TOK_BLOB && t->kind != SD_TOK_QIDENT) {
		return fail_at(p, t, "expected a default value");
	}
	next(p);
	col->server_default = span(p, start, p->i);
	return 0;
}

/* After [GENERATED ALWAYS] AS: (expr) [STORED|VIRTUAL]. */
static int parse_generated(parser *p, sd_column *col)
{
	int rc;

	if ((rc = parse_paren_expr(p, "generated column", &col->generated)) < 0)
		return rc;
	if (accept_kw(p, "STORED"))
		col->generated_stored = true;
	else
		accept_kw(p, "VIRTUAL");
	return 0;
}

/*
 * The declared type: words (bare, quoted or strings, unquoted) up to a
 * constraint keyword, then an optional (n) or (n, m).  Written with single
 * spaces between words and none inside the parentheses.
 */
static int parse_type(parser *p, sd_column *col)
{
	sd_str *b = &p->buf;
	int words = 0;

	sd_str_reset(b);
	while ((cur(p)->kind == SD_TOK_IDENT && !is_constraint_word(cur(p))) ||
	       cur(p)->kind == SD_TOK_QIDENT || cur(p)->kind == SD_TOK_STRING) {
		if (words++)
			sd_str_addch(b, ' ');
		sd_tok_ident_value(cur(p), b);
		next(p);
	}
	if (words == 0)
		return 0;
	if (accept_kind(p, SD_TOK_LPAREN)) {
		int nums = 0;

		sd_str_addch(b, '(');
		for (;;) {
			const sd_tok *t = cur(p);

			if (t->kind == SD_TOK_OP && t->len == 1 &&
			    (t->start[0] == '+' || t->start[0] == '-')) {
				sd_str_addch(b, t->start[0]);
				next(p);
				t = cur(p);
			}
			if (t->kind != SD_TOK_NUMBER)
				return fail_at(p, t, "expected a number in type \"%.*s\"",
					       (int)b->len, b->ptr);
			sd_str_addn(b, t->start, t->len);
			next(p);
			if (++nums < 2 && accept_kind(p, SD_TOK_COMMA)) {
				sd_str_addch(b, ',');
				continue;
			}
			break;
		}
		if (cur(p)->kind != SD_TOK_RPAREN)
			return fail_at(p, cur(p), "expected ')' in type");
		next(p);
		sd_str_addch(b, ')');
	}
	col->type = sd_schema_strdup(p->s, b->ptr);
	return 0;
}

static int parse_column_def(parser *p, bool *pk_desc)
{
	sd_table *t = p->t;
	sd_column *col;
	const char *name = NULL, *cname = NULL;
	int rc;

	if ((rc = parse_name(p, "column name", &name)) < 0)
		return rc;
	col = sd_table_add_column(p->s, t, name);
	col->nullable = true;
	if ((rc = parse_type(p, col)) < 0)
		return rc;

	for (;;) {
		const sd_tok *kw = cur(p);

		if (accept_kw(p, "CONSTRAINT")) {
			if ((rc = parse_name(p, "constraint name", &cname)) < 0)
				return rc;
			continue;
		}
		if (accept_kw(p, "PRIMARY")) {
			sd_primary_key *pk;

			if ((rc = expect_kw(p, "KEY")) < 0)
				return rc;
			if (t->pk)
				return fail_at(p, kw, "table \"%s\" has more than one primary key",
					       t->name);
			if (accept_kw(p, "DESC"))
				*pk_desc = true;
			else
				accept_kw(p, "ASC");
			if ((rc = parse_conflict(p)) < 0)
				return rc;
			if (accept_kw(p, "AUTOINCREMENT"))
				col->autoincrement = SD_AUTOINC_TRUE;
			pk = sd_table_set_pk(p->s, t, cname);
			sd_names_push(p->s, &pk->columns, &pk->ncolumns, col->name);
		} else if (is_kw(p, "NOT") && sd_tok_is(peek(p, 1), "NULL")) {
			next(p);
			next(p);
			col->nullable = false;
			if ((rc = parse_conflict(p)) < 0)
				return rc;
		} else if (is_kw(p, "NOT") || is_kw(p, "DEFERRABLE")) {
			/* a deferrable clause of its own applies to the table's latest FK */
			if (is_kw(p, "NOT") && !sd_tok_is(peek(p, 1), "DEFERRABLE"))
				return fail_at(p, peek(p, 1), "expected NULL or DEFERRABLE after NOT");
			if ((rc = parse_deferrable(p, t->nfks ? t->fks[t->nfks - 1] : NULL)) < 0)
				return rc;
		} else if (accept_kw(p, "NULL")) {
			if ((rc = parse_conflict(p)) < 0)
				return rc;
		} else if (accept_kw(p, "UNIQUE")) {
			sd_unique *u;

			if ((rc = parse_conflict(p)) < 0)
				return rc;
			u = sd_table_add_unique(p->s, t, cname);
			sd_names_push(p->s, &u->columns, &u->ncolumns, col->name);
		} else if (accept_kw(p, "CHECK")) {
			const char *expr;

			if ((rc = parse_paren_expr(p, "CHECK", &expr)) < 0)
				return rc;
			sd_table_add_check(p->s, t, cname, expr);
		} else if (accept_kw(p, "DEFAULT")) {
			if ((rc = parse_default(p, col)) < 0)
				return rc;
		} else if (accept_kw(p, "COLLATE")) {
			if ((rc = parse_name(p, "collation name", &col->collation)) < 0)
				return rc;
		} else if (accept_kw(p, "REFERENCES")) {
			sd_foreign_key *fk = sd_table_add_fk(p->s, t, cname);

			sd_names_push(p->s, &fk->columns, &fk->ncolumns, col->name);
			if ((rc = parse_fk_clause(p, fk)) < 0)
				return rc;
		} else if (accept_kw(p, "GENERATED")) {
			if ((rc = expect_kw(p, "ALWAYS")) < 0 || (rc = expect_kw(p, "AS")) < 0 ||
			    (rc = parse_generated(p, col)) < 0)
				return rc;
		} else if (accept_kw(p, "AS")) {
			if ((rc = parse_generated(p, col)) < 0)
				return rc;
		} else {
			break;
		}
		cname = NULL;
	}
	/* a dangling "CONSTRAINT name" is legal in SQLite and names nothing */
	return 0;
}

static int parse_table_constraint(parser *p, bool *autoinc_col)
{
	sd_table *t = p->t;
	const char *cname = NULL;
	const sd_tok *kw;
	int rc;

	if (accept_kw(p, "CONSTRAINT") && (rc = parse_name(p, "constraint name", &cname)) < 0)
		return rc;
	kw = cur(p);
	if (accept_kw(p, "PRIMARY")) {
		sd_primary_key *pk;
		bool autoinc = false;

		if ((rc = expect_kw(p, "KEY")) < 0)
			return rc;
		if (t->pk)
			return fail_at(p, kw, "table \"%s\" has more than one primary key", t->name);
		pk = sd_table_set_pk(p->s, t, cname);
		if ((rc = parse_column_list(p, "PRIMARY KEY", &pk->columns, &pk->ncolumns,
					    &autoinc)) < 0 ||
		    (rc = parse_conflict(p)) < 0)
			return rc;
		*autoinc_col = autoinc;
	} else if (accept_kw(p, "UNIQUE")) {
		sd_unique *u = sd_table_add_unique(p->s, t, cname);

		if ((rc = parse_column_list(p, "UNIQUE", &u->columns, &u->ncolumns, NULL)) < 0 ||
		    (rc = parse_conflict(p)) < 0)
			return rc;
	} else if (accept_kw(p, "CHECK")) {
		const char *expr;

		if ((rc = parse_paren_expr(p, "CHECK", &expr)) < 0 || (rc = parse_conflict(p)) < 0)
			return rc;
		sd_table_add_check(p->s, t, cname, expr);
	} else if (accept_kw(p, "FOREIGN")) {
		sd_foreign_key *fk = sd_table_add_fk(p->s, t, cname);

		if ((rc = expect_kw(p, "KEY")) < 0 ||
		    (rc = parse_column_list(p, "FOREIGN KEY", &fk->columns, &fk->ncolumns, NULL)) < 0 ||
		    (rc = expect_kw(p, "REFERENCES")) < 0 || (rc = parse_fk_clause(p, fk)) < 0)
			return rc;
	} else if (cname && (kw->kind == SD_TOK_COMMA || kw->kind == SD_TOK_RPAREN)) {
		/* "CONSTRAINT name" alone is legal in SQLite and names nothing */
	} else {
		return fail_at(p, kw, "expected PRIMARY KEY, UNIQUE, CHECK or FOREIGN KEY");
	}
	return 0;
}

/* The rules SQLite applies to primary-key columns' nullability. */
static void apply_pk_rules(sd_table *t, bool pk_desc, bool table_pk_autoinc)
{
	size_t i;

	if (!t->pk)
		return;
	if (table_pk_autoinc && t->pk->ncolumns == 1) {
		sd_column *c = find_column(t, t->pk->columns[0]);

		if (c)
			c->autoincrement = SD_AUTOINC_TRUE;
	}
	if (t->without_rowid || t->strict) {
		/* SQLite enforces NOT NULL on every PK column of these tables */
		for (i = 0; i < t->pk->ncolumns; i++) {
			sd_column *c = find_column(t, t->pk->columns[i]);

			if (c)
				c->nullable = false;
		}
	} else if (t->pk->ncolumns == 1 && !pk_desc) {
		/* INTEGER PRIMARY KEY is the rowid, which is never NULL */
		sd_column *c = find_column(t, t->pk->columns[0]);

		if (c && c->type && sd_strcasecmp(c->type, "INTEGER") == 0)
			c->nullable = false;
	}
}

static int parse_create_table(parser *p, sd_schema *scratch)
{
	const char *schema = NULL, *name = NULL;
	bool pk_desc = false, table_autoinc = false;
	int rc;

	if ((rc = expect_kw(p, "CREATE")) < 0)
		return rc;
	if (accept_kw(p, "TEMP") || accept_kw(p, "TEMPORARY"))
		schema = "temp";
	if (is_kw(p, "VIRTUAL")) {
		return sd_error_set_at(p->err, SD_EUNSUPPORTED, NULL, cur(p)->line, cur(p)->column,
				       NULL, "virtual tables are not supported");
	}
	if ((rc = expect_kw(p, "TABLE")) < 0)
		return rc;
	if (accept_kw(p, "IF")) {
		if ((rc = expect_kw(p, "NOT")) < 0 || (rc = expect_kw(p, "EXISTS")) < 0)
			return rc;
	}
	if ((rc = parse_name(p, "table name", &name)) < 0)
		return rc;
	if (accept_kind(p, SD_TOK_DOT)) {
		schema = name;
		if ((rc = parse_name(p, "table name", &name)) < 0)
			return rc;
	}
	if (schema && sd_strcasecmp(schema, "main") == 0)
		schema = NULL;
	p->path = name;
	p->t = sd_schema_add_table(scratch, schema, name);
	if (is_kw(p, "AS")) {
		return sd_error_set_at(p->err, SD_EUNSUPPORTED, NULL, cur(p)->line, cur(p)->column,
				       name, "CREATE TABLE ... AS SELECT has no column definitions");
	}
	if ((rc = expect_kind(p, SD_TOK_LPAREN, "'(' or AS")) < 0)
		return rc;

	while (!at_table_constraint(p)) {
		if ((rc = parse_column_def(p, &pk_desc)) < 0)
			return rc;
		if (accept_kind(p, SD_TOK_COMMA))
			continue;
		if (cur(p)->kind == SD_TOK_RPAREN)
			break;
		return fail_at(p, cur(p), "expected ',' or ')' after column \"%s\"",
			       p->t->columns[p->t->ncolumns - 1]->name);
	}
	if (p->t->ncolumns == 0)
		return fail_at(p, cur(p), "expected a column definition");
	/* table constraints; SQLite lets the commas between them be left out */
	while (cur(p)->kind != SD_TOK_RPAREN) {
		bool autoinc = false;

		if ((rc = parse_table_constraint(p, &autoinc)) < 0)
			return rc;
		if (autoinc)
			table_autoinc = true;
		if (accept_kind(p, SD_TOK_COMMA)) {
			if (cur(p)->kind == SD_TOK_RPAREN)
				return fail_at(p, cur(p), "expected a table constraint");
			continue;
		}
		if (cur(p)->kind != SD_TOK_RPAREN && !at_table_constraint(p))
			return fail_at(p, cur(p), "expected ',' or ')' after table constraint");
	}
	next(p);

	/* table options: WITHOUT ROWID, STRICT, comma separated */
	if (!is_kw(p, "WITHOUT") && !is_kw(p, "STRICT"))
		goto tail;
	for (;;) {
		if (accept_kw(p, "WITHOUT")) {
			if ((rc = expect_kw(p, "ROWID")) < 0)
				return rc;
			p->t->without_rowid = true;
		} else if (accept_kw(p, "STRICT")) {
			p->t->strict = true;
		} else {
			return fail_at(p, cur(p), "expected WITHOUT ROWID or STRICT");
		}
		if (!accept_kind(p, SD_TOK_COMMA))
			break;
	}
tail:
	accept_kind(p, SD_TOK_SEMI);
	if (cur(p)->kind != SD_TOK_EOF)
		return fail_at(p, cur(p), "unexpected text after CREATE TABLE");
	apply_pk_rules(p->t, pk_desc, table_autoinc);
	return 0;
}

int sd_sqlite_parse_create_table(sd_schema *s, const char *sql, sd_table **out, sd_error *err)
{
	sd_schema *scratch = sd_schema_new("sqlite", NULL);
	parser p;
	int rc;

	parser_init(&p, scratch, sql, err);
	rc = parse_create_table(&p, scratch);
	if (rc < 0)
		goto done;
	/* add (hashed in O(1)), then fill with a deep copy of the scratch table */
	*out = sd_schema_add_table(s, p.t->schema, p.t->name);
	**out = *sd_table_copy(s, p.t);
done:
	parser_release(&p);
	sd_schema_free(scratch);
	return rc;
}

/* Does an index element end at the current token (at bracket depth 0)? */
static bool at_elem_end(const parser *p)
{
	return cur(p)->kind == SD_TOK_COMMA || cur(p)->kind == SD_TOK_RPAREN ||
	       is_kw(p, "COLLATE") || is_kw(p, "ASC") || is_kw(p, "DESC") || is_kw(p, "NULLS");
}

/* One indexed column: a column name or an expression, then COLLATE, ASC|DESC, NULLS. */
static int parse_index_elem(parser *p, sd_index *ix)
{
	sd_index_elem *e = sd_index_add_elem(p->s, ix);
	const sd_tok *t = cur(p);
	int rc;

	if ((t->kind == SD_TOK_IDENT || t->kind == SD_TOK_QIDENT) &&
	    (peek(p, 1)->kind == SD_TOK_COMMA || peek(p, 1)->kind == SD_TOK_RPAREN ||
	     sd_tok_is(peek(p, 1), "COLLATE") || sd_tok_is(peek(p, 1), "ASC") ||
	     sd_tok_is(peek(p, 1), "DESC") || sd_tok_is(peek(p, 1), "NULLS"))) {
		if ((rc = parse_name(p, "column name", &e->column)) < 0)
			return rc;
	} else {
		size_t start = p->i, depth = 0;

		while (depth > 0 || !at_elem_end(p)) {
			t = cur(p);
			if (t->kind == SD_TOK_EOF || t->kind == SD_TOK_ERROR)
				return fail_at(p, t, "unbalanced parentheses in index expression");
			if (t->kind == SD_TOK_LPAREN)
				depth++;
			else if (t->kind == SD_TOK_RPAREN)
				depth--;
			next(p);
		}
		if (p->i == start)
			return fail_at(p, cur(p), "expected a column or expression");
		e->expression = span(p, start, p->i);
	}
	if (accept_kw(p, "COLLATE") && (rc = parse_name(p, "collation name", &e->collation)) < 0)
		return rc;
	if (accept_kw(p, "DESC"))
		e->desc = true;
	else
		accept_kw(p, "ASC");
	if (accept_kw(p, "NULLS")) {
		if (accept_kw(p, "FIRST"))
			e->nulls = "FIRST";
		else if (accept_kw(p, "LAST"))
			e->nulls = "LAST";
		else
			return fail_at(p, cur(p), "expected FIRST or LAST");
	}
	return 0;
}

static int parse_create_index(parser *p, const sd_table *t, sd_index **out)
{
	const char *name = NULL, *on = NULL;
	bool unique = false;
	sd_index *ix;
	size_t start;
	int rc;

	if ((rc = expect_kw(p, "CREATE")) < 0)
		return rc;
	if (accept_kw(p, "UNIQUE"))
		unique = true;
	if ((rc = expect_kw(p, "INDEX")) < 0)
		return rc;
	if (accept_kw(p, "IF")) {
		if ((rc = expect_kw(p, "NOT")) < 0 || (rc = expect_kw(p, "EXISTS")) < 0)
			return rc;
	}
	if ((rc = parse_name(p, "index name", &name)) < 0)
		return rc;
	if (accept_kind(p, SD_TOK_DOT) && (rc = parse_name(p, "index name", &name)) < 0)
		return rc;
	p->path = name;
	if ((rc = expect_kw(p, "ON")) < 0)
		return rc;
	start = p->i;
	if ((rc = parse_name(p, "table name", &on)) < 0)
		return rc;
	if (sd_strcasecmp(on, t->name) != 0)
		return fail_at(p, &p->toks[start], "index \"%s\" is on table \"%s\", not \"%s\"",
			       name, on, t->name);
	ix = sd_table_add_index(p->s, p->t, name);
	ix->unique = unique;
	if ((rc = expect_kind(p, SD_TOK_LPAREN, "'('")) < 0)
		return rc;
	for (;;) {
		if ((rc = parse_index_elem(p, ix)) < 0)
			return rc;
		if (accept_kind(p, SD_TOK_COMMA))
			continue;
		if ((rc = expect_kind(p, SD_TOK_RPAREN, "',' or ')'")) < 0)
			return rc;
		break;
	}
	if (accept_kw(p, "WHERE")) {
		size_t end;

		start = p->i;
		while (cur(p)->kind != SD_TOK_EOF && cur(p)->kind != SD_TOK_SEMI) {
			if (cur(p)->kind == SD_TOK_ERROR)
				return fail_at(p, cur(p), "bad token");
			next(p);
		}
		end = p->i;
		if (end == start)
			return fail_at(p, cur(p), "expected an expression after WHERE");
		ix->where = span(p, start, end);
	}
	accept_kind(p, SD_TOK_SEMI);
	if (cur(p)->kind != SD_TOK_EOF)
		return fail_at(p, cur(p), "unexpected text after CREATE INDEX");
	*out = ix;
	return 0;
}

int sd_sqlite_parse_create_index(sd_schema *s, sd_table *t, const char *sql, sd_index **out,
				 sd_error *err)
{
	sd_schema *scratch = sd_schema_new("sqlite", NULL);
	sd_index *ix = NULL;
	parser p;
	int rc;

	parser_init(&p, scratch, sql, err);
	p.t = sd_schema_add_table(scratch, t->schema, t->name);
	rc = parse_create_index(&p, t, &ix);
	if (rc < 0)
		goto done;
	*out = sd_index_copy(s, ix);
	sd_arena_push(s->arena, (void ***)&t->indexes, &t->nindexes, *out);
done:
	parser_release(&p);
	sd_schema_free(scratch);
	return rc;
}
