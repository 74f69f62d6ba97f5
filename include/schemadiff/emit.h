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

typedef struct sd_emit_ctx {
	sd_str *out;
	const sd_migration *m;
	const sd_dialect *dialect;
	void *state;              /* emitter-private */
} sd_emit_ctx;

typedef struct sd_emitter {
	const char *name;         /* "text", "json", ... */
	int (*begin)(sd_emit_ctx *ctx, sd_error *err);
	int (*op)(sd_emit_ctx *ctx, const sd_op *op, bool downgrade, sd_error *err);
	int (*end)(sd_emit_ctx *ctx, sd_error *err);
} sd_emitter;

extern const sd_emitter sd_emitter_review;  /* "text": the review report */
extern const sd_emitter sd_emitter_json;    /* "json": {"ops": [...], "downgrade": [...]} */

const sd_emitter *sd_emitter_find(const char *name);

/* Run an emitter over a whole migration, appending to out. */
int sd_emit(const sd_emitter *e, const sd_migration *m, const sd_dialect *d, sd_str *out,
	    sd_error *err);

/* One review line for an op ("Detected removed table 'x'"), appended to out. */
void sd_review_line(sd_str *out, const sd_op *op);

/*
 * The review report's lines for one op, each ending in a newline: one line
 * per change bit of an alter_column, one line for every other op.
 * (sd_review_line joins an alter_column's changes with "; " instead.)
 */
void sd_review_lines(sd_str *out, const sd_op *op);

#endif
