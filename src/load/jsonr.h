/*
 * jsonr.h - a streaming JSON pull reader over an in-memory buffer (private
 * to src/load).
 *
 * The reader checks RFC 8259 exactly (grammar, strings with every escape,
 * surrogate pairs, UTF-8 validity, number syntax, nesting depth) and hands
 * out one token per call, so a loader can build its model while reading and
 * never holds a tree of the document.  Strings without escapes point into
 * the caller's buffer (zero-copy); strings with escapes are decoded into a
 * scratch buffer that the next call reuses.  Duplicate object keys are not
 * detected here: the caller knows which keys it accepts.
 *
 * Positions are byte offsets plus the line (1-based); jsonr_column() turns
 * an offset into a column counted in UTF-8 characters (as jansson counts),
 * only when a message needs it.
 */
#ifndef SD_LOAD_JSONR_H
#define SD_LOAD_JSONR_H

#include <stddef.h>

#define JSONR_MAX_DEPTH 512

typedef enum jsonr_type {
	JSONR_ERROR = -1,   /* syntax error: see jsonr_error(); sticky */
	JSONR_EOF = 0,      /* after the top-level value, only blanks remain */
	JSONR_OBJECT,       /* '{' */
	JSONR_OBJECT_END,   /* '}' */
	JSONR_ARRAY,        /* '[' */
	JSONR_ARRAY_END,    /* ']' */
	JSONR_KEY,          /* an object key (str, len); its value is the next token */
	JSONR_STRING,
	JSONR_INTEGER,      /* a number without fraction or exponent (str, len: its text) */
	JSONR_REAL,         /* any other number */
	JSONR_TRUE,
	JSONR_FALSE,
	JSONR_NULL
} jsonr_type;

typedef struct jsonr_token {
	jsonr_type type;
	/*
	 * KEY and STRING: the decoded UTF-8 text, len bytes, containing no NUL
	 * (\u0000 is rejected) and not NUL-terminated when it points into the
	 * buffer.  Valid until the next call (escaped strings live in the
	 * scratch buffer).  Numbers: their text in the buffer.
	 */
	const char *str;
	size_t len;
	size_t off;   /* byte offset of the token's first byte */
	int line;     /* 1-based line of off */
	/*
	 * How a scalar was written: JSONR_STYLE_JSON for every JSON token; the
	 * YAML reader (yaml_reader.c) marks its scalars with their YAML style.
	 * jsonr_next does not set it (the loader's JSON source does).
	 */
	int style;
} jsonr_token;

enum {
	JSONR_STYLE_JSON = 0,
	JSONR_STYLE_PLAIN,          /* YAML plain scalar (resolved by the core schema) */
	JSONR_STYLE_QUOTED,         /* YAML single- or double-quoted */
	JSONR_STYLE_BLOCK           /* YAML literal | or folded > */
};

typedef struct jsonr {
	const char *text, *p, *end;
	int line;
	int state;
	unsigned depth;
	unsigned char stack[JSONR_MAX_DEPTH];  /* 1 = object, 0 = array */
	char *scratch;
	size_t scratch_alloc;
	/* after JSONR_ERROR */
	char msg[128];
	size_t err_off;
	int err_line;
} jsonr;

/* Read text[0..len); the text must outlive the reader.  No allocation yet. */
void jsonr_init(jsonr *r, const char *text, size_t len);
/*
 * Restart at byte offset off (on line line) to read the one value there,
 * as if it were the top-level value; for loaders that read a document out
 * of order after a first pass has found it valid.  Tokens after that
 * value's end are not meant to be read.
 */
void jsonr_seek(jsonr *r, size_t off, int line);
/* Free the scratch buffer. */
void jsonr_release(jsonr *r);

/*
 * The next token into *tok (type also returned).  Returns JSONR_EOF once
 * after the top-level value, and JSONR_ERROR (again on every later call)
 * on a syntax error.
 */
jsonr_type jsonr_next(jsonr *r, jsonr_token *tok);

/* After JSONR_ERROR: the message (lowercase, no "invalid JSON" prefix) and where. */
const char *jsonr_error(const jsonr *r, size_t *off, int *line);

/* 1-based column of byte offset off, counting UTF-8 characters on its line. */
int jsonr_column(const jsonr *r, size_t off);

#endif
