/*
 * alembic_ini.c - read alembic.ini as Alembic's Config does (Python's
 * configparser with BasicInterpolation and a `here` default), and find the
 * versions directories (ScriptDirectory.from_config).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "schemadiff/util.h"
#include "schemadiff/revision.h"

typedef struct ini_entry {
	char *section;   /* NULL for DEFAULT */
	char *key;       /* lower-cased */
	sd_str value;
	int line;
} ini_entry;

typedef struct ini {
	ini_entry *e;
	size_t n, alloc;
	const char *path;
} ini;

/* The parsed file kept by an sd_alembic_config (sd_alembic_config_get). */
struct sd_alembic_ini {
	ini f;
	char *path;
};

static void ini_release(ini *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		free(f->e[i].section);
		free(f->e[i].key);
		sd_str_release(&f->e[i].value);
	}
	free(f->e);
}

/* The last entry for (section, key); section NULL is DEFAULT. */
static ini_entry *ini_find(ini *f, const char *section, const char *key)
{
	size_t i = f->n;

	while (i-- > 0)
		if (sd_streq(f->e[i].section, section) && strcmp(f->e[i].key, key) == 0)
			return &f->e[i];
	return NULL;
}

static bool section_exists(ini *f, const char *section)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (sd_streq(f->e[i].section, section) && f->e[i].key[0] == '\0')
			return true;
	return false;
}

static void rstrip(sd_str *s)
{
	while (s->len && strchr(" \t\r\n\f\v", s->ptr[s->len - 1]))
		sd_str_truncate(s, s->len - 1);
}

/*
 * configparser.RawConfigParser._read: section headers, key = value or
 * key: value (the first of '=' or ':'), full-line comments, continuation
 * lines indented deeper than the key.  A section marker entry (key "")
 * records that a section exists.
 */
static int ini_parse(ini *f, const char *text, sd_error *err)
{
	const char *p = text;
	char *section = NULL;
	bool in_section = false;
	ini_entry *cur = NULL;
	size_t cur_indent = 0;
	int lineno = 0;
	int rc = 0;

	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		const char *ls = p, *s = p, *e = p + n;
		size_t indent;

		lineno++;
		p = eol ? eol + 1 : p + n;
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		indent = (size_t)(s - ls);
		while (e > s && strchr(" \t\r\f\v", e[-1]))
			e--;
		if (s < e && (*s == '#' || *s == ';'))
			continue; /* full-line comment */
		if (s == e) {
			/* empty_lines_in_values: kept if a continuation follows */
			if (cur)
				sd_str_addch(&cur->value, '\n');
			continue;
		}
		if (cur && indent > cur_indent) {
			rstrip(&cur->value);
			sd_str_addch(&cur->value, '\n');
			sd_str_addn(&cur->value, s, (size_t)(e - s));
			continue;
		}
		if (cur)
			rstrip(&cur->value);
		cur = NULL;
		if (*s == '[' && e[-1] == ']' && e - s > 2) {
			free(section);
			section = xstrndup(s + 1, (size_t)(e - s - 2));
			in_section = true;
			if (strcmp(section, "DEFAULT") == 0) {
				free(section);
				section = NULL;
			}
			SD_GROW(f->e, f->n + 1, f->alloc);
			memset(&f->e[f->n], 0, sizeof(f->e[f->n]));
			f->e[f->n].section = section ? xstrdup(section) : NULL;
			f->e[f->n].key = xstrdup("");
			sd_str_init(&f->e[f->n].value);
			f->e[f->n].line = lineno;
			f->n++;
			continue;
		}
		if (!in_section) {
			rc = sd_error_set_at(err, SD_EINPUT, f->path, lineno, 0, NULL,
					     "file contains no section headers");
			goto done;
		} else {
			const char *sep = s;
			const char *ke;
			const char *v;
			char *key;
			size_t i;

			while (sep < e && *sep != '=' && *sep != ':')
				sep++;
			if (sep == e) {
				rc = sd_error_set_at(err, SD_EINPUT, f->path, lineno, 0, NULL,
						     "expected 'key = value'");
				goto done;
			}
			ke = sep;
			while (ke > s && (ke[-1] == ' ' || ke[-1] == '\t'))
				ke--;
			key = xstrndup(s, (size_t)(ke - s));
			for (i = 0; key[i]; i++)
				if (key[i] >= 'A' && key[i] <= 'Z')
					key[i] = (char)(key[i] - 'A' + 'a');
			v = sep + 1;
			while (v < e && (*v == ' ' || *v == '\t'))
				v++;
			SD_GROW(f->e, f->n + 1, f->alloc);
			cur = &f->e[f->n++];
			cur->section = section ? xstrdup(section) : NULL;
			cur->key = key;
			sd_str_init(&cur->value);
			sd_str_addn(&cur->value, v, (size_t)(e - v));
			cur->line = lineno;
			cur_indent = indent;
		}
	}
	if (cur)
		rstrip(&cur->value);
done:
	free(section);
	return rc;
}

/* BasicInterpolation of entry value raw in section, into out. */
static int interpolate(ini *f, const char *section, const char *here, const ini_entry *ent,
		       const char *raw, int depth, sd_str *out, sd_error *err)
{
	const char *p = raw;

	if (depth > 10)
		return sd_error_set_at(err, SD_EINPUT, f->path, ent->line, 0, ent->key,
				       "interpolation is too deeply recursive");
	while (*p) {
		const char *pct = strchr(p, '%');

		if (!pct) {
			sd_str_add(out, p);
			break;
		}
		sd_str_addn(out, p, (size_t)(pct - p));
		if (pct[1] == '%') {
			sd_str_addch(out, '%');
			p = pct + 2;
		} else if (pct[1] == '(') {
			const char *close = strstr(pct, ")s");
			char *name;
			ini_entry *ref;
			size_t i;
			int rc = 0;

			if (!close)
				return sd_error_set_at(err, SD_EINPUT, f->path, ent->line, 0, ent->key,
						       "bad interpolation variable reference '%s'", pct);
			name = xstrndup(pct + 2, (size_t)(close - pct - 2));
			for (i = 0; name[i]; i++)
				if (name[i] >= 'A' && name[i] <= 'Z')
					name[i] = (char)(name[i] - 'A' + 'a');
			ref = ini_find(f, section, name);
			if (!ref || !ref->key[0])
				ref = ini_find(f, NULL, name);
			if (ref && ref->key[0]) {
				rc = interpolate(f, section, here, ent, ref->value.ptr, depth + 1, out, err);
			} else if (strcmp(name, "here") == 0) {
				sd_str_add(out, here);
			} else {
				rc = sd_error_set_at(err, SD_EINPUT, f->path, ent->line, 0, ent->key,
						     "bad interpolation: no option '%s' in section '%s'",
						     name, section ? section : "DEFAULT");
			}
			free(name);
			if (rc < 0)
				return rc;
			p = close + 2;
		} else {
			return sd_error_set_at(err, SD_EINPUT, f->path, ent->line, 0, ent->key,
					       "'%%' must be followed by '%%' or '(', found '%s'", pct);
		}
	}
	return 0;
}

/* os.path.abspath(os.path.dirname(path)), lexically normalised. */
static char *abs_dirname(const char *path)
{
	sd_str full = SD_STR_INIT, out = SD_STR_INIT;
	const char *slash;
	char *cwd;
	const char *p;
	size_t *marks = NULL, nmarks = 0, alloc = 0;

	if (path[0] != '/') {
		cwd = getcwd(NULL, 0);
		if (!cwd)
			sd_die("getcwd: %s", strerror(errno));
		sd_str_addf(&full, "%s/", cwd);
		free(cwd);
	}
	slash = strrchr(path, '/');
	if (slash)
		sd_str_addn(&full, path, (size_t)(slash - path) + 1);
	/* normpath: drop "." and empty components, resolve ".." lexically */
	for (p = full.ptr; *p; ) {
		const char *q = strchr(p, '/');
		size_t n = q ? (size_t)(q - p) : strlen(p);

		if (n == 0 || (n == 1 && p[0] == '.')) {
			/* skip */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (nmarks)
				sd_str_truncate(&out, marks[--nmarks]);
		} else {
			SD_GROW(marks, nmarks + 1, alloc);
			marks[nmarks++] = out.len;
			sd_str_addch(&out, '/');
			sd_str_addn(&out, p, n);
		}
		p += n;
		if (*p == '/')
			p++;
	}
	if (!out.len)
		sd_str_addch(&out, '/');
	free(marks);
	sd_str_release(&full);
	return sd_str_detach(&out);
}

static int get_option(ini *f, const char *section, const char *here, const char *key,
		      char **out, sd_error *err)
{
	ini_entry *ent = ini_find(f, section, key);
	sd_str s = SD_STR_INIT;
	int rc;

	*out = NULL;
	if (!ent)
		ent = ini_find(f, NULL, key);
	if (!ent)
		return 0;
	rc = interpolate(f, section, here, ent, ent->value.ptr, 0, &s, err);
	if (rc < 0) {
		sd_str_release(&s);
		return rc;
	}
	*out = sd_str_detach(&s);
	return 0;
}

static void push_location(sd_alembic_config *cfg, const char *p, size_t n, size_t *alloc)
{
	if (n == 0)
		return;
	SD_GROW(cfg->versions, cfg->n_versions + 1, *alloc);
	cfg->versions[cfg->n_versions++] = xstrndup(p, n);
}

int sd_alembic_config_load(sd_alembic_config **out, const char *ini_path,
			   const char *section, sd_error *err)
{
	ini f = { NULL, 0, 0, ini_path };
	sd_alembic_config *cfg = xcalloc(1, sizeof(*cfg));
	char *text = NULL, *here = NULL, *locs = NULL, *sep = NULL, *tsl = NULL;
	size_t len, alloc = 0;
	int rc;

	*out = NULL;
	if (!section)
		section = "alembic";
	cfg->truncate_slug_length = SD_SLUG_LENGTH_DEFAULT;
	rc = sd_read_file(ini_path, &text, &len);
	if (rc < 0) {
		rc = sd_error_set_at(err, SD_EIO, ini_path, 0, 0, NULL,
				     "cannot read config file: %s", strerror(-rc));
		goto done;
	}
	rc = ini_parse(&f, text, err);
	if (rc < 0)
		goto done;
	if (!section_exists(&f, section)) {
		rc = sd_error_set_at(err, SD_EINPUT, ini_path, 0, 0, NULL,
				     "no [%s] section", section);
		goto done;
	}
	here = abs_dirname(ini_path);
	if ((rc = get_option(&f, section, here, "script_location", &cfg->script_location, err)) < 0 ||
	    (rc = get_option(&f, section, here, "version_locations", &locs, err)) < 0 ||
	    (rc = get_option(&f, section, here, "version_path_separator", &sep, err)) < 0 ||
	    (rc = get_option(&f, section, here, "truncate_slug_length", &tsl, err)) < 0 ||
	    (rc = get_option(&f, section, here, "sqlalchemy.url", &cfg->sqlalchemy_url, err)) < 0 ||
	    (rc = get_option(&f, section, here, "file_template", &cfg->file_template, err)) < 0)
		goto done;
	if (!cfg->file_template)
		cfg->file_template = xstrdup("%(rev)s_%(slug)s");
	if (!cfg->script_location) {
		rc = sd_error_set_at(err, SD_EINPUT, ini_path, 0, 0, section,
				     "no 'script_location' key found in configuration");
		goto done;
	}
	{
		/* A package resource "pkg.mod:dir" (not a path) is not supported. */
		const char *colon = strchr(cfg->script_location, ':');

		if (colon && !strchr(cfg->script_location, '/') && cfg->script_location[0] != '.') {
			rc = sd_error_set_at(err, SD_EUNSUPPORTED, ini_path, 0, 0, "script_location",
					     "package resource locations are not supported: '%s'",
					     cfg->script_location);
			goto done;
		}
	}
	if (tsl) {
		char *end;
		long v = strtol(tsl, &end, 10);

		while (*end == ' ' || *end == '\t')
			end++;
		if (end == tsl || *end || v < 0 || v > 100000) {
			rc = sd_error_set_at(err, SD_EINPUT, ini_path, 0, 0, "truncate_slug_length",
					     "expected an integer, found '%s'", tsl);
			goto done;
		}
		cfg->truncate_slug_length = v ? (int)v : SD_SLUG_LENGTH_DEFAULT;
	}
	if (locs && *locs) {
		const char *p = locs;
		char split = 0;

		cfg->has_version_locations = true;
		if (!sep)
			split = 0;
		else if (strcmp(sep, "space") == 0)
			split = ' ';
		else if (strcmp(sep, "os") == 0 || strcmp(sep, ":") == 0)
			split = ':';
		else if (strcmp(sep, ";") == 0)
			split = ';';
		else {
			rc = sd_error_set_at(err, SD_EINPUT, ini_path, 0, 0, "version_path_separator",
					     "'%s' is not a valid value for version_path_separator; expected 'space', 'os', ':', ';'",
					     sep);
			goto done;
		}
		if (split) {
			while (*p) {
				const char *q = strchr(p, split);
				size_t n = q ? (size_t)(q - p) : strlen(p);

				push_location(cfg, p, n, &alloc);
				p += n;
				if (*p)
					p++;
			}
		} else {
			/* Legacy: re.split(r", *|(?: +)"); empty items kept by
			 * Python but an empty path is useless, so dropped. */
			while (*p) {
				size_t n = strcspn(p, ", ");

				push_location(cfg, p, n, &alloc);
				p += n;
				if (*p == ',') {
					p++;
					while (*p == ' ')
						p++;
				} else {
					while (*p == ' ')
						p++;
				}
			}
		}
	} else {
		sd_str v = SD_STR_INIT;

		sd_str_addf(&v, "%s/versions", cfg->script_location);
		SD_GROW(cfg->versions, 1, alloc);
		cfg->versions[cfg->n_versions++] = sd_str_detach(&v);
	}
	rc = 0;
done:
	free(text);
	free(locs);
	free(sep);
	free(tsl);
	if (rc < 0) {
		free(here);
		ini_release(&f);
	} else {
		cfg->here = here;
		cfg->ini = xcalloc(1, sizeof(*cfg->ini));
		cfg->ini->path = xstrdup(ini_path);
		cfg->ini->f = f;
		cfg->ini->f.path = cfg->ini->path;
	}
	if (rc < 0)
		sd_alembic_config_free(cfg);
	else
		*out = cfg;
	return rc;
}

void sd_alembic_config_free(sd_alembic_config *cfg)
{
	size_t i;

	if (!cfg)
		return;
	free(cfg->script_location);
	for (i = 0; i < cfg->n_versions; i++)
		free(cfg->versions[i]);
	free(cfg->versions);
	free(cfg->sqlalchemy_url);
	free(cfg->file_template);
	free(cfg->here);
	if (cfg->ini) {
		ini_release(&cfg->ini->f);
		free(cfg->ini->path);
		free(cfg->ini);
	}
	free(cfg);
}

int sd_alembic_config_get(const sd_alembic_config *cfg, const char *section, const char *key,
			  char **out, sd_error *err)
{
	*out = NULL;
	if (!cfg->ini || !section_exists(&cfg->ini->f, section))
		return 0;
	return get_option(&cfg->ini->f, section, cfg->here, key, out, err);
}

/* One value of the file name template's mapping. */
typedef struct tmpl_value {
	const char *name;
	const char *str;     /* set for strings ... */
	long long num;       /* ... else this number */
} tmpl_value;

/*
 * Python's "%[flags][width][.precision]s" of str, spec[0..slen): width and
 * precision count characters (code points), not bytes, so a slug with
 * non-ASCII letters is cut and padded as Alembic cuts and pads it, never
 * inside a UTF-8 sequence.  Only '-' of the flags matters for strings.
 */
static void py_format_str(sd_str *out, const char *spec, size_t slen, const char *str)
{
	size_t i = 0, width = 0, prec = SIZE_MAX, nbytes = 0, nchars = 0;
	bool left = false;

	for (; i < slen && strchr("-+ 0#", spec[i]); i++)
		left |= spec[i] == '-';
	for (; i < slen && spec[i] >= '0' && spec[i] <= '9'; i++)
		width = width * 10 + (size_t)(spec[i] - '0');
	if (i < slen && spec[i] == '.')
		for (prec = 0, i++; i < slen && spec[i] >= '0' && spec[i] <= '9'; i++)
			prec = prec * 10 + (size_t)(spec[i] - '0');
	while (str[nbytes] && nchars < prec) {
		nbytes++;
		while ((str[nbytes] & 0xC0) == 0x80)   /* continuation bytes of this character */
			nbytes++;
		nchars++;
	}
	for (i = nchars; !left && i < width; i++)
		sd_str_addch(out, ' ');
	sd_str_addn(out, str, nbytes);
	for (i = nchars; left && i < width; i++)
		sd_str_addch(out, ' ');
}

int sd_revision_filename_template(char **out, const char *file_template, const char *rev,
				  const char *message, int truncate_len, long long t,
				  sd_error *err)
{
	char *slug = sd_revision_slug(message, truncate_len);
	time_t tt = (time_t)t;
	struct tm tm;
	sd_str s = SD_STR_INIT;
	const char *p;
	int rc = 0;

	localtime_r(&tt, &tm);
	{
		const tmpl_value vals[] = {
			{ "rev", rev, 0 }, { "slug", slug, 0 }, { "epoch", NULL, t },
			{ "year", NULL, tm.tm_year + 1900 }, { "month", NULL, tm.tm_mon + 1 },
			{ "day", NULL, tm.tm_mday }, { "hour", NULL, tm.tm_hour },
			{ "minute", NULL, tm.tm_min }, { "second", NULL, tm.tm_sec },
		};

		p = file_template ? file_template : "%(rev)s_%(slug)s";
		while (*p) {
			const char *pct = strchr(p, '%'), *close, *spec;
			const tmpl_value *v = NULL;
			char fmt[64], buf[256];
			size_t nlen, slen, i;
			char conv;

			if (!pct) {
				sd_str_add(&s, p);
				break;
			}
			sd_str_addn(&s, p, (size_t)(pct - p));
			if (pct[1] == '%') {
				sd_str_addch(&s, '%');
				p = pct + 2;
				continue;
			}
			if (pct[1] != '(' || !(close = strchr(pct, ')'))) {
				rc = sd_error_set(err, SD_EINPUT, "file_template '%s': expected '%%(name)' "
						  "after '%%' at offset %zu", file_template,
						  (size_t)(pct - file_template));
				goto done;
			}
			nlen = (size_t)(close - pct - 2);
			for (i = 0; i < SD_ARRAY_LEN(vals); i++)
				if (strlen(vals[i].name) == nlen && memcmp(vals[i].name, pct + 2, nlen) == 0)
					v = &vals[i];
			if (!v) {
				rc = sd_error_set(err, SD_EINPUT, "file_template '%s': unknown token "
						  "'%.*s' (Alembic knows rev, slug, epoch, year, month, "
						  "day, hour, minute, second)", file_template, (int)nlen,
						  pct + 2);
				goto done;
			}
			spec = close + 1;
			slen = strspn(spec, "-+ 0#");
			slen += strspn(spec + slen, "0123456789");
			if (spec[slen] == '.') {
				slen++;
				slen += strspn(spec + slen, "0123456789");
			}
			conv = spec[slen];
			if (slen > 20 || !conv || !strchr("sdi", conv) || (conv != 's' && v->str)) {
				rc = sd_error_set(err, SD_EINPUT, "file_template '%s': unsupported "
						  "conversion for '%s'", file_template, v->name);
				goto done;
			}
			if (conv == 's') {
				const char *str = v->str;

				if (!str) {
					snprintf(buf, sizeof(buf), "%lld", v->num);
					str = buf;
				}
				py_format_str(&s, spec, slen, str);
			} else {
				snprintf(fmt, sizeof(fmt), "%%%.*slld", (int)slen, spec);
				sd_str_addf(&s, fmt, v->num);
			}
			p = spec + slen + 1;
		}
	}
	sd_str_add(&s, ".py");
done:
	free(slug);
	if (rc < 0)
		sd_str_release(&s);
	else
		*out = sd_str_detach(&s);
	return rc;
}
