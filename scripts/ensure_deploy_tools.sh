#!/usr/bin/env bash
# Tools the deploy checks in `make test` need beyond the venv: promtool (Debian's
# prometheus package) and kubectl (for `kubectl kustomize`). Installs what is missing
# with apt-get when root on Debian, bounded in time; otherwise says what to install.
set -u
missing=()
command -v promtool >/dev/null || missing+=(prometheus)
command -v kubectl >/dev/null || missing+=(kubectl)
[ ${#missing[@]} -eq 0 ] && exit 0

apt_packages=()
for tool in "${missing[@]}"; do
  case $tool in
    prometheus) apt_packages+=(prometheus) ;;
    kubectl) apt_packages+=(kubernetes-client) ;;  # Debian's kubectl (trixie and later)
  esac
done
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing ${apt_packages[*]} with apt-get (for promtool/kubectl)"
  export DEBIAN_FRONTEND=noninteractive
  timeout 300 apt-get update -q >/dev/null || true
  # kubernetes-client is not in every Debian release: install what exists.
  for package in "${apt_packages[@]}"; do
    timeout 600 apt-get install -y -q --no-install-recommends "$package" >/dev/null ||
      echo "could not install $package with apt-get" >&2
  done
  # Debian's prometheus package starts a server where systemd runs: the tests need only promtool.
fi
still=()
command -v promtool >/dev/null || still+=("promtool (Debian/Ubuntu: apt-get install prometheus)")
command -v kubectl >/dev/null || still+=("kubectl (https://kubernetes.io/docs/tasks/tools/)")
if [ ${#still[@]} -gt 0 ]; then
  printf 'missing for the deploy checks: %s\n' "${still[@]}" >&2
  exit 1
fi
