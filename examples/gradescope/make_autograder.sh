#!/usr/bin/env bash
# Builds the zip to upload as a Gradescope autograder for one question of the bank:
#   examples/gradescope/make_autograder.sh conv1d_full [autograder.zip] [--file answer.py]
# It holds setup.sh and run_autograder at its root (as Gradescope requires), autograde.py,
# autograder.json (the question, and the one file name to grade if --file is given), the
# grader as a wheel, and the question's folder (never shown to students).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
question=${1:?usage: make_autograder.sh QUESTION [OUT.zip] [--file NAME]}
out=$(realpath -m "${2:-autograder-$question.zip}")
file=null
if [ "${3:-}" = "--file" ]; then file="\"${4:?--file needs a name}\""; fi
[ -f "$repo/tasks/$question/question.yml" ] || { echo "error: no question $question in $repo/tasks" >&2; exit 2; }
python=${PYTHON:-$repo/.venv/bin/python}

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp "$here/setup.sh" "$here/run_autograder" "$here/autograde.py" "$stage/"
mkdir -p "$stage/tasks"
cp -r "$repo/tasks/$question" "$stage/tasks/"
find "$stage/tasks" -name __pycache__ -prune -exec rm -rf {} +
printf '{"question": "%s", "file": %s}\n' "$question" "$file" > "$stage/autograder.json"
# The wheel is built from a copy, so that the checkout gets no build/ folder.
mkdir "$stage/src"
(cd "$repo" && tar --exclude=__pycache__ -cf - pyproject.toml README.md grader sandbox submissions_schema) \
  | tar -xf - -C "$stage/src"
"$python" -m pip wheel -q --no-deps --no-build-isolation -w "$stage" "$stage/src"
rm -rf "$stage/src"
rm -f "$out"
(cd "$stage" && "$python" -m zipfile -c "$out" ./*)
echo "$out"
