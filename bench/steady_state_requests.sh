#!/usr/bin/env bash
# Steady-state Genesys API requests per minute of the shipped exporter against the simulator's
# `large` org (50,000 phones, 1,000 trunks, 200 edges, random walk on) with a healthy push
# stream: starts genesys_sim and genesys_exporter (default budget and intervals, 10 followed
# users, TLS probes off), waits for /-/ready and a connected stream, lets the exporter settle,
# resets the simulator's request log, waits WINDOW seconds and prints the requests per minute
# of each endpoint as the simulator counted them.
#
#   bench/steady_state_requests.sh [WINDOW_SECONDS=600] [SETTLE_SECONDS=120] [PHONES_INTERVAL=60s]
#
# Binaries come from $GX_BUILD_DIR (default build/); GX_EXPORTER=<path> runs another
# genesys_exporter binary (say, main's) against this build's simulator, so that two builds
# can be measured side by side in one run (start one script per binary at the same time).
# Everything listens on 127.0.0.1.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${GX_BUILD_DIR:-$root/build}"
window="${1:-600}"
settle="${2:-120}"
phones_interval="${3:-60s}"
exporter_bin="${GX_EXPORTER:-$build/genesys_exporter}"
work="$(mktemp -d /tmp/steady_state.XXXXXX)"
# shellcheck source-path=SCRIPTDIR source=../tests/scripts/lib/common.sh
source "$root/tests/scripts/lib/common.sh"  # wait_for, bound_port, stop_children
pids=()
cleanup() {
  stop_children "${pids[@]}"
  rm -rf "$work"
}
trap cleanup EXIT

"$build/genesys_sim" --scenario large --listen 127.0.0.1:0 --port-file "$work/sim.port" \
  --log.level warn >"$work/sim.log" 2>&1 &
pids+=($!)
sim="http://127.0.0.1:$(bound_port "$work/sim.port" 60)"

users=$(curl -sf "$sim/sim/v1/truth" | jq -c '[.users[:10][].id]')
cat >"$work/exporter.yml" <<EOF
collection:
  users: $users
  intervals:
    phones: $phones_interval
tls_probes:
  enabled: false
alerting:
  spool_dir: $work/spool
EOF

GENESYS_CLIENT_ID=demo-client GENESYS_CLIENT_SECRET=demo-secret GENESYS_API_URL="$sim" GENESYS_LOGIN_URL="$sim" \
  "$exporter_bin" --config.file="$work/exporter.yml" --web.listen-address=127.0.0.1:0 \
  --web.port-file="$work/exporter.port" >"$work/exporter.log" 2>&1 &
pids+=($!)
exporter="http://127.0.0.1:$(bound_port "$work/exporter.port")"

connected() { curl -sf "$exporter/metrics" | grep -q '^genesys_notifications_connected 1'; }
wait_for "/-/ready (the first full poll)" 600 curl -sf "$exporter/-/ready"
wait_for "a connected notification stream" 300 connected
echo "$exporter_bin, phones every $phones_interval: ready and connected; settling ${settle}s"
sleep "$settle"
connected || { echo "the stream is not connected after settling" >&2; exit 1; }

curl -sf -X DELETE "$sim/sim/v1/requests" >/dev/null
reconnects_before=$(curl -sf "$exporter/metrics" | awk '/^genesys_notifications_resyncs_total/ {print $2}')
echo "measuring ${window}s"
sleep "$window"
connected || echo "warning: the stream was not connected at the end of the window" >&2
reconnects_after=$(curl -sf "$exporter/metrics" | awk '/^genesys_notifications_resyncs_total/ {print $2}')

curl -sf "$sim/sim/v1/requests?since=999999999999" | jq -r --argjson w "$window" '
  .counts | to_entries
  | map({endpoint: .key, n: ([.value[]] | add)})
  | (map("\(.n / $w * 60 | . * 10 | round / 10)\t\(.n)\t\(.endpoint)") | .[]),
    "total: \((map(.n) | add // 0) / $w * 60 | . * 10 | round / 10) requests/min (\(map(.n) | add // 0) in \($w) s)"'
echo "resyncs during the window: $(awk "BEGIN {print ${reconnects_after:-0} - ${reconnects_before:-0}}")"
grep -i "stretched\|back to their configured" "$work/exporter.log" | tail -3 || true
