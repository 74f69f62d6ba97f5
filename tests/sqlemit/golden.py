#!/usr/bin/python3
"""golden.py - the SQL emitter against golden files, one per comparator case.

For every tests/compare/cases/<case>/{from,to}.json, the SQL revision file written by
sqlemit_tool (fixed revision metadata) must equal tests/sqlemit/golden/<case>.sql; a mismatch
prints a unified diff.  The output must also be byte-identical on a second run.  One extra
golden (unverified.sql) shows the header of a revision written with --no-verify.
SD_UPDATE_GOLDEN=1 rewrites the golden files instead.  Exit 0 / 1.
"""
import difflib
import glob
import os
import subprocess
import sys

ROOT = os.environ["SD_SOURCE_ROOT"]
TOOL = os.environ["SQLEMIT_TOOL"]
GOLDEN = os.path.join(ROOT, "tests", "sqlemit", "golden")
UPDATE = os.environ.get("SD_UPDATE_GOLDEN") == "1"


def render(args):
    p = subprocess.run([TOOL] + args, capture_output=True)
    if p.returncode:
        raise RuntimeError("sqlemit_tool %s: %s" % (" ".join(args), p.stderr.decode()))
    return p.stdout.decode("utf-8")


def main():
    cases = []
    for d in sorted(glob.glob(os.path.join(ROOT, "tests", "compare", "cases", "*"))):
        f, t = os.path.join(d, "from.json"), os.path.join(d, "to.json")
        if os.path.exists(f) and os.path.exists(t):
            cases.append((os.path.basename(d), [f, t]))
    mixed = os.path.join(ROOT, "tests", "compare", "cases", "mixed_table_changes")
    cases.append(("unverified", [os.path.join(mixed, "from.json"), os.path.join(mixed, "to.json"),
                                 "--unverified"]))
    passed = failed = 0
    os.makedirs(GOLDEN, exist_ok=True)
    for name, args in cases:
        path = os.path.join(GOLDEN, name + ".sql")
        try:
            got = render(args)
            again = render(args)
        except RuntimeError as e:
            print("FAIL %s: %s" % (name, e))
            failed += 1
            continue
        if got != again:
            print("FAIL %s: output differs between two runs" % name)
            failed += 1
            continue
        if UPDATE:
            with open(path, "w") as f:
                f.write(got)
        want = open(path).read() if os.path.exists(path) else ""
        if got != want:
            print("FAIL %s" % name)
            sys.stdout.writelines(difflib.unified_diff(
                want.splitlines(True), got.splitlines(True), path, "actual"))
            failed += 1
        else:
            passed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
