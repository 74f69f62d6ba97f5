/*
 * test_random.c - randomized comparator proof: a seeded generator (its own
 * xorshift, no shared rand() state) builds 400 schema pairs, the second a
 * random mutation of the first (tables, columns, types, nullability,
 * defaults, keys, uniques, FKs including cycles, checks, indexes), and
 * every pair must round-trip through the applier and compare
 * deterministically.  The same pair built in reverse insertion order must
 * give byte-identical ops.  Every fifth pair starts from an empty schema,
 * so whole FK graphs (with cycles) are created and dropped at once.  Coverage counters make sure the generator
 * really produced every op kind, so the test cannot pass vacuously.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "cmp_helpers.h"

#define MAXT 8
#define MAXC 8
#define MAXK 3
#define NAMELEN 24

typedef struct rng {
	uint64_t s;
} rng;

static uint64_t next(rng *r)
{
	uint64_t x = r->s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return r->s = x;
}

static int pick(rng *r, int n)
{
	return (int)(next(r) % (uint64_t)n);
}

static bool chance(rng *r, int percent)
{
	return pick(r, 100) < percent;
}

static const char *const types[] = {
	"INTEGER", "BIGINT", "VARCHAR(32)", "VARCHAR(64)", "TEXT", "BOOLEAN", "NUMERIC(10,2)", "INT"
};
static const char *const defaults[] = { NULL, "0", "'x'", "CURRENT_TIMESTAMP", "(1)" };
static const char *const actions[] = { NULL, "CASCADE", "SET NULL", "NO ACTION", "RESTRICT" };

typedef struct gcol {
	char name[NAMELEN];
	int type, dflt;
	bool nullable, alive;
} gcol;

typedef struct gobj {           /* a unique, fk, check or index */
	char name[NAMELEN];     /* "" = unnamed */
	char cols[2][NAMELEN];
	int ncols;
	int ref;                /* fk: table slot */
	int action;             /* fk: on_delete */
	int val;                /* check: constant */
	bool unique, desc, alive;
} gobj;

typedef struct gtab {
	bool alive;
	gcol cols[MAXC];
	int ncols;
	bool haspk;
	char pkname[NAMELEN];
	char pkcols[2][NAMELEN];
	int npk;
	gobj uq[MAXK], fk[MAXK], ck[MAXK], ix[MAXK];
	int renames;
} gtab;

typedef struct gschema {
	gtab t[MAXT];
} gschema;

static const char *colname(rng *r, const gtab *t)
{
	int i, tries;

	for (tries = 0; tries < 8; tries++) {
		i = pick(r, t->ncols);
		if (t->cols[i].alive)
			return t->cols[i].name;
	}
	return t->cols[0].name;
}

static void gen_obj(rng *r, gschema *g, int ti, char kind, int slot)
{
	gtab *t = &g->t[ti];
	gobj *o = kind == 'u' ? &t->uq[slot] : kind == 'f' ? &t->fk[slot]
		: kind == 'c' ? &t->ck[slot] : &t->ix[slot];

	memset(o, 0, sizeof(*o));
	o->alive = true;
	if (kind == 'i' || chance(r, 70))
		snprintf(o->name, sizeof(o->name), "%c%d_%d_%d", kind, ti, slot, t->renames++);
	o->ncols = kind == 'f' || kind == 'c' ? 1 : 1 + pick(r, 2);
	snprintf(o->cols[0], NAMELEN, "%s", colname(r, t));
	snprintf(o->cols[1], NAMELEN, "%s", colname(r, t));
	if (o->ncols == 2 && strcmp(o->cols[0], o->cols[1]) == 0)
		o->ncols = 1;
	o->ref = pick(r, MAXT);
	o->action = pick(r, (int)SD_ARRAY_LEN(actions));
	o->val = pick(r, 5);
	o->unique = chance(r, 30);
	o->desc = chance(r, 20);
}

static void gen_table(rng *r, gschema *g, int ti)
{
	gtab *t = &g->t[ti];
	int i;

	memset(t, 0, sizeof(*t));
	t->alive = true;
	t->ncols = 1 + pick(r, 5);
	for (i = 0; i < t->ncols; i++) {
		gcol *c = &t->cols[i];

		snprintf(c->name, NAMELEN, "c%d", i);
		c->type = pick(r, (int)SD_ARRAY_LEN(types));
		c->dflt = pick(r, (int)SD_ARRAY_LEN(defaults));
		c->nullable = chance(r, 50);
		c->alive = true;
	}
	t->haspk = chance(r, 80);
	if (chance(r, 50))
		snprintf(t->pkname, NAMELEN, "pk_t%d", ti);
	t->npk = 1;
	snprintf(t->pkcols[0], NAMELEN, "c0");
	for (i = 0; i < MAXK; i++) {
		if (chance(r, 35))
			gen_obj(r, g, ti, 'u', i);
		if (chance(r, 45))
			gen_obj(r, g, ti, 'f', i);
		if (chance(r, 30))
			gen_obj(r, g, ti, 'c', i);
		if (chance(r, 45))
			gen_obj(r, g, ti, 'i', i);
	}
}

static void gen_schema(rng *r, gschema *g)
{
	int i;

	memset(g, 0, sizeof(*g));
	for (i = 0; i < MAXT; i++)
		if (chance(r, 70))
			gen_table(r, g, i);
}

static gobj *rand_obj(rng *r, gtab *t, char *kind)
{
	static const char kinds[] = "ufci";
	int k = pick(r, 4);

	*kind = kinds[k];
	switch (k) {
	case 0: return &t->uq[pick(r, MAXK)];
	case 1: return &t->fk[pick(r, MAXK)];
	case 2: return &t->ck[pick(r, MAXK)];
	default: return &t->ix[pick(r, MAXK)];
	}
}

static void mutate(rng *r, gschema *g)
{
	int n = 1 + pick(r, 6), i;

	for (i = 0; i < n; i++) {
		int ti = pick(r, MAXT);
		gtab *t = &g->t[ti];
		gcol *c;
		gobj *o;
		char kind;
		int slot;

		if (!t->alive) {
			if (chance(r, 60))
				gen_table(r, g, ti);
			continue;
		}
		c = &t->cols[pick(r, t->ncols)];
		switch (pick(r, 12)) {
		case 0:
			t->alive = false;
			break;
		case 1:
			if (t->ncols < MAXC) {
				gcol *nc = &t->cols[t->ncols];

				snprintf(nc->name, NAMELEN, "c%d", t->ncols);
				nc->type = pick(r, (int)SD_ARRAY_LEN(types));
				nc->nullable = true;
				nc->alive = true;
				t->ncols++;
			}
			break;
		case 2:
			c->alive = false;
			break;
		case 3:
			c->type = pick(r, (int)SD_ARRAY_LEN(types));
			break;
		case 4:
			c->nullable = !c->nullable;
			break;
		case 5:
			c->dflt = pick(r, (int)SD_ARRAY_LEN(defaults));
			break;
		case 6:  /* add or replace a constraint/index */
			kind = "ufci"[pick(r, 4)];
			slot = pick(r, MAXK);
			gen_obj(r, g, ti, kind, slot);
			break;
		case 7:
			o = rand_obj(r, t, &kind);
			o->alive = false;
			break;
		case 8:  /* rename (or name/unname) a constraint */
			o = rand_obj(r, t, &kind);
			if (o->name[0] && kind != 'i' && chance(r, 30))
				o->name[0] = '\0';
			else
				snprintf(o->name, NAMELEN, "%c%d_r%d", kind, ti, t->renames++);
			break;
		case 9:  /* change a definition in place */
			o = rand_obj(r, t, &kind);
			o->unique = !o->unique;
			o->desc = !o->desc;
			o->action = pick(r, (int)SD_ARRAY_LEN(actions));
			o->val++;
			break;
		case 10:
			t->haspk = !t->haspk;
			break;
		default:
			if (chance(r, 50))
				snprintf(t->pkname, NAMELEN, "pk_t%d_r%d", ti, t->renames++);
			else
				snprintf(t->pkcols[0], NAMELEN, "%s", colname(r, t));
			break;
		}
	}
}

/* ---- to the model; objects whose columns or tables are gone are left out ---- */

static bool has_col(const gtab *t, const char *name)
{
	int i;

	for (i = 0; i < t->ncols; i++)
		if (t->cols[i].alive && strcmp(t->cols[i].name, name) == 0)
			return true;
	return false;
}

static bool obj_ok(const gtab *t, const gobj *o)
{
	int i;

	if (!o->alive)
		return false;
	for (i = 0; i < o->ncols; i++)
		if (!has_col(t, o->cols[i]))
			return false;
	return true;
}

static const char *nm(const char *n)
{
	return n[0] ? n : NULL;
}

static void build_table(sd_schema *s, const gschema *g, int ti)
{
	const gtab *gt = &g->t[ti];
	char tname[16];
	sd_table *t;
	int i, k;

	snprintf(tname, sizeof(tname), "t%d", ti);
	t = sd_schema_add_table(s, NULL, tname);
	for (i = 0; i < gt->ncols; i++) {
		const gcol *gc = &gt->cols[i];
		sd_column *c;

		if (!gc->alive)
			continue;
		c = sd_table_add_column(s, t, gc->name);
		c->type = sd_schema_strdup(s, types[gc->type]);
		c->nullable = gc->nullable;
		c->server_default = sd_schema_strdup(s, defaults[gc->dflt]);
	}
	if (t->ncolumns == 0) {
		sd_column *c = sd_table_add_column(s, t, "id");

		c->type = "INTEGER";
	}
	if (gt->haspk && has_col(gt, gt->pkcols[0])) {
		sd_primary_key *pk = sd_table_set_pk(s, t, nm(gt->pkname));

		sd_names_push(s, &pk->columns, &pk->ncolumns, gt->pkcols[0]);
	}
	for (k = 0; k < MAXK; k++) {
		const gobj *u = &gt->uq[k], *f = &gt->fk[k], *ck = &gt->ck[k], *ix = &gt->ix[k];

		if (obj_ok(gt, u)) {
			sd_unique *x = sd_table_add_unique(s, t, nm(u->name));

			for (i = 0; i < u->ncols; i++)
				sd_names_push(s, &x->columns, &x->ncolumns, u->cols[i]);
		}
		if (obj_ok(gt, f) && g->t[f->ref].alive && has_col(&g->t[f->ref], "c0")) {
			sd_foreign_key *x = sd_table_add_fk(s, t, nm(f->name));
			char ref[16];

			snprintf(ref, sizeof(ref), "t%d", f->ref);
			sd_names_push(s, &x->columns, &x->ncolumns, f->cols[0]);
			x->ref_table = sd_schema_strdup(s, ref);
			sd_names_push(s, &x->ref_columns, &x->nref_columns, "c0");
			x->on_delete = sd_schema_strdup(s, actions[f->action]);
		}
		if (obj_ok(gt, ck)) {
			char expr[64];

			snprintf(expr, sizeof(expr), "%s >%s%d", ck->cols[0], ck->val % 2 ? "  " : " ",
				 ck->val / 2);
			sd_table_add_check(s, t, nm(ck->name), expr);
		}
		if (obj_ok(gt, ix)) {
			sd_index *x = sd_table_add_index(s, t, nm(ix->name));

			x->unique = ix->unique;
			for (i = 0; i < ix->ncols; i++) {
				sd_index_elem *e = sd_index_add_elem(s, x);

				e->column = sd_schema_strdup(s, ix->cols[i]);
				e->desc = i == 0 && ix->desc;
			}
		}
	}
}

static sd_schema *build(const gschema *g, bool reverse)
{
	sd_schema *s = sd_schema_new("sqlite", "random");
	sd_error err = SD_ERROR_INIT;
	int i;

	for (i = 0; i < MAXT; i++) {
		int ti = reverse ? MAXT - 1 - i : i;

		if (g->t[ti].alive)
			build_table(s, g, ti);
	}
	if (reverse) {  /* constraints in reverse insertion order too */
		size_t k;

		for (k = 0; k < s->ntables; k++) {
			sd_table *t = s->tables[k];
			size_t a, b;

#define REV(arr, n) for (a = 0, b = (n); b > 1 && a < b - 1; a++, b--) { \
	void *tmp_ = (arr)[a]; (arr)[a] = (arr)[b - 1]; (arr)[b - 1] = tmp_; }
			REV(t->uniques, t->nuniques)
			REV(t->fks, t->nfks)
			REV(t->checks, t->nchecks)
			REV(t->indexes, t->nindexes)
#undef REV
		}
	}
	if (sd_schema_finish(s, &err))
		sd_die("generated schema invalid: %s (%s)", err.message, err.path ? err.path : "");
	if (g->t[0].alive && g->t[1].alive)
		sd_schema_add_view(s, NULL, "v01", "SELECT * FROM t0, t1");
	sd_schema_finish(s, &err);
	return s;
}

static size_t seen[SD_OP__COUNT];
static size_t seen_cycle_fk, seen_unnamed_rename;

static void count_ops(const sd_migration *m)
{
	size_t i, creates = 0;

	for (i = 0; i < m->upgrade.n; i++) {
		const sd_op *op = &m->upgrade.ops[i];

		seen[op->kind]++;
		if (op->kind == SD_OP_CREATE_TABLE)
			creates++;
		/* a create_foreign_key after a create_table of the same table: a cycle FK */
		if (op->kind == SD_OP_CREATE_FOREIGN_KEY && creates) {
			size_t j;

			for (j = 0; j < i; j++)
				if (m->upgrade.ops[j].kind == SD_OP_CREATE_TABLE &&
				    strcmp(m->upgrade.ops[j].table, op->table) == 0)
					seen_cycle_fk++;
		}
		if (op->kind == SD_OP_DROP_CONSTRAINT && op->unique && !op->unique->name)
			seen_unnamed_rename++;
	}
}

static void test_random_pairs(void **state)
{
	int pair, failures = 0;
	size_t k;

	(void)state;
	for (pair = 0; pair < 400; pair++) {
		rng r = { 0x9E3779B97F4A7C15ull ^ ((uint64_t)pair * 0x100000001B3ull) };
		gschema a, b;
		sd_schema *sa, *sb, *sb_rev;
		sd_str why = SD_STR_INIT, r1 = SD_STR_INIT, r2 = SD_STR_INIT;
		sd_error err = SD_ERROR_INIT;
		sd_migration m1, m2;

		next(&r);
		gen_schema(&r, &a);
		b = a;
		mutate(&r, &b);
		if (pair % 5 == 0)  /* everything created (or, downgrade, dropped) at once: FK cycles */
			memset(&a, 0, sizeof(a));
		sa = build(&a, false);
		sb = build(&b, false);
		sb_rev = build(&b, true);

		if (cmp_roundtrip(sa, sb, NULL, &why)) {
			fprintf(stderr, "pair %d: %s", pair, why.ptr);
			failures++;
		}
		assert_int_equal(sd_compare(&m1, sa, sb, NULL, &err), 0);
		assert_int_equal(sd_compare(&m2, sa, sb_rev, NULL, &err), 0);
		cmp_render_migration(&r1, &m1);
		cmp_render_migration(&r2, &m2);
		if (strcmp(r1.ptr, r2.ptr) != 0) {
			fprintf(stderr, "pair %d: insertion order changed the ops:\n%s---\n%s", pair,
				r1.ptr, r2.ptr);
			failures++;
		}
		count_ops(&m1);
		sd_migration_release(&m1);
		sd_migration_release(&m2);
		sd_str_release(&why);
		sd_str_release(&r1);
		sd_str_release(&r2);
		sd_schema_free(sa);
		sd_schema_free(sb);
		sd_schema_free(sb_rev);
	}
	for (k = 0; k < SD_OP__COUNT; k++) {
		if (k == SD_OP_CREATE_TABLE_COMMENT || k == SD_OP_DROP_TABLE_COMMENT ||
		    k == SD_OP_CREATE_VIEW || k == SD_OP_DROP_VIEW || k == SD_OP_CREATE_ENUM ||
		    k == SD_OP_DROP_ENUM || k == SD_OP_ADD_ENUM_VALUE || k == SD_OP_CREATE_SEQUENCE ||
		    k == SD_OP_DROP_SEQUENCE || k == SD_OP_ALTER_SEQUENCE)
			continue;  /* not generated here: covered by the cases (PostgreSQL objects: tests/pg) */
		printf("%-26s %zu\n", sd_op_kind_name((sd_op_kind)k), seen[k]);
		assert_true(seen[k] > 0);
	}
	printf("cycle fks %zu, unnamed unique drops %zu\n", seen_cycle_fk, seen_unnamed_rename);
	assert_true(seen_cycle_fk > 0);
	assert_int_equal(failures, 0);
}

/*
 * Scale: a chain of N tables (each with an FK to the previous one, an
 * index and a unique), against a copy with every third table dropped, a
 * column added to every fifth and new tables added.  Comparing 4x the
 * tables must take well under 16x the time (near-linear, not quadratic).
 */
static sd_schema *chain(size_t n, bool mutated)
{
	sd_schema *s = sd_schema_new("sqlite", "chain");
	sd_error err = SD_ERROR_INIT;
	size_t i;

	for (i = 0; i < n + (mutated ? n / 10 : 0); i++) {
		char name[32], prev[32];
		sd_table *t;
		sd_column *c;
		sd_foreign_key *fk;
		sd_index *ix;
		sd_unique *u;

		if (mutated && i < n && i % 3 == 1)
			continue;
		snprintf(name, sizeof(name), "t%06zu", i);
		snprintf(prev, sizeof(prev), "t%06zu", i - 1);
		t = sd_schema_add_table(s, NULL, name);
		c = sd_table_add_column(s, t, "id");
		c->type = "INTEGER";
		c = sd_table_add_column(s, t, "parent");
		c->type = "INTEGER";
		if (mutated && i % 5 == 0)
			sd_table_add_column(s, t, "extra")->type = "TEXT";
		sd_table_set_pk(s, t, NULL);
		sd_names_push(s, &t->pk->columns, &t->pk->ncolumns, "id");
		u = sd_table_add_unique(s, t, "uq");
		sd_names_push(s, &u->columns, &u->ncolumns, "parent");
		ix = sd_table_add_index(s, t, "ix");
		sd_index_add_elem(s, ix)->column = "parent";
		if (i > 0 && !(mutated && i < n && (i - 1) % 3 == 1)) {
			fk = sd_table_add_fk(s, t, "fk");
			sd_names_push(s, &fk->columns, &fk->ncolumns, "parent");
			fk->ref_table = sd_schema_strdup(s, prev);
			sd_names_push(s, &fk->ref_columns, &fk->nref_columns, "id");
		}
	}
	if (sd_schema_finish(s, &err))
		sd_die("chain: %s", err.message);
	return s;
}

static double time_compare(size_t n, size_t *nops)
{
	sd_schema *a = chain(n, false), *b = chain(n, true);
	sd_error err = SD_ERROR_INIT;
	sd_migration m;
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(sd_compare(&m, a, b, NULL, &err), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*nops = m.upgrade.n;
	sd_migration_release(&m);
	sd_schema_free(a);
	sd_schema_free(b);
	return (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
}

static void test_scale(void **state)
{
	size_t ops_small, ops_big;
	double small, big;

	(void)state;
	time_compare(500, &ops_small);  /* warm up */
	small = time_compare(2500, &ops_small);
	big = time_compare(10000, &ops_big);
	printf("2500 tables: %.3fs (%zu ops); 10000 tables: %.3fs (%zu ops)\n", small, ops_small,
	       big, ops_big);
	assert_true(ops_big > 3 * ops_small);
	assert_true(big < 10.0 * (small > 0.01 ? small : 0.01));
}

/* The round trip at scale too: the chain with dropped links and new tables. */
static void test_scale_roundtrip(void **state)
{
	sd_schema *a = chain(3000, false), *b = chain(3000, true);
	sd_str why = SD_STR_INIT;

	(void)state;
	if (cmp_roundtrip(a, b, NULL, &why))
		fprintf(stderr, "%s", why.ptr);
	assert_int_equal(why.len, 0);
	sd_str_release(&why);
	sd_schema_free(a);
	sd_schema_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_pairs),
		cmocka_unit_test(test_scale),
		cmocka_unit_test(test_scale_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
