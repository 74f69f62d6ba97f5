#!/usr/bin/python3
"""Index access method, INCLUDE and NULLS NOT DISTINCT survive a round trip.

A database with a GIN index, a btree index with INCLUDE columns and a
UNIQUE ... NULLS NOT DISTINCT index (PostgreSQL 15) is introspected to a
file; the indexes are dropped; `schemadiff revision` from the bare database
to the file is applied through psql (SQL format), then `check` against the
file must exit 0 and the server's own index definitions must match the
originals.  The Alembic format must carry postgresql_using= and
postgresql_include=.  Prints "N passed, N failed"; exit 77 without
PostgreSQL binaries.
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

DDL = """
CREATE TABLE doc (id integer PRIMARY KEY, body jsonb, owner text, title text, code text);
CREATE INDEX doc_body_gin ON doc USING gin (body);
CREATE INDEX doc_owner_incl ON doc (owner) INCLUDE (title, code);
CREATE UNIQUE INDEX doc_code_nnd ON doc (code) NULLS NOT DISTINCT;
"""
DROP = "DROP INDEX doc_body_gin; DROP INDEX doc_owner_incl; DROP INDEX doc_code_nnd;"
DEFS = ("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'doc' "
        "AND indexname <> 'doc_pkey' ORDER BY 1")


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


def main():
    stop = run_pg.ensure_cluster()
    try:
        with run_pg.Database() as d, tempfile.TemporaryDirectory(prefix="sd-pgix-") as tmp:
            url = "postgresql:///%s" % d.name
            r = psql(d.name, DDL)
            check("schema loads", r.returncode == 0, r.stderr)
            before = psql(d.name, DEFS).stdout
            r = sd(tmp, "introspect", url, "-o", "target.json")
            check("introspect", r.returncode == 0, r.stderr)
            with open(os.path.join(tmp, "target.json"), encoding="utf-8") as f:
                text = f.read()
            check("the file holds method, include and nulls_not_distinct",
                  '"method": "gin"' in text and '"include"' in text and
                  '"nulls_not_distinct": true' in text, text)
            r = psql(d.name, DROP)
            check("indexes dropped", r.returncode == 0, r.stderr)
            # the long-lock marks of the review are in the JSON op list too, and survive render
            review = sd(tmp, "diff", url, "target.json").stdout
            r = sd(tmp, "diff", url, "target.json", "--format", "json")
            ops = json.loads(r.stdout)["ops"] if r.returncode == 0 else []
            locked = [o for o in ops if "long_lock" in o]
            check("JSON ops carry long_lock as the review marks it",
                  locked and all(o["op"] == "create_index" for o in locked) and
                  len(locked) == review.count("[long lock: "), r.stdout + r.stderr + review)
            os.makedirs(os.path.join(tmp, "versions"))
            for fmt in ("alembic", "sql"):
                r = sd(tmp, "revision", url, "target.json", "--rev-id", "r_" + fmt, "-m", "ix",
                       "--versions", "versions", "--head", "base", "--format", fmt,
                       "--no-verify", "-o", "rev." + ("py" if fmt == "alembic" else "sql"))
                check("revision --format " + fmt, r.returncode == 0, r.stderr)
            with open(os.path.join(tmp, "rev.py"), encoding="utf-8") as f:
                py = f.read()
            check("alembic: postgresql_using and postgresql_include",
                  "postgresql_using='gin'" in py and
                  "postgresql_include=['title', 'code']" in py, py)
            with open(os.path.join(tmp, "rev.sql"), encoding="utf-8") as f:
                up = f.read().split("-- migrate:up", 1)[1].split("-- migrate:down", 1)[0]
            r = psql(d.name, up)
            check("the up section runs", r.returncode == 0, r.stderr + up)
            r = sd(tmp, "check", url, "target.json")
            check("check against the file exits 0", r.returncode == 0, r.stdout + r.stderr)
            after = psql(d.name, DEFS).stdout
            check("the server's index definitions are the originals", after == before,
                  "before:\n%s\nafter:\n%s" % (before, after))
    finally:
        stop()
    failed = results.count(False)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
