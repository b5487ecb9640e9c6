#!/usr/bin/env bash
# Set up, then run the whole test suite. Tests that need Label Studio start a real one
# (or use LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY when set); they fail, never skip, without it.
# The team tests run a second Label Studio on PostgreSQL: the database at ANNOTATE_TEST_DATABASE_URL when set,
# else a throwaway cluster they start from Debian's binaries.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

apt_install() {  # Debian packages the tests drive: installed when missing (root or sudo)
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  elif command -v sudo >/dev/null; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    echo "The tests need Debian's $*: install them." >&2
  fi
}
# Headless Chromium for the browser tests: Debian's package, driven by Playwright (which never downloads one).
if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then apt_install chromium; fi
# PostgreSQL for the team set-up (Label Studio on PostgreSQL).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then apt_install postgresql; fi
exec .venv/bin/python -m pytest "$@"
