#!/usr/bin/python3
"""`schemadiff diff --verify --dev-url URL` on a real server (issue 4, part 4).

usage: diff_verify_pg.py [GROUP or PAIR...]   (all when none is named)

  pairs     every tests/pgemit pair (run_pgemit.pairs()) and golden case, three
            ways: database -> database, database -> schema file, schema file ->
            schema file (files introspected, dialect postgresql).  The proof
            passes (exit 1 with --exit-code: there are changes), stdout equals
            the plain `diff`, the dev database is empty again after each run,
            and the source and target databases, set read-only
            (default_transaction_read_only), are unchanged
  schemas   a source read with --schema app --schema audit: the dev database
            gets both schemas and loses them again; a schema that was already
            there (empty) stays
  fails     tests/pgemit/verify/cast_fails: the server rejects the upgrade
            (no cast from boolean to date): exit 3, the message names the
            upgrade, the server's error and the statement, nothing on stdout;
            the dev database, which held the source half-way, is empty again
  objects   enums (values added in place, removed, reordered), sequences,
            materialized views (tests/pg/pgobjects_pg.py's pair)
  revision  `revision` shares the proof: a schema-file FROM is proven on
            --dev-url too (the header says verified), and the failing pair
            exits 3 and writes nothing
  residual  a dev database with an event trigger that comments every new
            table: the proof ends with differences left after the upgrade:
            exit 3, they are listed; the dev database's relations are gone,
            the trigger (the user's) is left alone
  refuse    a dev database that holds a table is refused (exit 2, one line),
            and keeps its table and row; a PostgreSQL pair without --dev-url
            is one line, exit 2

The cluster comes from PGHOST/PGPORT/PGUSER (tools/run-tests), else the test
starts its own with tools/pg-cluster; exit 77 only without PostgreSQL binaries.
"""
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_pgemit as pe  # noqa: E402  (Database, sd, pairs, the cluster)
from run_pgemit import Fail, Database, connect, sd, expect_rc  # noqa: E402

VERIFY = os.path.join(pe.HERE, "verify")


def read_only(db):
    c = connect("postgres")
    with c.cursor() as cur:
        cur.execute("ALTER DATABASE %s SET default_transaction_read_only = on" % db.name)
    c.close()


def fingerprint(spec, args=()):
    """The schema of the database (introspect's output), and its fingerprint."""
    r = sd("introspect", spec, *args)
    expect_rc(r, 0, "introspect " + spec)
    f = sd("fingerprint", spec)
    expect_rc(f, 0, "fingerprint " + spec)
    return r.stdout + f.stdout


def relations(dev):
    """Relations and user types left in the dev database's non-system schemas."""
    c = connect(dev.name)
    with c.cursor() as cur:
        cur.execute("SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n "
                    "ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', "
                    "'information_schema') AND n.nspname NOT LIKE 'pg\\_%' UNION ALL "
                    "SELECT n.nspname || '.' || t.typname FROM pg_type t JOIN pg_namespace n "
                    "ON n.oid = t.typnamespace WHERE t.typtype IN ('e', 'd', 'r', 'c') AND "
                    "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname "
                    "NOT LIKE 'pg\\_%' ORDER BY 1")
        left = [r[0] for r in cur.fetchall()]
    c.close()
    return left


def schemas(dev):
    c = connect(dev.name)
    with c.cursor() as cur:
        cur.execute("SELECT nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', "
                    "'information_schema') AND nspname NOT LIKE 'pg\\_%' ORDER BY 1")
        names = [r[0] for r in cur.fetchall()]
    c.close()
    return names


def expect_empty(dev, what, keep_schemas=("public",)):
    left = relations(dev)
    if left:
        raise Fail("%s: the dev database is not empty afterwards: %s" % (what, left))
    if schemas(dev) != sorted(keep_schemas):
        raise Fail("%s: the dev database's schemas are %s afterwards, expected %s"
                   % (what, schemas(dev), sorted(keep_schemas)))


def verify_one(name, old, new, args=(), dev_schemas=("public",)):
    """diff --verify --dev-url, three ways; returns how many runs passed."""
    with Database() as src, Database() as tgt, Database() as dev, \
            tempfile.TemporaryDirectory() as tmp:
        src.psql_file(old, name + ": load old")
        if new.endswith(".sql"):
            tgt.psql_file(new, name + ": load new")
            target_db = tgt.url()
        else:
            target_db = None
        for s in dev_schemas:
            if s != "public":
                c = connect(dev.name)
                with c.cursor() as cur:
                    cur.execute('CREATE SCHEMA "%s"' % s.replace('"', '""'))
                c.close()
        old_file = os.path.join(tmp, "old.json")
        expect_rc(sd("introspect", src.url(), "-o", old_file, *args), 0, name + ": introspect old")
        if target_db:
            new_file = os.path.join(tmp, "new.json")
            expect_rc(sd("introspect", target_db, "-o", new_file, *args), 0,
                      name + ": introspect new")
        else:
            new_file = new
        read_only(src)
        read_only(tgt)
        fp_src, fp_tgt = fingerprint(src.url(), args), target_db and fingerprint(target_db, args)
        ways = [("db->file", src.url(), new_file), ("file->file", old_file, new_file)]
        if target_db:
            ways.insert(0, ("db->db", src.url(), target_db))
        for way, a, b in ways:
            what = "%s %s" % (name, way)
            plain = sd("diff", a, b, *args)
            expect_rc(plain, 0, what + ": diff")
            r = sd("diff", a, b, "--verify", "--dev-url", dev.url(), "--exit-code", *args)
            if name in pe.PROVE_KNOWN:
                expect_rc(r, 3, what + ": diff --verify (known proof failure)")
                if pe.PROVE_KNOWN[name] not in r.stderr:
                    raise Fail("%s: the known proof failure changed:\n%s" % (what, r.stderr))
            else:
                expect_rc(r, 1 if plain.stdout.strip() != "No changes detected" else 0,
                          what + ": diff --verify --exit-code")
                if r.stdout != plain.stdout:
                    raise Fail("%s: --verify changed the output:\n%s\n---\n%s"
                               % (what, plain.stdout, r.stdout))
                if r.stderr:
                    raise Fail("%s: --verify wrote on stderr:\n%s" % (what, r.stderr))
            expect_empty(dev, what, dev_schemas)
        if fingerprint(src.url(), args) != fp_src:
            raise Fail(name + ": the source database changed")
        if target_db and fingerprint(target_db, args) != fp_tgt:
            raise Fail(name + ": the target database changed")
        return len(ways)


def test_pairs(only):
    cases = list(pe.pairs())
    base = os.path.join(pe.HERE, "golden")
    for g in sorted(os.listdir(base)):
        cases.append((g, os.path.join(base, g, "old.sql"), os.path.join(base, g, "new.sql")))
    ok, failures = 0, []
    for name, old, new in cases:
        if only and name not in only:
            continue
        try:
            n = verify_one(name, old, new)
            ok += n
            print("ok   %s (%d ways%s)" % (name, n, ", known proof failure: " + pe.PROVE_KNOWN[name]
                                        if name in pe.PROVE_KNOWN else ""))
        except Fail as e:
            failures.append(str(e))
            print("FAIL %s" % name)
    return ok, failures


def test_schemas():
    d = os.path.join(VERIFY, "schemas")
    args = ("--schema", "app", "--schema", "audit")
    n = verify_one("schemas", os.path.join(d, "old.sql"), os.path.join(d, "new.sql"), args)
    # "app" already there, empty: it stays; "audit" comes and goes
    n += verify_one("schemas (app already in the dev database)", os.path.join(d, "old.sql"),
                    os.path.join(d, "new.sql"), args, dev_schemas=("app", "public"))
    return n


def test_fails():
    d = os.path.join(VERIFY, "cast_fails")
    with Database() as src, Database() as tgt, Database() as dev:
        src.psql_file(os.path.join(d, "old.sql"), "cast_fails: load old")
        tgt.psql_file(os.path.join(d, "new.sql"), "cast_fails: load new")
        read_only(src)
        fp = fingerprint(src.url())
        r = sd("diff", src.url(), tgt.url(), "--verify", "--dev-url", dev.url())
        expect_rc(r, 3, "cast_fails: diff --verify")
        lines = r.stderr.splitlines()
        want = ["the upgrade's SQL fails in the dev database: cannot cast type boolean to date",
                "statement: ALTER TABLE item ALTER COLUMN flag TYPE date USING flag::date "
                "(Detected type change from boolean to date on 'item.flag')"]
        if (len(lines) != 3 or want[0] not in lines[0] or lines[1] != "detail: " + want[1]
                or not lines[2].startswith("hint: ")):
            raise Fail("cast_fails: unexpected message:\n" + r.stderr)
        if r.stdout:
            raise Fail("cast_fails: the changes were printed although the proof failed")
        expect_empty(dev, "cast_fails")
        if fingerprint(src.url()) != fp:
            raise Fail("cast_fails: the source database changed")
        # without --verify the same pair is an ordinary diff
        expect_rc(sd("diff", src.url(), tgt.url()), 0, "cast_fails: diff")
        print("ok   cast_fails: " + lines[0])
    return 1


def test_objects():
    sys.path.insert(0, os.path.join(pe.ROOT, "tests", "pg"))
    import pgobjects_pg
    with tempfile.TemporaryDirectory() as tmp:
        start, target = os.path.join(tmp, "start.sql"), os.path.join(tmp, "target.sql")
        open(start, "w").write(pgobjects_pg.START)
        open(target, "w").write(pgobjects_pg.TARGET)
        n = verify_one("objects", start, target)
    print("ok   objects")
    return n


def test_revision():
    pair = [p for p in pe.pairs() if p[0] == "add_column"][0]
    with Database() as src, Database() as dev, tempfile.TemporaryDirectory() as tmp:
        src.psql_file(pair[1], "revision: load")
        old = os.path.join(tmp, "old.json")
        expect_rc(sd("introspect", src.url(), "-o", old), 0, "revision: introspect")
        with Database() as tgt:
            tgt.psql_file(pair[2], "revision: load new")
            new = os.path.join(tmp, "new.json")
            expect_rc(sd("introspect", tgt.url(), "-o", new), 0, "revision: introspect new")
        out = os.path.join(tmp, "r1.sql")
        r = sd("revision", old, new, "--format", "sql", "--rev-id", "r1", "-m", "m",
               "--versions", tmp, "-o", out, "--dev-url", dev.url(), cwd=tmp)
        expect_rc(r, 0, "revision FILE FILE --dev-url")
        head = open(out).read()
        if "verified" not in head or "not verified" in head:
            raise Fail("revision FILE FILE --dev-url: not marked verified:\n" + head[:600])
        expect_empty(dev, "revision FILE FILE --dev-url")
    d = os.path.join(VERIFY, "cast_fails")
    with Database() as src, Database() as tgt, Database() as dev, \
            tempfile.TemporaryDirectory() as tmp:
        src.psql_file(os.path.join(d, "old.sql"), "revision cast_fails: load old")
        tgt.psql_file(os.path.join(d, "new.sql"), "revision cast_fails: load new")
        read_only(src)
        out = os.path.join(tmp, "r1.py")
        r = sd("revision", src.url(), tgt.url(), "--rev-id", "r1", "-m", "m", "--versions", tmp,
               "-o", out, "--dev-url", dev.url(), cwd=tmp)
        expect_rc(r, 3, "revision cast_fails")
        if "cannot cast type boolean to date" not in r.stderr or os.path.exists(out):
            raise Fail("revision cast_fails: unexpected:\n" + r.stderr)
        expect_empty(dev, "revision cast_fails")
    print("ok   revision")
    return 2


STAMP = """
CREATE FUNCTION stamp_new_tables() RETURNS event_trigger LANGUAGE plpgsql AS $$
DECLARE r record;
BEGIN
  FOR r IN SELECT * FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE TABLE' LOOP
    EXECUTE format('COMMENT ON TABLE %s IS %L', r.object_identity, 'stamped');
  END LOOP;
END $$;
CREATE EVENT TRIGGER stamp_new_tables ON ddl_command_end WHEN TAG IN ('CREATE TABLE')
  EXECUTE FUNCTION stamp_new_tables();
"""


def test_residual():
    pair = [p for p in pe.pairs() if p[0] == "add_table"][0]
    with Database() as src, Database() as tgt, Database() as dev:
        src.psql_file(pair[1], "residual: load old")
        tgt.psql_file(pair[2], "residual: load new")
        c = connect(dev.name)
        with c.cursor() as cur:
            cur.execute(STAMP)
        c.close()
        try:
            r = sd("diff", src.url(), tgt.url(), "--verify", "--dev-url", dev.url())
            expect_rc(r, 3, "residual: diff --verify")
            if ("the upgrade does not reach the target schema" not in r.stderr or
                    "differences left after the upgrade" not in r.stderr or
                    "Detected removed table comment 'stamped'" not in r.stderr or r.stdout):
                raise Fail("residual: unexpected output:\n" + r.stdout + r.stderr)
            expect_empty(dev, "residual")
            c = connect(dev.name)
            with c.cursor() as cur:
                cur.execute("SELECT count(*) FROM pg_event_trigger WHERE evtname = "
                            "'stamp_new_tables'")
                if cur.fetchone()[0] != 1:
                    raise Fail("residual: the dev database's event trigger was dropped")
            c.close()
        finally:
            c = connect(dev.name)
            with c.cursor() as cur:
                cur.execute("DROP EVENT TRIGGER IF EXISTS stamp_new_tables")
            c.close()
    print("ok   residual: " + r.stderr.splitlines()[0])
    return 1


def test_refuse():
    pair = [p for p in pe.pairs() if p[0] == "add_column"][0]
    with Database() as src, Database() as dev:
        src.psql_file(pair[1], "refuse: load")
        c = connect(dev.name)
        with c.cursor() as cur:
            cur.execute("CREATE TABLE keep_me (i integer); INSERT INTO keep_me VALUES (7)")
        c.close()
        # FROM and TO the same database: the refusal comes before any proof
        r = sd("diff", src.url(), src.url(), "--verify", "--dev-url", dev.url())
        expect_rc(r, 2, "refuse: non-empty dev database")
        if "is not empty" not in r.stderr or len(r.stderr.splitlines()) != 1 or r.stdout:
            raise Fail("refuse: unexpected message: " + r.stderr)
        if relations(dev) != ["public.keep_me", "public.keep_me"]:  # the table and its row type
            raise Fail("refuse: the dev database was changed: %s" % relations(dev))
        c = connect(dev.name)
        with c.cursor() as cur:
            cur.execute("SELECT i FROM keep_me")
            if cur.fetchall() != [(7,)]:
                raise Fail("refuse: the dev database's rows changed")
        c.close()
        print("ok   refuse: " + r.stderr.strip())
        r = sd("diff", src.url(), src.url(), "--verify")
        expect_rc(r, 2, "refuse: no --dev-url")
        if "--dev-url" not in r.stderr or len(r.stderr.splitlines()) != 1:
            raise Fail("refuse: unexpected message without --dev-url: " + r.stderr)
        print("ok   refuse: " + r.stderr.strip())
    return 2


def main():
    if not pe.EXE:
        print("SCHEMADIFF is not set (run through meson test)", file=sys.stderr)
        return 2
    only = sys.argv[1:]
    if not shutil.which("psql"):
        print("SKIP: no PostgreSQL client binaries", file=sys.stderr)
        return 77
    stop = pe.ensure_cluster()
    groups = ("pairs", "schemas", "objects", "fails", "revision", "residual", "refuse")
    names = [a for a in only if a not in groups]
    ok, failures = 0, []
    try:
        if not only or "pairs" in only or names:
            n, f = test_pairs(names)
            ok += n
            failures += f
        for name, fn in (("schemas", test_schemas), ("objects", test_objects),
                         ("fails", test_fails), ("revision", test_revision),
                         ("residual", test_residual), ("refuse", test_refuse)):
            if only and name not in only:
                continue
            try:
                ok += fn()
                if name == "schemas":
                    print("ok   schemas")
            except Fail as e:
                failures.append(str(e))
                print("FAIL %s" % name)
    finally:
        stop()
    print("%d passed, %d failed" % (ok, len(failures)))
    if failures:
        print("\n\n".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
