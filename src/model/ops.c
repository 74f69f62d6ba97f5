/*
 * ops.c - the op list container and the op vocabulary's names.
 */
#include <stdlib.h>
#include <string.h>

#include "schemadiff/ops.h"

static const char *const op_names[] = {
	[SD_OP_CREATE_TABLE] = "create_table",
	[SD_OP_DROP_TABLE] = "drop_table",
	[SD_OP_ADD_COLUMN] = "add_column",
	[SD_OP_DROP_COLUMN] = "drop_column",
	[SD_OP_ALTER_COLUMN] = "alter_column",
	[SD_OP_CREATE_INDEX] = "create_index",
	[SD_OP_DROP_INDEX] = "drop_index",
	[SD_OP_CREATE_UNIQUE_CONSTRAINT] = "create_unique_constraint",
	[SD_OP_CREATE_FOREIGN_KEY] = "create_foreign_key",
	[SD_OP_CREATE_CHECK_CONSTRAINT] = "create_check_constraint",
	[SD_OP_CREATE_PRIMARY_KEY] = "create_primary_key",
	[SD_OP_DROP_CONSTRAINT] = "drop_constraint",
	[SD_OP_CREATE_TABLE_COMMENT] = "create_table_comment",
	[SD_OP_DROP_TABLE_COMMENT] = "drop_table_comment",
	[SD_OP_CREATE_VIEW] = "create_view",
	[SD_OP_DROP_VIEW] = "drop_view",
	[SD_OP_CREATE_ENUM] = "create_enum",
	[SD_OP_DROP_ENUM] = "drop_enum",
	[SD_OP_ADD_ENUM_VALUE] = "add_enum_value",
	[SD_OP_CREATE_SEQUENCE] = "create_sequence",
	[SD_OP_DROP_SEQUENCE] = "drop_sequence",
	[SD_OP_ALTER_SEQUENCE] = "alter_sequence",
};
_Static_assert(SD_ARRAY_LEN(op_names) == SD_OP__COUNT, "op_names out of step with sd_op_kind");

static const char *const constraint_names[] = {
	[SD_CONSTRAINT_NONE] = "none",
	[SD_CONSTRAINT_UNIQUE] = "unique",
	[SD_CONSTRAINT_FOREIGN_KEY] = "foreignkey",
	[SD_CONSTRAINT_CHECK] = "check",
	[SD_CONSTRAINT_PRIMARY] = "primary",
};
_Static_assert(SD_ARRAY_LEN(constraint_names) == SD_CONSTRAINT_PRIMARY + 1,
	       "constraint_names out of step with sd_constraint_type");

const char *sd_op_kind_name(sd_op_kind k)
{
	return (unsigned)k < SD_OP__COUNT ? op_names[k] : "unknown";
}

int sd_op_kind_from_name(const char *name)
{
	size_t i;

	for (i = 0; i < SD_OP__COUNT; i++)
		if (strcmp(op_names[i], name) == 0)
			return (int)i;
	return -1;
}

const char *sd_constraint_type_name(sd_constraint_type t)
{
	return (unsigned)t <= SD_CONSTRAINT_PRIMARY ? constraint_names[t] : "unknown";
}

void sd_oplist_init(sd_oplist *l, const char *dialect)
{
	l->ops = NULL;
	l->target_views = NULL;
	l->ntarget_views = 0;
	l->target_triggers = NULL;
	l->ntarget_triggers = 0;
	l->n = 0;
	l->alloc = 0;
	l->store = sd_schema_new(dialect, NULL);
}

void sd_oplist_release(sd_oplist *l)
{
	free(l->ops);
	sd_schema_free(l->store);
	l->ops = NULL;
	l->n = l->alloc = 0;
	l->store = NULL;
}

/* The returned op is valid until the next push (the array may move). */
sd_op *sd_oplist_push(sd_oplist *l, sd_op_kind kind, const char *schema, const char *table)
{
	sd_op *op;

	SD_GROW(l->ops, l->n + 1, l->alloc);
	op = &l->ops[l->n++];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->schema = sd_arena_strdup(l->store->arena, schema);
	op->table = sd_arena_strdup(l->store->arena, table);
	return op;
}

void sd_migration_release(sd_migration *m)
{
	sd_oplist_release(&m->upgrade);
	sd_oplist_release(&m->downgrade);
}
