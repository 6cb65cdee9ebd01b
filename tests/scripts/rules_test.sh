#!/usr/bin/env bash
# Prometheus rules: promtool check + unit tests, mixin conventions, the metric contract, and
# rules/render (a selector reaches every expression, and replaces up's default job; durations
# scale; runbook links are absolute, with a base of your choice).
set -euo pipefail
SRC="${GX_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$SRC/tests/scripts/lib/common.sh"
LIB="$SRC/tests/scripts/lib"
command -v promtool >/dev/null || { echo "rules_test: promtool not found (apt-get install prometheus)"; exit 1; }
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

step "promtool check rules"
promtool check rules "$SRC"/rules/*.yml || bad "promtool check rules"

step "promtool test rules"
(cd "$SRC/rules/tests" && promtool test rules ./*.yml) || bad "promtool test rules"

step "conventions, runbook sections, test coverage"
python3 "$LIB/rules_meta.py" "$SRC" || bad "rules_meta"

step "only metric-contract names, or the exporter's own metrics documented in docs/metrics.md"
python3 "$LIB/contract.py" check "$SRC/dashboards/contract-metrics.txt" --documented "$SRC/docs/metrics.md" \
  "$SRC"/rules/*.yml || bad "rules use names outside the contract and docs/metrics.md"

step "render --selector job=\"genesys\": the unit tests (series with job=genesys) still pass"
python3 "$SRC/rules/render" --selector 'job="genesys"' --out "$TMP/match" 2>/dev/null
# Rendering twice must not add the matcher twice.
python3 "$SRC/rules/render" --selector 'job="genesys"' "$TMP"/match/*.yml 2>/dev/null
if grep -q 'job="genesys",job="genesys"' "$TMP"/match/*.yml; then bad "render is not idempotent"; fi
cp -r "$SRC/rules/tests" "$TMP/match/tests"
promtool check rules "$TMP"/match/*.yml >/dev/null || bad "rendered rules do not pass promtool check"
(cd "$TMP/match/tests" && promtool test rules ./*.yml >/dev/null) || bad "rendered rules fail the unit tests"

step "render --selector job=\"other\": every alert and recording rule stops matching"
python3 "$SRC/rules/render" --selector 'job="other"' --out "$TMP/other" 2>/dev/null
cp -r "$SRC/rules/tests" "$TMP/other/tests"
out="$(cd "$TMP/other/tests" && promtool test rules ./*.yml 2>&1 || true)"
for name in $(grep -ho 'alert: Genesys[A-Za-z]*' "$SRC/rules/genesys_alerts.yml" | sort -u | cut -d' ' -f2); do
  grep -q "alertname: $name," <<<"$out" || bad "selector does not reach $name"
done
for rec in $(grep -ho 'record: [a-z_:0-9]*' "$SRC/rules/genesys_recording.yml" | cut -d' ' -f2); do
  grep -q "expr: \"$rec\"" <<<"$out" || bad "selector does not reach $rec (or it has no unit test)"
done

step "render: on up, a job matcher of the selector replaces the default job=\"genesys\""
python3 "$SRC/rules/render" --selector 'job="telephony"' --out "$TMP/job" 2>/dev/null
grep -q 'up{job="telephony"}' "$TMP/job/genesys_alerts.yml" || bad "up did not get the selector's job"
if grep -v '^\s*#' "$TMP/job/genesys_alerts.yml" | grep -q 'job="genesys"'; then bad "the default job matcher is left after --selector job=..."; fi
python3 "$SRC/rules/render" --selector 'env="prod"' --out "$TMP/env" 2>/dev/null
grep -q 'up{env="prod",job="genesys"}' "$TMP/env/genesys_alerts.yml" || bad "a selector without job dropped up's default job"
promtool check rules "$TMP"/job/*.yml "$TMP"/env/*.yml >/dev/null || bad "job-rendered rules do not pass promtool check"

step "render --time-scale 0.05: still valid, durations shortened"
python3 "$SRC/rules/render" --time-scale 0.05 --out "$TMP/fast" 2>/dev/null
promtool check rules "$TMP"/fast/*.yml >/dev/null || bad "time-scaled rules do not pass promtool check"
grep -q 'for: 15s' "$TMP/fast/genesys_alerts.yml" || bad "time-scale did not shorten 'for: 5m'"
grep -q '\[9s\]' "$TMP/fast/genesys_alerts.yml" || bad "time-scale did not shorten [3m]"

step "runbook links: absolute by default (the files are what render writes), --runbook-base replaces the base"
python3 "$SRC/rules/render" --out "$TMP/default" 2>/dev/null
for f in genesys_alerts.yml genesys_recording.yml; do
  diff -u "$SRC/rules/$f" "$TMP/default/$f" || bad "rules/$f differs from its default rendering"
done
base="$(sed -n 's/^DEFAULT_RUNBOOK_BASE = "\(.*\)"$/\1/p' "$SRC/rules/render")"
[[ "$base" == https://* ]] || bad "render's default runbook base is not an https URL: $base"
n_all="$(grep -c 'runbook_url:' "$SRC/rules/genesys_alerts.yml")"
n_def="$(grep -c "runbook_url: \"$base#genesys" "$SRC/rules/genesys_alerts.yml")"
[[ "$n_all" == "$n_def" && "$n_all" -gt 0 ]] || bad "$n_def of $n_all links use the default base $base"
python3 "$SRC/rules/render" --runbook-base https://example.org/repo/docs/runbook.md --out "$TMP/rb" 2>/dev/null
# A second base replaces the first (an earlier render's base is not kept).
python3 "$SRC/rules/render" --runbook-base https://wiki.example.com/genesys --out "$TMP/rb2" "$TMP"/rb/*.yml 2>/dev/null
n_abs="$(grep -c 'runbook_url: "https://example.org/repo/docs/runbook.md#genesys' "$TMP/rb/genesys_alerts.yml")"
[[ "$n_all" == "$n_abs" ]] || bad "runbook base applied to $n_abs of $n_all links"
n_abs="$(grep -c 'runbook_url: "https://wiki.example.com/genesys#genesys' "$TMP/rb2/genesys_alerts.yml")"
[[ "$n_all" == "$n_abs" ]] || bad "a second runbook base applied to $n_abs of $n_all links"
if python3 "$SRC/rules/render" --runbook-base docs/runbook.md --out "$TMP/badrb" 2>/dev/null; then
  bad "render accepted a relative runbook base"
fi

step "render rejects a bad selector"
if python3 "$SRC/rules/render" --selector 'job=genesys' --out "$TMP/badsel" 2>/dev/null; then
  bad "render accepted an unquoted selector"
fi

if [[ $fail -ne 0 ]]; then echo "rules_test: FAILED"; exit 1; fi
echo "rules_test: OK"
