"""Free-text (conceptual) questions: one answer in prose, credited point by point against a rubric."""

from __future__ import annotations

import json
import threading
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grader.kinds.answers_file import answers_from_json
from grader.kinds.base import Check, JobMismatch
from grader.settings import Settings
from sandbox.base import Sandbox
from submissions_schema import GradeReport, GradingJob, PublicPart, QuestionPublic, Verdict

if TYPE_CHECKING:
    from grader.freetext.engine import FreeTextModel
    from grader.freetext.spec import FreeTextQuestion


class FreeText:
    name = "free_text"
    overridable = True

    def __init__(self) -> None:
        self._models: dict[tuple[str, int, str], FreeTextModel] = {}
        self._lock = threading.Lock()

    def model(self, settings: Settings) -> FreeTextModel:
        """The embedding model, loaded once per process and kept (it takes seconds to load)."""
        from grader.freetext.engine import FreeTextModel

        key = (settings.freetext_model, settings.freetext_threads, str(settings.cache_dir))
        with self._lock:
            if key not in self._models:
                model = FreeTextModel.from_settings(settings)
                model.load()
                self._models[key] = model
            return self._models[key]

    def load(self, folder: Path, raw: dict[str, Any]) -> FreeTextQuestion:
        from grader.freetext.spec import load_free_text

        return load_free_text(folder)

    def public_view(self, question: FreeTextQuestion, settings: Settings) -> QuestionPublic:
        spec = question.spec
        part = PublicPart(id="answer", prompt="Your answer, in a few sentences (plain text or Markdown).",
                          type="free_text", points=spec.max_score)
        return QuestionPublic(kind="free_text", id=spec.id, version=spec.version, title=spec.title, topic=spec.topic,
                              difficulty=spec.difficulty, source=spec.source, prompt=spec.prompt,
                              max_score=spec.max_score, parts=[part])

    def device(self, question: FreeTextQuestion) -> str | None:
        return None

    def check_job(self, question: FreeTextQuestion, job: GradingJob) -> None:
        from grader.freetext.grade import answer_text

        if job.answers is None:
            raise JobMismatch(f"{question.id} is a free-text question: send 'answers': {{'answer': '...'}}")
        try:
            answer_text(job.answers)
        except ValueError as exc:
            raise JobMismatch(str(exc)) from exc

    def grade(self, question: FreeTextQuestion, job: GradingJob, sandbox: Sandbox, settings: Settings) -> GradeReport:
        from grader.freetext.grade import answer_text, grade_free_text

        assert job.answers is not None
        return grade_free_text(question, answer_text(job.answers), self.model(settings))

    def job_from_file(self, question: FreeTextQuestion, path: Path, text: str) -> GradingJob:
        if path.suffix != ".json":  # a plain text or Markdown file is the answer itself
            return GradingJob(question_id=question.id, answers={"answer": text})
        return GradingJob(question_id=question.id, answers=answers_from_json(text))

    def folder_problems(self, question: FreeTextQuestion) -> list[str]:
        return [] if question.solutions() else ["no solutions/"]

    def build_problem(self, question: FreeTextQuestion, settings: Settings) -> str | None:
        return None

    def rescore(self, question: FreeTextQuestion, report: GradeReport, score: float) -> GradeReport:
        passed = report.max_score > 0 and score / report.max_score >= question.spec.pass_fraction
        verdict = Verdict.accepted if passed else Verdict.wrong_answer
        return report.model_copy(update={"score": score, "verdict": verdict})

    def warm(self, question: FreeTextQuestion, settings: Settings, variants: int) -> int:
        self.model(settings).references(question)  # the rubric's embeddings, cached on disk
        return 1

    def checks(self, question: FreeTextQuestion) -> list[Check]:
        return [(p.name, "labelled", partial(self._solution, question, p)) for p in question.solutions()]

    def _solution(self, question: FreeTextQuestion, path: Path, sandbox: Sandbox,
                  settings: Settings) -> tuple[str, str, str]:
        """A labelled answer: its score fraction should fall in its ``accept`` range (a measure of
        agreement, gated over the bank by ``grader.validate``); one labelled as worth nothing must
        never be accepted, whatever the range says."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            low, high = (float(x) for x in data["accept"])
            job = GradingJob(question_id=question.id, answers=data["answers"])
        except (ValueError, KeyError, TypeError) as exc:
            return "?", "invalid", f"not a labelled answer: {exc}"
        report = self.grade(question, job, sandbox, settings)
        fraction = report.score / report.max_score if report.max_score else 0.0
        wanted = f"score {low:.2f}..{high:.2f}"
        if data.get("label") == 0 and report.verdict is Verdict.accepted:
            return "not accepted", "accepted", f"labelled as worth nothing; {report.message[:150]}"
        got = wanted if low - 1e-9 <= fraction <= high + 1e-9 else f"score {fraction:.2f}"
        return wanted, got, "" if got == wanted else f"label {data.get('label')}; {report.message[:150]}"
