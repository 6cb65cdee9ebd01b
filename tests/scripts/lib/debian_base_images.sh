#!/usr/bin/env bash
# Makes the debian:12 and debian:12-slim root file systems that the Dockerfile builds FROM, as
# tarballs for `docker import`, where no container registry is reachable: debootstrap's minbase
# from the machine's configured Debian mirror, plus the apt/dpkg settings the official images
# carry; slim also drops documentation, manuals and locales, and keeps them out of later
# installs. Cached: an existing tarball is reused (delete it to refresh).
#
#   debian_base_images.sh CACHE_DIR     -> CACHE_DIR/debian-12.tar, CACHE_DIR/debian-12-slim.tar
#
# Needs root (debootstrap) and network access to the mirror.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${1:?usage: debian_base_images.sh CACHE_DIR}"
full="$cache/debian-12.tar"
slim="$cache/debian-12-slim.tar"
if [[ -s "$full" && -s "$slim" ]]; then
  exit 0
fi
mkdir -p "$cache"
work="$(mktemp -d "$cache/rootfs.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mirror="$(python3 "$here/debian_sources.py" --mirror)"
root="$work/root"

echo "debian_base_images: debootstrap --variant=minbase bookworm from $mirror"
debootstrap --variant=minbase bookworm "$root" "$mirror" > "$work/debootstrap.log" 2>&1 || {
  tail -n 30 "$work/debootstrap.log"; echo "debian_base_images: debootstrap failed"; exit 1; }

# apt inside the image uses the same archive (and updates, security) as this machine.
rm -f "$root/etc/apt/sources.list"
python3 "$here/debian_sources.py" --deb822 > "$root/etc/apt/sources.list.d/debian.sources"
# What the official images set: no services started by package scripts, no cached .debs or
# translations, gzipped lists, no Suggests pulled in by autoremove.
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
chmod 0755 "$root/usr/sbin/policy-rc.d"
cat > "$root/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
echo 'Acquire::Languages "none";' > "$root/etc/apt/apt.conf.d/docker-no-languages"
echo 'Acquire::GzipIndexes "true";' > "$root/etc/apt/apt.conf.d/docker-gzip-indexes"
echo 'Apt::AutoRemove::SuggestsImportant "false";' > "$root/etc/apt/apt.conf.d/docker-autoremove-suggests"
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
  "$root"/var/log/*.log "$root"/var/log/apt/* "$root"/tmp/* "$root"/root/.bash_history
: > "$root/etc/machine-id"
echo "debian_base_images: $(du -sh "$root" | cut -f1) debian:12 root"
tar --numeric-owner -C "$root" -cf "$full.part" . && mv "$full.part" "$full"

# slim: no documentation (copyright files stay), manuals or locales, now or after later installs.
cat > "$root/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
rm -rf "$root"/usr/share/man/* "$root"/usr/share/groff/* "$root"/usr/share/info/* \
  "$root"/usr/share/lintian/* "$root"/usr/share/linda/*
find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +
echo "debian_base_images: $(du -sh "$root" | cut -f1) debian:12-slim root"
tar --numeric-owner -C "$root" -cf "$slim.part" . && mv "$slim.part" "$slim"
