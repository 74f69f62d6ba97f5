/* exitcodes.h - the CLI's exit statuses, documented in README.md. */
#ifndef SCHEMADIFF_EXITCODES_H
#define SCHEMADIFF_EXITCODES_H

enum {
	SD_EXIT_OK = 0,       /* success; no differences */
	SD_EXIT_CHANGES = 1,  /* differences found (check, diff --exit-code) */
	SD_EXIT_ERROR = 2,    /* runtime, input or usage error */
	SD_EXIT_PROOF = 3     /* the migration failed its proof (revision, diff --verify) */
};

#endif
