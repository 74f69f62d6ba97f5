/*
 * revtool.c - a test helper that exposes src/revision to the Python checks
 * (check_alembic.py), which compare it with Debian's Alembic:
 *   revtool heads DIR...     print the heads, one per line
 *   revtool slug LEN         read NUL-separated messages on stdin, print
 *                            one slug per line
 *   revtool ini PATH         print script_location, then each versions dir
 *   revtool id N             print N new revision ids
 *   revtool validate ID...   print "ok" or "refused" per id (no graph)
 * Exit 2 with the formatted error on failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schemadiff/revision.h"

static int fail(sd_error *err)
{
	sd_str s = SD_STR_INIT;

	sd_error_format(err, &s);
	fputs(s.ptr, stderr);
	sd_str_release(&s);
	sd_error_clear(err);
	return 2;
}

int main(int argc, char **argv)
{
	sd_error err = SD_ERROR_INIT;

	if (argc >= 2 && strcmp(argv[1], "heads") == 0) {
		sd_revgraph *g;
		size_t i;

		if (sd_revgraph_load(&g, (const char *const *)argv + 2, (size_t)argc - 2, &err) < 0)
			return fail(&err);
		for (i = 0; i < g->n_heads; i++)
			printf("%s\n", g->heads[i]->id);
		sd_revgraph_free(g);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "slug") == 0) {
		sd_str msg = SD_STR_INIT;
		int c;
		int len = atoi(argv[2]);

		for (;;) {
			c = getchar();
			if (c == EOF || c == '\0') {
				char *slug = sd_revision_slug(msg.ptr, len);

				printf("%s\n", slug);
				free(slug);
				sd_str_reset(&msg);
				if (c == EOF)
					break;
			} else {
				sd_str_addch(&msg, (char)c);
			}
		}
		sd_str_release(&msg);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "ini") == 0) {
		sd_alembic_config *cfg;
		size_t i;

		if (sd_alembic_config_load(&cfg, argv[2], NULL, &err) < 0)
			return fail(&err);
		printf("%s\n", cfg->script_location);
		for (i = 0; i < cfg->n_versions; i++)
			printf("%s\n", cfg->versions[i]);
		sd_alembic_config_free(cfg);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "id") == 0) {
		int i, n = atoi(argv[2]);

		for (i = 0; i < n; i++) {
			char *id = sd_revision_id_new();

			printf("%s\n", id);
			free(id);
		}
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "validate") == 0) {
		int i;

		for (i = 2; i < argc; i++) {
			printf("%s\n", sd_revision_id_validate(NULL, argv[i], &err) == 0 ? "ok" : "refused");
			sd_error_clear(&err);
		}
		return 0;
	}
	fprintf(stderr, "usage: revtool heads DIR... | slug LEN | ini PATH | id N | validate ID...\n");
	return 2;
}
