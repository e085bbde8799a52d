#!/usr/bin/env bash
# The whole test suite and the linters, in the project's virtual environment.
# Honors DATABASE_URL, so the same command tests SQLite (default) and PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${VENV:-.venv}/bin

"$BIN/python" -m pytest "$@"
"$BIN/ruff" check .
"$BIN/ruff" format --check .
