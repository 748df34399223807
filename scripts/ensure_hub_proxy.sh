#!/usr/bin/env bash
# The JupyterHub tests start a real hub, whose proxy (configurable-http-proxy) comes from npm. Install the
# version pinned in deploy/jupyterhub/package-lock.json when it is missing. Without Node.js and npm, say how to
# get them: the hub tests then skip on a developer's machine and fail in CI (CI=true).
set -euo pipefail
cd "$(dirname "$0")/../deploy/jupyterhub"
if [ -x node_modules/.bin/configurable-http-proxy ]; then
  exit 0
fi
if command -v npm >/dev/null 2>&1; then
  echo "Installing configurable-http-proxy for the JupyterHub tests (npm ci, a few seconds)..."
  npm ci --no-audit --no-fund --loglevel=error
else
  echo "Note: no npm found, so the JupyterHub tests will be skipped here (and fail in CI)." \
       "Install Node.js and npm (sudo apt-get install nodejs npm)."
fi
