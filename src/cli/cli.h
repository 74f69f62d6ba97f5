/*
 * cli.h - the command-line layer: one option table per command drives both
 * parsing and --help (git's parse-options, libgit2's cli_opt).
 */
#ifndef SCHEMADIFF_CLI_H
#define SCHEMADIFF_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "schemadiff/error.h"

typedef enum sd_opt_type {
	SD_OPT_END = 0,
	SD_OPT_FLAG,     /* bool *value */
	SD_OPT_STRING,   /* const char **value */
	SD_OPT_LIST      /* sd_strlist *value: repeatable */
} sd_opt_type;

typedef struct sd_strlist {
	const char **items;
	size_t n;
	size_t alloc;
} sd_strlist;

void sd_strlist_push(sd_strlist *l, const char *s);
void sd_strlist_release(sd_strlist *l);

typedef struct sd_option {
	sd_opt_type type;
	char short_name;          /* 0 = none */
	const char *long_name;
	const char *argname;      /* "FILE"; NULL for flags */
	void *value;
	const char *help;
} sd_option;

typedef struct sd_cmd_help {
	const char *name;         /* "diff" */
	const char *usage;        /* "FROM TO [options]" */
	const char *summary;      /* one line */
	const char *description;  /* paragraphs, may be NULL */
	const char *examples;     /* lines, may be NULL */
	size_t min_args, max_args;
} sd_cmd_help;

enum { SD_PARSE_OK = 0, SD_PARSE_HELP = 1, SD_PARSE_USAGE = -1 };

/*
 * Parse argv[1..] (argv[0] is the command name) against opts.  Positional
 * arguments are collected in *args (malloc'd array, caller frees the array
 * only).  --help prints help on stdout and returns SD_PARSE_HELP; a usage
 * error prints "error: ..." and a hint to --help on stderr and returns
 * SD_PARSE_USAGE.
 */
int sd_parse_options(int argc, char **argv, const sd_option *opts, const sd_cmd_help *help,
		     const char ***args, size_t *nargs);
void sd_print_help(const sd_option *opts, const sd_cmd_help *help);

/* Print err on stderr in the house format; returns SD_EXIT_ERROR. */
int sd_cli_report(const sd_error *err);

/* Commands: int cmd_<name>(int argc, char **argv), argv[0] = command name. */
int cmd_introspect(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_revision(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_fingerprint(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_stamp(int argc, char **argv);
int cmd_identify(int argc, char **argv);
int cmd_current(int argc, char **argv);
int cmd_heads(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_branches(int argc, char **argv);

/* Shared by revision and render (cmd_revision.c). */
struct sd_emitter;
/* Create Date as Alembic writes it (local time; SOURCE_DATE_EPOCH honoured). */
void sd_cli_create_date(char *buf, size_t size);
/* The emitter of a revision --format (alembic, sql); prints the error otherwise. */
const struct sd_emitter *sd_cli_revision_emitter(const char *format);

#endif
