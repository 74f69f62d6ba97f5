#!/usr/bin/python3
"""alembic_compare.py - time Alembic's autogenerate on the same inputs schemadiff gets.

Usage: alembic_compare.py OLD.db|URL DIR/new_metadata.py [--mode render|compare]
                          [--no-compare-type] [--no-compare-server-default] [--show]

Imports the generated MetaData module (timed separately, NOT part of the reported
time), opens the database with SQLAlchemy 1.4 -- a SQLite file path, or any SQLAlchemy URL
such as postgresql+psycopg2://user@/old?host=/socket/dir&port=5432 (with new_metadata_pg.py,
the same schema with PostgreSQL types) -- then times:
  render  (default): alembic.autogenerate.produce_migrations(MigrationContext, metadata)
           -- which runs the comparison -- plus render_python_code() of the upgrade and the
           downgrade: the full equivalent of `schemadiff diff`.
  compare: alembic.autogenerate.compare_metadata() alone.
compare_type and compare_server_default are on by default, because schemadiff compares
types and server defaults too.

Prints one line of key=value pairs on stdout:
  import_s=  seconds to import the MetaData module (excluded)
  connect_s= seconds to create the engine and connect (excluded)
  compare_s= seconds in produce_migrations / compare_metadata
  render_s=  seconds in render_python_code (0 in compare mode)
  total_s=   compare_s + render_s  (the reported Alembic time)
  diffs=     number of top-level diffs (compare mode) or of upgrade ops (render mode)
  maxrss_kb= peak resident set size of this process (whole process, import included)
"""
import argparse
import importlib.util
import resource
import sys
import time
import warnings


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("metadata")
    ap.add_argument("--mode", choices=["render", "compare"], default="render")
    ap.add_argument("--no-compare-type", action="store_true")
    ap.add_argument("--no-compare-server-default", action="store_true")
    ap.add_argument("--show", action="store_true", help="print the diffs / rendered code on stderr")
    a = ap.parse_args()

    import sqlalchemy
    from alembic.migration import MigrationContext
    from alembic.autogenerate import compare_metadata, produce_migrations, render_python_code

    t0 = time.perf_counter()
    spec = importlib.util.spec_from_file_location("bench_new_metadata", a.metadata)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    metadata = mod.metadata
    t1 = time.perf_counter()

    url = a.db if "://" in a.db else "sqlite:///%s" % a.db
    engine = sqlalchemy.create_engine(url)
    conn = engine.connect()
    opts = {"compare_type": not a.no_compare_type,
            "compare_server_default": not a.no_compare_server_default}
    ctx = MigrationContext.configure(conn, opts=opts)
    t2 = time.perf_counter()

    render_s = 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if a.mode == "compare":
            diffs = compare_metadata(ctx, metadata)
            t3 = time.perf_counter()
            n = len(diffs)
            if a.show:
                for d in diffs:
                    sys.stderr.write("%r\n" % (d,))
        else:
            script = produce_migrations(ctx, metadata)
            t3 = time.perf_counter()
            up = render_python_code(script.upgrade_ops)
            down = render_python_code(script.downgrade_ops)
            render_s = time.perf_counter() - t3
            n = len(script.upgrade_ops.ops)
            if a.show:
                sys.stderr.write(up + "\n# ---- downgrade\n" + down + "\n")
    compare_s = t3 - t2
    conn.close()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print("import_s=%.3f connect_s=%.3f compare_s=%.3f render_s=%.3f total_s=%.3f diffs=%d maxrss_kb=%d"
          % (t1 - t0, t2 - t1, compare_s, render_s, compare_s + render_s, n, rss))
    return 0


if __name__ == "__main__":
    sys.exit(main())
