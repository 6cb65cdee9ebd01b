#!/usr/bin/env python3
"""Checks that an image or a package brings every shared library the built binaries need:
ldd -> owning Debian package (dpkg -S) -> that package, or a dependency of one that the
Dockerfile's runtime stage installs (or the .deb depends on), or a package every Debian 12 image has.

  runtime_deps.py --dockerfile DOCKERFILE[:STAGE] BINARY...
  runtime_deps.py --deb PACKAGE.deb BINARY...

A Dockerfile's stage (the last one unless named) must also install nothing else: every package
its apt-get install names owns a library the binaries link, or is one of NOT_LIBRARIES.
"""

import os
import re
import subprocess
import sys

# In debian:12-slim already (priority required).
BASE = {"libc6", "libstdc++6", "libgcc-s1", "zlib1g", "libzstd1", "liblzma5", "libbz2-1.0",
        "libcrypt1", "libselinux1", "libpcre2-8-0", "libmd0", "libacl1", "libattr1"}


def run(*cmd):
    return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout


# Installed on purpose although no binary links them: the exporter verifies TLS peers
# against the system store.
NOT_LIBRARIES = {"ca-certificates"}


def stage_text(dockerfile, stage):
    """The text of one stage (FROM ... AS stage), or of the last one."""
    text = re.sub(r"\\\n", " ", open(dockerfile).read())
    starts = [m.start() for m in re.finditer(r"^FROM\s", text, re.M | re.I)]
    stages = [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])]
    if not stage:
        return stages[-1] if stages else ""
    for body in stages:
        if re.match(rf"FROM\s+\S+\s+AS\s+{re.escape(stage)}\s", body, re.I):
            return body
    sys.exit(f"runtime_deps: {dockerfile} has no stage {stage}")


def runtime_packages(dockerfile):
    path, _, stage = dockerfile.partition(":")
    runtime = stage_text(path, stage)
    pkgs = set()
    for m in re.finditer(r"apt-get install ([^&\n]*)", runtime):
        pkgs |= {w for w in m.group(1).split() if not w.startswith("-")}
    return pkgs


def deb_depends(deb):
    """The package names of a .deb's Depends field (versions dropped, every alternative kept)."""
    field = run("dpkg-deb", "--field", deb, "Depends")
    return {re.sub(r"[\s(].*$", "", alt.strip()) for dep in field.split(",") for alt in dep.split("|")
            if alt.strip()}


def provides(pkg):
    """The virtual names a package provides (libspdlog1.10 provides libspdlog1.10-fmt9)."""
    field = run("dpkg-query", "--show", "--showformat=${Provides}", pkg)
    return {re.sub(r"[\s(].*$", "", p.strip()) for p in field.split(",") if p.strip()}


def owner(path):
    for candidate in {path, os.path.realpath(path), path.replace("/usr/lib/", "/lib/", 1),
                      os.path.realpath(path).replace("/usr/lib/", "/lib/", 1)}:
        out = run("dpkg", "-S", candidate).strip()
        if out and ":" in out:
            return out.split(":")[0].split(",")[0].strip()
    return None


def main(kind, source, binaries):
    listed = runtime_packages(source) if kind == "--dockerfile" else deb_depends(source)
    what = "the runtime stage does not install" if kind == "--dockerfile" else "the .deb does not depend on"
    deps = run("apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests",
               "--no-conflicts", "--no-breaks", "--no-replaces", "--no-enhances", *sorted(listed))
    available = set(listed) | BASE
    available |= {re.sub(r":\w+$", "", line.split(":", 1)[1].strip().strip("<>"))
                  for line in deps.splitlines() if "Depends:" in line}
    available |= {line.strip() for line in deps.splitlines() if line and not line.startswith(" ")}
    errors = []
    owners = set()
    for binary in binaries:
        for line in run("ldd", binary).splitlines():
            if "not found" in line:
                errors.append(f"{binary}: {line.strip()}")
                continue
            m = re.search(r"=>\s+(/\S+)", line)
            if not m:
                continue
            pkg = owner(m.group(1))
            if pkg is not None:
                owners |= {pkg.split(":")[0]} | provides(pkg)
            if pkg is None:
                errors.append(f"{binary}: {m.group(1)} belongs to no Debian package")
            elif pkg.split(":")[0] not in available and not provides(pkg) & available:
                errors.append(f"{os.path.basename(binary)} needs {pkg} ({m.group(1)}), which {what}")
    if kind == "--dockerfile":
        for pkg in sorted(listed - owners - NOT_LIBRARIES):
            errors.append(f"{source} installs {pkg}, which owns no library the binaries link")
    for e in sorted(set(errors)):
        print("runtime_deps:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    if len(sys.argv) < 4 or sys.argv[1] not in ("--dockerfile", "--deb"):
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
