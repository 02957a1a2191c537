#!/usr/bin/env bash
# Create .venv, install the project (with the extras named as arguments, e.g. "test"),
# and compile the translation catalogs. Used by start.sh, test.sh and CI.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
extras=$(IFS=,; echo "$*")
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet --editable ".${extras:+[$extras]}"
.venv/bin/pybabel -q compile --directory translations
