/*
 * ops_load.c - read a JSON op list (schemas/ops.schema.json) back into an
 * sd_migration, for `schemadiff render`.
 *
 * The embedded objects are in the schema-file shape, so they are read by
 * the schema-file loader's own streaming readers (schema_load_int.h), with
 * the same positioned errors.  The loader's schema (L->s) is switched to
 * the store of the op list being read, so every object lands in the arena
 * that owns the ops pointing at it.
 *
 * An op's meaning depends on its "op" key and an alter_column's "changes"
 * on its "existing" column, wherever they stand in the object, so the
 * containers of the op-list level (the top level, each op, "changes",
 * "context") are first passed over once to find where each member is
 * (skim), then read member by member in a fixed order (seek): the checks
 * and their precedence are those of a parse-then-validate loader, for any
 * key order.  The embedded objects are read in one streaming pass.
 *
 * The ops are read first (their errors are the ones a hand-editor makes),
 * then each direction's "context": its tables become the table_def of the
 * ops on them (one object per (schema, name) and direction, as the
 * comparator shares one), its views and triggers the op list's target
 * views and triggers.  A syntax error or duplicate key anywhere in the
 * file is reported instead of any other error.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "schemadiff/opsfile.h"
#include "load/schema_load_int.h"

typedef sd_schema_loader loader;
typedef sd_sl_pos pos;

#define OPS_FORMAT "schemadiff-ops/2"   /* what json_ops.c writes */
#define REQUIRED SD_SL_REQUIRED
#define NULLOK SD_SL_NULL
#define NONEMPTY SD_SL_NONEMPTY

static const char *const dialects[] = { "sqlite", "postgresql" };

/* ---- members: where each key's value (or each element) of a container is */

typedef struct member {
	size_t key;            /* offset in members.keys; array elements: 0 */
	pos key_at;            /* where the key is (objects) */
	pos at;                /* where the value is */
	jsonr_type type;       /* its first token */
} member;

typedef struct members {
	pos at;                /* the container */
	member *m;
	size_t n, alloc;
	sd_str keys;           /* the keys, each NUL-terminated */
} members;

#define MEMBERS_INIT { { 0, 0 }, NULL, 0, 0, SD_STR_INIT }

static void members_release(members *ix)
{
	free(ix->m);
	sd_str_release(&ix->keys);
}

static const char *member_key(const members *ix, const member *m)
{
	return ix->keys.ptr + m->key;
}

static const member *find(const members *ix, const char *key, size_t len)
{
	for (size_t i = 0; i < ix->n; i++) {
		const char *k = member_key(ix, &ix->m[i]);
		if (strncmp(k, key, len) == 0 && k[len] == '\0')
			return &ix->m[i];
	}
	return NULL;
}

static const member *findz(const members *ix, const char *key)
{
	return find(ix, key, strlen(key));
}

/* Skip the rest of the value whose first token is current. */
static int skip(loader *L)
{
	size_t depth = 0;

	for (;;) {
		if (L->tok.type == JSONR_OBJECT || L->tok.type == JSONR_ARRAY)
			depth++;
		else if (L->tok.type == JSONR_OBJECT_END || L->tok.type == JSONR_ARRAY_END)
			depth--;
		if (depth == 0)
			return 0;
		if (sd_sl_next(L) < 0)
			return SD_EINPUT;
	}
}

/*
 * Pass over the object or array whose first token is current, recording
 * where each member is into *ix (reset first).  A repeated key is an error.
 */
static int skim(loader *L, members *ix)
{
	bool obj = L->tok.type == JSONR_OBJECT;

	ix->at = sd_sl_here(L);
	ix->n = 0;
	sd_str_reset(&ix->keys);
	for (;;) {
		member m = { 0 };

		if (sd_sl_next(L) < 0)
			return SD_EINPUT;
		if (L->tok.type == JSONR_OBJECT_END || L->tok.type == JSONR_ARRAY_END)
			return 0;
		if (obj) {
			m.key_at = sd_sl_here(L);
			if (find(ix, L->tok.str, L->tok.len))
				return sd_sl_duplicate_key(L, m.key_at, L->tok.str, L->tok.len);
			m.key = ix->keys.len;
			sd_str_addn(&ix->keys, L->tok.str, L->tok.len);
			sd_str_addch(&ix->keys, '\0');
			if (sd_sl_next(L) < 0)
				return SD_EINPUT;
		}
		m.at = sd_sl_here(L);
		m.type = L->tok.type;
		SD_GROW(ix->m, ix->n + 1, ix->alloc);
		ix->m[ix->n++] = m;
		if (skip(L) < 0)
			return SD_EINPUT;
	}
}

/* The object whose first token is current, skimmed; what names it in a type error. */
static int skim_object(loader *L, members *ix, const char *what)
{
	if (L->tok.type != JSONR_OBJECT)
		return sd_sl_fail_type(L, what);
	return skim(L, ix);
}

/* Every key of the object ix must be one of keys[0..n) (the current path is ix). */
static int check_keys(loader *L, const members *ix, const char *const *keys, size_t n)
{
	for (size_t i = 0; i < ix->n; i++) {
		const char *k = member_key(ix, &ix->m[i]);
		size_t j;

		for (j = 0; j < n; j++)
			if (strcmp(k, keys[j]) == 0)
				break;
		if (j == n)
			return sd_sl_unknown_key(L, ix->m[i].key_at, k, strlen(k), keys, n);
	}
	return 0;
}

/*
 * The value of key in the object ix: 1 with its first token current and
 * key pushed on the path (the caller pops), 0 when absent (or null and
 * optional), SD_EINPUT when a required key is missing.
 */
static int get(loader *L, const members *ix, const char *key, unsigned flags)
{
	const member *m = findz(ix, key);

	if (!m)
		return (flags & REQUIRED) ? sd_sl_missing(L, ix->at, key) : 0;
	if (m->type == JSONR_NULL && !(flags & REQUIRED))
		return 0;
	sd_sl_push_key(L, key);
	if (sd_sl_seek(L, m->at) < 0) {
		sd_sl_pop(L);
		return SD_EINPUT;
	}
	return 1;
}

/* A string value, in place: as get(), and 1 only when L->tok is the string. */
static int get_tok_str(loader *L, const members *ix, const char *key, unsigned flags)
{
	int rc = get(L, ix, key, flags);

	if (rc <= 0)
		return rc;
	rc = sd_sl_want_str(L, flags);
	if (rc <= 0)
		sd_sl_pop(L);
	return rc;
}

/* A string value copied into L->s (*out NULL when absent or null). */
static int get_str(loader *L, const members *ix, const char *key, unsigned flags,
		   const char **out)
{
	int rc = get(L, ix, key, flags);

	*out = NULL;
	if (rc <= 0)
		return rc;
	rc = sd_sl_read_str(L, flags, out);
	sd_sl_pop(L);
	return rc;
}

static int get_bool(loader *L, const members *ix, const char *key, bool *out)
{
	int rc = get(L, ix, key, 0);

	if (rc <= 0)
		return rc;
	rc = sd_sl_read_bool(L, out);
	sd_sl_pop(L);
	return rc;
}

/* An array value skimmed into *arr: as get(), 1 with the key pushed. */
static int get_array(loader *L, const members *ix, const char *key, unsigned flags,
		     members *arr)
{
	int rc = get(L, ix, key, flags);

	if (rc <= 0)
		return rc;
	if (L->tok.type != JSONR_ARRAY)
		rc = sd_sl_fail_type(L, (flags & REQUIRED) ? "an array" : "an array or null");
	else
		rc = skim(L, arr) < 0 ? SD_EINPUT : 1;
	if (rc < 0)
		sd_sl_pop(L);
	return rc;
}

/* Report at the value of key (present in ix), naming path.key. */
static int fail_member(loader *L, const members *ix, const char *key, const char *hint,
		       const char *fmt, ...) SD_PRINTF(5, 6);
static int fail_member(loader *L, const members *ix, const char *key, const char *hint,
		       const char *fmt, ...)
{
	sd_str msg = SD_STR_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	sd_str_vaddf(&msg, fmt, ap);
	va_end(ap);
	sd_sl_push_key(L, key);
	rc = sd_sl_fail_at(L, findz(ix, key)->at, hint, "%s", msg.ptr);
	sd_sl_pop(L);
	sd_str_release(&msg);
	return rc;
}

/* ix[key] (required) as a schema-file object of kind into *out, at path .key. */
static int get_object(loader *L, const members *ix, const char *key, sd_obj_kind kind,
		      const char *table, void **out, pos *name_at)
{
	int rc;

	*out = NULL;
	if (get(L, ix, key, REQUIRED) < 0)
		return SD_EINPUT;
	if (L->tok.type != JSONR_OBJECT)
		rc = sd_sl_fail_type(L, "an object");
	else
		rc = sd_sl_read_object(L, kind, table, out, name_at);
	sd_sl_pop(L);
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
static const char *const generated_keys[] = { "expression", "stored" };

/* A change value as the column fields it stands for (strings in L->s). */
typedef struct cval {
	const char *str;        /* type, server_default, comment, collation; generated expr */
	bool flag;              /* nullable; generated stored */
	sd_autoinc autoinc;
} cval;

/* A "generated" change value: an object or null (current token). */
static int read_generated(loader *L, cval *v)
{
	members g = MEMBERS_INIT;
	int rc = 0;

	if (L->tok.type == JSONR_NULL)
		return 0;
	if (skim_object(L, &g, "an object or null") < 0 ||
	    check_keys(L, &g, generated_keys, SD_ARRAY_LEN(generated_keys)) < 0 ||
	    get_str(L, &g, "expression", REQUIRED | NONEMPTY, &v->str) < 0 ||
	    get_bool(L, &g, "stored", &v->flag) < 0)
		rc = SD_EINPUT;
	members_release(&g);
	return rc;
}

/* Parse the value at ft[key] for change i into *v (the current path is ft). */
static int read_cval(loader *L, const members *ft, const char *key, size_t i, cval *v)
{
	jsonr_type t;
	int rc = 0;

	memset(v, 0, sizeof(*v));
	if (get(L, ft, key, REQUIRED | NULLOK) < 0)
		return SD_EINPUT;
	t = L->tok.type;
	switch (change_bits[i]) {
	case SD_CHANGE_NULLABLE:
		if (t != JSONR_TRUE && t != JSONR_FALSE)
			rc = sd_sl_fail_type(L, "a boolean");
		else
			v->flag = t == JSONR_TRUE;
		break;
	case SD_CHANGE_AUTOINCREMENT:
		if (t == JSONR_TRUE)
			v->autoinc = SD_AUTOINC_TRUE;
		else if (t == JSONR_FALSE)
			v->autoinc = SD_AUTOINC_FALSE;
		else if (t == JSONR_STRING && L->tok.len == 4 && memcmp(L->tok.str, "auto", 4) == 0)
			v->autoinc = SD_AUTOINC_AUTO;
		else
			rc = sd_sl_fail_type(L, "true, false or \"auto\"");
		break;
	case SD_CHANGE_GENERATED:
		rc = read_generated(L, v);
		break;
	default:
		rc = sd_sl_read_str(L, 0, &v->str);
		break;
	}
	sd_sl_pop(L);
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

/* Set change i of column c to v (whose strings are in c's arena already). */
static void cval_apply(sd_column *c, size_t i, const cval *v)
{
	switch (change_bits[i]) {
	case SD_CHANGE_TYPE: c->type = v->str; break;
	case SD_CHANGE_NULLABLE: c->nullable = v->flag; break;
	case SD_CHANGE_DEFAULT: c->server_default = v->str; break;
	case SD_CHANGE_COMMENT: c->comment = v->str; break;
	case SD_CHANGE_AUTOINCREMENT: c->autoincrement = v->autoinc; break;
	case SD_CHANGE_GENERATED:
		c->generated = v->str;
		c->generated_stored = v->str && v->flag;
		break;
	case SD_CHANGE_COLLATION: c->collation = v->str; break;
	}
}

/* One change, ch[change_keys[i]] (current): checked against op->old_column, applied to after. */
static int load_change(loader *L, sd_op *op, size_t i, sd_column *after)
{
	members ft = MEMBERS_INIT;
	cval from, to;
	int rc = 0;

	if (skim_object(L, &ft, "an object") < 0 ||
	    check_keys(L, &ft, from_to_keys, SD_ARRAY_LEN(from_to_keys)) < 0 ||
	    read_cval(L, &ft, "from", i, &from) < 0 || read_cval(L, &ft, "to", i, &to) < 0) {
		rc = SD_EINPUT;
	} else if (!cval_matches(op->old_column, i, &from)) {
		rc = fail_member(L, &ft, "from",
				 "an alter_column's \"from\" values are the \"existing\" column's",
				 "\"from\" does not match the existing column's %s", change_keys[i]);
	} else {
		cval_apply(after, i, &to);
		op->changes |= change_bits[i];
	}
	members_release(&ft);
	return rc;
}

/*
 * "changes" of an alter_column, applied to a copy of the existing column:
 * op->old_column = existing, op->column = the copy after the changes.
 */
static int load_changes(loader *L, const members *o, sd_op *op)
{
	members ch = MEMBERS_INIT;
	sd_column *after;
	int rc = 0;

	if (get(L, o, "changes", REQUIRED) < 0)
		return SD_EINPUT;
	if (skim_object(L, &ch, "an object") < 0 ||
	    check_keys(L, &ch, change_keys, SD_ARRAY_LEN(change_keys)) < 0) {
		rc = SD_EINPUT;
		goto done;
	}
	if (ch.n == 0) {
		rc = sd_sl_fail_at(L, ch.at, NULL, "expected at least one change");
		goto done;
	}
	after = sd_column_copy(L->s, op->old_column);
	for (size_t i = 0; i < SD_ARRAY_LEN(change_keys); i++) {
		if (!findz(&ch, change_keys[i]))
			continue;
		if (get(L, &ch, change_keys[i], REQUIRED) < 0)
			break;
		rc = load_change(L, op, i, after);
		sd_sl_pop(L);
		if (rc)
			goto done;
	}
	op->column = after;
done:
	members_release(&ch);
	sd_sl_pop(L);
	return rc;
}

/* ---- one op ------------------------------------------------------------ */

static const char *const common_keys[] = {
	"op", "table", "schema", "destructive", "reason", "long_lock"
};

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
	static const char *const k_enum[] = { "enum" };
	static const char *const k_enum_value[] = { "enum", "value", "before", "after" };
	static const char *const k_seq[] = { "sequence" };
	static const char *const k_alter_seq[] = { "sequence", "existing" };

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
	case SD_OP_CREATE_ENUM:
	case SD_OP_DROP_ENUM: return KEYS(k_enum);
	case SD_OP_ADD_ENUM_VALUE: return KEYS(k_enum_value);
	case SD_OP_CREATE_SEQUENCE:
	case SD_OP_DROP_SEQUENCE: return KEYS(k_seq);
	case SD_OP_ALTER_SEQUENCE: return KEYS(k_alter_seq);
	case SD_OP__COUNT: break;
	}
#undef KEYS
	*n = 0;
	return NULL;
}

/* The constraint of a create_* or drop_constraint op, of type t. */
static int load_constraint(loader *L, const members *o, sd_op *op, sd_constraint_type t)
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
	if (get_object(L, o, "constraint", kinds[t], op->table, &obj, NULL) < 0)
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

static int load_view_op(loader *L, const members *o, sd_op *op)
{
	void *obj;

	if (get_object(L, o, "view", SD_OBJ_VIEW, NULL, &obj, NULL) < 0)
		return SD_EINPUT;
	op->view = obj;
	if (op->schema && !sd_streq(op->schema, op->view->schema))
		return fail_member(L, o, "view", NULL, "the view's schema differs from the op's \"schema\"");
	op->table = op->view->name;
	op->schema = op->view->schema;
	return 0;
}

static bool enum_has(const sd_enum *e, const char *v)
{
	for (size_t i = 0; i < e->nvalues; i++)
		if (strcmp(e->values[i], v) == 0)
			return true;
	return false;
}

static int same_table(loader *L, const char *key, pos name_at, const char *have, const char *want);

/*
 * create_enum, drop_enum, add_enum_value: "enum" (named as the op's
 * "table", in its "schema"); add_enum_value: "value" of the enum (the
 * enum after the op) and at most one of "before" / "after", another value.
 */
static int load_enum_op(loader *L, const members *o, sd_op *op)
{
	const char *after = NULL;
	void *obj;
	pos name_at;

	if (get_object(L, o, "enum", SD_OBJ_ENUM, NULL, &obj, &name_at) < 0)
		return SD_EINPUT;
	op->enum_def = obj;
	if (same_table(L, "enum", name_at, op->enum_def->name, op->table) < 0)
		return SD_EINPUT;
	if (!sd_streq(op->enum_def->schema, op->schema))
		return fail_member(L, o, "enum", NULL, "the enum's schema differs from the op's \"schema\"");
	if (op->kind != SD_OP_ADD_ENUM_VALUE)
		return 0;
	if (get_str(L, o, "value", REQUIRED, &op->value) < 0 ||
	    get_str(L, o, "before", 0, &op->neighbor) < 0 || get_str(L, o, "after", 0, &after) < 0)
		return SD_EINPUT;
	if (!enum_has(op->enum_def, op->value))
		return fail_member(L, o, "value", NULL, "value \"%s\" is not one of the enum's values",
				   op->value);
	if (op->neighbor && after)
		return fail_member(L, o, "after", NULL, "an add_enum_value has \"before\" or \"after\", "
				   "not both");
	op->before = op->neighbor != NULL;
	if (after)
		op->neighbor = after;
	if (op->neighbor && (!enum_has(op->enum_def, op->neighbor) ||
			     strcmp(op->neighbor, op->value) == 0))
		return fail_member(L, o, op->before ? "before" : "after", NULL,
				   "\"%s\" is not another of the enum's values", op->neighbor);
	return 0;
}

/* create/drop/alter_sequence: "sequence" (named as the op's "table"); alter: "existing" too. */
static int load_sequence_op(loader *L, const members *o, sd_op *op)
{
	void *obj;
	pos name_at;

	if (get_object(L, o, "sequence", SD_OBJ_SEQUENCE, NULL, &obj, &name_at) < 0)
		return SD_EINPUT;
	op->sequence = obj;
	if (same_table(L, "sequence", name_at, op->sequence->name, op->table) < 0)
		return SD_EINPUT;
	if (!sd_streq(op->sequence->schema, op->schema))
		return fail_member(L, o, "sequence", NULL,
				   "the sequence's schema differs from the op's \"schema\"");
	if (op->kind != SD_OP_ALTER_SEQUENCE)
		return 0;
	if (get_object(L, o, "existing", SD_OBJ_SEQUENCE, NULL, &obj, &name_at) < 0)
		return SD_EINPUT;
	op->old_sequence = obj;
	if (same_table(L, "existing", name_at, op->old_sequence->name, op->table) < 0)
		return SD_EINPUT;
	if (!sd_streq(op->old_sequence->schema, op->schema))
		return fail_member(L, o, "existing", NULL,
				   "the existing sequence's schema differs from the op's \"schema\"");
	return 0;
}

/* The name (at name_at) of what the op's object calls itself must be the op's "table". */
static int same_table(loader *L, const char *key, pos name_at, const char *have, const char *want)
{
	int rc;

	if (sd_streq(have, want))
		return 0;
	sd_sl_push_key(L, key);
	sd_sl_push_key(L, "name");
	rc = sd_sl_fail_at(L, name_at, NULL, "name \"%s\" differs from the op's table \"%s\"", have,
			   want);
	sd_sl_pop(L);
	sd_sl_pop(L);
	return rc;
}

/* The kind-specific members of op (of kind), from the op object o. */
static int load_op_body(loader *L, const members *o, sd_op *op, sd_op_kind kind)
{
	static const char *const ctypes[] = { "unique", "foreignkey", "check", "primary" };
	static const sd_constraint_type ctype_vals[] = {
		SD_CONSTRAINT_UNIQUE, SD_CONSTRAINT_FOREIGN_KEY, SD_CONSTRAINT_CHECK,
		SD_CONSTRAINT_PRIMARY
	};
	const char *s;
	void *obj;
	pos name_at;

	switch (kind) {
	case SD_OP_CREATE_TABLE:
	case SD_OP_DROP_TABLE:
		if (get_object(L, o, "definition", SD_OBJ_TABLE, NULL, &obj, &name_at) < 0)
			return SD_EINPUT;
		op->table_def = obj;
		if (same_table(L, "definition", name_at, op->table_def->name, op->table) < 0)
			return SD_EINPUT;
		if (!sd_streq(op->table_def->schema, op->schema))
			return fail_member(L, o, "definition", NULL,
					   "the table's schema differs from the op's \"schema\"");
		return 0;
	case SD_OP_ADD_COLUMN:
	case SD_OP_DROP_COLUMN:
		if (get_object(L, o, "column", SD_OBJ_COLUMN, op->table, &obj, NULL) < 0)
			return SD_EINPUT;
		op->column = obj;
		return 0;
	case SD_OP_ALTER_COLUMN:
		if (get_str(L, o, "column", REQUIRED | NONEMPTY, &s) < 0 ||
		    get_object(L, o, "existing", SD_OBJ_COLUMN, op->table, &obj, &name_at) < 0)
			return SD_EINPUT;
		op->old_column = obj;
		if (!sd_streq(s, op->old_column->name)) {
			int rc;

			sd_sl_push_key(L, "existing");
			sd_sl_push_key(L, "name");
			rc = sd_sl_fail_at(L, name_at, NULL, "name \"%s\" differs from the op's column \"%s\"",
					   op->old_column->name, s);
			sd_sl_pop(L);
			sd_sl_pop(L);
			return rc;
		}
		return load_changes(L, o, op);
	case SD_OP_CREATE_INDEX:
	case SD_OP_DROP_INDEX:
		if (get_object(L, o, "index", SD_OBJ_INDEX, op->table, &obj, NULL) < 0)
			return SD_EINPUT;
		op->index = obj;
		return 0;
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

		if (get_str(L, o, "constraint_type", REQUIRED | NONEMPTY, &s) < 0)
			return SD_EINPUT;
		for (i = 0; i < SD_ARRAY_LEN(ctypes); i++)
			if (strcmp(s, ctypes[i]) == 0)
				break;
		if (i == SD_ARRAY_LEN(ctypes))
			return fail_member(L, o, "constraint_type", NULL,
					   "invalid value \"%s\": expected one of \"unique\", "
					   "\"foreignkey\", \"check\", \"primary\"", s);
		return load_constraint(L, o, op, ctype_vals[i]);
	}
	case SD_OP_CREATE_TABLE_COMMENT:
	case SD_OP_DROP_TABLE_COMMENT: {
		bool create = kind == SD_OP_CREATE_TABLE_COMMENT;

		if (get_str(L, o, "comment", create ? REQUIRED : REQUIRED | NULLOK, &op->comment) < 0 ||
		    get_str(L, o, "existing_comment", REQUIRED | NULLOK, &op->old_comment) < 0)
			return SD_EINPUT;
		if (!create && op->comment)
			return fail_member(L, o, "comment", NULL,
					   "a drop_table_comment op has \"comment\": null");
		return 0;
	}
	case SD_OP_CREATE_VIEW:
	case SD_OP_DROP_VIEW:
		return load_view_op(L, o, op);
	case SD_OP_CREATE_ENUM:
	case SD_OP_DROP_ENUM:
	case SD_OP_ADD_ENUM_VALUE:
		return load_enum_op(L, o, op);
	case SD_OP_CREATE_SEQUENCE:
	case SD_OP_DROP_SEQUENCE:
	case SD_OP_ALTER_SEQUENCE:
		return load_sequence_op(L, o, op);
	case SD_OP__COUNT:
		break;
	}
	return 0;
}

/* The op whose first token is current, appended to l; *table_at: where its "table" is. */
static int load_op(loader *L, sd_oplist *l, pos *table_at)
{
	const char *keys[SD_ARRAY_LEN(common_keys) + 4];
	const char *const *extra;
	const char *name, *table = NULL, *schema = NULL, *reason = NULL, *lock_why = NULL;
	members o = MEMBERS_INIT;
	size_t nextra, nkeys = 0;
	bool destructive = false, is_view;
	sd_op *op;
	int kind, rc = SD_EINPUT;

	*table_at = sd_sl_here(L);
	if (skim_object(L, &o, "an op (object)") < 0 ||
	    get_str(L, &o, "op", REQUIRED | NONEMPTY, &name) < 0)
		goto done;
	kind = sd_op_kind_from_name(name);
	if (kind < 0) {
		rc = fail_member(L, &o, "op", "see schemas/ops.schema.json for the op names",
				 "unknown op \"%s\"", name);
		goto done;
	}
	is_view = kind == SD_OP_CREATE_VIEW || kind == SD_OP_DROP_VIEW;
	for (size_t i = 0; i < SD_ARRAY_LEN(common_keys); i++)
		if (!is_view || strcmp(common_keys[i], "table") != 0) /* a view op names its view in "view" */
			keys[nkeys++] = common_keys[i];
	extra = kind_keys((sd_op_kind)kind, &nextra);
	for (size_t i = 0; i < nextra; i++)
		keys[nkeys++] = extra[i];
	if (check_keys(L, &o, keys, nkeys) < 0 ||
	    (!is_view && get_str(L, &o, "table", REQUIRED | NONEMPTY, &table) < 0) ||
	    get_str(L, &o, "schema", NONEMPTY, &schema) < 0 ||
	    get_bool(L, &o, "destructive", &destructive) < 0 ||
	    get_str(L, &o, "reason", 0, &reason) < 0 ||
	    get_str(L, &o, "long_lock", 0, &lock_why) < 0)
		goto done;
	if (table)
		*table_at = findz(&o, "table")->at;
	op = sd_oplist_push(l, (sd_op_kind)kind, schema, table);
	op->destructive = destructive;
	op->why = reason;
	op->long_lock = lock_why != NULL;
	op->lock_why = lock_why;
	rc = load_op_body(L, &o, op, (sd_op_kind)kind);
done:
	members_release(&o);
	return rc;
}

/* One direction: its op list, and where each op's "table" is (for resolve_defs). */
typedef struct direction {
	sd_oplist *l;
	const char *key;        /* "ops" or "downgrade" */
	pos *table_at;          /* per op */
	sd_hmap defs;           /* def_key -> context table */
} direction;

static int load_oplist(loader *L, direction *d, const members *top)
{
	members a = MEMBERS_INIT;
	int rc = 0;

	if (get_array(L, top, d->key, REQUIRED, &a) < 0)
		return SD_EINPUT;
	L->s = d->l->store;
	d->table_at = xcalloc(a.n ? a.n : 1, sizeof(*d->table_at));
	for (size_t i = 0; i < a.n && rc == 0; i++) {
		sd_sl_push_index(L, i);
		rc = sd_sl_seek(L, a.m[i].at);
		if (rc == 0)
			rc = load_op(L, d->l, &d->table_at[i]);
		sd_sl_pop(L);
	}
	sd_sl_pop(L);
	members_release(&a);
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
	[SD_OBJ_ENUM] = "enums",
	[SD_OBJ_SEQUENCE] = "sequences",
	[SD_OBJ_MATERIALIZED_VIEW] = "materialized_views",
	[SD_OBJ_EXCLUSION] = "exclusion_constraints",
	[SD_OBJ_PARTITION] = "partitions",
	[SD_OBJ_DOMAIN] = "domains",
	[SD_OBJ_TYPE] = "types",
	[SD_OBJ_FUNCTION] = "functions",
	[SD_OBJ_EXTENSION] = "extensions",
	[SD_OBJ_FOREIGN_TABLE] = "foreign_tables",
};
_Static_assert(SD_ARRAY_LEN(kind_key) == SD_OBJ__COUNT, "kind_key covers sd_obj_kind");

/* The count at the current token ("a count (integer >= 0)"). */
static int read_count(loader *L, size_t *out)
{
	char buf[32];
	long long v;

	if (L->tok.type != JSONR_INTEGER || L->tok.len >= sizeof(buf))
		return sd_sl_fail_type(L, "a count (integer >= 0)");
	memcpy(buf, L->tok.str, L->tok.len);
	buf[L->tok.len] = '\0';
	errno = 0;
	v = strtoll(buf, NULL, 10);
	if (errno || v < 0)
		return sd_sl_fail_type(L, "a count (integer >= 0)");
	*out = (size_t)v;
	return 0;
}

static int load_not_compared(loader *L, sd_migration *m, const members *top)
{
	members o = MEMBERS_INIT;
	int rc;

	rc = get(L, top, "not_compared", 0);
	if (rc <= 0)
		return rc;
	rc = skim_object(L, &o, "an object");
	for (size_t j = 0; j < o.n && rc == 0; j++) {
		const char *k = member_key(&o, &o.m[j]);
		size_t i, n = 0;

		for (i = 0; i < SD_OBJ__COUNT; i++)
			if (strcmp(k, kind_key[i]) == 0)
				break;
		if (i == SD_OBJ__COUNT && strcmp(k, "other") != 0) {
			rc = sd_sl_fail_at(L, o.m[j].key_at, NULL, "unknown key \"%s\"", k);
			break;
		}
		sd_sl_push_key(L, k);
		rc = sd_sl_seek(L, o.m[j].at);
		if (rc == 0)
			rc = read_count(L, &n);
		sd_sl_pop(L);
		if (rc == 0 && i < SD_OBJ__COUNT)
			m->unsupported_by_kind[i] = n;
		m->unsupported_seen += n;
	}
	members_release(&o);
	sd_sl_pop(L);
	return rc;
}

/* ---- "context" --------------------------------------------------------- */

static const char *def_key(sd_schema *s, const char *schema, const char *name)
{
	return sd_arena_printf(s->arena, "%s\x1f%s", schema ? schema : "", name ? name : "");
}

/* Read one item of a direction's context list (the current token) into d. */
typedef int (*context_item_fn)(loader *L, direction *d);

/* A context table into d->defs; no duplicates. */
static int item_table(loader *L, direction *d)
{
	sd_table *t;
	void *obj;
	pos name_at;
	sd_str what = SD_STR_INIT;
	int rc;

	if (L->tok.type != JSONR_OBJECT)
		return sd_sl_fail_type(L, "an object");
	if (sd_sl_read_object(L, SD_OBJ_TABLE, NULL, &obj, &name_at) < 0)
		return SD_EINPUT;
	t = obj;
	if (!sd_hmap_puts(&d->defs, def_key(d->l->store, t->schema, t->name), t))
		return 0;
	sd_qualified_name(&what, t->schema, t->name);
	sd_sl_push_key(L, "name");
	rc = sd_sl_fail_at(L, name_at, NULL,
			   "duplicate table \"%s\": the context holds each table once", what.ptr);
	sd_sl_pop(L);
	sd_str_release(&what);
	return rc;
}

static int item_view(loader *L, direction *d)
{
	void *obj;

	if (sd_sl_read_object(L, SD_OBJ_VIEW, NULL, &obj, NULL) < 0)
		return SD_EINPUT;
	sd_arena_push(d->l->store->arena, (void ***)&d->l->target_views, &d->l->ntarget_views, obj);
	return 0;
}

static int item_trigger(loader *L, direction *d)
{
	void *obj;

	if (sd_sl_read_object(L, SD_OBJ_TRIGGER, NULL, &obj, NULL) < 0)
		return SD_EINPUT;
	sd_arena_push(d->l->store->arena, (void ***)&d->l->target_triggers,
		      &d->l->ntarget_triggers, obj);
	return 0;
}

static int load_context_list(loader *L, direction *d, const members *o, const char *key,
			     context_item_fn fn)
{
	members a = MEMBERS_INIT;
	int rc = 0;

	if (get_array(L, o, key, REQUIRED, &a) < 0)
		return SD_EINPUT;
	for (size_t i = 0; i < a.n && rc == 0; i++) {
		sd_sl_push_index(L, i);
		rc = sd_sl_seek(L, a.m[i].at);
		if (rc == 0)
			rc = fn(L, d);
		sd_sl_pop(L);
	}
	sd_sl_pop(L);
	members_release(&a);
	return rc;
}

/* Does an op of kind k take its table_def from the context? (Not the ops on whole objects.) */
static bool takes_context_def(sd_op_kind k)
{
	switch (k) {
	case SD_OP_CREATE_TABLE:
	case SD_OP_DROP_TABLE:
	case SD_OP_CREATE_VIEW:
	case SD_OP_DROP_VIEW:
	case SD_OP_CREATE_ENUM:
	case SD_OP_DROP_ENUM:
	case SD_OP_ADD_ENUM_VALUE:
	case SD_OP_CREATE_SEQUENCE:
	case SD_OP_DROP_SEQUENCE:
	case SD_OP_ALTER_SEQUENCE:
		return false;
	default:
		return true;
	}
}

/* context[d->key] (the current path is "context"): tables into d->defs, views and triggers into d->l. */
static int load_direction_context(loader *L, direction *d, const members *context)
{
	static const char *const dkeys[] = { "tables", "target_views", "target_triggers" };
	members o = MEMBERS_INIT;
	int rc = 0;

	if (get(L, context, d->key, REQUIRED) < 0)
		return SD_EINPUT;
	L->s = d->l->store;
	if (skim_object(L, &o, "an object") < 0 ||
	    check_keys(L, &o, dkeys, SD_ARRAY_LEN(dkeys)) < 0 ||
	    load_context_list(L, d, &o, "tables", item_table) < 0 ||
	    load_context_list(L, d, &o, "target_views", item_view) < 0 ||
	    load_context_list(L, d, &o, "target_triggers", item_trigger) < 0)
		rc = SD_EINPUT;
	members_release(&o);
	sd_sl_pop(L);
	return rc;
}

/*
 * The table_def of every op of d that takes one, from d->defs: the same
 * object for all ops of a table.  An op whose table the context lacks is
 * an error at the op's "table".
 */
static int resolve_defs(loader *L, direction *d)
{
	sd_oplist *l = d->l;

	for (size_t i = 0; i < l->n; i++) {
		sd_op *op = &l->ops[i];
		sd_str what = SD_STR_INIT;
		int rc;

		if (!takes_context_def(op->kind))
			continue;
		op->table_def = sd_hmap_gets(&d->defs, def_key(l->store, op->schema, op->table));
		if (op->table_def)
			continue;
		sd_qualified_name(&what, op->schema, op->table);
		sd_sl_push_key(L, d->key);
		sd_sl_push_index(L, i);
		sd_sl_push_key(L, "table");
		rc = sd_sl_fail_at(L, d->table_at[i],
				   "an op on a table needs the whole table, as the op list leaves it, in the "
				   "context (SQLite rebuilds tables from it)",
				   "table \"%s\" is not in context.%s.tables", what.ptr, d->key);
		sd_sl_pop(L);
		sd_sl_pop(L);
		sd_sl_pop(L);
		sd_str_release(&what);
		return rc;
	}
	return 0;
}

static int load_context(loader *L, direction *up, direction *down, const members *top)
{
	static const char *const ckeys[] = { "ops", "downgrade" };
	members c = MEMBERS_INIT;
	int rc = 0;

	if (get(L, top, "context", REQUIRED) < 0)
		return SD_EINPUT;
	if (skim_object(L, &c, "an object") < 0 ||
	    check_keys(L, &c, ckeys, SD_ARRAY_LEN(ckeys)) < 0 ||
	    load_direction_context(L, up, &c) < 0 || load_direction_context(L, down, &c) < 0)
		rc = SD_EINPUT;
	members_release(&c);
	sd_sl_pop(L);
	if (!rc && (resolve_defs(L, up) < 0 || resolve_defs(L, down) < 0))
		rc = SD_EINPUT;
	return rc;
}

static const char *const top_keys[] = {
	"format", "dialect", "ops", "downgrade", "not_compared", "context"
};

/* The format first: a schema file given by mistake is named as such. */
static int check_format(loader *L, const members *top)
{
	int rc = get_tok_str(L, top, "format", REQUIRED);
	const char *hint;

	if (rc <= 0)
		return rc;
	if (L->tok.len == strlen(OPS_FORMAT) && memcmp(L->tok.str, OPS_FORMAT, L->tok.len) == 0) {
		sd_sl_pop(L);
		return 0;
	}
	if (L->tok.len == 12 && memcmp(L->tok.str, "schemadiff/1", 12) == 0)
		hint = "this is a schema file; render reads an op list (schemadiff diff --format json)";
	else if (L->tok.len == 16 && memcmp(L->tok.str, "schemadiff-ops/1", 16) == 0)
		hint = "an op list of an earlier schemadiff lacks the tables SQLite rebuilds need;"
		       " write it again with schemadiff diff --format json";
	else
		hint = "this version reads \"" OPS_FORMAT "\"";
	rc = sd_sl_fail_at(L, sd_sl_here(L), hint, "unsupported format \"%.*s\"", (int)L->tok.len,
			   L->tok.str);
	sd_sl_pop(L);
	return rc;
}

static int load_top(loader *L, sd_migration *m, direction *up, direction *down)
{
	members top = MEMBERS_INIT;
	const char *dialect = NULL;
	int rc = SD_EINPUT;

	if (sd_sl_next(L) < 0)
		return SD_EINPUT;
	if (L->tok.type != JSONR_OBJECT)
		return sd_sl_fail_at(L, sd_sl_here(L), NULL,
				     "expected an object at the top level, got %s",
				     L->tok.type == JSONR_ARRAY ? "an array" : "a scalar");
	/* the whole document is passed over once: nothing may follow the object */
	if (skim(L, &top) < 0 || sd_sl_next(L) < 0 || check_format(L, &top) < 0 ||
	    check_keys(L, &top, top_keys, SD_ARRAY_LEN(top_keys)) < 0)
		goto done;
	rc = get_tok_str(L, &top, "dialect", 0);
	if (rc < 0)
		goto done;
	if (rc > 0) {
		size_t i;

		for (i = 0; i < SD_ARRAY_LEN(dialects); i++)
			if (L->tok.len == strlen(dialects[i]) &&
			    memcmp(L->tok.str, dialects[i], L->tok.len) == 0)
				break;
		if (i == SD_ARRAY_LEN(dialects)) {
			rc = sd_sl_fail_at(L, sd_sl_here(L), NULL,
					   "unknown dialect \"%.*s\": expected \"sqlite\" or \"postgresql\"",
					   (int)L->tok.len, L->tok.str);
			sd_sl_pop(L);
			goto done;
		}
		sd_sl_pop(L);
		dialect = dialects[i];
	}
	m->dialect = dialect;
	L->dialect = dialect;
	sd_oplist_init(&m->upgrade, dialect);
	sd_oplist_init(&m->downgrade, dialect);
	rc = SD_EINPUT;
	if (load_oplist(L, up, &top) < 0 || load_oplist(L, down, &top) < 0 ||
	    load_not_compared(L, m, &top) < 0 || load_context(L, up, down, &top) < 0)
		goto done;
	rc = 0;
done:
	members_release(&top);
	return rc;
}

int sd_migration_from_json(sd_migration *m, const char *text, size_t len, const char *name,
			   sd_error *err)
{
	loader L;
	sd_error mine = SD_ERROR_INIT;
	direction up = { &m->upgrade, "ops", NULL, SD_HMAP_INIT };
	direction down = { &m->downgrade, "downgrade", NULL, SD_HMAP_INIT };
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
	if (i == len)
		return sd_error_set_at(err, SD_EINPUT, name, 0, 0, NULL,
				       "empty file: expected a JSON op list");
	sd_sl_init(&L, NULL, text, len, name, &mine);
	rc = load_top(&L, m, &up, &down);
	sd_sl_release(&L);
	if (rc < 0) {
		/* A syntax error or duplicate key anywhere wins, as in parse-then-validate. */
		if (sd_json_first_error(text, len, name, err) < 0)
			sd_error_clear(&mine);
		else if (err && err->code == 0)
			*err = mine;
		else
			sd_error_clear(&mine);
	}
	free(up.table_at);
	free(down.table_at);
	sd_hmap_release(&up.defs);
	sd_hmap_release(&down.defs);
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
