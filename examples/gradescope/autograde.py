"""Grade one Gradescope submission with ``grader check`` and write Gradescope's results.json.

Run by ``run_autograder`` with the grader's Python. Reads ``source/autograder.json``
(``{"question": "conv1d_full", "file": null}``: the question, and optionally the one file
name to grade), finds the submission's file (a ``.py``, a notebook ``.ipynb``, or answers
as ``.json`` for a short-answer question), and writes ``results/results.json`` with the
student's export (``--format gradescope``: hidden tests as their aggregate, no hidden
data). Whatever goes wrong, a results.json that says so is written: a submission that
cannot be graded scores 0 with the reason; a failure of the grader itself says it is
not the student's fault and asks for a regrade. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

SUFFIXES = (".py", ".ipynb", ".json")
EXIT_BAD_INPUT, EXIT_INTERNAL = 2, 3
TIMEOUT_S = 1200  # Gradescope's own limit is set per assignment; this bounds a stuck grader


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--root", type=Path, default=Path("/autograder"))
    root = parser.parse_args(argv).root
    config = json.loads((root / "source" / "autograder.json").read_text(encoding="utf-8"))
    results_dir = root / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    try:
        submission = find_submission(root / "submission", config.get("file"))
        results = grade(root, config["question"], submission)
    except Unfit as exc:
        results = {"score": 0.0, "output": str(exc), "tests": []}
    (results_dir / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"results.json written: score {results.get('score')}")  # for the instructor's log
    return 0


class Unfit(Exception):
    """The submission cannot be graded; the message is for the student."""


def find_submission(folder: Path, name: str | None) -> Path:
    """The one file to grade: ``name`` if configured, else the only .py/.ipynb/.json submitted."""
    if name:
        path = folder / name
        if not path.is_file():
            raise Unfit(f"submit a file named {name}")
        return path
    found = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                   and not any(part.startswith(".") for part in p.relative_to(folder).parts))
    if len(found) != 1:
        listed = ", ".join(str(p.relative_to(folder)) for p in found) or "none"
        raise Unfit(f"submit exactly one .py, .ipynb or .json file (found: {listed})")
    return found[0]


def grade(root: Path, question: str, submission: Path) -> dict[str, Any]:
    """``grader check --format gradescope`` on ``submission``, as Gradescope's results."""
    env = {
        "GRADER_TASKS_DIR": str(root / "source" / "tasks"), "GRADER_CACHE_DIR": str(root / "cache"),
        "GRADER_DATA_DIR": str(root / "data"), **os.environ,
    }
    grader = Path(sys.executable).with_name("grader")
    command = [str(grader), "check", question, str(submission), "--format", "gradescope"]
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        return internal_error(f"grading took longer than {TIMEOUT_S} s")
    sys.stderr.write(done.stderr)  # the instructor's log
    if done.returncode == EXIT_BAD_INPUT:
        raise Unfit(done.stderr.strip().removeprefix("error: ") or "this file cannot be graded")
    if done.returncode not in (0, 1):
        return internal_error(done.stderr.strip() or f"grader check exited with {done.returncode}")
    results: dict[str, Any] = json.loads(done.stdout)
    return results


def internal_error(detail: str) -> dict[str, Any]:
    """A failure of the grader: not the student's fault. Scored 0 until an instructor regrades."""
    print(f"internal error: {detail}")
    return {"score": 0.0, "tests": [],
            "output": "The grader failed on this submission (its fault, not yours): ask your instructor "
                      "to regrade it."}


if __name__ == "__main__":
    sys.exit(main())
