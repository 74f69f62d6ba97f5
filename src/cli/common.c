/*
 * common.c - what several commands share: load two sources, compare them,
 * write output to stdout or atomically to a file.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common.h"
#include "schemadiff/source.h"

int sd_cli_compare(sd_migration *m, const char *from, const char *to,
		   const sd_introspect_opts *iopts, const sd_dialect **dialect, sd_error *err)
{
	sd_schema *a = NULL, *b = NULL;
	sd_compare_opts copts = { 0 };
	int rc;

	memset(m, 0, sizeof(*m));
	if ((rc = sd_source_load(&a, from, iopts, err)))
		goto done;
	if ((rc = sd_source_load(&b, to, iopts, err)))
		goto done;
	copts.dialect = sd_compare_pick_dialect(a, b);
	if (dialect)
		*dialect = copts.dialect;
	rc = sd_compare(m, a, b, &copts, err);
done:
	sd_schema_free(a);
	sd_schema_free(b);
	return rc;
}

int sd_cli_write_output(const char *path, const sd_str *text, sd_error *err)
{
	int rc;

	if (!path || strcmp(path, "-") == 0) {
		if (fwrite(text->ptr, 1, text->len, stdout) != text->len || fflush(stdout) != 0)
			return sd_error_set(err, SD_EIO, "cannot write to standard output: %s",
					    strerror(errno));
		return 0;
	}
	rc = sd_write_file_atomic(path, text->ptr, text->len, false);
	if (rc)
		return sd_error_set_at(err, SD_EIO, path, 0, 0, NULL, "cannot write file: %s",
				       strerror(-rc));
	return 0;
}
