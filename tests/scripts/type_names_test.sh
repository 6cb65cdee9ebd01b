#!/usr/bin/env bash
# One definition per type name: the libraries (exporter/, simulator/) all put their types into
# namespace gx and link together, so two classes of one name in two files are an ODR violation
# that no compiler or linker reports: the program silently uses one class's inline functions on
# the other's objects (alert "Notification" vs the Notification Service's, issue 16). This fails
# on any type name defined at namespace scope, outside an anonymous namespace, in two files.
set -euo pipefail
SRC="${GX_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
command -v python3 >/dev/null || { echo "SKIP: python3 is missing"; exit 77; }
python3 - "$SRC" <<'PY'
import os, re, sys
src = sys.argv[1]
open_ns = re.compile(r"^namespace\s*([\w:]*)\s*\{")
close_ns = re.compile(r"^\}\s*//\s*namespace\b")
# A definition at column 0 (the project's style for namespace scope), not a declaration.
type_def = re.compile(r"^(?:template\s*<[^>]*>\s*)?(?:struct|class|union|enum(?:\s+class|\s+struct)?)\s+(\w+)(?!\w|::)(?:\s+final)?\s*(?::[^;]*)?(?:\{|$)")
seen = {}
checked = 0
for top in ("exporter", "simulator"):
    for root, _, files in os.walk(os.path.join(src, top)):
        for name in sorted(files):
            if not name.endswith((".h", ".cpp")):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, src)
            checked += 1
            stack = []
            with open(path, encoding="utf-8") as f:
                for n, line in enumerate(f, 1):
                    m = open_ns.match(line)
                    if m:
                        stack.append(m.group(1))
                        continue
                    if close_ns.match(line):
                        if stack:
                            stack.pop()
                        continue
                    m = type_def.match(line)
                    if not m or line.rstrip().endswith(";") or "" in stack:
                        continue
                    qualified = "::".join(stack + [m.group(1)])
                    seen.setdefault(qualified, []).append(f"{rel}:{n}")
fail = False
for qualified, where in sorted(seen.items()):
    if len(where) > 1:
        print(f"FAIL: {qualified} is defined {len(where)} times: {', '.join(where)}")
        fail = True
if checked < 100 or len(seen) < 50:
    print(f"FAIL: only {checked} files and {len(seen)} types seen under {src}")
    fail = True
if fail:
    sys.exit(1)
print(f"type names: {len(seen)} types in {checked} files, each defined once")
PY
