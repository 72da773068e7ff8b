#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image (Ubuntu 22.04
# base image: it has Python 3.11). It installs the grader from the wheel in this zip, then
# proves the question on this machine: every solution in its folder gets its expected
# verdict in the real sandbox, so a sandbox that cannot work here fails the build, not a
# student. Paths can be moved for a local try (AUTOGRADER_ROOT, GRADER_VENV; see README.md).
set -euo pipefail
ROOT=${AUTOGRADER_ROOT:-/autograder}
SOURCE=$ROOT/source
VENV=${GRADER_VENV:-$ROOT/venv}
PYTHON=${PYTHON:-python3.11}
QUESTION=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["question"])' "$SOURCE/autograder.json")

need_apt=()
command -v bwrap >/dev/null 2>&1 || need_apt+=(bubblewrap)
command -v setpriv >/dev/null 2>&1 || need_apt+=(util-linux)
[ -x "$VENV/bin/grader" ] || command -v "$PYTHON" >/dev/null 2>&1 || need_apt+=(python3.11 python3.11-venv)
if [ ${#need_apt[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ ! -x "$VENV/bin/grader" ]; then
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q "$SOURCE"/dl_grader-*.whl
fi

export GRADER_TASKS_DIR=$SOURCE/tasks GRADER_CACHE_DIR=$ROOT/cache GRADER_DATA_DIR=$ROOT/data
"$VENV/bin/grader" tasks validate "$QUESTION" --jobs 1
