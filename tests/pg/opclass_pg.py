#!/usr/bin/python3
"""Operator classes and UNIQUE NULLS NOT DISTINCT: a database built from a file.

A schema file with operator classes (on columns and expressions, a GIN
class, a class of an extension living off the search_path, and defaults
named explicitly as SQLAlchemy's documentation names them) and with
UNIQUE NULLS NOT DISTINCT constraints (named and unnamed) is built into an
empty database twice: with `schemadiff revision --format sql` through
psql, and with the Alembic revision file through real Alembic (psycopg2).
Each time `check` against the file must find nothing, the server's own
index and constraint definitions must be the expected ones, and after the
downgrade the database must compare equal to the empty start.  The
Alembic file must carry postgresql_ops= for a column and for an
expression, and op.execute() where SQLAlchemy 1.4 cannot say it.
Prints "N passed, N failed"; exit 77 without PostgreSQL binaries.
"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_pg  # noqa: E402

EXE = os.environ["SCHEMADIFF"]
results = []

# objects the model does not hold: made in every database first
PRELUDE = "CREATE SCHEMA ext; CREATE EXTENSION pg_trgm SCHEMA ext;"

SCHEMA = {
    "format": "schemadiff/1",
    "dialect": "postgresql",
    "tables": [{
        "name": "doc",
        "columns": [
            {"name": "id", "type": "integer", "nullable": False},
            {"name": "name", "type": "text"},
            {"name": "code", "type": "character varying(20)"},
            {"name": "title", "type": "text"},
            {"name": "region", "type": "text"},
            {"name": "payload", "type": "jsonb"},
        ],
        "primary_key": {"name": "doc_pkey", "columns": ["id"]},
        "unique_constraints": [
            {"name": "doc_code_key", "columns": ["code"], "nulls_not_distinct": True},
            {"columns": ["title", "region"], "nulls_not_distinct": True},
        ],
        "indexes": [
            {"name": "doc_name_pattern",
             "columns": [{"column": "name", "opclass": "text_pattern_ops"}]},
            {"name": "doc_code_desc",
             "columns": [{"column": "code", "desc": True, "opclass": "varchar_pattern_ops"}]},
            {"name": "doc_lower_title",
             "columns": [{"expression": "lower(title)", "opclass": "text_pattern_ops"}]},
            {"name": "doc_mixed",
             "columns": [{"column": "id", "opclass": "int4_ops"},
                         {"expression": "lower(name)", "opclass": "text_pattern_ops"}]},
            {"name": "doc_payload", "method": "gin",
             "columns": [{"column": "payload", "opclass": "jsonb_path_ops"}]},
            {"name": "doc_title_trgm", "method": "gin",
             "columns": [{"column": "title", "opclass": "ext.gin_trgm_ops"}]},
        ],
    }],
}

# what the server must show afterwards (pg_indexes.indexdef, sorted)
WANT = sorted([
    "CREATE INDEX doc_code_desc ON public.doc USING btree (code varchar_pattern_ops DESC)",
    "CREATE INDEX doc_lower_title ON public.doc USING btree (lower(title) text_pattern_ops)",
    "CREATE INDEX doc_mixed ON public.doc USING btree (id, lower(name) text_pattern_ops)",
    "CREATE INDEX doc_name_pattern ON public.doc USING btree (name text_pattern_ops)",
    "CREATE INDEX doc_payload ON public.doc USING gin (payload jsonb_path_ops)",
    "CREATE INDEX doc_title_trgm ON public.doc USING gin (title ext.gin_trgm_ops)",
    "CREATE UNIQUE INDEX doc_code_key ON public.doc USING btree (code) NULLS NOT DISTINCT",
    "CREATE UNIQUE INDEX doc_pkey ON public.doc USING btree (id)",
    "CREATE UNIQUE INDEX doc_title_region_key ON public.doc USING btree (title, region)"
    " NULLS NOT DISTINCT",
])
DEFS = ("SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'doc' "
        "ORDER BY 1")
CONS = ("SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = 'public.doc'::regclass AND contype = 'u' ORDER BY 1")

ALEMBIC_ENV = '''from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
connectable = engine_from_config(config.get_section(config.config_ini_section),
                                 prefix="sqlalchemy.", poolclass=pool.NullPool)
with connectable.connect() as connection:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()
'''


def check(name, ok, detail=""):
    results.append(ok)
    print("%s %s" % ("ok  " if ok else "FAIL", name))
    if not ok and detail:
        print("  " + detail.replace("\n", "\n  "))


def psql(db, sql):
    return subprocess.run(["psql", "-q", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-d", db],
                          input=sql, capture_output=True, text=True)


def sd(cwd, *args):
    return subprocess.run([EXE] + list(args), cwd=cwd, capture_output=True, text=True)


def lines(db, sql):
    return psql(db, sql).stdout.splitlines()


def build(fmt, tmp, target, empty):
    """Build the file into a fresh database with the fmt revision; check both ways."""
    with run_pg.Database() as d:
        url = "postgresql:///%s" % d.name
        r = psql(d.name, PRELUDE)
        check(fmt + ": prelude", r.returncode == 0, r.stderr)
        work = os.path.join(tmp, fmt)
        versions = os.path.join(work, "versions")
        os.makedirs(versions)
        out = os.path.join(versions, "r1.py" if fmt == "alembic" else "r1.sql")
        r = sd(work, "revision", url, target, "--format", fmt, "--rev-id", "r1", "-m", "build",
               "--versions", versions, "--no-verify", "-o", out)
        check(fmt + ": revision", r.returncode == 0, r.stderr)
        text = open(out, encoding="utf-8").read()
        if fmt == "alembic":
            check("alembic: postgresql_ops on a column",
                  "postgresql_ops={'name': 'text_pattern_ops'}" in text, text)
            check("alembic: postgresql_ops on an expression, keyed by its text",
                  "[sa.text('lower(title)')], unique=False, "
                  "postgresql_ops={'lower(title)': 'text_pattern_ops'}" in text, text)
            check("alembic: a qualified class", "postgresql_ops={'title': 'ext.gin_trgm_ops'}"
                  in text, text)
            check("alembic: op.execute where SQLAlchemy 1.4 cannot say it",
                  "op.execute('CREATE INDEX doc_code_desc ON doc (code varchar_pattern_ops DESC)')"
                  in text and "UNIQUE NULLS NOT DISTINCT (code)')" in text, text)
            open(os.path.join(work, "env.py"), "w").write(ALEMBIC_ENV)
            ini = os.path.join(work, "alembic.ini")
            open(ini, "w").write("[alembic]\nscript_location = %s\n"
                                 "sqlalchemy.url = postgresql+psycopg2:///%s\n" % (work, d.name))
            up = ["/usr/bin/alembic", "-c", ini, "upgrade", "head"]
            down = ["/usr/bin/alembic", "-c", ini, "downgrade", "base"]
            r = subprocess.run(up, capture_output=True, text=True)
        else:
            up_sql, down_sql = text.split("\n-- migrate:down\n", 1)
            r = psql(d.name, up_sql)
        check(fmt + ": upgrade runs", r.returncode == 0, r.stderr)
        r = sd(tmp, "check", url, target)
        check(fmt + ": the built database compares equal to the file", r.returncode == 0,
              r.stdout + r.stderr)
        r = sd(tmp, "check", target, url)
        check(fmt + ": and the file to the database", r.returncode == 0, r.stdout + r.stderr)
        got = lines(d.name, DEFS)
        check(fmt + ": the server's index definitions", got == WANT,
              "want:\n%s\ngot:\n%s" % ("\n".join(WANT), "\n".join(got)))
        cons = lines(d.name, CONS)
        check(fmt + ": unique constraints NULLS NOT DISTINCT",
              cons == ["doc_code_key UNIQUE NULLS NOT DISTINCT (code)",
                       "doc_title_region_key UNIQUE NULLS NOT DISTINCT (title, region)"],
              "\n".join(cons))
        # a second revision finds nothing to do
        r = sd(work, "diff", url, target)
        check(fmt + ": no ops left", r.returncode == 0 and "No changes detected" in r.stdout,
              r.stdout + r.stderr)
        if fmt == "alembic":
            r = subprocess.run(down, capture_output=True, text=True)
        else:
            r = psql(d.name, down_sql)
        check(fmt + ": downgrade runs", r.returncode == 0, r.stderr)
        r = sd(tmp, "check", url, empty)
        check(fmt + ": after the downgrade the database is the empty start",
              r.returncode == 0, r.stdout + r.stderr)


def main():
    stop = run_pg.ensure_cluster()
    try:
        with tempfile.TemporaryDirectory(prefix="sd-pgopc-") as tmp, run_pg.Database() as e:
            target = os.path.join(tmp, "target.json")
            json.dump(SCHEMA, open(target, "w"), indent=2)
            r = psql(e.name, PRELUDE)
            check("empty start", r.returncode == 0, r.stderr)
            empty = "postgresql:///%s" % e.name
            for fmt in ("sql", "alembic"):
                build(fmt, tmp, target, empty)
            # the introspected file names the classes as the server does
            with run_pg.Database() as d:
                psql(d.name, PRELUDE)
                r = psql(d.name, "CREATE TABLE t (a text, b text, CONSTRAINT t_a_key UNIQUE "
                         "NULLS NOT DISTINCT (a)); CREATE INDEX t_b ON t USING gin "
                         "(b ext.gin_trgm_ops); CREATE INDEX t_ab ON t (a text_ops, "
                         "(b || a) text_pattern_ops)")
                check("introspection source", r.returncode == 0, r.stderr)
                r = sd(tmp, "introspect", "postgresql:///%s" % d.name)
                doc = json.loads(r.stdout) if r.returncode == 0 else {}
                t = (doc.get("tables") or [{}])[0]
                ix = {i["name"]: i["columns"] for i in t.get("indexes", [])}
                check("introspect: a class off the search_path is qualified",
                      ix.get("t_b") == [{"column": "b", "opclass": "ext.gin_trgm_ops"}], r.stdout)
                check("introspect: a default class is not written; an expression's is",
                      ix.get("t_ab") == ["a", {"expression": "(b || a)",
                                               "opclass": "text_pattern_ops"}], r.stdout)
                check("introspect: NULLS NOT DISTINCT of a unique constraint",
                      t.get("unique_constraints") == [{"name": "t_a_key", "columns": ["a"],
                                                       "nulls_not_distinct": True}], r.stdout)
    finally:
        stop()
    failed = results.count(False)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
