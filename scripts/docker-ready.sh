#!/usr/bin/env bash
# Makes sure a Docker engine answers (starting dockerd in the background when this user may)
# and that the sandbox image exists: `grader sandbox build` reuses the Debian base while
# its inputs are unchanged and rebuilds only the runner layer.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! docker info >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: no Docker engine answers; start one (the Docker backend's tests need it)" >&2
    exit 1
  fi
  nohup dockerd >/tmp/dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  docker info >/dev/null 2>&1 || { tail -20 /tmp/dockerd.log >&2; exit 1; }
fi
.venv/bin/grader sandbox build
