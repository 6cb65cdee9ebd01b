#!/usr/bin/env bash
# The rules and the dashboard against a real Prometheus and Alertmanager (Debian packages), fed
# by tests/scripts/lib/fake_exporter.py, which exposes every contract metric: no C++ build needed.
# Checks that every dashboard query returns data, that every rule evaluates without error and
# every recording rule yields series, that every alert fires and reaches Alertmanager (rules
# rendered with a job selector and --time-scale 0.02), and that all of them resolve once the
# fake exporter turns healthy. The end-to-end test with the real exporter is a separate suite.
set -euo pipefail
SRC="${GX_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
LIB="$SRC/tests/scripts/lib"
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$LIB/common.sh"
require_tools monitoring_live_test prometheus prometheus-alertmanager curl python3
TMP="$(mktemp -d)"
pids=()
cleanup() {
  local rc=$?
  stop_children "${pids[@]}"
  if [[ $rc -ne 0 ]]; then show_logs "$TMP" 20; fi
  rm -rf "$TMP"
}
trap cleanup EXIT


step "start the fake exporter, Alertmanager and Prometheus on loopback"
python3 "$LIB/fake_exporter.py" "$TMP/exporter.port" & pids+=($!)
EXPORTER="127.0.0.1:$(bound_port "$TMP/exporter.port" 10)"

python3 "$SRC/rules/render" --selector 'job="genesys"' --time-scale 0.02 --out "$TMP/rules" 2>/dev/null

# Alertmanager and Prometheus cannot say which port they took, and Prometheus's configuration
# names Alertmanager's before either starts: picked by free_port (bind and close).
AM_PORT="$(free_port)"
prometheus-alertmanager --config.file="$SRC/deploy/alertmanager.yml" --storage.path="$TMP/am" \
  --web.listen-address="127.0.0.1:$AM_PORT" --cluster.listen-address= >"$TMP/alertmanager.log" 2>&1 & pids+=($!)
AM="http://127.0.0.1:$AM_PORT"
wait_for "Alertmanager" 20 curl -fs "$AM/-/ready"

PROM_PORT="$(free_port)"
{
  prometheus_config "$TMP" "$AM_PORT"
  cat <<YML
scrape_configs:
  - job_name: genesys
    static_configs:
      - targets: ["$EXPORTER"]
  # A second exporter in the same job (scrape configs need their own names), for GenesysExporterDown.
  - job_name: genesys-second
    metrics_path: /second/metrics
    static_configs:
      - targets: ["$EXPORTER"]
        labels:
          instance: second
    relabel_configs:
      - target_label: job
        replacement: genesys
YML
} >"$TMP/prometheus.yml"
prometheus --config.file="$TMP/prometheus.yml" --storage.tsdb.path="$TMP/prom" \
  --web.listen-address="127.0.0.1:$PROM_PORT" --rules.alert.resend-delay=1s \
  >"$TMP/prometheus.log" 2>&1 & pids+=($!)
PROM="http://127.0.0.1:$PROM_PORT"
wait_for "Prometheus" 30 curl -fs "$PROM/-/ready"


step "every dashboard panel query returns data"
python3 "$LIB/live_check.py" panels "$PROM" --deadline 30 || bad "panel queries"

step "every alert fires in Prometheus and reaches Alertmanager"
python3 "$LIB/live_check.py" firing "$PROM" "$AM" "$TMP"/rules/*.yml --deadline 60 || bad "alerts"

step "every rule evaluates without error; every recording rule has series"
python3 "$LIB/live_check.py" rules "$PROM" || bad "rule evaluation"
python3 "$LIB/live_check.py" records "$PROM" "$TMP"/rules/*.yml --deadline 10 || bad "recording rules"

step "the fake exporter turns healthy: every alert resolves"
curl -fs -X POST "http://$EXPORTER/state/good"
python3 "$LIB/live_check.py" resolved "$PROM" "$AM" --deadline 90 || bad "alerts did not resolve"

if [[ $fail -ne 0 ]]; then
  echo "--- prometheus.log (tail)"; tail -20 "$TMP/prometheus.log"
  echo "monitoring_live_test: FAILED"; exit 1
fi
echo "monitoring_live_test: OK"
