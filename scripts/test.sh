#!/usr/bin/env bash
# Set up, then run the whole test suite. Tests that need Label Studio start a real one
# (or use LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY when set); they fail, never skip, without it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Headless Chromium for the browser tests: Debian's package, driven by Playwright (which never downloads one).
if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  elif command -v sudo >/dev/null; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "The browser tests need Chromium: install Debian's chromium package (or set CHROMIUM=/path/to/chromium)." >&2
  fi
fi
exec .venv/bin/python -m pytest "$@"
