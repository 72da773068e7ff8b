"""Short answers against their key, table-driven: booleans, choices, numbers with units, words, formulas."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from grader.grading.answers import AnswerError, grade_answers, judge_part, parse_number
from grader.questions.loader import QuestionError, ShortAnswerQuestion, load_question
from grader.questions.public import short_answer_view
from grader.questions.spec import PartSpec, ShortAnswerSpec
from submissions_schema import Verdict

BOOL = PartSpec(id="b", type="boolean", answer=True)
CHOICE = PartSpec(id="c", type="choice", answer="3", options=["1", "2", "3", "4"])
CHOICES = PartSpec(id="cs", type="choices", answer=["1", "2", "4"], options=["1", "2", "3", "4"])
NUMBER = PartSpec(id="n", type="number", answer=553.43, tolerance_rel=0.01,
                  units={"MB": 1.0, "MiB": 1.048576, "bytes": 1e-6})
EXACT = PartSpec(id="e", type="number", answer=18)
TEXT = PartSpec(id="t", type="text", answer="leaky ReLU", synonyms=["LReLU", "PReLU"])
EXPR = PartSpec(id="x", type="expression", answer="floor((K + 2p - θ)/s) + 1",
                symbols={"K": "input size", "θ": "kernel size", "p": "padding", "s": "stride"}, aliases={"pad": "p"})
DIMS = PartSpec(id="d", type="dimensions", answer="(K - θ + 1) x (K - θ + 1)",
                symbols={"K": "input size", "θ": "kernel size"})
SIZE = PartSpec(id="z", type="dimensions", answer="224 x 224", synonyms=["224"], units={"pixels": 1, "px": 1})

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
    (EXPR, "floor((K + 2p - θ)/s) + 1", True), (EXPR, "⌊(K − θ + 2·p)/s⌋ + 1", True),
    (EXPR, "floor((K - theta + 2pad)/s + 1)", True), (EXPR, "floor((K + 2p - θ + s)/s)", True),
    (EXPR, "(K + 2p - θ)/s + 1", False), (EXPR, "floor((K + 2p - θ)/s)", False),
    (EXPR, "floor((K + 2p θ)/s) + 1", False),
    (EXPR, "floor((K + 2 padding - θ)/s) + 1", False), (EXPR, "", False), (EXPR, True, False), (EXPR, ["K"], False),
    (DIMS, "(K + 1 - θ) × (K + 1 - θ)", True), (DIMS, "(1 + K - θ) x (1 + K - θ)", True),
    (DIMS, "(K − θ + 1)×(K−θ+1)", True), (DIMS, "(K - theta + 1, K - theta + 1)", True),
    (DIMS, ["K - θ + 1", "1 + K - θ"], True), (DIMS, "K-θ+1 by K-θ+1", True),
    (DIMS, "(K θ + 1) x (K θ + 1)", False), (DIMS, "(K + θ + 1) x (K + θ + 1)", False),
    (DIMS, "(K - θ) x (K - θ)", False), (DIMS, "(K - θ + 1)", False), (DIMS, "(K - θ + 1)²", False),
    (DIMS, "(K-θ+1) x (K-θ+1) x 1", False), (DIMS, ["K - θ + 1"] * 9, False), (DIMS, "(" * 10_000, False),
    (DIMS, "9**9**9**9 x 1", False), (DIMS, 7, False), (SIZE, "a" * 1_000_000 + "(", False),
    (SIZE, "224x224", True), (SIZE, "(224, 224)", True), (SIZE, "224 × 224 pixels", True), (SIZE, "224", True),
    (SIZE, 224, True), (SIZE, "224 x 224 px", True), (SIZE, "227 x 227", False), (SIZE, "224 x 224 x 3", False),
    (SIZE, "224 x 224 parsecs", False),
]


@pytest.mark.parametrize("part,given,ok", CASES, ids=[f"{p.id}={g!r:.40}" for p, g, _ in CASES])
def test_judge_part(part: PartSpec, given: Any, ok: bool) -> None:
    assert judge_part(part, given)[0] is ok


def test_messages_never_give_the_key_away() -> None:
    for part, given, ok in CASES:
        if not ok:
            message = judge_part(part, given)[1].lower()
            assert "553.43" not in message and "leaky" not in message and "[1, 2, 4]" not in message
            assert "floor" not in message and "+ 1" not in message and "224" not in message


@pytest.mark.parametrize(
    "given,words",
    [("(K - θ + 1)", "not the expected number of dimensions (1 given)"),
     ("(N - θ + 1) x (N - θ + 1)", "unknown symbol 'N' (this answer may use K, θ)"),
     ("(K - θ + 1 x (K - θ + 1)", "could not read the dimensions"), ("(" * 10_000, "too long"),
     ("(K + θ + 1) x (K + θ + 1)", "not equivalent to the expected dimensions")],
)
def test_formula_messages(given: str, words: str) -> None:
    ok, message = judge_part(DIMS, given)
    assert not ok and words in message


@pytest.mark.parametrize(
    "fields,where,words",
    [
        ({"type": "dimensions", "answer": "(K - φ + 1) x (K - θ + 1)", "symbols": {"K": "", "θ": ""}}, "answer",
         "unknown symbol 'φ'"),
        ({"type": "expression", "answer": "(K - θ + 1", "symbols": {"K": "", "θ": ""}}, "answer", "ends too early"),
        ({"type": "expression", "answer": "K", "symbols": {"K": ""}, "synonyms": ["K +"]}, "synonyms", "K +"),
        ({"type": "expression", "answer": "K", "symbols": {"K1": ""}}, "symbols", "not a name"),
        ({"type": "dimensions", "answer": "1", "symbols": {"x": ""}}, "symbols", "reserved"),
        ({"type": "expression", "answer": "K", "symbols": {"K": ""}, "aliases": {"kernel": "Q"}}, "aliases",
         "not a declared symbol"),
        ({"type": "expression", "answer": "K", "symbols": {"K": ""}, "units": {"K": 1.0}}, "units", "also names"),
        ({"type": "expression", "answer": "K/(K - K)", "symbols": {"K": ""}}, "answer", "has no value"),
        ({"type": "dimensions", "answer": "K x floor(sqrt(-K))", "symbols": {"K": ""}}, "answer", "has no value"),
        ({"type": "number", "answer": 3, "symbols": {"K": ""}}, "symbols", "belong to expression"),
        ({"type": "expression", "answer": 3, "symbols": {"K": ""}}, "answer", "needs a str answer"),
    ],
)
def test_formula_keys_are_checked_when_the_part_loads(fields: dict[str, Any], where: str, words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        PartSpec.model_validate({"id": "p", **fields})
    assert any(err["loc"][-1] == where and words in err["msg"] for err in caught.value.errors()), caught.value


def test_a_key_typo_is_a_load_error_naming_file_and_field(tmp_path: Path) -> None:
    folder = tmp_path / "dims"
    folder.mkdir()
    (folder / "question.yml").write_text(
        "kind: short_answer\nid: dims\nversion: 1\ntitle: t\ntopic: c\ndifficulty: easy\nsource: s\nprompt: p\n"
        "parts:\n  - {id: d, type: dimensions, answer: '(K - θ + 1) x (K - 0 + 1', symbols: {K: size, θ: kernel}}\n",
        encoding="utf-8")
    with pytest.raises(QuestionError, match=r"question\.yml: field 'parts\.0\.answer': .*ends too early"):
        load_question(folder)


def test_the_public_view_shows_symbols_not_the_key() -> None:
    spec = ShortAnswerSpec(kind="short_answer", id="q", version=1, title="t", topic="x", difficulty="easy",
                           source="s", prompt="p", parts=[DIMS])
    view = short_answer_view(ShortAnswerQuestion(spec=spec, folder=Path("."), digest="0"))
    assert view.parts[0].type == "dimensions" and view.parts[0].symbols == {"K": "input size", "θ": "kernel size"}
    assert "+ 1" not in view.model_dump_json()


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
