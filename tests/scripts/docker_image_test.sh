#!/usr/bin/env bash
# The container images, built and run for real (opt-in: scripts/test-docker; ctest skips it).
#   1. starts its own dockerd (Debian's docker.io) with its data, exec root, pid file and socket
#      in a temporary folder, no bridge and no iptables rules: it touches nothing else;
#   2. makes debian:12 and debian:12-slim locally (no registry is reachable): debootstrap from
#      the machine's Debian mirror, cached in ~/.cache/genesys_exporter/docker-base/;
#   3. builds the Dockerfile: the exporter image and the genesys_sim target, with -j2;
#   4. checks the exporter image: OCI labels, a non-root user, the spool in a VOLUME, the
#      health check, no simulator, no curl, and no package beyond the libraries the binary
#      links (ldd inside the image) and ca-certificates;
#   5. runs genesys_sim and the exporter as in docker-compose.yml (the exporter in the
#      simulator's network namespace, which has only a loopback): /-/ready, /metrics, the
#      health check turning healthy, the spool writable, and a clean exit on docker stop.
# Takes about 11 minutes on 2 shared cores, nearly all of it the build stage (apt, and a compile
# without ccache), 75 s more the first time (debootstrap), 6 with GX_DOCKER_DATA_ROOT kept.
# Needs root, dockerd, docker, debootstrap, nsenter, curl, python3 (scripts/install-deps --docker).
# GX_DOCKER_DATA_ROOT=DIR keeps the engine's images and layers there between runs (a rebuild
# then reuses the apt layers); by default everything goes with the temporary folder.
# GX_DOCKER_CACHE=DIR moves the base image cache, GX_DOCKER_JOBS=N the compile's jobs (2).
set -euo pipefail
SRC="${GX_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$SRC/tests/scripts/lib/common.sh"
CACHE="${GX_DOCKER_CACHE:-${HOME:-/root}/.cache/genesys_exporter/docker-base}"
name=docker_image_test
if [[ "${GX_DOCKER_TEST:-}" != 1 ]]; then
  echo "$name: SKIPPED: opt-in, it takes over 10 minutes (scripts/test-docker runs it)"
  exit 77
fi
[[ "$(id -u)" -eq 0 ]] || { echo "$name: SKIPPED: needs root to run dockerd and debootstrap"; exit 77; }
for tool in dockerd debootstrap nsenter curl python3; do
  command -v "$tool" >/dev/null || { echo "$name: SKIPPED: $tool not found (scripts/install-deps --docker)"; exit 77; }
done
# docker.io's own client, whatever else is on PATH (it matches the engine's API).
DOCKER_CLI="$(dirname "$(command -v dockerd)")/../bin/docker"
[[ -x "$DOCKER_CLI" ]] || DOCKER_CLI="$(command -v docker)"

TMP="$(mktemp -d /tmp/gx-docker.XXXXXX)"
SOCK="$TMP/docker.sock"
DATA_ROOT="${GX_DOCKER_DATA_ROOT:-$TMP/data}"
EXPORTER_IMAGE=gx-test/genesys_exporter:test
SIM_IMAGE=gx-test/genesys_sim:test
docker() { "$DOCKER_CLI" -H "unix://$SOCK" "$@"; }

stop_dockerd() {
  local pid
  pid="$(cat "$TMP/dockerd.pid" 2>/dev/null || true)"
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    docker rm -f gx-exporter gx-sim >/dev/null 2>&1 || true
    kill -TERM "$pid"
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  # Whatever the engine left mounted below the temporary folder (overlays, netns, shm).
  findmnt -rn -o TARGET | grep -F "$TMP/" | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  if findmnt -rn -o TARGET | grep -qF "$TMP/"; then
    echo "$name: $TMP still has mounts; left in place"
  else
    rm -rf --one-file-system "$TMP"
  fi
}
trap stop_dockerd EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step "dockerd (data $DATA_ROOT, socket $SOCK)"
mkdir -p "$DATA_ROOT" "$TMP/exec"
echo '{}' > "$TMP/daemon.json"   # not /etc/docker/daemon.json
dockerd --config-file "$TMP/daemon.json" --data-root "$DATA_ROOT" --exec-root "$TMP/exec" \
  --pidfile "$TMP/dockerd.pid" -H "unix://$SOCK" --bridge=none --iptables=false --ip6tables=false \
  --ip-masq=false > "$TMP/dockerd.log" 2>&1 &
for _ in $(seq 1 600); do
  docker version >/dev/null 2>&1 && break
  kill -0 $! 2>/dev/null || break
  sleep 0.1
done
docker version --format 'engine {{.Server.Version}}' || { tail -n 30 "$TMP/dockerd.log"; echo "$name: FAILED: dockerd did not start"; exit 1; }

step "base images debian:12 and debian:12-slim (cache $CACHE)"
"$SRC/tests/scripts/lib/debian_base_images.sh" "$CACHE"
for tag in 12 12-slim; do
  docker image inspect "debian:$tag" >/dev/null 2>&1 \
    || docker import --change 'CMD ["bash"]' "$CACHE/debian-$tag.tar" "debian:$tag" >/dev/null
done

revision="$(git -C "$SRC" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
branch="$(git -C "$SRC" rev-parse --abbrev-ref HEAD 2>/dev/null || echo unknown)"
epoch="$(git -C "$SRC" log -1 --format=%ct HEAD 2>/dev/null || date +%s)"
version="$(sed -n 's/^project(genesys_exporter VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")"
created="$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)"
# Both images from one snapshot of the tree, so that an edit during the test cannot make the
# second build differ from the first (or compile again).
mkdir "$TMP/context"
tar -C "$SRC" --exclude='./build*' --exclude=./.git -cf - . | tar -C "$TMP/context" -xf -
# The build stage's apt reaches the archive through the host's network (there is no bridge).
build_args=(--network host --build-arg JOBS="${GX_DOCKER_JOBS:-2}" --build-arg VERSION="$version"
  --build-arg REVISION="$revision" --build-arg BRANCH="$branch" --build-arg CREATED="$created"
  --build-arg SOURCE_DATE_EPOCH="$epoch")
step "docker build (exporter, the last stage)"
start=$SECONDS
DOCKER_BUILDKIT=0 docker build "${build_args[@]}" -t "$EXPORTER_IMAGE" "$TMP/context" > "$TMP/build.log" 2>&1 \
  || { tail -n 60 "$TMP/build.log"; echo "$name: FAILED: docker build"; exit 1; }
echo "built in $((SECONDS - start)) s, $(grep -c 'warning:' "$TMP/build.log") compiler warnings (a plain Release build)"
step "docker build --target genesys_sim"
DOCKER_BUILDKIT=0 docker build "${build_args[@]}" --target genesys_sim -t "$SIM_IMAGE" "$TMP/context" > "$TMP/build-sim.log" 2>&1 \
  || { tail -n 60 "$TMP/build-sim.log"; echo "$name: FAILED: docker build --target genesys_sim"; exit 1; }
for image in debian:12-slim "$SIM_IMAGE" "$EXPORTER_IMAGE"; do
  printf '%-36s %s MB\n' "$image" "$(docker image inspect --format '{{.Size}}' "$image" | awk '{printf "%.1f", $1 / 1e6}')"
done

step "exporter image: labels, user, volume, port, health check, contents"
docker image inspect --format '{{json .Config}}' "$EXPORTER_IMAGE" > "$TMP/config.json"
python3 - "$TMP/config.json" "$version" "$revision" "$created" <<'PY' || bad "image configuration"
import json, sys
config, version, revision, created = json.load(open(sys.argv[1])), *sys.argv[2:]
labels = config.get("Labels") or {}
errors = []
want = {"title": "genesys_exporter", "version": version, "revision": revision, "created": created}
for key, value in want.items():
    if labels.get(f"org.opencontainers.image.{key}") != value:
        errors.append(f"label org.opencontainers.image.{key} is {labels.get(f'org.opencontainers.image.{key}')!r}, not {value!r}")
for key in ("description", "source", "documentation"):
    if not labels.get(f"org.opencontainers.image.{key}"):
        errors.append(f"no label org.opencontainers.image.{key}")
user = (config.get("User") or "").split(":")[0]
if user in ("", "root", "0"):
    errors.append(f"runs as {user or 'root'}")
if "/var/lib/genesys_exporter" not in (config.get("Volumes") or {}):
    errors.append(f"no VOLUME /var/lib/genesys_exporter: {config.get('Volumes')}")
if "9786/tcp" not in (config.get("ExposedPorts") or {}):
    errors.append("does not expose 9786/tcp")
test = (config.get("Healthcheck") or {}).get("Test") or []
if not test or test[0] not in ("CMD", "CMD-SHELL") or "curl" in " ".join(test):
    errors.append(f"health check {test}")
if config.get("Entrypoint") != ["/usr/local/bin/genesys_exporter"]:
    errors.append(f"entrypoint {config.get('Entrypoint')}")
for e in errors:
    print("image:", e)
sys.exit(1 if errors else 0)
PY
in_image() { docker run --rm --network none --entrypoint bash "$1" -c "$2"; }
in_image "$EXPORTER_IMAGE" '! command -v curl && ! command -v wget && ! command -v genesys_sim' >/dev/null \
  || bad "the exporter image has curl, wget or genesys_sim"
in_image "$EXPORTER_IMAGE" 'genesys_exporter --version' > "$TMP/version.txt" || bad "--version in the image"
grep -q "version $version" "$TMP/version.txt" && grep -q "revision: $revision" "$TMP/version.txt" \
  || { cat "$TMP/version.txt"; bad "--version does not show version $version, revision $revision"; }
# The packages the image adds to debian:12-slim, against those the linked libraries need.
packages() {
  docker run --rm --network none --entrypoint dpkg-query "$1" -W \
    -f '${Package}\t${Provides}\t${Pre-Depends}, ${Depends}\n'
}
packages debian:12-slim > "$TMP/base.pkgs"
packages "$EXPORTER_IMAGE" > "$TMP/image.pkgs"
in_image "$EXPORTER_IMAGE" 'ldd /usr/local/bin/genesys_exporter' > "$TMP/ldd.txt"
# dpkg knows a library by the path its package ships (/lib or /usr/lib): look it up by name.
in_image "$EXPORTER_IMAGE" 'ldd /usr/local/bin/genesys_exporter | grep -o "=> /[^ ]*" | cut -c4- |
  while read -r l; do dpkg -S "*/$(basename "$(readlink -f "$l")")"; done' > "$TMP/owners.txt" \
  || bad "dpkg -S of the linked libraries"
python3 "$SRC/tests/scripts/lib/image_packages.py" "$TMP/base.pkgs" "$TMP/image.pkgs" "$TMP/ldd.txt" "$TMP/owners.txt" \
  || bad "the exporter image's packages"
in_image "$SIM_IMAGE" '! ldd /usr/local/bin/genesys_sim | grep "not found"' >/dev/null || bad "genesys_sim misses a library"

step "genesys_sim and the exporter, the exporter in the simulator's network namespace"
docker volume create gx-test-data >/dev/null
docker run -d --name gx-sim --network none "$SIM_IMAGE" >/dev/null
# The image's health check command, every 2 s instead of 30 s so the test need not wait.
docker run -d --name gx-exporter --network container:gx-sim \
  -e GENESYS_CLIENT_ID=demo-client -e GENESYS_CLIENT_SECRET=demo-secret \
  -e GENESYS_API_URL=http://127.0.0.1:8080 -e GENESYS_LOGIN_URL=http://127.0.0.1:8080 \
  -v "$TMP/context/deploy/genesys_exporter.yml:/etc/genesys_exporter/config.yml:ro" -v gx-test-data:/var/lib/genesys_exporter \
  --health-interval 2s --health-start-period 0s "$EXPORTER_IMAGE" >/dev/null
netns="/proc/$(docker inspect --format '{{.State.Pid}}' gx-sim)/ns/net"
http() { nsenter --net="$netns" curl -sS --max-time 5 "$@"; }
# poll SECONDS COMMAND...: until the command succeeds, at most SECONDS.
poll() {
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do
    [[ $SECONDS -lt $deadline ]] || return 1
    sleep 0.5
  done
}
ready() { [[ "$(http -o /dev/null -w '%{http_code}' http://127.0.0.1:9786/-/ready 2>/dev/null)" == 200 ]]; }
healthy() { [[ "$(docker inspect --format '{{.State.Health.Status}}' gx-exporter)" == healthy ]]; }
started=$SECONDS
if poll 120 ready; then
  echo "/-/ready answered 200 after $((SECONDS - started)) s"
  http -f http://127.0.0.1:9786/metrics > "$TMP/metrics.txt" || bad "/metrics"
  grep -q '^genesys_up 1$' "$TMP/metrics.txt" || bad "/metrics: no genesys_up 1"
  grep -q "^genesys_exporter_build_info{.*version=\"$version\"" "$TMP/metrics.txt" || bad "/metrics: no build_info for $version"
  grep -q '^genesys_phone_registered{' "$TMP/metrics.txt" || bad "/metrics: no genesys_phone_registered (per_phone in deploy/genesys_exporter.yml)"
  if grep '^genesys_collector_up{' "$TMP/metrics.txt" | grep -qv ' 1$'; then
    grep '^genesys_collector_up{' "$TMP/metrics.txt"; bad "/metrics: a collector is down"
  fi
else
  bad "/-/ready did not answer 200 within 120 s"
fi
echo "/metrics: $(grep -vc '^#' "$TMP/metrics.txt" 2>/dev/null) samples"
poll 60 healthy && echo "health: healthy after $((SECONDS - started)) s" || { docker inspect --format '{{json .State.Health}}' gx-exporter; bad "the health check did not report healthy"; }
# The check can fail: the same command against a port nothing listens on, and a missing path.
docker exec gx-exporter http-healthcheck 127.0.0.1:1 >/dev/null 2>&1 && bad "http-healthcheck passes on a closed port"
docker exec gx-exporter http-healthcheck 127.0.0.1:9786 /no-such-page >/dev/null 2>&1 && bad "http-healthcheck passes on a 404"
# docker-compose.yml's health check of genesys_sim, run in the simulator's image.
mapfile -t sim_check < <(python3 -c 'import sys, yaml
print("\n".join(yaml.safe_load(open(sys.argv[1]))["services"]["genesys_sim"]["healthcheck"]["test"][1:]))' \
  "$TMP/context/docker-compose.yml")
docker exec gx-sim "${sim_check[@]}" || bad "docker-compose.yml's genesys_sim health check fails: ${sim_check[*]}"
[[ "$(docker exec gx-exporter id -u)" != 0 ]] || bad "the exporter runs as root"
docker exec gx-exporter test -w /var/lib/genesys_exporter/spool || bad "the spool in the volume is not writable"
docker stop --time 20 gx-exporter >/dev/null
code="$(docker inspect --format '{{.State.ExitCode}}' gx-exporter)"
[[ "$code" == 0 ]] || { docker logs --tail 20 gx-exporter; bad "the exporter exited $code on docker stop (SIGTERM)"; }
docker logs gx-exporter > "$TMP/exporter.log" 2>&1
grep -q 'msg="shutting down" signal=SIGTERM' "$TMP/exporter.log" || bad "no 'shutting down' on SIGTERM in the exporter's log"
if [[ $fail -ne 0 ]]; then
  echo "--- exporter log"; tail -n 40 "$TMP/exporter.log"
  echo "--- simulator log"; docker logs --tail 20 gx-sim 2>&1
  echo "$name: FAILED"
  exit 1
fi
echo "$name: OK"
