#!/usr/bin/python3
"""Validate every golden JSON op list in tests/emit/golden against
schemas/ops.schema.json (draft 2020-12).  Needs Debian's python3-jsonschema;
exits 77 (meson's "skipped") without it.  Also checks that the schema
rejects a few broken op lists, so the test can fail."""
import copy
import glob
import json
import os
import sys

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed; skipping")
    sys.exit(77)

root = os.environ.get("SD_SOURCE_ROOT") or os.path.join(os.path.dirname(__file__), "..", "..")
with open(os.path.join(root, "schemas", "ops.schema.json"), encoding="utf-8") as f:
    schema = json.load(f)
with open(os.path.join(root, "schemas", "schema.schema.json"), encoding="utf-8") as f:
    file_schema = json.load(f)  # ops.schema.json $refs its object shapes
jsonschema.Draft202012Validator.check_schema(schema)
resolver = jsonschema.RefResolver.from_schema(schema, store={file_schema["$id"]: file_schema})
validator = jsonschema.Draft202012Validator(schema, resolver=resolver)

failed = 0
files = sorted(glob.glob(os.path.join(root, "tests", "emit", "golden", "*.json")))
if not files:
    print("no golden JSON files found under", root)
    sys.exit(1)
# op lists written by the CLI from real comparisons (context tables filled in)
files += [os.path.join(root, "tests", "cases", "weekly-diff-json", "expected.out"),
          os.path.join(root, "tests", "cases", "render-weekly", "ops.json"),
          os.path.join(root, "tests", "cases", "pgobjects-diff-json", "expected.out")]
docs = {}
for path in files:
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    docs[os.path.basename(path)] = doc
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    for e in errors:
        failed += 1
        print("%s: %s: %s" % (os.path.basename(path), "/".join(map(str, e.absolute_path)), e.message))
    if not errors:
        print("ok", os.path.basename(path))

# PostgreSQL enum and sequence ops: broken ones are rejected too.
with open(os.path.join(root, "tests", "cases", "pgobjects-diff-json", "expected.out"),
          encoding="utf-8") as f:
    pgo = json.load(f)
pg_mutations = []
if pgo.get("ops"):
    def first(doc, name):
        return next(o for o in doc["ops"] if o["op"] == name)
    m = copy.deepcopy(pgo); first(m, "add_enum_value")["after"] = "new"; pg_mutations.append(("before and after", m))
    m = copy.deepcopy(pgo); del first(m, "add_enum_value")["value"]; pg_mutations.append(("add_enum_value without value", m))
    m = copy.deepcopy(pgo); del first(m, "alter_sequence")["existing"]; pg_mutations.append(("alter_sequence without existing", m))
    m = copy.deepcopy(pgo); first(m, "create_sequence")["sequence"]["start"] = "ten"; pg_mutations.append(("sequence start not a number", m))
    m = copy.deepcopy(pgo); first(m, "create_enum")["enum"]["values"] = ["a", "a"]; pg_mutations.append(("enum values repeated", m))
    m = copy.deepcopy(pgo); first(m, "drop_enum")["view"] = first(m, "create_view")["view"]; pg_mutations.append(("enum op with a view", m))
else:
    failed += 1
    print("pgobjects-diff-json/expected.out not read")
for what, m in pg_mutations:
    if validator.is_valid(m):
        failed += 1
        print("schema accepts a broken op list:", what)
    else:
        print("ok rejects", what)

# The schema must not accept anything: each mutation has to be rejected.
base = docs.get("tables_columns.json")
mutations = []
if base:
    m = copy.deepcopy(base); m["format"] = "schemadiff-ops/1"; mutations.append(("format", m))
    m = copy.deepcopy(base); m["ops"][0]["op"] = "rename_table"; mutations.append(("unknown op", m))
    m = copy.deepcopy(base); m["ops"][0]["extra"] = 1; mutations.append(("unknown key", m))
    m = copy.deepcopy(base); del m["ops"][0]["definition"]["columns"]; mutations.append(("table without columns", m))
    m = copy.deepcopy(base); m["ops"][1]["column"]["nullable"] = "yes"; mutations.append(("nullable not bool", m))
    m = copy.deepcopy(base); m["ops"][3]["changes"]["size"] = {"from": 1, "to": 2}; mutations.append(("unknown change", m))
    m = copy.deepcopy(base); m["ops"][3]["changes"] = {}; mutations.append(("empty changes", m))
    m = copy.deepcopy(base); m["ops"][2]["destructive"] = False; mutations.append(("destructive false", m))
    m = copy.deepcopy(base); del m["not_compared"]; mutations.append(("no not_compared", m))
    m = copy.deepcopy(base); del m["ops"][1]["column"]["nullable"]; mutations.append(("column without nullable", m))
    m = copy.deepcopy(base); m["ops"][0]["definition"]["primary_key"]["columns"] = 1; mutations.append(("bad key", m))
    m = copy.deepcopy(base); del m["context"]; mutations.append(("no context", m))
    m = copy.deepcopy(base); del m["context"]["downgrade"]; mutations.append(("context without a direction", m))
    m = copy.deepcopy(base); m["context"]["ops"]["views"] = []; mutations.append(("unknown context key", m))
    m = copy.deepcopy(base); del m["context"]["ops"]["target_triggers"]; mutations.append(("no target_triggers", m))
    m = copy.deepcopy(base); m["context"]["ops"]["target_triggers"] = [{"name": "t"}]; mutations.append(("trigger without sql", m))
    m = copy.deepcopy(base); m["context"]["ops"]["target_views"] = [{"name": "v"}]; mutations.append(("view without definition", m))
    m = copy.deepcopy(base); m["context"]["ops"]["tables"] = [{"name": "t"}]; mutations.append(("context table without columns", m))
else:
    print("tables_columns.json missing")
    failed += 1
for name, doc in mutations:
    if validator.is_valid(doc):
        print("schema accepted a broken op list:", name)
        failed += 1

print("%d problems" % failed)
sys.exit(1 if failed else 0)
