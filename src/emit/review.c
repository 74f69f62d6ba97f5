/*
 * review.c - the review report ("text"): one Alembic-style line per detected
 * change of the upgrade, grouped by table, destructive changes marked.
 *
 *   Detected removed index 'ix_a' on 't'
 *   Detected removed table 't'  [destructive]
 *
 * Display rules (so every line is unambiguous and one line long):
 *   - names and user text (defaults, comments, collations, generated
 *     expressions) are shown in single quotes; inside them ' is doubled,
 *     \ is written \\, and control characters as \n, \r, \t or \xNN;
 *   - a qualified name is one quoted string: 'schema.table', 't.c';
 *   - an object without a name is shown as the bare word unnamed;
 *   - types, column lists and SQL expressions in parentheses are shown
 *     bare; a whitespace run holding a newline or tab is shown as one
 *     space, other control characters as \xNN;
 *   - added objects show their definition; removed ones only their name,
 *     or their definition when they have no name;
 *   - a destructive op ends in "  [destructive]" (on an alter_column, on
 *     the type line, else the NULL/NOT NULL line, else its first line); the
 *     comparator's reason is in the JSON op list, not repeated here.
 * The review ignores downgrade ops.
 */
#include <stdlib.h>
#include <string.h>

#include "schemadiff/emit.h"
#include "schemadiff/sqltok.h"

/* ---- display helpers ---------------------------------------------------- */

static void add_escaped(sd_str *out, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '\'':
			sd_str_add(out, "''");
			break;
		case '\\':
			sd_str_add(out, "\\\\");
			break;
		case '\n':
			sd_str_add(out, "\\n");
			break;
		case '\r':
			sd_str_add(out, "\\r");
			break;
		case '\t':
			sd_str_add(out, "\\t");
			break;
		default:
			if (c < 0x20 || c == 0x7f) {
				sd_str_add(out, "\\x");
				sd_str_addch(out, hex[c >> 4]);
				sd_str_addch(out, hex[c & 15]);
			} else {
				sd_str_addch(out, (char)c);
			}
		}
	}
}

/* 'text' with escaping; NULL is shown as the bare word given. */
static void add_quoted(sd_str *out, const char *s, const char *if_null)
{
	if (!s) {
		sd_str_add(out, if_null);
		return;
	}
	sd_str_addch(out, '\'');
	add_escaped(out, s);
	sd_str_addch(out, '\'');
}

/*
 * Bare SQL text: a whitespace run holding a newline or tab becomes one
 * space (multi-line CHECKs stay one line); other controls become \xNN.
 */
static void add_bare(sd_str *out, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	while (*s) {
		unsigned char c = (unsigned char)*s;

		if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
			size_t n = strspn(s, " \n\r\t");

			if (strcspn(s, "\n\r\t") < n)
				sd_str_addch(out, ' ');
			else
				sd_str_addn(out, s, n);
			s += n;
			continue;
		}
		if (c < 0x20 || c == 0x7f) {
			sd_str_add(out, "\\x");
			sd_str_addch(out, hex[c >> 4]);
			sd_str_addch(out, hex[c & 15]);
		} else {
			sd_str_addch(out, (char)c);
		}
		s++;
	}
}

/*
 * A column name inside a parenthesised list: bare when it is a plain word
 * that is not a keyword, else "double-quoted" with quotes doubled, so
 * (Mixed Case, my id) cannot be misread.  Dialect-neutral on purpose: the
 * review describes changes, it is not SQL for one database.
 */
static void add_ident(sd_str *out, const char *name)
{
	const char *p;
	bool plain = *name && !(*name >= '0' && *name <= '9');

	for (p = name; plain && *p; p++)
		plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			(*p >= '0' && *p <= '9') || *p == '_';
	if (plain && !sd_sql_is_keyword(name, strlen(name))) {
		sd_str_add(out, name);
		return;
	}
	sd_str_addch(out, '"');
	for (p = name; *p; p++) {
		if (*p == '"')
			sd_str_addch(out, '"');
		sd_str_addch(out, *p);
	}
	sd_str_addch(out, '"');
}

/* 'schema.name' or 'name' (or unnamed). */
static void add_qname(sd_str *out, const char *schema, const char *name)
{
	if (!name) {
		sd_str_add(out, "unnamed");
		return;
	}
	sd_str_addch(out, '\'');
	if (schema) {
		add_escaped(out, schema);
		sd_str_addch(out, '.');
	}
	add_escaped(out, name);
	sd_str_addch(out, '\'');
}

/* 'schema.table.column' or 'table.column'. */
static void add_colname(sd_str *out, const sd_op *op, const char *column)
{
	sd_str_addch(out, '\'');
	if (op->schema) {
		add_escaped(out, op->schema);
		sd_str_addch(out, '.');
	}
	add_escaped(out, op->table ? op->table : "");
	sd_str_addch(out, '.');
	add_escaped(out, column ? column : "");
	sd_str_addch(out, '\'');
}

static void add_table(sd_str *out, const sd_op *op)
{
	add_qname(out, op->schema, op->table ? op->table : "");
}

/* (a, b) */
static void add_name_list(sd_str *out, const char *const *names, size_t n)
{
	sd_str_addch(out, '(');
	for (size_t i = 0; i < n; i++) {
		if (i)
			sd_str_add(out, ", ");
		add_ident(out, names[i] ? names[i] : "");
	}
	sd_str_addch(out, ')');
}

/* "  [destructive]"; the reason (op->why) is in the JSON op list only. */
static void add_marker(sd_str *out, const sd_op *op)
{
	if (op->destructive)
		sd_str_add(out, "  [destructive]");
	if (op->long_lock)
		sd_str_addf(out, "  [long lock: %s]", op->lock_why ? op->lock_why : "");
}

/*
 * What an alter_sequence does that a reader must not guess: a new owner
 * (or none), and a new start, which is only recorded (what RESTART without
 * a value goes back to): the current value is not changed, so no value the
 * sequence has handed out is handed out again.
 */
static void add_sequence_notes(sd_str *out, const sd_sequence *x, const sd_sequence *y)
{
	if (!x || !y)
		return;
	if (!sd_streq(x->owned_by, y->owned_by)) {
		sd_str_add(out, " (owned by ");
		add_quoted(out, x->owned_by, "none");
		sd_str_add(out, " -> ");
		add_quoted(out, y->owned_by, "none");
		sd_str_addch(out, ')');
	}
	if (!sd_streq(x->start, y->start)) {
		sd_str_add(out, " (start ");
		add_escaped(out, x->start ? x->start : "default");
		sd_str_add(out, " -> ");
		add_escaped(out, y->start ? y->start : "default");
		sd_str_add(out, ": the recorded start only, the current value is not changed)");
	}
}

/* ---- definitions of added (or unnamed removed) objects ------------------ */

static void add_index_def(sd_str *out, const sd_index *ix)
{
	sd_str_addch(out, '(');
	for (size_t i = 0; i < ix->nelems; i++) {
		const sd_index_elem *el = ix->elems[i];

		if (i)
			sd_str_add(out, ", ");
		if (el->expression)
			add_bare(out, el->expression);
		else
			add_ident(out, el->column ? el->column : "");
		if (el->collation) {
			sd_str_add(out, " COLLATE ");
			add_bare(out, el->collation);
		}
		if (el->opclass) {
			sd_str_addch(out, ' ');
			add_bare(out, el->opclass);
		}
		if (el->desc)
			sd_str_add(out, " DESC");
		if (el->nulls) {
			sd_str_add(out, " NULLS ");
			add_bare(out, el->nulls);
		}
	}
	sd_str_addch(out, ')');
	if (ix->where) {
		sd_str_add(out, " WHERE ");
		add_bare(out, ix->where);
	}
}

static void add_fk_def(sd_str *out, const sd_foreign_key *fk)
{
	add_name_list(out, fk->columns, fk->ncolumns);
	sd_str_add(out, " -> ");
	add_qname(out, fk->ref_schema, fk->ref_table ? fk->ref_table : "");
	if (fk->nref_columns) {
		sd_str_addch(out, ' ');
		add_name_list(out, fk->ref_columns, fk->nref_columns);
	}
	if (fk->match) {
		sd_str_add(out, " MATCH ");
		add_bare(out, fk->match);
	}
	if (fk->on_delete) {
		sd_str_add(out, " ON DELETE ");
		add_bare(out, fk->on_delete);
	}
	if (fk->on_update) {
		sd_str_add(out, " ON UPDATE ");
		add_bare(out, fk->on_update);
	}
	if (fk->deferrable)
		sd_str_add(out, " DEFERRABLE");
	if (fk->initially_deferred)
		sd_str_add(out, " INITIALLY DEFERRED");
}

static const char *constraint_word(sd_constraint_type t)
{
	switch (t) {
	case SD_CONSTRAINT_UNIQUE:
		return "unique constraint";
	case SD_CONSTRAINT_FOREIGN_KEY:
		return "foreign key";
	case SD_CONSTRAINT_CHECK:
		return "check constraint";
	case SD_CONSTRAINT_PRIMARY:
		return "primary key";
	case SD_CONSTRAINT_NONE:
		break;
	}
	return "constraint";
}

/*
 * The constraint an op carries, by ctype: its name in *name and, when
 * with_def, its definition appended to def.  Returns false when the op
 * carries no constraint object for its ctype.
 */
static bool constraint_of(const sd_op *op, const char **name, sd_str *def)
{
	switch (op->ctype) {
	case SD_CONSTRAINT_UNIQUE:
		if (!op->unique)
			return false;
		*name = op->unique->name;
		add_name_list(def, op->unique->columns, op->unique->ncolumns);
		if (op->unique->nulls_not_distinct)
			sd_str_add(def, " NULLS NOT DISTINCT");
		return true;
	case SD_CONSTRAINT_FOREIGN_KEY:
		if (!op->fk)
			return false;
		*name = op->fk->name;
		add_fk_def(def, op->fk);
		return true;
	case SD_CONSTRAINT_CHECK:
		if (!op->check)
			return false;
		*name = op->check->name;
		sd_str_addch(def, '(');
		add_bare(def, op->check->expression ? op->check->expression : "");
		sd_str_addch(def, ')');
		return true;
	case SD_CONSTRAINT_PRIMARY:
		if (!op->pk)
			return false;
		*name = op->pk->name;
		add_name_list(def, op->pk->columns, op->pk->ncolumns);
		return true;
	case SD_CONSTRAINT_NONE:
		break;
	}
	return false;
}

/* The ctype a create_* constraint op implies (op->ctype may be left unset). */
static sd_constraint_type create_ctype(sd_op_kind k)
{
	switch (k) {
	case SD_OP_CREATE_UNIQUE_CONSTRAINT:
		return SD_CONSTRAINT_UNIQUE;
	case SD_OP_CREATE_FOREIGN_KEY:
		return SD_CONSTRAINT_FOREIGN_KEY;
	case SD_OP_CREATE_CHECK_CONSTRAINT:
		return SD_CONSTRAINT_CHECK;
	case SD_OP_CREATE_PRIMARY_KEY:
		return SD_CONSTRAINT_PRIMARY;
	default:
		return SD_CONSTRAINT_NONE;
	}
}

static void constraint_line(sd_str *out, const sd_op *op, bool added)
{
	sd_op tmp = *op;
	const char *name = NULL;
	sd_str def = SD_STR_INIT;
	bool have;

	if (added)
		tmp.ctype = create_ctype(op->kind);
	have = constraint_of(&tmp, &name, &def);
	sd_str_addf(out, "Detected %s %s ", added ? "added" : "removed", constraint_word(tmp.ctype));
	add_quoted(out, name, "unnamed");
	sd_str_add(out, " on ");
	add_table(out, op);
	if (have && (added || !name)) {
		sd_str_addch(out, ' ');
		sd_str_add(out, def.ptr);
	}
	add_marker(out, op);
	sd_str_release(&def);
}

/* ---- alter_column ------------------------------------------------------- */

static const unsigned change_bits[] = {
	SD_CHANGE_TYPE, SD_CHANGE_NULLABLE, SD_CHANGE_DEFAULT, SD_CHANGE_COMMENT,
	SD_CHANGE_AUTOINCREMENT, SD_CHANGE_GENERATED, SD_CHANGE_COLLATION,
};

static const char *autoinc_word(sd_autoinc a)
{
	switch (a) {
	case SD_AUTOINC_TRUE:
		return "true";
	case SD_AUTOINC_FALSE:
		return "false";
	case SD_AUTOINC_AUTO:
		break;
	}
	return "auto";
}

/* 'expr' (stored|virtual) */
static void add_generated(sd_str *out, const sd_column *c)
{
	add_quoted(out, c->generated, "");
	sd_str_add(out, c->generated_stored ? " (stored)" : " (virtual)");
}

/* The generic added / removed / changed wording for an optional text attribute. */
static void add_value(sd_str *out, const char *s, bool sql)
{
	if (sql)
		add_bare(out, s);
	else
		add_quoted(out, s, "");
}

/*
 * sql: the values are SQL expressions (defaults), shown as written, so the
 * default 'light' reads 'light' and the default 3 reads 3; otherwise they
 * are plain text (comments, collation names), shown in single quotes.
 */
static void text_change(sd_str *out, const sd_op *op, const char *what, const char *from,
			const char *to, const char *colname, bool sql)
{
	if (!from && to) {
		sd_str_addf(out, "Detected added %s ", what);
		add_value(out, to, sql);
	} else if (from && !to) {
		sd_str_addf(out, "Detected removed %s ", what);
		add_value(out, from, sql);
	} else if (from && to) {
		sd_str_addf(out, "Detected %s change from ", what);
		add_value(out, from, sql);
		sd_str_add(out, " to ");
		add_value(out, to, sql);
	} else {
		sd_str_addf(out, "Detected %s change", what);
	}
	sd_str_add(out, " on column ");
	add_colname(out, op, colname);
}

/*
 * The bit of an alter_column that carries the destructive marker: the
 * type change if any, else the nullability change, else the first bit.
 */
static unsigned marker_bit(unsigned changes)
{
	if (changes & SD_CHANGE_TYPE)
		return SD_CHANGE_TYPE;
	if (changes & SD_CHANGE_NULLABLE)
		return SD_CHANGE_NULLABLE;
	for (size_t i = 0; i < SD_ARRAY_LEN(change_bits); i++)
		if (changes & change_bits[i])
			return change_bits[i];
	return 0;
}

/* One line (no newline) for one change bit of an alter_column op. */
static void alter_line(sd_str *out, const sd_op *op, unsigned bit)
{
	static const sd_column none;
	const sd_column *from = op->old_column ? op->old_column : &none;
	const sd_column *to = op->column ? op->column : &none;
	const char *colname = to->name ? to->name : from->name;

	switch (bit) {
	case SD_CHANGE_TYPE:
		sd_str_add(out, "Detected type change from ");
		add_bare(out, from->type ? from->type : "untyped");
		sd_str_add(out, " to ");
		add_bare(out, to->type ? to->type : "untyped");
		sd_str_add(out, " on ");
		add_colname(out, op, colname);
		break;
	case SD_CHANGE_NULLABLE:
		sd_str_add(out, to->nullable ? "Detected NULL on column " : "Detected NOT NULL on column ");
		add_colname(out, op, colname);
		break;
	case SD_CHANGE_DEFAULT:
		text_change(out, op, "server default", from->server_default, to->server_default, colname, true);
		break;
	case SD_CHANGE_COMMENT:
		text_change(out, op, "comment", from->comment, to->comment, colname, false);
		break;
	case SD_CHANGE_COLLATION:
		text_change(out, op, "collation", from->collation, to->collation, colname, false);
		break;
	case SD_CHANGE_AUTOINCREMENT:
		sd_str_addf(out, "Detected autoincrement change from %s to %s on column ",
			    autoinc_word(from->autoincrement), autoinc_word(to->autoincrement));
		add_colname(out, op, colname);
		break;
	case SD_CHANGE_GENERATED:
		if (!from->generated && to->generated) {
			sd_str_add(out, "Detected added generated expression ");
			add_generated(out, to);
		} else if (from->generated && !to->generated) {
			sd_str_add(out, "Detected removed generated expression ");
			add_generated(out, from);
		} else {
			sd_str_add(out, "Detected generated expression change from ");
			add_generated(out, from);
			sd_str_add(out, " to ");
			add_generated(out, to);
		}
		sd_str_add(out, " on column ");
		add_colname(out, op, colname);
		break;
	default:
		sd_str_add(out, "Detected change on column ");
		add_colname(out, op, colname);
		break;
	}
	if (bit == marker_bit(op->changes))
		add_marker(out, op);
}

/* ---- one op ------------------------------------------------------------- */

/* One line, no newline, for every op kind except a multi-bit alter_column. */
static void op_line(sd_str *out, const sd_op *op)
{
	switch (op->kind) {
	case SD_OP_CREATE_TABLE:
		sd_str_add(out, "Detected added table ");
		add_table(out, op);
		add_marker(out, op);
		break;
	case SD_OP_DROP_TABLE:
		sd_str_add(out, "Detected removed table ");
		add_table(out, op);
		add_marker(out, op);
		break;
	case SD_OP_ADD_COLUMN:
		sd_str_add(out, "Detected added column ");
		add_colname(out, op, op->column ? op->column->name : NULL);
		add_marker(out, op);
		break;
	case SD_OP_DROP_COLUMN:
		sd_str_add(out, "Detected removed column ");
		add_colname(out, op, op->column ? op->column->name : NULL);
		add_marker(out, op);
		break;
	case SD_OP_ALTER_COLUMN:
		alter_line(out, op, marker_bit(op->changes));
		break;
	case SD_OP_CREATE_INDEX:
	case SD_OP_DROP_INDEX: {
		bool added = op->kind == SD_OP_CREATE_INDEX;
		const char *name = op->index ? op->index->name : NULL;

		sd_str_addf(out, "Detected %s %sindex ", added ? "added" : "removed",
			    added && op->index && op->index->unique ? "unique " : "");
		add_quoted(out, name, "unnamed");
		sd_str_add(out, " on ");
		add_table(out, op);
		if (op->index && (added || !name)) {
			sd_str_addch(out, ' ');
			add_index_def(out, op->index);
		}
		add_marker(out, op);
		break;
	}
	case SD_OP_CREATE_UNIQUE_CONSTRAINT:
	case SD_OP_CREATE_FOREIGN_KEY:
	case SD_OP_CREATE_CHECK_CONSTRAINT:
	case SD_OP_CREATE_PRIMARY_KEY:
		constraint_line(out, op, true);
		break;
	case SD_OP_DROP_CONSTRAINT:
		constraint_line(out, op, false);
		break;
	case SD_OP_CREATE_TABLE_COMMENT:
		if (op->old_comment) {
			sd_str_add(out, "Detected table comment change from ");
			add_quoted(out, op->old_comment, "");
			sd_str_add(out, " to ");
			add_quoted(out, op->comment, "NULL");
		} else {
			sd_str_add(out, "Detected added table comment ");
			add_quoted(out, op->comment, "NULL");
		}
		sd_str_add(out, " on ");
		add_table(out, op);
		add_marker(out, op);
		break;
	case SD_OP_DROP_TABLE_COMMENT:
		sd_str_add(out, "Detected removed table comment ");
		add_quoted(out, op->old_comment, "NULL");
		sd_str_add(out, " on ");
		add_table(out, op);
		add_marker(out, op);
		break;
	case SD_OP_CREATE_VIEW:
	case SD_OP_DROP_VIEW:
		sd_str_addf(out, "Detected %s %sview ", op->kind == SD_OP_CREATE_VIEW ? "added" : "removed",
			    op->view && op->view->materialized ? "materialized " : "");
		add_table(out, op);
		add_marker(out, op);
		break;
	case SD_OP_CREATE_ENUM:
	case SD_OP_DROP_ENUM:
		sd_str_addf(out, "Detected %s enum ", op->kind == SD_OP_CREATE_ENUM ? "added" : "removed");
		add_table(out, op);
		add_marker(out, op);
		break;
	case SD_OP_ADD_ENUM_VALUE:
		sd_str_add(out, "Detected added enum value ");
		add_quoted(out, op->value, "NULL");
		if (op->neighbor) {
			sd_str_add(out, op->before ? " before " : " after ");
			add_quoted(out, op->neighbor, "NULL");
		}
		sd_str_add(out, " on enum ");
		add_table(out, op);
		add_marker(out, op);
		break;
	case SD_OP_CREATE_SEQUENCE:
	case SD_OP_DROP_SEQUENCE:
	case SD_OP_ALTER_SEQUENCE:
		sd_str_addf(out, "Detected %s sequence ",
			    op->kind == SD_OP_CREATE_SEQUENCE ? "added"
			    : op->kind == SD_OP_DROP_SEQUENCE ? "removed" : "changed");
		add_table(out, op);
		if (op->kind == SD_OP_ALTER_SEQUENCE)
			add_sequence_notes(out, op->old_sequence, op->sequence);
		add_marker(out, op);
		break;
	case SD_OP__COUNT:
		sd_str_add(out, "Detected unknown change on ");
		add_table(out, op);
		break;
	}
}

void sd_review_line(sd_str *out, const sd_op *op)
{
	bool first = true;

	if (op->kind != SD_OP_ALTER_COLUMN || !op->changes) {
		op_line(out, op);
		return;
	}
	/* Several changes on one line: "Detected A; Detected B". */
	for (size_t i = 0; i < SD_ARRAY_LEN(change_bits); i++) {
		if (!(op->changes & change_bits[i]))
			continue;
		if (!first)
			sd_str_add(out, "; ");
		alter_line(out, op, change_bits[i]);
		first = false;
	}
}

void sd_review_lines(sd_str *out, const sd_op *op)
{
	if (op->kind != SD_OP_ALTER_COLUMN || !op->changes) {
		op_line(out, op);
		sd_str_addch(out, '\n');
		return;
	}
	for (size_t i = 0; i < SD_ARRAY_LEN(change_bits); i++) {
		if (!(op->changes & change_bits[i]))
			continue;
		alter_line(out, op, change_bits[i]);
		sd_str_addch(out, '\n');
	}
}

/* ---- not compared ------------------------------------------------------- */

static const char *const kind_singular[] = {
	[SD_OBJ_TABLE] = "table",
	[SD_OBJ_COLUMN] = "column",
	[SD_OBJ_PRIMARY_KEY] = "primary key",
	[SD_OBJ_UNIQUE] = "unique constraint",
	[SD_OBJ_FOREIGN_KEY] = "foreign key",
	[SD_OBJ_CHECK] = "check constraint",
	[SD_OBJ_INDEX] = "index",
	[SD_OBJ_VIEW] = "view",
	[SD_OBJ_TRIGGER] = "trigger",
	[SD_OBJ_ENUM] = "enum",
	[SD_OBJ_SEQUENCE] = "sequence",
	[SD_OBJ_MATERIALIZED_VIEW] = "materialized view",
	[SD_OBJ_EXCLUSION] = "exclusion constraint",
	[SD_OBJ_PARTITION] = "partition",
	[SD_OBJ_DOMAIN] = "domain",
	[SD_OBJ_TYPE] = "type",
	[SD_OBJ_FUNCTION] = "function",
	[SD_OBJ_EXTENSION] = "extension",
	[SD_OBJ_FOREIGN_TABLE] = "foreign table",
};
static const char *const kind_plural[] = {
	[SD_OBJ_TABLE] = "tables",
	[SD_OBJ_COLUMN] = "columns",
	[SD_OBJ_PRIMARY_KEY] = "primary keys",
	[SD_OBJ_UNIQUE] = "unique constraints",
	[SD_OBJ_FOREIGN_KEY] = "foreign keys",
	[SD_OBJ_CHECK] = "check constraints",
	[SD_OBJ_INDEX] = "indexes",
	[SD_OBJ_VIEW] = "views",
	[SD_OBJ_TRIGGER] = "triggers",
	[SD_OBJ_ENUM] = "enums",
	[SD_OBJ_SEQUENCE] = "sequences",
	[SD_OBJ_MATERIALIZED_VIEW] = "materialized views",
	[SD_OBJ_EXCLUSION] = "exclusion constraints",
	[SD_OBJ_PARTITION] = "partitions",
	[SD_OBJ_DOMAIN] = "domains",
	[SD_OBJ_TYPE] = "types",
	[SD_OBJ_FUNCTION] = "functions",
	[SD_OBJ_EXTENSION] = "extensions",
	[SD_OBJ_FOREIGN_TABLE] = "foreign tables",
};
_Static_assert(SD_ARRAY_LEN(kind_singular) == SD_OBJ__COUNT, "kind_singular covers sd_obj_kind");
_Static_assert(SD_ARRAY_LEN(kind_plural) == SD_OBJ__COUNT, "kind_plural covers sd_obj_kind");

/* "Not compared: 2 triggers, 1 view" (counts by kind; the rest as objects). */
static void not_compared_line(sd_str *out, const sd_migration *m)
{
	size_t counted = 0;
	bool first = true;

	if (!m->unsupported_seen)
		return;
	sd_str_add(out, "Not compared: ");
	for (size_t k = 0; k < SD_OBJ__COUNT; k++) {
		size_t n = m->unsupported_by_kind[k];

		if (!n)
			continue;
		sd_str_addf(out, "%s%zu %s", first ? "" : ", ", n,
			    n == 1 ? kind_singular[k] : kind_plural[k]);
		counted += n;
		first = false;
	}
	if (counted < m->unsupported_seen) {
		size_t rest = m->unsupported_seen - counted;

		sd_str_addf(out, "%s%zu %s%s", first ? "" : ", ", rest, first ? "" : "other ",
			    rest == 1 ? "object" : "objects");
	}
	sd_str_addch(out, '\n');
}

/* ---- the emitter -------------------------------------------------------- */

typedef struct review_item {
	const sd_op *op;
	size_t idx;    /* position in the op list */
	size_t group;  /* idx of the first op of the same table */
} review_item;

typedef struct review_state {
	review_item *items;
	size_t n;
	size_t alloc;
} review_state;

static bool is_view_op(const sd_op *op)
{
	return op->kind == SD_OP_CREATE_VIEW || op->kind == SD_OP_DROP_VIEW;
}

/* Group key: (view or table, schema, name), then op-list position. */
static int cmp_key(const void *pa, const void *pb)
{
	const review_item *a = pa, *b = pb;
	int c = (int)is_view_op(a->op) - (int)is_view_op(b->op);

	if (!c)
		c = sd_strcmp_null(a->op->schema, b->op->schema);
	if (!c)
		c = sd_strcmp_null(a->op->table, b->op->table);
	if (!c)
		c = (a->idx > b->idx) - (a->idx < b->idx);
	return c;
}

static int cmp_group(const void *pa, const void *pb)
{
	const review_item *a = pa, *b = pb;

	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	return (a->idx > b->idx) - (a->idx < b->idx);
}

static int review_begin(sd_emit_ctx *ctx, sd_error *err)
{
	ctx->state = xcalloc(1, sizeof(review_state));
	return 0;
}

static int review_op(sd_emit_ctx *ctx, const sd_op *op, bool downgrade, sd_error *err)
{
	review_state *st = ctx->state;

	if (downgrade)
		return 0;
	SD_GROW(st->items, st->n + 1, st->alloc);
	st->items[st->n].op = op;
	st->items[st->n].idx = st->n;
	st->items[st->n].group = 0;
	st->n++;
	return 0;
}

static int review_end(sd_emit_ctx *ctx, sd_error *err)
{
	review_state *st = ctx->state;

	if (!st)
		return 0;
	if (!st->n) {
		sd_str_add(ctx->out, "No changes detected\n");
	} else {
		/* Stable grouping: sort by key to find each table's first op, then by group. */
		qsort(st->items, st->n, sizeof(*st->items), cmp_key);
		for (size_t i = 0; i < st->n; i++) {
			bool same = i > 0 && is_view_op(st->items[i].op) == is_view_op(st->items[i - 1].op) &&
				    sd_streq(st->items[i].op->schema, st->items[i - 1].op->schema) &&
				    sd_streq(st->items[i].op->table, st->items[i - 1].op->table);

			st->items[i].group = same ? st->items[i - 1].group : st->items[i].idx;
		}
		qsort(st->items, st->n, sizeof(*st->items), cmp_group);
		for (size_t i = 0; i < st->n; i++)
			sd_review_lines(ctx->out, st->items[i].op);
	}
	if (ctx->m)
		not_compared_line(ctx->out, ctx->m);
	free(st->items);
	free(st);
	ctx->state = NULL;
	return 0;
}

const sd_emitter sd_emitter_review = {
	.name = "text",
	.begin = review_begin,
	.op = review_op,
	.end = review_end,
};
