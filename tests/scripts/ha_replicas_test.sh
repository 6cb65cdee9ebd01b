#!/usr/bin/env bash
# Two replicas, one page (docs/high-availability.md): one genesys_sim, two genesys_exporter
# replicas whose `alertmanager` receiver lists BOTH nodes of a real two-node Alertmanager cluster
# (gossip on loopback), and a webhook receiver that records what the cluster sends.
#   1. an edge goes offline and a carrier trunk disconnects: each is notified once;
#   2. replica A is killed (SIGKILL) mid-incident;
#   3. a second trunk disconnects (only replica B is left to report it): notified once;
#   4. everything recovers: each incident is resolved once, by replica B's pushes alone;
#   5. after a quiet period that covers the cluster's dedup window, nothing else arrived.
# The cluster timers: gossip every 50 ms (settles in about 2 s), peer_timeout 2 s (the second
# node waits that long, then reads the notification log before it sends: far above the gossip
# latency), group_interval 10 s. Alertmanager's own race (docs/high-availability.md): the
# second node takes its snapshot of a group before it waits, so a resolve that arrives just
# after its flush and just before the first node's, when the first node's flushes run up to
# peer_timeout behind it, has it send a stale "firing" after the first node's "resolved". The
# nodes' flushes are apart by how far apart the first push reached each (milliseconds), so the
# odds are that over group_interval: a long group_interval keeps them small.
# Needs genesys_exporter and genesys_sim in GX_BINARY_DIR, prometheus-alertmanager, curl, python3.
# Takes about 40 s. HA_KEEP=1 keeps the temporary directory (logs, configurations, webhooks.jsonl);
# HA_AM_LOG_LEVEL=debug shows each node's flushes and gossip.
set -euo pipefail
SRC="${GX_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
BIN="${GX_BINARY_DIR:-$SRC/build}"
LIB="$SRC/tests/scripts/lib"
CHECK=(python3 "$LIB/ha_check.py")

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$LIB/common.sh"
require_tools ha_replicas_test prometheus-alertmanager curl python3
require_binaries ha_replicas_test "$BIN" genesys_exporter genesys_sim

TMP="$(mktemp -d /tmp/gx-ha.XXXXXX)"
pids=()
am_pids=()  # killed outright: a graceful stop waits 10 s for the gossip leave to be acknowledged
started=$SECONDS
cleanup() {
  local rc=$?
  for pid in "${am_pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${am_pids[@]}" "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ $rc -ne 0 ]]; then
    show_logs "$TMP" 25
    echo "--- notifications"; grep '"/am/' "$TMP/webhooks.jsonl" | cut -c1-400 || true
  fi
  if [[ -n "${HA_KEEP:-}" ]]; then echo "ha_replicas_test: kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM


step "webhook receiver"
python3 "$LIB/webhook_receiver.py" "$TMP/receiver.port" "$TMP/webhooks.jsonl" 2>"$TMP/receiver.log" & pids+=($!)
RECEIVER="http://127.0.0.1:$(bound_port "$TMP/receiver.port" 10)"

step "genesys_sim (a small org, no random walk)"
cat >"$TMP/scenario.yaml" <<YML
name: ha
seed: 7
org:
  sites:
    - {name: HQ, edges: 2, phones: 6}
  users: 0
  external_trunks: 3
  sip_tls_fraction: 0
  tls_endpoints: false
auth: {client_id: ha-client, client_secret: ha-secret, rate_limit_per_minute: 6000}
random_walk: {enabled: false}
YML
"$BIN/genesys_sim" --scenario "$TMP/scenario.yaml" --listen 127.0.0.1:0 --port-file "$TMP/sim.port" \
  >"$TMP/sim.log" 2>&1 & pids+=($!)
SIM="http://127.0.0.1:$(bound_port "$TMP/sim.port" 20)"
wait_for "genesys_sim control API" 10 curl -fs "$SIM/sim/v1/scenario"
read -r EDGE TRUNK0 TRUNK1 < <(curl -fs "$SIM/sim/v1/truth" | python3 -c '
import json, sys
t = json.load(sys.stdin)
carriers = [x["id"] for x in t["trunks"] if x["trunkType"] == "EXTERNAL"]
print(t["edges"][0]["id"], carriers[0], carriers[1])')

# The processes that take port 0 (receiver, simulator, exporters) say their port; the ports of
# those that cannot (Alertmanager) are picked all at once (distinct), just before they start.
read -r -a PORTS < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(4)]
for s in socks: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))')
AM_WEB=("${PORTS[0]}" "${PORTS[1]}")
AM_GOSSIP=("${PORTS[2]}" "${PORTS[3]}")
EXPORTER_PORTS=()  # the replicas take port 0 and write theirs to a port file

step "two-node Alertmanager cluster"
PEER_TIMEOUT=2 GROUP_INTERVAL=10  # seconds; see the header
AM_URLS=()
for i in 0 1; do
  peer=$((1 - i))
  # One route and receiver on both nodes (the notification log is keyed by them); the URL path
  # names the node, so that the record shows which node sent what.
  cat >"$TMP/alertmanager$i.yml" <<YML
route:
  receiver: ha
  group_by: ['...']
  group_wait: 1s
  group_interval: ${GROUP_INTERVAL}s
  repeat_interval: 1h
receivers:
  - name: ha
    webhook_configs:
      - url: $RECEIVER/am/$i
        send_resolved: true
YML
  prometheus-alertmanager --config.file="$TMP/alertmanager$i.yml" --storage.path="$TMP/am$i" \
    --web.listen-address="127.0.0.1:${AM_WEB[$i]}" \
    --cluster.listen-address="127.0.0.1:${AM_GOSSIP[$i]}" --cluster.peer="127.0.0.1:${AM_GOSSIP[$peer]}" \
    --cluster.gossip-interval=50ms --cluster.pushpull-interval=1s \
    --cluster.peer-timeout=${PEER_TIMEOUT}s --cluster.settle-timeout=10s --log.level="${HA_AM_LOG_LEVEL:-info}" \
    >"$TMP/alertmanager$i.log" 2>&1 & am_pids+=($!)
  AM_URLS+=("http://127.0.0.1:${AM_WEB[$i]}")
done

step "two genesys_exporter replicas, each pushing to both nodes"
EXPORTER_PIDS=()
export GENESYS_CLIENT_ID=ha-client GENESYS_CLIENT_SECRET=ha-secret GENESYS_API_URL="$SIM" GENESYS_LOGIN_URL="$SIM"
for r in 0 1; do
  mkdir -p "$TMP/spool$r"
  # Each replica has its own budget against the org's limit (docs/high-availability.md).
  cat >"$TMP/exporter$r.yml" <<YML
rate_limit: {requests_per_minute: 600}
collection:
  intervals: {phones: 5s, stations: 30s, trunks: 1s, trunk_metrics: 1s, edges: 1s, edge_metrics: 5s, jitter: 0}
tls_probes: {enabled: false}
alerting:
  evaluation_interval: 1s
  resend_interval: 3s
  spool_dir: $TMP/spool$r
  rules:
    registration_failure: {enabled: false}
    tls_cert_expiry: {enabled: false}
    carrier_degradation: {for: 1s}
    edge_offline: {for: 1s}
  receivers:
    - name: cluster
      format: alertmanager
      urls: [${AM_URLS[0]}, ${AM_URLS[1]}]
      timeout: 2s
      initial_backoff: 200ms
      max_backoff: 1s
YML
  if ! "$BIN/genesys_exporter" --config.check --config.file="$TMP/exporter$r.yml" >"$TMP/config-check$r.log" 2>&1; then
    echo "FAIL: exporter configuration refused:"; cat "$TMP/config-check$r.log"; exit 1
  fi
  "$BIN/genesys_exporter" --config.file="$TMP/exporter$r.yml" --web.listen-address=127.0.0.1:0 \
    --web.port-file="$TMP/exporter$r.port" >"$TMP/exporter$r.log" 2>&1 & pids+=($!)
  EXPORTER_PIDS+=($!)
  EXPORTER_PORTS+=("$(bound_port "$TMP/exporter$r.port")")
done
"${CHECK[@]}" cluster "${AM_URLS[@]}" --deadline 30
for r in 0 1; do
  wait_for "genesys_exporter replica $r" 30 curl -fs "http://127.0.0.1:${EXPORTER_PORTS[$r]}/-/ready"
done

EDGE_INCIDENT="alertname=edge_offline,edge_id=$EDGE"
TRUNK0_INCIDENT="alertname=carrier_degradation,trunk_id=$TRUNK0"
TRUNK1_INCIDENT="alertname=carrier_degradation,trunk_id=$TRUNK1"

step "incidents: edge $EDGE offline, carrier trunk $TRUNK0 disconnected"
"${CHECK[@]}" mutate "$SIM" "{\"action\":\"edge_online\",\"target\":\"$EDGE\",\"online\":false}"
"${CHECK[@]}" mutate "$SIM" "{\"action\":\"trunk_connected\",\"target\":\"$TRUNK0\",\"connected\":false}"
"${CHECK[@]}" wait "$TMP/webhooks.jsonl" --firing "$EDGE_INCIDENT" --firing "$TRUNK0_INCIDENT" --deadline 30

step "SIGKILL replica A (pid ${EXPORTER_PIDS[0]}) mid-incident"
{ kill -KILL "${EXPORTER_PIDS[0]}" && wait "${EXPORTER_PIDS[0]}"; } 2>/dev/null || true

step "a new incident while only replica B runs: carrier trunk $TRUNK1 disconnected"
"${CHECK[@]}" mutate "$SIM" "{\"action\":\"trunk_connected\",\"target\":\"$TRUNK1\",\"connected\":false}"
"${CHECK[@]}" wait "$TMP/webhooks.jsonl" --firing "$TRUNK1_INCIDENT" --deadline 30

step "recovery"
"${CHECK[@]}" mutate "$SIM" "{\"action\":\"edge_online\",\"target\":\"$EDGE\",\"online\":true}"
for t in "$TRUNK0" "$TRUNK1"; do
  "${CHECK[@]}" mutate "$SIM" "{\"action\":\"trunk_connected\",\"target\":\"$t\",\"connected\":true}"
done
"${CHECK[@]}" wait "$TMP/webhooks.jsonl" --resolved "$EDGE_INCIDENT" --resolved "$TRUNK0_INCIDENT" \
  --resolved "$TRUNK1_INCIDENT" --deadline $((GROUP_INTERVAL + 20))

# That something does not happen can only be watched for a while: a duplicate from the second
# node would come peer_timeout after the first node's notification, or at a later flush, so
# watch for peer_timeout plus a group_interval after the last resolve arrived.
QUIET=$((PEER_TIMEOUT + GROUP_INTERVAL))
step "quiet period (${QUIET} s): no duplicate arrives"
sleep "$QUIET"

step "one firing and one resolved notification per incident"
fail=0
"${CHECK[@]}" count "$TMP/webhooks.jsonl" --incident "$EDGE_INCIDENT" --incident "$TRUNK0_INCIDENT" \
  --incident "$TRUNK1_INCIDENT" || fail=1
"${CHECK[@]}" health "${AM_URLS[@]}" || fail=1
kill -0 "${EXPORTER_PIDS[1]}" 2>/dev/null || { echo "FAIL: replica B exited during the test"; fail=1; }
if [[ $fail -ne 0 ]]; then echo "ha_replicas_test: FAILED after $((SECONDS - started))s"; exit 1; fi
echo "ha_replicas_test: OK in $((SECONDS - started))s"
