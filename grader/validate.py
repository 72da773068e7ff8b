"""``grader tasks validate``: every question loads, every solution gets its expected verdict,
and every mutant is caught by a hidden case.

Each question's kind says what its labelled solutions are (``grader.kinds``): a coding
question's are ``solutions/*.py`` starting with ``# expect: VERDICT`` and ``mutants/*.py``
starting with ``# mutant: <the mistake>`` (typical mistakes, each of which must fail at
least one hidden test: one accepted, or caught by visible tests only, survived); a
short-answer question's are ``solutions/*.json`` holding ``{"expect": VERDICT,
"answers": {...}}``; a free-text question's hold a ``label`` and the ``accept`` range of
score fractions. Each is graded through the real pipeline and compared with its expectation.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from grader.grading.verdicts import LOAD_FAILED
from grader.kinds import AnyQuestion, Check, kind_of
from grader.questions.loader import QuestionError, load_question
from grader.settings import Settings
from sandbox.base import Sandbox
from submissions_schema import GradeReport, Verdict

CAUGHT = "caught"
# Free-text answers labelled by an interviewer: the share scored inside their accepted range
# may not fall below this (bench/freetext_agreement.py measures the agreement in full).
LABELLED_FLOOR = 0.80
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
    kind: str = "solution"  # or "mutant", "labelled", "question" (a question that does not load or build)

    @property
    def ok(self) -> bool:
        return self.expected == self.got


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


def validate(folders: list[Path], sandbox: Sandbox, settings: Settings, jobs: int) -> Iterator[Row]:
    """Rows for every folder (load and build errors, folder problems included); solutions and mutants
    graded in parallel, each by its question's kind."""
    questions: list[AnyQuestion] = []
    for folder in folders:
        try:
            question = load_question(folder)
        except QuestionError as exc:
            yield Row(folder.name, "question.yml", "loads", "invalid", 0.0, str(exc)[:300], "question")
            continue
        for problem in kind_of(question).folder_problems(question):
            yield Row(question.id, "-", "complete", "incomplete", 0.0, problem)
        questions.append(question)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        broken = [row for row in pool.map(lambda q: _build(q, settings), questions) if row is not None]
        yield from broken
        sound = [q for q in questions if q.id not in {row.question_id for row in broken}]
        work: list[Callable[[], Row]] = [partial(_row, q, check, sandbox, settings)
                                         for q in sound for check in kind_of(q).checks(q)]
        yield from pool.map(lambda grade_one: grade_one(), work)


def _build(question: AnyQuestion, settings: Settings) -> Row | None:
    """A row when the question's cases cannot be built (a checker override that does not bind, a
    reference that fails); ``None`` when they build (and are now cached)."""
    problem = kind_of(question).build_problem(question, settings)
    return None if problem is None else Row(question.id, "cases.py", "builds", "invalid", 0.0, problem, "question")


def _row(question: AnyQuestion, check: Check, sandbox: Sandbox, settings: Settings) -> Row:
    label, what, grade_one = check
    t0 = time.monotonic()
    expected, got, note = grade_one(sandbox, settings)
    return Row(question.id, label, expected, got, time.monotonic() - t0, note, what)


def agreement(rows: list[Row]) -> float:
    """The share of labelled free-text answers scored inside their accepted range (1.0 when none)."""
    labelled = [r for r in rows if r.kind == "labelled"]
    return sum(r.ok for r in labelled) / len(labelled) if labelled else 1.0


def passed(rows: list[Row]) -> bool:
    """Every verdict, mutant and question as expected, and the labelled answers' agreement at the floor."""
    return all(r.ok for r in rows if r.kind != "labelled") and agreement(rows) >= LABELLED_FLOOR


def _mark(row: Row) -> str:
    return "" if row.ok else "outside" if row.kind == "labelled" else "DIFFERS"


def render(rows: list[Row]) -> str:
    head = ("question", "solution", "expected", "got", "s", "")
    table = [head] + [(r.question_id, r.solution, r.expected, r.got, f"{r.seconds:.2f}", _mark(r))
                      for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(head))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in table]
    for r in rows:
        if not r.ok and r.note:
            lines.append(f"  {r.question_id}/{r.solution}: {r.note}")
    solutions = sum(r.kind in ("solution", "labelled") and r.solution != "-" for r in rows)
    mutants = [r for r in rows if r.kind == "mutant"]
    questions = len({r.question_id for r in rows})
    lines.append(f"{questions} questions, {solutions} solutions, "
                 f"{len(mutants)} mutants ({sum(r.ok for r in mutants)} caught)")
    labelled = [r for r in rows if r.kind == "labelled"]
    if labelled:
        lines.append(f"free text: {sum(r.ok for r in labelled)} of {len(labelled)} labelled answers scored in their "
                     f"accepted range ({agreement(rows):.0%}; the floor is {LABELLED_FLOOR:.0%}); labelled as worth "
                     f"nothing yet accepted: {sum(r.got == 'accepted' for r in labelled)}")
    bad = sum(not r.ok for r in rows if r.kind != "labelled")
    lines.append(f"{len(rows) - len(labelled) - bad} passed, {bad} failed")
    return "\n".join(lines)
