#!/usr/bin/python3
"""introspect -> file -> compare is empty, for every fixture.

For each fixtures/**/*.sql: build the SQLite database, `schemadiff introspect`
it to a schema file, then require
  - `check sqlite:///db file` exits 0 (the file describes the database),
  - `check file sqlite:///db` exits 0 (and in that direction too),
  - `introspect file` reproduces the file byte for byte (canonical form),
  - the same through YAML: `introspect db -o x.yaml`, `check db x.yaml` and
    `check x.yaml db` exit 0, and `introspect x.yaml` is the JSON file,
  - the database file is byte-identical afterwards (opened read-only).
Every hand-written fixtures/**/*.json must also describe its twin .sql when
one exists (fixtures/weekly/w.2020.19.json vs w.2020.19.sql).
Prints "N passed, N failed".
"""
import glob
import os
import sqlite3
import subprocess
import sys
import tempfile

ROOT = os.environ["SD_SOURCE_ROOT"]
EXE = os.environ["SCHEMADIFF"]


def run(*args, cwd):
    return subprocess.run([EXE] + list(args), cwd=cwd, capture_output=True, text=True)


def check_fixture(sql_path, tmp):
    rel = os.path.relpath(sql_path, os.path.join(ROOT, "fixtures"))
    stem = rel.replace("/", "__")[:-4]
    db = os.path.join(tmp, stem + ".db")
    con = sqlite3.connect(db)
    with open(sql_path, encoding="utf-8") as f:
        con.executescript(f.read())
    con.commit()
    con.close()
    with open(db, "rb") as f:
        before = f.read()
    url = "sqlite:///" + stem + ".db"
    out = stem + ".json"
    problems = []
    p = run("introspect", url, "-o", out, cwd=tmp)
    if p.returncode != 0:
        return ["introspect failed (%d): %s" % (p.returncode, p.stderr)]
    for a, b in ((url, out), (out, url)):
        p = run("check", a, b, cwd=tmp)
        if p.returncode != 0:
            problems.append("check %s %s exited %d:\n%s%s" % (a, b, p.returncode, p.stdout, p.stderr))
    p = run("introspect", out, cwd=tmp)
    with open(os.path.join(tmp, out), encoding="utf-8") as f:
        if p.returncode != 0 or p.stdout != f.read():
            problems.append("introspect of the written file is not a fixed point")
    yml = stem + ".yaml"
    p = run("introspect", url, "-o", yml, cwd=tmp)
    if p.returncode != 0:
        problems.append("introspect -o %s failed (%d): %s" % (yml, p.returncode, p.stderr))
    else:
        for a, b in ((url, yml), (yml, url)):
            p = run("check", a, b, cwd=tmp)
            if p.returncode != 0:
                problems.append("check %s %s exited %d:\n%s%s" % (a, b, p.returncode, p.stdout, p.stderr))
        p = run("introspect", yml, cwd=tmp)
        with open(os.path.join(tmp, out), encoding="utf-8") as f:
            if p.returncode != 0 or p.stdout != f.read():
                problems.append("introspect of the YAML file is not the JSON file: " + p.stderr)
    twin = sql_path[:-4] + ".json"
    if os.path.exists(twin):
        p = run("check", url, twin, cwd=tmp)
        if p.returncode != 0:
            problems.append("hand-written twin %s differs:\n%s%s" % (os.path.relpath(twin, ROOT), p.stdout, p.stderr))
    with open(db, "rb") as f:
        if f.read() != before:
            problems.append("the database file changed although it was only inspected")
    return problems


def main():
    fixtures = sorted(glob.glob(os.path.join(ROOT, "fixtures", "**", "*.sql"), recursive=True))
    if len(fixtures) < 10:
        print("too few fixtures found (%d): wrong SD_SOURCE_ROOT?" % len(fixtures))
        return 1
    failed = 0
    with tempfile.TemporaryDirectory(prefix="sdrt-") as tmp:
        for sql in fixtures:
            problems = check_fixture(sql, tmp)
            name = os.path.relpath(sql, ROOT)
            if problems:
                failed += 1
                print("FAIL %s" % name)
                for pr in problems:
                    print("  " + pr.replace("\n", "\n  "))
            else:
                print("ok   %s" % name)
    print("%d passed, %d failed" % (len(fixtures) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
