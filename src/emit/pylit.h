/*
 * pylit.h - the one Python-literal escaper.  Every string that goes into a
 * generated Python file (names, types, defaults, expressions, comments,
 * the docstring) goes through here.
 */
#ifndef SCHEMADIFF_EMIT_PYLIT_H
#define SCHEMADIFF_EMIT_PYLIT_H

#include "schemadiff/util.h"

/*
 * Append s as a Python 3 string literal, as repr() writes it: single
 * quotes, or double quotes when s holds ' but no "; backslash, the chosen
 * quote, \n \r \t and other control characters (C0, DEL, and the C1 and
 * line/paragraph separators U+0085, U+2028, U+2029) escaped; other
 * non-ASCII text is kept as UTF-8 (Python 3 source is UTF-8 by default).
 * A byte that is not part of valid UTF-8 cannot be a str character and is
 * written as U+FFFD.  NULL appends None.
 */
void sd_py_str(sd_str *out, const char *s);

/*
 * Append s as the body of a """docstring""": kept as written (newlines
 * stay newlines), with backslashes, control characters, invalid UTF-8 and
 * any double quote that would end the string escaped.  NULL appends
 * nothing.
 */
void sd_py_docstring(sd_str *out, const char *s);

#endif
