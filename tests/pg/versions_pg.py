#!/usr/bin/python3
"""alembic_version on PostgreSQL: schemadiff and real Alembic agree, both ways.

On the weekly PostgreSQL twin (fixtures/weekly/w.2020.19.pg.sql, which is
stamped w.2020.19 by its own INSERT):
  - `schemadiff current` reads what the fixture (and later Alembic) wrote;
  - `schemadiff revision ... --format sql` writes w.2020.22 and its snapshot;
  - `stamp w.2020.22` is refused while the schema is still w.2020.19, and
    writes nothing; `stamp --sql` prints Alembic's UPDATE and writes nothing;
  - after the up section runs through psql, `stamp` succeeds and
    `alembic current` (Debian's Alembic 1.8 over psycopg2) reads w.2020.22;
  - `alembic stamp w.2020.19` is read back by `schemadiff current`;
  - `verify` says the database is at w.2020.19 and which snapshot it matches
    does not exist; `identify` finds no exact snapshot, then after the
    upgrade `verify` and `identify` both say w.2020.22.
Prints "N passed, N failed"; exit 77 without PostgreSQL binaries.
"""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_pg  # noqa: E402  (cluster and database helpers)

ROOT = run_pg.ROOT
EXE = os.environ["SCHEMADIFF"]
ALEMBIC = "/usr/bin/alembic"
results = []


def check(name, ok, detail=""):
    results.append(ok)
    print("%s %s" % ("ok  " if ok else "FAIL", name))
    if not ok and detail:
        print("  " + detail.replace("\n", "\n  "))


def sd(cwd, *args):
    return subprocess.run([EXE] + list(args), cwd=cwd, capture_output=True, text=True)


def psql(db, *args, stdin=None):
    return subprocess.run(["psql", "-q", "-X", "-v", "ON_ERROR_STOP=1", "-d", db] + list(args),
                          input=stdin, capture_output=True, text=True)


def rows(db):
    return psql(db, "-At", "-c", "SELECT version_num FROM alembic_version ORDER BY 1").stdout.split()


def alembic_env(cwd, versions, url):
    with open(os.path.join(cwd, "alembic.ini"), "w") as f:
        f.write("[alembic]\nscript_location = env\nversion_locations = %s\n"
                "sqlalchemy.url = %s\n" % (versions, url))
    os.makedirs(os.path.join(cwd, "env"))
    with open(os.path.join(cwd, "env", "env.py"), "w") as f:
        f.write("from alembic import context\nfrom sqlalchemy import create_engine\n"
                "url = context.config.get_main_option('sqlalchemy.url')\n"
                "with create_engine(url).connect() as conn:\n"
                "    context.configure(connection=conn, target_metadata=None)\n"
                "    with context.begin_transaction():\n"
                "        context.run_migrations()\n")
    shutil.copy("/usr/lib/python3/dist-packages/alembic/templates/generic/script.py.mako",
                os.path.join(cwd, "env"))


def alembic(cwd, *args):
    return subprocess.run([ALEMBIC] + list(args), cwd=cwd, capture_output=True, text=True)


def main():
    stop = run_pg.ensure_cluster()
    try:
        with run_pg.Database() as d, tempfile.TemporaryDirectory(prefix="sd-pgv-") as tmp:
            db = d.name
            url = "postgresql:///%s" % db
            r = psql(db, "-f", os.path.join(ROOT, "fixtures", "weekly", "w.2020.19.pg.sql"))
            check("fixture loads", r.returncode == 0, r.stderr)
            versions = os.path.join(tmp, "versions")
            shutil.copytree(os.path.join(ROOT, "fixtures", "weekly", "versions"), versions)
            r = sd(tmp, "current", url, "--versions", versions)
            check("current reads the fixture's row", r.returncode == 0 and
                  r.stdout.startswith("w.2020.19"), r.stdout + r.stderr)
            target = os.path.join(ROOT, "tests", "pg", "weekly", "w.2020.22.pg.json")
            r = sd(tmp, "revision", url, target, "--rev-id", "w.2020.22", "-m", "to w.2020.22",
                   "--versions", versions, "--format", "sql", "--no-verify")
            check("revision writes the file and the snapshot", r.returncode == 0 and
                  os.path.exists(os.path.join(versions, "w.2020.22.schema.json")), r.stderr)
            r = sd(tmp, "stamp", url, "w.2020.22", "--versions", versions)
            check("stamp refuses a schema that does not match", r.returncode == 1 and
                  "Detected added table 'dataset_composition'" in r.stdout, r.stdout + r.stderr)
            check("a refused stamp writes nothing", rows(db) == ["w.2020.19"], str(rows(db)))
            r = sd(tmp, "stamp", url, "w.2020.22", "--versions", versions, "--sql", "--force")
            check("stamp --sql prints Alembic's UPDATE and writes nothing",
                  "UPDATE alembic_version SET version_num='w.2020.22' WHERE "
                  "alembic_version.version_num = 'w.2020.19';" in r.stdout and
                  rows(db) == ["w.2020.19"], r.stdout + r.stderr)
            r = sd(tmp, "verify", url, "--versions", versions)
            check("verify: at w.2020.19 without a snapshot", r.returncode == 1 and
                  "w.2020.19" in r.stdout, r.stdout + r.stderr)
            rev = [f for f in os.listdir(versions) if f.startswith("w.2020.22_")][0]
            with open(os.path.join(versions, rev), encoding="utf-8") as f:
                text = f.read()
            up = text.split("-- migrate:up", 1)[1].split("-- migrate:down", 1)[0]
            r = psql(db, stdin=up)
            check("the up section runs through psql", r.returncode == 0, r.stderr)
            r = sd(tmp, "stamp", url, "w.2020.22", "--versions", versions)
            check("stamp after the upgrade", r.returncode == 0 and rows(db) == ["w.2020.22"],
                  r.stdout + r.stderr)
            r = sd(tmp, "verify", url, "--versions", versions)
            check("verify: at w.2020.22 and matches", r.returncode == 0 and
                  "database is at w.2020.22 and its schema matches" in r.stdout,
                  r.stdout + r.stderr)
            alembic_env(tmp, versions, "postgresql+psycopg2:///%s?host=%s&port=%s&user=%s" % (
                db, os.environ["PGHOST"], os.environ["PGPORT"], os.environ.get("PGUSER", "")))
            # Alembic reads only .py revisions: give it a stub for w.2020.22.
            with open(os.path.join(versions, "w.2020.22_stub.py"), "w") as f:
                f.write("revision = 'w.2020.22'\ndown_revision = 'w.2020.19'\n"
                        "branch_labels = None\ndepends_on = None\n\n\n"
                        "def upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n")
            r = alembic(tmp, "current")
            check("alembic current reads what schemadiff stamp wrote",
                  r.returncode == 0 and r.stdout.split()[:1] == ["w.2020.22"], r.stdout + r.stderr)
            r = alembic(tmp, "stamp", "w.2020.19")
            check("alembic stamp w.2020.19", r.returncode == 0, r.stderr)
            r = sd(tmp, "current", url, "--versions", versions)
            check("schemadiff current reads what alembic stamp wrote",
                  r.returncode == 0 and r.stdout.startswith("w.2020.19"), r.stdout + r.stderr)
            r = sd(tmp, "identify", url, "--versions", versions)
            check("identify: the schema is w.2020.22's", r.returncode == 0 and
                  "w.2020.22" in r.stdout, r.stdout + r.stderr)
    finally:
        stop()
    failed = results.count(False)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
