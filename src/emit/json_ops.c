/*
 * json_ops.c - the JSON op list ("json"), described by schemas/ops.schema.json:
 *
 *   {"format": "schemadiff-ops/2", "dialect": "sqlite",
 *    "ops": [...], "downgrade": [...], "not_compared": {"triggers": 2},
 *    "context": {"ops": {"tables": [...], "target_views": [...],
 *                        "target_triggers": [...]},
 *                "downgrade": {...}}}
 *
 * Each op carries what it changes; "context" carries, once per direction,
 * what a SQLite copy-and-move rebuild needs besides: the whole table each
 * table op works on (op->table_def, one per (schema, name); create_table and
 * drop_table keep theirs in "definition") and the direction's target views
 * and triggers.  Tables, columns, indexes, constraints, views and triggers
 * are embedded in exactly the schema-file shape (the sd_json_from_* builders
 * of schemafile.h).  Output is deterministic: fixed key order, context
 * tables sorted by (schema, name), 2-space indent, trailing newline.
 */
#include <stdlib.h>
#include <string.h>

#include "schemadiff/emit.h"
#include "schemadiff/schemafile.h"

/* The table definitions the ops of one direction point at (op->table_def). */
typedef struct def_list {
	const sd_table **defs;
	size_t n, alloc;
} def_list;

typedef struct json_state {
	json_t *ops;
	json_t *downgrade;
	def_list defs[2];     /* [0] upgrade, [1] downgrade */
	const char *problem;  /* why the current op could not be rendered, or NULL */
} json_state;

/*
 * A string (or null).  Text that is not valid UTF-8 (a catalog may hold
 * anything) has each bad byte replaced by U+FFFD, as the schema-file writer
 * does for the objects embedded next to it, so the output stays valid JSON.
 */
static json_t *jstr(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	sd_str buf = SD_STR_INIT;
	json_t *v;

	if (!s)
		return json_null();
	v = json_string(s);
	if (v)
		return v;
	while (*p) {
		size_t n = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 :
			   (*p & 0xF8) == 0xF0 ? 4 : 0;
		json_t *probe = NULL;
		size_t i = 1;

		while (i < n && (p[i] & 0xC0) == 0x80) /* stops at the NUL */
			i++;
		if (n && i == n) /* json_stringn rejects overlongs and surrogates */
			probe = json_stringn((const char *)p, n);

		if (probe) {
			sd_str_addn(&buf, (const char *)p, n);
			json_decref(probe);
			p += n;
		} else {
			sd_str_add(&buf, "\xEF\xBF\xBD");
			p++;
		}
	}
	v = json_string(buf.ptr);
	sd_str_release(&buf);
	return v ? v : json_string("");
}

/* Take a builder's result; NULL (the op lacks the object) is noted with why. */
static json_t *jobj(json_state *st, json_t *v, const char *why)
{
	if (!v) {
		if (!st->problem)
			st->problem = why ? why : "the object could not be rendered";
		return json_null();
	}
	return v;
}

static json_t *jautoinc(sd_autoinc a)
{
	switch (a) {
	case SD_AUTOINC_TRUE:
		return json_true();
	case SD_AUTOINC_FALSE:
		return json_false();
	case SD_AUTOINC_AUTO:
		break;
	}
	return json_string("auto");
}

/* null, or {"expression": ..., "stored": true} as the schema file writes it */
static json_t *jgenerated(const sd_column *c)
{
	json_t *g;

	if (!c->generated)
		return json_null();
	g = json_object();
	json_object_set_new(g, "expression", jstr(c->generated));
	if (c->generated_stored)
		json_object_set_new(g, "stored", json_true());
	return g;
}

static json_t *from_to(json_t *from, json_t *to)
{
	json_t *o = json_object();

	json_object_set_new(o, "from", from);
	json_object_set_new(o, "to", to);
	return o;
}

/* "changes": {"type": {"from": ..., "to": ...}, ...} in change-bit order. */
static json_t *jchanges(const sd_column *a, const sd_column *b, unsigned ch)
{
	json_t *o = json_object();

	if (ch & SD_CHANGE_TYPE)
		json_object_set_new(o, "type", from_to(jstr(a->type), jstr(b->type)));
	if (ch & SD_CHANGE_NULLABLE)
		json_object_set_new(o, "nullable",
				    from_to(json_boolean(a->nullable), json_boolean(b->nullable)));
	if (ch & SD_CHANGE_DEFAULT)
		json_object_set_new(o, "server_default",
				    from_to(jstr(a->server_default), jstr(b->server_default)));
	if (ch & SD_CHANGE_COMMENT)
		json_object_set_new(o, "comment", from_to(jstr(a->comment), jstr(b->comment)));
	if (ch & SD_CHANGE_AUTOINCREMENT)
		json_object_set_new(o, "autoincrement",
				    from_to(jautoinc(a->autoincrement), jautoinc(b->autoincrement)));
	if (ch & SD_CHANGE_GENERATED)
		json_object_set_new(o, "generated", from_to(jgenerated(a), jgenerated(b)));
	if (ch & SD_CHANGE_COLLATION)
		json_object_set_new(o, "collation",
				    from_to(jstr(a->collation), jstr(b->collation)));
	return o;
}

/* The constraint object of an op for ctype t, schema-file shape. */
static json_t *jconstraint(json_state *st, const sd_op *op, sd_constraint_type t)
{
	switch (t) {
	case SD_CONSTRAINT_UNIQUE:
		return op->unique ? jobj(st, sd_json_from_unique(op->unique), NULL)
				  : jobj(st, NULL, "the op carries no unique constraint");
	case SD_CONSTRAINT_FOREIGN_KEY:
		return op->fk ? jobj(st, sd_json_from_fk(op->fk), NULL)
			      : jobj(st, NULL, "the op carries no foreign key");
	case SD_CONSTRAINT_CHECK:
		return op->check ? jobj(st, sd_json_from_check(op->check), NULL)
				 : jobj(st, NULL, "the op carries no check constraint");
	case SD_CONSTRAINT_PRIMARY:
		return op->pk ? jobj(st, sd_json_from_pk(op->pk), NULL)
			      : jobj(st, NULL, "the op carries no primary key");
	case SD_CONSTRAINT_NONE:
		break;
	}
	return jobj(st, NULL, "constraint without a type");
}

static json_t *op_to_json(json_state *st, const sd_op *op)
{
	json_t *o = json_object();
	bool is_view = op->kind == SD_OP_CREATE_VIEW || op->kind == SD_OP_DROP_VIEW;

	json_object_set_new(o, "op", json_string(sd_op_kind_name(op->kind)));
	if (!is_view) /* a view op names its view in "view" */
		json_object_set_new(o, "table", jstr(op->table));
	if (op->schema)
		json_object_set_new(o, "schema", jstr(op->schema));
	if (op->destructive) {
		json_object_set_new(o, "destructive", json_true());
		if (op->why)
			json_object_set_new(o, "reason", jstr(op->why));
	}
	if (op->long_lock)
		json_object_set_new(o, "long_lock", jstr(op->lock_why ? op->lock_why : ""));

	switch (op->kind) {
	case SD_OP_CREATE_TABLE:
	case SD_OP_DROP_TABLE:
		json_object_set_new(o, "definition",
				    op->table_def ? jobj(st, sd_json_from_table(op->table_def), NULL)
						  : jobj(st, NULL, "the op carries no table"));
		break;
	case SD_OP_ADD_COLUMN:
	case SD_OP_DROP_COLUMN:
		json_object_set_new(o, "column",
				    op->column ? jobj(st, sd_json_from_column(op->column), NULL)
					       : jobj(st, NULL, "the op carries no column"));
		break;
	case SD_OP_ALTER_COLUMN:
		if (!op->column || !op->old_column) {
			jobj(st, NULL, "alter_column without both columns");
			break;
		}
		json_object_set_new(o, "column", jstr(op->column->name));
		json_object_set_new(o, "changes", jchanges(op->old_column, op->column, op->changes));
		json_object_set_new(o, "existing",
				    jobj(st, sd_json_from_column(op->old_column), NULL));
		break;
	case SD_OP_CREATE_INDEX:
	case SD_OP_DROP_INDEX:
		json_object_set_new(o, "index",
				    op->index ? jobj(st, sd_json_from_index(op->index), NULL)
					      : jobj(st, NULL, "the op carries no index"));
		break;
	case SD_OP_CREATE_UNIQUE_CONSTRAINT:
		json_object_set_new(o, "constraint", jconstraint(st, op, SD_CONSTRAINT_UNIQUE));
		break;
	case SD_OP_CREATE_FOREIGN_KEY:
		json_object_set_new(o, "constraint", jconstraint(st, op, SD_CONSTRAINT_FOREIGN_KEY));
		break;
	case SD_OP_CREATE_CHECK_CONSTRAINT:
		json_object_set_new(o, "constraint", jconstraint(st, op, SD_CONSTRAINT_CHECK));
		break;
	case SD_OP_CREATE_PRIMARY_KEY:
		json_object_set_new(o, "constraint", jconstraint(st, op, SD_CONSTRAINT_PRIMARY));
		break;
	case SD_OP_DROP_CONSTRAINT:
		if (op->ctype == SD_CONSTRAINT_NONE) {
			jobj(st, NULL, "drop_constraint without a constraint type");
			break;
		}
		json_object_set_new(o, "constraint_type",
				    json_string(sd_constraint_type_name(op->ctype)));
		json_object_set_new(o, "constraint", jconstraint(st, op, op->ctype));
		break;
	case SD_OP_CREATE_TABLE_COMMENT:
	case SD_OP_DROP_TABLE_COMMENT:
		json_object_set_new(o, "comment", jstr(op->comment));
		json_object_set_new(o, "existing_comment", jstr(op->old_comment));
		break;
	case SD_OP_CREATE_VIEW:
	case SD_OP_DROP_VIEW:
		json_object_set_new(o, "view",
				    op->view ? jobj(st, sd_json_from_view(op->view), NULL)
					     : jobj(st, NULL, "the op carries no view"));
		break;
	case SD_OP_CREATE_ENUM:
	case SD_OP_DROP_ENUM:
	case SD_OP_ADD_ENUM_VALUE:
		json_object_set_new(o, "enum",
				    op->enum_def ? jobj(st, sd_json_from_enum(op->enum_def), NULL)
						 : jobj(st, NULL, "the op carries no enum"));
		if (op->kind == SD_OP_ADD_ENUM_VALUE) {
			json_object_set_new(o, "value", jstr(op->value));
			if (op->neighbor)
				json_object_set_new(o, op->before ? "before" : "after",
						    jstr(op->neighbor));
		}
		break;
	case SD_OP_CREATE_SEQUENCE:
	case SD_OP_DROP_SEQUENCE:
	case SD_OP_ALTER_SEQUENCE:
		json_object_set_new(o, "sequence",
				    op->sequence ? jobj(st, sd_json_from_sequence(op->sequence), NULL)
						 : jobj(st, NULL, "the op carries no sequence"));
		if (op->kind == SD_OP_ALTER_SEQUENCE)
			json_object_set_new(o, "existing",
					    op->old_sequence
						    ? jobj(st, sd_json_from_sequence(op->old_sequence), NULL)
						    : jobj(st, NULL, "alter_sequence without the old sequence"));
		break;
	case SD_OP__COUNT:
		jobj(st, NULL, "unknown op kind");
		break;
	}
	return o;
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

/* {"triggers": 2, ...}: kinds with a count, then "other" for the rest. */
static json_t *not_compared(const sd_migration *m)
{
	json_t *o = json_object();
	size_t counted = 0;

	for (size_t k = 0; k < SD_OBJ__COUNT; k++) {
		if (!m->unsupported_by_kind[k])
			continue;
		json_object_set_new(o, kind_key[k], json_integer((json_int_t)m->unsupported_by_kind[k]));
		counted += m->unsupported_by_kind[k];
	}
	if (counted < m->unsupported_seen)
		json_object_set_new(o, "other", json_integer((json_int_t)(m->unsupported_seen - counted)));
	return o;
}

static int json_begin(sd_emit_ctx *ctx, sd_error *err)
{
	json_state *st = xcalloc(1, sizeof(*st));

	st->ops = json_array();
	st->downgrade = json_array();
	ctx->state = st;
	return 0;
}

/*
 * Does op's table_def go to the context?  create_table and drop_table carry
 * theirs (the table as they make or find it) in "definition"; view ops have
 * none.
 */
static bool op_has_context_def(const sd_op *op)
{
	switch (op->kind) {
	case SD_OP_CREATE_TABLE:
	case SD_OP_DROP_TABLE:
	case SD_OP_CREATE_VIEW:
	case SD_OP_DROP_VIEW:
		return false;
	default:
		return op->table_def != NULL;
	}
}

static int json_op(sd_emit_ctx *ctx, const sd_op *op, bool downgrade, sd_error *err)
{
	json_state *st = ctx->state;
	json_t *o = op_to_json(st, op);

	json_array_append_new(downgrade ? st->downgrade : st->ops, o);
	if (op_has_context_def(op)) {
		def_list *dl = &st->defs[downgrade];

		SD_GROW(dl->defs, dl->n + 1, dl->alloc);
		dl->defs[dl->n++] = op->table_def;
	}
	if (st->problem) {
		sd_str what = SD_STR_INIT;

		sd_qualified_name(&what, op->schema, op->table ? op->table : "");
		sd_error_set_path(err, what.ptr);
		sd_str_release(&what);
		return sd_error_set(err, SD_EINPUT, "cannot write %s op as JSON: %s",
				    sd_op_kind_name(op->kind), st->problem);
	}
	return 0;
}

static int cmp_def(const void *pa, const void *pb)
{
	const sd_table *a = *(const sd_table *const *)pa, *b = *(const sd_table *const *)pb;
	int c = sd_strcmp_null(a->schema, b->schema);

	return c ? c : sd_strcmp_null(a->name, b->name);
}

/*
 * {"tables": [...], "target_views": [...], "target_triggers": [...]} of one
 * direction into *out.  The ops of a table share one definition (the
 * comparator's contract); two that differ cannot be written once, so they
 * are an error.
 */
static int direction_context(def_list *dl, const sd_oplist *l, json_t **out, sd_error *err)
{
	json_t *o = json_object(), *tables = json_array(), *views = json_array();
	json_t *trigs = json_array(), *prev = NULL;
	size_t i;
	int rc = 0;

	if (dl->n)
		qsort(dl->defs, dl->n, sizeof(*dl->defs), cmp_def);
	for (i = 0; i < dl->n; i++) {
		const sd_table *t = dl->defs[i];
		json_t *tj;

		if (i && cmp_def(&dl->defs[i - 1], &dl->defs[i]) == 0) {
			if (t == dl->defs[i - 1])
				continue;
			tj = sd_json_from_table(t);
			if (!json_equal(tj, prev)) {
				sd_str what = SD_STR_INIT;

				json_decref(tj);
				sd_qualified_name(&what, t->schema, t->name);
				sd_error_set_path(err, what.ptr);
				sd_str_release(&what);
				rc = sd_error_set(err, SD_EINTERNAL,
						  "cannot write the op list as JSON: its ops carry two "
						  "different definitions of one table");
				goto done;
			}
			json_decref(tj);
			continue;
		}
		tj = sd_json_from_table(t);
		if (!tj) {
			rc = sd_error_set(err, SD_EINPUT, "cannot write table \"%s\" as JSON", t->name);
			goto done;
		}
		json_array_append_new(tables, tj);
		prev = tj;
	}
	for (i = 0; l && i < l->ntarget_views; i++)
		json_array_append_new(views, sd_json_from_view(l->target_views[i]));
	for (i = 0; l && i < l->ntarget_triggers; i++)
		json_array_append_new(trigs, sd_json_from_trigger(l->target_triggers[i]));
done:
	json_object_set_new(o, "tables", tables);
	json_object_set_new(o, "target_views", views);
	json_object_set_new(o, "target_triggers", trigs);
	*out = o;
	return rc;
}

static int json_end(sd_emit_ctx *ctx, sd_error *err)
{
	json_state *st = ctx->state;
	json_t *root, *context, *up = NULL, *down = NULL;
	const char *dialect;
	char *text;
	int rc = 0;

	if (!st)
		return 0;
	dialect = ctx->m ? ctx->m->dialect : NULL;
	if (!dialect && ctx->dialect)
		dialect = ctx->dialect->name;
	root = json_object();
	json_object_set_new(root, "format", json_string("schemadiff-ops/2"));
	json_object_set_new(root, "dialect", jstr(dialect));
	json_object_set_new(root, "ops", st->ops);
	json_object_set_new(root, "downgrade", st->downgrade);
	if (ctx->m)
		json_object_set_new(root, "not_compared", not_compared(ctx->m));
	else
		json_object_set_new(root, "not_compared", json_object());
	context = json_object();
	json_object_set_new(root, "context", context);
	rc = direction_context(&st->defs[0], ctx->m ? &ctx->m->upgrade : NULL, &up, err);
	json_object_set_new(context, "ops", up);
	if (rc < 0)
		goto done;
	rc = direction_context(&st->defs[1], ctx->m ? &ctx->m->downgrade : NULL, &down, err);
	json_object_set_new(context, "downgrade", down);
	if (rc < 0)
		goto done;

	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!text) {
		rc = sd_error_set(err, SD_EINTERNAL, "cannot serialise the op list as JSON");
		goto done;
	}
	sd_str_add(ctx->out, text);
	sd_str_addch(ctx->out, '\n');
	free(text);

done:
	json_decref(root);
	free(st->defs[0].defs);
	free(st->defs[1].defs);
	free(st);
	ctx->state = NULL;
	return rc;
}

const sd_emitter sd_emitter_json = {
	.name = "json",
	.begin = json_begin,
	.op = json_op,
	.end = json_end,
};
