"""The grading task: load, grade, store, notify. Everything else lives elsewhere."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from celery import Celery, Task
from sqlalchemy.orm import Session, sessionmaker

from grader.grading.dispatch import grade_job
from grader.questions.loader import QuestionError, UnknownQuestion, find_question
from grader.sandboxes import make_sandbox
from grader.settings import Settings
from grader.storage import submissions as store
from grader.storage.db import make_engine, sessions
from grader.webhooks.delivery import attempt
from grader.worker.notify import DELIVER_TASK, send_delivery, submission_finished
from sandbox.base import Sandbox
from submissions_schema import GradeReport, GradingJob, SandboxInfo, Timing, Verdict

log = logging.getLogger(__name__)


@dataclass
class Grading:
    """What one worker process needs, built on first use (never at import time)."""

    settings: Settings
    notify: Callable[[str], object] = lambda submission_id: None

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        return sessions(make_engine(self.settings.effective_database_url))

    @cached_property
    def sandbox(self) -> Sandbox:
        return make_sandbox(self.settings)

    def run(self, submission_id: str) -> bool:
        """Grade one submission; ``True`` when it should be tried again later."""
        with self.sessions() as session:
            row = store.claim(session, submission_id)
            if row is None:
                return False  # already graded: a duplicate delivery ends here
            if row.attempts > self.settings.max_attempts:
                report = failure(row.question_id, f"gave up after {self.settings.max_attempts} attempts")
                if store.finish(session, submission_id, report, status="failed"):
                    self.notify(submission_id)
                return False
            job = GradingJob(question_id=row.question_id, code=row.code, answers=row.answers,
                             submission_id=submission_id)
            attempts = row.attempts
        report = self.grade(job)
        retry = report.verdict is Verdict.internal_error and attempts < self.settings.max_attempts
        if not retry:
            with self.sessions() as session:
                failed = report.verdict is Verdict.internal_error
                stored = store.finish(session, submission_id, report, status="failed" if failed else "completed")
            if stored:
                log.info("submission %s: %s", submission_id, report.verdict.value)
                self.notify(submission_id)
        return retry

    def grade(self, job: GradingJob) -> GradeReport:
        try:
            question = find_question(self.settings.tasks_dir, job.question_id)
        except (UnknownQuestion, QuestionError) as exc:
            return failure(job.question_id, f"the question cannot be loaded: {exc}")
        return grade_job(job, question, self.sandbox, self.settings)


def failure(question_id: str, message: str) -> GradeReport:
    """An ``internal_error`` report: the grader's fault, never the candidate's."""
    return GradeReport(
        question_id=question_id, question_version=0, verdict=Verdict.internal_error, score=0.0, max_score=0.0,
        message=message, tests=[], timing=Timing(), sandbox=SandboxInfo(backend="none"),
    )


def register(app: Celery, settings: Settings) -> None:
    """Register ``grader.grade_submission`` and ``grader.deliver_webhook`` on ``app``."""
    grading = Grading(settings)
    grading.notify = lambda submission_id: submission_finished(app, grading.sessions, submission_id)

    @app.task(name="grader.grade_submission", bind=True, max_retries=None)
    def grade_submission(self: Task, submission_id: str) -> None:
        if grading.run(submission_id):
            raise self.retry(countdown=settings.retry_delay_s)

    @app.task(name=DELIVER_TASK)
    def deliver_webhook(delivery_id: str, token: str) -> None:
        delay = attempt(grading.sessions, delivery_id, token, settings)
        if delay is not None:
            with grading.sessions() as session:
                send_delivery(app, session, delivery_id, delay)
