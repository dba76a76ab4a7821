#!/usr/bin/env bash
# The browser the GraphiQL test drives: Debian's chromium, launched by Playwright (the
# PyPI package in requirements-dev.txt; `playwright install` would need a download that
# offline machines cannot make). Installs it with apt-get when root on Debian, bounded in
# time; otherwise says what to install.
set -u
command -v chromium >/dev/null && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing chromium with apt-get (for the browser tests)"
  export DEBIAN_FRONTEND=noninteractive
  timeout 300 apt-get update -q >/dev/null || true
  timeout 900 apt-get install -y -q --no-install-recommends chromium >/dev/null ||
    echo "could not install chromium with apt-get" >&2
fi
command -v chromium >/dev/null && exit 0
echo "missing for the browser tests: chromium (Debian/Ubuntu: apt-get install chromium)" >&2
exit 1
