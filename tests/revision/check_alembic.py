#!/usr/bin/python3
"""Compare src/revision with Debian's Alembic (run with /usr/bin/python3).

usage: check_alembic.py REVTOOL

- heads: for each fixture directory, `alembic heads` in a throwaway Alembic
  environment whose versions directory is a copy of the fixture must list the
  same heads as `revtool heads`; for the broken fixtures both must fail
  (where Alembic fails).
- slugs: Alembic's own ScriptDirectory._rev_path on fixed and generated
  messages (unicode, punctuation, long, empty) against `revtool slug`.
- revision ids: Revision.verify_rev_id against `revtool validate`; ids from
  `revtool id` (random, and deterministic under SD_REVISION_ID_SEED).
- alembic.ini: ScriptDirectory.from_config against `revtool ini`.
Exit 77 (skipped) when Alembic cannot be imported.
"""
import datetime
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import types

try:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from alembic.script.revision import Revision, RevisionError
except ImportError:
    print("alembic is not importable; skipping")
    sys.exit(77)

REVTOOL = os.path.abspath(sys.argv[1])
ROOT = os.environ.get("SD_SOURCE_ROOT") or os.path.join(os.path.dirname(__file__), "..", "..")
CASES = os.path.join(ROOT, "tests", "revision", "cases")

passed = 0
failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL: " + what)


def revtool(*args, stdin=None, env=None):
    return subprocess.run([REVTOOL, *args], input=stdin, capture_output=True, env=env)


ENV_PY = "from alembic import context\n"  # never run by `alembic heads`
MAKO = '"""${message}"""\nrevision = ${repr(up_revision)}\ndown_revision = ${repr(down_revision)}\n'


def alembic_env(tmp, fixture):
    """A throwaway Alembic environment whose versions dir copies fixture."""
    script = os.path.join(tmp, "env")
    os.makedirs(script)
    shutil.copytree(os.path.join(CASES, fixture), os.path.join(script, "versions"))
    with open(os.path.join(script, "env.py"), "w") as f:
        f.write(ENV_PY)
    with open(os.path.join(script, "script.py.mako"), "w") as f:
        f.write(MAKO)
    ini = os.path.join(tmp, "alembic.ini")
    with open(ini, "w") as f:
        f.write("[alembic]\nscript_location = %(here)s/env\n")
    return ini, os.path.join(script, "versions")


def check_heads():
    good = ["linear", "branches", "merge", "depends", "annotated", "empty"]
    # Alembic itself fails on these.  It runs Python, so `unparsable`
    # (down_revision = PREVIOUS) is fine for it; it only warns on duplicate
    # ids, and fails on a file without a revision through its legacy rule.
    alembic_fails = ["unknown_down", "cycle"]
    for fixture in good + alembic_fails + ["dup", "norevision"]:
        with tempfile.TemporaryDirectory(prefix="sd-revheads-") as tmp:
            ini, versions = alembic_env(tmp, fixture)
            al = subprocess.run([sys.executable, "-m", "alembic", "-c", ini, "heads"],
                                capture_output=True, text=True, cwd=tmp)
            ours = revtool("heads", versions)
            if fixture in good:
                theirs = sorted(line.split()[0] for line in al.stdout.splitlines() if line.strip())
                mine = ours.stdout.decode().split()
                check(al.returncode == 0, "%s: alembic heads failed: %s" % (fixture, al.stderr))
                check(ours.returncode == 0, "%s: revtool heads failed: %s" % (fixture, ours.stderr))
                check(mine == theirs, "%s: heads %r, alembic says %r" % (fixture, mine, theirs))
            else:
                check(ours.returncode == 2 and b"error: " in ours.stderr,
                      "%s: revtool heads should fail, got %r" % (fixture, ours))
                if fixture in alembic_fails:
                    check(al.returncode != 0, "%s: alembic heads unexpectedly succeeded" % fixture)


def alembic_slug(message, length):
    fake = types.SimpleNamespace(file_template="%(rev)s_%(slug)s",
                                 truncate_slug_length=length or 40)
    path = ScriptDirectory._rev_path(fake, "d", "r", message, datetime.datetime(2020, 1, 1))
    name = os.path.basename(path)
    assert name.startswith("r_") and name.endswith(".py")
    return name[2:-3]


def messages():
    fixed = [
        "", "create users table", "Add Email, and: a 'Column'!", "...!!!", "   ",
        "this is a very long message that goes past forty characters",
        "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
        "a" * 39 + " b", "a" * 40 + " b", "a" * 41 + " b", "x_" * 30,
        "Größe ändern", "ΟΔΟΣ ΣΑΣ ΟΔΟΣ", "İstanbul İZMİR", "日本語のメッセージ テーブル追加",
        "Добавить колонку email в таблицу пользователей и индекс",
        "café naïve résumé", "e\u0301t\u0301e\u0301", "x² + y³ = z½", "Ⅻ chapters",
        "tab\tseparated\nnew line", "emoji 🎉 party 🎉 time", "snake_case_already",
        "__dunder__ __names__", "ǅemal ǈubljana", "ﬁle ﬂow", "ΣΑΣ_ΣΑΣ Σ", "aΣ", "Σa",
    ]
    rng = random.Random(20240601)
    alphabet = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"
                " ,.;:!?'\"-()[]{}/\\@#$%^&*+=<>|~`\t"
                "äöüßÄÖÜéèêñçÅåØøÆæœŒİıΣσςΑΩαωЖжЯя日本語中文한국어١٢٣²³½Ⅻ\u0301\u0308ǅǈﬁ🎉")
    gen = []
    for _ in range(1500):
        n = rng.randint(0, 80)
        gen.append("".join(rng.choice(alphabet) for _ in range(n)))
    return fixed + gen


def check_slugs():
    msgs = messages()
    for length in (0, 40, 10, 1, 200):
        out = revtool("slug", str(length), stdin="\0".join(msgs).encode())
        check(out.returncode == 0, "revtool slug failed: %r" % out.stderr)
        got = out.stdout.decode().split("\n")[:-1]
        check(len(got) == len(msgs), "slug count %d != %d" % (len(got), len(msgs)))
        bad = 0
        for msg, mine in zip(msgs, got):
            theirs = alembic_slug(msg, length)
            if mine != theirs:
                bad += 1
                if bad <= 5:
                    print("  slug(%r, %d): ours %r, alembic %r" % (msg, length, mine, theirs))
        check(bad == 0, "%d slug mismatches at truncate length %d" % (bad, length))


def check_ids():
    candidates = ["abc", "w.2020.22", "a:b", "a@b", "a-b", "a+b", "x-@+", "A_B", "ab cd",
                  "é", "1" * 32, "a.b.c", "@", "-", "+", "head", "base"]
    out = revtool("validate", *candidates).stdout.decode().split()
    for rev, mine in zip(candidates, out):
        try:
            Revision.verify_rev_id(rev)
            theirs = "ok"
        except RevisionError:
            theirs = "refused"
        check(mine == theirs, "validate %r: ours %s, alembic %s" % (rev, mine, theirs))
    # beyond Alembic: VARCHAR(32), empty, '/' (file name)
    out = revtool("validate", "1" * 33, "", "a/b").stdout.decode().split()
    check(out == ["refused"] * 3, "extra id rules: %r" % out)

    env = dict(os.environ)
    env.pop("SD_REVISION_ID_SEED", None)
    ids = revtool("id", "200", env=env).stdout.decode().split()
    check(len(ids) == 200 and len(set(ids)) == 200, "random ids are not unique")
    check(all(re.fullmatch(r"[0-9a-f]{12}", i) for i in ids), "ids are not 12 hex digits")
    env["SD_REVISION_ID_SEED"] = "alpha"
    a1 = revtool("id", "5", env=env).stdout
    a2 = revtool("id", "5", env=env).stdout
    env["SD_REVISION_ID_SEED"] = "beta"
    b1 = revtool("id", "5", env=env).stdout
    check(a1 == a2 and len(set(a1.split())) == 5, "seeded ids are not deterministic")
    check(a1 != b1, "different seeds give the same ids")


def check_ini():
    with tempfile.TemporaryDirectory(prefix="sd-revini-") as tmp:
        os.makedirs(os.path.join(tmp, "proj", "mig", "versions"))
        os.makedirs(os.path.join(tmp, "proj", "db", "v1"))
        os.makedirs(os.path.join(tmp, "rel", "v3"))
        old_cwd = os.getcwd()
        os.chdir(tmp)  # relative locations are relative to the cwd, in both
        variants = {
            "default": "[alembic]\nscript_location = %(here)s/mig\n",
            "relative": "[alembic]\nscript_location = proj/mig\n",
            "os": "[DEFAULT]\nbase = %(here)s/db\n[alembic]\nscript_location = %(here)s/mig\n"
                  "version_locations = %(base)s/v1:%(here)s/mig/versions::rel/v3\n"
                  "version_path_separator = os\n",
            "space": "[alembic]\nscript_location = %(here)s/mig\n"
                     "version_locations = %(here)s/db/v1  rel/v3\nversion_path_separator = space\n",
            "legacy": "[alembic]\nscript_location = %(here)s/mig\n"
                      "version_locations = %(here)s/db/v1, rel/v3 %(here)s/mig/versions\n",
            "semicolon": "[alembic]\nscript_location = %(here)s/mig\n"
                         "version_locations = %(here)s/db/v1;rel/v3\nversion_path_separator = ;\n",
        }
        for name, text in variants.items():
            ini = os.path.join(tmp, "proj", name + ".ini")
            with open(ini, "w") as f:
                f.write(text)
            cfg = Config(ini)
            sd = ScriptDirectory.from_config(cfg)
            theirs = [os.path.abspath(sd.dir)] + [os.path.abspath(p) for p in sd._version_locations]
            out = subprocess.run([REVTOOL, "ini", ini], capture_output=True, cwd=tmp)
            check(out.returncode == 0, "ini %s: %r" % (name, out.stderr))
            mine = [os.path.abspath(os.path.join(tmp, p))
                    for p in out.stdout.decode().split("\n")[:-1]]
            check(mine == theirs, "ini %s: ours %r, alembic %r" % (name, mine, theirs))
        os.chdir(old_cwd)


os.chdir(tempfile.gettempdir())
check_heads()
check_slugs()
check_ids()
check_ini()
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
