/*
 * emit.h - emitters render an op list; they never look at schemas.
 *
 * Every output format is an sd_emitter (begin, op, end), like pg_dump's
 * archive formats: adding a format is one new file.
 */
#ifndef SCHEMADIFF_EMIT_H
#define SCHEMADIFF_EMIT_H

#include "dialect.h"
#include "ops.h"

/*
 * What a revision file says about itself.  Emitters that write whole
 * revision files (alembic, sql) read it; the others ignore it.  Lists are
 * plain arrays of strings; a down revision list of 0 is None, 1 a string,
 * more a tuple (a merge).
 */
typedef struct sd_revision_meta {
	const char *rev_id;            /* "w.2020.22" */
	const char *const *down_revisions;
	size_t ndown_revisions;
	const char *const *branch_labels;
	size_t nbranch_labels;
	const char *const *depends_on;
	size_t ndepends_on;
	const char *message;           /* may be NULL or "" */
	const char *create_date;       /* as Alembic writes it: "2020-05-28 12:34:56.123456" */
	bool verified;                 /* the convergence proof ran and passed */
	const char *verify_note;       /* a header line when not verified, e.g. "--no-verify" */
	const char *fingerprint;       /* "sha256:<64 hex>" of the target schema
	                                  (fingerprint.h), or NULL: no header line */
	unsigned online;               /* SD_ONLINE_* bits: opt-in forms that avoid long
	                                  locks (dialects with in-place ALTER only) */
} sd_revision_meta;

/* Online forms of ops that would hold a long lock on a large table. */
enum {
	SD_ONLINE_CONCURRENTLY = 1 << 0, /* CREATE/DROP INDEX CONCURRENTLY, outside the
	                                    transaction, on tables that already exist */
	SD_ONLINE_NOT_VALID = 1 << 1     /* FKs and CHECKs added NOT VALID, then
	                                    VALIDATE CONSTRAINT (a weaker lock) */
};

typedef struct sd_emit_ctx {
	sd_str *out;
	const sd_migration *m;
	const sd_dialect *dialect;
	const sd_revision_meta *rev;   /* NULL for review/JSON; emitters of revision
	                                  files fall back to neutral defaults */
	void *state;                   /* emitter-private */
} sd_emit_ctx;

typedef struct sd_emitter {
	const char *name;         /* "text", "json", ... */
	int (*begin)(sd_emit_ctx *ctx, sd_error *err);
	int (*op)(sd_emit_ctx *ctx, const sd_op *op, bool downgrade, sd_error *err);
	int (*end)(sd_emit_ctx *ctx, sd_error *err);
} sd_emitter;

extern const sd_emitter sd_emitter_review;  /* "text": the review report */
extern const sd_emitter sd_emitter_json;    /* "json": {"ops": [...], "downgrade": [...]} */
extern const sd_emitter sd_emitter_alembic; /* "alembic": an Alembic revision file (Python) */
extern const sd_emitter sd_emitter_github;  /* "github": GitHub Actions annotations (check) */
extern const sd_emitter sd_emitter_sql;     /* "sql": -- migrate:up / -- migrate:down SQL file */

const sd_emitter *sd_emitter_find(const char *name);

/*
 * Run an emitter over a whole migration, appending to out.  With a dialect
 * d, an op that carries what d cannot have (an operator class without
 * SD_CAP_OPCLASS, UNIQUE NULLS NOT DISTINCT without SD_CAP_UNIQUE_NND) is
 * an error (SD_EINPUT) and nothing is written.
 */
int sd_emit(const sd_emitter *e, const sd_migration *m, const sd_dialect *d, sd_str *out,
	    sd_error *err);
/* The same with revision metadata (for the alembic and sql emitters). */
int sd_emit_revision(const sd_emitter *e, const sd_migration *m, const sd_dialect *d,
		     const sd_revision_meta *rev, sd_str *out, sd_error *err);

/* One review line for an op ("Detected removed table 'x'"), appended to out. */
void sd_review_line(sd_str *out, const sd_op *op);

/*
 * The review report's lines for one op, each ending in a newline: one line
 * per change bit of an alter_column, one line for every other op.
 * (sd_review_line joins an alter_column's changes with "; " instead.)
 */
void sd_review_lines(sd_str *out, const sd_op *op);

#endif
