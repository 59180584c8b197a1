#!/usr/bin/env bash
# The one test command (npm test): makes sure what the tests need is here, then runs them all.
set -euo pipefail
cd "$(dirname "$0")/.."

# Browser tests drive Debian's chromium; install it when missing (machines here run as root with apt).
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "[test] installing chromium for the Control UI browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "[test] /usr/bin/chromium is missing: install Debian's chromium package (apt-get install chromium)" >&2
    exit 1
  fi
fi
[ -d node_modules ] || npm ci --no-audit --no-fund

npx vitest run "$@"
