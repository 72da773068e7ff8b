"""One entry point for any question kind: its kind checks and grades the job."""

from __future__ import annotations

from grader.kinds import AnyQuestion, JobMismatch, kind_of
from grader.settings import Settings
from sandbox.base import Sandbox
from submissions_schema import GradeReport, GradingJob

__all__ = ["JobMismatch", "grade_job", "validate_job"]


def validate_job(job: GradingJob, question: AnyQuestion) -> None:
    """Raise :class:`JobMismatch` when ``job`` cannot be graded against ``question``."""
    kind_of(question).check_job(question, job)


def grade_job(job: GradingJob, question: AnyQuestion, sandbox: Sandbox, settings: Settings) -> GradeReport:
    """The full report for ``job``; raises :class:`JobMismatch` when it does not fit its question."""
    kind = kind_of(question)
    kind.check_job(question, job)
    return kind.grade(question, job, sandbox, settings)
