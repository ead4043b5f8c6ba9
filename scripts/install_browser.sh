#!/usr/bin/env bash
# Headless Chromium and its driver for the browser tests, from Debian's packages
# (test tools must never download a browser of their own). Needs root (CI runs as root).
set -euo pipefail
if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "ERROR: the browser tests need Debian's chromium and chromium-driver; run as root: $0" >&2
  exit 1
fi
echo "Installing chromium and chromium-driver (Debian packages)..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium chromium-driver fonts-noto-color-emoji >/dev/null
