"""The interface every question kind implements, and what kinds share."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from grader.questions.loader import AnyQuestion
from grader.settings import Settings
from sandbox.base import Sandbox
from submissions_schema import GradeReport, GradingJob, QuestionPublic

# One line of `grader tasks validate`: (solution's label, "solution" | "mutant", grade it -> (expected, got, note)).
Check = tuple[str, str, Callable[[Sandbox, Settings], tuple[str, str, str]]]


class JobMismatch(ValueError):
    """The job does not fit its question (code for a short-answer question, unknown parts): bad input."""


class QuestionKind(Protocol):
    """What the grader does with a question of one kind."""

    name: str
    overridable: bool  # whether an interviewer may replace the automatic score (free text)

    def load(self, folder: Path, raw: dict[str, Any]) -> AnyQuestion:
        """Validate the folder (``raw`` is its question.yml); raise ``QuestionError`` naming file and field."""
        ...

    def public_view(self, question: Any, settings: Settings) -> QuestionPublic:
        """What anyone may see: never hidden cases, references, keys or rubrics."""
        ...

    def device(self, question: Any) -> str | None:
        """Where its answers run (``cpu``, ``gpu``), or ``None`` when no sandbox is needed."""
        ...

    def check_job(self, question: Any, job: GradingJob) -> None:
        """Raise :class:`JobMismatch` when ``job`` cannot be graded against ``question``."""
        ...

    def grade(self, question: Any, job: GradingJob, sandbox: Sandbox, settings: Settings) -> GradeReport:
        """The full report for a job that passed :meth:`check_job`."""
        ...

    def job_from_file(self, question: Any, path: Path, text: str) -> GradingJob:
        """A job from a file given to ``grader check`` (raise ``ValueError`` with a message for the reader)."""
        ...

    def folder_problems(self, question: Any) -> list[str]:
        """What its folder lacks to be validated (no solutions, no accepted one...)."""
        ...

    def build_problem(self, question: Any, settings: Settings) -> str | None:
        """Why its cases cannot be built (coding questions), or ``None``."""
        ...

    def checks(self, question: Any) -> list[Check]:
        """Every labelled solution (and mutant) ``grader tasks validate`` grades."""
        ...

    def rescore(self, question: Any, report: GradeReport, score: float) -> GradeReport:
        """``report`` with ``score`` as its score (an interviewer's), its verdict following."""
        ...

    def warm(self, question: Any, settings: Settings, variants: int) -> int:
        """Compute ahead of time what grading needs (coding: expected outputs); how many were computed."""
        ...
