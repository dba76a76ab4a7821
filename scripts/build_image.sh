#!/usr/bin/env bash
# make image: build deploy/Dockerfile with whatever engine this machine has.
#   IMAGE=hoagiai:latest   the tag to build
#   BASE_IMAGE=...         the base; with docker the Dockerfile's python:3.11-slim, with
#                          podman/buildah (no registry here) a local Debian bookworm base
#                          that scripts/base_image.sh builds when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/container_engine.sh
pick_engine
image=${IMAGE:-localhost/hoagiai:latest}
args=()
if [ -n "${BASE_IMAGE:-}" ]; then
  args=(--build-arg "BASE_IMAGE=$BASE_IMAGE")
elif [ "$ENGINE_NAME" != docker ]; then
  base=localhost/hoagiai-base:bookworm
  bash scripts/base_image.sh "$base"
  args=(--build-arg "BASE_IMAGE=$base")
fi
# A proxy's CA (as on this kind of machine) reaches pip as a build secret, not a layer.
ca=${PIP_CERT:-${SSL_CERT_FILE:-}}
[ -n "$ca" ] && [ -f "$ca" ] && args+=(--secret "id=pip_ca,src=$ca")
echo "building $image with $ENGINE_NAME ${args[*]}"
started=$(date +%s)
"${BUILD[@]}" -f deploy/Dockerfile -t "$image" "${args[@]}" .
echo "built $image in $(( $(date +%s) - started )) s; size:"
"${ENGINE[@]}" images "$image"
