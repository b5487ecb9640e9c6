#!/usr/bin/env bash
# Set up, then run the whole test suite. Tests that need Label Studio start a real one
# (or use LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY when set); they fail, never skip, without it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m pytest "$@"
