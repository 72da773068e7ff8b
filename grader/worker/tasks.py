"""The grading task: load, grade, store, notify. Everything else lives elsewhere."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from celery import Celery, Task
from celery.signals import worker_ready, worker_shutdown
from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker

from grader.grading.dispatch import JobMismatch, grade_job, validate_job
from grader.interviews.models import Interview
from grader.questions.loader import QuestionError, UnknownQuestion, find_question
from grader.sandboxes import make_sandbox
from grader.settings import Settings
from grader.storage import submissions as store
from grader.storage.db import make_engine, sessions
from grader.storage.models import Submission
from grader.waiting import Notifier, interview_topic
from grader.webhooks.delivery import attempt
from grader.worker.leases import Leases
from grader.worker.notify import (
    DELIVER_TASK,
    GRADE_TASK,
    WEBHOOK_QUEUE,
    interview_changed,
    send_delivery,
    submission_finished,
)
from grader.worker.poolstats import PoolStatsPublisher
from sandbox.base import Sandbox
from sandbox.pool import SandboxPool
from submissions_schema import GradeReport, GradingJob, HiddenFeedback, SandboxInfo, Timing, Verdict

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """A report, and whether it stands: not ``final`` for an internal error that another attempt may avoid."""

    report: GradeReport
    final: bool


@dataclass
class Grading:
    """What one worker process needs, built on first use (never at import time)."""

    settings: Settings
    notify: Callable[[str], object] = lambda submission_id: None
    claimed: Callable[[Submission], object] = lambda row: None  # wakes live streams: queued -> running
    pool_stats: PoolStatsPublisher | None = field(default=None, init=False)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        return sessions(make_engine(self.settings.effective_database_url))

    @cached_property
    def sandbox(self) -> Sandbox:
        return make_sandbox(self.settings, pooled=True)

    def start_pool(self) -> None:
        """Make the warm pool now (it fills in the background) and publish its figures for ``/metrics``."""
        if isinstance(self.sandbox, SandboxPool) and self.pool_stats is None:
            self.pool_stats = PoolStatsPublisher(self.sandbox.snapshot, self.sessions,
                                                 self.settings.pool_stats_every_s).start()

    def close(self) -> None:
        """End the warm pool's sandboxes (a worker that stops leaves none behind) and withdraw its figures."""
        if self.pool_stats is not None:
            self.pool_stats.stop()
        if "sandbox" in self.__dict__:
            close = getattr(self.sandbox, "close", None)
            if callable(close):
                close()

    @cached_property
    def leases(self) -> Leases:
        return Leases(self.sessions, self.settings.lease_s, self.settings.heartbeat_s)

    def run(self, submission_id: str) -> bool:
        """Grade one submission; ``True`` when it was queued again, to be tried again later.

        Raises only when the database or the broker fails; the submission's lease then
        lapses and the sweeper sends it again, so it never stays ``running``.
        """
        with self.sessions() as session:
            row = store.claim(session, submission_id, self.leases.owner, self.settings.lease_s)
        if row is None:
            return False  # already graded, or a live worker grades it: a duplicate message ends here
        self.claimed(row)
        with self.leases.holding(submission_id):
            if row.attempts > self.settings.max_attempts:
                self.store(submission_id, failure(row.question_id, f"gave up after {self.settings.max_attempts} "
                                                  "attempts (each one's worker died or lost the database)"))
                return False
            outcome = self.grade(submission_id, row)
            if not outcome.final and row.attempts < self.settings.max_attempts:
                with self.sessions() as session:
                    store.release(session, submission_id, self.leases.owner)
                return True
            self.store(submission_id, outcome.report)
        return False

    def grade(self, submission_id: str, row: Submission) -> Outcome:
        """Grade the stored submission; any failure becomes an ``internal_error`` report."""
        try:
            job = GradingJob(question_id=row.question_id, code=row.code, answers=row.answers,
                             submission_id=submission_id, practice=row.practice,
                             hidden_feedback=self.interview_policy(row))
            question = find_question(self.settings.tasks_dir, job.question_id)
            validate_job(job, question)
        except (UnknownQuestion, QuestionError) as exc:
            return Outcome(failure(row.question_id, f"the question cannot be loaded: {exc}"), final=False)
        except (JobMismatch, ValidationError) as exc:  # the question changed since it was submitted
            message = f"the stored submission no longer fits question {row.question_id}: {exc}"
            return Outcome(failure(row.question_id, message), final=True)  # no attempt can do better
        try:
            report = grade_job(job, question, self.sandbox, self.settings)
        except Exception as exc:  # noqa: BLE001 - a bug of ours must end the submission, not the worker
            log.exception("submission %s: grading raised", submission_id)
            return Outcome(failure(row.question_id, f"grading failed: {type(exc).__name__}: {exc}"), final=False)
        return Outcome(report, final=report.verdict is not Verdict.internal_error)

    def interview_policy(self, row: Submission) -> HiddenFeedback | None:
        """The hidden-feedback policy of the submission's interview, if it has one."""
        if row.interview_id is None:
            return None
        with self.sessions() as session:
            interview = session.get(Interview, row.interview_id)
            return interview.hidden_feedback if interview is not None else None  # type: ignore[return-value]

    def store(self, submission_id: str, report: GradeReport) -> None:
        """Store the report (unless one is) and, if this one was stored, tell whoever waits for it."""
        status = "failed" if report.verdict is Verdict.internal_error else "completed"
        with self.sessions() as session:
            stored = store.finish(session, submission_id, report, status=status)
        if stored:
            log.info("submission %s: %s", submission_id, report.verdict.value)
            self.notify(submission_id)


def failure(question_id: str, message: str) -> GradeReport:
    """An ``internal_error`` report: the grader's fault, never the candidate's."""
    return GradeReport(
        question_id=question_id, question_version=0, verdict=Verdict.internal_error, score=0.0, max_score=0.0,
        message=message, tests=[], timing=Timing(), sandbox=SandboxInfo(backend="none"),
    )


def announcer(app: Celery, grading: Grading, settings: Settings) -> Callable[[str], None]:
    """After a report is stored: wake the API's waiters, queue the webhook deliveries, then settle its
    interview (if any): wake the interview's live board, and send ``interview.completed`` if due.

    Each step is on its own: a failure is logged and the next still runs (a waiter falls back to
    polling; an unsent delivery is overdue and re-sent by the sweeper; the sweeper settles interviews).
    """
    wake = Notifier(settings)
    steps: list[Callable[[str], object]] = [
        wake.finished, lambda sid: submission_finished(app, grading.sessions, sid),
        lambda sid: interview_changed(app, grading.sessions, wake.finished, sid),
    ]

    def notify(submission_id: str) -> None:
        for step in steps:
            try:
                step(submission_id)
            except Exception:  # noqa: BLE001 - see above
                log.warning("submission %s: a notification failed", submission_id, exc_info=True)

    return notify


def _grades(app: Celery) -> bool:
    """Whether this worker consumes a grading queue (a webhooks-only worker needs no sandbox)."""
    queues = app.amqp.queues.consume_from or app.amqp.queues  # no -Q: every declared queue
    return any(name != WEBHOOK_QUEUE for name in queues)


def running_announcer(settings: Settings) -> Callable[[Submission], None]:
    """After a claim: wake the submission's live streams (and its interview's board); a failure is only logged."""
    wake = Notifier(settings)

    def claimed(row: Submission) -> None:
        try:
            wake.finished(row.id)
            if row.interview_id is not None:
                wake.finished(interview_topic(row.interview_id))
        except Exception:  # noqa: BLE001 - streams also look at the database now and then
            log.warning("submission %s: announcing its start failed", row.id, exc_info=True)

    return claimed


def register(app: Celery, settings: Settings) -> None:
    """Register ``grader.grade_submission`` and ``grader.deliver_webhook`` on ``app``."""
    grading = Grading(settings)
    grading.notify = announcer(app, grading, settings)
    # A grading worker fills its warm pool as soon as it is up, and empties it when it stops.
    worker_ready.connect(lambda **_: grading.start_pool() if _grades(app) else None, weak=False)
    worker_shutdown.connect(lambda **_: grading.close(), weak=False)
    grading.claimed = running_announcer(settings)

    @app.task(name=GRADE_TASK, bind=True, max_retries=None)
    def grade_submission(self: Task, submission_id: str) -> None:
        try:
            retry = grading.run(submission_id)
        except Exception:  # noqa: BLE001 - the database or broker failed: the sweeper takes the job back
            log.exception("submission %s: not finished here; its lease will lapse and it will be sent again",
                          submission_id)
            return
        if retry:
            raise self.retry(countdown=settings.retry_delay_s)

    @app.task(name=DELIVER_TASK)
    def deliver_webhook(delivery_id: str, token: str) -> None:
        delay = attempt(grading.sessions, delivery_id, token, settings)
        if delay is not None:
            with grading.sessions() as session:
                send_delivery(app, session, delivery_id, delay)
