"""Every question's solutions/, graded through the real pipeline and bubblewrap sandbox.

Each solution file starts with ``# expect: VERDICT``; the report must say exactly that.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from grader.settings import REPO_ROOT
from submissions_schema import Verdict

EXPECT = re.compile(r"^# expect: (\w+)")


def solutions() -> list[Path]:
    return sorted((REPO_ROOT / "tasks").glob("*/solutions/*.py"))


def expected_verdict(path: Path) -> Verdict:
    match = EXPECT.match(path.read_text(encoding="utf-8"))
    assert match, f"{path} must start with '# expect: VERDICT'"
    return Verdict(match.group(1))


def test_every_question_has_solutions() -> None:
    questions = {p.parent.name for p in (REPO_ROOT / "tasks").glob("*/question.yml")}
    with_solutions = {p.parent.parent.name for p in solutions()}
    assert questions and questions == with_solutions


@pytest.mark.parametrize("path", solutions(), ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_solution_gets_its_expected_verdict(path: Path, grade_code) -> None:  # type: ignore[no-untyped-def]
    question_id = path.parent.parent.name
    report = grade_code(question_id, path.read_text(encoding="utf-8"))
    expected = expected_verdict(path)
    assert report.verdict is expected, report.model_dump_json(indent=1)[:4000]
    if expected is Verdict.accepted:
        assert report.score == report.max_score > 0
    if expected is Verdict.wrong_answer:
        # A typical mistake must be caught by a hidden case, not only by the visible ones.
        assert any(t.verdict is Verdict.wrong_answer and t.visibility.value == "hidden" for t in report.tests)
