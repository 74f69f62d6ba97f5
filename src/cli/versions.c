/*
 * versions.c - shared by the revision-state commands (versions.h): the
 * versions directory, snapshots, identification, Alembic-style formatting
 * of revisions and the graph walk.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "versions.h"
#include <errno.h>
#include <unistd.h>

#include "schemadiff/emit.h"
#include "schemadiff/fingerprint.h"
#include "schemadiff/schemafile.h"
#include "schemadiff/source.h"

int sd_cli_versions_load(sd_cli_versions_opts *vo, sd_alembic_config **cfg,
			 const char *const **dirs, size_t *ndirs, sd_revgraph **g, sd_error *err)
{
	const char *ini = vo->config ? vo->config : "alembic.ini";
	struct stat st;
	int rc;

	vo->iopts.schemas = vo->schemas.items;
	vo->iopts.nschemas = vo->schemas.n;
	if (vo->versions.n) {
		*dirs = vo->versions.items;
		*ndirs = vo->versions.n;
	} else if (!vo->config && stat(ini, &st) != 0) {
		sd_error_set(err, SD_EINPUT, "no versions directory: no --versions and no alembic.ini "
			     "in the current directory");
		sd_error_set_hint(err, "pass --versions DIR (e.g. alembic/versions) or -c FILE");
		return SD_EINPUT;
	} else {
		if ((rc = sd_alembic_config_load(cfg, ini, vo->name ? vo->name : "alembic", err)))
			return rc;
		*dirs = (const char *const *)(*cfg)->versions;
		*ndirs = (*cfg)->n_versions;
	}
	return g ? sd_revgraph_load(g, *dirs, *ndirs, err) : 0;
}

void sd_cli_snapshot_path(sd_str *out, const char *dir, const char *rev)
{
	sd_str_addf(out, "%s/%s.schema.json", dir, rev);
}

int sd_cli_snapshot_prepare(sd_schema *target, const sd_dialect *d, const char *rev_path,
			    const char *rev_id, sd_str *snap_path, char *fp, size_t fpsize,
			    sd_error *err)
{
	const char *slash = strrchr(rev_path, '/');
	char buf[SD_FINGERPRINT_SIZE];
	struct stat st;

	if (!target->dialect && d)
		target->dialect = sd_schema_strdup(target, d->name);
	if (slash)
		sd_str_addn(snap_path, rev_path, (size_t)(slash - rev_path));
	else
		sd_str_add(snap_path, ".");
	sd_str_addf(snap_path, "/%s.schema.json", rev_id);
	if (lstat(snap_path->ptr, &st) == 0)
		return sd_error_set_at(err, SD_EEXISTS, snap_path->ptr, 0, 0, NULL,
				       "file exists; refusing to overwrite it");
	sd_schema_fingerprint(buf, target, NULL);
	snprintf(fp, fpsize, "%s", buf);
	return 0;
}

static int write_new(const char *path, const char *data, size_t len, sd_error *err)
{
	int rc = sd_write_file_atomic(path, data, len, true);

	if (rc == -EEXIST)
		return sd_error_set_at(err, SD_EEXISTS, path, 0, 0, NULL,
				       "file exists; refusing to overwrite it");
	if (rc)
		return sd_error_set_at(err, SD_EIO, path, 0, 0, NULL, "cannot write file: %s",
				       strerror(-rc));
	return 0;
}

int sd_cli_write_revision_pair(const char *rev_path, const sd_str *rev_text, const char *snap_path,
			       const sd_schema *target, sd_error *err)
{
	sd_str json = SD_STR_INIT;
	int rc;

	sd_schema_to_json(&json, target);
	rc = write_new(snap_path, json.ptr, json.len, err);
	if (!rc && (rc = write_new(rev_path, rev_text->ptr, rev_text->len, err)))
		unlink(snap_path);   /* both or neither */
	sd_str_release(&json);
	return rc;
}

char *sd_cli_find_snapshot(const char *const *dirs, size_t ndirs, const char *rev)
{
	struct stat st;

	for (size_t i = 0; i < ndirs; i++) {
		sd_str p = SD_STR_INIT;

		sd_cli_snapshot_path(&p, dirs[i], rev);
		if (stat(p.ptr, &st) == 0 && S_ISREG(st.st_mode))
			return sd_str_detach(&p);
		sd_str_release(&p);
	}
	return NULL;
}

int sd_cli_check_snapshot(const sd_revgraph *g, const char *rev, const char *snap_path,
			  const sd_schema *snap, sd_error *err)
{
	static const char tag[] = "Schema fingerprint: " SD_FINGERPRINT_PREFIX;
	const sd_revision *r = g ? sd_revgraph_get(g, rev) : NULL;
	char *text = NULL, have[SD_FINGERPRINT_SIZE];
	const char *at;
	size_t len = 0, n;
	int rc = 0;

	if (!r || !r->path || sd_read_file(r->path, &text, &len) < 0)
		goto done;   /* an unreadable revision file is reported by whoever reads it */
	/* The header is near the top; a NUL in the file ends the search, which is fine. */
	if (!(at = strstr(text, tag)))
		goto done;
	at += sizeof(tag) - 1 - strlen(SD_FINGERPRINT_PREFIX);
	n = strlen(SD_FINGERPRINT_PREFIX) + strspn(at + strlen(SD_FINGERPRINT_PREFIX),
						   "0123456789abcdef");
	sd_schema_fingerprint(have, snap, NULL);
	if (n == strlen(have) && memcmp(at, have, n) == 0)
		goto done;
	rc = sd_error_set_at(err, SD_EINPUT, snap_path, 0, 0, NULL,
			     "this snapshot is not the schema revision %s was written for: %s "
			     "records %.*s, the snapshot is %s", rev, r->path, (int)n, at, have);
	sd_error_set_hint(err, "was it edited after 'schemadiff revision' wrote it? restore it "
			  "from version control");
done:
	free(text);
	return rc;
}

int sd_cli_compare_schemas(sd_migration *m, const sd_schema *snapshot, const sd_schema *live,
			   sd_error *err)
{
	sd_compare_opts o = { 0 };

	o.dialect = sd_compare_pick_dialect(live, snapshot);
	return sd_compare(m, snapshot, live, &o, err);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int sd_cli_identify(sd_identify_result *res, const sd_schema *live, const char *const *dirs,
		    size_t ndirs, sd_error *err)
{
	static const char suffix[] = ".schema.json";
	const size_t sl = sizeof(suffix) - 1;
	sd_strlist files = { 0 }, ids = { 0 };
	int rc = 0;

	memset(res, 0, sizeof(*res));
	for (size_t i = 0; i < ndirs; i++) {
		DIR *dir = opendir(dirs[i]);
		struct dirent *de;

		if (!dir)
			return sd_error_set_at(err, SD_EIO, dirs[i], 0, 0, NULL,
					       "cannot read versions directory");
		while ((de = readdir(dir))) {
			size_t l = strlen(de->d_name);
			sd_str p = SD_STR_INIT;

			if (l <= sl || strcmp(de->d_name + l - sl, suffix) != 0)
				continue;
			/* "id\0path": sorted by id, then directory order. */
			sd_str_addn(&p, de->d_name, l - sl);
			sd_str_addch(&p, '\x01');
			sd_str_addf(&p, "%s/%s", dirs[i], de->d_name);
			sd_strlist_push(&files, sd_str_detach(&p));
		}
		closedir(dir);
	}
	if (files.n)
		qsort(files.items, files.n, sizeof(*files.items), cmp_str);
	for (size_t i = 0; i < files.n && !rc; i++) {
		char *id = (char *)files.items[i], *path = strchr(id, '\x01');
		sd_schema *snap = NULL;
		sd_migration m = { 0 };

		*path++ = '\0';
		(void)ids;
		if ((rc = sd_source_load(&snap, path, NULL, err)) ||
		    (rc = sd_cli_compare_schemas(&m, snap, live, err))) {
			sd_schema_free(snap);
			sd_migration_release(&m);
			break;
		}
		res->nsnapshots++;
		if (m.upgrade.n == 0)
			sd_strlist_push(&res->matches, xstrdup(id));
		else if (!res->closest || m.upgrade.n < res->closest_ops) {
			free(res->closest);
			res->closest = xstrdup(id);
			res->closest_ops = m.upgrade.n;
		}
		sd_schema_free(snap);
		sd_migration_release(&m);
	}
	if (res->matches.n) {
		free(res->closest);
		res->closest = NULL;
	}
	for (size_t i = 0; i < files.n; i++)
		free((char *)files.items[i]);
	sd_strlist_release(&files);
	return rc;
}

void sd_identify_result_release(sd_identify_result *res)
{
	for (size_t i = 0; i < res->matches.n; i++)
		free((char *)res->matches.items[i]);
	sd_strlist_release(&res->matches);
	free(res->closest);
	memset(res, 0, sizeof(*res));
}

void sd_cli_review(sd_str *out, const sd_migration *m, const char *indent)
{
	for (size_t i = 0; i < m->upgrade.n; i++) {
		sd_str line = SD_STR_INIT;

		sd_review_lines(&line, &m->upgrade.ops[i]);
		for (const char *p = line.ptr; *p;) {
			const char *eol = strchr(p, '\n');
			size_t n = eol ? (size_t)(eol - p) : strlen(p);

			sd_str_add(out, indent);
			sd_str_addn(out, p, n);
			sd_str_addch(out, '\n');
			p += n + (eol ? 1 : 0);
		}
		sd_str_release(&line);
	}
}

void sd_cli_json_str(sd_str *out, const char *s)
{
	if (!s) {
		sd_str_add(out, "null");
		return;
	}
	sd_str_addch(out, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			sd_str_addf(out, "\\%c", *p);
		else if (*p == '\n')
			sd_str_add(out, "\\n");
		else if (*p < 0x20)
			sd_str_addf(out, "\\u%04x", *p);
		else
			sd_str_addch(out, (char)*p);
	}
	sd_str_addch(out, '"');
}

/* ---- Alembic's view of the graph ---- */

static size_t index_of(const sd_revgraph *g, const char *id)
{
	for (size_t i = 0; i < g->n; i++)
		if (strcmp(g->revs[i]->id, id) == 0)
			return i;
	return (size_t)-1;
}

/* Is r named in anyone's depends_on (so not a "real" head)? */
static bool depended_on(const sd_revgraph *g, const sd_revision *r)
{
	for (size_t i = 0; i < g->n; i++)
		for (size_t j = 0; j < g->revs[i]->n_depends; j++)
			if (strcmp(g->revs[i]->depends[j], r->id) == 0)
				return true;
	return false;
}

/* How many revisions name r in depends_on (Alembic's _all_nextrev adds them). */
static size_t dependents(const sd_revgraph *g, const sd_revision *r)
{
	size_t n = 0;

	for (size_t i = 0; i < g->n; i++)
		for (size_t j = 0; j < g->revs[i]->n_depends; j++)
			if (strcmp(g->revs[i]->depends[j], r->id) == 0)
				n++;
	return n;
}

/*
 * Alembic's propagated branch labels of r (RevisionMap._add_branches): a
 * label is carried by the labelled revision and all its descendants, and
 * from the last descendant down through ancestors that are neither branch
 * points nor merge points.  Sorted, no duplicates, into *out (malloc'd).
 */
static void labels_of(const sd_revgraph *g, const sd_revision *r, sd_strlist *out)
{
	char *mark = xcalloc(g->n ? g->n : 1, 1);

	for (size_t i = 0; i < g->n; i++) {
		const sd_revision *l = g->revs[i];
		size_t *stack, ns = 0, last = i;

		if (!l->n_labels)
			continue;
		memset(mark, 0, g->n);
		stack = xmalloc((g->n + 1) * sizeof(*stack));
		stack[ns++] = i;
		while (ns) {
			size_t k = stack[--ns];

			if (mark[k])
				continue;
			mark[k] = 1;
			last = k;
			for (size_t j = 0; j < g->revs[k]->n_next; j++) {
				size_t nx = index_of(g, g->revs[k]->next[j]);

				if (nx != (size_t)-1 && !mark[nx])
					stack[ns++] = nx;
			}
		}
		free(stack);
		for (const sd_revision *p = g->revs[last];
		     p && !p->is_merge_point && p->n_next + dependents(g, p) <= 1;) {
			mark[index_of(g, p->id)] = 1;
			p = p->n_down == 1 ? sd_revgraph_get(g, p->down[0]) : NULL;
		}
		if (mark[index_of(g, r->id)])
			for (size_t j = 0; j < l->n_labels; j++)
				sd_strlist_push(out, l->labels[j]);
	}
	free(mark);
	if (out->n > 1) {
		size_t w = 1;

		qsort(out->items, out->n, sizeof(*out->items), cmp_str);
		for (size_t k = 1; k < out->n; k++)
			if (strcmp(out->items[k], out->items[w - 1]) != 0)
				out->items[w++] = out->items[k];
		out->n = w;
	}
}

static void add_comma(sd_str *out, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sd_str_addf(out, "%s%s", i ? ", " : "", v[i]);
}

/* The module docstring, stripped (Script.longdoc); "" when none. */
static char *longdoc(const sd_revision *r)
{
	char *src = NULL, *res;
	const char *p, *q, *e;
	size_t len;

	if (!r->path || sd_read_file(r->path, &src, &len) != 0)
		return xstrdup("");
	p = src;
	for (;;) {  /* skip blank and comment lines */
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (*p != '#')
			break;
		p += strcspn(p, "\n");
	}
	if (strncmp(p, "\"\"\"", 3) != 0 && strncmp(p, "'''", 3) != 0) {
		free(src);
		return xstrdup("");
	}
	q = strstr(p + 3, strncmp(p, "\"\"\"", 3) == 0 ? "\"\"\"" : "'''");
	e = q ? q : p + strlen(p);
	p += 3;
	while (p < e && (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r'))
		p++;
	while (e > p && (e[-1] == ' ' || e[-1] == '\n' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	res = xstrndup(p, (size_t)(e - p));
	free(src);
	return res;
}

static void down_text(sd_str *out, const sd_revision *r)
{
	if (!r->n_down)
		sd_str_add(out, "<base>");
	else
		add_comma(out, r->down, r->n_down);
}

void sd_cli_rev_format(sd_str *out, const sd_revgraph *g, const sd_revision *r, unsigned flags)
{
	if (flags & SD_RF_PARENTS) {
		down_text(out, r);
		if (r->n_depends) {
			sd_str_add(out, " (");
			add_comma(out, r->depends, r->n_depends);
			sd_str_addch(out, ')');
		}
		sd_str_add(out, " -> ");
	}
	sd_str_add(out, r->id);
	if (flags & SD_RF_BRANCHES) {
		sd_strlist l = { 0 };

		labels_of(g, r, &l);
		if (l.n) {
			sd_str_add(out, " (");
			add_comma(out, l.items, l.n);
			sd_str_addch(out, ')');
		}
		sd_strlist_release(&l);
	}
	if (flags & (SD_RF_HEAD | SD_RF_TREE)) {
		bool real = r->is_head && !depended_on(g, r);

		if (real)
			sd_str_add(out, " (head)");
		else if (r->is_head)
			sd_str_add(out, " (effective head)");
	}
	if (flags & SD_RF_TREE) {
		if (r->is_branch_point)
			sd_str_add(out, " (branchpoint)");
		if (r->is_merge_point)
			sd_str_add(out, " (mergepoint)");
	}
	if (flags & SD_RF_DOC) {
		char *doc = longdoc(r), *para = strstr(doc, "\n\n");

		if (para)
			*para = '\0';
		sd_str_addf(out, ", %s", doc);
		free(doc);
	}
}

void sd_cli_rev_log_entry(sd_str *out, const sd_revgraph *g, const sd_revision *r)
{
	sd_strlist l = { 0 };
	char *doc = longdoc(r);

	sd_str_addf(out, "Rev: %s%s%s%s\n", r->id, r->is_head ? " (head)" : "",
		    r->is_branch_point ? " (branchpoint)" : "",
		    r->is_merge_point ? " (mergepoint)" : "");
	sd_str_add(out, r->is_merge_point ? "Merges: " : "Parent: ");
	down_text(out, r);
	sd_str_addch(out, '\n');
	if (r->n_depends) {
		sd_str_add(out, "Also depends on: ");
		add_comma(out, r->depends, r->n_depends);
		sd_str_addch(out, '\n');
	}
	if (r->is_branch_point) {
		sd_str_add(out, "Branches into: ");
		add_comma(out, r->next, r->n_next);
		sd_str_addch(out, '\n');
	}
	labels_of(g, r, &l);
	if (l.n) {
		sd_str_add(out, "Branch names: ");
		add_comma(out, l.items, l.n);
		sd_str_addch(out, '\n');
	}
	sd_strlist_release(&l);
	sd_str_addf(out, "Path: %s\n\n", r->path);
	for (const char *p = doc; *p;) {
		size_t n = strcspn(p, "\n");

		sd_str_add(out, "    ");
		sd_str_addn(out, p, n);
		sd_str_addch(out, '\n');
		p += n + (p[n] ? 1 : 0);
	}
	if (!*doc)
		sd_str_addch(out, '\n');
	free(doc);
}

/* Mark k and everything reachable through next (down = false) or down (true). */
static void reach(const sd_revgraph *g, size_t k, bool down, char *mark)
{
	const sd_revision *r = g->revs[k];

	if (mark[k])
		return;
	mark[k] = 1;
	for (size_t j = 0; j < (down ? r->n_down : r->n_next); j++) {
		size_t x = index_of(g, down ? r->down[j] : r->next[j]);

		if (x != (size_t)-1)
			reach(g, x, down, mark);
	}
}

int sd_cli_walk(const sd_revgraph *g, const char *base, const char *head,
		const sd_revision ***out, size_t *n, sd_error *err)
{
	size_t nr = g->n ? g->n : 1, kb = (size_t)-1, kh = (size_t)-1, count = 0;
	char *below = xcalloc(nr, 1), *above = xcalloc(nr, 1), *done = xcalloc(nr, 1);
	const sd_revision **v = xcalloc(nr, sizeof(*v));
	int rc = 0;

	*out = NULL;
	*n = 0;
	if (base && (kb = index_of(g, base)) == (size_t)-1)
		rc = sd_error_set(err, SD_EINPUT, "no such revision \"%s\"", base);
	else if (head && (kh = index_of(g, head)) == (size_t)-1)
		rc = sd_error_set(err, SD_EINPUT, "no such revision \"%s\"", head);
	if (rc)
		goto done;
	if (kh != (size_t)-1)
		reach(g, kh, true, below);     /* ancestors of head */
	else
		memset(below, 1, g->n);
	if (kb != (size_t)-1)
		reach(g, kb, false, above);    /* descendants of base */
	else
		memset(above, 1, g->n);
	/*
	 * Children before parents: repeatedly take the first (by id) revision
	 * all of whose children are done, from the heads down, as Alembic's
	 * iterate_revisions does (its order among sibling branches may differ).
	 */
	for (size_t step = 0; step < g->n; step++) {
		size_t pick = (size_t)-1;

		for (size_t k = 0; k < g->n && pick == (size_t)-1; k++) {
			bool ready = !done[k];

			for (size_t j = 0; ready && j < g->revs[k]->n_next; j++) {
				size_t x = index_of(g, g->revs[k]->next[j]);

				if (x != (size_t)-1 && !done[x])
					ready = false;
			}
			if (ready)
				pick = k;
		}
		if (pick == (size_t)-1)
			break;
		done[pick] = 1;
		if (below[pick] && above[pick])
			v[count++] = g->revs[pick];
	}
	*out = v;
	*n = count;
	v = NULL;
done:
	free(v);
	free(below);
	free(above);
	free(done);
	return rc;
}
