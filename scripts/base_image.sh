#!/usr/bin/env bash
# Build a local Debian bookworm + python3 base image for machines that cannot pull
# python:3.11-slim (no registry reachable): debootstrap into var/, import as an image.
#   scripts/base_image.sh [IMAGE]      default IMAGE: localhost/hoagiai-base:bookworm
# Bookworm's python3 is 3.11, the version the project pins. Needs root and debootstrap.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/container_engine.sh
image=${1:-localhost/hoagiai-base:bookworm}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
rootfs=var/base-rootfs

pick_engine
if "${ENGINE[@]}" image exists "$image" 2>/dev/null ||
   "${ENGINE[@]}" image inspect "$image" >/dev/null 2>&1; then
  echo "base image $image exists"; exit 0
fi
command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install -y debootstrap" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "debootstrap needs root" >&2; exit 1; }

rm -rf "$rootfs"; mkdir -p "$rootfs"
echo "debootstrap bookworm into $rootfs (a few minutes)"
timeout 1200 debootstrap --variant=minbase \
  --include=python3,python3-venv,python3-pip,ca-certificates,tini \
  bookworm "$rootfs" "$mirror"
# Trim what an image never needs: apt lists, docs, man pages.
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin \
  "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/*
tar -C "$rootfs" -c . | "${ENGINE[@]}" import - "$image"
rm -rf "$rootfs"
echo "base image $image built"
