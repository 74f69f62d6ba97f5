/*
 * sqlite.c - the SQLite dialect: canonical forms of types, defaults and
 * expressions for comparison, identifier quoting (the one place SQLite
 * names get quotes, sqldiff's safeId), and which type changes lose data.
 *
 * Type canonical form (for comparing what people write with what the
 * database keeps; never written back): upper case, single spaces, no space
 * in "(n,m)", and these synonyms folded:
 *   INT, INT4 -> INTEGER         INT2 -> SMALLINT        INT8 -> BIGINT
 *   DECIMAL -> NUMERIC           BOOL -> BOOLEAN
 *   DOUBLE, FLOAT8 -> DOUBLE PRECISION                   FLOAT4 -> REAL
 *   CHARACTER VARYING, VARYING CHARACTER -> VARCHAR      CHARACTER -> CHAR
 *   TIMESTAMP/TIME WITHOUT TIME ZONE -> TIMESTAMP/TIME
 *   TIMESTAMPTZ/TIMETZ -> TIMESTAMP/TIME WITH TIME ZONE
 * FLOAT and REAL stay distinct from DOUBLE PRECISION (SQLAlchemy writes all
 * three and PostgreSQL gives them different widths); lengths and precision
 * are kept, so VARCHAR(32) and VARCHAR(64) differ.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "schemadiff/dialect.h"
#include "schemadiff/sqltok.h"
#include "introspect/sqlite_introspect.h"
#include "dialect/sqlite_alembic.h"

static const struct {
	const char *from, *to;
} type_synonyms[] = {
	{ "INT", "INTEGER" },
	{ "INT4", "INTEGER" },
	{ "INT2", "SMALLINT" },
	{ "INT8", "BIGINT" },
	{ "DECIMAL", "NUMERIC" },
	{ "BOOL", "BOOLEAN" },
	{ "DOUBLE", "DOUBLE PRECISION" },
	{ "FLOAT8", "DOUBLE PRECISION" },
	{ "FLOAT4", "REAL" },
	{ "CHARACTER VARYING", "VARCHAR" },
	{ "VARYING CHARACTER", "VARCHAR" },
	{ "CHARACTER", "CHAR" },
	{ "TIMESTAMP WITHOUT TIME ZONE", "TIMESTAMP" },
	{ "TIME WITHOUT TIME ZONE", "TIME" },
	{ "TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE" },
	{ "TIMETZ", "TIME WITH TIME ZONE" },
};

/*
 * Split a type into its words (upper-cased, unquoted, single spaces), the
 * contents of its first parenthesised group ("10,2", signs other than '-'
 * dropped) and whatever else follows ("[]"), each without white space.
 */
static void split_type(const char *type, sd_str *words, sd_str *params, sd_str *rest)
{
	sd_lexer lx;
	int depth = 0, groups = 0;
	size_t i;

	sd_lexer_init(&lx, type, strlen(type));
	for (;;) {
		sd_tok t = sd_lexer_next(&lx);

		if (t.kind == SD_TOK_EOF)
			break;
		if (t.kind == SD_TOK_LPAREN) {
			if (depth++ == 0 && groups++ == 0)
				continue;
		} else if (t.kind == SD_TOK_RPAREN && depth > 0) {
			if (--depth == 0 && groups == 1)
				continue;
		}
		if (depth > 0 && groups == 1) {
			if (!(t.kind == SD_TOK_OP && t.len == 1 && t.start[0] == '+'))
				sd_str_addn(params, t.start, t.len);
		} else if (depth == 0 && (t.kind == SD_TOK_IDENT || t.kind == SD_TOK_STRING ||
					  (t.kind == SD_TOK_QIDENT && t.start[0] != '['))) {
			/* ("[]" of an array type is not a bracketed word: it goes to rest) */
			size_t from = words->len;

			if (words->len)
				sd_str_addch(words, ' ');
			from = words->len;
			sd_tok_ident_value(&t, words);
			for (i = from; i < words->len; i++) {
				char c = words->ptr[i];

				if (c >= 'a' && c <= 'z')
					words->ptr[i] = (char)(c - 'a' + 'A');
			}
		} else {
			sd_str_addn(rest, t.start, t.len);
		}
	}
}

static void sqlite_normalize_type(sd_str *out, const char *type)
{
	sd_str words = SD_STR_INIT, params = SD_STR_INIT, rest = SD_STR_INIT;
	const char *base;
	size_t i;

	if (!type)
		return;
	split_type(type, &words, &params, &rest);
	base = words.ptr;
	for (i = 0; i < SD_ARRAY_LEN(type_synonyms); i++) {
		if (strcmp(words.ptr, type_synonyms[i].from) == 0) {
			base = type_synonyms[i].to;
			break;
		}
	}
	sd_str_add(out, base);
	if (params.len)
		sd_str_addf(out, "(%s)", params.ptr);
	sd_str_add(out, rest.ptr);
	sd_str_release(&words);
	sd_str_release(&params);
	sd_str_release(&rest);
}

/*
 * Defaults: token-normalised like any expression, which drops the outer
 * parentheses SQLite keeps for DEFAULT (expr) and folds keyword case
 * (CURRENT_TIMESTAMP); TRUE and FALSE are the integers SQLite stores.
 */
static void sqlite_normalize_default(sd_str *out, const char *expr)
{
	sd_str tmp = SD_STR_INIT;

	if (!expr)
		return;
	sd_sql_normalize_expr(&tmp, expr);
	if (strcmp(tmp.ptr, "true") == 0)
		sd_str_add(out, "1");
	else if (strcmp(tmp.ptr, "false") == 0)
		sd_str_add(out, "0");
	else
		sd_str_add(out, tmp.ptr);
	sd_str_release(&tmp);
}

static void sqlite_normalize_expr(sd_str *out, const char *expr)
{
	sd_sql_normalize_expr(out, expr);
}

static bool plain_ident(const char *s)
{
	size_t i;

	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_'))
		return false;
	for (i = 1; s[i]; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
		      (c >= '0' && c <= '9')))
			return false;
	}
	return !sd_sql_is_keyword(s, i);
}

static void sqlite_quote_ident(sd_str *out, const char *ident)
{
	const char *c;

	if (plain_ident(ident)) {
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

/* ---- lossy type changes ---- */

typedef enum family {
	F_NONE,       /* untyped: SQLite keeps any value */
	F_BOOL,
	F_INT,
	F_NUMERIC,
	F_FLOAT,
	F_TEXT,
	F_BLOB,
	F_DATE,
	F_TIME,
	F_TIMESTAMP,
	F_OTHER
} family;

typedef struct type_info {
	family f;
	int rank;        /* width within the family: larger holds more */
	bool has_p1, has_p2;
	long p1, p2;     /* length or precision, scale */
} type_info;

#define UNBOUNDED LONG_MAX

static bool contains(const char *s, const char *word)
{
	return strstr(s, word) != NULL;
}

static void classify(const char *type, type_info *ti)
{
	sd_str norm = SD_STR_INIT, words = SD_STR_INIT, params = SD_STR_INIT, rest = SD_STR_INIT;
	const char *w;
	char *end;

	memset(ti, 0, sizeof(*ti));
	sqlite_normalize_type(&norm, type);
	split_type(norm.ptr, &words, &params, &rest);
	w = words.ptr;
	if (params.len) {
		ti->p1 = strtol(params.ptr, &end, 10);
		ti->has_p1 = end != params.ptr;
		if (*end == ',') {
			const char *s2 = end + 1;

			ti->p2 = strtol(s2, &end, 10);
			ti->has_p2 = end != s2;
		}
	}

	if (!*w)
		ti->f = F_NONE;
	else if (strcmp(w, "BOOLEAN") == 0)
		ti->f = F_BOOL;
	else if (contains(w, "INT")) {
		/* SQLite's affinity rule: any type containing INT is an integer */
		ti->f = F_INT;
		ti->rank = contains(w, "TINY") ? 1 : contains(w, "SMALL") ? 2 :
			   contains(w, "MEDIUM") ? 3 : contains(w, "BIG") ? 5 : 4;
	} else if (contains(w, "CHAR") || contains(w, "CLOB") || contains(w, "TEXT") ||
		   strcmp(w, "STRING") == 0)
		ti->f = F_TEXT;
	else if (contains(w, "BLOB") || strcmp(w, "BYTEA") == 0)
		ti->f = F_BLOB;
	else if (strcmp(w, "NUMERIC") == 0)
		ti->f = F_NUMERIC;
	else if (strcmp(w, "REAL") == 0) {
		ti->f = F_FLOAT;
		ti->rank = 1;
	} else if (strcmp(w, "FLOAT") == 0 || strcmp(w, "DOUBLE PRECISION") == 0) {
		ti->f = F_FLOAT;
		ti->rank = (ti->has_p1 && ti->p1 <= 24) ? 1 : 2;
	} else if (strcmp(w, "DATE") == 0)
		ti->f = F_DATE;
	else if (strncmp(w, "TIMESTAMP", 9) == 0 || strcmp(w, "DATETIME") == 0)
		ti->f = F_TIMESTAMP;
	else if (strncmp(w, "TIME", 4) == 0)
		ti->f = F_TIME;
	else
		ti->f = F_OTHER;
	if (ti->f == F_FLOAT)
		ti->has_p1 = ti->has_p2 = false;

	sd_str_release(&norm);
	sd_str_release(&words);
	sd_str_release(&params);
	sd_str_release(&rest);
}

/* Decimal digits an integer of the given rank needs. */
static long int_digits(int rank)
{
	static const long digits[] = { 19, 3, 5, 7, 10, 19 };

	return digits[rank >= 0 && rank <= 5 ? rank : 0];
}

/* Characters needed to write every value of a type as text. */
static long text_width(const type_info *a)
{
	switch (a->f) {
	case F_BOOL:
		return 1;
	case F_INT:
		return int_digits(a->rank) + 1;
	case F_NUMERIC:
		return a->has_p1 ? a->p1 + 2 : UNBOUNDED;
	case F_TEXT:
		return a->has_p1 ? a->p1 : UNBOUNDED;
	case F_FLOAT:
		return 24;
	case F_DATE:
		return 10;
	case F_TIME:
		return 18;
	case F_TIMESTAMP:
		return 32;
	default:
		return UNBOUNDED;
	}
}

/* Does a finer-or-equal fractional-seconds precision survive? */
static bool precision_narrower(const type_info *a, const type_info *b)
{
	return b->has_p1 && (!a->has_p1 || b->p1 < a->p1);
}

static bool sqlite_type_change_is_lossy(const char *from, const char *to)
{
	sd_str na = SD_STR_INIT, nb = SD_STR_INIT;
	type_info a, b;
	bool same;

	sqlite_normalize_type(&na, from ? from : "");
	sqlite_normalize_type(&nb, to ? to : "");
	same = strcmp(na.ptr, nb.ptr) == 0;
	sd_str_release(&na);
	sd_str_release(&nb);
	if (same)
		return false;
	classify(from ? from : "", &a);
	classify(to ? to : "", &b);

	if (b.f == F_NONE)
		return false;
	if (a.f == F_NONE)
		return true;
	if (b.f == F_BOOL)
		return a.f != F_BOOL;
	if (b.f == F_TEXT) {
		if (a.f == F_BLOB || a.f == F_OTHER)
			return b.has_p1 || a.f == F_BLOB;
		return b.has_p1 && b.p1 < text_width(&a);
	}
	switch (a.f) {
	case F_BOOL:
		return !(b.f == F_INT || b.f == F_FLOAT ||
			 (b.f == F_NUMERIC && (!b.has_p1 || b.p1 - b.p2 >= 1)));
	case F_INT:
		if (b.f == F_INT)
			return b.rank < a.rank;
		if (b.f == F_NUMERIC)
			return b.has_p1 && b.p1 - (b.has_p2 ? b.p2 : 0) < int_digits(a.rank);
		if (b.f == F_FLOAT)
			/* REAL has a 24-bit mantissa, DOUBLE 53 bits */
			return b.rank == 1 ? a.rank >= 3 : a.rank >= 5;
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
		if (b.f == F_INT)
			return !(a.has_p1 && (!a.has_p2 || a.p2 == 0) && a.p1 < int_digits(b.rank));
		if (b.f == F_FLOAT)
			return !(a.has_p1 && a.p1 <= (b.rank == 1 ? 6 : 15));
		return true;
	case F_FLOAT:
		return b.f != F_FLOAT || b.rank < a.rank;
	case F_TEXT:
		return b.f != F_BLOB;
	case F_BLOB:
		return b.f != F_BLOB;
	case F_DATE:
		return b.f != F_TIMESTAMP && b.f != F_DATE;
	case F_TIME:
		return b.f != F_TIME || precision_narrower(&a, &b);
	case F_TIMESTAMP:
		return b.f != F_TIMESTAMP || precision_narrower(&a, &b);
	default:
		return true;
	}
}

const sd_dialect sd_dialect_sqlite = {
	.name = "sqlite",
	.caps = SD_CAP_DROP_COLUMN | SD_CAP_NOCASE_NAMES,
	.introspect = sd_sqlite_introspect,
	.normalize_type = sqlite_normalize_type,
	.normalize_default = sqlite_normalize_default,
	.normalize_expr = sqlite_normalize_expr,
	.quote_ident = sqlite_quote_ident,
	.type_change_is_lossy = sqlite_type_change_is_lossy,
	.alembic_type = sd_sqlite_alembic_type,
	.scratch_open = sd_sqlite_scratch_open,
	.scratch_exec = sd_sqlite_scratch_exec,
	.scratch_introspect = sd_sqlite_scratch_introspect,
	.scratch_close = sd_sqlite_scratch_close,
	.read_version_table = sd_sqlite_read_version_table,
	.write_version_table = sd_sqlite_write_version_table,
};
