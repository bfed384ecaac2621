#!/usr/bin/env bash
# Seed the corpora: every vector's request, every policy file.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/compute_json corpus/policy_toml
python3 - <<'PY'
import json, pathlib
for p in sorted(pathlib.Path("../tests/vectors").glob("*.json")):
    v = json.loads(p.read_text(encoding="utf-8"))
    text = v["request_text"] if "request_text" in v else json.dumps(v["request"], ensure_ascii=False)
    pathlib.Path("corpus/compute_json", p.stem).write_text(text, encoding="utf-8")
PY
cp ../policies/*.toml corpus/policy_toml/
