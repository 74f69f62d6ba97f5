#!/usr/bin/python3
"""A JSON schema file and its YAML twin load into identical models.

For every fixtures/**/*.json and every other schema file (.json) in the
tree that loads (golden case inputs, expected introspections, ...):
  - `introspect F.json -o F.yaml` writes YAML,
  - `introspect F.yaml` (JSON out) equals `introspect F.json` byte for byte,
  - `introspect F.yaml -o G.yaml` reproduces F.yaml (the writer is canonical),
  - `check F.json F.yaml` exits 0.
And every hand-written twin tests/load/yaml_twins/A__B__C.yaml (anchors,
flow style, comments, block scalars) loads into the same model as the
database built from fixtures/A/B/C.sql.
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


def check_json(path, tmp, required):
    """Problems for one JSON file; None when it is not a schema file (and not required)."""
    canon = run("introspect", path, cwd=tmp)
    if canon.returncode != 0:
        return ["does not load: " + canon.stderr] if required else None
    y = os.path.join(tmp, "twin.yaml")
    problems = []
    p = run("introspect", path, "-o", y, cwd=tmp)
    if p.returncode != 0:
        return ["introspect -o x.yaml failed: " + p.stderr]
    p = run("introspect", y, cwd=tmp)
    if p.returncode != 0:
        problems.append("the YAML does not load: " + p.stderr)
    elif p.stdout != canon.stdout:
        problems.append("the YAML loads into a different model")
    y2 = os.path.join(tmp, "twin2.yml")
    p = run("introspect", y, "-o", y2, cwd=tmp)
    with open(y, encoding="utf-8") as f1:
        first = f1.read()
    if p.returncode != 0 or open(y2, encoding="utf-8").read() != first:
        problems.append("the YAML writer is not a fixed point")
    p = run("check", path, y, cwd=tmp)
    if p.returncode != 0:
        problems.append("check json yaml exited %d: %s%s" % (p.returncode, p.stdout, p.stderr))
    return problems


def check_twin(path, tmp):
    stem = os.path.basename(path)[:-5]
    sql = os.path.join(ROOT, "fixtures", *stem.split("__")) + ".sql"
    if not os.path.exists(sql):
        return ["no fixture %s" % os.path.relpath(sql, ROOT)]
    db = os.path.join(tmp, stem + ".db")
    if os.path.exists(db):
        os.unlink(db)
    con = sqlite3.connect(db)
    with open(sql, encoding="utf-8") as f:
        con.executescript(f.read())
    con.commit()
    con.close()
    a = run("introspect", "sqlite:///" + stem + ".db", cwd=tmp)
    b = run("introspect", path, cwd=tmp)
    if a.returncode != 0 or b.returncode != 0:
        return ["introspect failed: " + a.stderr + b.stderr]
    problems = []
    if a.stdout != b.stdout:
        problems.append("the twin loads into a different model than the database")
    p = run("check", "sqlite:///" + stem + ".db", path, cwd=tmp)
    if p.returncode != 0:
        problems.append("check db twin exited %d: %s%s" % (p.returncode, p.stdout, p.stderr))
    return problems


def main():
    fixtures = sorted(glob.glob(os.path.join(ROOT, "fixtures", "**", "*.json"), recursive=True))
    others = sorted(set(glob.glob(os.path.join(ROOT, "tests", "**", "*.json"), recursive=True)))
    twins = sorted(glob.glob(os.path.join(ROOT, "tests", "load", "yaml_twins", "*.yaml")))
    if len(fixtures) < 2 or len(twins) < 3:
        print("too few fixtures found: wrong SD_SOURCE_ROOT?")
        return 1
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="sdyaml-") as tmp:
        work = [(p, True) for p in fixtures] + [(p, False) for p in others]
        for path, required in work:
            problems = check_json(path, tmp, required)
            if problems is None:
                continue
            name = os.path.relpath(path, ROOT)
            if problems:
                failed += 1
                print("FAIL %s" % name)
                for pr in problems:
                    print("  " + pr.replace("\n", "\n  "))
            else:
                passed += 1
        for path in twins:
            problems = check_twin(path, tmp)
            name = os.path.relpath(path, ROOT)
            if problems:
                failed += 1
                print("FAIL %s" % name)
                for pr in problems:
                    print("  " + pr.replace("\n", "\n  "))
            else:
                passed += 1
                print("ok   %s" % name)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or passed < 50 else 0


if __name__ == "__main__":
    sys.exit(main())
