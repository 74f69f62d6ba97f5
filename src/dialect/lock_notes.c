/*
 * lock_notes.c - which ops would hold a long lock on a large table.
 *
 * sd_dialect_mark_long_locks() is a post-pass over a finished migration,
 * called by the comparator: it sets op->long_lock and op->lock_why from the
 * dialect's op_lock_note hook, so every renderer (review, SQL comments) sees
 * the same marks without knowing any dialect.  Ops on a table created in
 * the same list are never marked: the table is new and empty.
 *
 * PostgreSQL (sd_pg_op_lock_note), from the lock levels of ALTER TABLE and
 * CREATE INDEX in the server's documentation:
 *   - CREATE INDEX: SHARE lock (writes blocked) for the whole build;
 *   - ADD FOREIGN KEY / CHECK: the validating scan under the ALTER's lock;
 *   - ADD UNIQUE / PRIMARY KEY: an index build under ACCESS EXCLUSIVE;
 *   - ALTER COLUMN TYPE that is not binary-coercible: a table rewrite;
 *   - SET NOT NULL: a full scan under ACCESS EXCLUSIVE;
 *   - ADD COLUMN with a volatile default or a stored generated column: a
 *     table rewrite.
 */
#include <stdlib.h>
#include <string.h>

#include "schemadiff/dialect.h"
#include "schemadiff/arena.h"
#include "schemadiff/hmap.h"
#include "schemadiff/ops.h"
#include "dialect/lock_notes.h"

/* "schema\x1ftable" of an op: the key of the tables a list creates. */
static void table_key(sd_str *k, const sd_op *op)
{
	sd_str_reset(k);
	sd_str_add(k, op->schema ? op->schema : "");
	sd_str_addch(k, '\x1f');
	sd_str_add(k, op->table ? op->table : "");
}

static void mark_list(const sd_dialect *d, sd_oplist *l)
{
	sd_hmap created = SD_HMAP_INIT;   /* tables the list creates: a hash, not a scan per op */
	sd_arena *keys = sd_arena_new();  /* the map's keys (it does not copy them) */
	sd_str k = SD_STR_INIT;

	for (size_t i = 0; i < l->n; i++) {
		if (l->ops[i].kind != SD_OP_CREATE_TABLE)
			continue;
		table_key(&k, &l->ops[i]);
		sd_hmap_put(&created, sd_arena_strndup(keys, k.ptr, k.len), k.len, &l->ops[i]);
	}
	for (size_t i = 0; i < l->n; i++) {
		sd_op *op = &l->ops[i];
		const char *why;

		if (op->kind == SD_OP_CREATE_TABLE || op->kind == SD_OP_DROP_TABLE)
			continue;
		table_key(&k, op);
		if (sd_hmap_get(&created, k.ptr, k.len))
			continue;
		why = d->op_lock_note(op);
		if (why) {
			op->long_lock = true;
			op->lock_why = why;
		}
	}
	sd_hmap_release(&created);
	sd_arena_free(keys);
	sd_str_release(&k);
}

void sd_dialect_mark_long_locks(const sd_dialect *d, sd_migration *m)
{
	if (!d || !d->op_lock_note)
		return;
	mark_list(d, &m->upgrade);
	mark_list(d, &m->downgrade);
}

/* A varchar(n) -> varchar(m >= n) / text change: binary-coercible, no rewrite. */
static bool no_rewrite(const char *from, const char *to)
{
	sd_str a = SD_STR_INIT, b = SD_STR_INIT;
	bool ok = false;
	static const char vc[] = "character varying";

	if (!from || !to)
		return false;
	sd_dialect_postgresql.normalize_type(&a, from);
	sd_dialect_postgresql.normalize_type(&b, to);
	if (strncmp(a.ptr, vc, sizeof(vc) - 1) == 0) {
		const char *pa = strchr(a.ptr, '('), *pb = strchr(b.ptr, '(');

		if (strcmp(b.ptr, "text") == 0 || strcmp(b.ptr, vc) == 0)
			ok = true;
		else if (strncmp(b.ptr, vc, sizeof(vc) - 1) == 0 && pa && pb)
			ok = strtol(pb + 1, NULL, 10) >= strtol(pa + 1, NULL, 10);
	} else if (strcmp(a.ptr, "text") == 0 && strcmp(b.ptr, vc) == 0) {
		ok = true;
	}
	sd_str_release(&a);
	sd_str_release(&b);
	return ok;
}

static bool volatile_default(const char *expr)
{
	static const char *const fns[] = { "random(", "clock_timestamp(", "gen_random_uuid(",
					   "uuid_generate", "nextval(", "timeofday(" };

	for (size_t i = 0; expr && i < SD_ARRAY_LEN(fns); i++)
		if (strstr(expr, fns[i]))
			return true;
	return false;
}

const char *sd_pg_op_lock_note(const sd_op *op)
{
	switch (op->kind) {
	case SD_OP_CREATE_INDEX:
		return "CREATE INDEX blocks writes to the table while it builds "
		       "(--concurrently builds it without)";
	case SD_OP_CREATE_FOREIGN_KEY:
		return "adding the foreign key scans the table, blocking writes to it and its "
		       "parent (--online: NOT VALID, then VALIDATE)";
	case SD_OP_CREATE_CHECK_CONSTRAINT:
		return "adding the check scans the table under an ACCESS EXCLUSIVE lock "
		       "(--online: NOT VALID, then VALIDATE)";
	case SD_OP_CREATE_UNIQUE_CONSTRAINT:
	case SD_OP_CREATE_PRIMARY_KEY:
		return "builds a unique index under an ACCESS EXCLUSIVE lock";
	case SD_OP_ALTER_COLUMN:
		if ((op->changes & SD_CHANGE_TYPE) && op->old_column && op->column &&
		    !no_rewrite(op->old_column->type, op->column->type))
			return "the type change rewrites the table under an ACCESS EXCLUSIVE lock";
		if ((op->changes & SD_CHANGE_NULLABLE) && op->column && !op->column->nullable)
			return "SET NOT NULL scans the table under an ACCESS EXCLUSIVE lock";
		return NULL;
	case SD_OP_ADD_COLUMN:
		if (op->column && ((op->column->generated && op->column->generated_stored) ||
				   volatile_default(op->column->server_default)))
			return "the new column's value is computed per row: the table is rewritten "
			       "under an ACCESS EXCLUSIVE lock";
		return NULL;
	default:
		return NULL;
	}
}
