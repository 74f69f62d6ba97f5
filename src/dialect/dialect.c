/*
 * dialect.c - the registry of dialects.  Adding one is a new file under
 * src/dialect/ and one line in the table below; nothing else switches on a
 * dialect's name.
 */
#include <stddef.h>

#include "schemadiff/dialect.h"

static const sd_dialect *const dialects[] = {
	&sd_dialect_sqlite,
	&sd_dialect_postgresql,
};

const sd_dialect *sd_dialect_find(const char *name)
{
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; i < SD_ARRAY_LEN(dialects); i++) {
		if (sd_strcasecmp(dialects[i]->name, name) == 0)
			return dialects[i];
	}
	return NULL;
}
