#!/usr/bin/env python3
"""The machine's configured Debian 12 (bookworm) archive, read from /etc/apt/sources.list and
sources.list.d/ (one-line *.list and deb822 *.sources files; anything else there is ignored).

  debian_sources.py --mirror    the URI that serves "bookworm main" (for debootstrap)
  debian_sources.py --deb822    every bookworm* entry as one deb822 file (for the image's apt)

Exits 1, saying so, when no entry serves bookworm main.
"""

import glob
import os
import sys

SUITE = "bookworm"


def one_line_entries(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines()
    for line in lines:
        words = line.split("#", 1)[0].split()
        if len(words) < 4 or words[0] != "deb":
            continue
        words = [w for w in words[1:] if not (w.startswith("[") or w.endswith("]") or "=" in w)]
        if len(words) >= 3:
            yield {"uris": [words[0]], "suites": [words[1]], "components": words[2:]}


def deb822_entries(path):
    stanza = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines() + [""]
    for line in lines:
        if not line.strip():
            if stanza and "deb" in stanza.get("types", "").split() \
                    and stanza.get("enabled", "yes").lower() != "no":
                yield {"uris": stanza.get("uris", "").split(), "suites": stanza.get("suites", "").split(),
                       "components": stanza.get("components", "").split()}
            stanza = {}
        elif not line.startswith("#") and ":" in line and not line[0].isspace():
            key, value = line.split(":", 1)
            stanza[key.strip().lower()] = value.strip()


def entries(etc_apt="/etc/apt"):
    found = []
    if os.path.exists(f"{etc_apt}/sources.list"):
        found += one_line_entries(f"{etc_apt}/sources.list")
    for path in sorted(glob.glob(f"{etc_apt}/sources.list.d/*.list")):
        found += one_line_entries(path)
    for path in sorted(glob.glob(f"{etc_apt}/sources.list.d/*.sources")):
        found += deb822_entries(path)
    # Only Debian 12's own suites (bookworm, -updates, -security), not third-party archives.
    return [e for e in found if any(s == SUITE or s.startswith(SUITE + "-") for s in e["suites"])]


def main(mode, etc_apt="/etc/apt"):
    debian = entries(etc_apt)
    mirrors = [u for e in debian if SUITE in e["suites"] and "main" in e["components"] for u in e["uris"]]
    if not mirrors:
        print(f"debian_sources: no apt source serves '{SUITE} main'", file=sys.stderr)
        return 1
    if mode == "--mirror":
        print(mirrors[0])
        return 0
    for e in debian:
        print("Types: deb")
        print("URIs: " + " ".join(e["uris"]))
        print("Suites: " + " ".join(s for s in e["suites"] if s == SUITE or s.startswith(SUITE + "-")))
        print("Components: " + " ".join(e["components"]))
        print("Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg")
        print()
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in ("--mirror", "--deb822"):
        print(__doc__.strip(), file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
