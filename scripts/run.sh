#!/usr/bin/env bash
# The main job on a fresh machine: set up, start a local Label Studio, ingest the seed articles,
# pre-annotate them with spaCy and push them as tasks. Prints the URL, login and project link.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/annotate up seeds "$@"
