#!/usr/bin/env python3
"""The Dockerfile keeps its promises, read statically (no Docker engine needed):

  dockerfile_check.py SRC [RESOLVED_COMPOSE_YML]

- every stage is Debian 12; stages build, genesys_sim and (last, the default) genesys_exporter;
- build: the -dev packages of scripts/install-deps (not GTest, Google Benchmark or the fuzzers'
  clang runtime: -DBUILD_TESTING=OFF),
  both programs built;
- each runtime stage: a non-root USER, no -dev package, no curl or wget, only its own program;
- genesys_exporter: OCI labels, EXPOSE 9786, the spool's folder a VOLUME, a HEALTHCHECK on
  /-/healthy whose program the stage copies in;
- every file the Dockerfile copies from the context exists and is not in .dockerignore;
- with the resolved compose file: every built service names a stage that exists, and each
  health check's program is in that service's image.
tests/scripts/docker_image_test.sh builds and runs the images for real.
"""

import fnmatch
import os
import re
import sys

OCI_LABELS = ("title", "description", "source", "version", "revision", "created")
STATE_DIR = "/var/lib/genesys_exporter"


def stages(text):
    """[(name, base image, body)] in order; name is '' for an unnamed stage."""
    joined = re.sub(r"\\\n", " ", text)
    found = []
    for m in re.finditer(r"^FROM\s+(\S+)(?:\s+AS\s+(\S+))?[^\n]*\n(.*?)(?=^FROM\s|\Z)", joined, re.M | re.S | re.I):
        found.append((m.group(2) or "", m.group(1), m.group(3)))
    return found


def installed(body):
    pkgs = set()
    for m in re.finditer(r"apt-get install ([^&\n]*)", body):
        pkgs |= {w for w in m.group(1).split() if not w.startswith("-")}
    return pkgs


def exec_form(instruction_args):
    """The program of a CMD/ENTRYPOINT-style argument list: exec form or shell form."""
    m = re.match(r'\s*\[\s*"([^"]+)"', instruction_args)
    return m.group(1) if m else instruction_args.split()[0] if instruction_args.split() else ""


def copied_paths(body):
    """Destination paths of COPY instructions (a destination ending in / gets the basename)."""
    paths = set()
    for m in re.finditer(r"^COPY\s+(.*)$", body, re.M):
        words = [w for w in m.group(1).split() if not w.startswith("--")]
        if len(words) < 2:
            continue
        *sources, dest = words
        for s in sources:
            paths.add(dest + os.path.basename(s) if dest.endswith("/") else dest)
    return paths


def context_sources(body):
    """Context files a stage copies (COPY without --from), '.' excluded."""
    out = []
    for m in re.finditer(r"^COPY\s+(.*)$", body, re.M):
        if "--from=" in m.group(1):
            continue
        words = [w for w in m.group(1).split() if not w.startswith("--")]
        out += [s for s in words[:-1] if s != "."]
    return out


def install_deps_dev_packages(src):
    """The -dev packages of scripts/install-deps' packages=( ... ) list."""
    text = open(os.path.join(src, "scripts", "install-deps")).read()
    m = re.search(r"^packages=\((.*?)^\)", text, re.S | re.M)
    if not m:
        raise SystemExit("scripts/install-deps: no packages=( ... ) list")
    words = " ".join(line.split("#", 1)[0] for line in m.group(1).splitlines()).split()
    # The image builds with BUILD_TESTING=OFF and no fuzzers: no tests, benchmarks or clang runtime.
    optional = {"libbenchmark-dev", "libgtest-dev", "libclang-rt-14-dev"}
    return [p for p in words if p.endswith("-dev") and p not in optional]


def check_runtime(name, body, program, other_program, errors):
    users = re.findall(r"^USER\s+(\S+)", body, re.M)
    if not users or users[-1].split(":")[0] in ("root", "0"):
        errors.append(f"stage {name} does not switch to a non-root user")
    for pkg in sorted(installed(body)):
        if pkg.endswith("-dev") or pkg in ("curl", "wget"):
            errors.append(f"stage {name} installs {pkg}")
    copied = copied_paths(body)
    if not any(os.path.basename(p) == program for p in copied):
        errors.append(f"stage {name} does not copy {program}")
    if any(os.path.basename(p) == other_program for p in copied):
        errors.append(f"stage {name} copies {other_program} too")
    entry = re.search(r"^ENTRYPOINT\s+(.*)$", body, re.M)
    if not entry or os.path.basename(exec_form(entry.group(1))) != program:
        errors.append(f"stage {name}'s ENTRYPOINT is not {program}")


def check_exporter(body, errors):
    labels = dict(re.findall(r'(org\.opencontainers\.image\.[\w.]+)="?([^"\s]*)"?', body))
    for key in OCI_LABELS:
        if f"org.opencontainers.image.{key}" not in labels:
            errors.append(f"no LABEL org.opencontainers.image.{key}")
    if not re.search(r"^EXPOSE\s+.*\b9786\b", body, re.M):
        errors.append("does not EXPOSE 9786")
    volumes = " ".join(re.findall(r"^VOLUME\s+(.*)$", body, re.M))
    if not re.search(rf'["\s\[]{re.escape(STATE_DIR)}["\s\]]|^{re.escape(STATE_DIR)}$', " " + volumes + " "):
        errors.append(f"{STATE_DIR} (the spool and the alert state) is not a VOLUME")
    health = re.search(r"^HEALTHCHECK\s.*?\bCMD\s+(.*)$", body, re.M)
    if not health or "/-/healthy" not in health.group(1):
        errors.append("no HEALTHCHECK on /-/healthy")
    else:
        tool = exec_form(health.group(1))
        if os.path.basename(tool) in ("curl", "wget"):
            errors.append(f"the HEALTHCHECK uses {tool}")
        elif tool not in copied_paths(body):
            errors.append(f"the HEALTHCHECK's program {tool} is not copied into the image")


def ignored(src, path):
    ignore = os.path.join(src, ".dockerignore")
    if not os.path.exists(ignore):
        return False
    for line in open(ignore):
        pattern = line.split("#", 1)[0].strip().rstrip("/")
        if pattern and (fnmatch.fnmatch(path, pattern) or path.startswith(pattern + "/")):
            return True
    return False


def check_compose(resolved, found, errors):
    import yaml  # only here: the Dockerfile checks need nothing beyond the standard library
    by_name = {name: body for name, _, body in found}
    last = found[-1][2] if found else ""
    for svc_name, svc in (yaml.safe_load(open(resolved)).get("services") or {}).items():
        build = svc.get("build")
        if build is None:
            continue
        target = build.get("target") if isinstance(build, dict) else None
        if target and target not in by_name:
            errors.append(f"compose service {svc_name} builds target {target}, which the Dockerfile lacks")
            continue
        body = by_name[target] if target else last
        test = (svc.get("healthcheck") or {}).get("test") or []
        if isinstance(test, list) and len(test) > 1 and test[0] == "CMD":
            if test[1] not in copied_paths(body) and os.path.basename(test[1]) not in installed(body):
                errors.append(f"compose service {svc_name}'s health check runs {test[1]}, which its image lacks")


def main(argv):
    if len(argv) not in (2, 3):
        sys.exit(__doc__)
    src = argv[1]
    found = stages(open(os.path.join(src, "Dockerfile")).read())
    errors = []
    names = [n for n, _, _ in found]
    if len(found) < 3:
        errors.append(f"expected stages build, genesys_sim, genesys_exporter, found {names}")
    for name, image, _ in found:
        if not image.startswith("debian:12"):
            errors.append(f"stage {name or '?'} is FROM {image}, not Debian 12")
    by_name = {n: body for n, _, body in found}
    if names and names[-1] != "genesys_exporter":
        errors.append(f"the last (default) stage is {names[-1] or 'unnamed'}, not genesys_exporter")
    build = by_name.get("build", "")
    if "build" not in by_name:
        errors.append("no build stage")
    if not re.search(r"-DBUILD_TESTING=OFF\b", build):
        errors.append("the build stage does not configure with -DBUILD_TESTING=OFF")
    if not re.search(r"--target\s+(genesys_exporter\s+genesys_sim|genesys_sim\s+genesys_exporter)\b", build):
        errors.append("the build stage does not build both genesys_exporter and genesys_sim")
    dev_packages = install_deps_dev_packages(src)
    if len(dev_packages) < 5:
        errors.append(f"scripts/install-deps lists only {len(dev_packages)} -dev packages")
    for pkg in dev_packages:
        if pkg not in installed(build):
            errors.append(f"the build stage does not install {pkg} (scripts/install-deps)")
    if "genesys_sim" in by_name:
        check_runtime("genesys_sim", by_name["genesys_sim"], "genesys_sim", "genesys_exporter", errors)
    else:
        errors.append("no genesys_sim stage")
    if "genesys_exporter" in by_name:
        check_runtime("genesys_exporter", by_name["genesys_exporter"], "genesys_exporter", "genesys_sim", errors)
        check_exporter(by_name["genesys_exporter"], errors)
    for _, _, body in found:
        for path in context_sources(body):
            if not os.path.exists(os.path.join(src, path)):
                errors.append(f"COPY {path}: no such file in the context")
            elif ignored(src, path):
                errors.append(f"COPY {path}: excluded by .dockerignore")
    if len(argv) == 3:
        check_compose(argv[2], found, errors)
    for e in dict.fromkeys(errors):  # in order, each once
        print("Dockerfile:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
