"""Short answers against their key, table-driven: booleans, choices, numbers with units, words."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from grader.grading.answers import AnswerError, grade_answers, judge_part, parse_number
from grader.questions.loader import ShortAnswerQuestion
from grader.questions.spec import PartSpec, ShortAnswerSpec
from submissions_schema import Verdict

BOOL = PartSpec(id="b", type="boolean", answer=True)
CHOICE = PartSpec(id="c", type="choice", answer="3", options=["1", "2", "3", "4"])
CHOICES = PartSpec(id="cs", type="choices", answer=["1", "2", "4"], options=["1", "2", "3", "4"])
NUMBER = PartSpec(id="n", type="number", answer=553.43, tolerance_rel=0.01,
                  units={"MB": 1.0, "MiB": 1.048576, "bytes": 1e-6})
EXACT = PartSpec(id="e", type="number", answer=18)
TEXT = PartSpec(id="t", type="text", answer="leaky ReLU", synonyms=["LReLU", "PReLU"])

CASES = [
    (BOOL, True, True), (BOOL, "yes", True), (BOOL, " TRUE ", True), (BOOL, False, False), (BOOL, "no", False),
    (BOOL, "maybe", False), (BOOL, 1, True),
    (CHOICE, "3", True), (CHOICE, 3, True), (CHOICE, "2", False), (CHOICE, ["3"], False),
    (CHOICES, ["1", "2", "4"], True), (CHOICES, [4, 2, 1], True), (CHOICES, "1, 2, 4", True),
    (CHOICES, ["1", "2"], False), (CHOICES, ["1", "2", "3", "4"], False),
    (NUMBER, 553.43, True), (NUMBER, "553.43 MB", True), (NUMBER, "527.8 MiB", True),
    (NUMBER, "553,430,176 bytes", True), (NUMBER, 540, False), (NUMBER, "553 parsecs", False),
    (NUMBER, "lots", False), (NUMBER, True, False), (NUMBER, float("nan"), False),
    (EXACT, 18, True), (EXACT, "18", True), (EXACT, 18.5, False),
    (TEXT, "Leaky ReLU", True), (TEXT, "leaky-relu", True), (TEXT, "  leaky   relu. ", True), (TEXT, "lrelu", True),
    (TEXT, "relu", False), (TEXT, 42, False),
]


@pytest.mark.parametrize("part,given,ok", CASES, ids=[f"{p.id}={g!r}" for p, g, _ in CASES])
def test_judge_part(part: PartSpec, given: Any, ok: bool) -> None:
    assert judge_part(part, given)[0] is ok


def test_messages_never_give_the_key_away() -> None:
    for part, given, ok in CASES:
        if not ok:
            message = judge_part(part, given)[1].lower()
            assert "553.43" not in message and "leaky" not in message and "[1, 2, 4]" not in message


def test_parse_number() -> None:
    assert parse_number("138,357,544") == (138357544.0, "")
    assert parse_number("1e3 B") == (1000.0, "B")
    assert parse_number(".5") == (0.5, "")
    assert parse_number("abc") is None


@pytest.fixture()
def question() -> ShortAnswerQuestion:
    spec = ShortAnswerSpec(kind="short_answer", id="q", version=1, title="t", topic="x", difficulty="easy",
                           source="s", prompt="p", parts=[BOOL, NUMBER, TEXT])
    return ShortAnswerQuestion(spec=spec, folder=Path("."), digest="0")


def test_partial_credit_and_missing_parts(question: ShortAnswerQuestion) -> None:
    report = grade_answers(question, {"b": True, "n": "553 MB"})
    assert report.verdict is Verdict.wrong_answer
    assert (report.score, report.max_score) == (2.0, 3.0)
    assert [t.verdict for t in report.tests] == [Verdict.accepted, Verdict.accepted, Verdict.wrong_answer]
    assert report.tests[2].message == "no answer"
    assert grade_answers(question, {"b": "yes", "n": 553.43, "t": "LReLU"}).verdict is Verdict.accepted


def test_unknown_parts_are_bad_input(question: ShortAnswerQuestion) -> None:
    with pytest.raises(AnswerError, match="unknown part"):
        grade_answers(question, {"b": True, "zzz": 1})
