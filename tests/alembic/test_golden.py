#!/usr/bin/python3
"""test_golden.py - the Alembic emitter against golden revision files.

For every comparator case tests/compare/cases/<name>/{from,to}.json (every
op kind: tables, columns, types, defaults, nullability, comments, keys,
unique/FK/CHECK constraints named and unnamed, indexes with DESC,
expressions and predicates, views, FK cycles), the C driver (ALEMBIC_REV)
writes the revision with fixed metadata; the file must compile as Python
and equal tests/alembic/golden/<name>.py (diff -u on mismatch).  With
SD_UPDATE_GOLDEN=1 the golden files are rewritten instead.
"""
import os
import subprocess
import sys
import tempfile

ROOT = os.environ.get("SD_SOURCE_ROOT", os.path.join(os.path.dirname(__file__), "..", ".."))
ALEMBIC_REV = os.environ.get("ALEMBIC_REV", "alembic_rev")
CASES = os.path.join(ROOT, "tests", "compare", "cases")
GOLDEN = os.path.join(ROOT, "tests", "alembic", "golden")


def main():
    update = bool(os.environ.get("SD_UPDATE_GOLDEN"))
    ok = failed = 0
    for name in sorted(os.listdir(CASES)):
        d = os.path.join(CASES, name)
        if not os.path.exists(os.path.join(d, "from.json")):
            continue
        r = subprocess.run([ALEMBIC_REV, "from.json", "to.json", "rev_" + name[:20]], cwd=d,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        problem = None
        if r.returncode != 0:
            problem = "driver exited %d: %s" % (r.returncode, r.stderr.decode(errors="replace"))
        else:
            text = r.stdout.decode("utf-8")
            try:
                compile(text, name + ".py", "exec")
            except SyntaxError as e:
                problem = "not valid Python: %s" % e
            gold = os.path.join(GOLDEN, name + ".py")
            if not problem and update:
                with open(gold, "w", encoding="utf-8") as f:
                    f.write(text)
            elif not problem:
                try:
                    with open(gold, encoding="utf-8") as f:
                        want = f.read()
                except OSError:
                    want = None
                if want != text:
                    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False,
                                                     encoding="utf-8") as f:
                        f.write(text)
                    subprocess.run(["diff", "-u", gold, f.name], stdout=sys.stderr)
                    os.unlink(f.name)
                    problem = "differs from %s" % gold
        if problem:
            failed += 1
            print("FAIL %s: %s" % (name, problem))
        else:
            ok += 1
    print("%d golden cases passed, %d failed" % (ok, failed))
    return 1 if failed or ok == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
