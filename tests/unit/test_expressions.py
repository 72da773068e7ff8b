"""The formula grammar and equivalence: what it reads, what it refuses, and that hostile input stays bounded."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import sympy

from grader.grading import expressions
from grader.grading.expressions import (
    FormulaError,
    Vocabulary,
    equivalent,
    evaluate,
    parse_dimensions,
    parse_expression,
)

K, θ, s = sympy.symbols("K θ s")
MIN, MAX = sympy.Function("min"), sympy.Function("max")
VOCAB = Vocabulary.build(["K", "θ", "s"])
DIMS = Vocabulary.build(["K", "θ"], dimensions=True)

READS = [
    # implicit products, never a dropped sign
    ("2K", 2 * K), ("Kθ", K * θ), ("K θ", K * θ), ("Ktheta", K * θ), ("(K+1)(K+1)", (K + 1) ** 2),
    ("2(K+1)", 2 * K + 2), ("K(θ+1)", K * (θ + 1)), ("K - θ", K - θ), ("K-θ", K - θ),
    # unicode: minus signs and dashes, products, Greek letters and their names, superscripts
    ("K − θ", K - θ), ("K – θ", K - θ), ("K — θ", K - θ), ("K ‐ θ", K - θ), ("K × θ", K * θ), ("K·θ", K * θ),
    ("K⋅θ", K * θ), ("K ÷ θ", K / θ), ("K²", K**2), ("K⁻¹", 1 / K), ("(K+1)³", (K + 1) ** 3),
    ("theta", θ), ("Theta", θ), ("THETA", θ), ("Θ", θ), ("k", K), ("ϑ", θ), ("ＫＫ", K**2),
    # precedence and powers
    ("1 + 2K", 1 + 2 * K), ("-K^2", -(K**2)), ("(-K)^2", K**2), ("2^3^2", sympy.Integer(512)),
    ("K**2", K**2), ("K^-1", 1 / K), ("K/2θ", K * θ / 2), ("K/(2θ)", K / (2 * θ)), ("K - -θ", K + θ),
    ("2K^2", 2 * K**2), ("[K + 1] / 2", (K + 1) / 2), ("0.5K", K / 2), (".25", sympy.Rational(1, 4)),
    # functions and brackets
    ("sqrt(K)", sympy.sqrt(K)), ("√K + 1", sympy.sqrt(K) + 1), ("√(K+1)", sympy.sqrt(K + 1)),
    ("floor(K/s)", sympy.floor(K / s)), ("⌊K/s⌋", sympy.floor(K / s)), ("⌈K/s⌉", sympy.ceiling(K / s)),
    ("ceil(K/s)", sympy.ceiling(K / s)), ("max(K, θ)", MAX(K, θ)), ("abs(K - θ)", sympy.Abs(K - θ)),
]


def read(text: str, vocab: Vocabulary = VOCAB) -> sympy.Expr:
    """The formula as SymPy evaluates it (the parser builds it unevaluated)."""
    return parse_expression(text, vocab).doit()


@pytest.mark.parametrize("text,expected", READS, ids=[r[0] for r in READS])
def test_reads(text: str, expected: sympy.Expr) -> None:
    assert read(text) == expected


REFUSED = [
    ("kernel", "unknown symbol 'kernel'"), ("K + N", "unknown symbol 'N'"), ("x", "unknown symbol 'x'"),
    ("sin(K)", "unknown symbol 'sin'"), ("K_1", "unknown symbol 'K_1'"), ("K₁", "unknown symbol 'K_1'"),
    ("__import__('os')", "unexpected character '_'"), ("K; θ", "unexpected character ';'"),
    ("K +", "ends too early"), ("(K", "ends too early"), ("K)", "unexpected ')'"), ("", "empty"),
    ("K, θ", "unexpected ','"), ("sqrt(K, θ)", "one argument"), ("sqrt K", "expected '('"),
    ("K/0", "divides by zero"), ("0^-1", "divides by zero"), ("K/(2 - 2)", "divides by zero"),
    ("(-1)^(1/2)", "root of a negative number"), ("sqrt(1 - 2)", "root of a negative number"),
    ("K=θ", "unexpected character '='"),
]


@pytest.mark.parametrize("text,words", REFUSED, ids=[r[0] or "empty" for r in REFUSED])
def test_refuses_with_a_message(text: str, words: str) -> None:
    with pytest.raises(FormulaError, match=re.escape(words)):
        parse_expression(text, VOCAB)


def test_unknown_symbol_message_names_the_allowed_ones() -> None:
    with pytest.raises(FormulaError, match=r"unknown symbol 'N' \(this answer may use K, θ, s\)"):
        parse_expression("N", VOCAB)
    with pytest.raises(FormulaError, match="numbers only"):
        parse_expression("K", Vocabulary.build([]))


def finishes(call: Callable[[], Any], deadline_s: float = 60.0) -> Any:
    """Run ``call`` with a generous deadline so a regression fails instead of hanging the suite."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except Exception as exc:  # noqa: BLE001  # handed to the test to assert on
            outcome["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(deadline_s)
    assert not worker.is_alive(), "did not finish"
    return outcome


HOSTILE = [
    ("9**9**9**9", "too large"), ("9^9^9^9", "too large"), ("2^100000", "too large"), ("K^1000", "exponent"),
    ("K^(10^3)", "exponent"), ("(K+θ)^101", "exponent"), ("K^-101", "exponent"),
    ("(" * 200 + "K" + ")" * 200, "nested too deeply"), ("-" * 300 + "K", "nested too deeply"),
    ("√" * 200 + "K", "nested too deeply"), ("2^" * 200 + "2", "nested too deeply"),
    ("(" * 10_000 + "K" + ")" * 10_000, "too long"), ("K+" * 5_000 + "K", "too long"),
    ("\ufdfa" * 100, "too long once normalised"), ("1" * 41, "more than 40 digits"),
    ("9" * 40 + "^" + "9" * 40, "too large"), ("(" + "9" * 40 + ")^100", "too large"),
]


@pytest.mark.parametrize("text,words", HOSTILE, ids=[r[0][:24] for r in HOSTILE])
def test_hostile_input_is_a_plain_error(text: str, words: str) -> None:
    outcome = finishes(lambda: parse_expression(text, VOCAB))
    assert isinstance(outcome.get("error"), FormulaError), outcome
    assert words in str(outcome["error"])


@pytest.mark.parametrize("text", ["K^K^K^K^K", "(K^60)^60", "K^90 K^90", "*".join(["(K+θ+s)^100"] * 20)[:499],
                                  "max(" * 25 + "K" + ", θ^θ)" * 25, "floor(sqrt(ceil(abs(" * 7 + "K" + "))))" * 7,
                                  "sqrt(θ-K-200)*(K+θ+1)^100*(K-θ+2)^100*(K^2+θ^3+1)^100"])
def test_large_formulas_parse_and_compare_without_hanging(text: str) -> None:
    formula = parse_expression(text, VOCAB)
    assert finishes(lambda: equivalent(formula, K - θ + 1))["value"] is False


def test_the_grammar_never_evaluates_candidate_text() -> None:
    source = Path(expressions.__file__).read_text(encoding="utf-8")
    code = re.sub(r'"""[\s\S]*?"""|#.*', "", source)  # docstrings and comments may name what is not used
    banned = re.findall(r"\b(eval|exec|sympify|parse_expr|lambdify|__import__|S)\s*\(", code)
    assert banned == []


EQUIVALENT = [
    ("K - θ + 1", "1 + K - θ"), ("(K+1)^2", "K^2 + 2K + 1"), ("(K-θ)(K+θ)", "K^2 - θ^2"),
    ("K/2", "0.5 K"), ("ceil(K/s)", "floor((K + s - 1)/s)"), ("sqrt(K)sqrt(K)", "K"),
    ("sqrt(K^2 + 2K + 1)", "K + 1"), ("1/(K-θ)", "-1/(θ-K)"), ("abs(K - θ)", "abs(θ - K)"),
    ("max(K, θ) + min(K, θ)", "K + θ"), ("2^K 2^K", "4^K"), ("2^10", "1024"),
]
DIFFERENT = [
    ("K - θ + 1", "K + θ + 1"), ("K - θ + 1", "Kθ + 1"), ("K - θ + 1", "K - θ"), ("(K+1)^2", "K^2 + 1"),
    ("floor(K/s)", "K/s"), ("sqrt(K)", "K/2"), ("abs(K - θ)", "K - θ"), ("max(K, θ)", "K"),
    ("K^2 - θ^2", "(K-θ)(K+θ) + (K-3)(K-5)(θ-7)"),
]


@pytest.mark.parametrize("a,b", EQUIVALENT, ids=[f"{a} == {b}" for a, b in EQUIVALENT])
def test_equivalent(a: str, b: str) -> None:
    assert equivalent(parse_expression(a, VOCAB), parse_expression(b, VOCAB))
    assert equivalent(parse_expression(b, VOCAB), parse_expression(a, VOCAB))


@pytest.mark.parametrize("a,b", DIFFERENT, ids=[f"{a} != {b}" for a, b in DIFFERENT])
def test_different(a: str, b: str) -> None:
    assert not equivalent(parse_expression(a, VOCAB), parse_expression(b, VOCAB))


def test_verdicts_are_reproducible() -> None:
    a, b = parse_expression("ceil(K/s)", VOCAB), parse_expression("floor((K + s - 1)/s)", VOCAB)
    assert {equivalent(a, b, salt="p") for _ in range(5)} == {True}


def test_roots_of_negatives_everywhere_compare_by_principal_complex_values() -> None:
    # no positive integers in range make θ - K - 300 non-negative: no real value anywhere
    a = parse_expression("sqrt(θ-K-300)*(K+1)", VOCAB)
    b = parse_expression("sqrt(θ-K-300)*K + sqrt(θ-K-300)", VOCAB)
    assert a != b and equivalent(a, b)
    assert not equivalent(a, parse_expression("sqrt(θ-K-300)*K", VOCAB))
    heavy = parse_expression("sqrt(θ-K-300)*(K+θ+1)^4*(K-θ+2)^4", VOCAB)
    assert equivalent(heavy, parse_expression("(K-θ+2)^4 (K+θ+1)^4 sqrt(θ-K-300)", VOCAB))
    assert not equivalent(heavy, K)


def test_undefined_everywhere_is_never_equal() -> None:
    assert not equivalent(parse_expression("K/(θ - θ)", VOCAB), parse_expression("K/(θ - θ) + 0", VOCAB))
    assert not equivalent(parse_expression("floor(sqrt(-K))", VOCAB), parse_expression("floor(sqrt(-K))+0", VOCAB))


def test_too_large_to_evaluate_at_enough_points_is_not_shown_equal() -> None:
    # equal, but past K = 2 neither has a value small enough to compute: unproven, so not accepted
    assert not equivalent(parse_expression("2^(K^K^K)", VOCAB), parse_expression("4^(K^K^K/2)", VOCAB))


def test_float_powers_of_negative_values_with_integer_exponents() -> None:
    a = parse_expression("(sqrt(2) - K)^2", VOCAB)
    assert equivalent(a, parse_expression("K^2 - 2 sqrt(2) K + 2", VOCAB))


def test_evaluate_is_exact() -> None:
    value = evaluate(parse_expression("(K+1)/3 + floor(K/3) + 2^-2", VOCAB), {K: 7})
    assert value == Fraction(8, 3) + 2 + Fraction(1, 4) and isinstance(value, Fraction)


DIMENSIONS = [
    ("(K - θ + 1) x (K - θ + 1)", 2), ("(K-θ+1)x(K-θ+1)", 2), ("KxK", 2), ("K × K", 2), ("K by K", 2),
    ("(K, K)", 2), ("[K, K]", 2), ("K, K", 2), ("(K+1)*(K+1)", 2), ("(K+1)·(K+1)", 2), ("K x K x θ", 3),
    ("2*K x 3", 2), ("(2×K) x (2×K)", 2), ("(K+1)^2", 1), ("(K - θ + 1)", 1), ("2Kθ", 1), ("224x224", 2),
    ("3 X 3", 2),
]


@pytest.mark.parametrize("text,count", DIMENSIONS, ids=[d[0] for d in DIMENSIONS])
def test_dimensions_split(text: str, count: int) -> None:
    assert len(parse_dimensions(text, DIMS)) == count


def test_dimensions_keep_order_and_products_inside_brackets() -> None:
    assert [d.doit() for d in parse_dimensions("(2×K) x (θ - 1)", DIMS)] == [2 * K, θ - 1]
    assert [d.doit() for d in parse_dimensions("2*K x 3", DIMS)] == [2 * K, 3]


@pytest.mark.parametrize("text,words", [("K x", "missing"), ("x K", "missing"), ("K x x K", "missing"),
                                        ("K" + " x K" * 8, "more than 8")])
def test_dimensions_refused(text: str, words: str) -> None:
    with pytest.raises(FormulaError, match=words):
        parse_dimensions(text, DIMS)


@pytest.mark.parametrize(
    "symbols,aliases,dimensions,words",
    [
        (["K", "K1"], {}, False, "not a name"), (["sqrt"], {}, False, "reserved"), (["x"], {}, True, "reserved"),
        (["K"], {"kernel": "θ"}, False, "not a declared symbol"), (["K"], {"k": "K"}, False, "already a symbol"),
        (["2K"], {}, False, "not a name"), (["Ｋ"], {}, False, "not a name"),
    ],
)
def test_vocabulary_refuses_bad_declarations(symbols: list[str], aliases: dict[str, str], dimensions: bool,
                                             words: str) -> None:
    with pytest.raises(FormulaError, match=words):
        Vocabulary.build(symbols, aliases, dimensions=dimensions)


def test_aliases_and_case() -> None:
    vocab = Vocabulary.build(["K", "θ"], {"kernel": "θ"})
    assert read("K - kernel", vocab) == K - θ
    assert read("k - KERNEL", vocab) == K - θ  # one symbol per case-folded spelling: case is free
    N, n, Θ = sympy.symbols("N n Θ")
    assert read("N - n", Vocabulary.build(["N", "n"])) == N - n
    both = Vocabulary.build(["θ", "Θ"])
    assert read("theta - Theta", both) == θ - Θ
    with pytest.raises(FormulaError, match="unknown symbol 'THETA'"):  # ambiguous once case is folded
        parse_expression("THETA", both)
