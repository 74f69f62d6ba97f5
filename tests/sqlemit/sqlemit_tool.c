/*
 * sqlemit_tool.c - test driver for the SQL emitter: load FROM and TO
 * (database URLs or schema files), compare, and write the SQL revision
 * file with fixed metadata to stdout.
 *
 *   sqlemit_tool FROM TO [--unverified]
 *
 * Exit 0 on success, 2 with the error on stderr otherwise.
 */
#include <stdio.h>
#include <string.h>

#include "schemadiff/compare.h"
#include "schemadiff/emit.h"
#include "schemadiff/source.h"

int main(int argc, char **argv)
{
	static const char *const down[] = { "w.2020.19" };
	sd_revision_meta rev = {
		.rev_id = "w.2020.22",
		.down_revisions = down,
		.ndown_revisions = 1,
		.message = "migration from w.2020.19 to w.2020.22",
		.create_date = "2020-05-28 12:34:56.123456",
		.verified = true,
	};
	sd_error err = SD_ERROR_INIT;
	sd_schema *from = NULL, *to = NULL;
	sd_migration m;
	sd_str out = SD_STR_INIT;
	int rc = 2;
	bool have_m = false;

	if (argc < 3) {
		fprintf(stderr, "usage: sqlemit_tool FROM TO [--unverified]\n");
		return 2;
	}
	if (argc > 3 && strcmp(argv[3], "--unverified") == 0) {
		rev.verified = false;
		rev.verify_note = "--no-verify";
	}
	if (sd_source_load(&from, argv[1], NULL, &err) || sd_source_load(&to, argv[2], NULL, &err))
		goto done;
	memset(&m, 0, sizeof(m));
	if (sd_compare(&m, from, to, NULL, &err))
		goto done;
	have_m = true;
	if (sd_emit_revision(&sd_emitter_sql, &m, sd_compare_pick_dialect(from, to), &rev, &out,
			     &err))
		goto done;
	fwrite(out.ptr, 1, out.len, stdout);
	rc = 0;
done:
	if (err.code) {
		sd_str msg = SD_STR_INIT;

		sd_error_format(&err, &msg);
		fprintf(stderr, "%s\n", msg.ptr);
		sd_str_release(&msg);
	}
	if (have_m)
		sd_migration_release(&m);
	sd_schema_free(from);
	sd_schema_free(to);
	sd_str_release(&out);
	sd_error_clear(&err);
	return rc;
}
