"""Short-answer questions: answers by part, checked against a key on the trusted side."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Any

from grader.kinds.answers_file import answers_from_json
from grader.kinds.base import Check, JobMismatch
from grader.questions.loader import ShortAnswerQuestion, check_id, folder_digest, validate_model
from grader.questions.spec import ShortAnswerSpec
from grader.settings import Settings
from sandbox.base import Sandbox
from submissions_schema import GradeReport, GradingJob, QuestionPublic, Verdict


class ShortAnswer:
    name = "short_answer"
    overridable = False

    def load(self, folder: Path, raw: dict[str, Any]) -> ShortAnswerQuestion:
        path = folder / "question.yml"
        spec = validate_model(ShortAnswerSpec, raw, path)
        check_id(spec.id, folder, path)
        return ShortAnswerQuestion(spec=spec, folder=folder, digest=folder_digest(folder, ("question.yml",)))

    def public_view(self, question: ShortAnswerQuestion, settings: Settings) -> QuestionPublic:
        from grader.questions.public import short_answer_view

        return short_answer_view(question)

    def device(self, question: ShortAnswerQuestion) -> str | None:
        return None

    def check_job(self, question: ShortAnswerQuestion, job: GradingJob) -> None:
        from grader.grading.answers import check_keys

        if job.answers is None:
            raise JobMismatch(f"{question.id} is a short-answer question: send 'answers', not 'code'")
        try:
            check_keys(question, job.answers)
        except ValueError as exc:
            raise JobMismatch(str(exc)) from exc

    def grade(self, question: ShortAnswerQuestion, job: GradingJob, sandbox: Sandbox,
              settings: Settings) -> GradeReport:
        from grader.grading.answers import grade_answers

        assert job.answers is not None
        return grade_answers(question, job.answers)

    def job_from_file(self, question: ShortAnswerQuestion, path: Path, text: str) -> GradingJob:
        return GradingJob(question_id=question.id, answers=answers_from_json(text))

    def folder_problems(self, question: ShortAnswerQuestion) -> list[str]:
        return [] if question.solutions() else ["no solutions/"]

    def build_problem(self, question: ShortAnswerQuestion, settings: Settings) -> str | None:
        return None

    def rescore(self, question: ShortAnswerQuestion, report: GradeReport, score: float) -> GradeReport:
        raise ValueError(f"{question.id}: a short answer question's score is not overridden")

    def warm(self, question: ShortAnswerQuestion, settings: Settings, variants: int) -> int:
        return 0

    def checks(self, question: ShortAnswerQuestion) -> list[Check]:
        return [(p.name, "solution", partial(_solution, question, p)) for p in question.solutions()]


def _solution(question: ShortAnswerQuestion, path: Path, sandbox: Sandbox, settings: Settings) -> tuple[str, str, str]:
    from grader.grading.answers import grade_answers

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        expected = Verdict(data["expect"])
        report = grade_answers(question, data["answers"])
    except (ValueError, KeyError, TypeError) as exc:
        return "?", "invalid", f"unreadable expectation: {exc}"
    return expected.value, report.verdict.value, "" if report.verdict is expected else report.message[:200]
