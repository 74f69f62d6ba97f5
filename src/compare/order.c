/*
 * order.c - the order of a migration's ops: deterministic and dependency
 * safe, so that every op is valid when the ops are applied in sequence
 * (sd_apply_ops checks exactly that).  Nothing here depends on hash order:
 * the comparator tags each op with a step and sort keys (compare_int.h),
 * and the graph orders below walk tables in (schema, name) order.
 *
 * The rules, in the order ops are emitted (after Alembic's autogenerate
 * ordering and pg_dump_sort.c's topological sort with a stable tie-break):
 *
 *  1. drop_view: removed views and changed ones (re-created in step 13),
 *     by (schema, name).  Views go first because they may read any table.
 *  1a. alter_sequence that releases an owner (OWNED BY NONE, or straight
 *     to a new owner that exists already) whose column this migration
 *     drops, by (schema, name): before any column or table is dropped,
 *     since PostgreSQL drops an owned sequence with its column or table.
 *  2. drop_constraint foreignkey on surviving tables: removed and changed
 *     FKs, including those pointing at a table that is dropped in step 5.
 *  3. drop_index and drop_constraint unique/check/primary on surviving
 *     tables, by (schema, table), then index, unique, check, primary, then
 *     name.  Before step 4 because they may use a dropped column.
 *  4. drop_column on surviving tables, by (schema, table, declared position).
 *  5. dropped tables: first drop_constraint foreignkey for the FKs that
 *     lie on a cycle among the dropped tables (FKs between two different
 *     tables of one strongly connected component of the FK graph), by
 *     (schema, table, name); then
 *     table by table, children before parents (a table goes only after
 *     every dropped table with an FK pointing at it; ties by name): its
 *     drop_index ops by name, then drop_table.
 *  5a. drop_sequence, then drop_enum, by (schema, name): after every
 *     table and column that could use them is gone (an owned sequence
 *     whose column is dropped was released in 1a).  An enum whose values
 *     were removed or reordered is dropped here and re-created in 5b; a
 *     surviving column of that type makes DROP TYPE fail on the server
 *     (the op is flagged destructive; see compare.c's compare_enums).
 *  5b. create_enum, add_enum_value (by (schema, name, position of the
 *     value in the target), each placed AFTER the value before it in the
 *     target, BEFORE the next one when it is the first), create_sequence,
 *     alter_sequence, by (schema, name): before every table and column
 *     that may use them.  A sequence owned by a column this migration
 *     creates is created here without its owner (see 11a).
 *  6. create_table, parents first (topological over FKs between new
 *     tables, ties by (schema, name)).  FKs are created inline, except the
 *     ones on a cycle among the new tables, as in step 5 (self-references
 *     stay inline), which become create_foreign_key ops in step 11: a
 *     cycle A <-> B is create_table A, create_table B, then two
 *     create_foreign_key (SQLAlchemy's sort_tables_and_constraints does
 *     the same).  Indexes
 *     are not inline: they are create_index ops in step 10.
 *  7. add_column on surviving tables, by (schema, table, target position).
 *  8. alter_column on surviving tables, likewise.
 *  8a. drop_sequence of a sequence the default of a surviving column
 *     calls nextval() on, by (schema, name): after step 8 changed that
 *     default (DROP SEQUENCE fails while a default uses it).
 *  9. create_primary_key, create_unique_constraint, create_check_constraint
 *     on surviving tables, by (schema, table), then primary, unique,
 *     check, then name.  After 7: they may use an added column.
 * 10. create_index, for new and surviving tables, by (schema, table, name).
 * 11. create_foreign_key: new and changed FKs of surviving tables and the
 *     cycle-closing FKs of new tables, by (schema, table, name).  Last among
 *     table ops: every table, column and key they refer to exists by now.
 *  11a. alter_sequence that sets OWNED BY a column this migration creates,
 *     by (schema, name): the column exists by now.  The downgrade's 1a is
 *     its inverse.
 * 12. create_table_comment / drop_table_comment, by (schema, table).
 * 13. create_view: added and changed views, by (schema, name).
 *
 * Remaining ties: unnamed objects sort by their canonical definition, and
 * the comparator's own (deterministic) creation sequence is the final key.
 * The downgrade is compare(to, from) under the same rules; the cycle FKs
 * of a set of tables do not depend on the direction nor on any visiting
 * order, so the two directions stay exact inverses.
 */
#include <stdlib.h>
#include <string.h>

#include "compare_int.h"

sd_pending_op *sd_pending_push(sd_pending *p, sd_op_kind kind, int step)
{
	sd_pending_op *po;

	SD_GROW(p->v, p->n + 1, p->alloc);
	po = &p->v[p->n];
	memset(po, 0, sizeof(*po));
	po->op.kind = kind;
	po->step = step;
	po->seq = p->n;
	p->n++;
	return po;
}

void sd_pending_release(sd_pending *p)
{
	free(p->v);
	p->v = NULL;
	p->n = p->alloc = 0;
}

#define CMP_NUM(a, b) do { if ((a) != (b)) return (a) < (b) ? -1 : 1; } while (0)
#define CMP_STR(a, b) do { int c_ = sd_strcmp_null((a), (b)); if (c_) return c_; } while (0)

static int cmp_pending(const void *pa, const void *pb)
{
	const sd_pending_op *a = pa, *b = pb;

	CMP_NUM(a->step, b->step);
	CMP_NUM(a->sub, b->sub);
	CMP_NUM(a->pos, b->pos);
	CMP_STR(a->k1, b->k1);
	CMP_STR(a->k2, b->k2);
	CMP_NUM(a->sub2, b->sub2);
	CMP_NUM(a->pos2, b->pos2);
	CMP_STR(a->name, b->name);
	CMP_STR(a->defkey, b->defkey);
	CMP_NUM(a->seq, b->seq);
	return 0;
}

void sd_order_emit(sd_pending *p, sd_oplist *out)
{
	size_t i;

	if (p->n > 1)
		qsort(p->v, p->n, sizeof(*p->v), cmp_pending);
	for (i = 0; i < p->n; i++) {
		const sd_op *src = &p->v[i].op;
		sd_op *op = sd_oplist_push(out, src->kind, src->schema, src->table);
		const char *schema = op->schema, *table = op->table;

		*op = *src;
		op->schema = schema;
		op->table = table;
	}
}

const sd_table *sd_fk_target(const sd_schema *s, const sd_table *t, const sd_foreign_key *fk)
{
	const sd_table *r;

	if (!fk->ref_table)
		return NULL;
	if (fk->ref_schema)
		return sd_schema_find_table(s, fk->ref_schema, fk->ref_table);
	r = sd_schema_find_table(s, t->schema, fk->ref_table);
	if (!r && t->schema && *t->schema)
		r = sd_schema_find_table(s, NULL, fk->ref_table);
	return r;
}

/* A binary min-heap of positions: the ready node with the smallest name first. */
typedef struct heap {
	size_t *v;
	size_t n;
} heap;

static void heap_push(heap *h, size_t x)
{
	size_t i = h->n++;

	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (h->v[parent] <= x)
			break;
		h->v[i] = h->v[parent];
		i = parent;
	}
	h->v[i] = x;
}

static size_t heap_pop(heap *h)
{
	size_t top = h->v[0], x = h->v[--h->n], i = 0;

	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		size_t mv = x;

		if (l < h->n && h->v[l] < mv) {
			m = l;
			mv = h->v[l];
		}
		if (r < h->n && h->v[r] < mv)
			m = r;
		if (m == i)
			break;
		h->v[i] = h->v[m];
		i = m;
	}
	if (h->n)
		h->v[i] = x;
	return top;
}

#define UNSET ((size_t)-1)

typedef struct edge {
	size_t from;    /* child (the table with the FK) */
	size_t to;      /* parent */
	size_t fkid;    /* fkbase[from] + j */
	bool back;      /* on a cycle: both ends in one strongly connected component */
} edge;

void sd_fk_graph_build(sd_fk_graph *g, const sd_schema *s, const sd_table *const *tables,
		       size_t n, bool children_first)
{
	sd_hmap pos = SD_HMAP_INIT;
	edge *edges = NULL;
	size_t nedges = 0, alloc_edges = 0, nfk = 0, i, j;
	size_t *first, *stack_node, *stack_edge, *indeg, *rfirst, *redges, nout = 0;
	size_t *idx, *low, *comp, *scc, counter = 0, nscc = 0, ncomp = 0;
	unsigned char *onstack;
	heap h;

	g->fkbase = xcalloc(n + 1, sizeof(size_t));
	for (i = 0; i < n; i++) {
		g->fkbase[i] = nfk;
		nfk += tables[i]->nfks;
		/* key: the bytes of the pointer, stored in tables[] which outlives the map */
		sd_hmap_put(&pos, (const char *)&tables[i], sizeof(tables[i]), (void *)(i + 1));
	}
	g->fkbase[n] = nfk;
	g->cycle_fk = xcalloc(nfk ? nfk : 1, sizeof(bool));
	g->order = xcalloc(n ? n : 1, sizeof(size_t));

	/* Edges grouped by child, in FK order: first[i] .. first[i+1]. */
	first = xcalloc(n + 1, sizeof(size_t));
	for (i = 0; i < n; i++) {
		const sd_table *t = tables[i];

		first[i] = nedges;
		for (j = 0; j < t->nfks; j++) {
			const sd_table *target = sd_fk_target(s, t, t->fks[j]);
			size_t p;

			if (!target || target == t)
				continue;
			p = (size_t)sd_hmap_get(&pos, (const char *)&target, sizeof(target));
			if (!p)
				continue;
			SD_GROW(edges, nedges + 1, alloc_edges);
			edges[nedges].from = i;
			edges[nedges].to = p - 1;
			edges[nedges].fkid = g->fkbase[i] + j;
			edges[nedges].back = false;
			nedges++;
		}
	}
	first[n] = nedges;

	/*
	 * Tarjan's strongly connected components, iterative, roots in name
	 * order.  An edge inside one component lies on a cycle.
	 */
	idx = xmalloc((n ? n : 1) * sizeof(size_t));
	low = xmalloc((n ? n : 1) * sizeof(size_t));
	comp = xmalloc((n ? n : 1) * sizeof(size_t));
	onstack = xcalloc(n ? n : 1, 1);
	stack_node = xmalloc((n ? n : 1) * sizeof(size_t));
	stack_edge = xmalloc((n ? n : 1) * sizeof(size_t));
	scc = xmalloc((n ? n : 1) * sizeof(size_t));
	for (i = 0; i < n; i++)
		idx[i] = UNSET;
	for (i = 0; i < n; i++) {
		size_t sp = 0;

		if (idx[i] != UNSET)
			continue;
		idx[i] = low[i] = counter++;
		scc[nscc++] = i;
		onstack[i] = 1;
		stack_node[sp] = i;
		stack_edge[sp] = first[i];
		sp++;
		while (sp) {
			size_t u = stack_node[sp - 1], e = stack_edge[sp - 1];

			if (e < first[u + 1]) {
				size_t w = edges[e].to;

				stack_edge[sp - 1] = e + 1;
				if (idx[w] == UNSET) {
					idx[w] = low[w] = counter++;
					scc[nscc++] = w;
					onstack[w] = 1;
					stack_node[sp] = w;
					stack_edge[sp] = first[w];
					sp++;
				} else if (onstack[w] && idx[w] < low[u]) {
					low[u] = idx[w];
				}
				continue;
			}
			if (low[u] == idx[u]) {
				size_t w;

				do {
					w = scc[--nscc];
					onstack[w] = 0;
					comp[w] = ncomp;
				} while (w != u);
				ncomp++;
			}
			sp--;
			if (sp && low[u] < low[stack_node[sp - 1]])
				low[stack_node[sp - 1]] = low[u];
		}
	}
	for (i = 0; i < nedges; i++) {
		if (comp[edges[i].from] == comp[edges[i].to]) {
			edges[i].back = true;
			g->cycle_fk[edges[i].fkid] = true;
		}
	}

	/*
	 * Kahn's algorithm over the remaining (acyclic) edges.  Parents first:
	 * a node waits for its parents, emitting a parent releases its
	 * children.  Children first: the reverse.
	 */
	indeg = xcalloc(n ? n : 1, sizeof(size_t));
	rfirst = xcalloc(n + 1, sizeof(size_t));
	redges = xmalloc((nedges ? nedges : 1) * sizeof(size_t));
	for (i = 0; i < nedges; i++) {
		if (edges[i].back)
			continue;
		if (children_first) {
			indeg[edges[i].to]++;
		} else {
			indeg[edges[i].from]++;
			rfirst[edges[i].to]++;
		}
	}
	if (!children_first) {
		/* CSR of edges grouped by parent, to release children */
		size_t acc = 0;

		for (i = 0; i < n; i++) {
			size_t c = rfirst[i];

			rfirst[i] = acc;
			acc += c;
		}
		rfirst[n] = acc;
		{
			size_t *fill = xcalloc(n ? n : 1, sizeof(size_t));

			for (i = 0; i < nedges; i++) {
				if (edges[i].back)
					continue;
				redges[rfirst[edges[i].to] + fill[edges[i].to]++] = edges[i].from;
			}
			free(fill);
		}
	}
	h.v = xmalloc((n ? n : 1) * sizeof(size_t));
	h.n = 0;
	for (i = 0; i < n; i++)
		if (!indeg[i])
			heap_push(&h, i);
	while (h.n) {
		size_t u = heap_pop(&h);

		g->order[nout++] = u;
		if (children_first) {
			for (j = first[u]; j < first[u + 1]; j++)
				if (!edges[j].back && --indeg[edges[j].to] == 0)
					heap_push(&h, edges[j].to);
		} else {
			for (j = rfirst[u]; j < rfirst[u + 1]; j++)
				if (--indeg[redges[j]] == 0)
					heap_push(&h, redges[j]);
		}
	}
	if (nout != n)
		sd_die("internal error: foreign-key graph still cyclic after removing back edges");

	free(h.v);
	free(indeg);
	free(rfirst);
	free(redges);
	free(idx);
	free(low);
	free(comp);
	free(scc);
	free(onstack);
	free(stack_node);
	free(stack_edge);
	free(first);
	free(edges);
	sd_hmap_release(&pos);
}

void sd_fk_graph_release(sd_fk_graph *g)
{
	free(g->order);
	free(g->fkbase);
	free(g->cycle_fk);
	g->order = g->fkbase = NULL;
	g->cycle_fk = NULL;
}
