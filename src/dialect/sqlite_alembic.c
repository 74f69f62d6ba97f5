/*
 * sqlite_alembic.c - SQL types as SQLAlchemy types, for SQLite revision files.
 *
 * SQLite keeps a column's declared type text verbatim, so a rendered type
 * is only right when SQLAlchemy's SQLite compiler writes the same words
 * back: sa.VARCHAR(length=32) -> "VARCHAR(32)", sa.NUMERIC(precision=10,
 * scale=2) -> "NUMERIC(10, 2)".  A type is rendered as an sa type only when
 * its words are exactly that type's name (INT stays INT: "INT PRIMARY KEY"
 * is not a rowid alias, "INTEGER PRIMARY KEY" is) with the parameters the
 * compiler writes.  Everything else -- DOUBLE PRECISION, FLOAT(53),
 * TIMESTAMP WITH TIME ZONE (sa.TIMESTAMP(timezone=True) compiles to plain
 * TIMESTAMP on SQLite), VARCHAR(n) COLLATE x, untyped columns -- becomes
 * SQLType('<the declared text>'), a small UserDefinedType the emitter
 * defines in the file when SD_IMPORT_SQLTYPE is set.
 */
#include <string.h>

#include "schemadiff/sqltok.h"
#include "dialect/sqlite_alembic.h"
#include "emit/pylit.h"

enum { P_NONE = 0, P_LENGTH = 1, P_PRECISION_SCALE = 2 };

static const struct {
	const char *word;   /* the declared words, upper case, single spaces */
	const char *sa;     /* the SQLAlchemy class */
	int params;         /* which parameters the compiler writes back */
} sa_types[] = {
	{ "INTEGER", "INTEGER", P_NONE },
	{ "BIGINT", "BIGINT", P_NONE },
	{ "SMALLINT", "SMALLINT", P_NONE },
	{ "TEXT", "TEXT", P_NONE },
	{ "CLOB", "CLOB", P_NONE },
	{ "BLOB", "BLOB", P_NONE },
	{ "BOOLEAN", "BOOLEAN", P_NONE },
	{ "REAL", "REAL", P_NONE },
	{ "FLOAT", "FLOAT", P_NONE },
	{ "DATE", "DATE", P_NONE },
	{ "DATETIME", "DATETIME", P_NONE },
	{ "TIMESTAMP", "TIMESTAMP", P_NONE },
	{ "TIME", "TIME", P_NONE },
	{ "JSON", "JSON", P_NONE },
	{ "VARCHAR", "VARCHAR", P_LENGTH },
	{ "CHAR", "CHAR", P_LENGTH },
	{ "NCHAR", "NCHAR", P_LENGTH },
	{ "NVARCHAR", "NVARCHAR", P_LENGTH },
	{ "BINARY", "BINARY", P_LENGTH },
	{ "VARBINARY", "VARBINARY", P_LENGTH },
	{ "NUMERIC", "NUMERIC", P_PRECISION_SCALE },
	{ "DECIMAL", "DECIMAL", P_PRECISION_SCALE },
};

/*
 * Split type into upper-cased words and up to two unsigned integer
 * parameters.  False when the type has any other shape (quoted words,
 * signs, a third parameter, anything after the parentheses).
 */
static bool parse_simple(const char *type, sd_str *words, long *p, size_t *np)
{
	sd_lexer lx;
	int state = 0; /* 0 words, 1 in parens expecting number, 2 after number, 3 closed */

	*np = 0;
	sd_lexer_init(&lx, type, strlen(type));
	for (;;) {
		sd_tok t = sd_lexer_next(&lx);

		if (t.kind == SD_TOK_EOF)
			return state == 0 || state == 3;
		if (state == 0 && t.kind == SD_TOK_IDENT) {
			if (words->len)
				sd_str_addch(words, ' ');
			for (size_t i = 0; i < t.len; i++) {
				char c = t.start[i];

				sd_str_addch(words, (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c);
			}
		} else if (state == 0 && t.kind == SD_TOK_LPAREN && words->len) {
			state = 1;
		} else if (state == 1 && t.kind == SD_TOK_NUMBER && *np < 2) {
			long v = 0;

			for (size_t i = 0; i < t.len; i++) {
				if (t.start[i] < '0' || t.start[i] > '9' || v > 100000000L)
					return false;
				v = v * 10 + (t.start[i] - '0');
			}
			p[(*np)++] = v;
			state = 2;
		} else if (state == 2 && t.kind == SD_TOK_COMMA) {
			state = 1;
		} else if (state == 2 && t.kind == SD_TOK_RPAREN) {
			state = 3;
		} else {
			return false;
		}
	}
}

void sd_sqlite_alembic_type(sd_str *out, const char *type, unsigned *imports)
{
	sd_str words = SD_STR_INIT, spec = SD_STR_INIT;
	long p[2];
	size_t np = 0, i;
	const char *s, *e;

	if (type && parse_simple(type, &words, p, &np)) {
		for (i = 0; i < SD_ARRAY_LEN(sa_types); i++) {
			if (strcmp(words.ptr, sa_types[i].word) != 0 || np > (size_t)sa_types[i].params)
				continue;
			sd_str_addf(out, "sa.%s(", sa_types[i].sa);
			if (np >= 1)
				sd_str_addf(out, "%s=%ld", sa_types[i].params == P_LENGTH ? "length" : "precision",
					    p[0]);
			if (np == 2)
				sd_str_addf(out, ", scale=%ld", p[1]);
			sd_str_addch(out, ')');
			sd_str_release(&words);
			return;
		}
	}
	sd_str_release(&words);

	/* the declared text, trimmed */
	s = type ? type : "";
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		e--;
	sd_str_addn(&spec, s, (size_t)(e - s));
	sd_str_add(out, "SQLType(");
	sd_py_str(out, spec.ptr);
	sd_str_addch(out, ')');
	sd_str_release(&spec);
	if (imports)
		*imports |= SD_IMPORT_SQLTYPE;
}
