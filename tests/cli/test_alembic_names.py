#!/usr/bin/python3
"""Revision file names: schemadiff against Debian's Alembic 1.8.

For each (file_template, truncate_slug_length, message), a throwaway
Alembic project is made with `alembic init`; `alembic revision -m MSG
--rev-id ID` writes a file, whose Create Date gives the second it used;
that file is removed and `schemadiff revision` runs in the same project
with SOURCE_DATE_EPOCH set to that second.  The two names must be equal.
Also checks that the seed workflow's FROM comes from sqlalchemy.url
(%(here)s interpolated) when one positional argument is given.
"""
import datetime
import os
import re
import shutil
import subprocess
import sys
import tempfile

ALEMBIC = "/usr/bin/alembic"
ROOT = os.environ["SD_SOURCE_ROOT"]
EXE = os.environ["SCHEMADIFF"]
TARGET = os.path.join(ROOT, "fixtures", "weekly", "w.2020.22.json")

CASES = [
    (None, None, "add the visit table"),
    ("%%(rev)s_%%(slug)s", "10", "add the visit table and more"),
    ("%%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d-%%(rev)s_%%(slug)s", None,
     "migration from w.2020.19 to w.2020.22"),
    ("%%(epoch)s_%%(rev)s", None, "epoch"),
    ("%%(second).2d_%%(slug).8s_%%(rev)s", "5", "Ajout de l'été — ünïcode Straße"),
    ("%%(rev)s", None, None),
    # precision and width count characters, not bytes (a byte cut would split "é")
    ("%%(slug).7s_%%(rev)s", "40", "été à Straße mélange"),
    ("%%(rev)s_%%(slug)-12s", "40", "ünï été"),
]


def run(argv, cwd, env=None):
    p = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        raise SystemExit("%s failed (%d):\n%s%s" % (argv, p.returncode, p.stdout, p.stderr))
    return p


def one(i, template, tsl, message):
    env = dict(os.environ, TZ="UTC", LC_ALL="C.UTF-8")
    with tempfile.TemporaryDirectory(prefix="sdnames-") as tmp:
        run([ALEMBIC, "init", "alembic"], tmp, env)
        ini = os.path.join(tmp, "alembic.ini")
        with open(ini, encoding="utf-8") as f:
            text = f.read()
        extra = ""
        if template:
            extra += "file_template = %s\n" % template
        if tsl:
            extra += "truncate_slug_length = %s\n" % tsl
        text = re.sub(r"(?m)^\[alembic\]\n", "[alembic]\n" + extra, text, count=1)
        text = re.sub(r"(?m)^sqlalchemy\.url = .*$", "sqlalchemy.url = sqlite:///%(here)s/app.db", text)
        with open(ini, "w", encoding="utf-8") as f:
            f.write(text)
        versions = os.path.join(tmp, "alembic", "versions")
        rev = "r%d" % i
        argv = [ALEMBIC, "revision", "--rev-id", rev]
        if message is not None:
            argv += ["-m", message]
        run(argv, tmp, env)
        made = os.listdir(versions)
        made = [m for m in made if m.endswith(".py")]
        assert len(made) == 1, made
        with open(os.path.join(versions, made[0]), encoding="utf-8") as f:
            date = re.search(r"Create Date: (\S+ \S+)", f.read()).group(1)
        when = datetime.datetime.fromisoformat(date).replace(tzinfo=datetime.timezone.utc)
        os.unlink(os.path.join(versions, made[0]))
        env["SOURCE_DATE_EPOCH"] = str(int(when.timestamp()))
        # The seed workflow: one positional (TO); FROM is sqlalchemy.url.
        subprocess.run(["sqlite3", os.path.join(tmp, "app.db"), "CREATE TABLE t (id INTEGER);"],
                       check=True)
        argv = [EXE, "revision", "--autogenerate", "--rev-id", rev, TARGET]
        if message is not None:
            argv += ["-m", message]
        p = run(argv, tmp, env)
        ours = [m for m in os.listdir(versions) if m.endswith(".py")]
        ok = ours == made
        print("%s %r tsl=%s %r: alembic %s, schemadiff %s" %
              ("ok  " if ok else "FAIL", template, tsl, message, made[0], ours))
        if ok:
            body = open(os.path.join(versions, ours[0]), encoding="utf-8").read()
            # FROM was the database of sqlalchemy.url: its table t is dropped.
            if "drop_table('t')" not in body and 'drop_table("t")' not in body:
                print("FAIL: FROM was not sqlalchemy.url's database:\n" + body)
                ok = False
        return ok


def main():
    if not os.path.exists(ALEMBIC) or not shutil.which("sqlite3"):
        print("skipping: %s or sqlite3 missing" % ALEMBIC)
        return 77
    failed = sum(not one(i, *c) for i, c in enumerate(CASES))
    print("%d passed, %d failed" % (len(CASES) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
