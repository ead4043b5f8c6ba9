#!/usr/bin/env bash
# Fetch the pinned socket.io client (package-lock.json) and copy its browser build to
# vendor/socket.io.min.js, which widget.js loads from beside itself. Run by `make widget`.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v npm >/dev/null; then
  echo "widget/build.sh needs npm (Node.js) to fetch socket.io-client" >&2; exit 1
fi
want=$(node -p 'require("./package.json").dependencies["socket.io-client"]')
have=$(node -p 'try { require("./node_modules/socket.io-client/package.json").version } catch (e) { "" }')
if [[ "$have" != "$want" ]]; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi
mkdir -p vendor
cp node_modules/socket.io-client/dist/socket.io.min.js vendor/socket.io.min.js
echo "widget: socket.io-client $want -> widget/vendor/socket.io.min.js"
