#!/usr/bin/env bash
# Prove the built image runs: start it with the gateway command against this host's
# RabbitMQ (host network), get 200 from /health/live, check it runs as non-root with
# no compiler inside, then SIGTERM it and check it stops cleanly within 15 s.
#   scripts/image_smoke.sh [IMAGE]    default: localhost/hoagiai:latest
#   scripts/image_smoke.sh --print-env the gateway's environment in the container, one
#                                      NAME=value a line (tests/deploy/test_env.py starts
#                                      the gateway in production mode with it)
set -euo pipefail
cd "$(dirname "$0")/.."
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
amqp=${AMQP_URI:-pyamqp://guest:guest@127.0.0.1:5672/}
# The image runs in production mode (HOAGIAI_PRODUCTION=true), where the gateway refuses
# to start without a JWT_SECRET of its own: a random one for this run.
jwt_secret=${JWT_SECRET:-$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')}
smoke_env() {
  printf '%s\n' "AMQP_URI=$amqp" "GATEWAY_HTTP_ADDRESS=127.0.0.1:$port" "JWT_SECRET=$jwt_secret"
}
if [ "${1:-}" = --print-env ]; then smoke_env; exit 0; fi

. scripts/container_engine.sh
pick_engine
image=${1:-${IMAGE:-localhost/hoagiai:latest}}
[ "$ENGINE_NAME" != buildah ] || { ENGINE=(podman --storage-driver vfs); }
run=("${ENGINE[@]}" run)
[ "$ENGINE_NAME" = docker ] || run+=(--runtime runc --ulimit nofile=1024:1024 --ulimit nproc=4096:4096)
name=hoagiai-smoke-$$
env_file=$(mktemp)  # the secret goes in a file (mode 600), not on a command line
smoke_env > "$env_file"

cleanup() { "${ENGINE[@]}" rm -f "$name" >/dev/null 2>&1 || true; rm -f "$env_file"; }
trap cleanup EXIT

echo "user in the image: $("${run[@]}" --rm --entrypoint id "$image" -u)"
[ "$("${run[@]}" --rm --entrypoint id "$image" -u)" != 0 ] || { echo "runs as root" >&2; exit 1; }
if "${run[@]}" --rm --entrypoint sh "$image" -c 'command -v gcc cc pip' >/dev/null; then
  echo "a compiler or pip is in the final image" >&2; exit 1
fi

"${run[@]}" -d --name "$name" --network host --env-file "$env_file" "$image" gateway >/dev/null
for _ in $(seq 1 60); do
  if body=$(curl -sf --max-time 2 "http://127.0.0.1:$port/health/live"); then
    echo "/health/live on :$port answered: $body"
    curl -sf --max-time 5 "http://127.0.0.1:$port/health/ready" && echo
    started=$(date +%s)
    timeout 30 "${ENGINE[@]}" stop -t 15 "$name" >/dev/null
    echo "stopped on SIGTERM in $(( $(date +%s) - started )) s"
    exit 0
  fi
  sleep 1
done
echo "the gateway did not answer /health/live within 60 s; its log:" >&2
"${ENGINE[@]}" logs "$name" 2>&1 | tail -30 >&2
exit 1
