#!/usr/bin/env bash
# A local Prometheus scraping the four services as `make run` starts them, with the
# project's rules and alerts. Targets page: http://127.0.0.1:$PROMETHEUS_PORT/targets
# (/classic/targets with Debian's prometheus package, which ships only the classic UI).
#   scripts/prometheus_local.sh run              Prometheus in the foreground (make prometheus)
#   scripts/prometheus_local.sh with CMD ARGS..  Prometheus in the background while CMD
#                                                runs, stopped when CMD ends (make run PROMETHEUS=1)
# The service ports come from <SERVICE>_HTTP_ADDRESS as the services read them (default
# 8000-8003); PROMETHEUS_PORT (9090) and PROMETHEUS_DATA (var/prometheus) may be set.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
port=${PROMETHEUS_PORT:-9090}
data=${PROMETHEUS_DATA:-$root/var/prometheus}
command -v prometheus >/dev/null || bash "$root/scripts/ensure_deploy_tools.sh" >/dev/null
command -v prometheus >/dev/null ||
  { echo "prometheus is not installed (Debian/Ubuntu: apt-get install prometheus)" >&2; exit 1; }

address_port() { local address=${1:-}; [ -n "$address" ] && echo "${address##*:}" || echo "$2"; }
mkdir -p "$data"
config=$data/prometheus.yml
sed -e "s#127.0.0.1:8000#127.0.0.1:$(address_port "${GATEWAY_HTTP_ADDRESS:-}" 8000)#" \
    -e "s#127.0.0.1:8001#127.0.0.1:$(address_port "${CASES_HTTP_ADDRESS:-}" 8001)#" \
    -e "s#127.0.0.1:8002#127.0.0.1:$(address_port "${TEAMS_HTTP_ADDRESS:-}" 8002)#" \
    -e "s#127.0.0.1:8003#127.0.0.1:$(address_port "${REPORTING_HTTP_ADDRESS:-}" 8003)#" \
    -e "s#- rules/\*.yml#- $root/deploy/prometheus/rules/*.yml#" \
    "$root/deploy/prometheus/prometheus.local.yml" > "$config"
server=(prometheus --config.file="$config" --storage.tsdb.path="$data/tsdb"
        --web.listen-address="127.0.0.1:$port" --storage.tsdb.retention.time=30d)

case ${1:-run} in
  run) echo "Prometheus: http://127.0.0.1:$port/targets (Debian's package: /classic/targets)"; exec "${server[@]}" ;;
  with)
    shift
    "${server[@]}" > "$data/prometheus.log" 2>&1 &
    pid=$!
    trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null' EXIT
    echo "Prometheus: http://127.0.0.1:$port/targets (log: $data/prometheus.log)"
    "$@" ;;
  *) echo "usage: $0 run | with COMMAND..." >&2; exit 64 ;;
esac
