#!/usr/bin/env bash
# Sets everything up, then grades a bundled correct and a bundled wrong answer so you
# can see the grader work end to end. The HTTP service arrives with `grader serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. .venv/bin/activate
echo "== grader check conv1d_full tasks/conv1d_full/solutions/accepted_loops.py"
grader check conv1d_full tasks/conv1d_full/solutions/accepted_loops.py
echo
echo "== grader check conv1d_full tasks/conv1d_full/solutions/wrong_no_flip.py --as candidate"
grader check conv1d_full tasks/conv1d_full/solutions/wrong_no_flip.py --as candidate || true
echo
echo "Now try: . .venv/bin/activate && grader questions && grader show conv1d_full"
