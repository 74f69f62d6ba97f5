/*
 * test_sqltok.c - the SQL tokenizer, the keyword table (checked against the
 * linked SQLite's own list) and expression normalisation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "schemadiff/sqltok.h"

typedef struct expect_tok {
	sd_tok_kind kind;
	const char *text;
	int line, column;
} expect_tok;

/* Lex src and compare with the expected tokens (ending with SD_TOK_EOF). */
static void check_tokens(const char *src, const expect_tok *want, size_t n)
{
	sd_lexer lx;
	size_t i;

	sd_lexer_init(&lx, src, strlen(src));
	for (i = 0; i < n; i++) {
		sd_tok t = sd_lexer_next(&lx);

		if (t.kind != want[i].kind)
			fail_msg("token %zu of <%s>: kind %d, want %d (\"%.*s\")", i, src, t.kind,
				 want[i].kind, (int)t.len, t.start);
		if (want[i].text) {
			assert_int_equal(t.len, strlen(want[i].text));
			assert_memory_equal(t.start, want[i].text, t.len);
		}
		if (want[i].line) {
			assert_int_equal(t.line, want[i].line);
			assert_int_equal(t.column, want[i].column);
		}
	}
}

static void test_all_kinds(void **state)
{
	static const expect_tok want[] = {
		{ SD_TOK_IDENT, "abc_1$", 1, 1 },
		{ SD_TOK_QIDENT, "\"q\"\"x\"", 1, 8 },
		{ SD_TOK_QIDENT, "[br ack]", 1, 15 },
		{ SD_TOK_QIDENT, "`b``t`", 1, 24 },
		{ SD_TOK_STRING, "'it''s'", 1, 31 },
		{ SD_TOK_BLOB, "X'00ff'", 1, 39 },
		{ SD_TOK_NUMBER, "12", 1, 47 },
		{ SD_TOK_NUMBER, "1.5e-3", 1, 50 },
		{ SD_TOK_NUMBER, ".5", 1, 57 },
		{ SD_TOK_NUMBER, "0x1F", 1, 60 },
		{ SD_TOK_PARAM, "?1", 1, 65 },
		{ SD_TOK_PARAM, ":name", 1, 68 },
		{ SD_TOK_PARAM, "@p", 1, 74 },
		{ SD_TOK_PARAM, "$v", 1, 77 },
		{ SD_TOK_LPAREN, "(", 1, 80 },
		{ SD_TOK_RPAREN, ")", 1, 81 },
		{ SD_TOK_COMMA, ",", 1, 82 },
		{ SD_TOK_SEMI, ";", 1, 83 },
		{ SD_TOK_DOT, ".", 1, 84 },
		{ SD_TOK_OP, "->>", 1, 86 },
		{ SD_TOK_OP, "->", 1, 90 },
		{ SD_TOK_OP, "||", 1, 93 },
		{ SD_TOK_OP, "<=", 1, 96 },
		{ SD_TOK_OP, "<>", 1, 99 },
		{ SD_TOK_OP, "!=", 1, 102 },
		{ SD_TOK_OP, "==", 1, 105 },
		{ SD_TOK_OP, "=", 1, 108 },
		{ SD_TOK_OP, "-", 1, 110 },
		{ SD_TOK_OP, "~", 1, 112 },
		{ SD_TOK_EOF, NULL, 1, 113 },
	};

	(void)state;
	check_tokens("abc_1$ \"q\"\"x\" [br ack] `b``t` 'it''s' X'00ff' 12 1.5e-3 .5 0x1F ?1 :name @p "
		     "$v (),;. ->> -> || <= <> != == = - ~",
		     want, SD_ARRAY_LEN(want));
}

static void test_comments_and_lines(void **state)
{
	static const expect_tok want[] = {
		{ SD_TOK_IDENT, "a", 1, 1 },
		{ SD_TOK_OP, "-", 2, 3 },
		{ SD_TOK_IDENT, "b", 3, 9 },
		{ SD_TOK_OP, "/", 4, 1 },
		{ SD_TOK_IDENT, "größe", 4, 3 },
		{ SD_TOK_IDENT, "x", 4, 11 },
		{ SD_TOK_EOF, NULL, 5, 1 },
	};

	(void)state;
	/* "größe" is 7 bytes: columns count bytes */
	check_tokens("a -- comment ( with 'quote\n  - /* block\n * ) */ b\n/ größe x\n", want,
		     SD_ARRAY_LEN(want));
}

static void test_errors(void **state)
{
	static const expect_tok unterminated_string[] = {
		{ SD_TOK_IDENT, "a", 1, 1 },
		{ SD_TOK_ERROR, "'abc )", 2, 3 },
	};
	static const expect_tok unterminated_ident[] = {
		{ SD_TOK_ERROR, "\"ab\"\"", 1, 1 },
	};
	static const expect_tok unterminated_comment[] = {
		{ SD_TOK_IDENT, "x", 1, 1 },
		{ SD_TOK_ERROR, "/* never closed", 1, 3 },
	};
	static const expect_tok bad_blob[] = {
		{ SD_TOK_ERROR, "x'abc'", 1, 1 },
		{ SD_TOK_EOF, NULL, 1, 7 },
	};
	static const expect_tok stray[] = {
		{ SD_TOK_IDENT, "a", 1, 1 },
		{ SD_TOK_ERROR, "#", 1, 2 },
		{ SD_TOK_IDENT, "b", 1, 3 },
	};
	static const expect_tok bad_number[] = {
		{ SD_TOK_ERROR, "12ab", 1, 1 },
	};

	(void)state;
	check_tokens("a\n  'abc )", unterminated_string, SD_ARRAY_LEN(unterminated_string));
	check_tokens("\"ab\"\"", unterminated_ident, SD_ARRAY_LEN(unterminated_ident));
	check_tokens("x /* never closed", unterminated_comment, SD_ARRAY_LEN(unterminated_comment));
	check_tokens("x'abc'", bad_blob, SD_ARRAY_LEN(bad_blob));
	check_tokens("a#b", stray, SD_ARRAY_LEN(stray));
	check_tokens("12ab", bad_number, SD_ARRAY_LEN(bad_number));
}

static void check_ident_value(const char *src, const char *want)
{
	sd_lexer lx;
	sd_tok t;
	sd_str s = SD_STR_INIT;

	sd_lexer_init(&lx, src, strlen(src));
	t = sd_lexer_next(&lx);
	sd_tok_ident_value(&t, &s);
	assert_string_equal(s.ptr, want);
	sd_str_release(&s);
}

static void test_ident_value(void **state)
{
	(void)state;
	check_ident_value("plain", "plain");
	check_ident_value("\"a\"\"b\"", "a\"b");
	check_ident_value("`a``b`", "a`b");
	check_ident_value("[a\"b]", "a\"b");
	check_ident_value("'it''s'", "it's");
	check_ident_value("\"名前\"", "名前");
	check_ident_value("\"\"", "");
}

static void test_tok_is(void **state)
{
	sd_lexer lx;
	sd_tok t;

	(void)state;
	sd_lexer_init(&lx, "Primary \"primary\"", 17);
	t = sd_lexer_next(&lx);
	assert_true(sd_tok_is(&t, "PRIMARY"));
	assert_false(sd_tok_is(&t, "PRIMAR"));
	t = sd_lexer_next(&lx);
	assert_false(sd_tok_is(&t, "PRIMARY")); /* quoted is never a keyword */
}

/* Our table must agree with the keywords of the SQLite we link against. */
static void test_keywords_match_sqlite(void **state)
{
	int i, n = sqlite3_keyword_count();

	(void)state;
	for (i = 0; i < n; i++) {
		const char *kw;
		int len;

		assert_int_equal(sqlite3_keyword_name(i, &kw, &len), SQLITE_OK);
		if (!sd_sql_is_keyword(kw, (size_t)len))
			fail_msg("SQLite keyword %.*s missing from the table", len, kw);
	}
	assert_true(sd_sql_is_keyword("select", 6));
	assert_true(sd_sql_is_keyword("Order", 5));
	assert_true(sd_sql_is_keyword("ABORT", 5));   /* first */
	assert_true(sd_sql_is_keyword("WITHOUT", 7)); /* last */
	assert_true(sd_sql_is_keyword("current_timestamp", 17));
	assert_false(sd_sql_is_keyword("selects", 7));
	assert_false(sd_sql_is_keyword("sel", 3));
	assert_false(sd_sql_is_keyword("component_name", 14));
	assert_false(sd_sql_is_keyword("", 0));
	/* only the first len bytes count */
	assert_true(sd_sql_is_keyword("tablex", 5));
}

static void check_norm(const char *in, const char *want)
{
	sd_str s = SD_STR_INIT;

	sd_sql_normalize_expr(&s, in);
	if (strcmp(s.ptr, want) != 0)
		fail_msg("normalize <%s>: got <%s>, want <%s>", in, s.ptr, want);
	sd_str_release(&s);
}

static void test_normalize_expr(void **state)
{
	(void)state;
	check_norm("length(component_name)<=32", "length(component_name) <= 32");
	check_norm("length( component_name ) <=  32", "length(component_name) <= 32");
	check_norm("LENGTH(component_name) <= 32", "length(component_name) <= 32");
	check_norm("\"simple\" IN (0,1)", "simple in (0, 1)");
	check_norm("simple IN (0, 1)", "simple in (0, 1)");
	check_norm("simple in(0,1)", "simple in (0, 1)");
	check_norm("(a>0)", "a > 0");
	check_norm("((a>0))", "a > 0");
	check_norm(" ( a > 0 ) ", "a > 0");
	check_norm("(a) + (b)", "(a) + (b)");
	check_norm("(a > 0) AND (b < 1)", "(a > 0) and (b < 1)");
	check_norm("a == 1 OR b != 2", "a = 1 or b <> 2");
	check_norm("name = 'It''s  A'", "name = 'It''s  A'");
	check_norm("x = 'a)' -- trailing\n", "x = 'a)'");
	check_norm("x /* c */ > /* d */ 1", "x > 1");
	check_norm("\"Mixed\" > 0", "\"Mixed\" > 0");
	check_norm("[order] > 0", "\"order\" > 0");
	check_norm("`col` > 0", "col > 0");
	check_norm("t.\"x\" = t . y", "t.x = t.y");
	check_norm("a > -1", "a > -1");
	check_norm("-1", "-1");
	check_norm("(-1)", "-1");
	check_norm("a - 1", "a - 1");
	check_norm("a-1", "a - 1");
	check_norm("x NOT   NULL AND -x < 0", "x not null and -x < 0");
	check_norm("CAST(x AS TEXT)", "cast(x as text)");
	check_norm("coalesce(a,b,'c')", "coalesce(a, b, 'c')");
	check_norm("typeof(x) IN ('integer','real')", "typeof(x) in ('integer', 'real')");
	check_norm("CURRENT_TIMESTAMP", "current_timestamp");
	check_norm("1.50", "1.50");
	check_norm("X'AB'", "X'AB'");
	check_norm("", "");
	check_norm("a = 'unterminated", "a = 'unterminated");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_kinds),
		cmocka_unit_test(test_comments_and_lines),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_ident_value),
		cmocka_unit_test(test_tok_is),
		cmocka_unit_test(test_keywords_match_sqlite),
		cmocka_unit_test(test_normalize_expr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
