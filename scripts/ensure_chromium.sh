#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (never a browser that Playwright downloads). Install it where this
# can be done without asking (Debian or Ubuntu, as root, as in CI); elsewhere say how, and the browser tests skip.
set -euo pipefail
if [ -n "${IVIG_CHROMIUM:-}" ] || command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests (about 20 s)..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  command -v chromium >/dev/null
else
  echo "Note: no Chromium found, so the browser tests will be skipped here." \
       "Install it (sudo apt-get install chromium) or set IVIG_CHROMIUM=/path/to/chromium."
fi
