#!/usr/bin/python3
"""Check schemas/schema.schema.json against real schema files.

Usage: validate_schemas.py DUMP_SAMPLE

- the JSON Schema itself is valid draft 2020-12;
- every .json file under fixtures/ validates, and so does what the writer
  makes of it (DUMP_SAMPLE FILE loads and rewrites it), twice identically;
- the PostgreSQL introspection goldens (tests/pg/cases/*/expected.json)
  validate;
- the writer's output for the every-feature sample model validates;
- the golden error cases under tests/load/cases/ agree with the loader:
  an input that is well-formed JSON must be rejected by the JSON Schema too,
  unless the case directory holds a file named "schema-valid" (errors the
  JSON Schema cannot see: duplicate names, columns that do not exist).

Needs Debian's python3-jsonschema.  Exits 1 on any failure.
"""
import copy
import glob
import json
import os
import subprocess
import sys

try:
    import jsonschema
except ImportError:
    sys.exit("validate_schemas.py: python3-jsonschema is not installed (apt-get install python3-jsonschema)")

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate key")
    return dict(pairs)


def errors_of(validator, doc):
    return sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    dump = sys.argv[1]
    root = os.environ.get("SD_SOURCE_ROOT")
    if not root:
        sys.exit("SD_SOURCE_ROOT is not set")
    with open(os.path.join(root, "schemas", "schema.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    checked = 0

    def check(label, doc):
        nonlocal checked
        checked += 1
        for e in errors_of(validator, doc)[:5]:
            fail("%s: %s: %s" % (label, "/".join(map(str, e.absolute_path)), e.message))

    # The every-feature sample, as the writer writes it.
    out = subprocess.run([dump], check=True, capture_output=True).stdout
    sample = json.loads(out.decode("utf-8"))
    check("sample", sample)

    # The validator must be able to say no: a typo'd key and a bad action.
    bad = copy.deepcopy(sample)
    bad["tables"][0]["columns"][0]["nulable"] = True
    if validator.is_valid(bad):
        fail("sample with a 'nulable' key validates")
    bad = copy.deepcopy(sample)
    fks = [t for t in bad["tables"] if t.get("foreign_keys")][0]["foreign_keys"]
    fks[0]["on_delete"] = "CASCAD"
    if validator.is_valid(bad):
        fail("sample with on_delete 'CASCAD' validates")

    # Fixtures and their round trip through the loader and writer.
    fixtures = os.path.join(root, "fixtures")
    for dirpath, dirnames, filenames in os.walk(fixtures):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith(".json"):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            with open(path, "rb") as f:
                check(rel, json.loads(f.read().decode("utf-8-sig")))
            r = subprocess.run([dump, path], capture_output=True)
            if r.returncode != 0:
                fail("%s: the loader rejects it: %s" % (rel, r.stderr.decode("utf-8", "replace")))
                continue
            check(rel + " (rewritten)", json.loads(r.stdout.decode("utf-8")))
            tmp = os.path.join(os.getcwd(), "validate_schemas.tmp.json")
            with open(tmp, "wb") as f:
                f.write(r.stdout)
            r2 = subprocess.run([dump, tmp], capture_output=True)
            os.unlink(tmp)
            if r2.returncode != 0 or r2.stdout != r.stdout:
                fail("%s: writing it twice is not identical" % rel)

    # PostgreSQL introspection goldens: real outputs with the PostgreSQL keys
    # (index methods, INCLUDE, operator classes, NULLS NOT DISTINCT, ...).
    for path in sorted(glob.glob(os.path.join(root, "tests", "pg", "cases", "*", "expected.json"))):
        with open(path, "rb") as f:
            check(os.path.relpath(path, root), json.loads(f.read().decode("utf-8")))

    # Golden error cases: the JSON Schema must reject what the loader rejects.
    cases = os.path.join(root, "tests", "load", "cases")
    for name in sorted(os.listdir(cases)):
        d = os.path.join(cases, name)
        with open(os.path.join(d, "input.json"), "rb") as f:
            raw = f.read()
        try:
            doc = json.loads(raw.decode("utf-8-sig"), object_pairs_hook=no_duplicates,
                             parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
        except ValueError:
            continue  # not JSON at all: a syntax case
        checked += 1
        valid = validator.is_valid(doc)
        if os.path.exists(os.path.join(d, "schema-valid")):
            if not valid:
                fail("case %s: marked schema-valid but the JSON Schema rejects it" % name)
        elif valid:
            fail("case %s: the loader rejects it but the JSON Schema accepts it" % name)

    # YAML files are described by the same JSON Schema: the hand-written twins
    # and the valid YAML loader cases (read with PyYAML, a YAML 1.1 reader;
    # valid_core_schema is left out, it tests where 1.1 and 1.2 disagree).
    try:
        import yaml
    except ImportError:
        yaml = None
    if yaml is not None:
        paths = sorted(glob.glob(os.path.join(root, "tests", "load", "yaml_twins", "*.yaml")))
        for d in sorted(glob.glob(os.path.join(root, "tests", "load", "yaml_cases", "valid_*"))):
            if not d.endswith("valid_core_schema"):
                paths.append(os.path.join(d, "input.yaml"))
        if len(paths) < 5:
            fail("too few YAML files found")
        for path in paths:
            with open(path, encoding="utf-8") as f:
                check(os.path.relpath(path, root), yaml.safe_load(f))

    print("%d documents checked, %d failures" % (checked, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
