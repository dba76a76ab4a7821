#!/usr/bin/env bash
# Sourced by the image scripts: picks the container engine this machine has and sets
#   ENGINE  the command (docker, podman or buildah), with the flags that work here.
# Without a Docker engine, Debian's podman/buildah run as root with vfs storage and chroot
# isolation (no overlayfs or user namespaces needed). HOAGIAI_ENGINE forces a choice.
pick_engine() {
  local wanted=${HOAGIAI_ENGINE:-}
  if [ -z "$wanted" ]; then
    if command -v docker >/dev/null && timeout 5 docker info >/dev/null 2>&1; then wanted=docker
    elif command -v podman >/dev/null; then wanted=podman
    elif command -v buildah >/dev/null; then wanted=buildah
    fi
  fi
  case "$wanted" in
    docker) ENGINE=(docker); BUILD=(docker build) ;;
    podman) ENGINE=(podman --storage-driver vfs)
            BUILD=(podman --storage-driver vfs build --isolation chroot --network host) ;;
    buildah) ENGINE=(buildah --storage-driver vfs)
             BUILD=(buildah --storage-driver vfs bud --isolation chroot --network host) ;;
    *) cat >&2 <<'MSG'
No container engine found: install Docker, or on Debian/Ubuntu (as root):
  apt-get install -y podman buildah runc debootstrap
MSG
       return 1 ;;
  esac
  ENGINE_NAME=$wanted
}
