#!/usr/bin/env bash
# The MCP servers rein's tests connect to (tests/mcp-servers: the reference "everything" and
# filesystem servers, pinned by package-lock.json). Installs them when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=tests/mcp-servers
if [[ ! -x $dir/node_modules/.bin/mcp-server-everything || ! -x $dir/node_modules/.bin/mcp-server-filesystem ]]; then
  command -v npm >/dev/null || bash scripts/setup.sh
  echo "==> installing the test MCP servers in $dir"
  npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error >/dev/null
fi
