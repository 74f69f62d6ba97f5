/*
 * postgresql_alembic.c - PostgreSQL types as SQLAlchemy 1.4 types, the way
 * Alembic 1.8's autogenerate renders a reflected column (render.py
 * _repr_type: "sa.%r" for sqlalchemy.types, "postgresql.%r" for the
 * dialect's own types).
 *
 * The type is first put in the server's canonical form (format_type, via
 * the dialect's normalize_type), so "int4", "INT" and "integer" render
 * alike; what SQLAlchemy's PostgreSQL compiler writes back is that same
 * type:
 *   integer -> sa.INTEGER()     character varying(32) -> sa.VARCHAR(length=32)
 *   numeric(10,2) -> sa.NUMERIC(precision=10, scale=2)
 *   timestamp(3) with time zone -> postgresql.TIMESTAMP(timezone=True, precision=3)
 *   double precision -> postgresql.DOUBLE_PRECISION(precision=53)
 *   jsonb -> postgresql.JSONB(astext_type=sa.Text())   integer[] -> postgresql.ARRAY(sa.INTEGER())
 * Anything else (a user-defined type such as an enum, a domain, a type with
 * a modifier SQLAlchemy does not model) becomes SQLType('<the text>'),
 * which compiles to exactly that text (SD_IMPORT_SQLTYPE).
 */
#include <stdlib.h>
#include <string.h>

#include "schemadiff/dialect.h"
#include "dialect/postgresql_alembic.h"
#include "emit/pylit.h"

static const struct {
	const char *name;   /* canonical type, without modifiers */
	const char *py;     /* rendered class */
	bool pg;            /* from sqlalchemy.dialects.postgresql */
} plain[] = {
	{ "integer", "sa.INTEGER()", false },
	{ "bigint", "sa.BIGINT()", false },
	{ "smallint", "sa.SMALLINT()", false },
	{ "boolean", "sa.BOOLEAN()", false },
	{ "text", "sa.TEXT()", false },
	{ "date", "sa.DATE()", false },
	{ "real", "sa.REAL()", false },
	{ "numeric", "sa.NUMERIC()", false },
	{ "character varying", "sa.VARCHAR()", false },
	{ "double precision", "postgresql.DOUBLE_PRECISION(precision=53)", true },
	{ "bytea", "postgresql.BYTEA()", true },
	{ "json", "postgresql.JSON(astext_type=sa.Text())", true },
	{ "jsonb", "postgresql.JSONB(astext_type=sa.Text())", true },
	{ "uuid", "postgresql.UUID()", true },
	{ "inet", "postgresql.INET()", true },
	{ "cidr", "postgresql.CIDR()", true },
	{ "macaddr", "postgresql.MACADDR()", true },
	{ "money", "postgresql.MONEY()", true },
	{ "oid", "postgresql.OID()", true },
	{ "tsvector", "postgresql.TSVECTOR()", true },
	{ "interval", "postgresql.INTERVAL()", true },
	{ "timestamp without time zone", "postgresql.TIMESTAMP()", true },
	{ "timestamp with time zone", "postgresql.TIMESTAMP(timezone=True)", true },
	{ "time without time zone", "postgresql.TIME()", true },
	{ "time with time zone", "postgresql.TIME(timezone=True)", true },
};

/* "name(a,b) rest" -> name, up to two numbers, rest (e.g. " with time zone"). */
static bool split_mods(const char *t, sd_str *base, long *p, size_t *np)
{
	const char *open = strchr(t, '('), *close, *s;

	*np = 0;
	if (!open) {
		sd_str_add(base, t);
		return true;
	}
	close = strchr(open, ')');
	if (!close)
		return false;
	sd_str_addn(base, t, (size_t)(open - t));
	sd_str_add(base, close + 1);
	for (s = open + 1; s < close && *np < 2;) {
		char *end;
		long v = strtol(s, &end, 10);

		if (end == s || v < 0)
			return false;
		p[(*np)++] = v;
		s = end;
		while (*s == ' ' || *s == ',')
			s++;
	}
	return s == close;
}

/* Render canonical type t; false when SQLAlchemy has no type for it. */
static bool render(sd_str *out, const char *t, unsigned *imports)
{
	sd_str base = SD_STR_INIT;
	long p[2];
	size_t np, len = strlen(t);
	bool ok = false;

	if (len > 2 && strcmp(t + len - 2, "[]") == 0) {
		sd_str elem = SD_STR_INIT, r = SD_STR_INIT;
		size_t n = len;

		while (n > 2 && strncmp(t + n - 2, "[]", 2) == 0)
			n -= 2;
		sd_str_addn(&elem, t, n);
		if (render(&r, elem.ptr, imports)) {
			sd_str_addf(out, "postgresql.ARRAY(%s", r.ptr);
			if ((len - n) / 2 > 1)
				sd_str_addf(out, ", dimensions=%zu", (len - n) / 2);
			sd_str_addch(out, ')');
			*imports |= SD_IMPORT_POSTGRESQL;
			ok = true;
		}
		sd_str_release(&elem);
		sd_str_release(&r);
		return ok;
	}
	if (!split_mods(t, &base, p, &np))
		goto done;
	if (np == 0) {
		for (size_t i = 0; i < SD_ARRAY_LEN(plain); i++)
			if (strcmp(base.ptr, plain[i].name) == 0) {
				sd_str_add(out, plain[i].py);
				if (plain[i].pg)
					*imports |= SD_IMPORT_POSTGRESQL;
				ok = true;
				goto done;
			}
		goto done;
	}
	if (strcmp(base.ptr, "character varying") == 0 && np == 1) {
		sd_str_addf(out, "sa.VARCHAR(length=%ld)", p[0]);
	} else if (strcmp(base.ptr, "character") == 0 && np == 1) {
		sd_str_addf(out, "sa.CHAR(length=%ld)", p[0]);
	} else if (strcmp(base.ptr, "numeric") == 0) {
		sd_str_addf(out, "sa.NUMERIC(precision=%ld, scale=%ld)", p[0], np > 1 ? p[1] : 0L);
	} else if (np == 1 && (strcmp(base.ptr, "timestamp without time zone") == 0 ||
			       strcmp(base.ptr, "time without time zone") == 0)) {
		sd_str_addf(out, "postgresql.%s(precision=%ld)",
			    base.ptr[4] == 's' ? "TIMESTAMP" : "TIME", p[0]);
		*imports |= SD_IMPORT_POSTGRESQL;
	} else if (np == 1 && (strcmp(base.ptr, "timestamp with time zone") == 0 ||
			       strcmp(base.ptr, "time with time zone") == 0)) {
		sd_str_addf(out, "postgresql.%s(timezone=True, precision=%ld)",
			    base.ptr[4] == 's' ? "TIMESTAMP" : "TIME", p[0]);
		*imports |= SD_IMPORT_POSTGRESQL;
	} else {
		goto done;
	}
	ok = true;
done:
	sd_str_release(&base);
	return ok;
}

void sd_pg_alembic_type(sd_str *out, const char *type, unsigned *imports)
{
	sd_str canon = SD_STR_INIT;

	if (!type || !*type) {
		sd_str_add(out, "sa.TEXT()");
		return;
	}
	sd_dialect_postgresql.normalize_type(&canon, type);
	if (!render(out, canon.ptr, imports)) {
		sd_str_add(out, "SQLType(");
		sd_py_str(out, type);
		sd_str_addch(out, ')');
		*imports |= SD_IMPORT_SQLTYPE;
	}
	sd_str_release(&canon);
}
