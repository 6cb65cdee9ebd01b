#!/usr/bin/env bash
# Grafana dashboards: JSON, portability, no hard-coded job, only contract metrics (and all of
# them shown), PromQL that parses, generator in sync, vendored contract list in sync, provisioning.
set -euo pipefail
SRC="${GX_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$SRC/tests/scripts/lib/common.sh"
LIB="$SRC/tests/scripts/lib"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

step "every dashboard parses"
for f in "$SRC"/dashboards/*.json; do
  if command -v jq >/dev/null; then
    jq -e '.uid and .panels' "$f" >/dev/null || bad "$f: not JSON or no uid/panels"
  else
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["uid"] and d["panels"]' "$f" \
      || bad "$f: not JSON or no uid/panels"
  fi
done

step "portability, job, contract metrics, layout"
python3 "$LIB/dashboards_check.py" "$SRC" "$TMP/queries.yml" || bad "dashboards_check"

step "every panel query parses (promtool check rules on the substituted queries)"
if command -v promtool >/dev/null; then
  promtool check rules "$TMP/queries.yml" >/dev/null || { promtool check rules "$TMP/queries.yml"; bad "a panel query does not parse"; }
else
  bad "promtool not found"
fi

step "panel_queries.py lists every query with variables substituted"
python3 "$LIB/panel_queries.py" > "$TMP/q.jsonl" || bad "panel_queries.py failed"
n="$(wc -l < "$TMP/q.jsonl")"
[[ "$n" -ge 30 ]] || bad "only $n panel queries"
if grep -q '\$' "$TMP/q.jsonl"; then bad "a query still contains a template variable"; fi
python3 - "$TMP/q.jsonl" <<'PY' || bad "panel_queries.py output"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
keys = {"dashboard", "panel", "panel_id", "ref_id", "expr", "instant", "may_be_empty"}
assert all(keys <= set(r) for r in rows), "missing keys"
assert any(r["may_be_empty"] for r in rows) and not all(r["may_be_empty"] for r in rows)
assert all('job=~".*"' in r["expr"] for r in rows if "genesys_" in r["expr"]), "job not substituted"
PY
python3 "$LIB/panel_queries.py" --var job=genesys --rate-interval 30s > "$TMP/q2.jsonl"
grep -q 'job=~\\"genesys\\"' "$TMP/q2.jsonl" || bad "--var does not override a variable"
grep -q '\[30s\]' "$TMP/q2.jsonl" || bad "--rate-interval is not applied"

step "generate.py output is committed"
python3 "$SRC/dashboards/generate.py" --check || bad "dashboards/genesys-overview.json is out of date"

step "contract list is in sync with docs/metrics-contract.md"
CONTRACT="$SRC/docs/metrics-contract.md"
python3 "$LIB/contract.py" extract "$CONTRACT" > "$TMP/contract.txt" || bad "contract.py extract $CONTRACT failed"
diff -u "$SRC/dashboards/contract-metrics.txt" "$TMP/contract.txt" \
  || bad "dashboards/contract-metrics.txt differs: run tests/scripts/lib/contract.py extract docs/metrics-contract.md > dashboards/contract-metrics.txt"

step "provisioning files"
python3 - "$SRC" <<'PY' || bad "provisioning"
import sys, yaml, os
src = sys.argv[1]
ds = yaml.safe_load(open(os.path.join(src, "dashboards/provisioning/datasources/genesys.yml")))
assert ds["apiVersion"] == 1 and ds["datasources"][0]["type"] == "prometheus"
dp = yaml.safe_load(open(os.path.join(src, "dashboards/provisioning/dashboards/genesys.yml")))
assert dp["apiVersion"] == 1 and dp["providers"][0]["type"] == "file"
assert dp["providers"][0]["options"]["path"].startswith("/")
PY

if [[ $fail -ne 0 ]]; then echo "dashboards_test: FAILED"; exit 1; fi
echo "dashboards_test: OK"
