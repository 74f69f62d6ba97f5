#!/usr/bin/env python3
"""Exporter tests on PostgreSQL (suite 'exporter'): for every fixture,
metadata.create_all() on a fresh database of a real server, then
`schemadiff check postgresql://... exported.json` and the reverse must
exit 0.  The server comes from PGHOST/PGPORT/PGUSER; without them a
throwaway cluster is started with tools/pg-cluster.  Exit 77 (skip) when
there is no server and no PostgreSQL binaries, no psycopg2, or when
schemadiff says the postgresql dialect is unsupported.
"""
import importlib
import os
import secrets
import subprocess
import sys
import tempfile

ROOT = os.environ.get("SD_SOURCE_ROOT") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", ".."))
SCHEMADIFF = os.environ.get("SCHEMADIFF", "schemadiff")
TOOL = os.path.join(ROOT, "tools", "export-sqlalchemy")
HERE = os.path.join(ROOT, "tests", "exporter")
CLUSTER = os.path.join(ROOT, "tools", "pg-cluster")
sys.path.insert(0, HERE)

try:
    import psycopg2  # noqa: F401
    import sqlalchemy as sa
except ImportError as e:
    print("SKIP: %s" % e, file=sys.stderr)
    sys.exit(77)

FIXTURES = [
    "models.weekly:metadata",
    "models.coltypes:metadata",
    "models.conventions:both",
    "models.indexes:metadata",
    "models.names:metadata",
    "models.computed:metadata",
    "models.cycles:metadata",
    "models.pg_only:metadata",
]
# schemas other than the default that a fixture's tables live in
EXTRA_SCHEMAS = {"models.pg_only:metadata": ["app"]}


def ensure_server():
    if os.environ.get("PGHOST") and os.environ.get("PGPORT"):
        return lambda: None
    if not os.path.exists(CLUSTER):
        print("SKIP: no PGHOST/PGPORT and no tools/pg-cluster", file=sys.stderr)
        sys.exit(77)
    tmp = tempfile.mkdtemp(prefix="sd-exp-pg-")
    r = subprocess.run([CLUSTER, "start", tmp], capture_output=True, text=True)
    if r.returncode == 77:
        print("SKIP: no PostgreSQL binaries", file=sys.stderr)
        sys.exit(77)
    if r.returncode != 0:
        print("FAIL: tools/pg-cluster start:\n" + r.stderr)
        sys.exit(1)
    for kv in r.stdout.split():
        k, v = kv.split("=", 1)
        os.environ[k] = v
    return lambda: subprocess.run([CLUSTER, "stop", tmp], capture_output=True)


def sa_url(db):
    user = os.environ.get("PGUSER", "postgres")
    return "postgresql+psycopg2://%s@/%s?host=%s&port=%s" % (
        user, db, os.environ["PGHOST"], os.environ["PGPORT"])


def sd_url(db):
    user = os.environ.get("PGUSER", "")
    auth = user + "@" if user else ""
    return "postgresql://%s%s:%s/%s" % (auth, os.environ["PGHOST"].replace("/", "%2F"),
                                        os.environ["PGPORT"], db)


def admin(sql):
    e = sa.create_engine(sa_url("postgres"), isolation_level="AUTOCOMMIT")
    with e.connect() as c:
        c.execute(sa.text(sql))
    e.dispose()


def metadatas(target):
    mod, attr = target.split(":")
    obj = getattr(importlib.import_module(mod), attr)
    return obj if isinstance(obj, (list, tuple)) else [obj]


def main():
    stop = ensure_server()
    failures = []
    try:
        db = "sdexp_" + secrets.token_hex(5)
        admin("CREATE DATABASE " + db)
        try:
            r = subprocess.run([SCHEMADIFF, "introspect", sd_url(db)], capture_output=True,
                               text=True)
            if r.returncode != 0 and ("unsupported" in r.stderr or "postgresql" not in
                                      r.stderr.lower() and r.returncode == 2):
                print("SKIP: schemadiff cannot read PostgreSQL: " + r.stderr.strip(),
                      file=sys.stderr)
                return 77
        finally:
            admin("DROP DATABASE IF EXISTS %s WITH (FORCE)" % db)
        with tempfile.TemporaryDirectory(prefix="sd-exp-pg-") as tmp:
            for target in FIXTURES:
                db = "sdexp_" + secrets.token_hex(5)
                admin("CREATE DATABASE " + db)
                try:
                  try:
                    engine = sa.create_engine(sa_url(db))
                    with engine.begin() as c:
                        for s in EXTRA_SCHEMAS.get(target, []):
                            c.execute(sa.text("CREATE SCHEMA " + s))
                    for md in metadatas(target):
                        md.create_all(engine)
                    engine.dispose()
                    out = os.path.join(tmp, target.replace(":", "_") + ".json")
                    r = subprocess.run([sys.executable, TOOL, target, "--sys-path", HERE,
                                        "--dialect", "postgresql", "-o", out],
                                       capture_output=True, text=True)
                    if r.returncode != 0:
                        failures.append("%s: export exit %d: %s" % (target, r.returncode,
                                                                    r.stderr))
                        continue
                    schemas = []
                    for s in ["public"] + EXTRA_SCHEMAS.get(target, []):
                        schemas += ["--schema", s] if EXTRA_SCHEMAS.get(target) else []
                    for a, b in ((sd_url(db), out), (out, sd_url(db))):
                        r = subprocess.run([SCHEMADIFF, "check", a, b] + schemas,
                                           capture_output=True, text=True)
                        if r.returncode != 0:
                            failures.append("%s: schemadiff check %s %s exited %d:\n%s%s"
                                            % (target, "db" if a != out else "file",
                                               "file" if a != out else "db", r.returncode,
                                               r.stdout, r.stderr))
                  except sa.exc.SQLAlchemyError as e:
                    failures.append("%s: create_all on PostgreSQL failed: %s"
                                    % (target, str(e).splitlines()[0]))
                finally:
                    admin("DROP DATABASE IF EXISTS %s WITH (FORCE)" % db)
    finally:
        stop()
    for f in failures:
        print("FAIL: " + f)
    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("ok: %d fixtures on PostgreSQL" % len(FIXTURES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
