#!/usr/bin/python3
"""verify / stamp / identify / current / heads / history / branches / fingerprint.

1. Fingerprints: every fixture database (fixtures/changes/*/*.sql, weekly)
   and the schema file introspected from it give the same fingerprint; a
   file with its tables in reverse order too; a changed schema does not.
2. A branched and merged versions directory: `schemadiff heads`, `history`,
   `history -r`, `branches` print what Debian's Alembic prints.
3. The weekly workflow: `schemadiff revision` writes w.2020.22 and its
   snapshot; Alembic upgrades; verify matches; a wrongly stamped, an
   unstamped and a drifted database are reported (exit 1); stamp refuses a
   mismatch, --force overrides, --sql prints; `alembic current` reads what
   `schemadiff stamp` wrote and `schemadiff current` what `alembic stamp`
   wrote.
Prints 'N passed, N failed'.  Skips the Alembic parts (not the rest) when
Alembic is not installed.
"""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

ROOT = os.environ.get("SD_SOURCE_ROOT") or os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
SD = os.environ.get("SCHEMADIFF")
ALEMBIC = shutil.which("alembic", path="/usr/bin")
FIX = os.path.join(ROOT, "fixtures")

ENV_PY = '''from alembic import context
from sqlalchemy import engine_from_config, pool
config = context.config
connectable = engine_from_config(config.get_section(config.config_ini_section),
                                 prefix="sqlalchemy.", poolclass=pool.NullPool)
with connectable.connect() as connection:
    context.configure(connection=connection, target_metadata=None, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
'''

passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok   %s" % name)
    else:
        failed += 1
        print("FAIL %s\n%s" % (name, detail))


def run(argv, cwd):
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True,
                          env=dict(os.environ, LC_ALL="C.UTF-8", TZ="UTC"))


def sd(cwd, *args):
    return run([SD] + list(args), cwd)


def build(path, sql_file):
    db = sqlite3.connect(path)
    with open(sql_file, encoding="utf-8") as f:
        db.executescript(f.read())
    db.commit()
    db.close()


def fingerprints(tmp):
    sqls = []
    for d in sorted(os.listdir(os.path.join(FIX, "changes"))):
        for side in ("old.sql", "new.sql"):
            p = os.path.join(FIX, "changes", d, side)
            if os.path.exists(p):
                sqls.append((d + "-" + side[:-4], p))
    sqls.append(("weekly-19", os.path.join(FIX, "weekly", "w.2020.19.sql")))
    prints = {}
    for name, sql in sqls:
        db = os.path.join(tmp, name + ".db")
        build(db, sql)
        js = os.path.join(tmp, name + ".json")
        p = sd(tmp, "introspect", "sqlite:///" + name + ".db", "-o", js)
        a = sd(tmp, "fingerprint", "sqlite:///" + name + ".db")
        b = sd(tmp, "fingerprint", js)
        with open(js) as f:
            doc = json.load(f)
        doc["tables"] = list(reversed(doc.get("tables", [])))
        rev = os.path.join(tmp, name + ".rev.json")
        with open(rev, "w") as f:
            json.dump(doc, f, indent=7)
        c = sd(tmp, "fingerprint", rev)
        ok = (p.returncode == a.returncode == b.returncode == c.returncode == 0 and
              a.stdout == b.stdout == c.stdout and a.stdout.startswith("sha256:"))
        check("fingerprint db == file == reordered file: " + name, ok,
              p.stderr + a.stdout + a.stderr + b.stdout + b.stderr + c.stdout + c.stderr)
        prints[name] = a.stdout
    for d in sorted(os.listdir(os.path.join(FIX, "changes"))):
        o, n = prints.get(d + "-old"), prints.get(d + "-new")
        if o and n and d not in ("ddl_comments", "check_whitespace_no_change"):
            check("fingerprint old != new: " + d, o != n, o + n)


REVS = [  # id, down_revision, branch_labels, depends_on, message
    ("r1", "None", "None", "None", "create users"),
    ("r2", "'r1'", "None", "None", "add email"),
    ("r3a", "'r2'", "('feature',)", "None", "feature branch"),
    ("r3b", "'r2'", "None", "None", "main line"),
    ("r4", "('r3a', 'r3b')", "None", "'r1'", "merge"),
    ("r5", "'r4'", "None", "None", "after merge"),
]


def alembic_env(tmp, versions, url):
    os.makedirs(os.path.join(tmp, "alembic"), exist_ok=True)
    with open(os.path.join(tmp, "alembic", "env.py"), "w") as f:
        f.write(ENV_PY)
    with open(os.path.join(tmp, "alembic.ini"), "w") as f:
        f.write("[alembic]\nscript_location = alembic\nversion_locations = %s\n"
                "sqlalchemy.url = %s\n" % (versions, url))


def branch_blocks(text):
    """`branches` output with the children of each branch point sorted:
    Alembic lists them in set-iteration order, which changes with Python's
    string hash seed, so only the set is comparable."""
    out, kids = [], []
    for line in text.splitlines():
        if line.lstrip().startswith("->"):
            kids.append(line)
            continue
        out.extend(sorted(kids))
        kids = []
        out.append(line)
    out.extend(sorted(kids))
    return "\n".join(out)


def graph_views(tmp):
    versions = os.path.join(tmp, "graph", "alembic", "versions")
    os.makedirs(versions)
    for rid, down, labels, deps, msg in REVS:
        with open(os.path.join(versions, rid + "_x.py"), "w") as f:
            f.write('"""%s\n\nRevision ID: %s\n"""\nrevision = %r\ndown_revision = %s\n'
                    'branch_labels = %s\ndepends_on = %s\n\n\ndef upgrade():\n    pass\n\n\n'
                    'def downgrade():\n    pass\n' % (msg, rid, rid, down, labels, deps))
    cwd = os.path.join(tmp, "graph")
    alembic_env(cwd, versions, "sqlite:///g.db")
    for args in (["heads"], ["history"], ["history", "-r", "r2:r4"], ["history", "-r", "r3a:"],
                 ["branches"]):
        ours = sd(cwd, *(args + ["--versions", versions]))
        theirs = run([ALEMBIC] + args, cwd)
        same = (branch_blocks(ours.stdout) == branch_blocks(theirs.stdout) if args == ["branches"]
                else ours.stdout == theirs.stdout)
        check("%s matches alembic %s" % (" ".join(args), " ".join(args)),
              ours.returncode == 0 and same,
              "ours:\n%s%s\nalembic:\n%s%s" % (ours.stdout, ours.stderr, theirs.stdout, theirs.stderr))

    # several revisions at once: one row each, as Alembic records a database on two branches
    sqlite3.connect(os.path.join(cwd, "g.db")).close()
    p = sd(cwd, "stamp", "sqlite:///g.db", "r3a", "r3b", "--versions", versions)
    check("stamp of two revisions needs --force", p.returncode == 2 and "--force" in p.stderr and
          sd(cwd, "current", "sqlite:///g.db", "--versions", versions).stdout == "", p.stdout + p.stderr)
    p = sd(cwd, "stamp", "sqlite:///g.db", "r3a", "r3b", "r3a", "--force", "--versions", versions)
    a = run([ALEMBIC, "current"], cwd)
    check("stamp r3a r3b --force; alembic current reads both", p.returncode == 0 and
          sorted(l.split()[0] for l in a.stdout.splitlines()) == ["r3a", "r3b"],
          p.stdout + p.stderr + a.stdout + a.stderr)
    p = sd(cwd, "stamp", "sqlite:///g.db", "heads", "--force", "--versions", versions)
    a = run([ALEMBIC, "current"], cwd)
    check("stamp heads --force", p.returncode == 0 and a.stdout.split()[:1] == ["r5"] and
          len(a.stdout.splitlines()) == 1, p.stdout + p.stderr + a.stdout + a.stderr)


def weekly(tmp):
    cwd = os.path.join(tmp, "weekly")
    versions = os.path.join(cwd, "versions")
    shutil.copytree(os.path.join(FIX, "weekly", "versions"), versions)
    build(os.path.join(cwd, "reg.db"), os.path.join(FIX, "weekly", "w.2020.19.sql"))
    alembic_env(cwd, versions, "sqlite:///reg.db")
    target = os.path.join(FIX, "weekly", "w.2020.22.json")
    p = sd(cwd, "revision", "sqlite:///reg.db", target, "--rev-id", "w.2020.22", "-m", "to 22")
    snap = os.path.join(versions, "w.2020.22.schema.json")
    check("revision writes the snapshot", p.returncode == 0 and os.path.exists(snap), p.stderr)
    fp = sd(cwd, "fingerprint", target).stdout.strip()
    rev_text = open([os.path.join(versions, f) for f in os.listdir(versions)
                     if f.startswith("w.2020.22_")][0]).read()
    check("revision header records the fingerprint", "Schema fingerprint: " + fp in rev_text, fp)

    p = sd(cwd, "verify", "sqlite:///reg.db")
    check("verify: stamped w.2020.19, no snapshot: identifies nothing exact", p.returncode == 1 and
          "w.2020.19 has no snapshot" in p.stdout and "closest is w.2020.22" in p.stdout, p.stdout + p.stderr)
    p = sd(cwd, "stamp", "sqlite:///reg.db", "w.2020.22")
    check("stamp refuses a mismatch", p.returncode == 1 and "refusing" in p.stderr and
          "dataset_composition" in p.stdout, p.stdout + p.stderr)
    check("refused stamp wrote nothing", sd(cwd, "current", "sqlite:///reg.db").stdout == "w.2020.19\n")

    p = run([ALEMBIC, "upgrade", "head"], cwd)
    check("alembic upgrade head", p.returncode == 0, p.stderr)
    p = sd(cwd, "verify", "sqlite:///reg.db")
    check("verify after upgrade: matches", p.returncode == 0 and
          p.stdout == "database is at w.2020.22 and its schema matches\n", p.stdout + p.stderr)
    p = sd(cwd, "current", "sqlite:///reg.db", "--verify")
    check("current --verify", p.returncode == 0 and p.stdout.startswith("w.2020.22 (head)\n"),
          p.stdout + p.stderr)
    p = sd(cwd, "verify", "sqlite:///reg.db", "--json")
    doc = json.loads(p.stdout) if p.returncode == 0 else {}
    check("verify --json", doc.get("status") == "match" and doc.get("revisions") == ["w.2020.22"],
          p.stdout + p.stderr)

    # wrongly stamped: alembic stamps w.2020.19, schemadiff current reads it
    p = run([ALEMBIC, "stamp", "w.2020.19"], cwd)
    c = sd(cwd, "current", "sqlite:///reg.db")
    check("schemadiff current reads what alembic stamp wrote", p.returncode == 0 and
          c.stdout == "w.2020.19\n", p.stderr + c.stdout + c.stderr)
    v = sd(cwd, "verify", "sqlite:///reg.db")
    check("verify: wrongly stamped is identified", v.returncode == 1 and
          "its schema matches the snapshot of w.2020.22" in v.stdout, v.stdout + v.stderr)
    # schemadiff stamps, alembic current reads it
    s = sd(cwd, "stamp", "sqlite:///reg.db", "w.2020.22")
    a = run([ALEMBIC, "current"], cwd)
    check("alembic current reads what schemadiff stamp wrote", s.returncode == 0 and
          a.stdout == "w.2020.22 (head)\n", s.stdout + s.stderr + a.stdout + a.stderr)

    # unstamped: drop the table; identify; stamp creates it as Alembic does
    db = sqlite3.connect(os.path.join(cwd, "reg.db"))
    db.execute("DROP TABLE alembic_version")
    db.commit()
    db.close()
    v = sd(cwd, "verify", "sqlite:///reg.db")
    check("verify: unstamped", v.returncode == 1 and "no alembic_version table" in v.stdout and
          "matches the snapshot of w.2020.22" in v.stdout, v.stdout + v.stderr)
    i = sd(cwd, "identify", "sqlite:///reg.db")
    check("identify", i.returncode == 0 and i.stdout == "database matches the snapshot of w.2020.22\n",
          i.stdout + i.stderr)
    q = sd(cwd, "stamp", "sqlite:///reg.db", "w.2020.22", "--sql")
    check("stamp --sql prints and does not write", q.returncode == 0 and
          "CREATE TABLE alembic_version" in q.stdout and
          "INSERT INTO alembic_version (version_num) VALUES ('w.2020.22');" in q.stdout and
          sd(cwd, "current", "sqlite:///reg.db").stdout == "", q.stdout + q.stderr)
    s = sd(cwd, "stamp", "sqlite:///reg.db", "w.2020.22")
    a = run([ALEMBIC, "current"], cwd)
    ddl = sqlite3.connect(os.path.join(cwd, "reg.db")).execute(
        "SELECT sql FROM sqlite_master WHERE name = 'alembic_version'").fetchone()[0]
    check("stamp on an unstamped database; alembic current agrees", s.returncode == 0 and
          a.stdout == "w.2020.22 (head)\n" and "alembic_version_pkc" in ddl and "VARCHAR(32)" in ddl,
          s.stdout + s.stderr + a.stdout + a.stderr + ddl)

    # drift
    db = sqlite3.connect(os.path.join(cwd, "reg.db"))
    db.execute("ALTER TABLE instrument ADD COLUMN drifted INTEGER")
    db.commit()
    db.close()
    v = sd(cwd, "verify", "sqlite:///reg.db")
    check("verify: drifted", v.returncode == 1 and "differs from the snapshot" in v.stdout and
          "drifted" in v.stdout, v.stdout + v.stderr)
    f = sd(cwd, "stamp", "sqlite:///reg.db", "w.2020.22", "--force")
    check("stamp --force says so", f.returncode == 0 and "--force" in f.stderr, f.stdout + f.stderr)

    # a snapshot edited after `revision` wrote it no longer has the header's fingerprint
    orig = open(snap).read()
    doc = json.loads(orig)
    doc["tables"] = [t for t in doc["tables"] if t["name"] != "instrument"]
    open(snap, "w").write(json.dumps(doc, indent=2))
    for cmd in (["verify", "sqlite:///reg.db"], ["stamp", "sqlite:///reg.db", "w.2020.22"]):
        v = sd(cwd, *cmd)
        check(cmd[0] + ": an edited snapshot is an error", v.returncode == 2 and
              "is not the schema revision w.2020.22 was written for" in v.stderr and
              "Schema fingerprint" not in v.stdout, v.stdout + v.stderr)
    open(snap, "w").write(json.dumps(json.loads(orig), indent=4, sort_keys=True))
    v = sd(cwd, "verify", "sqlite:///reg.db")
    check("verify: a reformatted snapshot is the same schema", v.returncode == 1 and
          "drifted" in v.stdout, v.stdout + v.stderr)


def main():
    if not SD:
        print("set SCHEMADIFF", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="sdverify-") as tmp:
        fingerprints(tmp)
        if ALEMBIC:
            graph_views(tmp)
            weekly(tmp)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
