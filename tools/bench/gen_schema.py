#!/usr/bin/python3
"""gen_schema.py - deterministic generator of a realistic N-table schema and its next version.

Usage: gen_schema.py N OUTDIR [--seed S] [--change-rate R] [--new-sql] [--dialect D]

Writes into OUTDIR (--dialect sqlite, the default):
  old.sql           builds the OLD SQLite database (sqlite3 old.db < old.sql)
  new.json          the NEW schema in the schemadiff file format
  new_metadata.py   the NEW schema as a SQLAlchemy 1.4 MetaData (module attribute `metadata`)
  changes.txt       the changes made between the two versions, one per line (sorted)
  new.sql           (with --new-sql) builds the NEW database, to check new.json against

With --dialect postgresql, the same two schema versions for PostgreSQL instead:
  old.pg.sql        builds the OLD database (psql -1 -f old.pg.sql; no BEGIN/COMMIT inside)
  new.pg.sql        builds the NEW database
  new.pg.json       the NEW schema in the schemadiff file format, dialect postgresql
  new_metadata_pg.py  the NEW schema as a SQLAlchemy 1.4 MetaData with PostgreSQL types
  changes.txt       as above (the same changes)
PostgreSQL types: BOOLEAN is native (no CHECK, defaults false/true), FLOAT is DOUBLE
PRECISION, BLOB is BYTEA, TIMESTAMP is timestamp without time zone.  Names longer than
PostgreSQL's 63 bytes are shortened to 54 bytes + "_" + 8 hex digits of their MD5, the same in
every file.  The SQLite files do not depend on this option.

Tables have 8-20 columns of mixed types (BIGINT, INTEGER, VARCHAR(n), TEXT, BOOLEAN with a
named CHECK, FLOAT, NUMERIC(p, s), TIMESTAMP, DATE, BLOB), a primary key (sometimes two
columns), 0-3 foreign keys to earlier tables with referential actions, 1-4 indexes (an index
per FK column first), some named UNIQUE constraints, named CHECKs and server defaults.
The next version changes about R (default 3 %) of the tables: columns added, dropped or
retyped, indexes added or dropped, and a few tables added or dropped (only tables nothing
else references).  Same N and seed give byte-identical files.  Standard library only.
"""
import argparse
import hashlib
import json
import math
import os
import random

DOMAINS = ["sales", "billing", "catalog", "inventory", "shipping", "hr", "crm", "audit",
           "sensor", "survey", "ledger", "auth", "media", "forum", "calib", "obs"]
NOUNS = ["order", "invoice", "item", "customer", "account", "event", "reading", "batch",
         "exposure", "visit", "detector", "payment", "address", "session", "ticket", "asset",
         "contract", "shipment", "warehouse", "review", "document", "task", "run", "frame"]
COLWORDS = ["name", "code", "status", "label", "amount", "price", "qty", "ratio", "score",
            "created", "updated", "valid_from", "valid_to", "note", "payload", "flag", "active",
            "region", "country", "city", "email", "phone", "weight", "height", "width", "depth",
            "seq", "priority", "version", "checksum", "source", "target", "kind", "level",
            "ra", "dec", "airmass", "exptime", "band", "night", "comment", "owner", "hash"]
TYPES = [("BIGINT", 12), ("INTEGER", 14), ("VARCHAR", 22), ("TEXT", 6), ("BOOLEAN", 8),
         ("FLOAT", 10), ("NUMERIC", 8), ("TIMESTAMP", 10), ("DATE", 5), ("BLOB", 3)]
ACTIONS = [None, "CASCADE", "SET NULL", "RESTRICT", "NO ACTION"]


class Col:
    __slots__ = ("name", "type", "nullable", "default")

    def __init__(self, name, type_, nullable=True, default=None):
        self.name, self.type, self.nullable, self.default = name, type_, nullable, default

    def copy(self):
        return Col(self.name, self.type, self.nullable, self.default)


class Table:
    def __init__(self, name):
        self.name = name
        self.cols = []
        self.pk = []
        self.fks = []       # dicts: name, cols, reft, refcols, on_delete, on_update
        self.uniques = []   # dicts: name, cols
        self.checks = []    # dicts: name, expr
        self.indexes = []   # dicts: name, cols, unique

    def col(self, name):
        for c in self.cols:
            if c.name == name:
                return c
        return None

    def copy(self):
        t = Table(self.name)
        t.cols = [c.copy() for c in self.cols]
        t.pk = list(self.pk)
        t.fks = [dict(f, cols=list(f["cols"]), refcols=list(f["refcols"])) for f in self.fks]
        t.uniques = [dict(u, cols=list(u["cols"])) for u in self.uniques]
        t.checks = [dict(c) for c in self.checks]
        t.indexes = [dict(i, cols=list(i["cols"])) for i in self.indexes]
        return t

    def used_cols(self):
        used = set(self.pk)
        for f in self.fks:
            used.update(f["cols"])
        for u in self.uniques:
            used.update(u["cols"])
        for i in self.indexes:
            used.update(i["cols"])
        for c in self.checks:
            used.add(c["col"])
        return used


def pick_type(rng):
    base = rng.choices([t for t, _ in TYPES], weights=[w for _, w in TYPES])[0]
    if base == "VARCHAR":
        return "VARCHAR(%d)" % rng.choice([8, 16, 32, 64, 128, 255])
    if base == "NUMERIC":
        p = rng.choice([8, 10, 12, 18])
        return "NUMERIC(%d, %d)" % (p, rng.choice([0, 2, 4]))
    return base


def pick_default(rng, type_):
    # Only defaults Alembic 1.8 reads back correctly on SQLite: its SQLite impl wraps
    # reflected defaults such as -1, 100, 0.5, '' or CURRENT_TIMESTAMP in parentheses on the
    # database side only, and would report them as changed on every run.
    if rng.random() > 0.15:
        return None
    if type_ in ("BIGINT", "INTEGER", "BOOLEAN"):
        return rng.choice(["0", "1"])
    if type_.startswith("VARCHAR") or type_ == "TEXT":
        return rng.choice(["'new'", "'unknown'", "'n/a'", "'active'"])
    return None


def add_data_col(rng, t, name):
    ty = pick_type(rng)
    c = Col(name, ty, rng.random() < 0.7, None)
    c.default = pick_default(rng, ty)
    t.cols.append(c)
    if ty == "BOOLEAN":
        t.checks.append({"name": "ck_%s_%s" % (t.name, name), "expr": "%s IN (0, 1)" % name, "col": name})
    elif ty.startswith("VARCHAR") and rng.random() < 0.25:
        n = ty[8:-1]
        t.checks.append({"name": "ck_%s_len_%s" % (t.name, name), "expr": "length(%s)<=%s" % (name, n),
                         "col": name})
    elif ty in ("INTEGER", "BIGINT", "NUMERIC") and rng.random() < 0.1:
        t.checks.append({"name": "ck_%s_%s_nonneg" % (t.name, name), "expr": "%s >= 0" % name, "col": name})
    return c


def fresh_colname(rng, t):
    while True:
        w = rng.choice(COLWORDS)
        name = w if t.col(w) is None else "%s_%d" % (w, rng.randrange(2, 100))
        if t.col(name) is None:
            return name


def make_table(rng, name, earlier):
    t = Table(name)
    composite = rng.random() < 0.1
    if composite:
        t.cols.append(Col("tenant_id", "INTEGER", False))
        t.cols.append(Col("id", "BIGINT", False))
        t.pk = ["tenant_id", "id"]
    else:
        t.cols.append(Col("id", "BIGINT", False))
        t.pk = ["id"]
    # foreign keys to earlier tables with a one-column primary key
    nfk = rng.choice([0, 0, 1, 1, 1, 2, 2, 3]) if earlier else 0
    targets = rng.sample(earlier, min(nfk, len(earlier)))
    for ref in targets:
        cname = "%s_id" % ref.name
        if t.col(cname) is not None:
            continue
        action = rng.choice(ACTIONS)
        nullable = action == "SET NULL" or rng.random() < 0.5
        t.cols.append(Col(cname, "BIGINT", nullable))
        t.fks.append({"name": "fk_%s_%s_%s" % (t.name, cname, ref.name), "cols": [cname],
                      "reft": ref.name, "refcols": ["id"], "on_delete": action,
                      "on_update": "CASCADE" if rng.random() < 0.1 else None})
        t.indexes.append({"name": "ix_%s_%s" % (t.name, cname), "cols": [cname], "unique": False})
    ncols = rng.randint(8, 20)
    while len(t.cols) < ncols:
        add_data_col(rng, t, fresh_colname(rng, t))
    data = [c.name for c in t.cols if c.name not in t.pk and not c.name.endswith("_id")]
    # named uniques
    if data and rng.random() < 0.3:
        cols = rng.sample(data, min(len(data), rng.choice([1, 1, 2])))
        t.uniques.append({"name": "uq_%s_%s" % (t.name, "_".join(cols)), "cols": cols})
    # plain indexes, to 1-4 in all
    want = rng.randint(1, 4)
    tries = 0
    while len(t.indexes) < want and data and tries < 10:
        tries += 1
        cols = rng.sample(data, min(len(data), rng.choice([1, 1, 1, 2, 3])))
        name = "ix_%s_%s" % (t.name, "_".join(cols))
        if any(i["name"] == name for i in t.indexes):
            continue
        t.indexes.append({"name": name, "cols": cols, "unique": rng.random() < 0.15})
    return t


def table_name(rng, i):
    return "%s_%s_%05d" % (rng.choice(DOMAINS), rng.choice(NOUNS), i)


def generate(n, seed, rate):
    rng = random.Random(seed)
    old = []
    singles = []
    for i in range(n):
        t = make_table(rng, table_name(rng, i), singles[-200:] if singles else [])
        old.append(t)
        if t.pk == ["id"]:
            singles.append(t)
    new = [t.copy() for t in old]
    changes = []
    nchange = max(1, int(math.ceil(n * rate)))
    referenced = {f["reft"] for t in old for f in t.fks}
    # a few tables dropped (nothing references them) and added
    ndrop = max(1, n // 500)
    droppable = [t.name for t in old if t.name not in referenced]
    drop = set(rng.sample(droppable, min(ndrop, len(droppable))))
    new = [t for t in new if t.name not in drop]
    for name in sorted(drop):
        changes.append("drop_table %s" % name)
    nadd = max(1, n // 500)
    live_singles = [t for t in new if t.pk == ["id"]]
    for k in range(nadd):
        t = make_table(rng, table_name(rng, n + k), live_singles[-200:])
        new.append(t)
        changes.append("add_table %s" % t.name)
    # per-table changes on ~rate of the tables
    victims = rng.sample(range(len(old) - len(drop)), min(nchange, len(old) - len(drop)))
    survivors = [t for t in new if t.name not in {c.split()[1] for c in changes if c.startswith("add_table")}]
    for v in sorted(victims):
        t = survivors[v]
        kind = rng.choice(["add_column", "add_column", "drop_column", "retype", "add_index",
                           "drop_index"])
        if kind == "add_column":
            name = fresh_colname(rng, t)
            ty = pick_type(rng)
            c = Col(name, ty, True, None)
            t.cols.append(c)
            changes.append("add_column %s.%s" % (t.name, name))
        elif kind == "drop_column":
            free = [c for c in t.cols if c.name not in t.used_cols()]
            if not free:
                continue
            c = rng.choice(free)
            t.cols.remove(c)
            changes.append("drop_column %s.%s" % (t.name, c.name))
        elif kind == "retype":
            cand = [c for c in t.cols if c.name not in t.used_cols()
                    and (c.type.startswith("VARCHAR") or c.type == "INTEGER")]
            if not cand:
                continue
            c = rng.choice(cand)
            old_type = c.type
            if c.type == "INTEGER":
                c.type = "BIGINT"
            else:
                c.type = "VARCHAR(%d)" % (int(c.type[8:-1]) * 2)
            changes.append("alter_column %s.%s %s -> %s" % (t.name, c.name, old_type, c.type))
        elif kind == "add_index":
            data = [c.name for c in t.cols if c.name not in t.pk]
            cols = rng.sample(data, min(2, len(data)))
            name = "ix_%s_%s_v2" % (t.name, "_".join(cols))
            t.indexes.append({"name": name, "cols": cols, "unique": False})
            changes.append("create_index %s" % name)
        else:
            fkcols = {c for f in t.fks for c in f["cols"]}
            cand = [i for i in t.indexes if not (set(i["cols"]) & fkcols)]
            if not cand:
                continue
            ix = rng.choice(cand)
            t.indexes.remove(ix)
            changes.append("drop_index %s" % ix["name"])
    return old, new, sorted(changes)


# ---- writers -------------------------------------------------------------

def sql_table(t):
    lines = []
    for c in t.cols:
        s = "%s %s" % (c.name, c.type)
        if c.default is not None:
            s += " DEFAULT %s" % c.default
        if not c.nullable:
            s += " NOT NULL"
        lines.append(s)
    lines.append("PRIMARY KEY (%s)" % ", ".join(t.pk))
    for u in t.uniques:
        lines.append("CONSTRAINT %s UNIQUE (%s)" % (u["name"], ", ".join(u["cols"])))
    for c in t.checks:
        lines.append("CONSTRAINT %s CHECK (%s)" % (c["name"], c["expr"]))
    for f in t.fks:
        s = "CONSTRAINT %s FOREIGN KEY(%s) REFERENCES %s (%s)" % (
            f["name"], ", ".join(f["cols"]), f["reft"], ", ".join(f["refcols"]))
        if f["on_delete"]:
            s += " ON DELETE %s" % f["on_delete"]
        if f["on_update"]:
            s += " ON UPDATE %s" % f["on_update"]
        lines.append(s)
    out = ["CREATE TABLE %s (\n\t%s\n);" % (t.name, ", \n\t".join(lines))]
    for i in t.indexes:
        out.append("CREATE %sINDEX %s ON %s (%s);" % ("UNIQUE " if i["unique"] else "", i["name"],
                                                     t.name, ", ".join(i["cols"])))
    return "\n".join(out)


def write_sql(path, tables, label):
    with open(path, "w", encoding="utf-8") as f:
        f.write("-- generated by tools/bench/gen_schema.py (%s)\nBEGIN;\n" % label)
        for t in tables:
            f.write(sql_table(t))
            f.write("\n")
        f.write("COMMIT;\n")


def json_table(t):
    jt = {"name": t.name, "columns": []}
    for c in t.cols:
        jc = {"name": c.name, "type": c.type, "nullable": c.nullable}
        if c.default is not None:
            jc["default"] = c.default
        jt["columns"].append(jc)
    jt["primary_key"] = {"columns": t.pk}
    if t.uniques:
        jt["unique_constraints"] = [{"name": u["name"], "columns": u["cols"]} for u in t.uniques]
    if t.fks:
        fks = []
        for f in t.fks:
            jf = {"name": f["name"], "columns": f["cols"], "referred_table": f["reft"],
                  "referred_columns": f["refcols"]}
            if f["on_delete"]:
                jf["on_delete"] = f["on_delete"]
            if f["on_update"]:
                jf["on_update"] = f["on_update"]
            fks.append(jf)
        jt["foreign_keys"] = fks
    if t.checks:
        jt["check_constraints"] = [{"name": c["name"], "expression": c["expr"]} for c in t.checks]
    if t.indexes:
        jt["indexes"] = [{"name": i["name"], "unique": i["unique"], "columns": i["cols"]}
                         for i in t.indexes]
    return jt


def write_json(path, tables):
    doc = {"format": "schemadiff/1", "dialect": "sqlite",
           "tables": [json_table(t) for t in tables]}
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


def sa_type(ty):
    if ty.startswith("VARCHAR("):
        return "VARCHAR(%s)" % ty[8:-1]
    if ty.startswith("NUMERIC("):
        return "NUMERIC(%s)" % ty[8:-1]
    return ty + "()"


def write_metadata(path, tables):
    with open(path, "w", encoding="utf-8") as f:
        f.write('"""The NEW schema as SQLAlchemy 1.4 MetaData; generated by tools/bench/gen_schema.py."""\n')
        f.write("from sqlalchemy import (MetaData, Table, Column, PrimaryKeyConstraint, UniqueConstraint,\n"
                "    ForeignKeyConstraint, CheckConstraint, Index, text)\n"
                "from sqlalchemy.types import (BIGINT, INTEGER, VARCHAR, TEXT, BOOLEAN, FLOAT, NUMERIC,\n"
                "    TIMESTAMP, DATE, BLOB)\n\n"
                "metadata = MetaData()\n\n")
        for t in tables:
            f.write("t = Table(%r, metadata,\n" % t.name)
            for c in t.cols:
                args = "%r, %s" % (c.name, sa_type(c.type))
                args += ", nullable=%s" % c.nullable
                if c.name in t.pk:
                    args += ", autoincrement=False"
                if c.default is not None:
                    args += ", server_default=text(%r)" % c.default
                f.write("    Column(%s),\n" % args)
            f.write("    PrimaryKeyConstraint(%s),\n" % ", ".join(repr(c) for c in t.pk))
            for u in t.uniques:
                f.write("    UniqueConstraint(%s, name=%r),\n" % (", ".join(repr(c) for c in u["cols"]),
                                                                 u["name"]))
            for c in t.checks:
                f.write("    CheckConstraint(%r, name=%r),\n" % (c["expr"], c["name"]))
            for fk in t.fks:
                extra = ""
                if fk["on_delete"]:
                    extra += ", ondelete=%r" % fk["on_delete"]
                if fk["on_update"]:
                    extra += ", onupdate=%r" % fk["on_update"]
                f.write("    ForeignKeyConstraint([%s], [%s], name=%r%s),\n" % (
                    ", ".join(repr(c) for c in fk["cols"]),
                    ", ".join(repr("%s.%s" % (fk["reft"], c)) for c in fk["refcols"]),
                    fk["name"], extra))
            f.write(")\n")
            for i in t.indexes:
                f.write("Index(%r, %s%s)\n" % (i["name"], ", ".join("t.c[%r]" % c for c in i["cols"]),
                                                ", unique=True" if i["unique"] else ""))
        f.write("del t\n")


# ---- PostgreSQL writers ----------------------------------------------------

PG_NAMEDATALEN = 63


def pg_name(name):
    """A name PostgreSQL keeps as written (it truncates identifiers to 63 bytes)."""
    if len(name.encode("utf-8")) <= PG_NAMEDATALEN:
        return name
    return "%s_%s" % (name[:54], hashlib.md5(name.encode("utf-8")).hexdigest()[:8])


def pg_type(ty):
    return {"FLOAT": "DOUBLE PRECISION", "BLOB": "BYTEA"}.get(ty, ty)


def pg_default(c):
    if c.default is not None and c.type == "BOOLEAN":
        return "true" if c.default == "1" else "false"
    return c.default


def pg_checks(t):
    """CHECKs on PostgreSQL: a native BOOLEAN needs no "IN (0, 1)" check."""
    types = {c.name: c.type for c in t.cols}
    return [c for c in t.checks if types.get(c["col"]) != "BOOLEAN"]


def pg_sql_table(t):
    lines = []
    for c in t.cols:
        s = "%s %s" % (c.name, pg_type(c.type))
        d = pg_default(c)
        if d is not None:
            s += " DEFAULT %s" % d
        if not c.nullable:
            s += " NOT NULL"
        lines.append(s)
    lines.append("PRIMARY KEY (%s)" % ", ".join(t.pk))
    for u in t.uniques:
        lines.append("CONSTRAINT %s UNIQUE (%s)" % (pg_name(u["name"]), ", ".join(u["cols"])))
    for c in pg_checks(t):
        lines.append("CONSTRAINT %s CHECK (%s)" % (pg_name(c["name"]), c["expr"]))
    for f in t.fks:
        s = "CONSTRAINT %s FOREIGN KEY (%s) REFERENCES %s (%s)" % (
            pg_name(f["name"]), ", ".join(f["cols"]), f["reft"], ", ".join(f["refcols"]))
        if f["on_delete"]:
            s += " ON DELETE %s" % f["on_delete"]
        if f["on_update"]:
            s += " ON UPDATE %s" % f["on_update"]
        lines.append(s)
    out = ["CREATE TABLE %s (\n\t%s\n);" % (t.name, ",\n\t".join(lines))]
    for i in t.indexes:
        out.append("CREATE %sINDEX %s ON %s (%s);" % ("UNIQUE " if i["unique"] else "",
                                                     pg_name(i["name"]), t.name,
                                                     ", ".join(i["cols"])))
    return "\n".join(out)


def write_pg_sql(path, tables, label):
    # no BEGIN/COMMIT: loaded with psql -1 (one transaction)
    with open(path, "w", encoding="utf-8") as f:
        f.write("-- generated by tools/bench/gen_schema.py (%s, PostgreSQL)\n" % label)
        for t in tables:
            f.write(pg_sql_table(t))
            f.write("\n")


def pg_json_table(t):
    jt = {"name": t.name, "columns": []}
    for c in t.cols:
        jc = {"name": c.name, "type": pg_type(c.type), "nullable": c.nullable}
        d = pg_default(c)
        if d is not None:
            jc["default"] = d
        jt["columns"].append(jc)
    jt["primary_key"] = {"columns": t.pk}
    if t.uniques:
        jt["unique_constraints"] = [{"name": pg_name(u["name"]), "columns": u["cols"]}
                                    for u in t.uniques]
    if t.fks:
        fks = []
        for f in t.fks:
            jf = {"name": pg_name(f["name"]), "columns": f["cols"], "referred_table": f["reft"],
                  "referred_columns": f["refcols"]}
            if f["on_delete"]:
                jf["on_delete"] = f["on_delete"]
            if f["on_update"]:
                jf["on_update"] = f["on_update"]
            fks.append(jf)
        jt["foreign_keys"] = fks
    checks = pg_checks(t)
    if checks:
        jt["check_constraints"] = [{"name": pg_name(c["name"]), "expression": c["expr"]}
                                   for c in checks]
    if t.indexes:
        jt["indexes"] = [{"name": pg_name(i["name"]), "unique": i["unique"], "columns": i["cols"]}
                         for i in t.indexes]
    return jt


def write_pg_json(path, tables):
    doc = {"format": "schemadiff/1", "dialect": "postgresql",
           "tables": [pg_json_table(t) for t in tables]}
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


def pg_sa_type(ty):
    if ty.startswith("VARCHAR("):
        return "VARCHAR(%s)" % ty[8:-1]
    if ty.startswith("NUMERIC("):
        return "NUMERIC(%s)" % ty[8:-1]
    return {"FLOAT": "DOUBLE_PRECISION", "BLOB": "BYTEA"}.get(ty, ty) + "()"


def write_pg_metadata(path, tables):
    with open(path, "w", encoding="utf-8") as f:
        f.write('"""The NEW schema as SQLAlchemy 1.4 MetaData, PostgreSQL types; generated by '
                'tools/bench/gen_schema.py."""\n')
        f.write("from sqlalchemy import (MetaData, Table, Column, PrimaryKeyConstraint, UniqueConstraint,\n"
                "    ForeignKeyConstraint, CheckConstraint, Index, text)\n"
                "from sqlalchemy.dialects.postgresql import (BIGINT, INTEGER, VARCHAR, TEXT, BOOLEAN,\n"
                "    DOUBLE_PRECISION, NUMERIC, TIMESTAMP, DATE, BYTEA)\n\n"
                "metadata = MetaData()\n\n")
        for t in tables:
            f.write("t = Table(%r, metadata,\n" % t.name)
            for c in t.cols:
                args = "%r, %s" % (c.name, pg_sa_type(c.type))
                args += ", nullable=%s" % c.nullable
                if c.name in t.pk:
                    args += ", autoincrement=False"
                d = pg_default(c)
                if d is not None:
                    args += ", server_default=text(%r)" % d
                f.write("    Column(%s),\n" % args)
            f.write("    PrimaryKeyConstraint(%s),\n" % ", ".join(repr(c) for c in t.pk))
            for u in t.uniques:
                f.write("    UniqueConstraint(%s, name=%r),\n" % (", ".join(repr(c) for c in u["cols"]),
                                                                 pg_name(u["name"])))
            for c in pg_checks(t):
                f.write("    CheckConstraint(%r, name=%r),\n" % (c["expr"], pg_name(c["name"])))
            for fk in t.fks:
                extra = ""
                if fk["on_delete"]:
                    extra += ", ondelete=%r" % fk["on_delete"]
                if fk["on_update"]:
                    extra += ", onupdate=%r" % fk["on_update"]
                f.write("    ForeignKeyConstraint([%s], [%s], name=%r%s),\n" % (
                    ", ".join(repr(c) for c in fk["cols"]),
                    ", ".join(repr("%s.%s" % (fk["reft"], c)) for c in fk["refcols"]),
                    pg_name(fk["name"]), extra))
            f.write(")\n")
            for i in t.indexes:
                f.write("Index(%r, %s%s)\n" % (pg_name(i["name"]),
                                                ", ".join("t.c[%r]" % c for c in i["cols"]),
                                                ", unique=True" if i["unique"] else ""))
        f.write("del t\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=20200519)
    ap.add_argument("--change-rate", type=float, default=0.03)
    ap.add_argument("--new-sql", action="store_true")
    ap.add_argument("--dialect", choices=["sqlite", "postgresql"], default="sqlite")
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    old, new, changes = generate(a.n, a.seed, a.change_rate)
    if a.dialect == "postgresql":
        label = "N=%d seed=%d" % (a.n, a.seed)
        write_pg_sql(os.path.join(a.outdir, "old.pg.sql"), old, label + ", old")
        write_pg_sql(os.path.join(a.outdir, "new.pg.sql"), new, label + ", new")
        write_pg_json(os.path.join(a.outdir, "new.pg.json"), new)
        write_pg_metadata(os.path.join(a.outdir, "new_metadata_pg.py"), new)
        with open(os.path.join(a.outdir, "changes.txt"), "w", encoding="utf-8") as f:
            f.write("".join(c + "\n" for c in changes))
        return
    write_sql(os.path.join(a.outdir, "old.sql"), old, "N=%d seed=%d, old" % (a.n, a.seed))
    write_json(os.path.join(a.outdir, "new.json"), new)
    write_metadata(os.path.join(a.outdir, "new_metadata.py"), new)
    if a.new_sql:
        write_sql(os.path.join(a.outdir, "new.sql"), new, "N=%d seed=%d, new" % (a.n, a.seed))
    with open(os.path.join(a.outdir, "changes.txt"), "w", encoding="utf-8") as f:
        f.write("".join(c + "\n" for c in changes))


if __name__ == "__main__":
    main()
