/*
 * postgresql.c - the PostgreSQL dialect: canonical forms of types, defaults
 * and expressions for comparison, identifier quoting (the one place
 * PostgreSQL names get quotes, pg_dump's fmtId) and which type changes lose
 * data.
 *
 * Type canonical form is what the server's format_type() prints, so a
 * live column compares with what a schema file writes:
 *   int, int4, integer, serial -> integer     int8, bigint, bigserial -> bigint
 *   int2, smallint, smallserial -> smallint   bool -> boolean
 *   float8, double precision, double, float, float(25..53) -> double precision
 *   float4, real, float(1..24) -> real        decimal -> numeric, numeric(p) -> numeric(p,0)
 *   varchar(n) -> character varying(n)        char(n), bpchar(n) -> character(n), char -> character(1)
 *   timestamptz(p) -> timestamp(p) with time zone, timestamp(p) -> timestamp(p) without time zone
 *   (time and timetz alike)                   blob -> bytea, datetime -> timestamp without time zone
 *   int[], integer[][], integer array, _int4 -> integer[]
 * Lengths and precision are kept, so varchar(32) and varchar(64) differ.
 *
 * Defaults and expressions: casts are dropped ('0'::integer is 0,
 * 'x'::character varying is 'x', (name)::text is name), a lone numeric
 * string is the number, now() is CURRENT_TIMESTAMP, parentheses around a
 * single operand go, then the shared token normalisation (sqltok.h).  This
 * compares PostgreSQL's deparsed text with what people write; it can call
 * two expressions equal that differ only in a cast.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "schemadiff/dialect.h"
#include "schemadiff/sqltok.h"
#include "introspect/pg_introspect.h"
#include "dialect/postgresql.h"
#include "dialect/postgresql_alembic.h"
#include "introspect/pg_scratch.h"
#include "dialect/lock_notes.h"

/*
 * Every keyword that is not UNRESERVED (reserved, type/function-name and
 * column-name keywords), as pg_get_keywords() lists them on PostgreSQL 15:
 * the set the server's quote_ident() and pg_dump's fmtId() quote.  Sorted,
 * for bsearch.
 */
static const char *const pg_keywords[] = {
	"all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric",
	"authorization", "between", "bigint", "binary", "bit", "boolean", "both", "case",
	"cast", "char", "character", "check", "coalesce", "collate", "collation", "column",
	"concurrently", "constraint", "create", "cross", "current_catalog", "current_date",
	"current_role", "current_schema", "current_time", "current_timestamp", "current_user",
	"dec", "decimal", "default", "deferrable", "desc", "distinct", "do", "else", "end",
	"except", "exists", "extract", "false", "fetch", "float", "for", "foreign", "freeze",
	"from", "full", "grant", "greatest", "group", "grouping", "having", "ilike", "in",
	"initially", "inner", "inout", "int", "integer", "intersect", "interval", "into", "is",
	"isnull", "join", "lateral", "leading", "least", "left", "like", "limit", "localtime",
	"localtimestamp", "national", "natural", "nchar", "none", "normalize", "not",
	"notnull", "null", "nullif", "numeric", "offset", "on", "only", "or", "order", "out",
	"outer", "overlaps", "overlay", "placing", "position", "precision", "primary", "real",
	"references", "returning", "right", "row", "select", "session_user", "setof",
	"similar", "smallint", "some", "substring", "symmetric", "table", "tablesample",
	"then", "time", "timestamp", "to", "trailing", "treat", "trim", "true", "union",
	"unique", "user", "using", "values", "varchar", "variadic", "verbose", "when", "where",
	"window", "with", "xmlattributes", "xmlconcat", "xmlelement", "xmlexists", "xmlforest",
	"xmlnamespaces", "xmlparse", "xmlpi", "xmlroot", "xmlserialize", "xmltable"
};

static int cmp_kw(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Is word (any case, len bytes) a keyword that quote_ident would quote? */
bool sd_pg_is_keyword(const char *word, size_t len)
{
	char buf[32];
	const char *key = buf;
	size_t i;

	if (len == 0 || len >= sizeof(buf))
		return false;
	for (i = 0; i < len; i++)
		buf[i] = (char)tolower((unsigned char)word[i]);
	buf[len] = '\0';
	return bsearch(&key, pg_keywords, SD_ARRAY_LEN(pg_keywords), sizeof(pg_keywords[0]),
		       cmp_kw) != NULL;
}

/* PostgreSQL's rule: a plain name is [a-z_][a-z0-9_$]* and not a keyword. */
static void pg_quote_ident(sd_str *out, const char *ident)
{
	const char *c;
	bool plain = (ident[0] >= 'a' && ident[0] <= 'z') || ident[0] == '_';

	for (c = ident; plain && *c; c++) {
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_' || *c == '$'))
			plain = false;
	}
	if (plain && !sd_pg_is_keyword(ident, strlen(ident))) {
		sd_str_add(out, ident);
		return;
	}
	sd_str_addch(out, '"');
	for (c = ident; *c; c++) {
		if (*c == '"')
			sd_str_addch(out, '"');
		sd_str_addch(out, *c);
	}
	sd_str_addch(out, '"');
}

/* ---- types ---- */

static bool word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '$' || (unsigned char)c >= 0x80;
}

/*
 * Split a type into lower-cased words (quoted names kept as written, in
 * quotes), the first parenthesised group without spaces, and the number
 * of array dimensions ("[]", "[3]", "ARRAY").
 */
static void split_type(const char *type, sd_str *words, sd_str *params, int *ndims)
{
	const char *p = type;
	int groups = 0;

	*ndims = 0;
	while (*p) {
		if (isspace((unsigned char)*p)) {
			p++;
		} else if (*p == '(') {
			int depth = 0;

			do {
				if (*p == '(')
					depth++;
				else if (*p == ')')
					depth--;
				if (groups == 0 && !isspace((unsigned char)*p) &&
				    !(depth == 1 && *p == '(') && !(depth == 0 && *p == ')'))
					sd_str_addch(params, *p);
				p++;
			} while (*p && depth > 0);
			groups++;
		} else if (*p == '[') {
			while (*p && *p != ']')
				p++;
			if (*p)
				p++;
			(*ndims)++;
		} else if (*p == '"') {
			if (words->len)
				sd_str_addch(words, ' ');
			sd_str_addch(words, *p++);
			while (*p) {
				if (*p == '"' && p[1] == '"') {
					sd_str_addn(words, p, 2);
					p += 2;
				} else if (*p == '"') {
					break;
				} else {
					sd_str_addch(words, *p++);
				}
			}
			if (*p)
				sd_str_addch(words, *p++);
		} else if (word_char(*p) || *p == '.') {
			const char *s = p;
			size_t from;

			while (*p && (word_char(*p) || *p == '.'))
				p++;
			if ((size_t)(p - s) == 5 && sd_strncasecmp(s, "array", 5) == 0 && words->len) {
				(*ndims)++;
				continue;
			}
			if (words->len)
				sd_str_addch(words, ' ');
			from = words->len;
			sd_str_addn(words, s, (size_t)(p - s));
			for (; from < words->len; from++)
				words->ptr[from] = (char)tolower((unsigned char)words->ptr[from]);
		} else {
			sd_str_addch(words, *p++);
		}
	}
}

static const struct {
	const char *from, *to;
} pg_type_synonyms[] = {
	{ "int", "integer" }, { "int4", "integer" }, { "serial", "integer" }, { "serial4", "integer" },
	{ "int8", "bigint" }, { "bigserial", "bigint" }, { "serial8", "bigint" },
	{ "int2", "smallint" }, { "smallserial", "smallint" }, { "serial2", "smallint" },
	{ "bool", "boolean" },
	{ "float8", "double precision" }, { "double", "double precision" },
	{ "float4", "real" },
	{ "decimal", "numeric" },
	{ "varchar", "character varying" }, { "char varying", "character varying" },
	{ "char", "character" }, { "bpchar", "character" }, { "nchar", "character" },
	{ "national character", "character" },
	{ "national character varying", "character varying" },
	{ "varbit", "bit varying" },
	{ "blob", "bytea" },
	{ "clob", "text" },
	{ "datetime", "timestamp without time zone" },
	{ "timestamp", "timestamp without time zone" },
	{ "timestamptz", "timestamp with time zone" },
	{ "time", "time without time zone" },
	{ "timetz", "time with time zone" },
	/* internal array names */
	{ "_int4", "integer[]" }, { "_int8", "bigint[]" }, { "_int2", "smallint[]" },
	{ "_text", "text[]" }, { "_varchar", "character varying[]" }, { "_bool", "boolean[]" },
	{ "_float8", "double precision[]" }, { "_float4", "real[]" }, { "_numeric", "numeric[]" },
	{ "_uuid", "uuid[]" }, { "_jsonb", "jsonb[]" }, { "_json", "json[]" },
	{ "_bytea", "bytea[]" }, { "_timestamptz", "timestamp with time zone[]" },
	{ "_timestamp", "timestamp without time zone[]" }, { "_date", "date[]" },
};

static void pg_normalize_type(sd_str *out, const char *type)
{
	sd_str words = SD_STR_INIT, params = SD_STR_INIT;
	const char *base;
	char *w;
	int ndims;
	size_t i;
	bool tz_with = false, tz_without = false;

	if (!type)
		return;
	split_type(type, &words, &params, &ndims);
	w = words.ptr;
	/* "timestamp with time zone" and friends: the zone words move after the precision */
	if ((strncmp(w, "timestamp ", 10) == 0 || strncmp(w, "time ", 5) == 0)) {
		char *z = strstr(w, " with time zone");
		char *zo = strstr(w, " without time zone");

		if (zo) {
			tz_without = true;
			*zo = '\0';
		} else if (z) {
			tz_with = true;
			*z = '\0';
		}
	}
	base = w;
	for (i = 0; i < SD_ARRAY_LEN(pg_type_synonyms); i++) {
		if (strcmp(w, pg_type_synonyms[i].from) == 0) {
			base = pg_type_synonyms[i].to;
			break;
		}
	}
	if (tz_with && strcmp(w, "timestamp") == 0)
		base = "timestamp with time zone";
	else if (tz_with && strcmp(w, "time") == 0)
		base = "time with time zone";
	else if (tz_without && strcmp(w, "timestamp") == 0)
		base = "timestamp without time zone";
	else if (tz_without && strcmp(w, "time") == 0)
		base = "time without time zone";

	if (strcmp(w, "float") == 0) {
		base = params.len && atol(params.ptr) <= 24 ? "real" : "double precision";
		sd_str_reset(&params);
	}
	if (strcmp(base, "numeric") == 0 && params.len && !strchr(params.ptr, ','))
		sd_str_add(&params, ",0");
	if (strcmp(base, "character") == 0 && !params.len && strcmp(w, "bpchar") != 0)
		sd_str_add(&params, "1");

	if (params.len && strncmp(base, "time", 4) == 0 && strchr(base, ' ')) {
		/* precision goes after the first word: timestamp(3) with time zone */
		const char *sp = strchr(base, ' ');

		sd_str_addn(out, base, (size_t)(sp - base));
		sd_str_addf(out, "(%s)%s", params.ptr, sp);
	} else {
		sd_str_add(out, base);
		if (params.len)
			sd_str_addf(out, "(%s)", params.ptr);
	}
	if (ndims > 0 && !strstr(base, "[]"))
		sd_str_add(out, "[]");
	sd_str_release(&words);
	sd_str_release(&params);
}

/* ---- defaults and expressions ---- */

static const char *const type_cont_words[] = {
	"varying", "precision", "with", "without", "time", "zone",
};

static bool is_cont_word(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < SD_ARRAY_LEN(type_cont_words); i++) {
		if (strlen(type_cont_words[i]) == n && sd_strncasecmp(s, type_cont_words[i], n) == 0)
			return true;
	}
	return false;
}

/* Past the type name after "::" at p: words, a (modifier) and [] suffixes. */
static const char *skip_cast_type(const char *p)
{
	const char *q;
	bool first = true;

	for (;;) {
		q = p;
		while (*q == ' ')
			q++;
		if (*q == '"') {
			q++;
			while (*q && !(*q == '"' && q[1] != '"'))
				q += (*q == '"') ? 2 : 1;
			if (*q)
				q++;
		} else if (word_char(*q)) {
			const char *s = q;

			while (word_char(*q) || *q == '.')
				q++;
			if (!first && !is_cont_word(s, (size_t)(q - s)))
				return p;
		} else {
			return p;
		}
		p = q;
		first = false;
		while (*p == ' ')
			p++;
		if (*p == '(') {
			int depth = 0;

			do {
				depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
				p++;
			} while (*p && depth > 0);
		}
		while (*p == '[') {
			while (*p && *p != ']')
				p++;
			if (*p)
				p++;
		}
		q = p;
		while (*q == ' ')
			q++;
		if (!word_char(*q) || !is_cont_word(q, strcspn(q, " ()[],:")))
			return p;
	}
}

/* Copy expr without its "::type" casts; strings and quoted names kept as written. */
static void strip_casts(sd_str *out, const char *expr)
{
	const char *p = expr;

	while (*p) {
		if (*p == '\'' || *p == '"') {
			char qc = *p;

			sd_str_addch(out, *p++);
			while (*p) {
				if (*p == qc && p[1] == qc) {
					sd_str_addn(out, p, 2);
					p += 2;
				} else if (*p == qc) {
					sd_str_addch(out, *p++);
					break;
				} else {
					sd_str_addch(out, *p++);
				}
			}
		} else if (p[0] == ':' && p[1] == ':') {
			p = skip_cast_type(p + 2);
		} else {
			sd_str_addch(out, *p++);
		}
	}
}

/* Is s a single-quoted string holding a number ("'-1'", "'2.5'")? */
static bool quoted_number(const char *s, size_t n)
{
	size_t i = 1;
	bool digits = false;

	if (n < 3 || s[0] != '\'' || s[n - 1] != '\'')
		return false;
	if (s[i] == '-' || s[i] == '+')
		i++;
	for (; i < n - 1; i++) {
		if (isdigit((unsigned char)s[i]))
			digits = true;
		else if (s[i] != '.')
			return false;
	}
	return digits;
}

/*
 * Drop parentheses that hold one token and are not a call or list: "(name)"
 * after an operator, "(" or ",", or at the start.  Works on normalised
 * text, repeatedly, so "((a))" goes too.
 */
static void drop_single_parens(sd_str *s)
{
	bool changed = true;

	while (changed) {
		sd_lexer lx;
		sd_tok prev = { SD_TOK_EOF, NULL, 0, 0, 0 }, t[3];
		sd_str out = SD_STR_INIT;
		size_t copied = 0;

		changed = false;
		sd_lexer_init(&lx, s->ptr, s->len);
		t[0] = sd_lexer_next(&lx);
		t[1] = sd_lexer_next(&lx);
		t[2] = sd_lexer_next(&lx);
		while (t[0].kind != SD_TOK_EOF && t[0].kind != SD_TOK_ERROR) {
			if (t[0].kind == SD_TOK_LPAREN && t[2].kind == SD_TOK_RPAREN &&
			    (t[1].kind == SD_TOK_IDENT || t[1].kind == SD_TOK_QIDENT ||
			     t[1].kind == SD_TOK_STRING || t[1].kind == SD_TOK_NUMBER) &&
			    (prev.kind == SD_TOK_EOF || prev.kind == SD_TOK_OP ||
			     prev.kind == SD_TOK_LPAREN || prev.kind == SD_TOK_COMMA) &&
			    !(t[1].kind == SD_TOK_IDENT && sd_tok_is(&t[1], "select"))) {
				sd_str_addn(&out, s->ptr + copied, (size_t)(t[0].start - (s->ptr + copied)));
				sd_str_addn(&out, t[1].start, t[1].len);
				copied = (size_t)(t[2].start + t[2].len - s->ptr);
				prev = t[1];
				t[0] = sd_lexer_next(&lx);
				t[1] = sd_lexer_next(&lx);
				t[2] = sd_lexer_next(&lx);
				changed = true;
				continue;
			}
			prev = t[0];
			t[0] = t[1];
			t[1] = t[2];
			t[2] = sd_lexer_next(&lx);
		}
		if (changed) {
			sd_str_add(&out, s->ptr + copied);
			sd_str_reset(s);
			sd_str_add(s, out.ptr);
		}
		sd_str_release(&out);
	}
}

/* ---- the server's canonical form of boolean expressions ---- */

typedef struct toks {
	sd_tok *v;
	size_t n, alloc;
} toks;

static void toks_push(toks *t, sd_tok_kind kind, const char *text, size_t len)
{
	sd_tok k = { kind, text, len, 0, 0 };

	SD_GROW(t->v, t->n + 1, t->alloc);
	t->v[t->n++] = k;
}

static bool tok_word(const sd_tok *t, const char *w)
{
	return t->kind == SD_TOK_IDENT && sd_tok_is(t, w);
}

/* Index of the ')' matching the '(' at i, or n. */
static size_t match_paren(const toks *t, size_t i)
{
	int depth = 0;

	for (; i < t->n; i++) {
		if (t->v[i].kind == SD_TOK_LPAREN)
			depth++;
		else if (t->v[i].kind == SD_TOK_RPAREN && --depth == 0)
			return i;
	}
	return t->n;
}

/*
 * What the server does to an IN list and to LIKE: "x IN (a, b)" is
 * "x = ANY (ARRAY[a, b])", "x NOT IN (a, b)" is "x <> ALL (ARRAY[a, b])",
 * a one-element list is "x = a" / "x <> a"; LIKE is ~~, NOT LIKE !~~,
 * ILIKE ~~*.  A subquery IN ("IN (SELECT") is left alone.
 */
static void rewrite_in_like(toks *t, sd_arena *arena)
{
	toks o = { NULL, 0, 0 };
	size_t i;

	for (i = 0; i < t->n; i++) {
		sd_tok *k = &t->v[i];
		bool neg = tok_word(k, "not") && i + 1 < t->n;
		sd_tok *w = neg ? &t->v[i + 1] : k;

		if (tok_word(w, "like") || tok_word(w, "ilike")) {
			const char *op = tok_word(w, "ilike") ? (neg ? "!~~*" : "~~*") : (neg ? "!~~" : "~~");

			toks_push(&o, SD_TOK_OP, op, strlen(op));
			i += neg;
			continue;
		}
		if (tok_word(w, "in") && i + 1 + neg < t->n && t->v[i + 1 + neg].kind == SD_TOK_LPAREN &&
		    !(i + 2 + neg < t->n && tok_word(&t->v[i + 2 + neg], "select"))) {
			size_t open = i + 1 + neg, close = match_paren(t, open), j;
			bool single = true;
			int depth = 0;

			if (close == t->n)
				break;
			for (j = open + 1; j < close; j++) {
				depth += t->v[j].kind == SD_TOK_LPAREN ? 1 : t->v[j].kind == SD_TOK_RPAREN ? -1 : 0;
				if (depth == 0 && t->v[j].kind == SD_TOK_COMMA)
					single = false;
			}
			toks_push(&o, SD_TOK_OP, neg ? "<>" : "=", neg ? 2 : 1);
			if (single) {
				for (j = open + 1; j < close; j++)
					toks_push(&o, t->v[j].kind, t->v[j].start, t->v[j].len);
			} else {
				/*
				 * The lexer reads "[0, 1]" as one bracketed identifier
				 * (SQLite's [name]): build that token as the server
				 * prints the list, elements joined by ", ".
				 */
				sd_str list = SD_STR_INIT;
				char *text;

				sd_str_addch(&list, '[');
				for (j = open + 1; j < close; j++) {
					if (t->v[j].kind == SD_TOK_COMMA)
						sd_str_add(&list, ", ");
					else
						sd_str_addn(&list, t->v[j].start, t->v[j].len);
				}
				sd_str_addch(&list, ']');
				text = sd_arena_strndup(arena, list.ptr, list.len);
				sd_str_release(&list);
				toks_push(&o, SD_TOK_IDENT, neg ? "all" : "any", 3);
				toks_push(&o, SD_TOK_LPAREN, "(", 1);
				toks_push(&o, SD_TOK_IDENT, "array", 5);
				toks_push(&o, SD_TOK_QIDENT, text, strlen(text));
				toks_push(&o, SD_TOK_RPAREN, ")", 1);
			}
			i = close;
			continue;
		}
		toks_push(&o, k->kind, k->start, k->len);
	}
	if (i < t->n) {  /* unbalanced: keep the rest as it was */
		for (; i < t->n; i++)
			toks_push(&o, t->v[i].kind, t->v[i].start, t->v[i].len);
	}
	free(t->v);
	*t = o;
}

/* A grouping '(' (not a call's, not ANY/ALL/ARRAY's, not after a value)? */
static bool grouping_paren(const toks *t, size_t i)
{
	const sd_tok *p;

	if (i == 0)
		return true;
	p = &t->v[i - 1];
	if (p->kind == SD_TOK_IDENT)
		return tok_word(p, "and") || tok_word(p, "or") || tok_word(p, "not");
	return p->kind == SD_TOK_LPAREN || p->kind == SD_TOK_OP || p->kind == SD_TOK_COMMA;
}

/*
 * Drop the parentheses the server adds and people leave out, only where
 * that cannot change the meaning (comparisons bind tighter than NOT, NOT
 * than AND, AND than OR): a group without AND/OR next to AND/OR/NOT or a
 * boundary; an AND group next to AND/OR or a boundary (not after NOT); an
 * OR group only between OR or boundaries.  Arithmetic grouping is kept.
 */
static void drop_logic_parens(toks *t)
{
	bool changed = true;

	while (changed) {
		size_t i;

		changed = false;
		for (i = 0; i < t->n; i++) {
			size_t close, j;
			bool has_and = false, has_or = false;
			int depth = 0;
			const sd_tok *p, *nx;
			bool p_bound, p_and, p_or, p_not, n_bound, n_and, n_or, ok;

			if (t->v[i].kind != SD_TOK_LPAREN || !grouping_paren(t, i))
				continue;
			close = match_paren(t, i);
			if (close == t->n)
				return;
			for (j = i + 1; j < close; j++) {
				const sd_tok *k = &t->v[j];

				if (k->kind == SD_TOK_LPAREN)
					depth++;
				else if (k->kind == SD_TOK_RPAREN)
					depth--;
				else if (depth == 0 && tok_word(k, "and"))
					has_and = true;
				else if (depth == 0 && tok_word(k, "or"))
					has_or = true;
			}
			p = i ? &t->v[i - 1] : NULL;
			nx = close + 1 < t->n ? &t->v[close + 1] : NULL;
			p_bound = !p || p->kind == SD_TOK_LPAREN;
			p_and = p && tok_word(p, "and");
			p_or = p && tok_word(p, "or");
			p_not = p && tok_word(p, "not");
			n_bound = !nx || nx->kind == SD_TOK_RPAREN;
			n_and = nx && tok_word(nx, "and");
			n_or = nx && tok_word(nx, "or");
			if (p && (p->kind == SD_TOK_OP || p->kind == SD_TOK_COMMA))
				continue;  /* an operand (arithmetic, comparison) or a list element */
			if (p_bound && n_bound)
				ok = true;
			else if (has_or)
				ok = (p_bound || p_or) && (n_bound || n_or);
			else if (has_and)
				ok = (p_bound || p_and || p_or) && (n_bound || n_and || n_or);
			else
				ok = (p_bound || p_and || p_or || p_not) && (n_bound || n_and || n_or);
			if (!ok)
				continue;
			memmove(&t->v[close], &t->v[close + 1], (t->n - close - 1) * sizeof(sd_tok));
			t->n--;
			memmove(&t->v[i], &t->v[i + 1], (t->n - i - 1) * sizeof(sd_tok));
			t->n--;
			changed = true;
			break;
		}
	}
}

static void pg_normalize_expr(sd_str *out, const char *expr);

/*
 * The elements of an ARRAY[...] constructor (list: the text between the
 * brackets) in canonical form, joined by ", " as the server prints them.
 * The lexer reads "[...]" as one bracketed name, so the list is split here,
 * at commas outside quotes, parentheses and brackets, and each element is
 * normalised on its own: the server deparses "x IN ('a', 'b')" on a
 * varchar column as "ARRAY['a'::character varying, 'b'::character
 * varying]::text[]" and that text, created again, as
 * "ARRAY[('a'::character varying)::text, ...]".  False when the list is
 * not one we can split (an unterminated quote).
 */
static bool array_elems(sd_str *out, const char *list)
{
	const char *p = list, *start = list;
	int depth = 0;
	bool first = true;

	for (;; p++) {
		if (*p == '\'' || *p == '"') {
			char q = *p++;

			while (*p && !(*p == q && p[1] != q))
				p += (*p == q) ? 2 : 1;
			if (!*p)
				return false;
			continue;
		}
		if (*p == '(' || *p == '[') {
			depth++;
		} else if ((*p == ')' || *p == ']') && depth > 0) {
			depth--;
		} else if (!*p || (*p == ',' && depth == 0)) {
			sd_str el = SD_STR_INIT;
			char *one = xstrndup(start, (size_t)(p - start));

			pg_normalize_expr(&el, one);
			free(one);
			if (!first)
				sd_str_add(out, ", ");
			sd_str_add(out, el.ptr);
			sd_str_release(&el);
			first = false;
			if (!*p)
				return true;
			start = p + 1;
		}
	}
}

/* ARRAY[...] lists (a bracketed token after "array") with each element in canonical form. */
static void canonical_arrays(toks *t, sd_arena *arena)
{
	size_t i;

	for (i = 1; i < t->n; i++) {
		sd_tok *k = &t->v[i];
		sd_str list = SD_STR_INIT, out = SD_STR_INIT;

		if (k->kind != SD_TOK_QIDENT || !tok_word(&t->v[i - 1], "array") ||
		    (k->start[0] != '[' && k->start[0] != '"'))
			continue;
		sd_tok_ident_value(k, &list);
		sd_str_addch(&out, '[');
		/* a "]" inside would end the bracketed token early: keep such a list as it is */
		if (array_elems(&out, list.ptr) && !strchr(out.ptr + 1, ']')) {
			sd_str_addch(&out, ']');
			k->start = sd_arena_strndup(arena, out.ptr, out.len);
			k->len = out.len;
		}
		sd_str_release(&list);
		sd_str_release(&out);
	}
}

/* Canonical form of normalised expression text in s (rewritten in place). */
static void canonical_logic(sd_str *s)
{
	toks t = { NULL, 0, 0 };
	sd_lexer lx;
	sd_tok k;
	sd_str out = SD_STR_INIT;
	char *src = xstrdup(s->ptr);
	sd_arena *arena = sd_arena_new();
	size_t i;

	sd_lexer_init(&lx, src, strlen(src));
	for (;;) {
		k = sd_lexer_next(&lx);
		if (k.kind == SD_TOK_EOF)
			break;
		if (k.kind == SD_TOK_ERROR)
			goto done;
		toks_push(&t, k.kind, k.start, k.len);
	}
	rewrite_in_like(&t, arena);
	canonical_arrays(&t, arena);
	drop_logic_parens(&t);
	for (i = 0; i < t.n; i++) {
		if (i)
			sd_str_addch(&out, ' ');
		sd_str_addn(&out, t.v[i].start, t.v[i].len);
	}
	sd_str_reset(s);
	sd_sql_normalize_expr(s, out.ptr);
done:
	free(t.v);
	free(src);
	sd_arena_free(arena);
	sd_str_release(&out);
}

static void pg_normalize_expr(sd_str *out, const char *expr)
{
	sd_str a = SD_STR_INIT, b = SD_STR_INIT;

	if (!expr)
		return;
	strip_casts(&a, expr);
	sd_sql_normalize_expr(&b, a.ptr);
	drop_single_parens(&b);
	canonical_logic(&b);
	sd_str_reset(&a);
	sd_sql_normalize_expr(&a, b.ptr);
	sd_str_add(out, a.ptr);
	sd_str_release(&a);
	sd_str_release(&b);
}

static void pg_normalize_default(sd_str *out, const char *expr)
{
	sd_str tmp = SD_STR_INIT;

	if (!expr)
		return;
	pg_normalize_expr(&tmp, expr);
	if (quoted_number(tmp.ptr, tmp.len))
		sd_str_addn(out, tmp.ptr + 1, tmp.len - 2);
	else if (strcmp(tmp.ptr, "now()") == 0 || strcmp(tmp.ptr, "transaction_timestamp()") == 0)
		sd_str_add(out, "current_timestamp");
	else
		sd_str_add(out, tmp.ptr);
	sd_str_release(&tmp);
}

/* Is word (len bytes) one of words, case-insensitively? */
static bool word_in(const char *word, size_t len, const char *const *words)
{
	for (; *words; words++)
		if (strlen(*words) == len && sd_strncasecmp(word, *words, len) == 0)
			return true;
	return false;
}

/*
 * A boolean column's default: what the server accepts as boolean input
 * (1/0, 't'/'f', 'yes'/'no', 'on'/'off', TRUE/FALSE) is true or false, so a
 * schema file written from SQLite (DEFAULT 1) equals the server's true.
 */
static void pg_normalize_column_default(sd_str *out, const char *expr, const char *type)
{
	static const char *const yes[] = { "1", "t", "true", "y", "yes", "on", NULL };
	static const char *const no[] = { "0", "f", "false", "n", "no", "off", NULL };
	sd_str ty = SD_STR_INIT, d = SD_STR_INIT;
	const char *v;
	size_t len;

	if (!expr)
		return;
	pg_normalize_default(&d, expr);
	if (type)
		pg_normalize_type(&ty, type);
	v = d.ptr;
	len = d.len;
	if (len >= 2 && v[0] == '\'' && v[len - 1] == '\'') {
		v++;
		len -= 2;
	}
	if (strncmp(d.ptr, "nextval('", 9) == 0 && d.len > 14 &&
	    strcmp(d.ptr + d.len - 6, "_seq')") == 0 && !strchr(d.ptr + 9, ','))
		;  /* the serial default: nextval('<table>_<column>_seq') */
	else if (type && strcmp(ty.ptr, "boolean") == 0 && word_in(v, len, yes))
		sd_str_add(out, "true");
	else if (type && strcmp(ty.ptr, "boolean") == 0 && word_in(v, len, no))
		sd_str_add(out, "false");
	else
		sd_str_add(out, d.ptr);
	sd_str_release(&ty);
	sd_str_release(&d);
}

/*
 * Only expressions without function calls are evaluated by the server: a
 * call may be volatile (now() and statement_timestamp() would evaluate
 * equal inside one statement, yet differ as defaults).
 */
static bool safe_to_evaluate(const char *expr)
{
	sd_lexer lx;
	sd_tok prev = { SD_TOK_EOF, NULL, 0, 0, 0 }, t;

	sd_lexer_init(&lx, expr, strlen(expr));
	for (;;) {
		t = sd_lexer_next(&lx);
		if (t.kind == SD_TOK_EOF)
			return true;
		if (t.kind == SD_TOK_ERROR || t.kind == SD_TOK_SEMI || t.kind == SD_TOK_PARAM)
			return false;
		if (t.kind == SD_TOK_LPAREN && (prev.kind == SD_TOK_IDENT || prev.kind == SD_TOK_QIDENT) &&
		    !sd_tok_is(&prev, "and") && !sd_tok_is(&prev, "or") && !sd_tok_is(&prev, "not"))
			return false;
		if (t.kind == SD_TOK_IDENT && (sd_tok_is(&t, "select") || sd_tok_is(&t, "nextval")))
			return false;
		prev = t;
	}
}

static int pg_exprs_equal(const char *conninfo, const char *const *a, const char *const *b,
			  const char *const *types, size_t n, bool *eq, sd_error *err)
{
	const char **fa = xcalloc(n ? n : 1, sizeof(*fa)), **fb = xcalloc(n ? n : 1, sizeof(*fb));
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		if (a[i] && b[i] && safe_to_evaluate(a[i]) && safe_to_evaluate(b[i])) {
			fa[i] = a[i];
			fb[i] = b[i];
		}
	}
	rc = sd_pg_exprs_equal(conninfo, fa, fb, types, n, eq, err);
	free(fa);
	free(fb);
	return rc;
}

/* ---- lossy type changes ---- */

typedef enum family {
	F_BOOL, F_INT, F_NUMERIC, F_FLOAT, F_TEXT, F_BYTEA, F_DATE, F_TIME, F_TIMESTAMP,
	F_JSON, F_JSONB, F_OTHER
} family;

typedef struct type_info {
	family f;
	int rank;
	bool has_p1, has_p2;
	long p1, p2;
	bool array;
} type_info;

static void classify(const char *type, type_info *ti)
{
	sd_str n = SD_STR_INIT;
	const char *paren;
	char *end;
	const char *w;

	memset(ti, 0, sizeof(*ti));
	pg_normalize_type(&n, type ? type : "text");
	w = n.ptr;
	ti->array = strstr(w, "[]") != NULL;
	paren = strchr(w, '(');
	if (paren) {
		ti->p1 = strtol(paren + 1, &end, 10);
		ti->has_p1 = end != paren + 1;
		if (*end == ',') {
			ti->p2 = strtol(end + 1, &end, 10);
			ti->has_p2 = true;
		}
	}
#define IS(s) (strncmp(w, s, strlen(s)) == 0)
	if (IS("boolean"))
		ti->f = F_BOOL;
	else if (IS("smallint"))
		ti->f = F_INT, ti->rank = 2;
	else if (IS("integer"))
		ti->f = F_INT, ti->rank = 4;
	else if (IS("bigint"))
		ti->f = F_INT, ti->rank = 8;
	else if (IS("numeric"))
		ti->f = F_NUMERIC;
	else if (IS("real"))
		ti->f = F_FLOAT, ti->rank = 4;
	else if (IS("double precision"))
		ti->f = F_FLOAT, ti->rank = 8;
	else if (IS("character") || IS("text"))
		ti->f = F_TEXT;
	else if (IS("bytea"))
		ti->f = F_BYTEA;
	else if (IS("date"))
		ti->f = F_DATE;
	else if (IS("timestamp"))
		ti->f = F_TIMESTAMP, ti->rank = strstr(w, "with time zone") ? 1 : 0;
	else if (IS("time"))
		ti->f = F_TIME, ti->rank = strstr(w, "with time zone") ? 1 : 0;
	else if (IS("jsonb"))
		ti->f = F_JSONB;
	else if (IS("json"))
		ti->f = F_JSON;
	else
		ti->f = F_OTHER;
#undef IS
	if (ti->f == F_TIMESTAMP || ti->f == F_TIME) {
		/* precision is fractional digits; none means 6 */
		if (!ti->has_p1)
			ti->p1 = 6;
		ti->has_p1 = true;
	}
	sd_str_release(&n);
}

static long int_digits(int rank)
{
	return rank == 2 ? 5 : rank == 4 ? 10 : 19;
}

static bool pg_type_change_is_lossy(const char *from, const char *to)
{
	sd_str na = SD_STR_INIT, nb = SD_STR_INIT;
	type_info a, b;
	bool same;

	pg_normalize_type(&na, from ? from : "text");
	pg_normalize_type(&nb, to ? to : "text");
	same = strcmp(na.ptr, nb.ptr) == 0;
	sd_str_release(&na);
	sd_str_release(&nb);
	if (same)
		return false;
	classify(from, &a);
	classify(to, &b);
	if (a.array != b.array)
		return true;
	if (b.f == F_TEXT && !b.has_p1)
		return a.f == F_BYTEA;  /* text holds every value's text form */
	switch (a.f) {
	case F_BOOL:
		return b.f != F_BOOL && b.f != F_TEXT;
	case F_INT:
		if (b.f == F_INT)
			return b.rank < a.rank;
		if (b.f == F_NUMERIC)
			return b.has_p1 && b.p1 - (b.has_p2 ? b.p2 : 0) < int_digits(a.rank);
		if (b.f == F_FLOAT)
			return b.rank == 4 ? a.rank >= 4 : a.rank >= 8;
		if (b.f == F_TEXT)
			return b.p1 < int_digits(a.rank) + 1;
		return true;
	case F_NUMERIC:
		if (b.f == F_NUMERIC) {
			if (!b.has_p1)
				return false;
			if (!a.has_p1)
				return true;
			return (b.has_p2 ? b.p2 : 0) < (a.has_p2 ? a.p2 : 0) ||
			       b.p1 - (b.has_p2 ? b.p2 : 0) < a.p1 - (a.has_p2 ? a.p2 : 0);
		}
		return true;
	case F_FLOAT:
		return b.f != F_FLOAT || b.rank < a.rank;
	case F_TEXT:
		/* both text: a length limit that shrinks or appears loses data */
		return b.f != F_TEXT || (b.has_p1 && (!a.has_p1 || b.p1 < a.p1));
	case F_BYTEA:
		return b.f != F_BYTEA;
	case F_DATE:
		return b.f != F_DATE && b.f != F_TIMESTAMP;
	case F_TIME:
		return b.f != F_TIME || b.p1 < a.p1 || b.rank < a.rank;
	case F_TIMESTAMP:
		return b.f != F_TIMESTAMP || b.p1 < a.p1;
	case F_JSONB:
		return b.f != F_JSON && b.f != F_JSONB;
	case F_JSON:
		/* jsonb drops duplicate keys, key order and white space */
		return true;
	default:
		return true;
	}
}

/* ---- default operator classes ---- */

/*
 * The default operator class of each built-in type and index method, as
 * PostgreSQL 15 picks it (GetDefaultOpClass): what CREATE INDEX uses when
 * the element names none, read from a server by indexing a column of each
 * type with each method.  Types in format_type()'s words without
 * modifiers; "[]" is any array type, "enum" any enum type.
 */
static const struct {
	const char *method, *type, *opclass;
} pg_default_opclasses[] = {
	{ "brin", "\"char\"", "char_minmax_ops" },
	{ "brin", "bigint", "int8_minmax_ops" },
	{ "brin", "bit", "bit_minmax_ops" },
	{ "brin", "bit varying", "varbit_minmax_ops" },
	{ "brin", "box", "box_inclusion_ops" },
	{ "brin", "bytea", "bytea_minmax_ops" },
	{ "brin", "character", "bpchar_minmax_ops" },
	{ "brin", "character varying", "text_minmax_ops" },
	{ "brin", "cidr", "inet_inclusion_ops" },
	{ "brin", "date", "date_minmax_ops" },
	{ "brin", "daterange", "range_inclusion_ops" },
	{ "brin", "double precision", "float8_minmax_ops" },
	{ "brin", "inet", "inet_inclusion_ops" },
	{ "brin", "int4range", "range_inclusion_ops" },
	{ "brin", "int8range", "range_inclusion_ops" },
	{ "brin", "integer", "int4_minmax_ops" },
	{ "brin", "interval", "interval_minmax_ops" },
	{ "brin", "macaddr", "macaddr_minmax_ops" },
	{ "brin", "macaddr8", "macaddr8_minmax_ops" },
	{ "brin", "name", "name_minmax_ops" },
	{ "brin", "numeric", "numeric_minmax_ops" },
	{ "brin", "numrange", "range_inclusion_ops" },
	{ "brin", "oid", "oid_minmax_ops" },
	{ "brin", "pg_lsn", "pg_lsn_minmax_ops" },
	{ "brin", "real", "float4_minmax_ops" },
	{ "brin", "smallint", "int2_minmax_ops" },
	{ "brin", "text", "text_minmax_ops" },
	{ "brin", "time with time zone", "timetz_minmax_ops" },
	{ "brin", "time without time zone", "time_minmax_ops" },
	{ "brin", "timestamp with time zone", "timestamptz_minmax_ops" },
	{ "brin", "timestamp without time zone", "timestamp_minmax_ops" },
	{ "brin", "tsrange", "range_inclusion_ops" },
	{ "brin", "tstzrange", "range_inclusion_ops" },
	{ "brin", "uuid", "uuid_minmax_ops" },
	{ "btree", "\"char\"", "char_ops" },
	{ "btree", "[]", "array_ops" },
	{ "btree", "bigint", "int8_ops" },
	{ "btree", "bit", "bit_ops" },
	{ "btree", "bit varying", "varbit_ops" },
	{ "btree", "boolean", "bool_ops" },
	{ "btree", "bytea", "bytea_ops" },
	{ "btree", "character", "bpchar_ops" },
	{ "btree", "character varying", "text_ops" },
	{ "btree", "cidr", "inet_ops" },
	{ "btree", "date", "date_ops" },
	{ "btree", "datemultirange", "multirange_ops" },
	{ "btree", "daterange", "range_ops" },
	{ "btree", "double precision", "float8_ops" },
	{ "btree", "enum", "enum_ops" },
	{ "btree", "inet", "inet_ops" },
	{ "btree", "int4multirange", "multirange_ops" },
	{ "btree", "int4range", "range_ops" },
	{ "btree", "int8multirange", "multirange_ops" },
	{ "btree", "int8range", "range_ops" },
	{ "btree", "integer", "int4_ops" },
	{ "btree", "interval", "interval_ops" },
	{ "btree", "jsonb", "jsonb_ops" },
	{ "btree", "macaddr", "macaddr_ops" },
	{ "btree", "macaddr8", "macaddr8_ops" },
	{ "btree", "money", "money_ops" },
	{ "btree", "name", "name_ops" },
	{ "btree", "numeric", "numeric_ops" },
	{ "btree", "nummultirange", "multirange_ops" },
	{ "btree", "numrange", "range_ops" },
	{ "btree", "oid", "oid_ops" },
	{ "btree", "pg_lsn", "pg_lsn_ops" },
	{ "btree", "real", "float4_ops" },
	{ "btree", "smallint", "int2_ops" },
	{ "btree", "text", "text_ops" },
	{ "btree", "time with time zone", "timetz_ops" },
	{ "btree", "time without time zone", "time_ops" },
	{ "btree", "timestamp with time zone", "timestamptz_ops" },
	{ "btree", "timestamp without time zone", "timestamp_ops" },
	{ "btree", "tsmultirange", "multirange_ops" },
	{ "btree", "tsquery", "tsquery_ops" },
	{ "btree", "tsrange", "range_ops" },
	{ "btree", "tstzmultirange", "multirange_ops" },
	{ "btree", "tstzrange", "range_ops" },
	{ "btree", "tsvector", "tsvector_ops" },
	{ "btree", "uuid", "uuid_ops" },
	{ "gin", "[]", "array_ops" },
	{ "gin", "jsonb", "jsonb_ops" },
	{ "gin", "tsvector", "tsvector_ops" },
	{ "gist", "box", "box_ops" },
	{ "gist", "circle", "circle_ops" },
	{ "gist", "datemultirange", "multirange_ops" },
	{ "gist", "daterange", "range_ops" },
	{ "gist", "int4multirange", "multirange_ops" },
	{ "gist", "int4range", "range_ops" },
	{ "gist", "int8multirange", "multirange_ops" },
	{ "gist", "int8range", "range_ops" },
	{ "gist", "nummultirange", "multirange_ops" },
	{ "gist", "numrange", "range_ops" },
	{ "gist", "point", "point_ops" },
	{ "gist", "polygon", "poly_ops" },
	{ "gist", "tsmultirange", "multirange_ops" },
	{ "gist", "tsquery", "tsquery_ops" },
	{ "gist", "tsrange", "range_ops" },
	{ "gist", "tstzmultirange", "multirange_ops" },
	{ "gist", "tstzrange", "range_ops" },
	{ "gist", "tsvector", "tsvector_ops" },
	{ "hash", "\"char\"", "char_ops" },
	{ "hash", "[]", "array_ops" },
	{ "hash", "bigint", "int8_ops" },
	{ "hash", "boolean", "bool_ops" },
	{ "hash", "bytea", "bytea_ops" },
	{ "hash", "character", "bpchar_ops" },
	{ "hash", "character varying", "text_ops" },
	{ "hash", "cidr", "inet_ops" },
	{ "hash", "date", "date_ops" },
	{ "hash", "datemultirange", "multirange_ops" },
	{ "hash", "daterange", "range_ops" },
	{ "hash", "double precision", "float8_ops" },
	{ "hash", "enum", "enum_ops" },
	{ "hash", "inet", "inet_ops" },
	{ "hash", "int4multirange", "multirange_ops" },
	{ "hash", "int4range", "range_ops" },
	{ "hash", "int8multirange", "multirange_ops" },
	{ "hash", "int8range", "range_ops" },
	{ "hash", "integer", "int4_ops" },
	{ "hash", "interval", "interval_ops" },
	{ "hash", "jsonb", "jsonb_ops" },
	{ "hash", "macaddr", "macaddr_ops" },
	{ "hash", "macaddr8", "macaddr8_ops" },
	{ "hash", "name", "name_ops" },
	{ "hash", "numeric", "numeric_ops" },
	{ "hash", "nummultirange", "multirange_ops" },
	{ "hash", "numrange", "range_ops" },
	{ "hash", "oid", "oid_ops" },
	{ "hash", "pg_lsn", "pg_lsn_ops" },
	{ "hash", "real", "float4_ops" },
	{ "hash", "smallint", "int2_ops" },
	{ "hash", "text", "text_ops" },
	{ "hash", "time with time zone", "timetz_ops" },
	{ "hash", "time without time zone", "time_ops" },
	{ "hash", "timestamp with time zone", "timestamptz_ops" },
	{ "hash", "timestamp without time zone", "timestamp_ops" },
	{ "hash", "tsmultirange", "multirange_ops" },
	{ "hash", "tsrange", "range_ops" },
	{ "hash", "tstzmultirange", "multirange_ops" },
	{ "hash", "tstzrange", "range_ops" },
	{ "hash", "uuid", "uuid_ops" },
	{ "spgist", "box", "box_ops" },
	{ "spgist", "character varying", "text_ops" },
	{ "spgist", "cidr", "inet_ops" },
	{ "spgist", "daterange", "range_ops" },
	{ "spgist", "inet", "inet_ops" },
	{ "spgist", "int4range", "range_ops" },
	{ "spgist", "int8range", "range_ops" },
	{ "spgist", "numrange", "range_ops" },
	{ "spgist", "point", "quad_point_ops" },
	{ "spgist", "polygon", "poly_ops" },
	{ "spgist", "text", "text_ops" },
	{ "spgist", "tsrange", "range_ops" },
	{ "spgist", "tstzrange", "range_ops" },
};

static bool pg_opclass_is_default(const char *opclass, const char *method, const char *type,
				  bool is_enum)
{
	sd_str canon = SD_STR_INIT, base = SD_STR_INIT;
	const char *p;
	int depth = 0;
	bool found = false;
	size_t i;

	if (!opclass || !type)
		return false;
	if (!method)
		method = "btree";
	pg_normalize_type(&canon, type);
	/* "timestamp(3) with time zone" -> "timestamp with time zone", arrays -> "[]" */
	for (p = canon.ptr; *p; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;
		else if (depth == 0 && !(*p == ' ' && (base.len == 0 || base.ptr[base.len - 1] == ' ')))
			sd_str_addch(&base, *p);
	}
	while (base.len && base.ptr[base.len - 1] == ' ')
		sd_str_truncate(&base, base.len - 1);
	if (base.len >= 2 && strcmp(base.ptr + base.len - 2, "[]") == 0) {
		sd_str_reset(&base);
		sd_str_add(&base, "[]");
	} else if (is_enum) {
		sd_str_reset(&base);
		sd_str_add(&base, "enum");
	}
	for (i = 0; i < SD_ARRAY_LEN(pg_default_opclasses) && !found; i++)
		found = sd_strcasecmp(pg_default_opclasses[i].method, method) == 0 &&
			strcmp(pg_default_opclasses[i].type, base.ptr) == 0 &&
			strcmp(pg_default_opclasses[i].opclass, opclass) == 0;
	sd_str_release(&canon);
	sd_str_release(&base);
	return found;
}

const sd_dialect sd_dialect_postgresql = {
	.name = "postgresql",
	.caps = SD_CAP_COMMENTS | SD_CAP_SCHEMAS | SD_CAP_ALTER_COLUMN | SD_CAP_ADD_CONSTRAINT |
		SD_CAP_DROP_COLUMN | SD_CAP_NAMED_PK | SD_CAP_IDENTITY |
		SD_CAP_TYPES_SEQUENCES | SD_CAP_OPCLASS | SD_CAP_UNIQUE_NND,
	.introspect = sd_pg_introspect,
	.normalize_type = pg_normalize_type,
	.normalize_default = pg_normalize_default,
	.normalize_expr = pg_normalize_expr,
	.quote_ident = pg_quote_ident,
	.type_change_is_lossy = pg_type_change_is_lossy,
	.alembic_type = sd_pg_alembic_type,
	.scratch_exec = sd_pg_scratch_exec,
	.scratch_introspect = sd_pg_scratch_introspect,
	.scratch_close = sd_pg_scratch_close,
	.scratch_open_empty = sd_pg_scratch_open_empty,
	.scratch_check_texts = sd_pg_scratch_check_texts,
	.op_lock_note = sd_pg_op_lock_note,
	.max_identifier_length = 63,
	.normalize_column_default = pg_normalize_column_default,
	.exprs_equal = pg_exprs_equal,
	.opclass_is_default = pg_opclass_is_default,
	.read_version_table = sd_pg_read_version_table,
	.write_version_table = sd_pg_write_version_table,
};
