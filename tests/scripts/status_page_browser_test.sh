#!/usr/bin/env bash
# The status page in a real browser: genesys_sim (demo scenario, played 20 times faster) ->
# genesys_exporter -> headless Chromium (Debian's `chromium`), whose rendered DOM
# (--dump-dom) must show the demo's known failures (tests/scripts/lib/status_page_check.py):
# the verdict, carrier trunks by health with the reason (OPTIONS, QoS, disconnected), the
# offline edge, sites with their ratios, certificates by days left (expired, expiring,
# self-signed), firing alerts with since when, and the sources. The page is read again with
# JavaScript disabled. Trunk 1 and edge 2 are taken down through /sim/v1 once the timeline
# (which brings them back) has ended.
# GX_STATUS_SCREENSHOTS=DIR also writes DIR/status.png (1280x900) and DIR/status-phone.png
# (a phone's width) of the checked page: how docs/images/ is made.
# Needs: genesys_exporter and genesys_sim in GX_BINARY_DIR, chromium, curl, python3.
# Without chromium it skips (exit 77). About 20 s; every wait has a deadline, the whole run 55 s.
set -euo pipefail
SRC="${GX_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
BIN="${GX_BINARY_DIR:-$SRC/build}"
LIB="$SRC/tests/scripts/lib"
TIME_SCALE=20  # the demo timeline ends at 120 s / 20 = 6 s

CHROMIUM="$(command -v chromium || command -v chromium-browser || true)"
if [[ -z "$CHROMIUM" ]]; then
  echo "status_page_browser_test: SKIP: chromium is not installed (scripts/install-deps installs it)"
  exit 77
fi
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$LIB/common.sh"
require_tools status_page_browser_test curl python3
require_binaries status_page_browser_test "$BIN" genesys_exporter genesys_sim

TMP="$(mktemp -d /tmp/gx-status.XXXXXX)"
pids=()
started=$SECONDS
cleanup() {
  local rc=$?
  stop_children "${pids[@]}"
  if [[ $rc -ne 0 ]]; then
    show_logs "$TMP" 20
    [[ -f "$TMP/dom.html" ]] && { echo "--- the page as checked"; python3 "$LIB/status_page_check.py" dom "$TMP/dom.html"; }
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'echo "FAIL: stopped (interrupted, or over the 55 s bound)"; exit 130' INT TERM
# The whole run is bounded (ctest's TIMEOUT is 60 s): past 55 s it stops and cleans up itself.
# The watchdog's sleep dies with it, and holds none of the test's output open.
(trap 'kill "$nap" 2>/dev/null; exit 0' TERM; sleep 55 & nap=$!; wait "$nap" && kill -TERM $$) >/dev/null 2>&1 &
pids+=($!)

# One profile per run (no clash with another browser), no first-run work, nothing leaves the
# machine but the loopback page it is given.
chrome() {
  timeout 30 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run --no-default-browser-check \
    --disable-extensions --disable-background-networking --disable-sync --user-data-dir="${profile:-$TMP/profile}" \
    --hide-scrollbars "$@" 2>>"$TMP/chromium.log"
}

echo "== genesys_sim --scenario demo --time-scale $TIME_SCALE"
(cd "$SRC" && exec "$BIN/genesys_sim" --scenario demo --listen 127.0.0.1:0 --port-file "$TMP/sim.port" \
   --time-scale "$TIME_SCALE") >"$TMP/sim.log" 2>&1 & pids+=($!)
sim_started=$SECONDS
SIM="http://127.0.0.1:$(bound_port "$TMP/sim.port" 20)"
wait_for "genesys_sim control API" 10 curl -fs "$SIM/sim/v1/scenario"
curl -fs "$SIM/sim/v1/tls" >"$TMP/tls.json"  # the certificate cases and their listeners
CA_BUNDLE="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["caBundle"])' "$TMP/tls.json")"
USERS="$(curl -fs "$SIM/sim/v1/truth" | python3 -c 'import json,sys; print(json.dumps([u["id"] for u in json.load(sys.stdin)["users"]]))')"

echo "== genesys_exporter"
mkdir -p "$TMP/spool"
cat >"$TMP/exporter.yml" <<YML
rate_limit: {requests_per_minute: 300}
collection:
  users: $USERS
  intervals: {phones: 2s, stations: 5s, trunks: 2s, trunk_metrics: 2s, edges: 2s, edge_metrics: 5s, jitter: 0}
tls_probes:
  interval: 3s
  timeout: 2s
  ca_file: $CA_BUNDLE
alerting:
  evaluation_interval: 1s
  spool_dir: $TMP/spool
  rules:
    carrier_degradation: {for: 0s}
    edge_offline: {for: 0s}
    tls_cert_expiry: {for: 0s}
YML
export GENESYS_CLIENT_ID=demo-client GENESYS_CLIENT_SECRET=demo-secret GENESYS_API_URL="$SIM" GENESYS_LOGIN_URL="$SIM"
"$BIN/genesys_exporter" --config.file="$TMP/exporter.yml" --web.listen-address=127.0.0.1:0 \
  --web.port-file="$TMP/exporter.port" >"$TMP/exporter.log" 2>&1 & pids+=($!)
URL="http://127.0.0.1:$(bound_port "$TMP/exporter.port" 20)"
wait_for "the first full poll" 25 curl -fs "$URL/-/ready"

# After the timeline, which would bring them back.
while (( SECONDS - sim_started < 120 / TIME_SCALE + 1 )); do sleep 0.2; done
for mutation in '{"action":"trunk_connected","target":"1","connected":false}' \
                '{"action":"edge_online","target":"2","online":false}'; do
  curl -fs -X POST -H 'Content-Type: application/json' -d "$mutation" "$SIM/sim/v1/mutations" >/dev/null
done
echo "   stack up and failures driven after $((SECONDS - started))s: sim $SIM, exporter $URL"

echo "== chromium --dump-dom $URL/status shows the demo's failures"
end=$((SECONDS + 20))
until chrome --dump-dom "$URL/status" >"$TMP/dom.html" && python3 "$LIB/status_page_check.py" demo "$TMP/dom.html" \
        --tls "$TMP/tls.json" >"$TMP/check.out"; do
  if (( SECONDS > end )); then
    echo "FAIL: the page does not show the demo's failures after 20 s:"; cat "$TMP/check.out"; exit 1
  fi
  sleep 1
done
echo "   $(python3 "$LIB/status_page_check.py" dom "$TMP/dom.html" | head -1)"

echo "== the same with JavaScript disabled"
# A profile whose content settings block scripts (--blink-settings=scriptEnabled=false would
# also stop --dump-dom). A page whose script would rewrite it proves that they are blocked.
mkdir -p "$TMP/profile-nojs/Default"
echo '{"profile":{"default_content_setting_values":{"javascript":2}}}' >"$TMP/profile-nojs/Default/Preferences"
nojs() { profile="$TMP/profile-nojs" chrome "$@"; }
probe='data:text/html,<p id="js">off</p><script>document.getElementById("js").textContent="on"</script>'
nojs --dump-dom "$probe" | grep -q '<p id="js">off</p>' || { echo "FAIL: the no-JavaScript profile runs scripts"; exit 1; }
nojs --dump-dom "$URL/status" >"$TMP/dom-nojs.html"
if ! python3 "$LIB/status_page_check.py" demo "$TMP/dom-nojs.html" --tls "$TMP/tls.json" >"$TMP/check.out"; then
  echo "FAIL: with JavaScript off:"; cat "$TMP/check.out"; exit 1
fi

echo "== the landing page links it"
chrome --dump-dom "$URL/" >"$TMP/landing.html"
grep -q '<a href="/status">Status</a>' "$TMP/landing.html" || { echo "FAIL: / does not link /status"; exit 1; }

if [[ -n "${GX_STATUS_SCREENSHOTS:-}" ]]; then
  mkdir -p "$GX_STATUS_SCREENSHOTS"
  out="$(cd "$GX_STATUS_SCREENSHOTS" && pwd)"
  chrome --screenshot="$out/status.png" --window-size=1280,900 "$URL/status" >/dev/null
  chrome --screenshot="$out/status-phone.png" --window-size=390,844 "$URL/status" >/dev/null
  echo "   screenshots: $out/status.png, $out/status-phone.png"
fi
echo "status_page_browser_test: OK in $((SECONDS - started))s"
