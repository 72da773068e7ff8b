"""Coding questions: answers are code, run in a sandbox against visible and hidden cases."""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path
from typing import Any

from grader.grading.reference import ReferenceError, expected_for
from grader.kinds.base import Check, JobMismatch
from grader.notebooks import code_of
from grader.questions.loader import (
    CODE_FILES,
    REQUIRED_FILES,
    Question,
    QuestionError,
    check_id,
    folder_digest,
    validate_model,
)
from grader.questions.spec import QuestionSpec
from grader.settings import Settings
from sandbox.base import Sandbox
from submissions_schema import GradeReport, GradingJob, QuestionPublic, Verdict

EXPECT = re.compile(r"^# expect: (\w+)")
MUTANT = re.compile(r"^# mutant: \S")


class Coding:
    name = "coding"
    overridable = False

    def load(self, folder: Path, raw: dict[str, Any]) -> Question:
        from grader.grading.checkers import CheckerError, resolve_checker

        path = folder / "question.yml"
        spec = validate_model(QuestionSpec, raw, path)
        for name in REQUIRED_FILES:
            if not (folder / name).is_file():
                raise QuestionError(f"{folder / name}: missing (a coding question needs {', '.join(REQUIRED_FILES)})")
        check_id(spec.id, folder, path)
        try:
            checker = resolve_checker(spec.checker.declared(), folder)
        except CheckerError as exc:
            raise QuestionError(f"{path}: {exc}") from exc
        return Question(spec=spec, folder=folder, digest=folder_digest(folder, CODE_FILES), checker=checker)

    def public_view(self, question: Question, settings: Settings) -> QuestionPublic:
        from grader.questions.public import public_view

        return public_view(question, expected_for(question, settings.cache_dir, settings.reference_timeout_s))

    def device(self, question: Question) -> str | None:
        return question.spec.device

    def check_job(self, question: Question, job: GradingJob) -> None:
        if job.code is None:
            raise JobMismatch(f"{question.id} is a coding question: send 'code', not 'answers'")

    def grade(self, question: Question, job: GradingJob, sandbox: Sandbox, settings: Settings) -> GradeReport:
        from grader.grading.pipeline import grade

        return grade(job, question, sandbox, settings)

    def job_from_file(self, question: Question, path: Path, text: str) -> GradingJob:
        return GradingJob(question_id=question.id, code=code_of(path.name, text))  # a notebook: its code cells

    def folder_problems(self, question: Question) -> list[str]:
        solutions = sorted((question.folder / "solutions").glob("*.py"))
        if not solutions:
            return ["no solutions/"]
        if not any(p.read_text(encoding="utf-8").startswith("# expect: accepted") for p in solutions):
            return ["no solution expected to be accepted"]
        return []

    def build_problem(self, question: Question, settings: Settings) -> str | None:
        try:
            expected_for(question, settings.cache_dir, settings.reference_timeout_s)
        except ReferenceError as exc:
            return " ".join(str(exc).split())[-300:]
        return None

    def rescore(self, question: Question, report: GradeReport, score: float) -> GradeReport:
        raise ValueError(f"{question.id}: a coding question's score is not overridden")

    def warm(self, question: Question, settings: Settings, variants: int) -> int:
        from grader.grading.reference import warm

        return warm(question, settings.cache_dir, settings.reference_timeout_s, variants)

    def checks(self, question: Question) -> list[Check]:
        found: list[Check] = [(p.name, "solution", partial(_solution, question, p)) for p in question.solutions()]
        found += [(f"mutants/{p.name}", "mutant", partial(_mutant, question, p)) for p in question.mutants()]
        return found


def _solution(question: Question, path: Path, sandbox: Sandbox, settings: Settings) -> tuple[str, str, str]:
    text = path.read_text(encoding="utf-8")
    match = EXPECT.match(text)
    if not match or match.group(1) not in Verdict.__members__:
        return "?", "invalid", "does not start with '# expect: VERDICT'"
    expected = Verdict(match.group(1))
    report = _grade(question, text, sandbox, settings)
    got, note = report.verdict.value, "" if report.verdict is expected else _why(report)
    hidden_catch = any(t.verdict is Verdict.wrong_answer and t.visibility.value == "hidden" for t in report.tests)
    if expected is Verdict.wrong_answer and got == expected and not hidden_catch:
        got, note = "wrong_answer (visible only)", "a typical mistake must be caught by a hidden case too"
    return expected.value, got, note


def _why(report: GradeReport) -> str:
    """The report's message and its first test that did not pass (which one, and how), for the table."""
    failed = next((t for t in report.tests if t.verdict is not Verdict.accepted), None)
    first = "" if failed is None else f"; first failed: {failed.name}: {failed.message}"
    return " ".join((report.message + first).split())[:400]


def _mutant(question: Question, path: Path, sandbox: Sandbox, settings: Settings) -> tuple[str, str, str]:
    from grader.validate import CAUGHT, mutant_outcome

    text = path.read_text(encoding="utf-8")
    if not MUTANT.match(text):
        return CAUGHT, "invalid", "does not start with '# mutant: <the mistake>'"
    return (CAUGHT, *mutant_outcome(_grade(question, text, sandbox, settings)))


def _grade(question: Question, code: str, sandbox: Sandbox, settings: Settings) -> GradeReport:
    from grader.grading.pipeline import grade

    return grade(GradingJob(question_id=question.id, code=code), question, sandbox, settings)
