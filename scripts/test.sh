#!/usr/bin/env bash
# Sets everything up, then runs the whole suite: lint, types, and every test
# (the whole question bank through the real sandbox, unit, sandbox, service, hostile battery).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/mypy
# Every question loads and every solution in tasks/*/solutions gets its expected verdict.
.venv/bin/grader tasks validate
.venv/bin/python -m pytest "$@"
