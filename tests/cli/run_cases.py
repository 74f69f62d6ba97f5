#!/usr/bin/python3
"""Golden CLI cases (curl's tests/data, jansson's test/suites, git's test_cmp).

Each directory tests/cases/NAME/ holds:
  args             the command line after 'schemadiff', shell words (shlex);
                   @FIXTURES@ stands for the repo's fixtures/ directory
  *.sql            each is run through SQLite into a database NAME.db first
  *.json ...       any other input files, copied into a scratch directory
                   (directories too, e.g. a versions directory; symlinks
                   are copied as the files they point at)
  expected.out     expected stdout, byte for byte (absent = must be empty)
  expected.err     expected stderr (absent = not checked unless status != 0)
  expected.status  expected exit status (absent = 0)
  expected.files   optional: names of files the command must have written,
                   each compared with expected.<name>
  expected.absent  optional: names of files that must NOT exist afterwards
                   (a read-only command must not create a missing database)
  expected.unchanged  optional: names of input files whose bytes must be
                   identical afterwards (databases we only inspect)
The command runs in the scratch directory.  On mismatch a unified diff is
printed.  SD_UPDATE_GOLDEN=1 rewrites the expected files from actual output.

Usage: run_cases.py --list | run_cases.py NAME... | run_cases.py (all)
"""
import difflib
import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tempfile

ROOT = os.environ.get("SD_SOURCE_ROOT") or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CASES = os.path.join(ROOT, "tests", "cases")
FIXTURES = os.path.join(ROOT, "fixtures")


def case_names():
    return sorted(d for d in os.listdir(CASES) if os.path.isdir(os.path.join(CASES, d)))


def read(path, default=None):
    if not os.path.exists(path):
        return default
    with open(path, "rb") as f:
        return f.read()


def show_diff(label, expected, actual):
    exp = expected.decode("utf-8", "replace").splitlines(keepends=True)
    act = actual.decode("utf-8", "replace").splitlines(keepends=True)
    sys.stdout.writelines(difflib.unified_diff(exp, act, "expected " + label, "actual " + label))
    sys.stdout.write("\n")


def run_case(name, exe):
    src = os.path.join(CASES, name)
    update = os.environ.get("SD_UPDATE_GOLDEN") == "1"
    with tempfile.TemporaryDirectory(prefix="sdcase-") as tmp:
        for entry in os.listdir(src):
            if entry.startswith("expected"):
                continue
            if os.path.isdir(os.path.join(src, entry)):  # e.g. a versions directory
                shutil.copytree(os.path.join(src, entry), os.path.join(tmp, entry))
            else:
                shutil.copy(os.path.join(src, entry), tmp)
        for entry in sorted(os.listdir(tmp)):
            if entry.endswith(".sql"):
                db = sqlite3.connect(os.path.join(tmp, entry[:-4] + ".db"))
                with open(os.path.join(tmp, entry), encoding="utf-8") as f:
                    db.executescript(f.read())
                db.commit()
                db.close()
        before = {}
        for fname in (read(os.path.join(src, "expected.unchanged"), b"").decode().split()):
            before[fname] = read(os.path.join(tmp, fname))
        args = read(os.path.join(src, "args")).decode("utf-8").replace("@FIXTURES@", FIXTURES)
        argv = [exe] + shlex.split(args)
        env = dict(os.environ, LC_ALL="C.UTF-8", TZ="UTC",
                   SOURCE_DATE_EPOCH="1590662096")  # revision files' Create Date
        p = subprocess.run(argv, cwd=tmp, capture_output=True, env=env, timeout=120)
        ok = True
        exp_status = int((read(os.path.join(src, "expected.status"), b"0") or b"0").strip())
        exp_out = read(os.path.join(src, "expected.out"), b"")
        exp_err = read(os.path.join(src, "expected.err"))
        if update:
            with open(os.path.join(src, "expected.out"), "wb") as f:
                f.write(p.stdout)
            if p.stderr or exp_err is not None:
                with open(os.path.join(src, "expected.err"), "wb") as f:
                    f.write(p.stderr)
            if p.returncode != 0 or os.path.exists(os.path.join(src, "expected.status")):
                with open(os.path.join(src, "expected.status"), "w") as f:
                    f.write("%d\n" % p.returncode)
            if not p.stdout:
                os.unlink(os.path.join(src, "expected.out"))
        else:
            if p.returncode != exp_status:
                print("%s: exit status %d, expected %d" % (name, p.returncode, exp_status))
                ok = False
            if p.stdout != exp_out:
                print("%s: stdout differs" % name)
                show_diff("stdout", exp_out, p.stdout)
                ok = False
            if exp_err is not None and p.stderr != exp_err:
                print("%s: stderr differs" % name)
                show_diff("stderr", exp_err, p.stderr)
                ok = False
            if exp_err is None and p.stderr:
                print("%s: unexpected stderr:\n%s" % (name, p.stderr.decode("utf-8", "replace")))
                ok = False
        files = read(os.path.join(src, "expected.files"))
        for fname in (files.decode().split() if files else []):
            actual = read(os.path.join(tmp, fname))
            gold = os.path.join(src, "expected." + fname)
            if actual is None:
                print("%s: file %s was not written" % (name, fname))
                ok = False
            elif update:
                os.makedirs(os.path.dirname(gold), exist_ok=True)
                with open(gold, "wb") as f:
                    f.write(actual)
            elif actual != read(gold, b""):
                print("%s: file %s differs" % (name, fname))
                show_diff(fname, read(gold, b""), actual)
                ok = False
        for fname in (read(os.path.join(src, "expected.absent"), b"").decode().split()):
            if os.path.exists(os.path.join(tmp, fname)):
                print("%s: file %s exists but must not" % (name, fname))
                ok = False
        for fname, content in before.items():
            if read(os.path.join(tmp, fname)) != content:
                print("%s: input file %s was modified" % (name, fname))
                ok = False
        return ok


def main():
    if sys.argv[1:2] == ["--list"]:
        print("\n".join(case_names()))
        return 0
    exe = os.environ.get("SCHEMADIFF")
    if not exe:
        print("run_cases.py: set SCHEMADIFF to the schemadiff binary", file=sys.stderr)
        return 2
    names = sys.argv[1:] or case_names()
    failed = [n for n in names if not run_case(n, exe)]
    print("%d passed, %d failed" % (len(names) - len(failed), len(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
