#!/usr/bin/env bash
# The one-way flow, enforced (README "Layout"): the lower layers include only what is below them.
#   exporter/util     only exporter/util
#   exporter/state    exporter/state, exporter/util
#   exporter/genesys  exporter/genesys, exporter/state, exporter/config, exporter/util
# so nothing in them reaches up into exporter/sources, exporter/outputs or exporter/app.
# A quoted include is a project path with one of the allowed prefixes, or the bare name of a file
# next to the includer; anything else ("../x.h", "simulator/...", "tests/...") fails.
set -euo pipefail
SRC="${GX_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
fail=0
checked=0

# check_layer DIR ALLOWED_PREFIX...
check_layer() {
  local dir="$1"; shift
  local file line target ok prefix
  [[ -d "$SRC/$dir" ]] || { echo "FAIL: $dir is missing"; fail=1; return; }
  while IFS= read -r file; do
    checked=$((checked + 1))
    while IFS= read -r line; do
      target="$(sed -E 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"([^"]*)".*/\1/' <<<"${line#*:}")"
      ok=0
      if [[ "$target" != */* ]]; then
        [[ -f "$(dirname "$file")/$target" ]] && ok=1
      else
        for prefix in "$@"; do
          [[ "$target" == "$prefix"/* ]] && ok=1
        done
      fi
      if (( ! ok )); then
        echo "FAIL: ${file#"$SRC"/}:${line%%:*}: includes \"$target\"; $dir may include only: $*"
        fail=1
      fi
    done < <(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$file" || true)
  done < <(find "$SRC/$dir" -type f \( -name '*.h' -o -name '*.cpp' \) | sort)
}

check_layer exporter/util exporter/util
check_layer exporter/state exporter/state exporter/util
check_layer exporter/genesys exporter/genesys exporter/state exporter/config exporter/util

# A check that reads no file cannot fail: make sure it saw the tree.
if (( checked < 50 )); then
  echo "FAIL: only $checked files checked under $SRC/exporter"
  fail=1
fi
if (( fail )); then exit 1; fi
echo "layering: $checked files include only their own layer or the ones below"
