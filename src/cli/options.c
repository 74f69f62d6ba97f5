/*
 * options.c - option parsing and --help from one table per command.
 * GNU style: options and arguments may mix, "--" ends options,
 * "--name=value", "--name value", "-o value" and "-ovalue" all work.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "schemadiff/exitcodes.h"

void sd_strlist_push(sd_strlist *l, const char *s)
{
	SD_GROW(l->items, l->n + 1, l->alloc);
	l->items[l->n++] = s;
}

void sd_strlist_release(sd_strlist *l)
{
	free(l->items);
	l->items = NULL;
	l->n = l->alloc = 0;
}

int sd_cli_report(const sd_error *err)
{
	sd_str s = SD_STR_INIT;

	sd_error_format(err, &s);
	fputs(s.ptr, stderr);
	sd_str_release(&s);
	return SD_EXIT_ERROR;
}

/* The exit statuses beyond 0, 1 and 2 (exitcodes.h) of the commands that have them. */
static const char *exit_more(const char *cmd)
{
	static const struct {
		const char *cmd, *more;
	} table[] = {
		{ "diff", ", 3 the proof failed (--verify)" },
		{ "revision", ", 3 the proof failed" },
	};

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (strcmp(cmd, table[i].cmd) == 0)
			return table[i].more;
	return "";
}

void sd_print_help(const sd_option *opts, const sd_cmd_help *help)
{
	const sd_option *o;

	printf("usage: schemadiff %s %s\n\n%s\n", help->name, help->usage, help->summary);
	if (help->description)
		printf("\n%s\n", help->description);
	printf("\nOptions:\n");
	for (o = opts; o->type != SD_OPT_END; o++) {
		sd_str left = SD_STR_INIT;

		sd_str_add(&left, "  ");
		if (o->short_name)
			sd_str_addf(&left, "-%c, ", o->short_name);
		else
			sd_str_add(&left, "    ");
		sd_str_addf(&left, "--%s", o->long_name);
		if (o->argname)
			sd_str_addf(&left, " %s", o->argname);
		if (left.len < 28)
			printf("%-28s%s\n", left.ptr, o->help);
		else
			printf("%s\n%28s%s\n", left.ptr, "", o->help);
		sd_str_release(&left);
	}
	printf("  -h, --help                Show this help\n");
	if (help->examples)
		printf("\nExamples:\n%s\n", help->examples);
	printf("\nExit status: 0 success (no differences), 1 differences found (check, --exit-code),\n"
	       "2 error%s.\n", exit_more(help->name));
}

static int usage_error(const sd_cmd_help *help, const char *fmt, const char *what)
{
	fprintf(stderr, "error: ");
	fprintf(stderr, fmt, what);
	fprintf(stderr, "\nusage: schemadiff %s %s\nhint: see 'schemadiff %s --help'\n", help->name,
		help->usage, help->name);
	return SD_PARSE_USAGE;
}

static int set_value(const sd_option *o, const char *value)
{
	switch (o->type) {
	case SD_OPT_FLAG:
		*(bool *)o->value = true;
		break;
	case SD_OPT_STRING:
		*(const char **)o->value = value;
		break;
	case SD_OPT_LIST:
		sd_strlist_push(o->value, value);
		break;
	case SD_OPT_END:
		break;
	}
	return 0;
}

int sd_parse_options(int argc, char **argv, const sd_option *opts, const sd_cmd_help *help,
		     const char ***args, size_t *nargs)
{
	const char **pos = xcalloc((size_t)argc + 1, sizeof(*pos));
	bool only_args = false;
	size_t npos = 0;
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const sd_option *o = NULL;
		const char *value = NULL;

		if (only_args || a[0] != '-' || a[1] == '\0') {
			pos[npos++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_args = true;
			continue;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			sd_print_help(opts, help);
			free(pos);
			return SD_PARSE_HELP;
		}
		if (a[1] == '-') {
			const char *name = a + 2, *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);

			for (o = opts; o->type != SD_OPT_END; o++)
				if (strlen(o->long_name) == len && strncmp(o->long_name, name, len) == 0)
					break;
			if (o->type == SD_OPT_END) {
				free(pos);
				return usage_error(help, "unknown option \"%s\"", a);
			}
			if (eq) {
				if (o->type == SD_OPT_FLAG) {
					free(pos);
					return usage_error(help, "option \"%s\" takes no value", a);
				}
				value = eq + 1;
			}
		} else {
			for (o = opts; o->type != SD_OPT_END; o++)
				if (o->short_name == a[1])
					break;
			if (o->type == SD_OPT_END) {
				free(pos);
				return usage_error(help, "unknown option \"%s\"", a);
			}
			if (a[2] != '\0') {
				if (o->type == SD_OPT_FLAG) {
					free(pos);
					return usage_error(help, "option \"%s\" takes no value", a);
				}
				value = a + 2;
			}
		}
		if (o->type != SD_OPT_FLAG && !value) {
			if (i + 1 >= argc) {
				free(pos);
				return usage_error(help, "option \"%s\" needs a value", a);
			}
			value = argv[++i];
		}
		set_value(o, value);
	}
	if (npos < help->min_args || npos > help->max_args) {
		free(pos);
		return usage_error(help, "%s", npos < help->min_args ? "missing arguments" : "too many arguments");
	}
	*args = pos;
	*nargs = npos;
	return SD_PARSE_OK;
}
