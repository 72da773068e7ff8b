"""``grader tasks validate``: every question loads, and every solution gets its expected verdict.

A coding question's solutions are ``solutions/*.py`` starting with ``# expect: VERDICT``;
a short-answer question's are ``solutions/*.json`` holding ``{"expect": VERDICT,
"answers": {...}}``. Each is graded through the real pipeline (the real sandbox for
code) and compared with its expectation.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from grader.grading.dispatch import grade_job
from grader.questions.loader import AnyQuestion, Question, QuestionError, load_question
from grader.settings import Settings
from sandbox.base import Sandbox
from submissions_schema import GradingJob, Verdict

EXPECT = re.compile(r"^# expect: (\w+)")


@dataclass(frozen=True)
class Row:
    """One line of the validation table."""

    question_id: str
    solution: str
    expected: str
    got: str
    seconds: float
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.expected == self.got


def expectation(path: Path) -> tuple[Verdict, GradingJob] | str:
    """The expected verdict and the job for one solution file, or why it cannot be read."""
    question_id = path.parent.parent.name
    text = path.read_text(encoding="utf-8")
    try:
        if path.suffix == ".json":
            data = json.loads(text)
            return Verdict(data["expect"]), GradingJob(question_id=question_id, answers=data["answers"])
        match = EXPECT.match(text)
        if not match:
            return "does not start with '# expect: VERDICT'"
        return Verdict(match.group(1)), GradingJob(question_id=question_id, code=text)
    except (ValueError, KeyError, TypeError) as exc:
        return f"unreadable expectation: {exc}"


def check_solution(question: AnyQuestion, path: Path, sandbox: Sandbox, settings: Settings) -> Row:
    t0 = time.monotonic()
    found = expectation(path)
    if isinstance(found, str):
        return Row(question.id, path.name, "?", "invalid", 0.0, found)
    expected, job = found
    report = grade_job(job, question, sandbox, settings)
    got, note = report.verdict.value, "" if report.verdict is expected else report.message[:200]
    hidden_catch = any(t.verdict is Verdict.wrong_answer and t.visibility.value == "hidden" for t in report.tests)
    if isinstance(question, Question) and expected is Verdict.wrong_answer and got == expected and not hidden_catch:
        got, note = "wrong_answer (visible only)", "a typical mistake must be caught by a hidden case too"
    return Row(question.id, path.name, expected.value, got, time.monotonic() - t0, note)


def folder_problems(question: AnyQuestion) -> list[str]:
    """What a question folder lacks: solutions, and for coding questions an accepted one."""
    solutions = question.solutions()
    if not solutions:
        return ["no solutions/"]
    if isinstance(question, Question):
        accepted = [p for p in solutions if p.read_text(encoding="utf-8").startswith("# expect: accepted")]
        if not accepted:
            return ["no solution expected to be accepted"]
    return []


def validate(folders: list[Path], sandbox: Sandbox, settings: Settings, jobs: int) -> Iterator[Row]:
    """Rows for every folder (load errors and folder problems included), solutions graded in parallel."""
    work: list[tuple[AnyQuestion, Path]] = []
    for folder in folders:
        try:
            question = load_question(folder)
        except QuestionError as exc:
            yield Row(folder.name, "question.yml", "loads", "invalid", 0.0, str(exc)[:300])
            continue
        for problem in folder_problems(question):
            yield Row(question.id, "-", "complete", "incomplete", 0.0, problem)
        work += [(question, path) for path in question.solutions()]
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        yield from pool.map(lambda item: check_solution(item[0], item[1], sandbox, settings), work)


def render(rows: list[Row]) -> str:
    head = ("question", "solution", "expected", "got", "s", "")
    table = [head] + [(r.question_id, r.solution, r.expected, r.got, f"{r.seconds:.2f}", "" if r.ok else "DIFFERS")
                      for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(head))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in table]
    for r in rows:
        if not r.ok and r.note:
            lines.append(f"  {r.question_id}/{r.solution}: {r.note}")
    bad = sum(not r.ok for r in rows)
    lines.append(f"{len(rows) - bad} passed, {bad} failed")
    return "\n".join(lines)
