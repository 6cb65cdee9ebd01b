#!/usr/bin/env python3
"""Checks that an image adds to its base only what its binary needs: the packages that own the
libraries it links, ca-certificates, and what those depend on; no -dev package, no curl or wget.

  image_packages.py BASE_PKGS IMAGE_PKGS LDD OWNERS

BASE_PKGS, IMAGE_PKGS: `dpkg-query -W -f '${Package}\\t${Provides}\\t${Pre-Depends}, ${Depends}\\n'`
in the base and in the image; LDD: `ldd BINARY` in the image; OWNERS: `dpkg -S` of each linked
library in the image ("package:arch: path" lines).
"""

import re
import sys

# Not a library, but needed: the exporter verifies TLS peers against the system store.
ALSO_NEEDED = {"ca-certificates"}


def names(field):
    """Package names of a Depends-style field, every alternative kept, versions dropped."""
    return {re.sub(r"[\s(:].*$", "", alt.strip()) for dep in field.split(",") for alt in dep.split("|")
            if alt.strip()}


def read_packages(path):
    packages = {}
    for line in open(path):
        parts = line.rstrip("\n").split("\t")
        if parts and parts[0]:
            packages[parts[0]] = (names(parts[1]) if len(parts) > 1 else set(),
                                  names(parts[2]) if len(parts) > 2 else set())
    return packages


def closure(roots, packages):
    providers = {}
    for pkg, (provides, _) in packages.items():
        for virtual in provides | {pkg}:
            providers.setdefault(virtual, set()).add(pkg)
    seen, todo = set(), list(roots)
    while todo:
        pkg = todo.pop()
        for real in providers.get(pkg, set()) - seen:
            seen.add(real)
            todo.extend(packages[real][1])
    return seen


def check(base, image, ldd_lines, owner_lines):
    errors = [f"linked library not found: {line.strip()}" for line in ldd_lines if "not found" in line]
    owners = {line.split(":")[0].strip() for line in owner_lines if ":" in line}
    linked = sum(1 for line in ldd_lines if "=> /" in line)
    if linked == 0 or not owners:
        errors.append("no linked library and owning package found (is the binary dynamic?)")
    needed = closure(owners | ALSO_NEEDED, image)
    added = set(image) - set(base)
    for pkg in sorted(added - needed):
        errors.append(f"installs {pkg}, which no linked library needs")
    for pkg in sorted(added):
        if pkg.endswith("-dev") or pkg in ("curl", "wget"):
            errors.append(f"installs {pkg}")
    missing = ALSO_NEEDED - set(image)
    errors += [f"does not install {pkg}" for pkg in sorted(missing)]
    return errors, sorted(added)


def main(argv):
    if len(argv) != 5:
        sys.exit(__doc__)
    base, image = read_packages(argv[1]), read_packages(argv[2])
    errors, added = check(base, image, open(argv[3]).readlines(), open(argv[4]).readlines())
    print("image_packages: adds to the base:", " ".join(added))
    for e in errors:
        print("image_packages:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
