# shellcheck shell=bash
# Shell helpers for the script tests (source it). Each test keeps its own TMP and pids.
#   require_tools NAME TOOL...       exit 1 naming the first TOOL not on PATH
#   require_binaries NAME DIR BIN... exit 1 naming the first BIN not built in DIR
#   wait_for DESCRIPTION SECONDS COMMAND...  poll COMMAND every 0.2 s; exit 1 after SECONDS
#   show_logs DIR [LINES]            the tail of every DIR/*.log
#   step WORDS...                    a heading, with the seconds since the script started
#   bad WORDS...                     say FAIL and set fail=1 (the script exits with it at the end)
#   free_port                        a loopback port nobody listens on now (bound and closed: another
#                                    process may take it before it is used), only for programs that
#                                    cannot say which port they took (Prometheus, Alertmanager) or to
#                                    be a dead target; our programs take port 0 and write a port file
#   alive PID / exit_status PID      whether a child runs; how a dead child ended
#   stop_children PID...             TERM each, then reap each (for the EXIT traps)
#   bound_port FILE [SECONDS]        the port a program started on port 0 wrote to FILE once it
#                                    answers (genesys_exporter --web.port-file, genesys_sim
#                                    --port-file, lib/*.py's port file argument; the first line when
#                                    there are several); exit 1 when it did not in time (default 30 s)
#   prometheus_config DIR AM_PORT    the head of a test Prometheus's configuration (1 s scrape and
#                                    evaluation, DIR/rules, Alertmanager at AM_PORT); the caller
#                                    appends its scrape_configs

require_tools() {
  local name="$1"; shift
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$name: $tool not found"; exit 1; }
  done
}

require_binaries() {
  local name="$1" dir="$2"; shift 2
  for b in "$@"; do
    [[ -x "$dir/$b" ]] || { echo "$name: $dir/$b not built"; exit 1; }
  done
}

wait_for() {
  local what="$1" secs="$2"; shift 2
  local end=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    if (( SECONDS > end )); then echo "FAIL: $what not ready after ${secs}s"; exit 1; fi
    sleep 0.2
  done
}

show_logs() {
  for f in "$1"/*.log; do
    [[ -f "$f" ]] || continue
    echo "--- $(basename "$f") (tail)"
    tail -n "${2:-25}" "$f"
  done
}

step() { echo "== $* (${SECONDS}s)"; }

fail=0
bad() { echo "FAIL: $*"; fail=1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

alive() { kill -0 "$1" 2>/dev/null; }

exit_status() {
  local rc=0
  wait "$1" 2>/dev/null || rc=$?
  if (( rc > 128 )); then echo "killed by signal $((rc - 128)) ($(kill -l $((rc - 128)) 2>/dev/null))"; else echo "exit status $rc"; fi
}

stop_children() {
  for pid in "$@"; do kill "$pid" 2>/dev/null || true; done
  for pid in "$@"; do wait "$pid" 2>/dev/null || true; done
}

bound_port() {
  local file="$1" secs="${2:-30}" port=""
  local end=$((SECONDS + secs))
  until port="$(head -n 1 "$file" 2>/dev/null)" && [[ "$port" =~ ^[0-9]+$ ]]; do
    if (( SECONDS > end )); then echo "FAIL: no port in $file after ${secs}s" >&2; exit 1; fi
    sleep 0.2
  done
  echo "$port"
}

prometheus_config() {
  cat <<YML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $1/rules/genesys_alerts.yml
  - $1/rules/genesys_recording.yml
alerting:
  alertmanagers:
    - static_configs:
        - targets: ["127.0.0.1:$2"]
YML
}
