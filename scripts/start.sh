#!/usr/bin/env bash
# Sets everything up, then starts the grader: the HTTP API and a worker, with SQLite and
# a local queue (no Redis, no Docker needed). Prints the URL and an admin key.
# Options go to `grader serve` (--host, --port); settings come from GRADER_* variables.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# As root, the bubblewrap sandbox runs on its own root image (built once, about two minutes;
# reused afterwards). Without it the sandbox binds the host's /usr and Python instead.
if [ "$(id -u)" -eq 0 ]; then
  .venv/bin/grader sandbox build --rootfs --no-image \
    || echo "warning: the sandbox root image could not be built; sandboxes use the host layout" >&2
fi
exec .venv/bin/grader serve "$@"
