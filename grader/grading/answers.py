"""Short-answer questions: answers checked against the key, no sandbox.

Booleans, single and multiple choice, numbers with a tolerance and accepted units,
words normalised for case, spacing and dashes with listed synonyms, and formulas
(one expression, or dimensions) read by :mod:`grader.grading.expressions` and
compared as mathematics. Every part is a test of its own, with partial credit
across parts. Messages never reveal the key.
"""

from __future__ import annotations

import math
import re
import time
import unicodedata
from typing import Any

from grader.grading.expressions import (
    MAX_CHARS,
    MAX_DIMENSIONS,
    FormulaError,
    Vocabulary,
    equivalent,
    parse_dimensions,
    parse_expression,
    scaled,
)
from grader.questions.loader import ShortAnswerQuestion
from grader.questions.spec import PartSpec
from submissions_schema import GradeReport, SandboxInfo, TestResult, Timing, Verdict, Visibility, worst

BOOLEAN_WORDS = {
    **dict.fromkeys(("true", "t", "yes", "y", "1"), True),
    **dict.fromkeys(("false", "f", "no", "n", "0"), False),
}
NUMBER = re.compile(r"^\s*([-+]?(?:\d[\d,_]*)?\.?\d+(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")
TRAILING_WORD = re.compile(r"^(.*?)\s*([^\W\d_]+|%)\s*$", re.DOTALL)


class AnswerError(ValueError):
    """The answers do not fit the question (unknown parts): bad input, not a wrong answer."""


def check_keys(question: ShortAnswerQuestion, answers: dict[str, Any]) -> None:
    """Refuse answers to parts the question does not have."""
    known = [p.id for p in question.spec.parts]
    unknown = sorted(set(answers) - set(known))
    if unknown:
        raise AnswerError(f"unknown part(s) {unknown}; this question's parts are {known}")


def grade_answers(question: ShortAnswerQuestion, answers: dict[str, Any]) -> GradeReport:
    """One test per part; the report's verdict is the worst of them."""
    t0 = time.monotonic()
    check_keys(question, answers)
    tests = []
    for part in question.spec.parts:
        ok, message = judge_part(part, answers.get(part.id))
        tests.append(TestResult(
            name=part.id, visibility=Visibility.visible,
            verdict=Verdict.accepted if ok else Verdict.wrong_answer,
            score=float(part.points) if ok else 0.0, max_score=float(part.points), message=message,
        ))
    passed = sum(t.verdict is Verdict.accepted for t in tests)
    return GradeReport(
        question_id=question.id, question_version=question.spec.version,
        verdict=worst([t.verdict for t in tests]), score=sum(t.score for t in tests),
        max_score=sum(t.max_score for t in tests), message=f"{passed} of {len(tests)} parts right",
        tests=tests, timing=Timing(check_s=time.monotonic() - t0, total_s=time.monotonic() - t0),
        sandbox=SandboxInfo(backend="none"),
    )


def judge_part(part: PartSpec, given: Any) -> tuple[bool, str]:
    """Whether ``given`` answers ``part``, and a message that does not give the key away."""
    if given is None:
        return False, "no answer"
    judge = {"boolean": _boolean, "choice": _choice, "choices": _choices, "number": _number, "text": _text,
             "expression": _expression, "dimensions": _dimensions}
    return judge[part.type](part, given)


def _verdict(ok: bool, why: str) -> tuple[bool, str]:
    return ok, "" if ok else why


def _boolean(part: PartSpec, given: Any) -> tuple[bool, str]:
    value = given if isinstance(given, bool) else BOOLEAN_WORDS.get(normalise(str(given)))
    if value is None:
        return False, f"expected true or false, got {str(given)[:40]!r}"
    return _verdict(value is part.answer, "wrong")


def _label(value: Any) -> str:
    return normalise(str(value))


def _choice(part: PartSpec, given: Any) -> tuple[bool, str]:
    if isinstance(given, (list, dict)):
        return False, "expected one choice"
    return _verdict(_label(given) == _label(part.answer), "wrong choice")


def _choices(part: PartSpec, given: Any) -> tuple[bool, str]:
    if not isinstance(given, list):
        given = re.split(r"[,\s]+", str(given).strip())
    chosen = {_label(g) for g in given if _label(g)}
    key = {_label(a) for a in part.answer} if isinstance(part.answer, list) else {_label(part.answer)}
    return _verdict(chosen == key, f"not the right set of choices ({len(chosen)} chosen)")


def parse_number(given: Any) -> tuple[float, str] | None:
    """A number and its unit from ``553.43``, ``"553.43 MB"`` or ``"138,357,544"``."""
    if isinstance(given, bool):
        return None
    if isinstance(given, (int, float)):
        return float(given), ""
    match = NUMBER.match(str(given))
    if not match:
        return None
    return float(match.group(1).replace(",", "").replace("_", "")), match.group(2)


def _number(part: PartSpec, given: Any) -> tuple[bool, str]:
    parsed = parse_number(given)
    if parsed is None:
        return False, f"expected a number, got {str(given)[:40]!r}"
    value, unit = parsed
    factor = 1.0 if not unit else part.units.get(unit, part.units.get(unit.lower()))
    if factor is None:
        return False, f"unit {unit!r} is not accepted here; use one of {sorted(part.units) or ['no unit']}"
    answer = float(part.answer)  # type: ignore[arg-type]
    value *= factor
    ok = math.isfinite(value) and abs(value - answer) <= part.tolerance_abs + part.tolerance_rel * abs(answer)
    return _verdict(ok, "outside the accepted tolerance")


def _text(part: PartSpec, given: Any) -> tuple[bool, str]:
    accepted = {normalise(str(part.answer))} | {normalise(s) for s in part.synonyms}
    return _verdict(normalise(str(given)) in accepted, "not the expected answer")


def _vocabulary(part: PartSpec) -> Vocabulary:
    return Vocabulary.build(part.symbols, part.aliases, dimensions=part.type == "dimensions")


def _formula_text(given: Any) -> str:
    """A formula's text from a string or a plain number, of bounded length; anything else cannot be one."""
    if isinstance(given, bool) or not isinstance(given, (str, int, float)):
        raise FormulaError(f"expected a formula, got {type(given).__name__}")
    text = str(given)
    if len(text) > MAX_CHARS:  # before any regular expression sees it
        raise FormulaError(f"the answer is too long ({len(text)} characters; at most {MAX_CHARS})")
    return text


def _strip_unit(part: PartSpec, text: str) -> tuple[str, float]:
    """``224 x 224 pixels`` is ``224 x 224`` and the unit's factor, when the part accepts that unit."""
    match = TRAILING_WORD.match(text)
    if match and part.units:
        word = unicodedata.normalize("NFKC", match.group(2))
        factor = part.units.get(word, part.units.get(word.lower()))
        if factor is not None:
            return match.group(1), factor
    return text, 1.0


def _expression(part: PartSpec, given: Any) -> tuple[bool, str]:
    vocab = _vocabulary(part)
    keys = [parse_expression(k, vocab) for k in (str(part.answer), *part.synonyms)]  # parsed at load: cannot fail
    try:
        text, factor = _strip_unit(part, _formula_text(given))
        value = scaled(parse_expression(text, vocab), factor)
    except FormulaError as exc:
        return False, f"could not read the formula: {exc}"
    return _verdict(any(equivalent(value, k, salt=part.id) for k in keys), "not equivalent to the expected answer")


def _dimensions(part: PartSpec, given: Any) -> tuple[bool, str]:
    vocab = _vocabulary(part)
    keys = [parse_dimensions(k, vocab) for k in (str(part.answer), *part.synonyms)]  # parsed at load: cannot fail
    try:
        if isinstance(given, list):
            if len(given) > MAX_DIMENSIONS:
                raise FormulaError(f"more than {MAX_DIMENSIONS} dimensions")
            factor, dims = 1.0, tuple(parse_expression(_formula_text(g), vocab) for g in given)
        else:
            text, factor = _strip_unit(part, _formula_text(given))
            dims = parse_dimensions(text, vocab)
    except FormulaError as exc:
        return False, f"could not read the dimensions: {exc}"
    dims = tuple(scaled(d, factor) for d in dims)
    same_count = [k for k in keys if len(k) == len(dims)]
    if not same_count:
        return False, f"not the expected number of dimensions ({len(dims)} given)"
    ok = any(all(equivalent(d, k, salt=part.id) for d, k in zip(dims, key, strict=True)) for key in same_count)
    return _verdict(ok, "not equivalent to the expected dimensions")


def normalise(text: str) -> str:
    """Case, spacing, dashes and surrounding punctuation never matter."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"[\u2010-\u2015_-]+", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text.strip(" .,;:!?\"'")
