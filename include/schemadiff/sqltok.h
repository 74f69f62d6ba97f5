/*
 * sqltok.h - a real SQL tokenizer (SQLite's lexical rules, which are a
 * superset of what PostgreSQL needs for our purposes).
 *
 * Used by the SQLite DDL parser (constraint names, CHECK text, generated
 * columns, partial-index WHERE, expression indexes) and by the dialects'
 * expression normalisers.  Handles "quoted", [bracketed] and `backtick`
 * identifiers with doubled-quote escapes, 'strings' with '' escapes,
 * X'blobs', numbers, -- and / * * / comments, parameters and every operator.
 */
#ifndef SCHEMADIFF_SQLTOK_H
#define SCHEMADIFF_SQLTOK_H

#include <stddef.h>
#include "util.h"

typedef enum sd_tok_kind {
	SD_TOK_EOF = 0,
	SD_TOK_IDENT,       /* bare word: identifier or keyword */
	SD_TOK_QIDENT,      /* "quoted", [bracketed] or `backticked` identifier */
	SD_TOK_STRING,      /* 'string' */
	SD_TOK_BLOB,        /* X'ABCD' */
	SD_TOK_NUMBER,
	SD_TOK_PARAM,       /* ?, ?1, :name, @name, $name */
	SD_TOK_LPAREN,
	SD_TOK_RPAREN,
	SD_TOK_COMMA,
	SD_TOK_SEMI,
	SD_TOK_DOT,
	SD_TOK_OP,          /* any other operator: = == <> != <= >= || -> ->> + - * / % ... */
	SD_TOK_ERROR        /* unterminated string/identifier/comment, stray byte */
} sd_tok_kind;

typedef struct sd_tok {
	sd_tok_kind kind;
	const char *start;  /* into the source text */
	size_t len;
	int line;           /* 1-based */
	int column;         /* 1-based, in bytes */
} sd_tok;

typedef struct sd_lexer {
	const char *src;
	size_t len;
	size_t pos;
	int line;
	int column;
} sd_lexer;

void sd_lexer_init(sd_lexer *lx, const char *src, size_t len);
/* Next token, skipping white space and comments.  At the end: SD_TOK_EOF. */
sd_tok sd_lexer_next(sd_lexer *lx);

/* Is tok the bare word kw (case-insensitive ASCII)? */
bool sd_tok_is(const sd_tok *tok, const char *kw);

/*
 * The identifier value of an IDENT, QIDENT or STRING token with quotes
 * removed and doubled quotes undone, appended to out.
 */
void sd_tok_ident_value(const sd_tok *tok, sd_str *out);

/*
 * Token-normalise an SQL expression: comments dropped, tokens joined by a
 * single space except around ( ) , and . , bare words lower-cased, quoted
 * identifiers unquoted when they are plain lower-case words that are not
 * keywords, redundant outer parentheses removed (every pair that encloses
 * the whole expression, so "((a))" is "a" but "(a) + (b)" stays), "==" ->
 * "=", "!=" -> "<>".  Strings and numbers are kept exactly.  A function
 * call keeps '(' next to its name ("length(x)"), a keyword does not
 * ("in (0, 1)"); unary - + ~ stick to their operand ("-1").  Text after a
 * token the lexer rejects is appended as written.  Appended to out.
 */
void sd_sql_normalize_expr(sd_str *out, const char *expr);

/*
 * The one SQL string-literal escaper of the emitters: 'it''s' (standard SQL;
 * PostgreSQL with standard_conforming_strings, the default since 9.1).
 */
void sd_sql_literal(sd_str *out, const char *s);

/*
 * "-- " + prefix + text as SQL line comments, newline-terminated: every line
 * of text gets its own "-- " so text can never end the comment.
 */
void sd_sql_comment(sd_str *out, const char *prefix, const char *text);

/* Is word (case-insensitive) an SQL keyword that must be quoted as an identifier? */
bool sd_sql_is_keyword(const char *word, size_t len);

#endif
