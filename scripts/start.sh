#!/usr/bin/env bash
# Sets everything up, then starts the grader: the HTTP API and a worker, with SQLite and
# a local queue (no Redis, no Docker needed). Prints the URL and an admin key.
# Options go to `grader serve` (--host, --port); settings come from GRADER_* variables.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/grader serve "$@"
