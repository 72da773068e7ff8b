"""Expected outputs on demand: from the cache, or from a fresh reference process.

Each submission gets one variant of the random hidden inputs (:func:`variant_for`), so
what one submission learns about hidden inputs does not carry to the next. Each
variant's bundle is computed by the trusted reference process on first use (or by
``grader tasks warm``) and cached per (question version, digest, variant).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import sys
from pathlib import Path

from grader.grading.expected import ExpectedSet, bundle_dir, read_bundle
from grader.questions.loader import Question
from grader.settings import REPO_ROOT


class ReferenceError(RuntimeError):
    """The reference side failed: the question's fault, reported as ``internal_error``."""


def variant_for(submission_id: str | None, variants: int) -> int:
    """The variant of hidden inputs a submission gets: SHA-256 of its id modulo ``variants``.

    Without a submission (``grader check``, ``grader tasks validate``) it is variant 0.
    """
    if submission_id is None:
        return 0
    digest = hashlib.sha256(submission_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % variants


def expected_for(question: Question, cache_dir: Path, timeout_s: float, variant: int = 0) -> ExpectedSet:
    """The question's cases (hidden random ones from ``variant``) with expected outputs, computed at most once."""
    folder = bundle_dir(cache_dir, question.id, question.spec.version, question.digest, variant)
    cached = read_bundle(folder)
    if cached is not None:
        return cached
    folder.parent.mkdir(parents=True, exist_ok=True)
    with open(folder.parent / f".{folder.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one reference run per bundle at a time
        cached = read_bundle(folder)
        if cached is None:
            _run_reference(question, folder, timeout_s, variant)
            cached = read_bundle(folder)
    if cached is None:
        raise ReferenceError(f"{question.id}: the reference process wrote no bundle")
    return cached


def warm(question: Question, cache_dir: Path, timeout_s: float, variants: int) -> int:
    """Compute every variant's bundle that is not cached yet; return how many were computed."""
    computed = 0
    for variant in range(variants):
        folder = bundle_dir(cache_dir, question.id, question.spec.version, question.digest, variant)
        if read_bundle(folder) is None:
            expected_for(question, cache_dir, timeout_s, variant)
            computed += 1
    return computed


def _run_reference(question: Question, out: Path, timeout_s: float, variant: int) -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "grader.grading.reference_process", str(question.folder), str(out), str(variant)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s, env=env, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ReferenceError(f"{question.id}: the reference ran past {timeout_s} s") from exc
    if done.returncode != 0:
        raise ReferenceError(f"{question.id}: the reference failed (variant {variant}):\n{done.stderr[-4000:]}")
