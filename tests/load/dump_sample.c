/*
 * dump_sample.c - print the sample schema (every feature) as a schema
 * file, for validate_schemas.py.  With a file argument, load that file and
 * write it back instead (a round trip through the loader).
 */
#include <stdio.h>

#include "schemadiff/schemafile.h"
#include "sample.h"

int main(int argc, char **argv)
{
	sd_schema *s;
	sd_str out = SD_STR_INIT;

	if (argc > 1) {
		sd_error err = SD_ERROR_INIT;
		if (sd_schema_load_json_file(&s, argv[1], &err) < 0) {
			sd_error_format(&err, &out);
			fputs(out.ptr, stderr);
			return 2;
		}
	} else {
		s = sample_schema();
	}
	sd_schema_to_json(&out, s);
	fwrite(out.ptr, 1, out.len, stdout);
	sd_str_release(&out);
	sd_schema_free(s);
	return 0;
}
