/*
 * revid.c - new revision ids, their validation, and Alembic's file names
 * (ScriptDirectory._rev_path with file_template = %%(rev)s_%%(slug)s).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "schemadiff/hmap.h"
#include "schemadiff/util.h"
#include "revision_int.h"

int sd_revision_id_validate(const sd_revgraph *g, const char *id, sd_error *err)
{
	/* Alembic 1.8 Revision.verify_rev_id: _revision_illegal_chars. */
	static const char illegal[] = "@-+";
	sd_str found = SD_STR_INIT;
	const char *p;
	const sd_revision *old;

	if (!id || !*id)
		return sd_error_set(err, SD_EINPUT, "revision id is empty");
	for (p = illegal; *p; p++)
		if (strchr(id, *p))
			sd_str_addf(&found, "%s%c", found.len ? ", " : "", *p);
	if (found.len) {
		sd_error_set(err, SD_EINPUT, "character(s) '%s' not allowed in revision identifier '%s'",
			     found.ptr, id);
		sd_str_release(&found);
		return SD_EINPUT;
	}
	for (p = id; *p; p++)
		if (*p == '/' || (unsigned char)*p < 0x20 || *p == 0x7f)
			return sd_error_set(err, SD_EINPUT,
					    "revision id '%s' contains '/' or a control character", id);
	if (strlen(id) > SD_REVISION_ID_MAX)
		return sd_error_set(err, SD_EINPUT,
				    "revision id '%s' is longer than %d characters (alembic_version.version_num is VARCHAR(%d))",
				    id, SD_REVISION_ID_MAX, SD_REVISION_ID_MAX);
	if (g && (old = sd_revgraph_get(g, id)) != NULL)
		return sd_error_set(err, SD_EINPUT, "revision id '%s' already exists in '%s'",
				    id, old->path);
	return 0;
}

static uint64_t splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

char *sd_revision_id_new(void)
{
	static uint64_t counter; /* the deterministic sequence's step */
	const char *seed = getenv("SD_REVISION_ID_SEED");
	unsigned char bytes[6];
	char *out = xmalloc(13);
	size_t i;

	if (seed) {
		uint64_t x = splitmix64(sd_hash_bytes(seed, strlen(seed)) + counter++);

		for (i = 0; i < 6; i++)
			bytes[i] = (unsigned char)(x >> (8 * i));
	} else {
		FILE *f = fopen("/dev/urandom", "rb");

		if (!f || fread(bytes, 1, sizeof(bytes), f) != sizeof(bytes))
			sd_die("cannot read /dev/urandom for a revision id");
		fclose(f);
	}
	for (i = 0; i < 6; i++) {
		out[2 * i] = "0123456789abcdef"[bytes[i] >> 4];
		out[2 * i + 1] = "0123456789abcdef"[bytes[i] & 15];
	}
	out[12] = '\0';
	return out;
}

/* UTF-8 decoding; an invalid byte decodes as U+FFFD and consumes one byte. */
static uint32_t utf8_next(const unsigned char **pp)
{
	const unsigned char *p = *pp;
	uint32_t c;
	int n, i;

	if (p[0] < 0x80) {
		*pp = p + 1;
		return p[0];
	}
	if ((p[0] & 0xe0) == 0xc0) {
		c = p[0] & 0x1f;
		n = 1;
	} else if ((p[0] & 0xf0) == 0xe0) {
		c = p[0] & 0x0f;
		n = 2;
	} else if ((p[0] & 0xf8) == 0xf0) {
		c = p[0] & 0x07;
		n = 3;
	} else {
		*pp = p + 1;
		return 0xfffd;
	}
	for (i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			*pp = p + 1;
			return 0xfffd;
		}
		c = (c << 6) | (p[i] & 0x3f);
	}
	*pp = p + n + 1;
	return c;
}

static void utf8_put(sd_str *s, uint32_t c)
{
	if (c < 0x80) {
		sd_str_addch(s, (char)c);
	} else if (c < 0x800) {
		sd_str_addch(s, (char)(0xc0 | (c >> 6)));
		sd_str_addch(s, (char)(0x80 | (c & 0x3f)));
	} else if (c < 0x10000) {
		sd_str_addch(s, (char)(0xe0 | (c >> 12)));
		sd_str_addch(s, (char)(0x80 | ((c >> 6) & 0x3f)));
		sd_str_addch(s, (char)(0x80 | (c & 0x3f)));
	} else {
		sd_str_addch(s, (char)(0xf0 | (c >> 18)));
		sd_str_addch(s, (char)(0x80 | ((c >> 12) & 0x3f)));
		sd_str_addch(s, (char)(0x80 | ((c >> 6) & 0x3f)));
		sd_str_addch(s, (char)(0x80 | (c & 0x3f)));
	}
}

static locale_t utf8_locale(void)
{
	static locale_t loc;

	if (!loc) {
		loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
		if (!loc)
			loc = newlocale(LC_CTYPE_MASK, "C.utf8", (locale_t)0);
		if (!loc)
			sd_die("the C.UTF-8 locale is not available (needed for Unicode lower case)");
	}
	return loc;
}

static bool is_cased(uint32_t c)
{
	locale_t loc = utf8_locale();

	return iswupper_l((wint_t)c, loc) || iswlower_l((wint_t)c, loc) ||
	       towlower_l((wint_t)c, loc) != (wint_t)c || towupper_l((wint_t)c, loc) != (wint_t)c;
}

/*
 * Python's str.lower() on code points cp[0..n-1], into out: the simple
 * mapping, plus U+0130 -> "i\u0307" (SpecialCasing) and the final sigma.
 */
static void py_lower(const uint32_t *cp, size_t n, uint32_t **out, size_t *nout)
{
	locale_t loc = utf8_locale();
	size_t i, k = 0;
	uint32_t *o = xmalloc((2 * n + 1) * sizeof(*o));

	for (i = 0; i < n; i++) {
		uint32_t c = cp[i];

		if (c == 0x130) {
			o[k++] = 'i';
			o[k++] = 0x307;
		} else if (c == 0x3a3) {
			bool before = i > 0 && is_cased(cp[i - 1]);
			bool after = i + 1 < n && is_cased(cp[i + 1]);

			o[k++] = before && !after ? 0x3c2 : 0x3c3;
		} else {
			o[k++] = (uint32_t)towlower_l((wint_t)c, loc);
		}
	}
	*out = o;
	*nout = k;
}

static pcre2_code *word_re(void)
{
	static pcre2_code *re;

	if (!re) {
		int errcode;
		PCRE2_SIZE erroff;

		/* Python's \w: str.isalnum() (letters, numbers) or '_'. */
		re = pcre2_compile((PCRE2_SPTR)"[\\p{L}\\p{N}_]+", PCRE2_ZERO_TERMINATED,
				   PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &errcode, &erroff, NULL);
		if (!re)
			sd_die("internal error: slug pattern does not compile (%d)", errcode);
	}
	return re;
}

char *sd_revision_slug(const char *message, int truncate_len)
{
	sd_str joined = SD_STR_INIT, out = SD_STR_INIT;
	pcre2_match_data *md;
	size_t len = message ? strlen(message) : 0;
	PCRE2_SIZE start = 0;
	uint32_t *cp, *low;
	size_t ncp = 0, nlow, keep, i;
	const unsigned char *p;

	if (truncate_len <= 0)
		truncate_len = SD_SLUG_LENGTH_DEFAULT;
	md = pcre2_match_data_create_from_pattern(word_re(), NULL);
	while (message && start < len) {
		PCRE2_SIZE *ov;

		if (pcre2_match(word_re(), (PCRE2_SPTR)message, len, start, 0, md, NULL) < 0)
			break;
		ov = pcre2_get_ovector_pointer(md);
		if (joined.len)
			sd_str_addch(&joined, '_');
		sd_str_addn(&joined, message + ov[0], ov[1] - ov[0]);
		start = ov[1];
	}
	pcre2_match_data_free(md);

	cp = xmalloc((joined.len + 1) * sizeof(*cp));
	for (p = (const unsigned char *)joined.ptr; *p; )
		cp[ncp++] = utf8_next(&p);
	py_lower(cp, ncp, &low, &nlow);

	keep = nlow;
	if (nlow > (size_t)truncate_len) {
		/* slug[:n].rsplit("_", 1)[0] + "_" */
		keep = (size_t)truncate_len;
		for (i = keep; i > 0; i--)
			if (low[i - 1] == '_')
				break;
		if (i > 0)
			keep = i - 1;
	}
	for (i = 0; i < keep; i++)
		utf8_put(&out, low[i]);
	if (nlow > (size_t)truncate_len)
		sd_str_addch(&out, '_');
	free(cp);
	free(low);
	sd_str_release(&joined);
	return sd_str_detach(&out);
}

char *sd_revision_filename(const char *rev, const char *message, int truncate_len)
{
	char *slug = sd_revision_slug(message, truncate_len);
	sd_str s = SD_STR_INIT;

	sd_str_addf(&s, "%s_%s.py", rev, slug);
	free(slug);
	return sd_str_detach(&s);
}
