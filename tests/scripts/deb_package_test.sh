#!/usr/bin/env bash
# The Debian package (cmake/gx_install.cmake, packaging/): cpack makes the .deb from the build
# folder under test (what is built, no rebuild: seconds), dpkg -x unpacks it into a throw-away
# root, and the checks are
#   - control: name, version, Depends that cover every library the binary links (ldd -> dpkg -S),
#     conffiles = the files under /etc, maintainer scripts that parse;
#   - layout: binary, unit, /etc/default file (root-only), example config, rules (and a render
#     that works from there), dashboards, docs; no simulator; plain cmake --install leaves out
#     the .deb-only files and the simulator;
#   - unit: the hardening it promises, systemd-analyze verify without a warning (the optional
#     socket unit too), an exposure of
#     at most 2.0 (systemd-analyze security), the example's spool inside its StateDirectory;
#   - the unpacked binary: --version, and --config.check on the example configuration (valid
#     with credentials in the environment, refused without them).
# Needs cpack and dpkg-deb (exit 77, a ctest skip, without them), systemd-analyze, python3.
set -euo pipefail
SRC="${GX_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$SRC/tests/scripts/lib/common.sh"
BIN="${GX_BINARY_DIR:-$SRC/build}"
for tool in cpack dpkg-deb; do
  command -v "$tool" >/dev/null || { echo "deb_package_test: SKIPPED: $tool not found (scripts/install-deps)"; exit 77; }
done
if [[ ! -x "$BIN/genesys_exporter" || ! -f "$BIN/CPackConfig.cmake" ]]; then
  echo "deb_package_test: FAILED: no genesys_exporter and CPackConfig.cmake in $BIN (build first)"
  exit 1
fi
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
ROOT="$TMP/root"
UNIT_PATH=lib/systemd/system/genesys-exporter.service
SOCKET_PATH=lib/systemd/system/genesys-exporter.socket
DEFAULT_PATH=etc/default/genesys-exporter
CONFIG_PATH=etc/genesys_exporter/config.yml
SHARE=usr/share/genesys_exporter

step "cpack -G DEB on $BIN"
cpack -G DEB --config "$BIN/CPackConfig.cmake" -B "$TMP/out" > "$TMP/cpack.log" 2>&1 \
  || { cat "$TMP/cpack.log"; echo "deb_package_test: FAILED: cpack"; exit 1; }
debs=("$TMP"/out/*.deb)
[[ ${#debs[@]} -eq 1 && -f "${debs[0]}" ]] || { cat "$TMP/cpack.log"; echo "deb_package_test: FAILED: not one .deb"; exit 1; }
DEB="${debs[0]}"
echo "$(basename "$DEB"): $(stat -c %s "$DEB") bytes"
dpkg -x "$DEB" "$ROOT"
dpkg-deb -e "$DEB" "$TMP/control"
dpkg-deb -c "$DEB" > "$TMP/contents"

step "control fields"
version="$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$BIN/CPackConfig.cmake")"
[[ "$(dpkg-deb -f "$DEB" Package)" == genesys-exporter ]] || bad "Package is not genesys-exporter"
[[ -n "$version" && "$(dpkg-deb -f "$DEB" Version)" == "$version" ]] || bad "Version is not the project's ($version)"
depends="$(dpkg-deb -f "$DEB" Depends)"
echo "Depends: $depends"
for pkg in libc6 libssl3 ca-certificates; do
  [[ ",$depends," =~ [,\ ]$pkg[\ ,] ]] || bad "Depends lacks $pkg"
done
python3 "$SRC/tests/scripts/lib/runtime_deps.py" --deb "$DEB" "$ROOT/usr/bin/genesys_exporter" \
  || bad "Depends misses a library the binary links"

step "conffiles are the files under /etc; maintainer scripts parse"
sort "$TMP/control/conffiles" > "$TMP/conffiles"
(cd "$ROOT" && find etc -type f | sed 's#^#/#' | sort) > "$TMP/etc_files"
diff -u "$TMP/etc_files" "$TMP/conffiles" || bad "conffiles differ from the files under /etc"
for script in postinst prerm postrm; do
  [[ -x "$TMP/control/$script" ]] || { bad "no executable $script"; continue; }
  sh -n "$TMP/control/$script" || bad "$script does not parse"
done

step "layout"
for f in usr/bin/genesys_exporter "$SHARE/rules/render"; do
  [[ -x "$ROOT/$f" ]] || bad "/$f is missing or not executable"
done
for f in "$UNIT_PATH" "$SOCKET_PATH" "$DEFAULT_PATH" "$CONFIG_PATH" "$SHARE/config.example.yml" \
         usr/share/doc/genesys-exporter/README.md usr/share/doc/genesys-exporter/docs/configuration.md; do
  [[ -f "$ROOT/$f" ]] || bad "/$f is missing"
done
cmp -s "$SRC/packaging/config.example.yml" "$ROOT/$CONFIG_PATH" || bad "/$CONFIG_PATH is not packaging/config.example.yml"
cmp -s "$SRC/packaging/config.example.yml" "$ROOT/$SHARE/config.example.yml" || bad "/$SHARE/config.example.yml differs"
for f in "$SRC"/rules/*.yml; do
  cmp -s "$f" "$ROOT/$SHARE/rules/$(basename "$f")" || bad "rules/$(basename "$f") is not shipped as is"
done
for f in "$SRC"/dashboards/*.json; do
  cmp -s "$f" "$ROOT/$SHARE/dashboards/$(basename "$f")" || bad "dashboards/$(basename "$f") is not shipped as is"
done
[[ ! -e "$ROOT/usr/bin/genesys_sim" ]] || bad "the simulator is in the .deb"
# systemd reads the environment file as root; it holds the client secret.
grep -Eq '^-rw------- root/root .* \./'"$DEFAULT_PATH"'$' "$TMP/contents" || bad "/$DEFAULT_PATH is not root-only (0600 root:root)"
if grep -v '^d' "$TMP/contents" | grep -v ' root/root ' | grep .; then bad "files not owned by root"; fi

step "the packaged rules/render scopes the packaged rules"
python3 "$ROOT/$SHARE/rules/render" --selector 'job="genesys"' --out "$TMP/rendered" > /dev/null 2>&1 \
  || bad "/$SHARE/rules/render --out failed"
for f in "$SRC"/rules/*.yml; do
  grep -q 'job="genesys"' "$TMP/rendered/$(basename "$f")" 2>/dev/null || bad "render did not scope $(basename "$f")"
done

step "cmake --install: no unit, /etc or simulator; --component simulator adds genesys_sim"
DESTDIR="$TMP/inst" cmake --install "$BIN" --prefix /opt/gx > /dev/null || bad "cmake --install"
for f in bin/genesys_exporter share/genesys_exporter/config.example.yml share/genesys_exporter/rules/render; do
  [[ -f "$TMP/inst/opt/gx/$f" ]] || bad "cmake --install has no $f"
done
if find "$TMP/inst" -name 'genesys-exporter.service' -o -name 'genesys-exporter.socket' -o -name genesys_sim -o -path '*/etc/*' | grep .; then
  bad "cmake --install installs files of the .deb only, or the simulator"
fi
DESTDIR="$TMP/inst" cmake --install "$BIN" --prefix /opt/gx --component simulator > /dev/null || bad "cmake --install --component simulator"
[[ -x "$TMP/inst/opt/gx/bin/genesys_sim" ]] || bad "--component simulator does not install genesys_sim"

step "unit: the hardening it promises"
unit="$ROOT/$UNIT_PATH"
for line in DynamicUser=yes StateDirectory=genesys_exporter ProtectSystem=strict NoNewPrivileges=yes \
            Restart=on-failure EnvironmentFile=-/$DEFAULT_PATH WantedBy=multi-user.target; do
  grep -qx "$line" "$unit" || bad "the unit has no $line"
done
exec_start="$(sed -n 's/^ExecStart=//p' "$unit")"
read -r -a argv <<< "$exec_start"
[[ -x "$ROOT${argv[0]}" ]] || bad "ExecStart runs ${argv[0]}, which the package does not have"
[[ " $exec_start " == *" --config.file=/$CONFIG_PATH "* ]] || bad "ExecStart does not read /$CONFIG_PATH"
[[ " $exec_start " == *' $ARGS '* ]] || bad "ExecStart does not pass \$ARGS from /$DEFAULT_PATH"
# systemctl reload sends SIGHUP, which re-reads the configuration (docs/configuration.md#reload).
grep -qx 'ExecReload=/bin/kill -HUP $MAINPID' "$unit" || bad "the unit has no ExecReload sending SIGHUP"
[[ -x /bin/kill ]] || bad "ExecReload runs /bin/kill, which this system does not have"
state_dir="/var/lib/$(sed -n 's/^StateDirectory=//p' "$unit")"
spool_dir="$(sed -n 's/^  spool_dir: *\([^ #]*\).*/\1/p' "$ROOT/$CONFIG_PATH")"
[[ "$spool_dir" == "$state_dir"/* ]] || bad "the example's spool_dir ($spool_dir) is outside the StateDirectory ($state_dir)"

step "/$DEFAULT_PATH: every variable is ARGS or one the exporter reads"
while read -r name; do
  [[ "$name" == ARGS ]] && continue
  grep -q "\`$name\`" "$SRC/docs/configuration.md" || bad "/$DEFAULT_PATH sets $name, which docs/configuration.md does not name"
done < <(sed -n 's/^#\{0,1\}\([A-Z_][A-Z0-9_]*\)=.*/\1/p' "$ROOT/$DEFAULT_PATH")
grep -q '^ARGS=' "$ROOT/$DEFAULT_PATH" || bad "/$DEFAULT_PATH does not define ARGS"

step "systemd-analyze verify and security"
if command -v systemd-analyze >/dev/null; then
  # verify wants the ExecStart binary to exist: point it at the unpacked one.
  mkdir -p "$TMP/unit"
  sed "s#^ExecStart=${argv[0]}#ExecStart=$ROOT${argv[0]}#" "$unit" > "$TMP/unit/genesys-exporter.service"
  cp "$ROOT/$SOCKET_PATH" "$TMP/unit/"
  # verify exits 0 on warnings (an unknown key is ignored): any output is a failure. The socket
  # is verified with the service it activates.
  if ! out="$(systemd-analyze verify "$TMP/unit/genesys-exporter.service" "$TMP/unit/genesys-exporter.socket" 2>&1)" \
     || [[ -n "$out" ]]; then
    echo "$out"
    bad "systemd-analyze verify"
  fi
  for line in ListenStream=9786 BindIPv6Only=both WantedBy=sockets.target; do
    grep -qx "$line" "$ROOT/$SOCKET_PATH" || bad "the socket unit has no $line"
  done
  if ! out="$(systemd-analyze security --offline=yes --threshold=20 "$TMP/unit/genesys-exporter.service" 2>&1)"; then
    echo "$out" | grep -v '^✓'
    bad "systemd-analyze security: exposure above 2.0"
  fi
  echo "$out" | grep 'Overall exposure' || true
else
  bad "systemd-analyze not found (scripts/install-deps installs systemd)"
fi

step "the unpacked binary: --version, --config.check on the example"
"$ROOT/usr/bin/genesys_exporter" --version > "$TMP/version" || bad "--version failed"
grep -q "version $version\b" "$TMP/version" || { cat "$TMP/version"; bad "--version does not print $version"; }
# --config.check creates the spool folder: make it the unpacked root's, not the host's.
sed "s#$state_dir/#$ROOT$state_dir/#" "$ROOT/$CONFIG_PATH" > "$TMP/config.yml"
[[ "$(diff "$ROOT/$CONFIG_PATH" "$TMP/config.yml" | grep -c '^>')" -eq 1 ]] || bad "expected one spool_dir line to point at the root"
clean_env=(env -u GENESYS_CLIENT_ID -u GENESYS_CLIENT_SECRET -u GENESYS_REGION -u GENESYS_API_URL -u GENESYS_LOGIN_URL)
if "${clean_env[@]}" GENESYS_CLIENT_ID=example-client GENESYS_CLIENT_SECRET=example-secret GENESYS_REGION=mypurecloud.ie \
     "$ROOT/usr/bin/genesys_exporter" --config.check --config.file="$TMP/config.yml" > "$TMP/check" 2>&1; then
  grep -q '^configuration is valid$' "$TMP/check" || { cat "$TMP/check"; bad "--config.check did not say valid"; }
  [[ -d "$ROOT$spool_dir" ]] || bad "--config.check did not create $ROOT$spool_dir"
else
  cat "$TMP/check"
  bad "the example configuration fails --config.check with credentials in the environment"
fi
if "${clean_env[@]}" "$ROOT/usr/bin/genesys_exporter" --config.check --config.file="$TMP/config.yml" > "$TMP/check" 2>&1; then
  bad "--config.check accepts the example without credentials"
fi
grep -q 'GENESYS_CLIENT_ID' "$TMP/check" || { cat "$TMP/check"; bad "without credentials, --config.check does not name GENESYS_CLIENT_ID"; }

if [[ $fail -ne 0 ]]; then echo "deb_package_test: FAILED"; exit 1; fi
echo "deb_package_test: OK"
