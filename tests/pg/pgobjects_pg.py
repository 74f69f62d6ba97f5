#!/usr/bin/python3
"""PostgreSQL enums, sequences and materialized views on a real server.

  1. diff: a start and a target database differ by an enum value added in
     position (two ALTER TYPE ... ADD VALUE, BEFORE and AFTER), an enum
     whose values were removed and reordered (drop + create, destructive),
     an enum added and one removed, a sequence created, altered and dropped,
     a materialized view created, changed and dropped, a view that became
     materialized; the review must say exactly that.
  2. round trip of the SQL format through psql: the upgrade section applied
     to the start gives the target (`check start-db target-db` exits 0),
     the downgrade section then gives the start back (`check db start.json`
     exits 0); the rows of a surviving table are intact.
  3. the same round trip with the Alembic format (op.execute of the same
     statements) through real Alembic, when it is installed.
  4. "Not compared:" counts a domain, a function and an exclusion constraint.
  5. a sequence's new START WITH is recorded (check converges after the upgrade
     and the downgrade) and its current value is not changed; the review says so.

Uses the cluster of run_pg.py (PGHOST/PGPORT or a private one).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_pg  # noqa: E402  (the cluster, Database, sd, Fail)
from run_pg import Database, Fail, expect_rc, sd  # noqa: E402

# A table column uses an enum that does not change: PostgreSQL cannot drop a
# type a column still uses, and the downgrade of ADD VALUE re-creates the type.
COMMON = """
CREATE TYPE priority AS ENUM ('low', 'high');
CREATE TABLE ticket (id integer PRIMARY KEY, prio priority NOT NULL DEFAULT 'low', title text);
INSERT INTO ticket VALUES (1, 'high', 'first'), (2, 'low', 'second');
"""

START = COMMON + """
CREATE TYPE state AS ENUM ('new', 'closed');
CREATE TYPE color AS ENUM ('red', 'green', 'blue');
CREATE TYPE gone AS ENUM ('x');
CREATE SEQUENCE order_no START WITH 100 INCREMENT BY 5;
CREATE SEQUENCE old_seq;
CREATE MATERIALIZED VIEW open_tickets AS SELECT id FROM ticket;
CREATE MATERIALIZED VIEW old_mv AS SELECT 1 AS one;
CREATE VIEW v_to_mv AS SELECT 2 AS two;
"""

TARGET = COMMON + """
CREATE TYPE state AS ENUM ('draft', 'new', 'open', 'closed');
CREATE TYPE color AS ENUM ('blue', 'red');
CREATE TYPE size AS ENUM ('s', 'm', 'l');
CREATE SEQUENCE order_no START WITH 100 INCREMENT BY 10 MAXVALUE 1000000 CYCLE;
CREATE SEQUENCE new_seq AS integer OWNED BY ticket.id;
CREATE MATERIALIZED VIEW open_tickets AS SELECT id FROM ticket WHERE id > 1;
CREATE MATERIALIZED VIEW v_to_mv AS SELECT 2 AS two;
"""

EXPECTED = [
    "Detected added enum value 'draft' before 'new' on enum 'state'",
    "Detected added enum value 'open' after 'new' on enum 'state'",
    "Detected removed enum 'color'  [destructive]",
    "Detected added enum 'color'  [destructive]",
    "Detected added enum 'size'",
    "Detected removed enum 'gone'",
    "Detected added sequence 'new_seq'",
    "Detected changed sequence 'order_no'",
    "Detected removed sequence 'old_seq'",
    "Detected removed materialized view 'open_tickets'",
    "Detected added materialized view 'open_tickets'",
    "Detected removed materialized view 'old_mv'",
    "Detected removed view 'v_to_mv'",
    "Detected added materialized view 'v_to_mv'",
]

UNHELD = """
CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
CREATE FUNCTION add_one(i integer) RETURNS integer LANGUAGE sql AS 'SELECT i + 1';
CREATE TABLE booking (id integer PRIMARY KEY, room integer, during int4range,
                      EXCLUDE USING gist (during WITH &&));
"""


def psql(db, path):
    r = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db.name, "-f", path],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise Fail("psql -f %s failed:\n%s\n--- the file:\n%s"
                   % (os.path.basename(path), r.stderr, open(path).read()))


def sections(text):
    """(up, down) of a SQL revision file: the lines after '-- migrate:up' up
    to '-- migrate:down', and the lines after '-- migrate:down'."""
    lines = text.splitlines(True)
    marks = [l.strip() for l in lines]
    if marks.count("-- migrate:up") != 1 or marks.count("-- migrate:down") != 1:
        raise Fail("not one '-- migrate:up' and one '-- migrate:down' line:\n" + text)
    up, down = marks.index("-- migrate:up"), marks.index("-- migrate:down")
    if not up < down:
        raise Fail("'-- migrate:down' comes before '-- migrate:up'")
    return "".join(lines[up + 1:down]), "".join(lines[down + 1:])


def rows(db):
    c = run_pg.admin(db.name)
    with c.cursor() as cur:
        cur.execute("SELECT id, prio::text, title FROM ticket ORDER BY id")
        out = cur.fetchall()
    c.close()
    return out


def make_pair():
    start, target = Database().__enter__(), Database().__enter__()
    start.run_sql(START)
    target.run_sql(TARGET)
    return start, target


def drop(*dbs):
    for db in dbs:
        db.__exit__(None, None, None)


def test_diff():
    start, target = make_pair()
    try:
        r = sd("diff", start.url(), target.url())
        expect_rc(r, 0, "diff start target")
        got = [l for l in r.stdout.splitlines() if l.startswith("Detected")]
        if sorted(got) != sorted(EXPECTED):
            raise Fail("diff: expected exactly:\n%s\ngot:\n%s" % ("\n".join(EXPECTED), r.stdout))
        # ADD VALUE in position: 'draft' before 'new' comes first, then 'open' after 'new'
        if got.index(EXPECTED[0]) > got.index(EXPECTED[1]):
            raise Fail("enum values added out of order:\n" + r.stdout)
        print("ok diff (%d lines)" % len(got))
    finally:
        drop(start, target)


def round_trip(fmt, tmp):
    start, target = make_pair()
    try:
        before = rows(start)
        start_file = os.path.join(tmp, "start.json")
        r = sd("introspect", start.url(), "-o", start_file)
        expect_rc(r, 0, "introspect start")
        ops = os.path.join(tmp, "ops.json")
        r = sd("diff", start.url(), target.url(), "--format", "json")
        expect_rc(r, 0, "diff --format json")
        open(ops, "w").write(r.stdout)
        if fmt == "sql":
            out = os.path.join(tmp, "rev.sql")
            expect_rc(sd("render", ops, "--format", "sql", "--rev-id", "r2", "-m", "pg objects",
                         "-o", out), 0, "render sql")
            up, down = sections(open(out).read())
            if "ALTER TYPE state ADD VALUE 'draft' BEFORE 'new'" not in up:
                raise Fail("the upgrade section has no ADD VALUE:\n" + up)
            for name, text in (("up.sql", up), ("down.sql", down)):
                open(os.path.join(tmp, name), "w").write(text)
            psql(start, os.path.join(tmp, "up.sql"))
        else:
            versions = os.path.join(tmp, "versions")
            os.mkdir(versions)
            out = os.path.join(versions, "r2_pg_objects.py")
            expect_rc(sd("render", ops, "--rev-id", "r2", "-m", "pg objects", "-o", out), 0,
                      "render alembic")
            ini = os.path.join(tmp, "alembic.ini")
            with open(ini, "w") as f:
                url = "postgresql+psycopg2:///%s?host=%s&port=%s" % (
                    start.name, os.environ["PGHOST"], os.environ["PGPORT"])
                f.write("[alembic]\nscript_location = %s\nsqlalchemy.url = %s\n"
                        % (tmp, url.replace("%", "%%")))
            with open(os.path.join(tmp, "env.py"), "w") as f:
                f.write(ENV_PY)
            with open(os.path.join(tmp, "script.py.mako"), "w") as f:
                f.write("")
            alembic(ini, "upgrade", "head")
        r = sd("check", start.url(), target.url())
        expect_rc(r, 0, fmt + ": after the upgrade, check start-db target-db")
        if rows(start) != before:
            raise Fail("%s: rows changed by the upgrade: %r -> %r" % (fmt, before, rows(start)))
        if fmt == "sql":
            psql(start, os.path.join(tmp, "down.sql"))
        else:
            alembic(ini, "downgrade", "base")
        r = sd("check", start.url(), start_file)
        expect_rc(r, 0, fmt + ": after the downgrade, check db start.json")
        if rows(start) != before:
            raise Fail("%s: rows changed by the downgrade: %r -> %r" % (fmt, before, rows(start)))
        print("ok round trip", fmt)
    finally:
        drop(start, target)


ENV_PY = """
from alembic import context
from sqlalchemy import engine_from_config, pool
config = context.config
engine = engine_from_config(config.get_section(config.config_ini_section), prefix="sqlalchemy.",
                            poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()
"""


def alembic(ini, *args):
    r = subprocess.run(["/usr/bin/python3", "-m", "alembic", "-c", ini] + list(args),
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise Fail("alembic %s failed:\n%s%s" % (" ".join(args), r.stdout, r.stderr))


def have_alembic():
    r = subprocess.run(["/usr/bin/python3", "-c", "import alembic, psycopg2"],
                       capture_output=True)
    return r.returncode == 0


def nextval(db, seq):
    c = run_pg.admin(db.name)
    with c.cursor() as cur:
        cur.execute("SELECT nextval(%s)", (seq,))
        out = cur.fetchone()[0]
    c.close()
    return out


def test_start(tmp):
    """A new START WITH is recorded (check converges both ways); the current value
    is not changed, so no value already handed out comes again.  A sequence the
    migration creates starts at its START WITH."""
    with Database() as db, Database() as target:
        db.run_sql("CREATE SEQUENCE order_no START WITH 100")
        target.run_sql("CREATE SEQUENCE order_no START WITH 500;"
                       "CREATE SEQUENCE fresh START WITH 7 INCREMENT BY 3")
        for want in (100, 101, 102):
            if nextval(db, "order_no") != want:
                raise Fail("setup: nextval is not %d" % want)
        start_file = os.path.join(tmp, "start.json")
        expect_rc(sd("introspect", db.url(), "-o", start_file), 0, "introspect")
        r = sd("diff", db.url(), target.url())
        expect_rc(r, 0, "diff")
        note = ("Detected changed sequence 'order_no' (start 100 -> 500: the recorded start "
                "only, the current value is not changed)")
        if note not in r.stdout:
            raise Fail("the review does not say what START WITH does:\n" + r.stdout)
        out = os.path.join(tmp, "rev.sql")
        expect_rc(sd("revision", db.url(), target.url(), "--format", "sql", "--no-verify",
                     "--rev-id", "s1", "-m", "start", "--versions", tmp, "-o", out), 0,
                  "revision")
        up, down = sections(open(out).read())
        if "ALTER SEQUENCE order_no START WITH 500;" not in up or "RESTART" in up:
            raise Fail("the upgrade should only record the new start:\n" + up)
        for name, text in (("up.sql", up), ("down.sql", down)):
            open(os.path.join(tmp, name), "w").write(text)
        psql(db, os.path.join(tmp, "up.sql"))
        expect_rc(sd("check", db.url(), target.url()), 0, "start: check after the upgrade")
        if nextval(db, "order_no") != 103:
            raise Fail("the upgrade changed the sequence's current value")
        if (nextval(db, "fresh"), nextval(db, "fresh")) != (7, 10):
            raise Fail("the new sequence does not start at its START WITH")
        psql(db, os.path.join(tmp, "down.sql"))
        expect_rc(sd("check", db.url(), start_file), 0, "start: check after the downgrade")
        if nextval(db, "order_no") != 104:
            raise Fail("the downgrade changed the sequence's current value")
    print("ok start: recorded, current value kept")


def test_unheld():
    with Database() as db:
        db.run_sql(UNHELD)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            f.write('{"format": "schemadiff/1", "dialect": "postgresql", "tables": []}')
        try:
            r = sd("diff", db.url(), f.name)
        finally:
            os.unlink(f.name)
        expect_rc(r, 0, "diff db empty-file")
        line = [l for l in r.stdout.splitlines() if l.startswith("Not compared:")]
        want = ("1 domain", "1 function", "1 exclusion constraint")
        if len(line) != 1 or not all(w in line[0] for w in want):
            raise Fail("expected a 'Not compared:' line counting %s, got:\n%s"
                       % (", ".join(want), r.stdout))
        print("ok", line[0])


def main():
    if not run_pg.EXE:
        print("SCHEMADIFF is not set (run under meson test)", file=sys.stderr)
        return 2
    if not shutil.which("psql"):
        print("SKIP: no psql", file=sys.stderr)
        return 77
    stop = run_pg.ensure_cluster()
    tmp = tempfile.mkdtemp(prefix="sd-pgobj-")
    try:
        test_diff()
        os.mkdir(os.path.join(tmp, "sql"))
        round_trip("sql", os.path.join(tmp, "sql"))
        if have_alembic():
            os.mkdir(os.path.join(tmp, "alembic"))
            round_trip("alembic", os.path.join(tmp, "alembic"))
        else:
            print("alembic round trip skipped: no alembic/psycopg2 for /usr/bin/python3")
        os.mkdir(os.path.join(tmp, "start"))
        test_start(os.path.join(tmp, "start"))
        test_unheld()
    except Fail as e:
        print("FAIL:", e, file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
