/*
 * revgraph.c - the revision graph of one or more versions directories:
 * loading, checks (duplicates, unknown references, cycles), heads, bases,
 * branch and merge points, and the choice of a new revision's parent.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "schemadiff/util.h"
#include "revision_int.h"

sd_revgraph *sd_revgraph_new(void)
{
	sd_revgraph *g = xcalloc(1, sizeof(*g));

	g->priv = xcalloc(1, sizeof(*g->priv));
	g->priv->arena = sd_arena_new();
	sd_hmap_init(&g->priv->by_id);
	sd_hmap_init(&g->priv->by_label);
	return g;
}

void sd_revgraph_free(sd_revgraph *g)
{
	if (!g)
		return;
	sd_hmap_release(&g->priv->by_id);
	sd_hmap_release(&g->priv->by_label);
	sd_arena_free(g->priv->arena);
	free(g->priv);
	free(g);
}

const sd_revision *sd_revgraph_get(const sd_revgraph *g, const char *id)
{
	sd_revnode *node = sd_hmap_gets(&g->priv->by_id, id);

	return node ? &node->pub : NULL;
}

int sd_revgraph_add(sd_revgraph *g, sd_revision *rev, sd_error *err)
{
	sd_revnode *old = sd_hmap_gets(&g->priv->by_id, rev->id);
	size_t i;

	if (g->priv->finished)
		return sd_error_set(err, SD_EINTERNAL, "revision graph already finished");
	if (old)
		return sd_error_set_at(err, SD_EINPUT, rev->path, rev->line, 0, NULL,
				       "duplicate revision id '%s': also in '%s'",
				       rev->id, old->pub.path);
	for (i = 0; i < rev->n_down; i++)
		if (strcmp(rev->down[i], rev->id) == 0)
			return sd_error_set_at(err, SD_EINPUT, rev->path, rev->down_line, 0,
					       "down_revision",
					       "revision '%s' names itself", rev->id);
	for (i = 0; i < rev->n_depends; i++)
		if (strcmp(rev->depends[i], rev->id) == 0)
			return sd_error_set_at(err, SD_EINPUT, rev->path, rev->depends_line, 0,
					       "depends_on",
					       "revision '%s' depends on itself", rev->id);
	sd_hmap_puts(&g->priv->by_id, rev->id, rev);
	sd_arena_push(g->priv->arena, (void ***)&g->revs, &g->n, rev);
	return 0;
}

static int cmp_rev(const void *a, const void *b)
{
	const sd_revision *x = *(const sd_revision *const *)a;
	const sd_revision *y = *(const sd_revision *const *)b;

	return strcmp(x->id, y->id);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Depth-first search along down and depends_on edges; a grey node reached
 * again closes a cycle, reported with its members from the stack.
 */
static int find_cycle(sd_revnode *node, sd_revnode ***stack, size_t *depth,
		      size_t *stack_alloc, sd_error *err)
{
	size_t i;

	node->color = 1;
	SD_GROW(*stack, *depth + 1, *stack_alloc);
	(*stack)[(*depth)++] = node;
	for (i = 0; i < node->n_edges; i++) {
		sd_revnode *next = node->edges[i];

		if (next->color == 1) {
			sd_str path = SD_STR_INIT;
			size_t k = *depth;
			int rc;

			while (k > 0 && (*stack)[k - 1] != next)
				k--;
			for (k = k - 1; k < *depth; k++)
				sd_str_addf(&path, "%s -> ", (*stack)[k]->pub.id);
			sd_str_add(&path, next->pub.id);
			rc = sd_error_set_at(err, SD_EINPUT, node->pub.path, node->pub.down_line, 0,
					     NULL, "cycle in the revision graph: %s", path.ptr);
			sd_str_release(&path);
			return rc;
		}
		if (next->color == 0) {
			int rc = find_cycle(next, stack, depth, stack_alloc, err);

			if (rc < 0)
				return rc;
		}
	}
	node->color = 2;
	(*depth)--;
	return 0;
}

int sd_revgraph_finish(sd_revgraph *g, sd_error *err)
{
	sd_arena *a = g->priv->arena;
	sd_revnode **stack = NULL;
	size_t depth = 0, stack_alloc = 0;
	size_t i, j;
	int rc = 0;

	if (g->n)
		qsort(g->revs, g->n, sizeof(*g->revs), cmp_rev);

	/* Branch labels: unique, and not the same as a revision id. */
	for (i = 0; i < g->n; i++) {
		sd_revision *rev = g->revs[i];

		for (j = 0; j < rev->n_labels; j++) {
			const char *label = rev->labels[j];
			sd_revnode *other = sd_hmap_gets(&g->priv->by_label, label);

			if (!other)
				other = sd_hmap_gets(&g->priv->by_id, label);
			if (other && other != (sd_revnode *)rev) {
				rc = sd_error_set_at(err, SD_EINPUT, rev->path, rev->labels_line, 0,
						     "branch_labels",
						     "branch label '%s' of revision '%s' is already used by revision '%s' in '%s'",
						     label, rev->id, other->pub.id, other->pub.path);
				goto done;
			}
			sd_hmap_puts(&g->priv->by_label, label, rev);
		}
	}

	/* Edges: down revisions must be known ids; depends_on ids or labels. */
	for (i = 0; i < g->n; i++) {
		sd_revision *rev = g->revs[i];
		sd_revnode *node = (sd_revnode *)rev;

		for (j = 0; j < rev->n_down; j++) {
			sd_revnode *down = sd_hmap_gets(&g->priv->by_id, rev->down[j]);

			if (!down) {
				rc = sd_error_set_at(err, SD_EINPUT, rev->path, rev->down_line, 0,
						     "down_revision",
						     "revision '%s' revises unknown revision '%s'",
						     rev->id, rev->down[j]);
				goto done;
			}
			sd_arena_push(a, (void ***)&node->edges, &node->n_edges, down);
			sd_arena_push(a, (void ***)&down->pub.next, &down->pub.n_next,
				      (void *)rev->id);
		}
		for (j = 0; j < rev->n_depends; j++) {
			sd_revnode *dep = sd_hmap_gets(&g->priv->by_id, rev->depends[j]);

			if (!dep)
				dep = sd_hmap_gets(&g->priv->by_label, rev->depends[j]);
			if (!dep) {
				rc = sd_error_set_at(err, SD_EINPUT, rev->path, rev->depends_line, 0,
						     "depends_on",
						     "revision '%s' depends on unknown revision or branch label '%s'",
						     rev->id, rev->depends[j]);
				goto done;
			}
			sd_arena_push(a, (void ***)&node->edges, &node->n_edges, dep);
		}
	}

	for (i = 0; i < g->n; i++) {
		sd_revnode *node = (sd_revnode *)g->revs[i];

		if (node->color == 0) {
			rc = find_cycle(node, &stack, &depth, &stack_alloc, err);
			if (rc < 0)
				goto done;
		}
	}

	for (i = 0; i < g->n; i++) {
		sd_revision *rev = g->revs[i];

		if (rev->n_next > 1)
			qsort(rev->next, rev->n_next, sizeof(*rev->next), cmp_str);
		/* A revision listed twice in one down_revision counts once. */
		for (j = 1; j < rev->n_next; ) {
			if (strcmp(rev->next[j], rev->next[j - 1]) == 0) {
				memmove(&rev->next[j], &rev->next[j + 1],
					(rev->n_next - j - 1) * sizeof(*rev->next));
				rev->n_next--;
			} else {
				j++;
			}
		}
		rev->is_head = rev->n_next == 0;
		rev->is_base = rev->n_down == 0;
		rev->is_branch_point = rev->n_next > 1;
		rev->is_merge_point = rev->n_down > 1;
		if (rev->is_head)
			sd_arena_push(a, (void ***)&g->heads, &g->n_heads, rev);
		if (rev->is_base)
			sd_arena_push(a, (void ***)&g->bases, &g->n_bases, rev);
	}
	g->priv->finished = true;
done:
	free(stack);
	return rc;
}

static bool is_revision_file(const char *name)
{
	size_t len = strlen(name);

	/* Alembic: (?!\.\#|__init__)(.*\.py)$ */
	if (strncmp(name, ".#", 2) == 0 || strncmp(name, "__init__", 8) == 0)
		return false;
	return len > 3 && strcmp(name + len - 3, ".py") == 0;
}

static int load_dir(sd_revgraph *g, sd_hmap *seen_files, const char *dir, sd_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, alloc = 0, i;
	char *src = NULL;
	int rc = 0;

	if (!d)
		return sd_error_set_at(err, SD_EIO, dir, 0, 0, NULL,
				       "cannot open versions directory: %s", strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (!is_revision_file(de->d_name))
			continue;
		SD_GROW(names, n + 1, alloc);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);

	for (i = 0; i < n; i++) {
		sd_str path = SD_STR_INIT;
		struct stat st;
		char real[PATH_MAX];
		sd_revision *rev;
		size_t len;
		int r;

		sd_str_addf(&path, "%s%s%s", dir,
			    dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]);
		if (stat(path.ptr, &st) != 0 || !S_ISREG(st.st_mode)) {
			sd_str_release(&path);
			continue;
		}
		/* The same file through two locations is read once (Alembic warns). */
		if (realpath(path.ptr, real)) {
			if (sd_hmap_gets(seen_files, real)) {
				sd_str_release(&path);
				continue;
			}
			sd_hmap_puts(seen_files, sd_arena_strdup(g->priv->arena, real), g);
		}
		r = sd_read_file(path.ptr, &src, &len);
		if (r < 0) {
			rc = sd_error_set_at(err, SD_EIO, path.ptr, 0, 0, NULL,
					     "cannot read revision file: %s", strerror(-r));
			sd_str_release(&path);
			goto done;
		}
		rc = sd_revision_parse(g, path.ptr, src, &rev, err);
		if (rc == 0)
			rc = sd_revgraph_add(g, rev, err);
		free(src);
		src = NULL;
		sd_str_release(&path);
		if (rc < 0)
			goto done;
	}
done:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int sd_revgraph_load(sd_revgraph **out, const char *const *dirs, size_t ndirs,
		     sd_error *err)
{
	sd_revgraph *g = sd_revgraph_new();
	sd_hmap seen_files = SD_HMAP_INIT;
	size_t i;
	int rc = 0;

	*out = NULL;
	for (i = 0; i < ndirs; i++) {
		rc = load_dir(g, &seen_files, dirs[i], err);
		if (rc < 0)
			goto done;
	}
	rc = sd_revgraph_finish(g, err);
done:
	sd_hmap_release(&seen_files);
	if (rc < 0)
		sd_revgraph_free(g);
	else
		*out = g;
	return rc;
}

int sd_revgraph_pick_parent(const sd_revgraph *g, const char *head, bool splice,
			    const sd_revision **parent, sd_error *err)
{
	const sd_revision *rev;

	*parent = NULL;
	if (!head || strcmp(head, "head") == 0) {
		sd_str list = SD_STR_INIT;
		size_t i;

		if (g->n_heads <= 1) {
			*parent = g->n_heads ? g->heads[0] : NULL;
			return 0;
		}
		for (i = 0; i < g->n_heads; i++)
			sd_str_addf(&list, "%s%s", i ? ", " : "", g->heads[i]->id);
		sd_error_set(err, SD_EINPUT,
			     "multiple heads are present; specify the head revision on which the new revision should be based, or perform a merge");
		sd_error_set_detail(err, "heads: %s", list.ptr);
		sd_error_set_hint(err, "use --head REV with one of the heads");
		sd_str_release(&list);
		return SD_EINPUT;
	}
	if (strcmp(head, "base") == 0)
		return 0;
	rev = sd_revgraph_get(g, head);
	if (!rev)
		return sd_error_set(err, SD_EINPUT, "unknown revision '%s'", head);
	if (!rev->is_head && !splice) {
		sd_error_set(err, SD_EINPUT, "revision '%s' is not a head revision", head);
		sd_error_set_hint(err, "use --splice to create a new branch from this revision");
		return SD_EINPUT;
	}
	*parent = rev;
	return 0;
}
