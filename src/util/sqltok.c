/*
 * sqltok.c - the SQL tokenizer (SQLite's lexical rules, after tokenize.c),
 * the expression normaliser built on it, and SQLite's keyword table.
 *
 * The lexer never allocates: tokens point into the caller's text.  Line and
 * column are tracked per byte so the DDL parser can report positions.
 */
#include <stdlib.h>
#include <string.h>

#include "schemadiff/sqltok.h"

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == '\v';
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool is_xdigit(unsigned char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Identifier characters as SQLite has them: every byte >= 0x80 is one (UTF-8). */
static bool is_id_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static bool is_id_char(unsigned char c)
{
	return is_id_start(c) || is_digit(c) || c == '$';
}

static char lower_ascii(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

void sd_lexer_init(sd_lexer *lx, const char *src, size_t len)
{
	lx->src = src;
	lx->len = len;
	lx->pos = 0;
	lx->line = 1;
	lx->column = 1;
}

static unsigned char peek_at(const sd_lexer *lx, size_t off)
{
	size_t i = lx->pos + off;
	return i < lx->len ? (unsigned char)lx->src[i] : 0;
}

/* Consume n bytes, keeping line and column up to date. */
static void advance(sd_lexer *lx, size_t n)
{
	while (n-- > 0 && lx->pos < lx->len) {
		if (lx->src[lx->pos] == '\n') {
			lx->line++;
			lx->column = 1;
		} else {
			lx->column++;
		}
		lx->pos++;
	}
}

/*
 * Skip white space and comments.  Returns false (and leaves the lexer at the
 * comment's start) for an unterminated block comment.
 */
static bool skip_space(sd_lexer *lx)
{
	for (;;) {
		unsigned char c = peek_at(lx, 0);

		if (lx->pos >= lx->len)
			return true;
		if (is_space(c)) {
			advance(lx, 1);
		} else if (c == '-' && peek_at(lx, 1) == '-') {
			while (lx->pos < lx->len && lx->src[lx->pos] != '\n')
				advance(lx, 1);
		} else if (c == '/' && peek_at(lx, 1) == '*') {
			const char *end = NULL;
			size_t i;

			for (i = lx->pos + 2; i + 1 < lx->len; i++) {
				if (lx->src[i] == '*' && lx->src[i + 1] == '/') {
					end = lx->src + i + 2;
					break;
				}
			}
			if (!end)
				return false;
			advance(lx, (size_t)(end - (lx->src + lx->pos)));
		} else {
			return true;
		}
	}
}

/* Length of a quoted token opened by q and closed by close at lx->pos, or 0 if unterminated. */
static size_t quoted_len(const sd_lexer *lx, char close, bool doubling)
{
	size_t i = lx->pos + 1;

	while (i < lx->len) {
		if (lx->src[i] == close) {
			if (doubling && i + 1 < lx->len && lx->src[i + 1] == close) {
				i += 2;
				continue;
			}
			return i + 1 - lx->pos;
		}
		i++;
	}
	return 0;
}

static size_t number_len(const sd_lexer *lx)
{
	size_t n = 0;

	if (peek_at(lx, 0) == '0' && (peek_at(lx, 1) == 'x' || peek_at(lx, 1) == 'X') &&
	    is_xdigit(peek_at(lx, 2))) {
		n = 2;
		while (is_xdigit(peek_at(lx, n)))
			n++;
		return n;
	}
	while (is_digit(peek_at(lx, n)))
		n++;
	if (peek_at(lx, n) == '.') {
		n++;
		while (is_digit(peek_at(lx, n)))
			n++;
	}
	if ((peek_at(lx, n) == 'e' || peek_at(lx, n) == 'E') &&
	    (is_digit(peek_at(lx, n + 1)) ||
	     ((peek_at(lx, n + 1) == '+' || peek_at(lx, n + 1) == '-') && is_digit(peek_at(lx, n + 2))))) {
		n += 2;
		while (is_digit(peek_at(lx, n)))
			n++;
	}
	return n;
}

/* Operators, longest first so that "->>" wins over "->" and "-". */
static const char *const operators[] = {
	"->>", "->", "||", "<=", ">=", "<>", "!=", "==", "<<", ">>", "::",
	"=", "<", ">", "+", "-", "*", "/", "%", "&", "|", "~",
};

sd_tok sd_lexer_next(sd_lexer *lx)
{
	sd_tok t;
	unsigned char c;
	size_t n = 0;
	size_t i;

	memset(&t, 0, sizeof(t));
	if (!skip_space(lx)) {
		/* unterminated block comment: the error token is the rest of the text */
		t.kind = SD_TOK_ERROR;
		t.start = lx->src + lx->pos;
		t.len = lx->len - lx->pos;
		t.line = lx->line;
		t.column = lx->column;
		advance(lx, t.len);
		return t;
	}
	t.start = lx->src + lx->pos;
	t.line = lx->line;
	t.column = lx->column;
	if (lx->pos >= lx->len) {
		t.kind = SD_TOK_EOF;
		return t;
	}

	c = peek_at(lx, 0);
	if ((c == 'x' || c == 'X') && peek_at(lx, 1) == '\'') {
		n = 2;
		while (is_xdigit(peek_at(lx, n)))
			n++;
		if (peek_at(lx, n) == '\'' && (n - 2) % 2 == 0) {
			t.kind = SD_TOK_BLOB;
			n++;
		} else {
			t.kind = SD_TOK_ERROR;
			n = lx->len - lx->pos;
			for (i = 2; lx->pos + i < lx->len; i++) {
				if (lx->src[lx->pos + i] == '\'') {
					n = i + 1;
					break;
				}
			}
		}
	} else if (is_id_start(c)) {
		t.kind = SD_TOK_IDENT;
		while (is_id_char(peek_at(lx, n)))
			n++;
	} else if (is_digit(c) || (c == '.' && is_digit(peek_at(lx, 1)))) {
		t.kind = SD_TOK_NUMBER;
		n = number_len(lx);
		/* "12abc" is one illegal token in SQLite, not a number and a word */
		if (is_id_char(peek_at(lx, n))) {
			t.kind = SD_TOK_ERROR;
			while (is_id_char(peek_at(lx, n)))
				n++;
		}
	} else if (c == '\'' || c == '"' || c == '`' || c == '[') {
		char close = c == '[' ? ']' : (char)c;

		n = quoted_len(lx, close, c != '[');
		if (n == 0) {
			t.kind = SD_TOK_ERROR;
			n = lx->len - lx->pos;
		} else {
			t.kind = c == '\'' ? SD_TOK_STRING : SD_TOK_QIDENT;
		}
	} else if (c == '?') {
		t.kind = SD_TOK_PARAM;
		n = 1;
		while (is_digit(peek_at(lx, n)))
			n++;
	} else if ((c == ':' || c == '@' || c == '$') && is_id_char(peek_at(lx, 1))) {
		t.kind = SD_TOK_PARAM;
		n = 1;
		while (is_id_char(peek_at(lx, n)))
			n++;
	} else if (c == '(' || c == ')' || c == ',' || c == ';' || c == '.') {
		t.kind = c == '(' ? SD_TOK_LPAREN : c == ')' ? SD_TOK_RPAREN :
			 c == ',' ? SD_TOK_COMMA : c == ';' ? SD_TOK_SEMI : SD_TOK_DOT;
		n = 1;
	} else {
		t.kind = SD_TOK_ERROR;
		n = 1;
		for (i = 0; i < SD_ARRAY_LEN(operators); i++) {
			size_t olen = strlen(operators[i]);

			if (lx->pos + olen <= lx->len &&
			    memcmp(lx->src + lx->pos, operators[i], olen) == 0) {
				t.kind = SD_TOK_OP;
				n = olen;
				break;
			}
		}
	}
	t.len = n;
	advance(lx, n);
	return t;
}

bool sd_tok_is(const sd_tok *tok, const char *kw)
{
	size_t n = strlen(kw);

	return tok->kind == SD_TOK_IDENT && tok->len == n && sd_strncasecmp(tok->start, kw, n) == 0;
}

void sd_tok_ident_value(const sd_tok *tok, sd_str *out)
{
	char close;
	size_t i;

	if (tok->kind != SD_TOK_QIDENT && tok->kind != SD_TOK_STRING) {
		sd_str_addn(out, tok->start, tok->len);
		return;
	}
	if (tok->len < 2)
		return;
	close = tok->start[0] == '[' ? ']' : tok->start[0];
	for (i = 1; i + 1 < tok->len; i++) {
		sd_str_addch(out, tok->start[i]);
		if (close != ']' && tok->start[i] == close && tok->start[i + 1] == close)
			i++;
	}
}

/*
 * SQLite's keywords (https://www.sqlite.org/lang_keywords.html), sorted for
 * bsearch in upper case.  Quoting every one of them is always safe, even
 * where SQLite would accept the word as an identifier.
 */
static const char *const keywords[] = {
	"ABORT", "ACTION", "ADD", "AFTER", "ALL", "ALTER", "ALWAYS", "ANALYZE", "AND", "AS",
	"ASC", "ATTACH", "AUTOINCREMENT", "BEFORE", "BEGIN", "BETWEEN", "BY", "CASCADE",
	"CASE", "CAST", "CHECK", "COLLATE", "COLUMN", "COMMIT", "CONFLICT", "CONSTRAINT",
	"CREATE", "CROSS", "CURRENT", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP",
	"DATABASE", "DEFAULT", "DEFERRABLE", "DEFERRED", "DELETE", "DESC", "DETACH",
	"DISTINCT", "DO", "DROP", "EACH", "ELSE", "END", "ESCAPE", "EXCEPT", "EXCLUDE",
	"EXCLUSIVE", "EXISTS", "EXPLAIN", "FAIL", "FILTER", "FIRST", "FOLLOWING", "FOR",
	"FOREIGN", "FROM", "FULL", "GENERATED", "GLOB", "GROUP", "GROUPS", "HAVING", "IF",
	"IGNORE", "IMMEDIATE", "IN", "INDEX", "INDEXED", "INITIALLY", "INNER", "INSERT",
	"INSTEAD", "INTERSECT", "INTO", "IS", "ISNULL", "JOIN", "KEY", "LAST", "LEFT", "LIKE",
	"LIMIT", "MATCH", "MATERIALIZED", "NATURAL", "NO", "NOT", "NOTHING", "NOTNULL", "NULL",
	"NULLS", "OF", "OFFSET", "ON", "OR", "ORDER", "OTHERS", "OUTER", "OVER", "PARTITION",
	"PLAN", "PRAGMA", "PRECEDING", "PRIMARY", "QUERY", "RAISE", "RANGE", "RECURSIVE",
	"REFERENCES", "REGEXP", "REINDEX", "RELEASE", "RENAME", "REPLACE", "RESTRICT",
	"RETURNING", "RIGHT", "ROLLBACK", "ROW", "ROWS", "SAVEPOINT", "SELECT", "SET", "TABLE",
	"TEMP", "TEMPORARY", "THEN", "TIES", "TO", "TRANSACTION", "TRIGGER", "UNBOUNDED",
	"UNION", "UNIQUE", "UPDATE", "USING", "VACUUM", "VALUES", "VIEW", "VIRTUAL", "WHEN",
	"WHERE", "WINDOW", "WITH", "WITHOUT",
};

bool sd_sql_is_keyword(const char *word, size_t len)
{
	size_t lo = 0, hi = SD_ARRAY_LEN(keywords);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *k = keywords[mid];
		size_t klen = strlen(k);
		int cmp = sd_strncasecmp(word, k, len < klen ? len : klen);

		if (cmp == 0)
			cmp = len < klen ? -1 : len > klen ? 1 : 0;
		if (cmp == 0)
			return true;
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

/* ---- expression normalisation ---- */

static bool tok_is_op(const sd_tok *t, const char *op)
{
	size_t n = strlen(op);

	return t->kind == SD_TOK_OP && t->len == n && memcmp(t->start, op, n) == 0;
}

/* A quoted identifier that is a plain lower-case word may lose its quotes. */
static bool plain_lower_word(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || !((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
		return false;
	for (i = 1; i < n; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_' || is_digit((unsigned char)s[i])))
			return false;
	}
	return !sd_sql_is_keyword(s, n);
}

/* Keywords that SQLite also calls as functions: written name( like any function. */
static bool keyword_function(const sd_tok *t)
{
	static const char *const fns[] = { "cast", "glob", "like", "raise", "regexp", "replace" };
	size_t i;

	for (i = 0; i < SD_ARRAY_LEN(fns); i++) {
		if (sd_tok_is(t, fns[i]))
			return true;
	}
	return false;
}

/* Keywords that are values: an operator after them is binary. */
static bool keyword_value(const sd_tok *t)
{
	return sd_tok_is(t, "null") || sd_tok_is(t, "current_date") ||
	       sd_tok_is(t, "current_time") || sd_tok_is(t, "current_timestamp") ||
	       sd_tok_is(t, "end");
}

static bool is_bare_keyword(const sd_tok *t)
{
	return t->kind == SD_TOK_IDENT && sd_sql_is_keyword(t->start, t->len);
}

/* Is the +, - or ~ at toks[i] a unary (prefix) operator? */
static bool is_unary(const sd_tok *toks, size_t i)
{
	const sd_tok *prev;

	if (!(tok_is_op(&toks[i], "-") || tok_is_op(&toks[i], "+") || tok_is_op(&toks[i], "~")))
		return false;
	if (tok_is_op(&toks[i], "~") || i == 0)
		return true;
	prev = &toks[i - 1];
	if (prev->kind == SD_TOK_OP || prev->kind == SD_TOK_LPAREN || prev->kind == SD_TOK_COMMA)
		return true;
	return is_bare_keyword(prev) && !keyword_value(prev);
}

/* Index of the ')' matching the '(' at toks[open], or n when unbalanced. */
static size_t match_paren(const sd_tok *toks, size_t open, size_t n)
{
	size_t depth = 0, i;

	for (i = open; i < n; i++) {
		if (toks[i].kind == SD_TOK_LPAREN)
			depth++;
		else if (toks[i].kind == SD_TOK_RPAREN && --depth == 0)
			return i;
	}
	return n;
}

static void add_trimmed(sd_str *out, const char *s, size_t n)
{
	while (n > 0 && is_space((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && is_space((unsigned char)s[n - 1]))
		n--;
	sd_str_addn(out, s, n);
}

static void emit_token(sd_str *out, const sd_tok *t, sd_str *scratch)
{
	size_t i;

	switch (t->kind) {
	case SD_TOK_IDENT:
		for (i = 0; i < t->len; i++)
			sd_str_addch(out, lower_ascii(t->start[i]));
		break;
	case SD_TOK_QIDENT:
		sd_str_reset(scratch);
		sd_tok_ident_value(t, scratch);
		if (plain_lower_word(scratch->ptr, scratch->len)) {
			sd_str_add(out, scratch->ptr);
		} else {
			/* canonical quoting: [x] and `x` become "x" */
			sd_str_addch(out, '"');
			for (i = 0; i < scratch->len; i++) {
				if (scratch->ptr[i] == '"')
					sd_str_addch(out, '"');
				sd_str_addch(out, scratch->ptr[i]);
			}
			sd_str_addch(out, '"');
		}
		break;
	case SD_TOK_OP:
		if (tok_is_op(t, "=="))
			sd_str_add(out, "=");
		else if (tok_is_op(t, "!="))
			sd_str_add(out, "<>");
		else
			sd_str_addn(out, t->start, t->len);
		break;
	default:
		sd_str_addn(out, t->start, t->len);
		break;
	}
}

void sd_sql_normalize_expr(sd_str *out, const char *expr)
{
	sd_lexer lx;
	sd_tok *toks = NULL;
	size_t n = 0, alloc = 0, first, last, i;
	sd_str scratch = SD_STR_INIT;
	const char *rest = NULL;

	if (!expr)
		return;
	sd_lexer_init(&lx, expr, strlen(expr));
	for (;;) {
		sd_tok t = sd_lexer_next(&lx);

		if (t.kind == SD_TOK_EOF)
			break;
		if (t.kind == SD_TOK_ERROR) {
			/* not SQL we understand: keep the remainder as written */
			rest = t.start;
			break;
		}
		SD_GROW(toks, n + 1, alloc);
		toks[n++] = t;
	}

	/* a statement's trailing semicolons (pg_get_viewdef ends with one) mean nothing here */
	first = 0;
	last = n;
	while (!rest && last > first && toks[last - 1].kind == SD_TOK_SEMI)
		last--;
	/* strip every pair of parentheses that encloses the whole expression */
	while (!rest && last - first >= 2 && toks[first].kind == SD_TOK_LPAREN &&
	       match_paren(toks, first, last) == last - 1) {
		first++;
		last--;
	}

	for (i = first; i < last; i++) {
		const sd_tok *t = &toks[i];
		const sd_tok *prev = i > first ? &toks[i - 1] : NULL;
		bool space = prev != NULL;

		if (prev) {
			if (t->kind == SD_TOK_RPAREN || t->kind == SD_TOK_COMMA ||
			    t->kind == SD_TOK_DOT || t->kind == SD_TOK_SEMI || tok_is_op(t, "::"))
				space = false;
			else if (prev->kind == SD_TOK_LPAREN || prev->kind == SD_TOK_DOT ||
				 tok_is_op(prev, "::"))
				space = false;
			else if (is_unary(toks, i - 1))
				space = false;
			else if (t->kind == SD_TOK_LPAREN &&
				 ((prev->kind == SD_TOK_IDENT &&
				   (!is_bare_keyword(prev) || keyword_function(prev))) ||
				  prev->kind == SD_TOK_QIDENT))
				space = false; /* a function call */
		}
		if (space)
			sd_str_addch(out, ' ');
		emit_token(out, t, &scratch);
	}
	if (rest) {
		if (n > 0)
			sd_str_addch(out, ' ');
		add_trimmed(out, rest, strlen(rest));
	}
	sd_str_release(&scratch);
	free(toks);
}

void sd_sql_literal(sd_str *out, const char *s)
{
	sd_str_addch(out, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			sd_str_addch(out, '\'');
		sd_str_addch(out, *s);
	}
	sd_str_addch(out, '\'');
}

void sd_sql_comment(sd_str *out, const char *prefix, const char *text)
{
	sd_str_add(out, "-- ");
	sd_str_add(out, prefix);
	for (; text && *text; text++) {
		if (*text == '\n')
			sd_str_add(out, "\n-- ");
		else if (*text != '\r')
			sd_str_addch(out, *text);
	}
	sd_str_addch(out, '\n');
}
