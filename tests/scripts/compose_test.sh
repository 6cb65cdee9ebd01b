#!/usr/bin/env bash
# docker-compose.yml, Dockerfile and deploy/: the compose file validates (no Docker engine
# needed), everything it mounts exists, the Prometheus and Alertmanager configs it mounts are
# valid, and the Dockerfile keeps its promises (multi-stage Debian 12, non-root, health check).
set -euo pipefail
SRC="${GX_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
BIN="${GX_BINARY_DIR:-}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
fail=0
step() { echo "== $*"; }
bad() { echo "FAIL: $*"; fail=1; }
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

step "Dockerfile"
python3 - "$SRC" <<'PY' || bad "Dockerfile"
import os, re, sys
src = sys.argv[1]
text = open(os.path.join(src, "Dockerfile")).read()
joined = re.sub(r"\\\n", " ", text)
stages = re.findall(r"^FROM\s+(\S+)(?:\s+AS\s+(\S+))?", joined, re.M | re.I)
errors = []
if len(stages) < 2:
    errors.append("not multi-stage")
if not all(img.startswith("debian:12") for img, _ in stages):
    errors.append(f"not every stage is Debian 12: {stages}")
runtime = joined[joined.rfind("\nFROM"):]
builder = joined[:joined.rfind("\nFROM")]
users = re.findall(r"^USER\s+(\S+)", runtime, re.M)
if not users or users[-1].split(":")[0] in ("root", "0"):
    errors.append("the runtime stage does not switch to a non-root user")
if not re.search(r"^HEALTHCHECK .*CMD .*-/healthy", runtime, re.M):
    errors.append("no HEALTHCHECK on /-/healthy")
hc_tool = re.search(r"^HEALTHCHECK .*CMD\s+(\S+)", runtime, re.M)
if hc_tool and hc_tool.group(1) not in runtime.split("HEALTHCHECK")[0]:
    errors.append(f"the health check's tool {hc_tool.group(1)} is not installed in the runtime stage")
if not re.search(r"^EXPOSE\s+.*\b9786\b", runtime, re.M):
    errors.append("does not expose 9786")
if not re.search(r"--target\s+genesys_exporter\s+genesys_sim|--target genesys_sim genesys_exporter", builder):
    errors.append("does not build both genesys_exporter and genesys_sim")
if re.search(r"apt-get install[^\n]*\S+-dev\b", runtime):
    errors.append("the runtime stage installs -dev packages")
# Every -dev package design.md asks for is installed in the builder.
design = os.path.join(src, "..", "shared", "docs", "design.md")
if os.path.exists(design):
    d = re.sub(r"\\\n", " ", open(design).read())
    m = re.search(r"apt-get install -y --no-install-recommends([^`]*)", d)
    # Benchmarks are not built in the image, so their library is optional there.
    optional = {"libbenchmark-dev"}
    wanted = [p for p in (m.group(1).split() if m else []) if p.endswith("-dev") and p not in optional]
    for p in wanted:
        if not re.search(rf"(?<![\w.-]){re.escape(p)}(?![\w.-])", builder):
            errors.append(f"builder does not install {p}")
for e in errors:
    print("Dockerfile:", e)
sys.exit(1 if errors else 0)
PY

step "the runtime stage installs every shared library the built binaries need"
bins=()
for b in genesys_exporter genesys_sim; do
  [[ -n "$BIN" && -x "$BIN/$b" ]] && bins+=("$BIN/$b")
done
if [[ ${#bins[@]} -gt 0 ]] && command -v dpkg >/dev/null; then
  python3 "$SRC/tests/scripts/lib/runtime_deps.py" --dockerfile "$SRC/Dockerfile" "${bins[@]}" \
    || bad "Dockerfile runtime stage misses a library"
else
  echo "(no built genesys_exporter/genesys_sim in GX_BINARY_DIR: skipped)"
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
