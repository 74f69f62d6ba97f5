/*
 * proof.h - the convergence proof as the commands run it (revision and
 * diff --verify): where it runs, the filtered-out objects put back, and the
 * report of a failure.  The proof itself is src/revision/prove.c.
 */
#ifndef SCHEMADIFF_CLI_PROOF_H
#define SCHEMADIFF_CLI_PROOF_H

#include <stdbool.h>

#include "schemadiff/compare.h"
#include "schemadiff/dialect.h"
#include "schemadiff/filter.h"
#include "schemadiff/util.h"

typedef enum sd_cli_proof_where {
	SD_PROOF_NONE = 0,   /* cannot prove; sd_cli_proof_plan says why */
	SD_PROOF_COPY,       /* a scratch copy of the FROM database (SQLite, in memory) */
	SD_PROOF_DEV,        /* the empty dev database of --dev-url, FROM built from its model */
	SD_PROOF_MODEL       /* an empty scratch database of the dialect's own, FROM built there */
} sd_cli_proof_where;

typedef struct sd_cli_proof {
	/* set by the caller */
	const char *from_spec, *to_spec;   /* as given: database URLs or schema files */
	const sd_introspect_opts *iopts;   /* --schema for the sides, or NULL */
	const sd_filter *filter;           /* --include/--exclude, or NULL */
	const sd_dialect *dialect;         /* the comparison's dialect */
	const char *dev_url;               /* --dev-url, or NULL */
	bool from_model;                   /* a schema-file FROM may be built from its model */
	/* set by sd_cli_proof_plan */
	sd_cli_proof_where where;
	const sd_dialect *prover;          /* the dialect whose scratch hooks run it */
} sd_cli_proof;

/*
 * Choose where p's proof runs: a live FROM database that can be copied is
 * copied; --dev-url (a dialect with scratch_open_empty: PostgreSQL) names an
 * empty database where FROM, database or file, is built from its model;
 * with p->from_model a schema-file FROM is built in an empty scratch
 * database of the dialect's own (SQLite: in memory).  When none applies,
 * p->where is SD_PROOF_NONE and *why says why, one line, e.g. "a
 * postgresql migration is proven on a scratch database: --dev-url URL (an
 * empty database) is needed".  --dev-url on a dialect that takes none is
 * an error (SD_EINPUT in err).
 */
int sd_cli_proof_plan(sd_cli_proof *p, sd_str *why, sd_error *err);

/*
 * Run the proof that sd_cli_proof_plan chose, for migration m between the
 * compared (filtered) schemas from and to.  With name filters, the scratch
 * database holds what was filtered out too: the proof then uses the whole
 * FROM and the target with FROM's filtered-out objects put back.  On
 * failure err is set and, when the proof ran to a verdict (SD_EVERIFY), the
 * error, hint (may be NULL) and the differences left are printed on stderr;
 * other errors are left for the caller to report.
 */
int sd_cli_proof_run(const sd_cli_proof *p, const sd_migration *m, const sd_schema *from,
		     const sd_schema *to, const char *hint, sd_error *err);

#endif
