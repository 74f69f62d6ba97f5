/*
 * github.c - the "github" emitter: one GitHub Actions workflow command per
 * detected change (::error title=...::message), so a CI job's drift check
 * shows up as annotations.  Destructive changes are errors, the rest
 * warnings.  Only the upgrade is rendered; the text is the review's.
 *
 * Workflow-command escaping (actions/toolkit): in the message %, CR and LF
 * become %25, %0D, %0A; properties also escape ':' and ','.
 */
#include <string.h>

#include "schemadiff/emit.h"

static void escape_data(sd_str *out, const char *s, size_t n, bool property)
{
	size_t i;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '%': sd_str_add(out, "%25"); break;
		case '\r': sd_str_add(out, "%0D"); break;
		case '\n': sd_str_add(out, "%0A"); break;
		case ':':
			if (property)
				sd_str_add(out, "%3A");
			else
				sd_str_addch(out, ':');
			break;
		case ',':
			if (property)
				sd_str_add(out, "%2C");
			else
				sd_str_addch(out, ',');
			break;
		default: sd_str_addch(out, s[i]);
		}
	}
}

static int gh_op(sd_emit_ctx *ctx, const sd_op *op, bool downgrade, sd_error *err)
{
	sd_str lines = SD_STR_INIT, title = SD_STR_INIT;
	const char *p, *nl;

	(void)err;
	if (downgrade)
		return 0;
	sd_review_lines(&lines, op);
	sd_str_addf(&title, "schema drift: %s", sd_op_kind_name(op->kind));
	for (p = lines.ptr; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		sd_str_add(ctx->out, op->destructive ? "::error title=" : "::warning title=");
		escape_data(ctx->out, title.ptr, title.len, true);
		sd_str_add(ctx->out, "::");
		escape_data(ctx->out, p, (size_t)(nl - p), false);
		sd_str_addch(ctx->out, '\n');
		if (!*nl)
			break;
	}
	sd_str_release(&lines);
	sd_str_release(&title);
	return 0;
}

static int gh_end(sd_emit_ctx *ctx, sd_error *err)
{
	(void)err;
	if (ctx->m->upgrade.n == 0)
		sd_str_add(ctx->out, "::notice title=schemadiff::No changes detected\n");
	return 0;
}

const sd_emitter sd_emitter_github = { "github", NULL, gh_op, gh_end };
