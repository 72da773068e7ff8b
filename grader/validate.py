"""``grader tasks validate``: every question loads, every solution gets its expected verdict,
and every mutant is caught by a hidden case.

A coding question's solutions are ``solutions/*.py`` starting with ``# expect: VERDICT``;
a short-answer question's are ``solutions/*.json`` holding ``{"expect": VERDICT,
"answers": {...}}``. Each is graded through the real pipeline (the real sandbox for
code) and compared with its expectation. A coding question's mutants are
``mutants/*.py`` starting with ``# mutant: <the mistake>``: typical mistakes, each of
which must fail at least one hidden test (a wrong value or an exception); one that is
accepted, or caught by visible tests only, survived.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from grader.grading.dispatch import grade_job
from grader.grading.reference import ReferenceError, expected_for
from grader.grading.verdicts import LOAD_FAILED
from grader.questions.loader import AnyQuestion, Question, QuestionError, load_question
from grader.settings import Settings
from sandbox.base import Sandbox
from submissions_schema import GradeReport, GradingJob, Verdict

EXPECT = re.compile(r"^# expect: (\w+)")
MUTANT = re.compile(r"^# mutant: \S")
CAUGHT = "caught"
# A mutant graded so is not a mistake in its values: it is itself broken (or the grader is).
BROKEN = (Verdict.syntax_error, Verdict.forbidden_api, Verdict.internal_error)


@dataclass(frozen=True)
class Row:
    """One line of the validation table."""

    question_id: str
    solution: str
    expected: str
    got: str
    seconds: float
    note: str = ""
    kind: str = "solution"  # or "mutant", "question" (a question that does not load or build)

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


def check_mutant(question: Question, path: Path, sandbox: Sandbox, settings: Settings) -> Row:
    """Grade one mutant; it must be caught, by a hidden test at least."""
    t0 = time.monotonic()
    name = f"mutants/{path.name}"
    text = path.read_text(encoding="utf-8")
    if not MUTANT.match(text):
        return Row(question.id, name, CAUGHT, "invalid", 0.0, "does not start with '# mutant: <the mistake>'", "mutant")
    report = grade_job(GradingJob(question_id=question.id, code=text), question, sandbox, settings)
    got, note = mutant_outcome(report)
    return Row(question.id, name, CAUGHT, got, time.monotonic() - t0, note, "mutant")


def mutant_outcome(report: GradeReport) -> tuple[str, str]:
    """``caught``, or how the mutant survived (or why it proves nothing), with a note."""
    if report.verdict is Verdict.accepted:
        return "survived (accepted)", "no test catches this mistake: add a hidden case that does"
    imported = not any(t.message.startswith(LOAD_FAILED) for t in report.tests)
    if report.verdict in BROKEN or not imported:
        return f"broken ({report.verdict.value})", f"the mutant itself fails: {report.message[:200]}"
    caught_by = {t.visibility.value for t in report.tests if t.verdict in (Verdict.wrong_answer, Verdict.runtime_error)}
    if "hidden" in caught_by:
        return CAUGHT, ""
    if "visible" in caught_by:
        return "survived (visible only)", "only visible tests catch this mistake: a hidden case must catch it too"
    return f"survived ({report.verdict.value})", "no test fails with a wrong value or an exception"


def reference_problem(question: AnyQuestion, settings: Settings) -> Row | None:
    """A row when a coding question's cases or reference cannot be built (a checker override that
    does not bind, a reference that fails); ``None`` when they build (and are now cached)."""
    if not isinstance(question, Question):
        return None
    try:
        expected_for(question, settings.cache_dir, settings.reference_timeout_s)
    except ReferenceError as exc:
        return Row(question.id, "cases.py", "builds", "invalid", 0.0, " ".join(str(exc).split())[-300:], "question")
    return None


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
    """Rows for every folder (load and build errors, folder problems included); solutions and mutants
    graded in parallel."""
    questions: list[AnyQuestion] = []
    for folder in folders:
        try:
            question = load_question(folder)
        except QuestionError as exc:
            yield Row(folder.name, "question.yml", "loads", "invalid", 0.0, str(exc)[:300], "question")
            continue
        for problem in folder_problems(question):
            yield Row(question.id, "-", "complete", "incomplete", 0.0, problem)
        questions.append(question)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        broken = [row for row in pool.map(lambda q: reference_problem(q, settings), questions) if row is not None]
        yield from broken
        sound = [q for q in questions if q.id not in {row.question_id for row in broken}]
        work: list[Callable[[], Row]] = []
        for question in sound:
            work += [partial(check_solution, question, path, sandbox, settings) for path in question.solutions()]
            if isinstance(question, Question):
                work += [partial(check_mutant, question, path, sandbox, settings) for path in question.mutants()]
        yield from pool.map(lambda grade_one: grade_one(), work)


def render(rows: list[Row]) -> str:
    head = ("question", "solution", "expected", "got", "s", "")
    table = [head] + [(r.question_id, r.solution, r.expected, r.got, f"{r.seconds:.2f}", "" if r.ok else "DIFFERS")
                      for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(head))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in table]
    for r in rows:
        if not r.ok and r.note:
            lines.append(f"  {r.question_id}/{r.solution}: {r.note}")
    solutions = sum(r.kind == "solution" and r.solution != "-" for r in rows)
    mutants = [r for r in rows if r.kind == "mutant"]
    questions = len({r.question_id for r in rows})
    lines.append(f"{questions} questions, {solutions} solutions, "
                 f"{len(mutants)} mutants ({sum(r.ok for r in mutants)} caught)")
    bad = sum(not r.ok for r in rows)
    lines.append(f"{len(rows) - bad} passed, {bad} failed")
    return "\n".join(lines)
