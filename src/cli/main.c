/*
 * main.c - the schemadiff command: dispatch to cmd_<name> through one
 * command table (git's commands[], libgit2's cli_cmds[]).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "cli.h"
#include "sd_config.h"
#include "schemadiff/exitcodes.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "introspect", cmd_introspect, "Read a database and write its schema file" },
	{ "diff", cmd_diff, "Show the changes between two schemas (review or JSON)" },
	{ "check", cmd_check, "Exit 0 when two schemas are equal, 1 when they differ" },
	{ "revision", cmd_revision, "Write the next Alembic revision file (or SQL) from FROM to TO" },
	{ "render", cmd_render, "Render a JSON op list as a revision file, without databases" },
	{ "fingerprint", cmd_fingerprint, "Print the fingerprint of a schema (database or file)" },
	{ "verify", cmd_verify, "Check that a database's schema matches its recorded revision" },
	{ "stamp", cmd_stamp, "Record a revision in alembic_version, after checking the schema" },
	{ "identify", cmd_identify, "Find the revision whose snapshot a database matches" },
	{ "current", cmd_current, "Show the revision recorded in a database (alembic current)" },
	{ "heads", cmd_heads, "Show the heads of the versions directory (alembic heads)" },
	{ "history", cmd_history, "List the revisions, newest first (alembic history)" },
	{ "branches", cmd_branches, "Show the branch points (alembic branches)" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: schemadiff <command> [options] [args]\n"
		   "       schemadiff --version\n\n"
		   "Schema diff and migration autogenerate for SQLite and PostgreSQL.\n\n"
		   "Commands:\n");
	for (i = 0; i < SD_ARRAY_LEN(commands); i++)
		fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nSources: sqlite:///relative.db, sqlite:////absolute.db, postgresql://user@host/db\n"
		   "(or a libpq conninfo string), or a schema file (.json, .yaml, .yml).\n"
		   "Run 'schemadiff <command> --help' for a command's options and examples.\n"
		   "Exit status: 0 success, 1 differences found (check, diff --exit-code), 2 error.\n");
}

int main(int argc, char **argv)
{
	size_t i;

#ifdef __GLIBC__
	/*
	 * Two malloc arenas, not glibc's eight per core.  The loading threads
	 * (a schema file parsed while a database is read; PostgreSQL's fetch
	 * threads, two per database) each got an arena of their own that kept
	 * its peak: a diff of two 5,000-table databases peaked near 100 MB
	 * instead of 70 MB.  One arena is not the answer either: the SQLite
	 * database and the schema file are read at the same time by two
	 * malloc-heavy threads, and one arena's lock cost 12% of a diff's wall
	 * time at 1,000 tables.
	 */
	mallopt(M_ARENA_MAX, 2);
#endif
	if (argc < 2) {
		usage(stderr);
		return SD_EXIT_ERROR;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("schemadiff %s\n", SD_VERSION);
		return SD_EXIT_OK;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		if (argc > 2 && strcmp(argv[1], "help") == 0) {
			char *hargv[] = { argv[2], (char *)"--help", NULL };

			for (i = 0; i < SD_ARRAY_LEN(commands); i++)
				if (strcmp(commands[i].name, argv[2]) == 0)
					return commands[i].fn(2, hargv);
		}
		usage(stdout);
		return SD_EXIT_OK;
	}
	for (i = 0; i < SD_ARRAY_LEN(commands); i++)
		if (strcmp(commands[i].name, argv[1]) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "error: unknown command \"%s\"\nhint: see 'schemadiff --help'\n", argv[1]);
	return SD_EXIT_ERROR;
}
