/*
 * yaml_write.c - write the schema model as a YAML schema file.
 *
 * Renders the JSON writer's values (sd_json_from_schema: the same keys, the
 * same order, the same omissions) in block style, two spaces per level:
 * mappings and sequences of objects as blocks, lists of names in flow style
 * ([a, b]), multi-line text (view definitions, trigger bodies, CHECK
 * expressions) as literal blocks.  A string is written plain unless a YAML
 * reader could take it for something else (a null, boolean or number under
 * YAML 1.2 or 1.1, an indicator, a comment, a key) -- then single-quoted,
 * or double-quoted when it holds characters that need escapes.  The same
 * model always gives the same bytes.
 */
#include <stdbool.h>
#include <string.h>

#include "schemadiff/schemafile.h"
#include "load/yaml_reader.h"

/* Characters a reader would not take as plain text, or that need escapes. */
static bool has_special_char(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7F)
			return true;
		if ((p[0] == 0xC2 && p[1] == 0x85) || (p[0] == 0xE2 && p[1] == 0x80 &&
		    (p[2] == 0xA8 || p[2] == 0xA9)) || (p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF))
			return true;
	}
	return false;
}

static bool is_yaml11_word(const char *s)
{
	static const char *const words[] = {
		"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"
	};

	for (size_t i = 0; i < SD_ARRAY_LEN(words); i++)
		if (sd_strcasecmp(s, words[i]) == 0)
			return true;
	return false;
}

/* 1_000, 1:20, 0b101, +.5, 1e3 ...: number-like under some YAML reader. */
static bool looks_numeric(const char *s)
{
	if (!(strchr("0123456789+-.", s[0]) && s[0]))
		return false;
	if (s[0] != '.' && !strchr("0123456789", s[0]) && !(s[1] && strchr("0123456789.", s[1])))
		return false;
	return strspn(s, "0123456789abcdefABCDEFxXoO_:.+-") == strlen(s);
}

/* Can s be written as a plain scalar (flow: inside [ ])? */
static bool plain_ok(const char *s, bool flow)
{
	size_t n = strlen(s);

	if (n == 0 || has_special_char(s))
		return false;
	if (sd_yaml_resolve_plain(s, n) != JSONR_STRING || is_yaml11_word(s) || looks_numeric(s))
		return false;
	if (strchr("-?:,[]{}#&*!|>'\"%@` \t", s[0]))
		return false;
	if (s[n - 1] == ' ' || s[n - 1] == ':')
		return false;
	if (strstr(s, ": ") || strstr(s, " #") || strncmp(s, "...", 3) == 0)
		return false;
	if (flow && strpbrk(s, ",[]{}"))
		return false;
	return true;
}

static void double_quoted(sd_str *out, const char *s)
{
	sd_str_addch(out, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': sd_str_add(out, "\\\""); continue;
		case '\\': sd_str_add(out, "\\\\"); continue;
		case '\n': sd_str_add(out, "\\n"); continue;
		case '\t': sd_str_add(out, "\\t"); continue;
		case '\r': sd_str_add(out, "\\r"); continue;
		default: break;
		}
		if (*p < 0x20 || *p == 0x7F) {
			sd_str_addf(out, "\\x%02X", *p);
		} else if (p[0] == 0xC2 && p[1] == 0x85) {
			sd_str_add(out, "\\N");
			p++;
		} else if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) {
			sd_str_add(out, p[2] == 0xA8 ? "\\L" : "\\P");
			p += 2;
		} else if (p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
			sd_str_add(out, "\\uFEFF");
			p += 2;
		} else {
			sd_str_addch(out, (char)*p);
		}
	}
	sd_str_addch(out, '"');
}

static void single_quoted(sd_str *out, const char *s)
{
	sd_str_addch(out, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			sd_str_addch(out, '\'');
		sd_str_addch(out, *s);
	}
	sd_str_addch(out, '\'');
}

/* s quoted: double quotes when it needs escapes or holds single quotes only, else single. */
static void quoted(sd_str *out, const char *s)
{
	if (has_special_char(s) || (strchr(s, '\'') && !strpbrk(s, "\"\\")))
		double_quoted(out, s);
	else
		single_quoted(out, s);
}

/*
 * Multi-line text a literal block keeps exactly: no characters that need
 * escapes but tabs, lines that do not begin with a blank (indentation is
 * detected from the first), no blank-only lines, at most one final newline.
 */
static bool literal_ok(const char *s)
{
	size_t n = strlen(s);
	const char *line;

	if (!strchr(s, '\n') || s[0] == '\n' || s[0] == ' ' || s[0] == '\t')
		return false;
	if (n >= 2 && s[n - 1] == '\n' && s[n - 2] == '\n')
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7F)
			return false;
	{
		/* the multi-byte line separators and BOM */
		const unsigned char *p = (const unsigned char *)s;
		for (; *p; p++)
			if ((p[0] == 0xC2 && p[1] == 0x85) || (p[0] == 0xE2 && p[1] == 0x80 &&
			    (p[2] == 0xA8 || p[2] == 0xA9)) || (p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF))
				return false;
	}
	for (line = s; *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		if (len > 0 && strspn(line, " \t") >= len)
			return false;
		if (!end)
			break;
		line = end + 1;
	}
	return true;
}

static void indent(sd_str *out, int n)
{
	for (int i = 0; i < n; i++)
		sd_str_addch(out, ' ');
}

/* A string value after "key: " or "- " at nesting indent ind (then a newline). */
static void scalar_str(sd_str *out, const char *s, int ind)
{
	if (literal_ok(s)) {
		size_t n = strlen(s);
		sd_str_add(out, s[n - 1] == '\n' ? "|\n" : "|-\n");
		for (const char *line = s; *line;) {
			const char *end = strchr(line, '\n');
			size_t len = end ? (size_t)(end - line) : strlen(line);
			if (len) {
				indent(out, ind + 2);
				sd_str_addn(out, line, len);
			}
			sd_str_addch(out, '\n');
			if (!end)
				break;
			line = end + 1;
		}
		return;
	}
	if (plain_ok(s, false))
		sd_str_add(out, s);
	else
		quoted(out, s);
	sd_str_addch(out, '\n');
}

static void scalar(sd_str *out, json_t *v, int ind)
{
	switch (json_typeof(v)) {
	case JSON_STRING:
		scalar_str(out, json_string_value(v), ind);
		return;
	case JSON_TRUE:
		sd_str_add(out, "true\n");
		return;
	case JSON_FALSE:
		sd_str_add(out, "false\n");
		return;
	case JSON_INTEGER:
		sd_str_addf(out, "%" JSON_INTEGER_FORMAT "\n", json_integer_value(v));
		return;
	case JSON_REAL:
		sd_str_addf(out, "%.17g\n", json_real_value(v));
		return;
	default:
		sd_str_add(out, "null\n");
		return;
	}
}

/* An array of single-line strings, written [a, b]? */
static bool flow_list(json_t *a)
{
	size_t i;
	json_t *v;

	json_array_foreach(a, i, v) {
		if (!json_is_string(v) || strchr(json_string_value(v), '\n'))
			return false;
	}
	return true;
}

static void value(sd_str *out, json_t *v, int ind);

/* The entries of object o, the first at the current position, the others at ind. */
static void mapping(sd_str *out, json_t *o, int ind, bool first_inline)
{
	const char *key;
	json_t *v;
	bool first = true;

	json_object_foreach(o, key, v) {
		if (!(first && first_inline))
			indent(out, ind);
		first = false;
		sd_str_add(out, key);
		sd_str_addch(out, ':');
		if ((json_is_object(v) && json_object_size(v)) || (json_is_array(v) && json_array_size(v) &&
		    !flow_list(v))) {
			sd_str_addch(out, '\n');
			value(out, v, ind + 2);
		} else {
			sd_str_addch(out, ' ');
			value(out, v, ind);
		}
	}
}

/* A value: scalars and flow lists after "key: "; blocks start on their own line at ind. */
static void value(sd_str *out, json_t *v, int ind)
{
	size_t i;
	json_t *e;

	if (json_is_object(v)) {
		if (json_object_size(v) == 0)
			sd_str_add(out, "{}\n");
		else
			mapping(out, v, ind, false);
		return;
	}
	if (!json_is_array(v)) {
		scalar(out, v, ind);
		return;
	}
	if (flow_list(v)) {
		sd_str_addch(out, '[');
		json_array_foreach(v, i, e) {
			const char *s = json_string_value(e);
			if (i)
				sd_str_add(out, ", ");
			if (plain_ok(s, true))
				sd_str_add(out, s);
			else
				quoted(out, s);
		}
		sd_str_add(out, "]\n");
		return;
	}
	json_array_foreach(v, i, e) {
		indent(out, ind);
		sd_str_add(out, "- ");
		if (json_is_object(e) && json_object_size(e)) {
			mapping(out, e, ind + 2, true);
		} else if (json_is_array(e) && json_array_size(e) && !flow_list(e)) {
			sd_str_addch(out, '\n');
			value(out, e, ind + 2);
		} else {
			value(out, e, ind);
		}
	}
}

void sd_schema_to_yaml(sd_str *out, const sd_schema *s)
{
	json_t *j = sd_json_from_schema(s);

	mapping(out, j, 0, false);
	json_decref(j);
}
