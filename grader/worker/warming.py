"""Expected outputs computed before submissions need them: ``grader tasks warm``, and a grading worker's start.

A submission whose variant of hidden inputs has no cached expected outputs waits for a
reference process (about a second for a NumPy question, several for a torch one). So a
grading worker starts a :class:`Warmer`: a thread that computes every variant of every
coding question its queues receive, in the background. The worker takes submissions at
once (a cached question is graded at once; an uncached one runs its own reference process
as before, or waits for the warmer's when it computes that very bundle); the warmer runs
one reference process at a time, at a lower CPU priority than grading, and takes the
questions submitted most recently first. A reference that fails is logged and skipped,
never fatal: a submission that needs it gets the failure as its ``internal_error``.

Nothing here imports Celery or SQLAlchemy at import time: ``grader tasks warm`` uses it too.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from grader.grading.expected import bundle_dir
from grader.grading.reference import ReferenceError, expected_for
from grader.questions.loader import Question, QuestionError, load_question
from grader.queueing import queue_for
from grader.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

WARM_NICE = 10  # the warmer's reference processes inherit it: grading keeps the CPU when both want it
RECENT_SUBMISSIONS = 1000  # how far back "most recently submitted" looks


@dataclass(frozen=True)
class Warmed:
    """What warming one question did: variants asked for, how many were computed now, the first failure."""

    question_id: str
    variants: int
    computed: int
    error: str | None = None


def is_cached(question: Question, cache_dir: Path, variant: int) -> bool:
    """Whether the variant's bundle is complete, without reading it (``bundle.json`` is written last)."""
    folder = bundle_dir(cache_dir, question.id, question.spec.version, question.digest, variant)
    return (folder / "bundle.json").is_file()


def warm_variant(question: Question, settings: Settings, variant: int) -> bool:
    """Compute one variant's expected outputs unless cached; ``True`` when computed now.

    Raises :class:`ReferenceError` when the reference fails (the question's fault).
    """
    if is_cached(question, settings.cache_dir, variant):
        return False
    expected_for(question, settings.cache_dir, settings.reference_timeout_s, variant)
    return True


def warm_questions(questions: Sequence[Question], settings: Settings, variants: int, jobs: int) -> list[Warmed]:
    """Every variant of each question, ``jobs`` reference processes at a time; one result per question, in order."""
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {(q.id, v): pool.submit(warm_variant, q, settings, v) for q in questions for v in range(variants)}
    results = []
    for question in questions:
        computed, error = 0, None
        for variant in range(variants):
            try:
                computed += futures[question.id, variant].result()
            except ReferenceError as exc:
                error = error or str(exc)
        results.append(Warmed(question.id, variants, computed, error))
    return results


def recent_questions(sessions: sessionmaker[Session], limit: int = RECENT_SUBMISSIONS) -> list[str]:
    """Question ids of the last ``limit`` submissions, the most submitted first."""
    from sqlalchemy import func, select

    from grader.storage.models import Submission

    latest = select(Submission.question_id).order_by(Submission.seq.desc()).limit(limit).subquery()
    count = func.count()
    query = select(latest.c.question_id, count).group_by(latest.c.question_id).order_by(count.desc())
    with sessions() as session:
        return [str(row[0]) for row in session.execute(query)]


class Warmer:
    """A grading worker's background thread: every variant of its coding questions, most used first."""

    def __init__(self, settings: Settings, queues: Collection[str],
                 recent: Callable[[], list[str]] = list) -> None:
        self.settings = settings
        self.queues = frozenset(queues)
        self.recent = recent
        self.stopped = threading.Event()
        self.done = threading.Event()  # set when the thread ends, whatever happened
        self.thread = threading.Thread(target=self.run, name="grader-warming", daemon=True)

    def start(self) -> Warmer:
        self.thread.start()
        return self

    def stop(self) -> None:
        """Start no further reference process (the one running, if any, finishes its bundle)."""
        self.stopped.set()

    def run(self) -> None:
        t0, computed = time.monotonic(), 0
        try:
            _lower_priority()
            questions = self.questions()
            for question in questions:
                if self.stopped.is_set():
                    return
                computed += self.warm(question)
            log.info("warming: expected outputs of %d questions x %d variants ready (%d computed, %.1f s)",
                     len(questions), self.settings.hidden_variants, computed, time.monotonic() - t0)
        except Exception:  # noqa: BLE001 - a bug of ours here must not end the worker: grading computes on demand
            log.exception("warming: stopped")
        finally:
            self.done.set()

    def questions(self) -> list[Question]:
        """The coding questions this worker's queues receive: the most recently submitted first, then by id."""
        try:
            recent = self.recent()
        except Exception as exc:  # noqa: BLE001 - the database away: the order is all it costs
            log.warning("warming: no submission history (%s: %s); questions in id order", type(exc).__name__, exc)
            recent = []
        rank = {question_id: n for n, question_id in enumerate(recent)}
        # Coding questions have a cases.py; loading a short-answer question would parse its formulas for nothing.
        folders = sorted((p.parent for p in self.settings.tasks_dir.glob("*/cases.py")),
                         key=lambda folder: (rank.get(folder.name, len(rank)), folder.name))
        found = []
        for folder in folders:
            try:
                question = load_question(folder)
            except QuestionError as exc:
                log.warning("warming: skipped a question that does not load: %s", exc)
                continue
            if isinstance(question, Question) and queue_for(question.spec.device) in self.queues:
                found.append(question)
        return found

    def warm(self, question: Question) -> int:
        """Every variant of ``question`` not cached yet; how many were computed. Failures are logged."""
        computed = 0
        for variant in range(self.settings.hidden_variants):
            if self.stopped.is_set():
                break
            try:
                computed += warm_variant(question, self.settings, variant)
            except ReferenceError as exc:  # the question's fault, and every variant would fail alike
                reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
                log.warning("warming: %s: the reference failed (variant %d), skipped: %s", question.id, variant,
                            reason)
                break
            except OSError as exc:  # the cache's disk full or unwritable: grading will say so itself
                log.warning("warming: %s variant %d: %s; skipped", question.id, variant, exc)
                break
        return computed


def _lower_priority() -> None:
    """Lower this thread's CPU priority; the processes it starts inherit it (Linux: nice is per thread)."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), WARM_NICE)
    except OSError as exc:
        log.debug("warming: priority unchanged (%s)", exc)
