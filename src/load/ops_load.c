/*
 * ops_load.c - read a JSON op list (schemas/ops.schema.json) back into an
 * sd_migration, for `schemadiff render`.
 *
 * The embedded objects are in the schema-file shape, so they are read by
 * the schema-file loader's own functions (json_load_int.h), with the same
 * positioned errors.  The loader state's schema (L.s) is switched to the
 * store of the op list being read, so every object lands in the arena that
 * owns the ops pointing at it.
 *
 * The ops are read first (their errors are the ones a hand-editor makes),
 * then each direction's "context": its tables become the table_def of the
 * ops on them (one object per (schema, name) and direction, as the
 * comparator shares one), its views and triggers the op list's target
 * views and triggers.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "schemadiff/opsfile.h"
#include "load/json_load_int.h"

typedef sd_json_loader loader;

#define OPS_FORMAT "schemadiff-ops/2"   /* what json_ops.c writes */

static const char *const dialects[] = { "sqlite", "postgresql" };

/* Report a formatted message at the current path (or at the last key). */
static int fail(loader *L, bool at_key, const char *hint, const char *fmt, ...) SD_PRINTF(4, 5);
static int fail(loader *L, bool at_key, const char *hint, const char *fmt, ...)
{
	sd_str msg = SD_STR_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	sd_str_vaddf(&msg, fmt, ap);
	va_end(ap);
	rc = sd_jl_fail(L, at_key, hint, msg.ptr);
	sd_str_release(&msg);
	return rc;
}

/* Read obj[key] (required) as an object of kind into *out, at path .key. */
static int get_object(loader *L, const json_t *obj, const char *key, sd_obj_kind kind,
		      const char *table, void **out)
{
	json_t *v;
	int rc;

	*out = NULL;
	if (sd_jl_get_value(L, obj, key, SD_JL_REQUIRED, &v) < 0)
		return SD_EINPUT;
	sd_jl_push_key(L, key);
	if (!json_is_object(v))
		rc = sd_jl_fail_type(L, v, "an object");
	else
		rc = sd_jl_load_detached(L, kind, table, v, out);
	sd_jl_pop(L);
	return rc;
}

/* ---- alter_column: "changes" ------------------------------------------ */

static const char *const change_keys[] = {
	"type", "nullable", "server_default", "comment", "autoincrement", "generated", "collation"
};
static const unsigned change_bits[] = {
	SD_CHANGE_TYPE, SD_CHANGE_NULLABLE, SD_CHANGE_DEFAULT, SD_CHANGE_COMMENT,
	SD_CHANGE_AUTOINCREMENT, SD_CHANGE_GENERATED, SD_CHANGE_COLLATION
};
_Static_assert(SD_ARRAY_LEN(change_keys) == SD_ARRAY_LEN(change_bits), "one bit per key");
static const char *const from_to_keys[] = { "from", "to" };

/* A change value as the column fields it stands for. */
typedef struct cval {
	const char *str;        /* type, server_default, comment, collation; generated expr */
	bool flag;              /* nullable; generated stored */
	sd_autoinc autoinc;
} cval;

/* Parse the value at obj[key] for change i into *v (the current path is obj). */
static int read_cval(loader *L, const json_t *obj, const char *key, size_t i, cval *v)
{
	json_t *x;
	int rc = 0;

	memset(v, 0, sizeof(*v));
	if (sd_jl_get_value(L, obj, key, SD_JL_REQUIRED | SD_JL_NULL, &x) < 0)
		return SD_EINPUT;
	sd_jl_push_key(L, key);
	switch (change_bits[i]) {
	case SD_CHANGE_NULLABLE:
		if (!json_is_boolean(x))
			rc = sd_jl_fail_type(L, x, "a boolean");
		else
			v->flag = json_is_true(x);
		break;
	case SD_CHANGE_AUTOINCREMENT:
		if (json_is_true(x))
			v->autoinc = SD_AUTOINC_TRUE;
		else if (json_is_false(x))
			v->autoinc = SD_AUTOINC_FALSE;
		else if (json_is_string(x) && strcmp(json_string_value(x), "auto") == 0)
			v->autoinc = SD_AUTOINC_AUTO;
		else
			rc = sd_jl_fail_type(L, x, "true, false or \"auto\"");
		break;
	case SD_CHANGE_GENERATED:
		if (json_is_null(x))
			break;
		{
			static const char *const gkeys[] = { "expression", "stored" };

			if (sd_jl_check_object(L, x, "an object or null", gkeys, 2) < 0 ||
			    sd_jl_get_str(L, x, "expression", SD_JL_REQUIRED | SD_JL_NONEMPTY,
					  &v->str) < 0 ||
			    sd_jl_get_bool(L, x, "stored", &v->flag) < 0)
				rc = SD_EINPUT;
		}
		break;
	default:
		if (json_is_string(x))
			v->str = json_string_value(x);
		else if (!json_is_null(x))
			rc = sd_jl_fail_type(L, x, "a string or null");
		break;
	}
	sd_jl_pop(L);
	return rc;
}

static bool cval_matches(const sd_column *c, size_t i, const cval *v)
{
	switch (change_bits[i]) {
	case SD_CHANGE_TYPE: return sd_streq(c->type, v->str);
	case SD_CHANGE_NULLABLE: return c->nullable == v->flag;
	case SD_CHANGE_DEFAULT: return sd_streq(c->server_default, v->str);
	case SD_CHANGE_COMMENT: return sd_streq(c->comment, v->str);
	case SD_CHANGE_AUTOINCREMENT: return c->autoincrement == v->autoinc;
	case SD_CHANGE_GENERATED:
		return sd_streq(c->generated, v->str) && (!v->str || c->generated_stored == v->flag);
	case SD_CHANGE_COLLATION: return sd_streq(c->collation, v->str);
	}
	return false;
}

static void cval_apply(sd_schema *s, sd_column *c, size_t i, const cval *v)
{
	switch (change_bits[i]) {
	case SD_CHANGE_TYPE: c->type = sd_schema_strdup(s, v->str); break;
	case SD_CHANGE_NULLABLE: c->nullable = v->flag; break;
	case SD_CHANGE_DEFAULT: c->server_default = sd_schema_strdup(s, v->str); break;
	case SD_CHANGE_COMMENT: c->comment = sd_schema_strdup(s, v->str); break;
	case SD_CHANGE_AUTOINCREMENT: c->autoincrement = v->autoinc; break;
	case SD_CHANGE_GENERATED:
		c->generated = sd_schema_strdup(s, v->str);
		c->generated_stored = v->str && v->flag;
		break;
	case SD_CHANGE_COLLATION: c->collation = sd_schema_strdup(s, v->str); break;
	}
}

/*
 * "changes" of an alter_column, applied to a copy of the existing column:
 * op->old_column = existing, op->column = the copy after the changes.
 */
static int load_changes(loader *L, const json_t *o, sd_op *op)
{
	json_t *ch;
	sd_column *after;
	int rc = 0;

	if (sd_jl_get_value(L, o, "changes", SD_JL_REQUIRED, &ch) < 0)
		return SD_EINPUT;
	sd_jl_push_key(L, "changes");
	if (sd_jl_check_object(L, ch, "an object", change_keys, SD_ARRAY_LEN(change_keys)) < 0) {
		rc = SD_EINPUT;
		goto done;
	}
	if (json_object_size(ch) == 0) {
		rc = fail(L, false, NULL, "expected at least one change");
		goto done;
	}
	after = sd_column_copy(L->s, op->old_column);
	for (size_t i = 0; i < SD_ARRAY_LEN(change_keys); i++) {
		json_t *ft = json_object_get(ch, change_keys[i]);
		cval from, to;

		if (!ft)
			continue;
		sd_jl_push_key(L, change_keys[i]);
		if (sd_jl_check_object(L, ft, "an object", from_to_keys, 2) < 0 ||
		    read_cval(L, ft, "from", i, &from) < 0 || read_cval(L, ft, "to", i, &to) < 0) {
			rc = SD_EINPUT;
		} else if (!cval_matches(op->old_column, i, &from)) {
			sd_jl_push_key(L, "from");
			rc = fail(L, false, "an alter_column's \"from\" values are the \"existing\" column's",
				  "\"from\" does not match the existing column's %s", change_keys[i]);
			sd_jl_pop(L);
		} else {
			cval_apply(L->s, after, i, &to);
			op->changes |= change_bits[i];
		}
		sd_jl_pop(L);
		if (rc)
			goto done;
	}
	op->column = after;
done:
	sd_jl_pop(L);
	return rc;
}

/* ---- one op ------------------------------------------------------------ */

static const char *const common_keys[] = { "op", "table", "schema", "destructive", "reason" };

/* The keys an op of kind k may have beyond common_keys. */
static const char *const *kind_keys(sd_op_kind k, size_t *n)
{
	static const char *const k_def[] = { "definition" };
	static const char *const k_col[] = { "column" };
	static const char *const k_alter[] = { "column", "changes", "existing" };
	static const char *const k_index[] = { "index" };
	static const char *const k_con[] = { "constraint" };
	static const char *const k_drop_con[] = { "constraint_type", "constraint" };
	static const char *const k_comment[] = { "comment", "existing_comment" };
	static const char *const k_view[] = { "view" };

#define KEYS(a) (*n = SD_ARRAY_LEN(a), a)
	switch (k) {
	case SD_OP_CREATE_TABLE:
	case SD_OP_DROP_TABLE: return KEYS(k_def);
	case SD_OP_ADD_COLUMN:
	case SD_OP_DROP_COLUMN: return KEYS(k_col);
	case SD_OP_ALTER_COLUMN: return KEYS(k_alter);
	case SD_OP_CREATE_INDEX:
	case SD_OP_DROP_INDEX: return KEYS(k_index);
	case SD_OP_CREATE_UNIQUE_CONSTRAINT:
	case SD_OP_CREATE_FOREIGN_KEY:
	case SD_OP_CREATE_CHECK_CONSTRAINT:
	case SD_OP_CREATE_PRIMARY_KEY: return KEYS(k_con);
	case SD_OP_DROP_CONSTRAINT: return KEYS(k_drop_con);
	case SD_OP_CREATE_TABLE_COMMENT:
	case SD_OP_DROP_TABLE_COMMENT: return KEYS(k_comment);
	case SD_OP_CREATE_VIEW:
	case SD_OP_DROP_VIEW: return KEYS(k_view);
	case SD_OP__COUNT: break;
	}
#undef KEYS
	*n = 0;
	return NULL;
}

/* The constraint of a create_* or drop_constraint op, of type t. */
static int load_constraint(loader *L, const json_t *o, sd_op *op, sd_constraint_type t)
{
	static const sd_obj_kind kinds[] = {
		[SD_CONSTRAINT_NONE] = SD_OBJ__COUNT,
		[SD_CONSTRAINT_UNIQUE] = SD_OBJ_UNIQUE,
		[SD_CONSTRAINT_FOREIGN_KEY] = SD_OBJ_FOREIGN_KEY,
		[SD_CONSTRAINT_CHECK] = SD_OBJ_CHECK,
		[SD_CONSTRAINT_PRIMARY] = SD_OBJ_PRIMARY_KEY,
	};
	void *obj;

	op->ctype = t;
	if (get_object(L, o, "constraint", kinds[t], op->table, &obj) < 0)
		return SD_EINPUT;
	switch (t) {
	case SD_CONSTRAINT_UNIQUE: op->unique = obj; break;
	case SD_CONSTRAINT_FOREIGN_KEY: op->fk = obj; break;
	case SD_CONSTRAINT_CHECK: op->check = obj; break;
	case SD_CONSTRAINT_PRIMARY: op->pk = obj; break;
	case SD_CONSTRAINT_NONE: break;
	}
	return 0;
}

/* A view, schema-file shape, at the current path; *v's strings are x's. */
static int read_view(loader *L, const json_t *x, sd_view *v)
{
	static const char *const vkeys[] = { "name", "schema", "definition" };

	memset(v, 0, sizeof(*v));
	if (sd_jl_check_object(L, x, "an object", vkeys, SD_ARRAY_LEN(vkeys)) < 0 ||
	    sd_jl_get_str(L, x, "name", SD_JL_REQUIRED | SD_JL_NONEMPTY, &v->name) < 0 ||
	    sd_jl_get_str(L, x, "schema", SD_JL_NONEMPTY, &v->schema) < 0 ||
	    sd_jl_get_str(L, x, "definition", SD_JL_REQUIRED | SD_JL_NONEMPTY, &v->definition) < 0)
		return SD_EINPUT;
	return 0;
}

static int load_view_op(loader *L, const json_t *o, sd_op *op)
{
	sd_view v;
	json_t *x;
	int rc = 0;

	if (sd_jl_get_value(L, o, "view", SD_JL_REQUIRED, &x) < 0)
		return SD_EINPUT;
	sd_jl_push_key(L, "view");
	if (read_view(L, x, &v) < 0)
		rc = SD_EINPUT;
	else if (op->schema && !sd_streq(op->schema, v.schema))
		rc = fail(L, false, NULL, "the view's schema differs from the op's \"schema\"");
	sd_jl_pop(L);
	if (rc)
		return rc;
	op->view = sd_view_copy(L->s, &v);
	op->table = op->view->name;
	op->schema = op->view->schema;
	return 0;
}

/* The name of what the op's object calls itself must be the op's "table". */
static int same_table(loader *L, const char *key, const char *have, const char *want)
{
	if (sd_streq(have, want))
		return 0;
	sd_jl_push_key(L, key);
	sd_jl_push_key(L, "name");
	int rc = fail(L, false, NULL, "name \"%s\" differs from the op's table \"%s\"", have, want);
	sd_jl_pop(L);
	sd_jl_pop(L);
	return rc;
}

static int load_op(loader *L, sd_oplist *l, const json_t *o)
{
	static const char *const ctypes[] = { "unique", "foreignkey", "check", "primary" };
	static const sd_constraint_type ctype_vals[] = {
		SD_CONSTRAINT_UNIQUE, SD_CONSTRAINT_FOREIGN_KEY, SD_CONSTRAINT_CHECK,
		SD_CONSTRAINT_PRIMARY
	};
	const char *keys[SD_ARRAY_LEN(common_keys) + 4];
	const char *const *extra;
	const char *name, *table = NULL, *schema = NULL, *reason = NULL, *s;
	size_t nextra, nkeys = 0;
	bool destructive = false, is_view;
	void *obj;
	sd_op *op;
	int kind;

	if (!json_is_object(o))
		return sd_jl_fail_type(L, o, "an op (object)");
	if (sd_jl_get_str(L, o, "op", SD_JL_REQUIRED | SD_JL_NONEMPTY, &name) < 0)
		return SD_EINPUT;
	kind = sd_op_kind_from_name(name);
	if (kind < 0) {
		sd_jl_push_key(L, "op");
		int rc = fail(L, false, "see schemas/ops.schema.json for the op names",
			      "unknown op \"%s\"", name);
		sd_jl_pop(L);
		return rc;
	}
	is_view = kind == SD_OP_CREATE_VIEW || kind == SD_OP_DROP_VIEW;
	for (size_t i = 0; i < SD_ARRAY_LEN(common_keys); i++)
		if (!is_view || strcmp(common_keys[i], "table") != 0) /* a view op names its view in "view" */
			keys[nkeys++] = common_keys[i];
	extra = kind_keys((sd_op_kind)kind, &nextra);
	for (size_t i = 0; i < nextra; i++)
		keys[nkeys++] = extra[i];
	if (sd_jl_check_object(L, o, "an object", keys, nkeys) < 0)
		return SD_EINPUT;
	if ((!is_view && sd_jl_get_str(L, o, "table", SD_JL_REQUIRED | SD_JL_NONEMPTY, &table) < 0) ||
	    sd_jl_get_str(L, o, "schema", SD_JL_NONEMPTY, &schema) < 0 ||
	    sd_jl_get_bool(L, o, "destructive", &destructive) < 0 ||
	    sd_jl_get_str(L, o, "reason", 0, &reason) < 0)
		return SD_EINPUT;

	op = sd_oplist_push(l, (sd_op_kind)kind, schema, table);
	op->destructive = destructive;
	op->why = sd_schema_strdup(L->s, reason);

	switch ((sd_op_kind)kind) {
	case SD_OP_CREATE_TABLE:
	case SD_OP_DROP_TABLE:
		if (get_object(L, o, "definition", SD_OBJ_TABLE, NULL, &obj) < 0)
			return SD_EINPUT;
		op->table_def = obj;
		if (same_table(L, "definition", op->table_def->name, op->table) < 0)
			return SD_EINPUT;
		if (!sd_streq(op->table_def->schema, op->schema)) {
			sd_jl_push_key(L, "definition");
			int rc = fail(L, false, NULL, "the table's schema differs from the op's \"schema\"");
			sd_jl_pop(L);
			return rc;
		}
		break;
	case SD_OP_ADD_COLUMN:
	case SD_OP_DROP_COLUMN:
		if (get_object(L, o, "column", SD_OBJ_COLUMN, op->table, &obj) < 0)
			return SD_EINPUT;
		op->column = obj;
		break;
	case SD_OP_ALTER_COLUMN:
		if (sd_jl_get_str(L, o, "column", SD_JL_REQUIRED | SD_JL_NONEMPTY, &s) < 0 ||
		    get_object(L, o, "existing", SD_OBJ_COLUMN, op->table, &obj) < 0)
			return SD_EINPUT;
		op->old_column = obj;
		if (!sd_streq(s, op->old_column->name)) {
			sd_jl_push_key(L, "existing");
			sd_jl_push_key(L, "name");
			int rc = fail(L, false, NULL, "name \"%s\" differs from the op's column \"%s\"",
				      op->old_column->name, s);
			sd_jl_pop(L);
			sd_jl_pop(L);
			return rc;
		}
		if (load_changes(L, o, op) < 0)
			return SD_EINPUT;
		break;
	case SD_OP_CREATE_INDEX:
	case SD_OP_DROP_INDEX:
		if (get_object(L, o, "index", SD_OBJ_INDEX, op->table, &obj) < 0)
			return SD_EINPUT;
		op->index = obj;
		break;
	case SD_OP_CREATE_UNIQUE_CONSTRAINT:
		return load_constraint(L, o, op, SD_CONSTRAINT_UNIQUE);
	case SD_OP_CREATE_FOREIGN_KEY:
		return load_constraint(L, o, op, SD_CONSTRAINT_FOREIGN_KEY);
	case SD_OP_CREATE_CHECK_CONSTRAINT:
		return load_constraint(L, o, op, SD_CONSTRAINT_CHECK);
	case SD_OP_CREATE_PRIMARY_KEY:
		return load_constraint(L, o, op, SD_CONSTRAINT_PRIMARY);
	case SD_OP_DROP_CONSTRAINT: {
		size_t i;

		if (sd_jl_get_str(L, o, "constraint_type", SD_JL_REQUIRED | SD_JL_NONEMPTY, &s) < 0)
			return SD_EINPUT;
		for (i = 0; i < SD_ARRAY_LEN(ctypes); i++)
			if (strcmp(s, ctypes[i]) == 0)
				break;
		if (i == SD_ARRAY_LEN(ctypes)) {
			sd_jl_push_key(L, "constraint_type");
			int rc = fail(L, false, NULL, "invalid value \"%s\": expected one of \"unique\", "
				      "\"foreignkey\", \"check\", \"primary\"", s);
			sd_jl_pop(L);
			return rc;
		}
		return load_constraint(L, o, op, ctype_vals[i]);
	}
	case SD_OP_CREATE_TABLE_COMMENT:
	case SD_OP_DROP_TABLE_COMMENT: {
		bool create = kind == SD_OP_CREATE_TABLE_COMMENT;
		const char *c, *old;

		if (sd_jl_get_str(L, o, "comment", create ? SD_JL_REQUIRED : SD_JL_REQUIRED | SD_JL_NULL,
				  &c) < 0 ||
		    sd_jl_get_str(L, o, "existing_comment", SD_JL_REQUIRED | SD_JL_NULL, &old) < 0)
			return SD_EINPUT;
		if (!create && c) {
			sd_jl_push_key(L, "comment");
			int rc = fail(L, false, NULL, "a drop_table_comment op has \"comment\": null");
			sd_jl_pop(L);
			return rc;
		}
		op->comment = sd_schema_strdup(L->s, c);
		op->old_comment = sd_schema_strdup(L->s, old);
		break;
	}
	case SD_OP_CREATE_VIEW:
	case SD_OP_DROP_VIEW:
		return load_view_op(L, o, op);
	case SD_OP__COUNT:
		break;
	}
	return 0;
}

static int load_oplist(loader *L, sd_oplist *l, const json_t *root, const char *key)
{
	json_t *a, *v;
	size_t i;
	int rc = 0;

	if (sd_jl_get_array(L, root, key, SD_JL_REQUIRED, &a) < 0)
		return SD_EINPUT;
	L->s = l->store;
	sd_jl_push_key(L, key);
	json_array_foreach(a, i, v) {
		sd_jl_push_index(L, i);
		rc = load_op(L, l, v);
		sd_jl_pop(L);
		if (rc < 0)
			break;
	}
	sd_jl_pop(L);
	return rc;
}

static const char *const kind_key[] = {
	[SD_OBJ_TABLE] = "tables",
	[SD_OBJ_COLUMN] = "columns",
	[SD_OBJ_PRIMARY_KEY] = "primary_keys",
	[SD_OBJ_UNIQUE] = "unique_constraints",
	[SD_OBJ_FOREIGN_KEY] = "foreign_keys",
	[SD_OBJ_CHECK] = "check_constraints",
	[SD_OBJ_INDEX] = "indexes",
	[SD_OBJ_VIEW] = "views",
	[SD_OBJ_TRIGGER] = "triggers",
};
_Static_assert(SD_ARRAY_LEN(kind_key) == SD_OBJ__COUNT, "kind_key covers sd_obj_kind");

static int load_not_compared(loader *L, sd_migration *m, const json_t *root)
{
	const char *k;
	json_t *o, *v;
	int rc = 0;

	if (sd_jl_get_value(L, root, "not_compared", 0, &o) < 0)
		return SD_EINPUT;
	if (!o)
		return 0;
	sd_jl_push_key(L, "not_compared");
	if (!json_is_object(o)) {
		rc = sd_jl_fail_type(L, o, "an object");
		goto done;
	}
	json_object_foreach(o, k, v) {
		size_t i;

		for (i = 0; i < SD_OBJ__COUNT; i++)
			if (strcmp(k, kind_key[i]) == 0)
				break;
		if (i == SD_OBJ__COUNT && strcmp(k, "other") != 0) {
			sd_jl_push_key(L, k);
			rc = fail(L, true, NULL, "unknown key \"%s\"", k);
			sd_jl_pop(L);
			goto done;
		}
		if (!json_is_integer(v) || json_integer_value(v) < 0) {
			sd_jl_push_key(L, k);
			rc = sd_jl_fail_type(L, v, "a count (integer >= 0)");
			sd_jl_pop(L);
			goto done;
		}
		if (i < SD_OBJ__COUNT)
			m->unsupported_by_kind[i] = (size_t)json_integer_value(v);
		m->unsupported_seen += (size_t)json_integer_value(v);
	}
done:
	sd_jl_pop(L);
	return rc;
}

/* ---- "context" --------------------------------------------------------- */

static const char *def_key(sd_schema *s, const char *schema, const char *name)
{
	return sd_arena_printf(s->arena, "%s\x1f%s", schema ? schema : "", name ? name : "");
}

/* A context view, schema-file shape, appended to l->target_views. */
static int load_target_view(loader *L, sd_oplist *l, const json_t *x)
{
	sd_view v;

	if (read_view(L, x, &v) < 0)
		return SD_EINPUT;
	sd_arena_push(l->store->arena, (void ***)&l->target_views, &l->ntarget_views,
		      sd_view_copy(l->store, &v));
	return 0;
}

/* A context trigger, schema-file shape, appended to l->target_triggers. */
static int load_target_trigger(loader *L, sd_oplist *l, const json_t *x)
{
	static const char *const tkeys[] = { "name", "schema", "table", "sql" };
	const char *name, *schema, *table, *sql;
	sd_trigger *tr;

	if (sd_jl_check_object(L, x, "an object", tkeys, SD_ARRAY_LEN(tkeys)) < 0 ||
	    sd_jl_get_str(L, x, "name", SD_JL_REQUIRED | SD_JL_NONEMPTY, &name) < 0 ||
	    sd_jl_get_str(L, x, "schema", SD_JL_NONEMPTY, &schema) < 0 ||
	    sd_jl_get_str(L, x, "table", SD_JL_REQUIRED | SD_JL_NONEMPTY, &table) < 0 ||
	    sd_jl_get_str(L, x, "sql", SD_JL_REQUIRED | SD_JL_NONEMPTY, &sql) < 0)
		return SD_EINPUT;
	tr = sd_arena_alloc(l->store->arena, sizeof(*tr));
	tr->name = sd_schema_strdup(l->store, name);
	tr->schema = sd_schema_strdup(l->store, schema);
	tr->table = sd_schema_strdup(l->store, table);
	tr->sql = sd_schema_strdup(l->store, sql);
	sd_arena_push(l->store->arena, (void ***)&l->target_triggers, &l->ntarget_triggers, tr);
	return 0;
}

/* A context table into defs (key: def_key), read into l->store; no duplicates. */
static int load_context_table(loader *L, sd_oplist *l, sd_hmap *defs, const json_t *x)
{
	sd_table *t;
	void *obj;

	if (!json_is_object(x))
		return sd_jl_fail_type(L, x, "an object");
	if (sd_jl_load_detached(L, SD_OBJ_TABLE, NULL, x, &obj) < 0)
		return SD_EINPUT;
	t = obj;
	if (sd_hmap_puts(defs, def_key(l->store, t->schema, t->name), t)) {
		sd_str what = SD_STR_INIT;
		int rc;

		sd_qualified_name(&what, t->schema, t->name);
		sd_jl_push_key(L, "name");
		rc = fail(L, false, NULL, "duplicate table \"%s\": the context holds each table once",
			  what.ptr);
		sd_jl_pop(L);
		sd_str_release(&what);
		return rc;
	}
	return 0;
}

/* Read the list root[key] of one direction's context, item by item. */
typedef int (*context_item_fn)(loader *L, sd_oplist *l, sd_hmap *defs, const json_t *x);

static int item_view(loader *L, sd_oplist *l, sd_hmap *defs, const json_t *x)
{
	(void)defs;
	if (!json_is_object(x))
		return sd_jl_fail_type(L, x, "an object");
	return load_target_view(L, l, x);
}

static int item_trigger(loader *L, sd_oplist *l, sd_hmap *defs, const json_t *x)
{
	(void)defs;
	if (!json_is_object(x))
		return sd_jl_fail_type(L, x, "an object");
	return load_target_trigger(L, l, x);
}

static int load_context_list(loader *L, sd_oplist *l, sd_hmap *defs, const json_t *o,
			     const char *key, context_item_fn fn)
{
	json_t *a, *v;
	size_t i;
	int rc = 0;

	if (sd_jl_get_array(L, o, key, SD_JL_REQUIRED, &a) < 0)
		return SD_EINPUT;
	sd_jl_push_key(L, key);
	json_array_foreach(a, i, v) {
		sd_jl_push_index(L, i);
		rc = fn(L, l, defs, v);
		sd_jl_pop(L);
		if (rc < 0)
			break;
	}
	sd_jl_pop(L);
	return rc;
}

/* Does an op of kind k take its table_def from the context? */
static bool takes_context_def(sd_op_kind k)
{
	return k != SD_OP_CREATE_TABLE && k != SD_OP_DROP_TABLE && k != SD_OP_CREATE_VIEW &&
	       k != SD_OP_DROP_VIEW;
}

/* context[key] (the current path is "context"): tables into defs, views and triggers into l. */
static int load_direction_context(loader *L, sd_oplist *l, sd_hmap *defs, const json_t *context,
				  const char *key)
{
	static const char *const dkeys[] = { "tables", "target_views", "target_triggers" };
	json_t *o;
	int rc = 0;

	if (sd_jl_get_value(L, context, key, SD_JL_REQUIRED, &o) < 0)
		return SD_EINPUT;
	L->s = l->store;
	sd_jl_push_key(L, key);
	if (sd_jl_check_object(L, o, "an object", dkeys, SD_ARRAY_LEN(dkeys)) < 0 ||
	    load_context_list(L, l, defs, o, "tables", load_context_table) < 0 ||
	    load_context_list(L, l, defs, o, "target_views", item_view) < 0 ||
	    load_context_list(L, l, defs, o, "target_triggers", item_trigger) < 0)
		rc = SD_EINPUT;
	sd_jl_pop(L);
	return rc;
}

/*
 * The table_def of every op of l (at root[key]) that takes one, from defs:
 * the same object for all ops of a table.  An op whose table the context
 * lacks is an error at the op's "table".
 */
static int resolve_defs(loader *L, sd_oplist *l, const sd_hmap *defs, const char *key)
{
	for (size_t i = 0; i < l->n; i++) {
		sd_op *op = &l->ops[i];
		sd_str what = SD_STR_INIT;
		int rc;

		if (!takes_context_def(op->kind))
			continue;
		op->table_def = sd_hmap_gets(defs, def_key(l->store, op->schema, op->table));
		if (op->table_def)
			continue;
		sd_qualified_name(&what, op->schema, op->table);
		sd_jl_push_key(L, key);
		sd_jl_push_index(L, i);
		sd_jl_push_key(L, "table");
		rc = fail(L, false,
			  "an op on a table needs the whole table, as the op list leaves it, in the "
			  "context (SQLite rebuilds tables from it)",
			  "table \"%s\" is not in context.%s.tables", what.ptr, key);
		sd_jl_pop(L);
		sd_jl_pop(L);
		sd_jl_pop(L);
		sd_str_release(&what);
		return rc;
	}
	return 0;
}

static int load_context(loader *L, sd_migration *m, const json_t *root)
{
	static const char *const ckeys[] = { "ops", "downgrade" };
	sd_hmap up = SD_HMAP_INIT, down = SD_HMAP_INIT;
	json_t *c;
	int rc = 0;

	if (sd_jl_get_value(L, root, "context", SD_JL_REQUIRED, &c) < 0)
		return SD_EINPUT;
	sd_jl_push_key(L, "context");
	if (sd_jl_check_object(L, c, "an object", ckeys, SD_ARRAY_LEN(ckeys)) < 0 ||
	    load_direction_context(L, &m->upgrade, &up, c, "ops") < 0 ||
	    load_direction_context(L, &m->downgrade, &down, c, "downgrade") < 0)
		rc = SD_EINPUT;
	sd_jl_pop(L);
	if (!rc && (resolve_defs(L, &m->upgrade, &up, "ops") < 0 ||
		    resolve_defs(L, &m->downgrade, &down, "downgrade") < 0))
		rc = SD_EINPUT;
	sd_hmap_release(&up);
	sd_hmap_release(&down);
	return rc;
}

static const char *const top_keys[] = {
	"format", "dialect", "ops", "downgrade", "not_compared", "context"
};

static int load_top(loader *L, sd_migration *m, const json_t *root)
{
	const char *format, *dialect;
	size_t i;

	if (!json_is_object(root))
		return fail(L, false, NULL, "expected an object at the top level, got %s",
			    json_is_array(root) ? "an array" : "a scalar");
	/* The format first: a schema file given by mistake is named as such. */
	if (sd_jl_get_str(L, root, "format", SD_JL_REQUIRED, &format) < 0)
		return SD_EINPUT;
	if (strcmp(format, OPS_FORMAT) != 0) {
		sd_jl_push_key(L, "format");
		int rc = fail(L, false, strcmp(format, "schemadiff/1") == 0 ?
			      "this is a schema file; render reads an op list (schemadiff diff --format json)" :
			      strcmp(format, "schemadiff-ops/1") == 0 ?
			      "an op list of an earlier schemadiff lacks the tables SQLite rebuilds need;"
			      " write it again with schemadiff diff --format json" :
			      "this version reads \"" OPS_FORMAT "\"",
			      "unsupported format \"%s\"", format);
		sd_jl_pop(L);
		return rc;
	}
	if (sd_jl_check_object(L, root, "an object", top_keys, SD_ARRAY_LEN(top_keys)) < 0 ||
	    sd_jl_get_str(L, root, "dialect", 0, &dialect) < 0)
		return SD_EINPUT;
	if (dialect) {
		for (i = 0; i < SD_ARRAY_LEN(dialects); i++)
			if (strcmp(dialect, dialects[i]) == 0)
				break;
		if (i == SD_ARRAY_LEN(dialects)) {
			sd_jl_push_key(L, "dialect");
			int rc = fail(L, false, NULL,
				      "unknown dialect \"%s\": expected \"sqlite\" or \"postgresql\"", dialect);
			sd_jl_pop(L);
			return rc;
		}
		dialect = dialects[i];
	}
	m->dialect = dialect;
	sd_oplist_init(&m->upgrade, dialect);
	sd_oplist_init(&m->downgrade, dialect);
	if (load_oplist(L, &m->upgrade, root, "ops") < 0 ||
	    load_oplist(L, &m->downgrade, root, "downgrade") < 0 ||
	    load_not_compared(L, m, root) < 0 || load_context(L, m, root) < 0)
		return SD_EINPUT;
	return 0;
}

int sd_migration_from_json(sd_migration *m, const char *text, size_t len, const char *name,
			   sd_error *err)
{
	loader L = { 0 };
	json_error_t jerr;
	json_t *root = NULL;
	size_t i;
	int rc;

	memset(m, 0, sizeof(*m));
	if (!name)
		name = "<input>";
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
		text += 3;
		len -= 3;
	}
	for (i = 0; i < len && strchr(" \t\r\n", text[i]) && text[i]; i++)
		;
	if (i == len) {
		rc = sd_error_set_at(err, SD_EINPUT, name, 0, 0, NULL,
				     "empty file: expected a JSON op list");
		goto done;
	}
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	if (!root) {
		rc = sd_error_set_at(err, SD_EINPUT, name, jerr.line, jerr.column > 0 ? jerr.column : 1,
				     NULL, "invalid JSON: %s", jerr.text);
		goto done;
	}
	L.text = text;
	L.len = len;
	L.name = name;
	L.err = err;
	rc = load_top(&L, m, root);
done:
	sd_hmap_release(&L.tables);
	sd_hmap_release(&L.views);
	sd_hmap_release(&L.columns);
	sd_hmap_release(&L.indexes);
	json_decref(root);
	return rc;
}

int sd_migration_load_json_file(sd_migration *m, const char *path, sd_error *err)
{
	char *text = NULL;
	size_t len = 0;
	int rc;

	memset(m, 0, sizeof(*m));
	rc = sd_read_file(path, &text, &len);
	if (rc < 0) {
		rc = sd_error_set_at(err, SD_EIO, path, 0, 0, NULL, "could not read op list: %s",
				     strerror(-rc));
		goto done;
	}
	rc = sd_migration_from_json(m, text, len, path, err);
done:
	free(text);
	return rc;
}
