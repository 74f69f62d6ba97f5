/*
 * alembic_rev.c - test driver: write an Alembic revision file for FROM -> TO.
 *
 *   alembic_rev FROM TO [REV_ID [DOWN_REV]]
 *
 * FROM and TO are any sources (sqlite:///db, schema.json).  The revision is
 * written to stdout with fixed metadata (message "FROM -> TO" basenames,
 * create date 2020-05-28 12:34:56.123456, not verified), so golden files
 * are stable.  Library calls only: sd_source_load, sd_compare,
 * sd_emit_revision.  Exit 0 on success, 2 with the error on stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schemadiff/compare.h"
#include "schemadiff/emit.h"
#include "schemadiff/source.h"

static const char *base(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

int main(int argc, char **argv)
{
	sd_schema *from = NULL, *to = NULL;
	sd_migration m;
	sd_compare_opts opts = { 0 };
	sd_error err = SD_ERROR_INIT;
	sd_str out = SD_STR_INIT, msg = SD_STR_INIT;
	sd_revision_meta meta;
	const char *down[1];
	int rc = 2, migrated = 0;

	if (argc < 3 || argc > 5) {
		fprintf(stderr, "usage: alembic_rev FROM TO [REV_ID [DOWN_REV]]\n");
		return 2;
	}
	memset(&m, 0, sizeof(m));
	memset(&meta, 0, sizeof(meta));
	if (sd_source_load(&from, argv[1], NULL, &err) || sd_source_load(&to, argv[2], NULL, &err))
		goto done;
	if (sd_compare(&m, from, to, &opts, &err))
		goto done;
	migrated = 1;
	sd_str_addf(&msg, "%s -> %s", base(argv[1]), base(argv[2]));
	meta.rev_id = argc > 3 ? argv[3] : "0123456789ab";
	if (argc > 4) {
		down[0] = argv[4];
		meta.down_revisions = down;
		meta.ndown_revisions = 1;
	}
	meta.message = msg.ptr;
	meta.create_date = "2020-05-28 12:34:56.123456";
	meta.verified = false;
	meta.verify_note = "written by the alembic test driver";
	if (sd_emit_revision(&sd_emitter_alembic, &m, sd_compare_pick_dialect(from, to), &meta,
			     &out, &err))
		goto done;
	fwrite(out.ptr, 1, out.len, stdout);
	rc = 0;
done:
	if (rc) {
		sd_str e = SD_STR_INIT;

		sd_error_format(&err, &e);
		fprintf(stderr, "%s\n", e.ptr);
		sd_str_release(&e);
	}
	sd_error_clear(&err);
	if (migrated)
		sd_migration_release(&m);
	sd_schema_free(from);
	sd_schema_free(to);
	sd_str_release(&out);
	sd_str_release(&msg);
	return rc;
}
