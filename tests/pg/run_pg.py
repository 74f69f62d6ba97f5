#!/usr/bin/python3
"""PostgreSQL tests against a real server (pg_dump's TAP tests, in Python).

usage: run_pg.py TEST [--update]
  golden     tests/pg/cases/<name>/: schema.sql is loaded into a fresh
             database, `schemadiff introspect [args]` must print expected.json;
             then `check db file` and `check file db` must exit 0
  weekly     fixtures/weekly/w.2020.19.pg.sql diffed against w.2020.22.json
  badinput   unreachable server, wrong password, missing database, schema
             without permission, missing schema: exit 2, one line, no password
  readonly   a role with only SELECT introspects; the transaction is read-only
  connections  the second connection (same snapshot) and its fallbacks: one
             connection without threads, a role limited to one connection, a
             role that may not export a snapshot -- all print the same schema;
             tables dropped while schemadiff reads keep their constraints

The cluster comes from PGHOST/PGPORT/PGUSER (tools/run-tests starts one and
sets SD_PG_AVAILABLE=1); without them the test starts its own throwaway
cluster with tools/pg-cluster.  Exit 77 (skip) only when there are no
PostgreSQL binaries.  Every test works in its own database sdtest_<random>.
"""
import json
import os
import secrets
import subprocess
import sys
import tempfile

ROOT = os.environ.get("SD_SOURCE_ROOT") or os.path.join(os.path.dirname(__file__), "..", "..")
EXE = os.environ.get("SCHEMADIFF")
CLUSTER = os.path.join(ROOT, "tools", "pg-cluster")

try:
    import psycopg2
except ImportError:  # python3-psycopg2 is installed by tools/install-deps
    print("SKIP: python3-psycopg2 is not installed", file=sys.stderr)
    sys.exit(77)


class Fail(Exception):
    pass


def ensure_cluster():
    """Use the runner's cluster, else start a private one; return a stop function."""
    if os.environ.get("PGHOST") and os.environ.get("PGPORT"):
        return lambda: None
    tmp = tempfile.mkdtemp(prefix="sd-pg-")
    r = subprocess.run([CLUSTER, "start", tmp], capture_output=True, text=True)
    if r.returncode == 77:
        print("SKIP: no PostgreSQL binaries (initdb, pg_ctl) on this machine", file=sys.stderr)
        sys.exit(77)
    if r.returncode != 0:
        raise Fail("tools/pg-cluster start failed:\n" + r.stderr)
    for kv in r.stdout.split():
        k, v = kv.split("=", 1)
        os.environ[k] = v
    return lambda: subprocess.run([CLUSTER, "stop", tmp], capture_output=True)


def admin(dbname="postgres"):
    conn = psycopg2.connect(dbname=dbname)
    conn.autocommit = True
    return conn


class Database:
    """A fresh database sdtest_<random>, dropped on exit."""

    def __init__(self):
        self.name = "sdtest_" + secrets.token_hex(6)

    def __enter__(self):
        c = admin()
        with c.cursor() as cur:
            cur.execute("CREATE DATABASE " + self.name)
        c.close()
        return self

    def __exit__(self, *exc):
        c = admin()
        with c.cursor() as cur:
            cur.execute("DROP DATABASE IF EXISTS %s WITH (FORCE)" % self.name)
        c.close()

    def url(self, user=None, password=None):
        auth = ""
        if user:
            auth = user + (":" + password if password else "") + "@"
        host = os.environ["PGHOST"].replace("/", "%2F")
        return "postgresql://%s%s:%s/%s" % (auth, host, os.environ["PGPORT"], self.name)

    def run_sql(self, sql):
        c = admin(self.name)
        with c.cursor() as cur:
            # the readonly test makes the database's default read-only
            cur.execute("SET default_transaction_read_only = off")
            cur.execute(sql)
        c.close()


def sd(*args, env=None):
    e = dict(os.environ)
    if env:
        e.update(env)
    return subprocess.run([EXE] + list(args), capture_output=True, text=True, env=e)


def expect_rc(r, rc, what):
    if r.returncode != rc:
        raise Fail("%s: exit %d, expected %d\nstdout:\n%s\nstderr:\n%s"
                   % (what, r.returncode, rc, r.stdout, r.stderr))


def test_golden(update):
    cases = os.path.join(ROOT, "tests", "pg", "cases")
    failures = []
    for name in sorted(os.listdir(cases)):
        d = os.path.join(cases, name)
        args = open(os.path.join(d, "args")).read().split()
        with Database() as db:
            db.run_sql(open(os.path.join(d, "schema.sql")).read())
            url = db.url()
            r = sd("introspect", url, *args)
            expect_rc(r, 0, name + ": introspect")
            exp_path = os.path.join(d, "expected.json")
            if update:
                open(exp_path, "w").write(r.stdout)
            expected = open(exp_path).read()
            if r.stdout != expected:
                import difflib
                failures.append(name + ": introspect output differs:\n" + "".join(
                    difflib.unified_diff(expected.splitlines(True), r.stdout.splitlines(True),
                                         "expected.json", "actual")))
                continue
            with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
                f.write(r.stdout)
            try:
                expect_rc(sd("check", url, f.name, *args), 0, name + ": check db file")
                expect_rc(sd("check", f.name, url, *args), 0, name + ": check file db")
                # a conninfo string reaches the same database
                ci = "host=%s port=%s dbname=%s" % (os.environ["PGHOST"], os.environ["PGPORT"],
                                                    db.name)
                expect_rc(sd("check", ci, f.name, *args), 0, name + ": check conninfo file")
                expect_rc(sd("check", url.replace("postgresql://", "postgresql+psycopg2://"),
                             f.name, *args), 0, name + ": check postgresql+psycopg2 file")
                # Other files of the case, written by hand (e.g. with "names": "sql"):
                # equal*.json|yaml must compare equal both ways, differ*.* must not.
                for extra in sorted(os.listdir(d)):
                    want = 0 if extra.startswith("equal") else 1 if extra.startswith("differ") else None
                    if want is None:
                        continue
                    path = os.path.join(d, extra)
                    expect_rc(sd("check", url, path, *args), want, name + ": check db " + extra)
                    expect_rc(sd("check", path, url, *args), want, name + ": check " + extra + " db")
            except Fail as e:
                failures.append(str(e))
            finally:
                os.unlink(f.name)
        print("ok golden", name)
    if failures:
        raise Fail("\n".join(failures))


# The weekly example on PostgreSQL: w.2020.19.pg.sql is the twin of the
# SQLite database w.2020.19; the differences to w.2020.22 are exactly the
# three lines SQLite gives.  What makes that hold (each fails without its
# rule): FK names over 63 bytes in the file that the server cut
# (max_identifier_length), and the boolean default 1 the server keeps as
# true (type-aware defaults).
WEEKLY_SQLITE_LINES = [
    "Detected removed index 'dataset_composition_fkidx_component_dataset_id' on 'dataset_composition'",
    "Detected removed index 'dataset_composition_fkidx_parent_dataset_id' on 'dataset_composition'",
    "Detected removed table 'dataset_composition'  [destructive]",
]
# w.2020.22.json was exported for SQLite: SQLAlchemy gives a Boolean column a
# CHECK (x IN (0, 1)) there and not on PostgreSQL, so against the PostgreSQL
# database that CHECK is a genuine difference and must be reported.  The
# file as exported for PostgreSQL (tests/pg/weekly/w.2020.22.pg.json: the
# same metadata, dialect postgresql, no Boolean CHECK) gives the three lines.
WEEKLY_SQLITE_ONLY_CHECK = \
    "Detected added check constraint unnamed on 'dataset_consumers' (actual IN (0, 1))" \
    "  [long lock: adding the check scans the table under an ACCESS EXCLUSIVE lock" \
    " (--online: NOT VALID, then VALIDATE)]"


def test_weekly(update):
    with Database() as db:
        sql = open(os.path.join(ROOT, "fixtures", "weekly", "w.2020.19.pg.sql")).read()
        db.run_sql(sql)
        for path, want in (
                (os.path.join(ROOT, "tests", "pg", "weekly", "w.2020.22.pg.json"),
                 WEEKLY_SQLITE_LINES),
                (os.path.join(ROOT, "fixtures", "weekly", "w.2020.22.json"),
                 WEEKLY_SQLITE_LINES + [WEEKLY_SQLITE_ONLY_CHECK])):
            r = sd("diff", db.url(), path)
            expect_rc(r, 0, "weekly diff " + os.path.basename(path))
            lines = [l for l in r.stdout.splitlines() if l.startswith("Detected")]
            if sorted(lines) != sorted(want):
                raise Fail("weekly %s: expected exactly:\n%s\ngot:\n%s"
                           % (os.path.basename(path), "\n".join(want), r.stdout))
            print("ok weekly %s (%d lines)" % (os.path.basename(path), len(lines)))


# ---- PostgreSQL semantics in the comparator -------------------------------
# Each case: DDL run on a fresh database, a schema file that means the same
# thing written as people (or SQLAlchemy) write it; `check` must exit 0 both
# ways.  Each case depends on one rule of the comparator and fails without
# it.  Then a changed file must still be reported (no rule hides a real
# difference).
LONG = "a_table_name_that_is_longer_than_sixty_three_bytes_which_postgresql_cuts"
SEMANTIC_CASES = {
    # NAMEDATALEN: the server cuts names to 63 bytes (a 2-byte character
    # across the cut is dropped whole)
    "long names": (
        'CREATE TABLE p (id int PRIMARY KEY);'
        'CREATE TABLE "%s" (id int PRIMARY KEY, "%s_col" int,'
        ' "écrit_%s" int, CONSTRAINT "fk_%s" FOREIGN KEY ("%s_col") REFERENCES p (id));'
        'CREATE INDEX "ix_%s" ON "%s" ("%s_col");' % (LONG, LONG, LONG, LONG, LONG, LONG, LONG, LONG),
        {"tables": [
            {"name": "p", "columns": [{"name": "id", "type": "INTEGER", "nullable": False}],
             "primary_key": {"columns": ["id"]}},
            {"name": LONG, "columns": [
                {"name": "id", "type": "INTEGER", "nullable": False},
                {"name": LONG + "_col", "type": "INTEGER"},
                {"name": "écrit_" + LONG, "type": "INTEGER"}],
             "primary_key": {"columns": ["id"]},
             "foreign_keys": [{"name": "fk_" + LONG, "columns": [LONG + "_col"],
                               "referred_table": "p", "referred_columns": ["id"]}],
             "indexes": [{"name": "ix_" + LONG, "unique": False, "columns": [LONG + "_col"]}]}]},
        ("tables", 1, "indexes", 0, "columns", 0), "id"),
    # a boolean's default: 1 / 't' / 0 are true / false
    "boolean defaults": (
        "CREATE TABLE b (x boolean DEFAULT true, y boolean DEFAULT false, z boolean DEFAULT 't')",
        {"tables": [{"name": "b", "columns": [
            {"name": "x", "type": "BOOLEAN", "default": "1"},
            {"name": "y", "type": "BOOLEAN", "default": "'0'"},
            {"name": "z", "type": "BOOLEAN", "default": "TRUE"}]}]},
        ("tables", 0, "columns", 1, "default"), "1"),
    # unnamed constraints in the file against the names the server gives
    "unnamed constraints": (
        "CREATE TABLE p (id int PRIMARY KEY);"
        "CREATE TABLE c (id int PRIMARY KEY, p_id int REFERENCES p (id) ON DELETE CASCADE,"
        " code text UNIQUE, n int CHECK (n > 0))",
        {"tables": [
            {"name": "p", "columns": [{"name": "id", "type": "INTEGER", "nullable": False}],
             "primary_key": {"columns": ["id"]}},
            {"name": "c", "columns": [
                {"name": "id", "type": "INTEGER", "nullable": False},
                {"name": "p_id", "type": "INTEGER"}, {"name": "code", "type": "TEXT"},
                {"name": "n", "type": "INTEGER"}],
             "primary_key": {"columns": ["id"]},
             "unique_constraints": [{"columns": ["code"]}],
             "foreign_keys": [{"columns": ["p_id"], "referred_table": "p",
                               "referred_columns": ["id"], "on_delete": "CASCADE"}],
             "check_constraints": [{"expression": "n > 0"}]}]},
        ("tables", 1, "check_constraints", 0, "expression"), "n >= 0"),
    # defaults as the server deparses them
    "defaults": (
        "CREATE TABLE d (id serial PRIMARY KEY, i int DEFAULT '0', s varchar(8) DEFAULT 'abc',"
        " t timestamptz DEFAULT now(), n numeric DEFAULT -1.5, a text[] DEFAULT '{}')",
        {"tables": [{"name": "d", "columns": [
            {"name": "id", "type": "INTEGER", "nullable": False,
             "default": "nextval('d_id_seq'::regclass)"},
            {"name": "i", "type": "INTEGER", "default": "0"},
            {"name": "s", "type": "VARCHAR(8)", "default": "'abc'"},
            {"name": "t", "type": "TIMESTAMP WITH TIME ZONE", "default": "CURRENT_TIMESTAMP"},
            {"name": "n", "type": "NUMERIC", "default": "-1.5"},
            {"name": "a", "type": "TEXT[]", "default": "'{}'"}],
            "primary_key": {"columns": ["id"]}}]},
        ("tables", 0, "columns", 1, "default"), "1"),
    # CHECK expressions in the server's canonical form
    "check expressions": (
        "CREATE TABLE k (a int, b text,"
        " CONSTRAINT k1 CHECK (a IN (0, 1)), CONSTRAINT k2 CHECK (a > 0 AND a < 10 OR a IS NULL),"
        " CONSTRAINT k3 CHECK (b IN ('x', 'y')), CONSTRAINT k4 CHECK (b LIKE 'a%'),"
        " CONSTRAINT k5 CHECK (NOT (a = 3)), CONSTRAINT k6 CHECK (b NOT IN ('q')),"
        " CONSTRAINT k7 CHECK (a > 0 AND (b = 'x' OR b = 'y')), CONSTRAINT k8 CHECK (length(b) < 5))",
        {"tables": [{"name": "k", "columns": [{"name": "a", "type": "INTEGER"},
                                              {"name": "b", "type": "TEXT"}],
                     "check_constraints": [
                         {"name": "k1", "expression": "a IN (0, 1)"},
                         {"name": "k2", "expression": "a > 0 AND a < 10 OR a IS NULL"},
                         {"name": "k3", "expression": "b IN ('x', 'y')"},
                         {"name": "k4", "expression": "b LIKE 'a%'"},
                         {"name": "k5", "expression": "NOT (a = 3)"},
                         {"name": "k6", "expression": "b NOT IN ('q')"},
                         {"name": "k7", "expression": "a > 0 AND (b = 'x' OR b = 'y')"},
                         {"name": "k8", "expression": "length(b) < 5"}]}]},
        ("tables", 0, "check_constraints", 6, "expression"), "a > 0 AND b = 'x' OR b = 'y'"),
    # operator classes as people write them: any case, pg_catalog-qualified,
    # or the default named (int4_ops, as SQLAlchemy's documentation does),
    # which the server does not show
    "operator classes": (
        "CREATE TABLE o (id int PRIMARY KEY, name text, code varchar(10));"
        "CREATE INDEX o_name ON o (name text_pattern_ops);"
        "CREATE INDEX o_mixed ON o (id, code varchar_pattern_ops, (lower(name)));",
        {"tables": [{"name": "o", "columns": [
            {"name": "id", "type": "INTEGER", "nullable": False},
            {"name": "name", "type": "TEXT"}, {"name": "code", "type": "VARCHAR(10)"}],
            "primary_key": {"columns": ["id"]},
            "indexes": [
                {"name": "o_name", "columns": [{"column": "name", "opclass": "TEXT_PATTERN_OPS"}]},
                {"name": "o_mixed", "columns": [
                    {"column": "id", "opclass": "int4_ops"},
                    {"column": "code", "opclass": "pg_catalog.varchar_pattern_ops"},
                    {"expression": "lower(name)"}]}]}]},
        ("tables", 0, "indexes", 0, "columns", 0, "opclass"), "varchar_pattern_ops"),
    # UNIQUE NULLS NOT DISTINCT, named and unnamed
    "unique nulls not distinct": (
        "CREATE TABLE u (a text, b text, CONSTRAINT u_a_key UNIQUE NULLS NOT DISTINCT (a),"
        " UNIQUE NULLS NOT DISTINCT (b))",
        {"tables": [{"name": "u", "columns": [{"name": "a", "type": "TEXT"},
                                              {"name": "b", "type": "TEXT"}],
                     "unique_constraints": [
                         {"name": "u_a_key", "columns": ["a"], "nulls_not_distinct": True},
                         {"columns": ["b"], "nulls_not_distinct": True}]}]},
        ("tables", 0, "unique_constraints", 1, "nulls_not_distinct"), False),
}


def set_path(doc, path, value):
    for k in path[:-1]:
        doc = doc[k]
    doc[path[-1]] = value


def test_semantics(update):
    import copy
    failures = []
    for name, (ddl, doc, path, changed) in SEMANTIC_CASES.items():
        doc = dict(doc, format="schemadiff/1", dialect="postgresql")
        with Database() as db, tempfile.TemporaryDirectory() as tmp:
            db.run_sql(ddl)
            f = os.path.join(tmp, "schema.json")
            json.dump(doc, open(f, "w"), ensure_ascii=False)
            try:
                for a, b in ((db.url(), f), (f, db.url())):
                    r = sd("check", a, b)
                    expect_rc(r, 0, "%s: check %s %s" % (name, os.path.basename(a),
                                                          os.path.basename(b)))
                bad = copy.deepcopy(doc)
                set_path(bad, path, changed)
                json.dump(bad, open(f, "w"), ensure_ascii=False)
                expect_rc(sd("check", db.url(), f), 1, name + ": a real difference is reported")
                print("ok semantics", name)
            except Fail as e:
                failures.append(str(e))
    # two live databases: defaults that differ in text, the server says equal
    with Database() as d1, Database() as d2:
        d1.run_sql("CREATE TABLE t (a int DEFAULT (1 + 1), b boolean DEFAULT (1)::boolean,"
                   " c numeric DEFAULT (2.50), e int DEFAULT 7, f timestamptz DEFAULT now())")
        d2.run_sql("CREATE TABLE t (a int DEFAULT 2, b boolean DEFAULT true,"
                   " c numeric DEFAULT 2.5, e int DEFAULT (3 + 3), f timestamptz DEFAULT statement_timestamp())")
        r = sd("diff", d1.url(), d2.url())
        expect_rc(r, 0, "db-db diff")
        want = sorted(["Detected server default change from 7 to (3 + 3) on column 't.e'",
                       "Detected server default change from now() to statement_timestamp() on column 't.f'"])
        got = sorted(l for l in r.stdout.splitlines() if l.startswith("Detected"))
        if got != want:
            failures.append("db-db defaults: expected\n%s\ngot\n%s" % ("\n".join(want), r.stdout))
        else:
            print("ok semantics server-judged defaults")
    if failures:
        raise Fail("\n".join(failures))


def one_line_error(r, what, must, secrets_=()):
    expect_rc(r, 2, what)
    err = r.stderr.strip()
    if "\n" in err:
        raise Fail("%s: error is not one line:\n%s" % (what, err))
    for m in must:
        if m.lower() not in err.lower():
            raise Fail("%s: error does not mention %r: %s" % (what, m, err))
    for s in secrets_:
        if s in r.stderr or s in r.stdout:
            raise Fail("%s: the password appears in the output: %s" % (what, err))
    print("ok badinput %s: %s" % (what, err))


def test_badinput(update):
    pw = "Sekr1t-" + secrets.token_hex(4)
    with Database() as db:
        db.run_sql("DROP ROLE IF EXISTS sd_md5; CREATE ROLE sd_md5 LOGIN PASSWORD '%s';"
                   "DROP ROLE IF EXISTS sd_nousage; CREATE ROLE sd_nousage LOGIN;"
                   "CREATE SCHEMA private; CREATE TABLE private.t (id int);"
                   "REVOKE ALL ON SCHEMA private FROM PUBLIC;" % pw)
        try:
            # the right password works (via the URL and via PGPASSWORD)
            expect_rc(sd("introspect", db.url("sd_md5", pw)), 0, "right password in URL")
            expect_rc(sd("introspect", db.url("sd_md5"), env={"PGPASSWORD": pw}), 0,
                      "right password in PGPASSWORD")
            wrong = "Wr0ng-" + secrets.token_hex(4)
            one_line_error(sd("introspect", db.url("sd_md5", wrong)), "wrong password",
                           ["password authentication failed", "sd_md5:***@"], [wrong, pw])
            one_line_error(sd("introspect", db.url("sd_md5"), env={"PGPASSWORD": wrong}),
                           "wrong PGPASSWORD", ["password authentication failed"], [wrong, pw])
            ci = "host=%s port=%s dbname=%s user=sd_md5 password=%s" % (
                os.environ["PGHOST"], os.environ["PGPORT"], db.name, wrong)
            one_line_error(sd("introspect", ci), "wrong password in conninfo",
                           ["password authentication failed", "password=***"], [wrong, pw])
            one_line_error(sd("diff", db.url("sd_md5", wrong) + "?sslmode=disable",
                              os.path.join(ROOT, "fixtures", "weekly", "w.2020.22.json")),
                           "wrong password (diff)", ["password authentication failed"], [wrong])
            gone = tempfile.mkdtemp(prefix="sd-nohost-")
            one_line_error(sd("introspect", "postgresql://sd_md5:%s@/%s?host=%s&port=%s"
                              % (pw, db.name, gone, os.environ["PGPORT"])),
                           "unreachable server", ["cannot connect", gone], [pw])
            os.rmdir(gone)
            one_line_error(sd("introspect", db.url().rsplit("/", 1)[0] + "/sdtest_no_such_db"),
                           "missing database", ['"sdtest_no_such_db" does not exist'])
            one_line_error(sd("introspect", db.url(), "--schema", "no_such_schema"),
                           "missing schema", ['schema "no_such_schema" does not exist'])
            one_line_error(sd("introspect", db.url("sd_nousage"), "--schema", "private"),
                           "schema without permission", ['permission denied for schema "private"'])
            one_line_error(sd("introspect", db.url(), "--schema", "pg_catalog"),
                           "system schema", ['"pg_catalog"'])
            # a catalog the role may not read: the pipelined query that fails is named (not one
            # of those aborted after it), on either connection and on one
            # (pg_trigger: read late on the first connection, so with one connection the
            # second share, sent after it, fails too -- "current transaction is aborted" --
            # and is decoded first; the error is still pg_trigger's)
            for cat, what_failed, query in [
                    ("pg_description", "reading pg_class", "SELECT c.oid,"),
                    ("pg_trigger", "reading pg_trigger", "SELECT t.tgrelid,")]:
                db.run_sql("REVOKE SELECT ON pg_catalog.%s FROM PUBLIC" % cat)
                try:
                    for env in (None, {"SCHEMADIFF_NO_THREADS": "1"}):
                        what = "%s without permission%s" % (cat, " (one connection)" if env else "")
                        r = sd("introspect", db.url("sd_md5", pw), env=env)
                        expect_rc(r, 2, what)
                        lines = r.stderr.splitlines()
                        # the error line, then the failing query as detail (house rule: show the SQL)
                        if not (lines and "%s failed: ERROR: permission denied for table %s"
                                % (what_failed, cat) in lines[0] and len(lines) > 1
                                and lines[1].startswith("detail: query: " + query)
                                and pw not in r.stderr):
                            raise Fail("%s: unexpected error:\n%s" % (what, r.stderr))
                        print("ok badinput %s: %s" % (what, lines[0]))
                finally:
                    db.run_sql("GRANT SELECT ON pg_catalog.%s TO PUBLIC" % cat)
        finally:
            db.run_sql("DROP OWNED BY sd_md5, sd_nousage; DROP ROLE sd_md5; DROP ROLE sd_nousage")


def test_readonly(update):
    with Database() as db:
        db.run_sql(open(os.path.join(ROOT, "tests", "pg", "cases", "rich", "schema.sql")).read())
        db.run_sql("DROP ROLE IF EXISTS sd_ro; CREATE ROLE sd_ro LOGIN;"
                   "REVOKE CREATE ON SCHEMA public FROM PUBLIC;"
                   "GRANT SELECT ON ALL TABLES IN SCHEMA public TO sd_ro;")
        try:
            full = sd("introspect", db.url())
            expect_rc(full, 0, "introspect as superuser")
            ro = sd("introspect", db.url("sd_ro"))
            expect_rc(ro, 0, "introspect as a SELECT-only role")
            if ro.stdout != full.stdout:
                raise Fail("a SELECT-only role sees a different schema")
            # a server that refuses every write: still works (READ ONLY transaction)
            db.run_sql("ALTER DATABASE %s SET default_transaction_read_only = on" % db.name)
            expect_rc(sd("introspect", db.url()), 0, "introspect a read-only database")
            # libpq options in the URL, as in the example
            opt = sd("introspect", db.url("sd_ro") + "?options=-csearch_path%3Dpublic")
            expect_rc(opt, 0, "introspect with options")
            if opt.stdout != full.stdout:
                raise Fail("?options=-csearch_path=public reads a different schema")
        finally:
            db.run_sql("DROP OWNED BY sd_ro; DROP ROLE sd_ro")
    print("ok readonly")


# --schema on revision: the registry lives in its own schema (not on the
# search_path); revision reads it there and proves the migration on a
# scratch database.  With one --schema, names are relative to that schema
# (the file describes "the" schema), so the SQL is unqualified and runs
# with search_path set to it, as the README says.
def test_schema_option(update):
    with Database() as db, Database() as scratch, tempfile.TemporaryDirectory() as tmp:
        db.run_sql("CREATE SCHEMA registry; CREATE TABLE registry.dataset (id integer PRIMARY KEY,"
                   " run text NOT NULL); CREATE TABLE public.other (x integer);")
        target = os.path.join(tmp, "target.json")
        r = sd("introspect", db.url(), "--schema", "registry")
        expect_rc(r, 0, "introspect --schema registry")
        doc = json.loads(r.stdout)
        if [t["name"] for t in doc["tables"]] != ["dataset"]:
            raise Fail("introspect --schema registry read other tables:\n" + r.stdout)
        doc["tables"][0]["columns"].append({"name": "note", "type": "text", "nullable": True})
        with open(target, "w") as f:
            json.dump(doc, f)
        versions = os.path.join(tmp, "versions")
        os.mkdir(versions)
        r = sd("revision", db.url(), target, "--schema", "registry", "--versions", versions,
               "--rev-id", "r1", "-m", "note", "--format", "sql", "--dev-url", scratch.url())
        expect_rc(r, 0, "revision --schema registry --dev-url")
        text = open(os.path.join(versions, "r1_note.sql")).read()
        if "ALTER TABLE dataset ADD COLUMN note text" not in text or "other" in text or \
                "-- verified:" not in text:
            raise Fail("revision --schema registry wrote:\n" + text)
        up = text.split("-- migrate:up", 1)[1].split("-- migrate:down", 1)[0]
        db.run_sql("SET search_path TO registry;\n" + up)
        expect_rc(sd("check", db.url(), target, "--schema", "registry"), 0,
                  "check --schema registry after the upgrade")
        fp_db = sd("fingerprint", db.url(), "--schema", "registry")
        fp_file = sd("fingerprint", target)
        if fp_db.returncode != 0 or fp_db.stdout != fp_file.stdout:
            raise Fail("fingerprint --schema registry: %s%s vs the file's %s"
                       % (fp_db.stdout, fp_db.stderr, fp_file.stdout))
        r = sd("identify", db.url(), "--schema", "registry", "--versions", versions)
        expect_rc(r, 0, "identify --schema registry")
        if r.stdout != "database matches the snapshot of r1\n":
            raise Fail("identify --schema registry: " + r.stdout)
        expect_rc(sd("identify", db.url(), "--versions", versions), 1, "identify without --schema")
        # without --schema the default schema (public) is read: other, not dataset
        r = sd("revision", db.url(), target, "--versions", versions, "--rev-id", "r2", "-m", "x",
               "--no-verify", "--format", "sql")
        expect_rc(r, 0, "revision without --schema")
        text = open(os.path.join(versions, "r2_x.sql")).read()
        if "DROP TABLE other" not in text:
            raise Fail("revision without --schema did not read the default schema:\n" + text)
    print("ok schema_option")


def sessions(dbname):
    """pg_stat_database.sessions (PostgreSQL 14+), None before."""
    c = admin()
    try:
        with c.cursor() as cur:
            cur.execute("SELECT current_setting('server_version_num')::int >= 140000")
            if not cur.fetchone()[0]:
                return None
            cur.execute("SELECT pg_stat_clear_snapshot()")
            cur.execute("SELECT sessions FROM pg_stat_database WHERE datname = %s", (dbname,))
            return cur.fetchone()[0]
    finally:
        c.close()


def no_schemadiff_backends(dbname):
    """Wait (up to 10 s) until no server process of an earlier schemadiff is left."""
    import time
    c = admin()
    try:
        with c.cursor() as cur:
            for _ in range(200):
                cur.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s"
                            " AND application_name = 'schemadiff'", (dbname,))
                if cur.fetchone()[0] == 0:
                    return
                time.sleep(0.05)
    finally:
        c.close()


def sessions_used(db, run):
    """(result of run(), how many sessions it opened on db's database)."""
    import time
    no_schemadiff_backends(db.name)
    before = sessions(db.name)
    while before is not None:   # the sessions of an earlier run, counted a moment after they end
        time.sleep(0.2)
        now = sessions(db.name)
        if now == before:
            break
        before = now
    r = run()
    if before is None:
        return r, None
    # a session is counted when its server process ends, a moment after the client is gone
    deadline = time.time() + 10
    n = sessions(db.name) - before
    while time.time() < deadline:
        time.sleep(0.2)
        m = sessions(db.name) - before
        if m == n and n > 0:
            break
        n = m
    return r, n


def test_connections(update):
    import threading
    with Database() as db:
        db.run_sql(open(os.path.join(ROOT, "tests", "pg", "cases", "rich", "schema.sql")).read())
        db.run_sql("DROP ROLE IF EXISTS sd_one; CREATE ROLE sd_one LOGIN CONNECTION LIMIT 1;"
                   "DROP ROLE IF EXISTS sd_nosnap; CREATE ROLE sd_nosnap LOGIN;"
                   "GRANT SELECT ON ALL TABLES IN SCHEMA public TO sd_one, sd_nosnap;"
                   "REVOKE EXECUTE ON FUNCTION pg_export_snapshot() FROM PUBLIC;"
                   "GRANT EXECUTE ON FUNCTION pg_export_snapshot() TO sd_one;")
        try:
            full = sd("introspect", db.url())
            expect_rc(full, 0, "introspect")
            # Two connections: the second is never waited for, so on a small schema the
            # first may well run everything.  Hold a lock the first connection's column
            # query waits for (pg_get_expr opens a table with a generated column) and watch
            # the second connection join while it waits.
            import time
            holder = admin(db.name)
            try:
                with holder.cursor() as cur:
                    cur.execute("BEGIN; LOCK TABLE parent IN ACCESS EXCLUSIVE MODE")
                    p = subprocess.Popen([EXE, "introspect", db.url()], stdout=subprocess.PIPE,
                                         stderr=subprocess.PIPE, text=True)
                    seen, deadline = 0, time.time() + 30
                    while time.time() < deadline and seen < 2:
                        time.sleep(0.05)
                        cur.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s"
                                    " AND application_name = 'schemadiff'", (db.name,))
                        seen = cur.fetchone()[0]
                    cur.execute("ROLLBACK")
                out, err = p.communicate(timeout=60)
            finally:
                holder.close()
            if p.returncode != 0 or out != full.stdout:
                raise Fail("introspect behind a lock: exit %d or a different schema\n%s"
                           % (p.returncode, err))
            if seen != 2:
                raise Fail("introspect used %d connections, expected 2" % seen)
            print("ok connections two")
            for what, user, env, want in [
                    ("without threads", None, {"SCHEMADIFF_NO_THREADS": "1"}, 1),
                    ("a role limited to one connection", "sd_one", None, None),
                    ("a role that may not export a snapshot", "sd_nosnap", None, 1)]:
                r, n = sessions_used(db, lambda: sd("introspect", db.url(user), env=env))
                expect_rc(r, 0, "introspect " + what)
                if r.stdout != full.stdout:
                    raise Fail("introspect %s prints a different schema" % what)
                if want is not None and n is not None and n != want:
                    raise Fail("introspect %s opened %d sessions, expected %d" % (what, n, want))
                print("ok connections %s (%s sessions)" % (what, n))
        finally:
            db.run_sql("GRANT EXECUTE ON FUNCTION pg_export_snapshot() TO PUBLIC;"
                       "DROP OWNED BY sd_one, sd_nosnap; DROP ROLE sd_one; DROP ROLE sd_nosnap")

        # Both connections read one snapshot: while tables with a primary key and an index
        # are created and dropped, every table read has both (the tables and the
        # constraints are read on different connections; a later snapshot on the second
        # would miss those of a table dropped in between).
        stop = threading.Event()
        errors = []

        def churn():
            c = admin(db.name)
            try:
                with c.cursor() as cur:
                    k = 0
                    while not stop.is_set():
                        cur.execute("CREATE TABLE churn_%d (id int PRIMARY KEY, v int);"
                                    "CREATE INDEX churn_%d_v ON churn_%d (v)" % (k, k, k))
                        if k >= 3:
                            cur.execute("DROP TABLE churn_%d" % (k - 3))
                        k += 1
            except Exception as e:  # reported below
                errors.append(e)
            finally:
                c.close()

        t = threading.Thread(target=churn)
        t.start()
        seen = 0
        try:
            for _ in range(15):
                r = sd("introspect", db.url())
                expect_rc(r, 0, "introspect while tables come and go")
                for tab in json.loads(r.stdout)["tables"]:
                    if not tab["name"].startswith("churn_"):
                        continue
                    seen += 1
                    names = [ix["name"] for ix in tab.get("indexes", [])]
                    if "primary_key" not in tab or names != [tab["name"] + "_v"]:
                        raise Fail("table %s read without its primary key or index: two "
                                   "snapshots\n%s" % (tab["name"], json.dumps(tab, indent=1)))
        finally:
            stop.set()
            t.join()
        if errors:
            raise Fail("the concurrent DDL failed: %s" % errors[0])
        if not seen:
            raise Fail("no churn_ table was read: the test proves nothing")
        print("ok connections one snapshot (%d churning tables read)" % seen)


TESTS = {"golden": test_golden, "weekly": test_weekly, "semantics": test_semantics, "badinput": test_badinput,
         "readonly": test_readonly, "schema_option": test_schema_option, "connections": test_connections}


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in TESTS:
        print(__doc__, file=sys.stderr)
        return 2
    if not EXE:
        print("SCHEMADIFF is not set (run under meson test)", file=sys.stderr)
        return 2
    stop = ensure_cluster()
    try:
        TESTS[sys.argv[1]]("--update" in sys.argv)
    except Fail as e:
        print("FAIL:", e, file=sys.stderr)
        return 1
    finally:
        stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
