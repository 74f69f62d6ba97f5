/*
 * config.c - one place that resolves a command's settings: explicit
 * options, -x KEY=VALUE, alembic.ini's [schemadiff] and [alembic] sections
 * (see config.h for the order), and the name filters built from them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "common.h"
#include "config.h"
#include "schemadiff/exitcodes.h"
#include "schemadiff/source.h"

static const char *const x_keys[] = { "url", "sqlalchemy.url", "target", "dialect", "format",
				      "versions" };

/* The value of -x key (the last one given wins), or NULL. */
static const char *x_get(const sd_cli_config_opts *o, const char *key)
{
	const char *found = NULL;
	size_t i, n = strlen(key);

	for (i = 0; i < o->x.n; i++)
		if (strncmp(o->x.items[i], key, n) == 0 && o->x.items[i][n] == '=')
			found = o->x.items[i] + n + 1;
	return found;
}

static int check_x(const sd_cli_config_opts *o, sd_error *err)
{
	size_t i, k;

	for (i = 0; i < o->x.n; i++) {
		const char *eq = strchr(o->x.items[i], '=');
		bool known = false;

		for (k = 0; eq && k < SD_ARRAY_LEN(x_keys); k++)
			known |= strlen(x_keys[k]) == (size_t)(eq - o->x.items[i]) &&
				 strncmp(x_keys[k], o->x.items[i], (size_t)(eq - o->x.items[i])) == 0;
		if (!eq || !known) {
			sd_error_set(err, SD_EINPUT, "-x '%s': %s", o->x.items[i],
				     eq ? "unknown key" : "expected KEY=VALUE");
			sd_error_set_hint(err, "schemadiff reads -x url=URL (or sqlalchemy.url=URL), "
					  "target=FILE, dialect=NAME, format=FORMAT, versions=DIR");
			return SD_EINPUT;
		}
	}
	return 0;
}

/* Split a multi-line ini value into its non-empty, trimmed lines. */
static void split_lines(const char *v, sd_strlist *out, char ***owned, size_t *nowned,
			size_t *aowned)
{
	const char *p = v;

	while (p && *p) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		const char *s = p, *e = p + n;

		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		while (e > s && strchr(" \t\r", e[-1]))
			e--;
		if (e > s) {
			SD_GROW(*owned, *nowned + 1, *aowned);
			(*owned)[(*nowned)++] = xstrndup(s, (size_t)(e - s));
			sd_strlist_push(out, (*owned)[*nowned - 1]);
		}
		p = eol ? eol + 1 : NULL;
	}
}

/* [schemadiff] key, or NULL. */
static int ini_get(const sd_cli_config *cfg, const char *key, char **out, sd_error *err)
{
	*out = NULL;
	if (!cfg->alembic)
		return 0;
	return sd_alembic_config_get(cfg->alembic, "schemadiff", key, out, err);
}

/* Compile list into cfg->filter; origin names the option or ini key. */
static int add_patterns(sd_cli_config *cfg, const sd_strlist *list, sd_filter_kind kind,
			const char *origin, sd_error *err)
{
	size_t i;
	int rc;

	for (i = 0; i < list->n; i++) {
		if ((rc = sd_filter_add(cfg->filter, kind, list->items[i], origin, err))) {
			free(cfg->bad_pattern);
			cfg->bad_pattern = xstrdup(list->items[i]);
			return rc;
		}
	}
	return 0;
}

int sd_cli_config_load(sd_cli_config *cfg, const sd_cli_config_opts *o, sd_error *err)
{
	struct stat st;
	char *v = NULL, *inc = NULL, *exc = NULL;
	char **owned = NULL;
	size_t nowned = 0, aowned = 0, i;
	sd_strlist list = { 0 };
	sd_str origin = SD_STR_INIT;
	const char *xv;
	int rc;

	cfg->filter = sd_filter_new();
	if ((rc = check_x(o, err)))
		goto done;
	if (o->config)
		cfg->ini_path = xstrdup(o->config);
	else if (stat("alembic.ini", &st) == 0)
		cfg->ini_path = xstrdup("alembic.ini");
	if (o->name && !cfg->ini_path) {
		rc = sd_error_set(err, SD_EINPUT, "-n/--name %s: there is no config file to read it from",
				  o->name);
		sd_error_set_hint(err, "pass -c FILE, or run where alembic.ini is");
		goto done;
	}
	if (cfg->ini_path &&
	    (rc = sd_alembic_config_load(&cfg->alembic, cfg->ini_path,
					o->name ? o->name : "alembic", err)))
		goto done;

	/* The database URL. */
	if ((xv = x_get(o, "url")) || (xv = x_get(o, "sqlalchemy.url")))
		cfg->url = xstrdup(xv);
	else if (cfg->alembic && cfg->alembic->sqlalchemy_url && *cfg->alembic->sqlalchemy_url)
		cfg->url = xstrdup(cfg->alembic->sqlalchemy_url);

	/* [schemadiff] defaults, each overridden by -x. */
	if ((xv = x_get(o, "target")))
		cfg->target = xstrdup(xv);
	else if ((rc = ini_get(cfg, "target", &cfg->target, err)))
		goto done;
	if ((xv = x_get(o, "format")))
		cfg->format = xstrdup(xv);
	else if ((rc = ini_get(cfg, "format", &cfg->format, err)))
		goto done;
	if ((xv = x_get(o, "dialect"))) {
		v = xstrdup(xv);
	} else if ((rc = ini_get(cfg, "dialect", &v, err))) {
		goto done;
	}
	if (v && *v) {
		if (!(cfg->dialect = sd_dialect_find(v))) {
			rc = sd_error_set(err, SD_EINPUT, "unknown dialect \"%s\"", v);
			sd_error_set_hint(err, "known dialects: sqlite");
			goto done;
		}
	}
	free(v);
	v = NULL;

	/* Versions directories: -x, [schemadiff], [alembic]. */
	if ((xv = x_get(o, "versions"))) {
		cfg->versions = xcalloc(1, sizeof(*cfg->versions));
		cfg->versions[cfg->nversions++] = xstrdup(xv);
	} else {
		if ((rc = ini_get(cfg, "versions", &v, err)))
			goto done;
		if (v) {
			size_t a = 0;

			split_lines(v, &list, &cfg->versions, &cfg->nversions, &a);
			sd_strlist_release(&list);
		} else if (cfg->alembic) {
			size_t a = 0;

			for (i = 0; i < cfg->alembic->n_versions; i++) {
				SD_GROW(cfg->versions, cfg->nversions + 1, a);
				cfg->versions[cfg->nversions++] = xstrdup(cfg->alembic->versions[i]);
			}
		}
	}
	if (cfg->alembic) {
		cfg->truncate_slug_length = cfg->alembic->truncate_slug_length;
		cfg->file_template = cfg->alembic->file_template;
	}

	/* Filters: an explicit list replaces the file's. */
	if (o->include.n) {
		if ((rc = add_patterns(cfg, &o->include, SD_FILTER_INCLUDE, "--include", err)))
			goto done;
	} else {
		if ((rc = ini_get(cfg, "include", &inc, err)))
			goto done;
		split_lines(inc, &list, &owned, &nowned, &aowned);
		sd_str_addf(&origin, "%s [schemadiff] include", cfg->ini_path);
		rc = add_patterns(cfg, &list, SD_FILTER_INCLUDE, origin.ptr, err);
		sd_strlist_release(&list);
		if (rc)
			goto done;
	}
	if (o->exclude.n) {
		if ((rc = add_patterns(cfg, &o->exclude, SD_FILTER_EXCLUDE, "--exclude", err)))
			goto done;
	} else {
		if ((rc = ini_get(cfg, "exclude", &exc, err)))
			goto done;
		split_lines(exc, &list, &owned, &nowned, &aowned);
		sd_str_reset(&origin);
		sd_str_addf(&origin, "%s [schemadiff] exclude", cfg->ini_path);
		rc = add_patterns(cfg, &list, SD_FILTER_EXCLUDE, origin.ptr, err);
		sd_strlist_release(&list);
		if (rc)
			goto done;
	}
	rc = 0;
done:
	sd_str_release(&origin);
	for (i = 0; i < nowned; i++)
		free(owned[i]);
	free(owned);
	free(v);
	free(inc);
	free(exc);
	return rc;
}

int sd_cli_config_sources(const sd_cli_config *cfg, const char **args, size_t nargs,
			  const char **from, const char **to, sd_error *err)
{
	if (nargs >= 2) {
		*from = args[0];
		*to = args[1];
		return 0;
	}
	if (!cfg->url && !cfg->ini_path) {
		sd_error_set(err, SD_EINPUT, "missing arguments: FROM and TO, or run inside an "
			     "Alembic project whose alembic.ini sets sqlalchemy.url");
		sd_error_set_hint(err, "see the command's --help");
		return SD_EINPUT;
	}
	if (!cfg->url) {
		sd_error_set(err, SD_EINPUT, "no FROM: give FROM and TO, or set sqlalchemy.url in %s",
			     cfg->ini_path);
		sd_error_set_hint(err, "-x url=sqlite:///app.db also sets it");
		return SD_EINPUT;
	}
	*from = cfg->url;
	if (nargs == 1) {
		*to = args[0];
		return 0;
	}
	if (!cfg->target) {
		sd_error_set(err, SD_EINPUT, "no TO: give the target schema file, or set "
			     "'target' in the [schemadiff] section of %s",
			     cfg->ini_path ? cfg->ini_path : "alembic.ini");
		return SD_EINPUT;
	}
	*to = cfg->target;
	return 0;
}

int sd_cli_config_report(const sd_cli_config *cfg, const sd_error *err)
{
	sd_cli_report(err);
	if (cfg && cfg->bad_pattern && err->column > 0)
		fprintf(stderr, "  %s\n  %*s^\n", cfg->bad_pattern, err->column - 1, "");
	return SD_EXIT_ERROR;
}

/* Print each line of notes once, as "note: LINE". */
static void print_notes(const sd_str *notes)
{
	const char *p = notes->ptr;
	sd_str seen = SD_STR_INIT;

	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) + 1 : strlen(p);
		bool dup = false;
		const char *q;

		for (q = notes->ptr; q < p;) {
			const char *qe = strchr(q, '\n');
			size_t qn = qe ? (size_t)(qe - q) + 1 : strlen(q);

			if (qn == n && memcmp(q, p, n) == 0) {
				dup = true;
				break;
			}
			q += qn;
		}
		if (!dup) {
			sd_str_add(&seen, "note: ");
			sd_str_addn(&seen, p, n);
		}
		p += n;
	}
	fputs(seen.ptr, stderr);
	sd_str_release(&seen);
}

void sd_cli_filter_schema(const sd_cli_config *cfg, sd_schema *s)
{
	sd_str notes = SD_STR_INIT;

	sd_filter_apply(cfg ? cfg->filter : NULL, s, &notes);
	print_notes(&notes);
	sd_str_release(&notes);
}

int sd_cli_compare_cfg(sd_migration *m, const char *from, const char *to,
		       const sd_introspect_opts *iopts, const sd_cli_config *cfg,
		       const sd_dialect **dialect, sd_schema **keep_from, sd_schema **keep_to,
		       sd_error *err)
{
	sd_schema *a = NULL, *b = NULL;
	sd_compare_opts copts = { 0 };
	sd_str notes = SD_STR_INIT;
	const sd_filter *f = cfg ? cfg->filter : NULL;
	int rc;

	memset(m, 0, sizeof(*m));
	if ((rc = sd_cli_load_pair(&a, &b, from, to, iopts, err)))
		goto done;
	sd_filter_apply(f, a, &notes);
	sd_filter_apply(f, b, &notes);
	print_notes(&notes);
	copts.dialect = cfg && cfg->dialect ? cfg->dialect : sd_compare_pick_dialect(a, b);
	if (dialect)
		*dialect = copts.dialect;
	rc = sd_compare(m, a, b, &copts, err);
done:
	sd_str_release(&notes);
	if (keep_from && !rc) {
		*keep_from = a;
		*keep_to = b;
	} else {
		sd_schema_free(a);
		sd_schema_free(b);
	}
	return rc;
}

long long sd_cli_date_epoch(const char *date)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(date, "%d-%d-%d %d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
		   &tm.tm_min, &tm.tm_sec) != 6)
		return (long long)time(NULL);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_isdst = -1;
	return (long long)mktime(&tm);
}

void sd_cli_config_release(sd_cli_config *cfg)
{
	size_t i;

	sd_alembic_config_free(cfg->alembic);
	free(cfg->ini_path);
	free(cfg->url);
	free(cfg->target);
	free(cfg->format);
	for (i = 0; i < cfg->nversions; i++)
		free(cfg->versions[i]);
	free(cfg->versions);
	sd_filter_free(cfg->filter);
	free(cfg->bad_pattern);
	memset(cfg, 0, sizeof(*cfg));
}

void sd_cli_config_opts_release(sd_cli_config_opts *o)
{
	sd_strlist_release(&o->x);
	sd_strlist_release(&o->include);
	sd_strlist_release(&o->exclude);
}
