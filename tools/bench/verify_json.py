#!/usr/bin/python3
"""verify_json.py - check, without schemadiff, that a schema file describes a SQLite db.

Usage: verify_json.py DB SCHEMA.json [--skip TABLE ...]

An independent reference for the fixtures and the benchmark generator: reads
the database with the pragma table-valued functions (columns, types, NOT NULL,
defaults, primary key, foreign keys, indexes, UNIQUE autoindexes) and pulls
constraint names and CHECK text out of sqlite_master.sql with a small
tokenizer, then compares with the file.  CHECK expressions are compared with
whitespace removed.  Prints one line per difference; exit 1 if any.
Standard library only.  alembic_version is always skipped.
"""
import json
import re
import sqlite3
import sys

TOKEN = re.compile(r"""\s+|--[^\n]*|/\*.*?\*/|'(?:[^']|'')*'|"(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]"""
                   r"""|[A-Za-z_\u0080-\uffff][A-Za-z_0-9$\u0080-\uffff]*|\d+(?:\.\d*)?|\S""", re.S)


def tokens(sql):
    out = []
    for m in TOKEN.finditer(sql):
        t = m.group(0)
        if t.isspace() or t.startswith("--") or t.startswith("/*"):
            continue
        out.append((t, m.start(), m.end()))
    return out


def unquote(t):
    if t[0] in "\"`" or t[0] == "[":
        return t[1:-1].replace('""', '"') if t[0] == '"' else t[1:-1]
    return t


def ddl_constraints(sql):
    """Named constraints and CHECK texts from a CREATE TABLE: ([(name|None, expr)], {kind: [names]})."""
    toks = tokens(sql)
    # find the opening parenthesis of the column list
    i = next(k for k, t in enumerate(toks) if t[0] == "(")
    checks, names = [], {"UNIQUE": [], "FOREIGN": [], "PRIMARY": [], "CHECK": []}
    depth = 0
    pending = None
    k = i + 1
    while k < len(toks):
        t = toks[k][0]
        up = t.upper()
        if t == "(":
            depth += 1
        elif t == ")":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and up == "CONSTRAINT":
            pending = unquote(toks[k + 1][0])
            k += 2
            continue
        elif depth == 0 and up in ("UNIQUE", "FOREIGN", "PRIMARY", "REFERENCES"):
            kind = "FOREIGN" if up == "REFERENCES" else up
            if pending is not None:
                names[kind].append(pending)
            pending = None
        elif depth == 0 and up == "CHECK":
            # expression text between the matching parentheses, verbatim
            start = toks[k + 1][2]
            d, j = 0, k + 1
            while True:
                if toks[j][0] == "(":
                    d += 1
                elif toks[j][0] == ")":
                    d -= 1
                    if d == 0:
                        break
                j += 1
            checks.append((pending, sql[start:toks[j][1]].strip()))
            pending = None
            k = j + 1
            continue
        elif depth == 0 and t == ",":
            pending = None
        k += 1
    return checks, names


def ws(s):
    return re.sub(r"\s+", "", s or "")


def read_db(path, skip):
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    tables = {}
    for name, sql in con.execute("SELECT name, sql FROM sqlite_master WHERE type='table' "
                                 "AND name NOT LIKE 'sqlite_%' ORDER BY name"):
        if name in skip:
            continue
        t = {"columns": [], "pk": [], "fks": {}, "indexes": {}, "uniques": [], "checks": None}
        pk = []
        for cid, cname, ctype, notnull, dflt, pkpos in con.execute(
                "SELECT cid, name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid",
                (name,)):
            t["columns"].append({"name": cname, "type": ctype or None, "nullable": not notnull,
                                 "default": dflt})
            if pkpos:
                pk.append((pkpos, cname))
        t["pk"] = [c for _, c in sorted(pk)]
        fks = {}
        for fid, seq, reft, frm, to, onupd, ondel, match in con.execute(
                "SELECT id, seq, \"table\", \"from\", \"to\", on_update, on_delete, match "
                "FROM pragma_foreign_key_list(?) ORDER BY id, seq", (name,)):
            f = fks.setdefault(fid, {"columns": [], "referred_table": reft, "referred_columns": [],
                                     "on_delete": ondel, "on_update": onupd})
            f["columns"].append(frm)
            f["referred_columns"].append(to)
        t["fks"] = list(fks.values())
        for iname, uniq, origin, partial in con.execute(
                "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?)", (name,)):
            cols = []
            for seqno, cid, cname, desc in con.execute(
                    "SELECT seqno, cid, name, desc FROM pragma_index_xinfo(?) WHERE key ORDER BY seqno",
                    (iname,)):
                cols.append({"column": cname, "desc": bool(desc)} if cid >= 0 else {"expression": True,
                                                                                      "desc": bool(desc)})
            if origin == "u":
                t["uniques"].append([c["column"] for c in cols])
            elif origin == "c":
                isql = con.execute("SELECT sql FROM sqlite_master WHERE type='index' AND name=?",
                                   (iname,)).fetchone()[0]
                t["indexes"][iname] = {"unique": bool(uniq), "columns": cols, "partial": bool(partial),
                                       "sql": isql}
        t["checks"], t["names"] = ddl_constraints(sql)
        tables[name] = t
    views = {n: s for n, s in con.execute("SELECT name, sql FROM sqlite_master WHERE type='view'")}
    con.close()
    return tables, views


def norm_action(a):
    a = (a or "NO ACTION").upper()
    return a


def compare(db, doc, out):
    dbt, dbv = db
    ft = {t["name"]: t for t in doc.get("tables", [])}
    for n in sorted(set(dbt) - set(ft)):
        out.append("table %s: in db, not in file" % n)
    for n in sorted(set(ft) - set(dbt)):
        out.append("table %s: in file, not in db" % n)
    for n in sorted(set(dbt) & set(ft)):
        d, f = dbt[n], ft[n]
        fc = [(c["name"], c.get("type"), c.get("nullable", True), c.get("default")) for c in f["columns"]]
        dc = [(c["name"], c["type"], c["nullable"], c["default"]) for c in d["columns"]]
        if fc != dc:
            for a, b in zip(dc, fc):
                if a != b:
                    out.append("table %s: column db %r file %r" % (n, a, b))
            if len(fc) != len(dc):
                out.append("table %s: %d columns in db, %d in file" % (n, len(dc), len(fc)))
        fpk = f.get("primary_key", {}).get("columns", []) if f.get("primary_key") else []
        if fpk != d["pk"]:
            out.append("table %s: primary key db %r file %r" % (n, d["pk"], fpk))
        # uniques (columns) and names
        fu = sorted(u["columns"] for u in f.get("unique_constraints", []))
        if fu != sorted(d["uniques"]):
            out.append("table %s: uniques db %r file %r" % (n, sorted(d["uniques"]), fu))
        fun = sorted(u["name"] for u in f.get("unique_constraints", []) if u.get("name"))
        if fun != sorted(d["names"]["UNIQUE"]):
            out.append("table %s: unique names db %r file %r" % (n, sorted(d["names"]["UNIQUE"]), fun))
        # foreign keys
        ffk = sorted((x["columns"], x["referred_table"], x["referred_columns"],
                      norm_action(x.get("on_delete")), norm_action(x.get("on_update")))
                     for x in f.get("foreign_keys", []))
        dfk = sorted((x["columns"], x["referred_table"], x["referred_columns"],
                      norm_action(x["on_delete"]), norm_action(x["on_update"])) for x in d["fks"])
        if ffk != dfk:
            out.append("table %s: foreign keys db %r file %r" % (n, dfk, ffk))
        ffn = sorted(x["name"] for x in f.get("foreign_keys", []) if x.get("name"))
        if ffn != sorted(d["names"]["FOREIGN"]):
            out.append("table %s: fk names db %r file %r" % (n, sorted(d["names"]["FOREIGN"]), ffn))
        # checks
        fch = sorted((x.get("name") or "", ws(x["expression"])) for x in f.get("check_constraints", []))
        dch = sorted((nm or "", ws(e)) for nm, e in d["checks"])
        if fch != dch:
            out.append("table %s: checks db %r file %r" % (n, dch, fch))
        # indexes
        fi = {x["name"]: x for x in f.get("indexes", [])}
        for iname in sorted(set(d["indexes"]) ^ set(fi)):
            out.append("table %s: index %s only in %s" % (n, iname, "db" if iname in d["indexes"] else "file"))
        for iname in sorted(set(d["indexes"]) & set(fi)):
            di, xi = d["indexes"][iname], fi[iname]
            if di["unique"] != xi.get("unique", False):
                out.append("table %s: index %s unique differs" % (n, iname))
            if di["partial"] != bool(xi.get("where")):
                out.append("table %s: index %s partial differs" % (n, iname))
            xcols = []
            for e in xi["columns"]:
                if isinstance(e, str):
                    xcols.append({"column": e, "desc": False})
                elif "expression" in e:
                    xcols.append({"expression": True, "desc": bool(e.get("desc"))})
                else:
                    xcols.append({"column": e["column"], "desc": bool(e.get("desc"))})
            if xcols != di["columns"]:
                out.append("table %s: index %s columns db %r file %r" % (n, iname, di["columns"], xcols))
    fv = {v["name"] for v in doc.get("views", [])}
    if fv != set(dbv):
        out.append("views db %r file %r" % (sorted(dbv), sorted(fv)))


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    skip = {"alembic_version"}
    if "--skip" in argv:
        skip.update(argv[argv.index("--skip") + 1:])
    with open(argv[2], encoding="utf-8") as fh:
        doc = json.load(fh)
    out = []
    compare(read_db(argv[1], skip), doc, out)
    for line in out:
        print(line)
    if not out:
        print("ok: %s matches %s (%d tables)" % (argv[2], argv[1], len(doc.get("tables", []))))
    return 1 if out else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
