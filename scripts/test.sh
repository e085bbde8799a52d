#!/usr/bin/env bash
# The whole test suite and the linters, in the project's virtual environment.
# Honors DATABASE_URL, so the same command tests SQLite (default) and PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${VENV:-.venv}/bin

# One worker per core (pytest-xdist): TEST_WORKERS=0 runs the tests in this one process.
"$BIN/python" -m pytest -n "${TEST_WORKERS:-auto}" "$@"
"$BIN/ruff" check .
"$BIN/ruff" format --check .
