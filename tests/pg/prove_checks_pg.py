#!/usr/bin/python3
"""The --dev-url proof judges CHECK constraints in the server's canonical form.

  1. test_pg_prove (C, argv[1]): hand-made empty migrations proven on a dev
     database: a CHECK spelled differently from the server's deparsed text
     (BETWEEN, = ANY (ARRAY[...])) is equal once the server deparses both
     sides; a CHECK that really changed (a bound, a value added to an IN
     list, a CHECK added) still fails the proof, naming it.  The dev
     database is empty afterwards.
  2. `schemadiff revision DB FILE --dev-url`: a schema file that writes a
     CHECK with BETWEEN (the server keeps >= AND <=) is proven and marked
     verified; the dev database is left empty.

Uses the cluster of run_pg.py (PGHOST/PGPORT or a private one).
usage: prove_checks_pg.py TEST_PG_PROVE
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_pg  # noqa: E402
from run_pg import Database, Fail, expect_rc, sd  # noqa: E402


def relations(db):
    """What the dev database holds outside the system schemas."""
    c = run_pg.admin(db.name)
    with c.cursor() as cur:
        cur.execute("SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n "
                    "ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', "
                    "'information_schema') AND n.nspname NOT LIKE 'pg\\_%'")
        out = [r[0] for r in cur.fetchall()]
    c.close()
    return out


def test_c(exe):
    with Database() as dev:
        r = subprocess.run([exe, dev.url()], capture_output=True, text=True)
        sys.stdout.write(r.stdout)
        if r.returncode != 0:
            raise Fail("test_pg_prove failed (exit %d):\n%s%s" % (r.returncode, r.stdout, r.stderr))
        left = relations(dev)
        if left:
            raise Fail("the dev database is not empty after the proofs: %s" % left)
    print("ok test_pg_prove")


def test_cli(tmp):
    with Database() as src, Database() as dev:
        src.run_sql("CREATE TABLE item (id integer PRIMARY KEY, qty integer);"
                    "INSERT INTO item VALUES (1, 5);")
        snap = os.path.join(tmp, "src.json")
        expect_rc(sd("introspect", src.url(), "-o", snap), 0, "introspect")
        doc = json.load(open(snap))
        doc["tables"][0]["check_constraints"] = [
            {"name": "ck_item_qty", "expression": "qty BETWEEN 1 AND 10"}]
        target = os.path.join(tmp, "target.json")
        json.dump(doc, open(target, "w"))
        out = os.path.join(tmp, "r1.sql")
        r = sd("revision", src.url(), target, "--format", "sql", "--rev-id", "r1", "-m", "between",
               "--versions", tmp, "-o", out, "--dev-url", dev.url())
        expect_rc(r, 0, "revision --dev-url with a BETWEEN check")
        text = open(out).read()
        if "-- verified" not in text:
            raise Fail("the revision is not marked verified:\n" + text)
        if "ADD CONSTRAINT ck_item_qty CHECK" not in text:
            raise Fail("the revision does not add the check:\n" + text)
        left = relations(dev)
        if left:
            raise Fail("the dev database is not empty after the proof: %s" % left)
    print("ok revision --dev-url proves a BETWEEN check")


def main():
    if not run_pg.EXE or len(sys.argv) != 2:
        print("usage: prove_checks_pg.py TEST_PG_PROVE (under meson test)", file=sys.stderr)
        return 2
    if not shutil.which("psql"):
        print("SKIP: no psql", file=sys.stderr)
        return 77
    stop = run_pg.ensure_cluster()
    tmp = tempfile.mkdtemp(prefix="sd-pgck-")
    try:
        test_c(sys.argv[1])
        test_cli(tmp)
    except Fail as e:
        print("FAIL:", e, file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
