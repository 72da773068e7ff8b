"""Expected outputs on demand: from the cache, or from a fresh reference process."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

from grader.grading.expected import ExpectedSet, bundle_dir, read_bundle
from grader.questions.loader import Question
from grader.settings import REPO_ROOT


class ReferenceError(RuntimeError):
    """The reference side failed: the question's fault, reported as ``internal_error``."""


def expected_for(question: Question, cache_dir: Path, timeout_s: float) -> ExpectedSet:
    """The question's cases with inputs and expected outputs, computed at most once."""
    folder = bundle_dir(cache_dir, question.id, question.spec.version, question.digest)
    cached = read_bundle(folder)
    if cached is not None:
        return cached
    folder.parent.mkdir(parents=True, exist_ok=True)
    with open(folder.parent / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one reference run per question at a time
        cached = read_bundle(folder)
        if cached is None:
            _run_reference(question, folder, timeout_s)
            cached = read_bundle(folder)
    if cached is None:
        raise ReferenceError(f"{question.id}: the reference process wrote no bundle")
    return cached


def _run_reference(question: Question, out: Path, timeout_s: float) -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "grader.grading.reference_process", str(question.folder), str(out)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s, env=env, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ReferenceError(f"{question.id}: the reference ran past {timeout_s} s") from exc
    if done.returncode != 0:
        raise ReferenceError(f"{question.id}: the reference failed:\n{done.stderr[-4000:]}")
