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

static void pg_normalize_expr(sd_str *out, const char *expr)
{
	sd_str a = SD_STR_INIT, b = SD_STR_INIT;

	if (!expr)
		return;
	strip_casts(&a, expr);
	sd_sql_normalize_expr(&b, a.ptr);
	drop_single_parens(&b);
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

const sd_dialect sd_dialect_postgresql = {
	.name = "postgresql",
	.caps = SD_CAP_COMMENTS | SD_CAP_SCHEMAS | SD_CAP_ALTER_COLUMN | SD_CAP_ADD_CONSTRAINT |
		SD_CAP_DROP_COLUMN | SD_CAP_NAMED_PK,
	.introspect = sd_pg_introspect,
	.normalize_type = pg_normalize_type,
	.normalize_default = pg_normalize_default,
	.normalize_expr = pg_normalize_expr,
	.quote_ident = pg_quote_ident,
	.type_change_is_lossy = pg_type_change_is_lossy,
};
