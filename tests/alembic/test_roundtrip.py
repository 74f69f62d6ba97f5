#!/usr/bin/python3
"""test_roundtrip.py - revision files from the Alembic emitter, run by real Alembic.

For every fixtures/changes/*/{old,new}.sql pair, for fixtures/weekly (old =
w.2020.19.sql, target = w.2020.22.json) and for small generated schema
pairs (tools/bench/gen_schema.py, several seeds with a high change rate):

  1. build the old SQLite database (with its rows) and keep a pristine copy;
  2. write the revision with the C driver (ALEMBIC_REV: sd_source_load,
     sd_compare, sd_emit_revision) into a throwaway Alembic environment
     whose env.py turns PRAGMA foreign_keys ON for every connection (so a
     copy-and-move that cascades to child rows would show);
  3. `alembic upgrade head`; `schemadiff check` against the target exits 0;
  4. `alembic downgrade base`; `schemadiff check` against the pristine old
     database exits 0;
  5. rows of tables that exist in the old and the new schema are unchanged
     after the upgrade (on the columns both have) and after the downgrade
     (all columns).

Prints one line per case and a summary; exits 1 when any case fails, 77
(skip) when Debian's Alembic is missing.  Run under /usr/bin/python3.
"""
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

ROOT = os.environ.get("SD_SOURCE_ROOT", os.path.join(os.path.dirname(__file__), "..", ".."))
SCHEMADIFF = os.environ.get("SCHEMADIFF", "schemadiff")
ALEMBIC_REV = os.environ.get("ALEMBIC_REV", "alembic_rev")
ALEMBIC = ["/usr/bin/python3", "-m", "alembic"]

ENV_PY = '''\
from alembic import context
from sqlalchemy import create_engine, event

config = context.config


def run_migrations_online():
    engine = create_engine(config.get_main_option("sqlalchemy.url"))

    @event.listens_for(engine, "connect")
    def _fk_on(dbapi_conn, record):
        dbapi_conn.execute("PRAGMA foreign_keys=ON")

    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=None)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
'''

BASE_REV = '''\
"""the revision the old database is stamped with"""
revision = %r
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    raise RuntimeError("the test database is already at %s")


def downgrade() -> None:
    pass
'''

INI = '''\
[alembic]
script_location = %(here)s/env
sqlalchemy.url = sqlite:///%(here)s/work.db

[loggers]
keys = root

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %%(levelname)-5.5s [%%(name)s] %%(message)s
'''


# Cases whose old rows make the upgrade impossible on any tool: the upgrade
# must fail, and with this message (the fixture's rows hold duplicate emails
# that the new UNIQUE index refuses).
EXPECTED_FAIL = {
    "changes/index_unique_flag": "UNIQUE constraint failed: event.email",
}


def build_db(path, sql_file):
    con = sqlite3.connect(path)
    with open(sql_file, encoding="utf-8") as f:
        con.executescript(f.read())
    con.commit()
    con.close()


def tables_and_rows(path):
    """{table: (columns, sorted rows)} for every user table but alembic_version."""
    con = sqlite3.connect(path)
    out = {}
    names = [r[0] for r in con.execute(
        "SELECT name FROM sqlite_schema WHERE type='table' AND name NOT LIKE 'sqlite_%' "
        "AND name <> 'alembic_version'")]
    for t in names:
        cols = [r[1] for r in con.execute("SELECT * FROM pragma_table_info(?)", (t,))]
        out[t] = cols
    con.close()
    return out


def dump(path, table, cols):
    con = sqlite3.connect(path)
    q = '"' + table.replace('"', '""') + '"'
    sel = ", ".join('"' + c.replace('"', '""') + '"' for c in cols)
    rows = con.execute("SELECT %s FROM %s" % (sel, q)).fetchall()
    con.close()
    return sorted(rows, key=repr)


def run(cmd, cwd):
    return subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True)


def case(name, old_sql, target_kind, target, tmp):
    """Returns None on success, else a one-line reason (details on stderr)."""
    d = os.path.join(tmp, name)
    os.makedirs(os.path.join(d, "env", "versions"))
    with open(os.path.join(d, "env", "env.py"), "w") as f:
        f.write(ENV_PY)
    with open(os.path.join(d, "alembic.ini"), "w") as f:
        f.write(INI)
    work = os.path.join(d, "work.db")
    ref = os.path.join(d, "old_ref.db")
    build_db(ref, old_sql)
    shutil.copy(ref, work)
    if target_kind == "sql":
        tdb = os.path.join(d, "new_ref.db")
        build_db(tdb, target)
        target_spec = "sqlite:///" + tdb
    else:
        target_spec = target

    # a database stamped by Alembic (the weekly example) chains onto its revision
    con = sqlite3.connect(ref)
    stamped = [r[0] for r in con.execute(
        "SELECT version_num FROM alembic_version" if con.execute(
            "SELECT 1 FROM sqlite_schema WHERE name='alembic_version'").fetchone()
        else "SELECT 1 WHERE 0")]
    con.close()
    down = stamped[0] if stamped else None
    if down:
        with open(os.path.join(d, "env", "versions", "base.py"), "w") as f:
            f.write(BASE_REV % (down, down))
    r = run([ALEMBIC_REV, "sqlite:///" + ref, target_spec, "rev1"] + ([down] if down else []), d)
    if r.returncode != 0:
        sys.stderr.write(r.stderr)
        return "driver failed"
    rev = os.path.join(d, "env", "versions", "rev1_roundtrip.py")
    with open(rev, "w", encoding="utf-8") as f:
        f.write(r.stdout)

    before = tables_and_rows(ref)

    r = run(ALEMBIC + ["-c", "alembic.ini", "upgrade", "head"], d)
    if r.returncode != 0:
        sys.stderr.write("--- %s\n%s\n%s" % (rev, r.stdout, r.stderr[-3000:]))
        errs = [l for l in r.stderr.splitlines() if "Error" in l]
        return "alembic upgrade failed: " + (errs[-1][:200] if errs else "?")
    r = run([SCHEMADIFF, "check", "sqlite:///" + work, target_spec], d)
    if r.returncode != 0:
        sys.stderr.write(r.stdout + r.stderr)
        return "after upgrade, check exited %d" % r.returncode
    after = tables_and_rows(work)
    for t, cols in before.items():
        if t not in after:
            continue
        common = [c for c in cols if c in after[t]]
        if dump(ref, t, common) != dump(work, t, common):
            return "rows of %r changed by the upgrade" % t

    r = run(ALEMBIC + ["-c", "alembic.ini", "downgrade", down or "base"], d)
    if r.returncode != 0:
        sys.stderr.write("--- %s\n%s\n%s" % (rev, r.stdout, r.stderr[-3000:]))
        return "alembic downgrade failed"
    r = run([SCHEMADIFF, "check", "sqlite:///" + work, "sqlite:///" + ref], d)
    if r.returncode != 0:
        sys.stderr.write(r.stdout + r.stderr)
        return "after downgrade, check exited %d" % r.returncode
    for t, cols in before.items():
        if t not in after:
            continue  # dropped by the upgrade: its rows are gone by design
        # columns the upgrade dropped come back empty: compare the others
        common = [c for c in cols if c in after[t]]
        if dump(work, t, common) != dump(ref, t, common):
            return "rows of %r changed by upgrade+downgrade" % t
    return None


def main():
    try:
        import alembic  # noqa: F401
    except ImportError:
        print("skip: Debian's python3-alembic is not installed")
        return 77
    cases = []
    chg = os.path.join(ROOT, "fixtures", "changes")
    for n in sorted(os.listdir(chg)):
        cases.append(("changes/" + n, os.path.join(chg, n, "old.sql"), "sql",
                      os.path.join(chg, n, "new.sql")))
    wk = os.path.join(ROOT, "fixtures", "weekly")
    cases.append(("weekly", os.path.join(wk, "w.2020.19.sql"), "json",
                  os.path.join(wk, "w.2020.22.json")))
    gen = os.path.join(ROOT, "tools", "bench", "gen_schema.py")
    tmp = tempfile.mkdtemp(prefix="sd-alembic-rt-")
    try:
        seeds = os.environ.get("SD_ALEMBIC_SEEDS", "1 2 3 4 5 6").split()
        for seed in seeds:
            g = os.path.join(tmp, "gen-%s" % seed)
            r = run(["/usr/bin/python3", gen, "12", g, "--seed", seed, "--change-rate", "0.5",
                     "--new-sql"], tmp)
            if r.returncode != 0:
                sys.stderr.write(r.stderr)
                cases.append(("generated/seed%s" % seed, None, None, None))
                continue
            cases.append(("generated/seed%s" % seed, os.path.join(g, "old.sql"), "sql",
                          os.path.join(g, "new.sql")))
        ok = failed = 0
        for name, old, kind, target in cases:
            if old is None:
                why = "generator failed"
            else:
                try:
                    why = case(name.replace("/", "_"), old, kind, target, tmp)
                except Exception as e:  # a broken case must not hide the others
                    why = "exception: %r" % (e,)
            if name in EXPECTED_FAIL:
                if why and EXPECTED_FAIL[name] in why:
                    ok += 1
                    print("ok   %s (fails as expected: %s)" % (name, EXPECTED_FAIL[name]))
                    continue
                why = "expected the upgrade to fail with %r, got: %s" % (EXPECTED_FAIL[name], why)
            if why:
                failed += 1
                print("FAIL %s: %s" % (name, why))
            else:
                ok += 1
                print("ok   %s" % name)
        print("%d round trips passed, %d failed" % (ok, failed))
        return 1 if failed else 0
    finally:
        if not os.environ.get("SD_KEEP_TMP"):
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
