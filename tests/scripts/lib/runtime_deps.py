#!/usr/bin/env python3
"""Checks that an image or a package brings every shared library the built binaries need:
ldd -> owning Debian package (dpkg -S) -> that package, or a dependency of one that the
Dockerfile's runtime stage installs (or the .deb depends on), or a package every Debian 12 image has.

  runtime_deps.py --dockerfile DOCKERFILE BINARY...
  runtime_deps.py --deb PACKAGE.deb BINARY...
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


def runtime_packages(dockerfile):
    text = re.sub(r"\\\n", " ", open(dockerfile).read())
    runtime = text[text.rfind("\nFROM"):]
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
    for binary in binaries:
        for line in run("ldd", binary).splitlines():
            if "not found" in line:
                errors.append(f"{binary}: {line.strip()}")
                continue
            m = re.search(r"=>\s+(/\S+)", line)
            if not m:
                continue
            pkg = owner(m.group(1))
            if pkg is None:
                errors.append(f"{binary}: {m.group(1)} belongs to no Debian package")
            elif pkg.split(":")[0] not in available and not provides(pkg) & available:
                errors.append(f"{os.path.basename(binary)} needs {pkg} ({m.group(1)}), which {what}")
    for e in sorted(set(errors)):
        print("runtime_deps:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    if len(sys.argv) < 4 or sys.argv[1] not in ("--dockerfile", "--deb"):
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
