#!/usr/bin/python3
"""The weekly-release workflow end to end with Debian's Alembic.

In a throwaway Alembic environment whose versions directory holds the
fixture revision w.2020.19: build the w.2020.19 database from SQL (with rows),
`alembic stamp w.2020.19`, `schemadiff revision` (versions directory found
through alembic.ini), `alembic upgrade head`, `schemadiff check` against
w.2020.22.json exits 0, `alembic downgrade w.2020.19`, check against
w.2020.19.json exits 0, and the rows of surviving tables are unchanged.
Then the same database built by Alembic alone from the fixture's initial
revision (`upgrade w.2020.19` on an empty file), and the SQL format applied
section by section through SQLite.

Prints 'N passed, N failed'; exit 0 only when all pass.  Skips (exit 77)
when Alembic is not installed.
"""
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

ROOT = os.environ.get("SD_SOURCE_ROOT") or os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
FIX = os.path.join(ROOT, "fixtures", "weekly")
SD = os.environ.get("SCHEMADIFF")
ALEMBIC = shutil.which("alembic", path="/usr/bin") or None

ENV_PY = '''from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config


def run_migrations_online():
    connectable = engine_from_config(config.get_section(config.config_ini_section),
                                     prefix="sqlalchemy.", poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=None,
                          render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
'''

passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok   %s" % name)
    else:
        failed += 1
        print("FAIL %s\n%s" % (name, detail))


def run(argv, cwd, expect=0):
    p = subprocess.run(argv, cwd=cwd, capture_output=True, text=True,
                       env=dict(os.environ, LC_ALL="C.UTF-8"))
    return p.returncode == expect, "%s -> %d\n%s%s" % (" ".join(argv), p.returncode, p.stdout,
                                                     p.stderr)


def make_env(tmp, db):
    os.makedirs(os.path.join(tmp, "alembic", "versions"))
    with open(os.path.join(tmp, "alembic", "env.py"), "w") as f:
        f.write(ENV_PY)
    for fn in os.listdir(os.path.join(FIX, "versions")):
        if fn.endswith(".py"):
            shutil.copy(os.path.join(FIX, "versions", fn), os.path.join(tmp, "alembic", "versions"))
    with open(os.path.join(tmp, "alembic.ini"), "w") as f:
        f.write("[alembic]\nscript_location = %%(here)s/alembic\nsqlalchemy.url = sqlite:///%s\n" % db)


def rows(db, tables):
    c = sqlite3.connect(db)
    out = {t: c.execute('SELECT * FROM "%s" ORDER BY 1' % t).fetchall() for t in tables}
    c.close()
    return out


def build_19(path):
    c = sqlite3.connect(path)
    with open(os.path.join(FIX, "w.2020.19.sql"), encoding="utf-8") as f:
        c.executescript(f.read())
    c.commit()
    c.close()


def surviving_tables(db):
    c = sqlite3.connect(db)
    names = [r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type='table' AND "
                                      "name NOT LIKE 'sqlite_%' AND name != 'alembic_version' "
                                      "AND name != 'dataset_composition' ORDER BY 1")]
    c.close()
    return names


def weekly_alembic():
    with tempfile.TemporaryDirectory(prefix="sd-e2e-") as tmp:
        db = os.path.join(tmp, "registry.db")
        build_19(db)
        tables = surviving_tables(db)
        before = rows(db, tables)
        make_env(tmp, "registry.db")
        url = "sqlite:///registry.db"
        check("alembic stamp w.2020.19", *run([ALEMBIC, "stamp", "w.2020.19"], tmp))
        ok, out = run([SD, "revision", url, os.path.join(FIX, "w.2020.22.json"), "--rev-id",
                       "w.2020.22", "-m", "migration from w.2020.19 to w.2020.22"], tmp)
        check("schemadiff revision (versions from alembic.ini)", ok and
              "alembic/versions/w.2020.22_migration_from_w_2020_19_to_w_2020_22.py" in out, out)
        ok, out = run([ALEMBIC, "heads"], tmp)
        check("alembic heads is w.2020.22", ok and "w.2020.22 (head)" in out, out)
        check("alembic upgrade head", *run([ALEMBIC, "upgrade", "head"], tmp))
        check("check against w.2020.22.json after upgrade",
              *run([SD, "check", url, os.path.join(FIX, "w.2020.22.json")], tmp))
        check("rows unchanged after upgrade", rows(db, tables) == before)
        check("alembic downgrade w.2020.19", *run([ALEMBIC, "downgrade", "w.2020.19"], tmp))
        check("check against w.2020.19.json after downgrade",
              *run([SD, "check", url, os.path.join(FIX, "w.2020.19.json")], tmp))
        check("rows unchanged after downgrade", rows(db, tables) == before)
        ok, out = run([SD, "revision", url, os.path.join(FIX, "w.2020.22.json"), "--rev-id",
                       "w.2020.22", "-m", "again"], tmp, expect=2)
        check("a second w.2020.22 is refused", ok and "already exists" in out, out)


def initial_from_alembic():
    with tempfile.TemporaryDirectory(prefix="sd-e2e-") as tmp:
        make_env(tmp, "fresh.db")
        url = "sqlite:///fresh.db"
        check("alembic upgrade w.2020.19 on an empty database",
              *run([ALEMBIC, "upgrade", "w.2020.19"], tmp))
        check("check against w.2020.19.json",
              *run([SD, "check", url, os.path.join(FIX, "w.2020.19.json")], tmp))
        check("schemadiff revision --format alembic", *run(
            [SD, "revision", url, os.path.join(FIX, "w.2020.22.json"), "--rev-id", "w.2020.22",
             "-m", "to w.2020.22"], tmp))
        check("alembic upgrade head", *run([ALEMBIC, "upgrade", "head"], tmp))
        check("check against w.2020.22.json",
              *run([SD, "check", url, os.path.join(FIX, "w.2020.22.json")], tmp))
        check("alembic downgrade base", *run([ALEMBIC, "downgrade", "base"], tmp))
        c = sqlite3.connect(os.path.join(tmp, "fresh.db"))
        left = c.execute("SELECT name FROM sqlite_master WHERE type='table' AND "
                         "name != 'alembic_version'").fetchall()
        c.close()
        check("downgrade base leaves no tables", left == [], repr(left))


def weekly_sql():
    with tempfile.TemporaryDirectory(prefix="sd-e2e-") as tmp:
        db = os.path.join(tmp, "registry.db")
        build_19(db)
        tables = surviving_tables(db)
        before = rows(db, tables)
        os.makedirs(os.path.join(tmp, "versions"))
        shutil.copy(os.path.join(FIX, "versions", "w.2020.19_registry_schema_w_2020_19.py"),
                    os.path.join(tmp, "versions"))
        url = "sqlite:///registry.db"
        ok, out = run([SD, "revision", url, os.path.join(FIX, "w.2020.22.json"), "--rev-id",
                       "w.2020.22", "-m", "to w.2020.22", "--format", "sql", "--versions",
                       "versions"], tmp)
        check("schemadiff revision --format sql", ok, out)
        with open(os.path.join(tmp, "versions", "w.2020.22_to_w_2020_22.sql")) as f:
            text = f.read()
        up, down = text.split("\n-- migrate:down\n")
        c = sqlite3.connect(db, isolation_level=None)
        c.executescript(up)
        c.close()
        check("SQL upgrade: check against w.2020.22.json",
              *run([SD, "check", url, os.path.join(FIX, "w.2020.22.json")], tmp))
        c = sqlite3.connect(db, isolation_level=None)
        c.executescript(down)
        c.close()
        check("SQL downgrade: check against w.2020.19.json",
              *run([SD, "check", url, os.path.join(FIX, "w.2020.19.json")], tmp))
        check("SQL: rows unchanged", rows(db, tables) == before)


def main():
    if not SD:
        print("set SCHEMADIFF", file=sys.stderr)
        return 2
    if not ALEMBIC:
        print("alembic not installed (apt-get install alembic); skipped")
        return 77
    weekly_alembic()
    initial_from_alembic()
    weekly_sql()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
