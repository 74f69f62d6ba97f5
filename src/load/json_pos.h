/*
 * json_pos.h - find where a value sits in JSON text (private to src/load).
 *
 * jansson reports line and column for syntax errors only; for a value of a
 * valid document that the loader rejects, these functions scan the original
 * text again and locate it.  Used only on the error path, so simplicity
 * wins over speed.
 */
#ifndef SD_LOAD_JSON_POS_H
#define SD_LOAD_JSON_POS_H

#include <stdbool.h>
#include <stddef.h>

/* One step of an object path: an object key, or (key NULL) an array index. */
typedef struct sd_json_step {
	const char *key;
	size_t index;
} sd_json_step;

/*
 * Locate the value reached from the top-level value of text[0..len) by
 * following path[0..n).  With at_key, report the position of the last
 * step's key (which must be an object key) instead of its value.  Keys are
 * compared after decoding escapes.  On success sets *line and *column
 * (1-based; the column counts UTF-8 characters, as jansson does) and
 * returns 0; returns -1 when the path does not exist or the text is not
 * valid JSON at the place scanned.
 */
int sd_json_pos(const char *text, size_t len, const sd_json_step *path, size_t n, bool at_key,
		int *line, int *column);

/* Line and column (as above) of byte offset off in text. */
void sd_json_offset_pos(const char *text, size_t len, size_t off, int *line, int *column);

#endif
