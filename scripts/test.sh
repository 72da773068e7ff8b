#!/usr/bin/env bash
# Sets everything up (a Docker engine and the sandbox image included), then runs the whole
# suite: lint, types, the question bank through both real sandboxes, and every test (unit,
# sandbox, service, webhooks, the hostile battery on bubblewrap and on Docker).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/mypy
scripts/docker-ready.sh
# Every question loads and every solution in tasks/*/solutions gets its expected verdict in
# bubblewrap; in Docker, one question of each way of running code (NumPy, torch with a probe,
# a 25 MB input, a module with weights, torch tensors out): the backends share the runner, and
# the hostile battery runs on both.
.venv/bin/grader tasks validate
.venv/bin/grader tasks validate --backend docker conv1d_full tanh_autograd maxpool2d finetune_head distances_torch
# The documented deployment: the compose stack built without a registry, 50 submissions, a
# worker killed mid-load, every submission ending with exactly one report.
scripts/compose-e2e.sh
.venv/bin/python -m pytest "$@"
