#!/usr/bin/env bash
# End-to-end: genesys_sim (demo scenario, played faster) -> genesys_exporter (short intervals,
# its own alerting and webhook dispatcher) -> a real Prometheus with rules/ (rendered with
# --time-scale) -> a real Alertmanager; a local webhook receiver records what the exporter and
# Alertmanager send. Everything on 127.0.0.1 with free ports, killed on exit.
# Asserts (polling with deadlines, see tests/scripts/lib/e2e_check.py and live_check.py):
#   - the demo's scripted failures (plus a few driven through /sim/v1, keyed off them) fire the
#     expected alerts in Prometheus, and Alertmanager lists them;
#   - the exporter's webhook dispatcher delivered the same incidents, signed;
#   - the recovered entities resolve in Prometheus, Alertmanager and the webhooks;
#   - every dashboard panel query returns data (except the ones marked may_be_empty);
#   - every rule evaluates without error.
# Needs: genesys_exporter and genesys_sim in GX_BINARY_DIR, prometheus, prometheus-alertmanager,
# curl, python3 (+ yaml). Takes about 80 s (a 140 s deadline on the incidents).
# E2E_KEEP=1 keeps the temporary directory (logs, configurations, webhooks.jsonl);
# E2E_EXPORTER_WRAPPER="gdb -q -batch -ex run -ex bt --args" runs the exporter under a wrapper.
set -euo pipefail
SRC="${GX_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
BIN="${GX_BINARY_DIR:-$SRC/build}"
LIB="$SRC/tests/scripts/lib"
SIM_TIME_SCALE="${E2E_SIM_TIME_SCALE:-1.5}"     # the demo timeline ends at 120 s / 1.5 = 80 s
RULES_TIME_SCALE="${E2E_RULES_TIME_SCALE:-0.03}" # `for: 5m` becomes 9s, [3m] becomes 6s
HMAC_SECRET="whsec_ZTJlLXRlc3Qtc2VjcmV0LWtleS0xMjM0NTY="

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$LIB/common.sh"
require_tools e2e_stack_test prometheus prometheus-alertmanager curl python3
require_binaries e2e_stack_test "$BIN" genesys_exporter genesys_sim

TMP="$(mktemp -d /tmp/gx-e2e.XXXXXX)"
pids=()
started=$SECONDS
cleanup() {
  local rc=$?
  stop_children "${pids[@]}"
  if [[ $rc -ne 0 ]]; then show_logs "$TMP" 25; fi
  if [[ -n "${E2E_KEEP:-}" ]]; then echo "e2e_stack_test: kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM


step "webhook receiver"
python3 "$LIB/webhook_receiver.py" "$TMP/receiver.port" "$TMP/webhooks.jsonl" 2>"$TMP/receiver.log" & pids+=($!)
RECEIVER="http://127.0.0.1:$(bound_port "$TMP/receiver.port" 10)"

# Prometheus and Alertmanager first: the demo timeline starts with the simulator, so the
# slow starters must not eat into it.
step "Alertmanager and Prometheus (rules/render --time-scale $RULES_TIME_SCALE)"
mkdir -p "$TMP/targets"  # the exporter takes port 0; its target is written once it says which
python3 "$SRC/rules/render" --selector 'job="genesys"' --time-scale "$RULES_TIME_SCALE" --out "$TMP/rules" 2>/dev/null
# Alertmanager and Prometheus cannot say which port they took, and Prometheus's configuration
# names Alertmanager's before either starts: picked by free_port (bind and close).
AM_PORT="$(free_port)"
cat >"$TMP/alertmanager.yml" <<YML
route:
  receiver: e2e
  group_by: [alertname]
  group_wait: 1s
  group_interval: 2s
  repeat_interval: 1h
receivers:
  - name: e2e
    webhook_configs:
      - url: $RECEIVER/alertmanager
        send_resolved: true
YML
prometheus-alertmanager --config.file="$TMP/alertmanager.yml" --storage.path="$TMP/am" \
  --web.listen-address="127.0.0.1:$AM_PORT" --cluster.listen-address= >"$TMP/alertmanager.log" 2>&1 & pids+=($!)
AM="http://127.0.0.1:$AM_PORT"
PROM_PORT="$(free_port)"
{
  prometheus_config "$TMP" "$AM_PORT"
  cat <<YML
scrape_configs:
  - job_name: genesys
    file_sd_configs:
      - files: ["$TMP/targets/*.json"]
        refresh_interval: 1s
YML
} >"$TMP/prometheus.yml"
prometheus --config.file="$TMP/prometheus.yml" --storage.tsdb.path="$TMP/prom" \
  --web.listen-address="127.0.0.1:$PROM_PORT" --rules.alert.resend-delay=2s \
  >"$TMP/prometheus.log" 2>&1 & pids+=($!)
PROM="http://127.0.0.1:$PROM_PORT"
wait_for "Alertmanager" 30 curl -fs "$AM/-/ready"
wait_for "Prometheus" 30 curl -fs "$PROM/-/ready"
step "genesys_sim --scenario demo --time-scale $SIM_TIME_SCALE"
# Run from the source tree so that simulator/scenarios/demo.yaml is the one played.
(cd "$SRC" && exec "$BIN/genesys_sim" --scenario demo --listen 127.0.0.1:0 --port-file "$TMP/sim.port" \
   --time-scale "$SIM_TIME_SCALE") >"$TMP/sim.log" 2>&1 & pids+=($!)
SIM_PID=$!
SIM="http://127.0.0.1:$(bound_port "$TMP/sim.port" 30)"
wait_for "genesys_sim control API" 10 curl -fs "$SIM/sim/v1/scenario"
CA_BUNDLE="$(curl -fs "$SIM/sim/v1/tls" | python3 -c 'import json,sys; print(json.load(sys.stdin)["caBundle"])')"

step "genesys_exporter"
PROBE_FAIL="127.0.0.1:$(free_port)"   # a TLS target nobody listens on: GenesysTLSProbeFailing
mkdir -p "$TMP/spool"
{
  echo "rate_limit: {requests_per_minute: 240}"
  echo "collection:"
  echo "  per_phone: true"
  echo "  users:"
  python3 "$LIB/e2e_check.py" followed-user "$SIM" 2>>"$TMP/check.log" | sed 's/^/    - /'
  cat <<YML
  intervals: {phones: 3s, stations: 10s, trunks: 3s, trunk_metrics: 3s, edges: 3s, edge_metrics: 5s, jitter: 0}
tls_probes:
  interval: 5s
  timeout: 2s
  ca_file: $CA_BUNDLE
  sip_options: true
  targets:
    - $PROBE_FAIL
alerting:
  evaluation_interval: 1s
  group_wait: 1s
  group_interval: 2s
  repeat_interval: 1h
  blind_after: 60s
  spool_dir: $TMP/spool
  rules:
    registration_failure: {for: 3s}
    carrier_degradation: {for: 3s}
    edge_offline: {for: 3s}
    tls_cert_expiry: {for: 0s}
  receivers:
    - name: e2e
      url: $RECEIVER/hook
      hmac_secrets: ["$HMAC_SECRET"]
      timeout: 5s
      initial_backoff: 500ms
      max_backoff: 2s
    - name: failing
      url: $RECEIVER/fail
      timeout: 5s
      initial_backoff: 500ms
      max_backoff: 1s
YML
} >"$TMP/exporter.yml"
export GENESYS_CLIENT_ID=demo-client GENESYS_CLIENT_SECRET=demo-secret GENESYS_API_URL="$SIM" GENESYS_LOGIN_URL="$SIM"
if ! "$BIN/genesys_exporter" --config.check --config.file="$TMP/exporter.yml" >"$TMP/config-check.log" 2>&1; then
  echo "FAIL: exporter configuration refused:"; cat "$TMP/config-check.log"; exit 1
fi
${E2E_EXPORTER_WRAPPER:-} "$BIN/genesys_exporter" --config.file="$TMP/exporter.yml" --web.listen-address=127.0.0.1:0 \
  --web.port-file="$TMP/exporter.port" >"$TMP/exporter.log" 2>&1 & pids+=($!)
EXPORTER_PID=$!
EXPORTER_PORT="$(bound_port "$TMP/exporter.port")"
echo "[{\"targets\": [\"127.0.0.1:$EXPORTER_PORT\"]}]" >"$TMP/targets/exporter.json.tmp"
mv "$TMP/targets/exporter.json.tmp" "$TMP/targets/exporter.json"
wait_for "genesys_exporter" 30 curl -fs "http://127.0.0.1:$EXPORTER_PORT/-/healthy"

echo "   stack up after $((SECONDS - started))s: sim $SIM, exporter 127.0.0.1:$EXPORTER_PORT, Prometheus $PROM, Alertmanager $AM"

# Failures the demo timeline lacks, driven through /sim/v1 along with its edge outage.
python3 "$LIB/e2e_check.py" drive "$SIM" --deadline 150 >>"$TMP/check.log" 2>&1 & pids+=($!)


step "the scripted failures fire, reach Alertmanager and the webhook receiver, and resolve"
python3 "$LIB/e2e_check.py" watch --sim "$SIM" --prom "$PROM" --am "$AM" --records "$TMP/webhooks.jsonl" \
  --probe-fail "$PROBE_FAIL" --failing-receiver failing --hmac-secret "$HMAC_SECRET" --deadline 140 \
  --alive-pid "$SIM_PID" --alive-pid "$EXPORTER_PID" \
  || bad "alerts and webhooks"

step "every dashboard panel query returns data (may_be_empty ones excepted)"
python3 "$LIB/e2e_check.py" panels "$PROM" --deadline 20 || bad "panel queries"

step "every rule evaluates without error"
python3 "$LIB/live_check.py" rules "$PROM" || bad "rule evaluation"

alive "$SIM_PID" || bad "genesys_sim exited during the test: $(exit_status "$SIM_PID")"
alive "$EXPORTER_PID" || bad "genesys_exporter exited during the test: $(exit_status "$EXPORTER_PID")"
echo "   Alertmanager notified the receiver $(grep -c '"path": "/alertmanager' "$TMP/webhooks.jsonl" || true) times"
echo "   driver: $(tr '\n' ' ' <"$TMP/check.log" | tail -c 600)"

if [[ $fail -ne 0 ]]; then
  echo "e2e_stack_test: FAILED after $((SECONDS - started))s"; exit 1
fi
echo "e2e_stack_test: OK in $((SECONDS - started))s"
