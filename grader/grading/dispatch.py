"""One entry point for any question kind: coding answers go to the sandbox, short answers to the key."""

from __future__ import annotations

from grader.grading.pipeline import grade
from grader.questions.loader import AnyQuestion, ShortAnswerQuestion
from grader.settings import Settings
from sandbox.base import Sandbox
from submissions_schema import GradeReport, GradingJob


class JobMismatch(ValueError):
    """The job does not fit its question (code for a short-answer question, unknown parts): bad input."""


def validate_job(job: GradingJob, question: AnyQuestion) -> None:
    """Raise :class:`JobMismatch` when ``job`` cannot be graded against ``question``."""
    if isinstance(question, ShortAnswerQuestion):
        from grader.grading.answers import check_keys  # SymPy, for formulas: only short answers load it

        if job.answers is None:
            raise JobMismatch(f"{question.id} is a short-answer question: send 'answers', not 'code'")
        try:
            check_keys(question, job.answers)
        except ValueError as exc:
            raise JobMismatch(str(exc)) from exc
    elif job.code is None:
        raise JobMismatch(f"{question.id} is a coding question: send 'code', not 'answers'")


def grade_job(job: GradingJob, question: AnyQuestion, sandbox: Sandbox, settings: Settings) -> GradeReport:
    """The full report for ``job``; call :func:`validate_job` first."""
    validate_job(job, question)
    if isinstance(question, ShortAnswerQuestion):
        from grader.grading.answers import grade_answers

        assert job.answers is not None
        return grade_answers(question, job.answers)
    return grade(job, question, sandbox, settings)
