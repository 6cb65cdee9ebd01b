#!/usr/bin/env bash
# docker-compose.yml, Dockerfile and deploy/: the compose file validates (no Docker engine
# needed), everything it mounts exists, the Prometheus and Alertmanager configs it mounts are
# valid, and the Dockerfile keeps its promises, read statically (tests/scripts/lib/dockerfile_check.py;
# tests/scripts/docker_image_test.sh builds and runs it): stages, non-root, labels, the volume,
# a health check without curl that passes against a real exporter, and runtime packages that
# match the libraries each program links.
set -euo pipefail
SRC="${GX_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$SRC/tests/scripts/lib/common.sh"
BIN="${GX_BINARY_DIR:-}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
cd "$SRC"

step "docker-compose config -q"
command -v docker-compose >/dev/null || { echo "compose_test: docker-compose not found"; exit 1; }
docker-compose -f "$SRC/docker-compose.yml" config -q || bad "docker-compose config -q"
docker-compose -f "$SRC/docker-compose.yml" config > "$TMP/resolved.yml" 2>/dev/null || bad "docker-compose config"

step "services, commands, environment, mounted files"
python3 - "$SRC" "$TMP/resolved.yml" <<'PY' || bad "compose content"
import os, sys, yaml
src, resolved = sys.argv[1], sys.argv[2]
doc = yaml.safe_load(open(resolved))
svcs = doc["services"]
errors = []
for name in ("genesys_sim", "genesys_exporter", "prometheus", "alertmanager", "grafana"):
    if name not in svcs:
        errors.append(f"service {name} is missing")
sim = svcs.get("genesys_sim", {})
cmd = sim.get("command") or []
cmd = cmd if isinstance(cmd, list) else cmd.split()
if "--scenario" not in cmd or cmd[cmd.index("--scenario") + 1] != "demo":
    errors.append("genesys_sim does not run the demo scenario")
exp = svcs.get("genesys_exporter", {})
env = exp.get("environment") or {}
want = {"GENESYS_CLIENT_ID": "demo-client", "GENESYS_CLIENT_SECRET": "demo-secret"}
for k, v in want.items():
    if env.get(k) != v:
        errors.append(f"genesys_exporter: {k} should be {v!r}, is {env.get(k)!r}")
for k in ("GENESYS_API_URL", "GENESYS_LOGIN_URL"):
    if not str(env.get(k, "")).startswith("http://"):
        errors.append(f"genesys_exporter: {k} does not point at the simulator")
# Every bind mount's host path exists (docker-compose config resolves them to absolute paths).
for name, svc in svcs.items():
    for vol in svc.get("volumes") or []:
        source = vol.get("source") if isinstance(vol, dict) else vol.split(":")[0]
        kind = vol.get("type", "bind") if isinstance(vol, dict) else ("bind" if source.startswith(("/", ".")) else "volume")
        if kind == "bind" and not os.path.exists(source):
            errors.append(f"{name}: mounts {source}, which does not exist")
    build = svc.get("build")
    if build:
        ctx = build.get("context") if isinstance(build, dict) else build
        dockerfile = (build.get("dockerfile") if isinstance(build, dict) else None) or "Dockerfile"
        if not os.path.exists(os.path.join(ctx, dockerfile)):
            errors.append(f"{name}: no {dockerfile} in build context {ctx}")
# The mounted rules directory holds the rule files Prometheus loads.
prom = yaml.safe_load(open(os.path.join(src, "deploy/prometheus.yml")))
for rf in prom.get("rule_files", []):
    if not os.path.exists(os.path.join(src, "rules", os.path.basename(rf))):
        errors.append(f"deploy/prometheus.yml loads {rf}, which rules/ does not have")
targets = [t for sc in prom["scrape_configs"] for c in sc.get("static_configs", []) for t in c["targets"]]
if not any(t.endswith(":9786") for t in targets):
    errors.append("deploy/prometheus.yml does not scrape the exporter on port 9786")
for e in errors:
    print("compose:", e)
sys.exit(1 if errors else 0)
PY

step "deploy/prometheus.yml (promtool check config, with the repo's rules)"
sed "s#/etc/prometheus/rules/#$SRC/rules/#" "$SRC/deploy/prometheus.yml" > "$TMP/prometheus.yml"
promtool check config "$TMP/prometheus.yml" || bad "promtool check config"

step "deploy/alertmanager.yml (amtool check-config)"
if command -v amtool >/dev/null; then
  amtool check-config "$SRC/deploy/alertmanager.yml" >/dev/null || bad "amtool check-config"
  # The inhibit rules and the route only use labels the alerts carry.
  python3 - "$SRC" <<'PY' || bad "alertmanager config refers to unknown alerts"
import re, sys, yaml
src = sys.argv[1]
alerts = set(re.findall(r"alert: (\w+)", open(f"{src}/rules/genesys_alerts.yml").read()))
am = open(f"{src}/deploy/alertmanager.yml").read()
named = set(re.findall(r"Genesys\w+", am))
unknown = named - alerts
if unknown:
    print("unknown alerts:", ", ".join(sorted(unknown)))
    sys.exit(1)
PY
else
  echo "(amtool not installed: skipped)"
fi

step "Dockerfile (stages, user, labels, volume, health check; compose's targets)"
python3 "$SRC/tests/scripts/lib/dockerfile_check.py" "$SRC" "$TMP/resolved.yml" || bad "Dockerfile"

step "each runtime stage installs exactly the packages of the libraries its program links"
if command -v dpkg >/dev/null; then
  for b in genesys_exporter genesys_sim; do
    if [[ -n "$BIN" && -x "$BIN/$b" ]]; then
      python3 "$SRC/tests/scripts/lib/runtime_deps.py" --dockerfile "$SRC/Dockerfile:$b" "$BIN/$b" \
        || bad "Dockerfile stage $b installs too little or too much"
    else
      echo "(no built $b in GX_BINARY_DIR: skipped)"
    fi
  done
else
  echo "(no dpkg: skipped)"
fi

step "the images' health check (packaging/docker/http-healthcheck) against a live exporter"
if [[ -n "$BIN" && -x "$BIN/genesys_exporter" ]]; then
  probe="$SRC/packaging/docker/http-healthcheck"
  # Genesys unreachable: alive (/-/healthy 200) but never ready (/-/ready 503).
  GENESYS_CLIENT_ID=x GENESYS_CLIENT_SECRET=y GENESYS_API_URL=http://127.0.0.1:1 GENESYS_LOGIN_URL=http://127.0.0.1:1 \
    "$BIN/genesys_exporter" --web.listen-address=127.0.0.1:0 --web.port-file="$TMP/healthcheck-exporter.port" \
    > "$TMP/healthcheck-exporter.log" 2>&1 &
  exporter_pid=$!
  port="$(bound_port "$TMP/healthcheck-exporter.port")"
  "$probe" "127.0.0.1:$port" || bad "http-healthcheck: /-/healthy of a running exporter fails"
  "$probe" "127.0.0.1:$port" /-/ready >/dev/null && bad "http-healthcheck passes on /-/ready's 503"
  kill "$exporter_pid"; wait "$exporter_pid" 2>/dev/null || true
  "$probe" "127.0.0.1:$port" >/dev/null && bad "http-healthcheck passes with the exporter stopped"
else
  echo "(no built genesys_exporter in GX_BINARY_DIR: skipped)"
fi

step "deploy/genesys_exporter.yml passes the exporter's own --config.check"
if [[ -n "$BIN" && -x "$BIN/genesys_exporter" ]] && "$BIN/genesys_exporter" --help 2>&1 | grep -q -- '--config.check'; then
  GENESYS_CLIENT_ID=demo-client GENESYS_CLIENT_SECRET=demo-secret \
  GENESYS_API_URL=http://127.0.0.1:8080 GENESYS_LOGIN_URL=http://127.0.0.1:8080 \
    "$BIN/genesys_exporter" --config.check --config.file="$SRC/deploy/genesys_exporter.yml" \
    || bad "deploy/genesys_exporter.yml is rejected by genesys_exporter --config.check"
else
  echo "(no built genesys_exporter with --config.check: skipped)"
fi

if [[ $fail -ne 0 ]]; then echo "compose_test: FAILED"; exit 1; fi
echo "compose_test: OK"
