/*
 * banned.h - libc calls this codebase does not use (git's banned.h).
 *
 * Each of these either writes without a bound (strcpy, strcat, sprintf,
 * vsprintf, gets), bounds the write but silently truncates or leaves the
 * result unterminated (strncpy, strncat), or keeps hidden state (strtok).
 * Use sd_str (sd_str_add, sd_str_addf), xstrdup/xstrndup, snprintf or memcpy
 * with an explicit length instead.  A use becomes a compile error naming
 * the banned function: "sorry_strcpy_is_a_banned_function undeclared".
 *
 * How it is enabled: every in-tree target is built with
 * -DSD_BAN_UNSAFE_LIBC (top-level meson.build), and include/schemadiff/util.h,
 * which nearly every file includes, includes this file last.  The system
 * headers that declare the banned functions are included here FIRST, so a
 * later #include <string.h> or <stdio.h> is a no-op (include guard) and
 * their prototypes are never mangled by the macros below.  Feature-test
 * macros (_GNU_SOURCE, ...) must, as always, come before any include.
 *
 * tests/util/meson.build checks at configure time that each ban works.
 */
#ifndef SCHEMADIFF_BANNED_H
#define SCHEMADIFF_BANNED_H

#include <stdio.h>
#include <string.h>

#define SD_BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) SD_BANNED(strcpy)
#undef strcat
#define strcat(x, y) SD_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) SD_BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) SD_BANNED(strncat)
#undef strtok
#define strtok(x, y) SD_BANNED(strtok)
#undef gets
#define gets(x) SD_BANNED(gets)
#undef sprintf
#define sprintf(...) SD_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) SD_BANNED(vsprintf)

#endif
