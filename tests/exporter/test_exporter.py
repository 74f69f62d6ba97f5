#!/usr/bin/env python3
"""Exporter tests (suite 'exporter'): tools/export-sqlalchemy against the
databases metadata.create_all() builds on SQLite.

For every fixture in models/: export for SQLite; the file must validate
against schemas/schema.schema.json, be byte-identical to its canonical
rewrite (`schemadiff introspect FILE`), and compare equal to the database
create_all() builds, in both directions (`schemadiff check`).  The weekly
registry must also equal fixtures/weekly/w.2020.22.json.  Then fixture
specific facts (names from naming conventions, CHECKs of Boolean/Enum,
autoincrement, collations, PostgreSQL exports) and the error cases.
Run with a Python that has SQLAlchemy and jsonschema (Debian's python3).
"""
import importlib
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.environ.get("SD_SOURCE_ROOT") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", ".."))
SCHEMADIFF = os.environ.get("SCHEMADIFF", "schemadiff")
TOOL = os.path.join(ROOT, "tools", "export-sqlalchemy")
HERE = os.path.join(ROOT, "tests", "exporter")
sys.path.insert(0, HERE)

import jsonschema  # noqa: E402
import sqlalchemy as sa  # noqa: E402

# fixture target -> module (target is MODULE:ATTRIBUTE relative to tests/exporter)
FIXTURES = [
    "models.weekly:metadata",
    "models.coltypes:metadata",
    "models.conventions:both",
    "models.indexes:metadata",
    "models.names:metadata",
    "models.computed:metadata",
    "models.cycles:metadata",
    "models.sqlite_only:metadata",
]

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def export(target, out, dialect="sqlite", extra=()):
    cmd = [sys.executable, TOOL, target, "--sys-path", HERE, "--dialect", dialect,
           "-o", out] + list(extra)
    return subprocess.run(cmd, capture_output=True, text=True)


def schemadiff(*args):
    return subprocess.run([SCHEMADIFF] + list(args), capture_output=True, text=True)


def metadatas(target):
    mod, attr = target.split(":")
    obj = getattr(importlib.import_module(mod), attr)
    if callable(obj) and not isinstance(obj, sa.MetaData):
        obj = obj()
    return obj if isinstance(obj, (list, tuple)) else [obj]


with open(os.path.join(ROOT, "schemas", "schema.schema.json")) as f:
    VALIDATOR = jsonschema.Draft202012Validator(json.load(f))


def validate(path, what):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    errs = sorted(VALIDATOR.iter_errors(doc), key=lambda e: list(e.path))
    for e in errs[:5]:
        fail("%s: schema.schema.json: %s at %s" % (what, e.message, list(e.path)))
    return doc


def canonical(path, what):
    r = schemadiff("introspect", path)
    if r.returncode != 0:
        fail("%s: schemadiff introspect failed: %s" % (what, r.stderr.strip()))
        return
    with open(path, encoding="utf-8") as f:
        mine = f.read()
    if r.stdout != mine:
        import difflib
        diff = "".join(list(difflib.unified_diff(mine.splitlines(True), r.stdout.splitlines(True),
                                                 "exported", "canonical"))[:40])
        fail("%s: not in canonical layout:\n%s" % (what, diff))


def check_equal(a, b, what):
    for x, y in ((a, b), (b, a)):
        r = schemadiff("check", x, y)
        if r.returncode != 0:
            fail("%s: schemadiff check %s %s exited %d:\n%s%s"
                 % (what, os.path.basename(x), os.path.basename(y), r.returncode,
                    r.stdout, r.stderr))


def table(doc, name, schema=None):
    for t in doc["tables"]:
        if t["name"] == name and t.get("schema") == schema:
            return t
    fail("table %s not exported" % name)
    return {"columns": []}


def column(t, name):
    for c in t["columns"]:
        if c["name"] == name:
            return c
    fail("column %s.%s not exported" % (t.get("name"), name))
    return {}


def expect(cond, msg):
    if not cond:
        fail(msg)


def facts_sqlite(docs):
    """What the comparator cannot see or must not be trusted with alone."""
    w = docs["models.weekly:metadata"]
    dc = table(w, "dataset_consumers")
    expect({"expression": "actual IN (0, 1)"} in dc.get("check_constraints", []),
           "weekly: Boolean(create_constraint=True) CHECK missing on SQLite")
    fk = [f for f in table(w, "dataset").get("foreign_keys", []) if f["columns"] == ["quantum_id"]]
    expect(fk and fk[0].get("name") == "fkey_dataset_quantum_id_quantum_id"
           and fk[0].get("on_delete") == "SET NULL", "weekly: dataset.quantum_id FK %r" % fk)

    t = docs["models.coltypes:metadata"]
    et = table(t, "every_type")
    expect(column(table(t, "ticket"), "id").get("autoincrement") is True,
           "coltypes: sqlite_autoincrement=True column not autoincrement: true")
    expect("autoincrement" not in column(et, "id"), "coltypes: plain INTEGER PK must stay 'auto'")
    expect("default" not in column(et, "py_default") and "default" not in column(et, "py_time"),
           "coltypes: Python-side default= exported as a server default")
    expect(column(et, "name").get("default") == "'anonymous'", "coltypes: string default quoting")
    expect(column(et, "quote").get("default") == "'it''s'", "coltypes: quote in string default")
    expect(column(et, "nocase") == {"name": "nocase", "type": "VARCHAR(30)", "nullable": True,
                                    "collation": "NOCASE"}, "coltypes: collation %r"
           % column(et, "nocase"))
    expect(column(et, "upper").get("type") == "VARCHAR(40)", "coltypes: TypeDecorator impl type")
    expect(column(et, "body").get("comment") == "free text\n\t\x01\x1f \u00e9\u2028 \"q\" \\",
           "coltypes: column comment %r" % column(et, "body").get("comment"))
    expect(column(et, "seen").get("default") == "(CURRENT_TIMESTAMP)",
           "coltypes: SQLite keeps a function default in parentheses")
    checks = et.get("check_constraints", [])
    expect({"name": "kind_enum", "expression": "kind IN ('small', 'large')"} in checks,
           "coltypes: Enum(create_constraint=True) CHECK %r" % checks)
    expect(not any("loose_kind" in c["expression"] for c in checks),
           "coltypes: Enum without create_constraint got a CHECK")

    c = docs["models.conventions:both"]
    acc = table(c, "account")
    expect(acc.get("primary_key", {}).get("name") == "pk_account", "conventions: pk name")
    expect({"name": "uq_account_email", "columns": ["email"]} in acc.get("unique_constraints", []),
           "conventions: column unique=True -> uq_account_email")
    names = sorted(x["name"] for x in acc.get("indexes", []))
    expect(names == ["ix_account_login", "ix_account_nick"], "conventions: indexes %r" % names)
    expect(any(x["name"] == "ix_account_nick" and x.get("unique") for x in acc.get("indexes", [])),
           "conventions: index=True, unique=True is a unique index")
    cks = sorted(x.get("name") for x in acc.get("check_constraints", []))
    expect(cks == ["ck_account_active_bool", "ck_account_balance_positive"],
           "conventions: check names %r" % cks)
    pp = table(c, "plain_parent")
    expect(all("name" not in x for x in pp.get("check_constraints", []))
           and len(pp.get("check_constraints", [])) == 2,
           "conventions: unnamed CHECKs without a convention must stay unnamed")
    ch = table(c, "plain_child")
    fks = {tuple(f["columns"]): f for f in ch.get("foreign_keys", [])}
    f1 = fks.get(("parent_id",), {})
    expect("name" not in f1 and f1.get("on_delete") == "SET NULL" and
           f1.get("on_update") == "CASCADE", "conventions: unnamed FK %r" % f1)
    f2 = fks.get(("parent_code",), {})
    expect(f2.get("name") == "named_by_hand" and f2.get("deferrable") is True and
           f2.get("initially") == "DEFERRED", "conventions: deferrable FK %r" % f2)

    n = docs["models.names:metadata"]
    o = table(n, "order")
    expect({"name": 'ck "quoted" name', "expression": '"größe" > 0'}
           in o.get("check_constraints", []), "names: quoted check %r" % o.get("check_constraints"))
    expect(column(o, "größe").get("type") == "NUMERIC(8, 2)", "names: unicode column")

    g = docs["models.computed:metadata"]
    r = table(g, "rect")
    expect(column(r, "area").get("generated") == {"expression": "w * h"},
           "computed: virtual %r" % column(r, "area"))
    expect(column(r, "perimeter").get("generated") == {"expression": "2 * (w + h)",
                                                       "stored": True}, "computed: stored")

    so = docs["models.sqlite_only:metadata"]
    p = table(so, "person")
    ix = {i["name"]: i["columns"] for i in p.get("indexes", [])}
    expect(ix.get("ix_person_name_nocase") == [{"column": "name", "collation": "NOCASE"}] and
           ix.get("ix_person_nick_nocase") == ["nick"] and
           ix.get("ix_person_nick_rtrim") == [{"column": "nick", "desc": True,
                                               "collation": "RTRIM"}],
           "sqlite_only: index collations %r" % ix)
    expect(table(so, "kv").get("without_rowid") is True, "sqlite_only: WITHOUT ROWID")
    expect(column(table(so, "kv"), "k").get("nullable") is False, "sqlite_only: WITHOUT ROWID PK")
    expect(any(t["name"] == "in_main" and "schema" not in t for t in so["tables"]),
           "sqlite_only: schema main is the default one")

    y = docs["models.cycles:metadata"]
    d = table(y, "department")
    expect([f.get("name") for f in d.get("foreign_keys", [])] == ["fk_department_head_id_employee"],
           "cycles: use_alter FK on SQLite is created inline, named")
    nd = table(y, "node")
    expect(nd.get("foreign_keys", [{}])[0].get("referred_table") == "node", "cycles: self FK")


def facts_postgresql(tmp):
    """PostgreSQL exports need no server: what SQLAlchemy would emit there."""
    out = {}
    for target in [f for f in FIXTURES if "sqlite_only" not in f] + ["models.pg_only:metadata"]:
        path = os.path.join(tmp, target.replace(":", "_") + ".pg.json")
        r = export(target, path, "postgresql")
        if r.returncode != 0:
            fail("%s (postgresql): exit %d: %s" % (target, r.returncode, r.stderr))
            continue
        out[target] = validate(path, target + " (postgresql)")
        canonical(path, target + " (postgresql)")
    if "models.weekly:metadata" in out:
        dc = table(out["models.weekly:metadata"], "dataset_consumers")
        expect(not dc.get("check_constraints"), "pg: native BOOLEAN must not get a CHECK")
    if "models.coltypes:metadata" in out:
        et = table(out["models.coltypes:metadata"], "every_type")
        expect(column(et, "id") == {"name": "id", "type": "integer", "nullable": False,
                                    "autoincrement": True},
               "pg: SERIAL column %r" % column(et, "id"))
        expect(column(et, "name").get("type") == "character varying(50)",
               "pg: types as format_type() prints them")
        expect(column(et, "kind").get("type") == "kind_enum", "pg: native enum type name")
        expect(column(et, "nocase").get("collation") == "C", "pg: with_variant collation")
        expect(column(et, "dbl").get("type") == "double precision", "pg: with_variant type")
        expect(not any("kind IN" in c["expression"] for c in et.get("check_constraints", [])),
               "pg: native enum must not get a CHECK")
    if "models.conventions:both" in out:
        lt = table(out["models.conventions:both"],
                   "a_table_with_a_rather_long_name_for_its_constraints")
        names = [u.get("name", "") for u in lt.get("unique_constraints", [])] + \
            [f.get("name", "") for f in lt.get("foreign_keys", [])]
        expect(len(names) == 2 and all(len(x.encode()) <= 63 for x in names),
               "pg: naming-convention names truncated to 63 bytes: %r" % names)
        # SQLAlchemy's rule: first 55 characters, "_", last 4 hex digits of the md5
        expect(names[1].startswith("fk_a_table_with_a_rather_long_name_for_its_constrai") and
               len(names[1]) == 60, "pg: truncated FK name %r" % names[1:])
    if "models.pg_only:metadata" in out:
        p = out["models.pg_only:metadata"]
        ev = table(p, "event")
        expect(column(ev, "id").get("autoincrement") is True and "default" not in column(ev, "id"),
               "pg: IDENTITY column %r" % column(ev, "id"))
        ix = {i["name"]: i for i in ev.get("indexes", [])}
        expect(ix.get("ix_event_score", {}).get("columns") ==
               [{"column": "score", "desc": True, "nulls": "last"}], "pg: NULLS LAST DESC")
        expect(ix.get("ix_event_defaults", {}).get("columns") ==
               [{"column": "score", "desc": True}, "at"], "pg: NULLS of the direction's default")
        acc = table(p, "account", "app")
        expect(column(acc, "id") == {"name": "id", "type": "bigint", "nullable": False,
                                     "autoincrement": True},
               "pg: BIGSERIAL in schema app %r" % column(acc, "id"))
        fk = ev.get("foreign_keys", [{}])[0]
        expect(fk.get("referred_schema") == "app", "pg: referred_schema %r" % fk)
        dx = {i["name"]: i for i in table(p, "doc").get("indexes", [])}
        expect(dx.get("ix_doc_name_pattern", {}).get("columns") ==
               [{"column": "name", "opclass": "text_pattern_ops"}], "pg: postgresql_ops on a column")
        expect(dx.get("ix_doc_title_lower", {}).get("columns") ==
               [{"column": "id", "opclass": "int4_ops"},
                {"expression": "lower(title)", "opclass": "text_pattern_ops"}],
               "pg: postgresql_ops keyed by a label: %r" % dx.get("ix_doc_title_lower"))
        expect(dx.get("ix_doc_payload", {}).get("method") == "gin" and
               dx["ix_doc_payload"]["columns"] == [{"column": "payload",
                                                    "opclass": "jsonb_path_ops"}],
               "pg: postgresql_using and ops: %r" % dx.get("ix_doc_payload"))
        expect(dx.get("ix_doc_code", {}).get("include") == ["title"], "pg: postgresql_include")
    return out


def error_cases(tmp):
    out = os.path.join(tmp, "err.json")
    bad = os.path.join(tmp, "badmods")
    os.makedirs(bad, exist_ok=True)
    with open(os.path.join(bad, "broken_import.py"), "w") as f:
        f.write("import no_such_module_schemadiff_test\n")
    with open(os.path.join(bad, "raises.py"), "w") as f:
        f.write("raise RuntimeError('schema module exploded')\n")
    with open(os.path.join(bad, "notmd.py"), "w") as f:
        f.write("metadata = 42\nmaker = lambda: 'x'\nempty = []\n")
    with open(os.path.join(bad, "badname.py"), "w") as f:
        f.write("import sqlalchemy as sa\nmetadata = sa.MetaData(naming_convention="
                "{'ck': 'ck_%(table_name)s_%(constraint_name)s'})\n"
                "sa.Table('t', metadata, sa.Column('b', sa.Boolean(create_constraint=True)))\n")
    cases = [
        (["no_such_module_xyz:metadata"], "ModuleNotFoundError: No module named 'no_such_module_xyz'"),
        (["broken_import:metadata"], "No module named 'no_such_module_schemadiff_test'"),
        (["raises:metadata"], "RuntimeError: schema module exploded"),
        (["notmd:nothing"], "has no attribute 'nothing'"),
        (["notmd:metadata"], "is not a sqlalchemy MetaData"),
        (["notmd:maker"], "is not a sqlalchemy MetaData"),
        (["notmd:empty"], "no MetaData to export"),
        (["models.weekly:metadata", "--dialect", "mysql"], "unknown dialect 'mysql'"),
        (["badname:metadata"], "requires that constraint is explicitly named"),
    ]
    for args, needle in cases:
        cmd = [sys.executable, TOOL] + args + ["--sys-path", bad, "--sys-path", HERE, "-o", out]
        r = subprocess.run(cmd, capture_output=True, text=True)
        expect(r.returncode == 2, "error case %r: exit %d, want 2" % (args, r.returncode))
        expect(needle in r.stderr, "error case %r: stderr lacks %r:\n%s" % (args, needle, r.stderr))
        expect(not os.path.exists(out), "error case %r wrote the output file" % (args,))
        expect("Traceback" not in r.stderr or "raises" in args[0],
               "error case %r printed a traceback" % (args,))
    r = subprocess.run([sys.executable, TOOL, "--help"], capture_output=True, text=True)
    expect(r.returncode == 0 and "server_default" in r.stdout and "ignored" in r.stdout,
           "--help must explain that Python-side defaults are ignored")


def main():
    docs = {}
    with tempfile.TemporaryDirectory(prefix="sd-exporter-") as tmp:
        for target in FIXTURES:
            what = target + " (sqlite)"
            base = os.path.join(tmp, target.replace(":", "_"))
            path = base + ".json"
            r = export(target, path)
            if r.returncode != 0:
                fail("%s: exit %d: %s" % (what, r.returncode, r.stderr))
                continue
            if r.stderr:
                fail("%s: unexpected warnings: %s" % (what, r.stderr))
            docs[target] = validate(path, what)
            canonical(path, what)
            db = base + ".db"
            engine = sa.create_engine("sqlite:///" + db)
            for md in metadatas(target):
                md.create_all(engine)
            engine.dispose()
            check_equal("sqlite:///" + db, path, what)
            # deterministic: a second run writes the same bytes
            r2 = export(target, base + ".again.json")
            with open(path, "rb") as a, open(base + ".again.json", "rb") as b:
                expect(a.read() == b.read(), "%s: two runs differ" % what)
        if "models.weekly:metadata" in docs:
            check_equal(os.path.join(ROOT, "fixtures", "weekly", "w.2020.22.json"),
                        os.path.join(tmp, "models.weekly_metadata.json"), "weekly vs fixture")
        if len(docs) == len(FIXTURES):
            facts_sqlite(docs)
        # the callable form gives the same file as the MetaData it returns
        p1, p2 = os.path.join(tmp, "call.json"), os.path.join(tmp, "md.json")
        export("models.conventions:build", p1)
        export("models.conventions:metadata", p2)
        with open(p1, "rb") as a, open(p2, "rb") as b:
            expect(a.read() == b.read(), "callable target differs from its MetaData")
        facts_postgresql(tmp)
        error_cases(tmp)
    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("ok: %d fixtures" % len(FIXTURES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
