"""The human-readable report: one traceback per distinct error, no empty sandbox line, tables
that fit 100 columns, and candidate text that cannot drive or reorder the reader's terminal."""

from __future__ import annotations

from typing import Any

import pytest

from grader.reports import TERMINAL_COLUMNS, render, safe_text, table
from submissions_schema import GradeReport, SandboxInfo, Timing, Verdict, Visibility
from submissions_schema import TestResult as Result

TRACEBACK = ('Traceback (most recent call last):\n  File "answer.py", line 4, in conv1d\n    out[i + j] += a[i]\n'
             "IndexError: index 5 is out of bounds for axis 0 with size 5")


def result(name: str, verdict: Verdict = Verdict.accepted, **kw: Any) -> Result:
    ok = verdict is Verdict.accepted
    return Result(name=name, visibility=Visibility.visible, verdict=verdict, score=float(ok), max_score=1.0, **kw)


def report(tests: list[Result], **kw: Any) -> GradeReport:
    fields: dict[str, Any] = {
        "question_id": "conv1d_full", "question_version": 2, "verdict": Verdict.runtime_error,
        "score": sum(t.score for t in tests), "max_score": float(len(tests)), "message": "graded", "tests": tests,
        "timing": Timing(total_s=1.5),
        "sandbox": SandboxInfo(backend="bwrap", python="3.11.2", numpy="2.1", torch=None, device="cpu"),
    }
    return GradeReport(**{**fields, **kw})


def test_the_same_crash_in_22_tests_is_shown_once() -> None:
    tests = [result(f"case {i}", Verdict.runtime_error, message=TRACEBACK) for i in range(22)]
    tests.append(result("odd one", Verdict.runtime_error, message=TRACEBACK.replace("5", "7")))
    text = render(report(tests))
    assert text.count("Traceback (most recent call last)") == 2
    assert "-- 22 tests (runtime_error): case 0, case 1, case 2 and 19 more (the same output, shown once)" in text
    assert "-- odd one (runtime_error)" in text
    assert text.count("IndexError: index 5") == 22 + 1  # a table row each, the traceback once


def test_tests_that_printed_differently_are_not_grouped() -> None:
    tests = [result("a", Verdict.runtime_error, message=TRACEBACK, stdout="1"),
             result("b", Verdict.runtime_error, message=TRACEBACK, stdout="2")]
    text = render(report(tests))
    assert "-- a (runtime_error)" in text and "-- b (runtime_error)" in text


def test_short_answers_have_no_sandbox_line() -> None:
    text = render(report([result("size")], verdict=Verdict.accepted, sandbox=SandboxInfo(backend="none")))
    assert "sandbox" not in text and "None" not in text


def test_the_sandbox_line_names_what_is_known() -> None:
    assert "sandbox: bwrap, python 3.11.2, numpy 2.1, device cpu; 1.50 s" in render(report([result("a")]))


def test_the_table_fits_100_columns() -> None:
    long = "x" * 300
    tests = [result(long, Verdict.wrong_answer, message=long), result("short", Verdict.accepted)]
    lines = render(report(tests)).splitlines()
    table_lines = lines[2:6]
    assert table_lines[0].startswith("test") and set(table_lines[1]) == {"-"}
    assert all(len(line) <= TERMINAL_COLUMNS for line in table_lines)
    assert "…" in table_lines[2]


def test_table_keeps_narrow_tables_as_they_are() -> None:
    assert table([("id", "name"), ("1", "Ivy")]) == ["id  name", "--------", "1   Ivy"]


@pytest.mark.parametrize("char", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
                                  "\u2069", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\ufeff", "\u061c",
                                  "\u2028", "\u2029", "\u2060"])
def test_bidi_and_zero_width_characters_are_shown_as_escapes(char: str) -> None:
    text = render(report([result(f"n{char}ame", Verdict.wrong_answer, message=f"m{char}\nsecond",
                                 stdout=f"out{char}")]))
    assert char not in text
    assert f"\\u{ord(char):04x}" in text


def test_terminal_controls_are_shown_as_escapes() -> None:
    assert safe_text("a\x1b[2Jb\x07\tc\n") == "a\\x1b[2Jb\\x07\tc\n"
