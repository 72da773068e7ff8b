#!/usr/bin/env bash
# Sets everything up, then runs the whole suite: lint, types, and every test
# (unit, real bubblewrap sandboxes, every question's solutions, the hostile battery).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
