"""From what the sandbox saw to a verdict: statuses, missing cases, checker failures."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from grader.grading.checkers import BoundChecker, resolve_checker
from grader.grading.expected import Bundle, CaseRecord, ExpectedSet
from grader.grading.verdicts import judge, missing_case
from submissions_schema import CaseOutcome, SandboxResult, Verdict


def case(**fields: Any) -> CaseRecord:
    base: dict[str, Any] = {"name": "c", "call": "f", "visible": False, "points": 1,
                            "args": {"$tuple": []}, "kwargs": {"$dict": {}}, "expected": {"$array": "a0"}}
    return CaseRecord(**{**base, **fields})


ALLCLOSE = resolve_checker({"name": "allclose"}, Path("."))
EXACT = resolve_checker({"name": "exact"}, Path("."))


def expected_set(record: CaseRecord) -> ExpectedSet:
    bundle = Bundle(question_id="q", version=1, digest="d", cases=[record])
    return ExpectedSet(bundle, {"a0": np.arange(3.0)})


@pytest.mark.parametrize(
    "status,verdict",
    [("timeout", Verdict.time_limit_exceeded), ("not_run", Verdict.time_limit_exceeded),
     ("memory", Verdict.memory_limit_exceeded), ("output_limit", Verdict.output_limit_exceeded),
     ("forbidden", Verdict.forbidden_api), ("bad_output", Verdict.wrong_answer),
     ("exception", Verdict.runtime_error)],
)
def test_statuses(status: str, verdict: Verdict) -> None:
    record = case()
    outcome = CaseOutcome(id="c0", status=status, message="m")  # type: ignore[arg-type]
    assert judge(record, outcome, None, expected_set(record), ALLCLOSE, False)[0] is verdict


def test_expected_exception() -> None:
    record = case(expected=None, expected_raises="ValueError")
    raised = CaseOutcome(id="c0", status="exception", exception_types=["ValueError", "Exception"])
    other = CaseOutcome(id="c0", status="exception", exception_types=["TypeError"])
    returned = CaseOutcome(id="c0", status="ok")
    assert judge(record, raised, None, expected_set(record), EXACT, False)[0] is Verdict.accepted
    assert judge(record, other, None, expected_set(record), EXACT, False)[0] is Verdict.wrong_answer
    assert judge(record, returned, 1, expected_set(record), EXACT, False)[0] is Verdict.wrong_answer


def test_a_result_moved_off_its_device_is_wrong() -> None:
    record = case()
    outcome = CaseOutcome(id="c0", status="ok", devices=["cpu"], input_devices=["cuda:0"])
    verdict, message, _ = judge(record, outcome, np.arange(3.0), expected_set(record), ALLCLOSE, True)
    assert verdict is Verdict.wrong_answer and "cuda:0" in message


def test_a_checker_that_fails_on_odd_data_gives_wrong_answer_not_internal_error() -> None:
    def fragile(actual: Any, *, inputs: Any, expected: Any) -> str | None:
        raise ZeroDivisionError("the question's property did not expect this value")

    record = case()
    verdict, message, _ = judge(record, CaseOutcome(id="c0", status="ok"), object(), expected_set(record),
                                BoundChecker("property", fragile, {}), False)
    assert verdict is Verdict.wrong_answer and "could not be checked" in message


@pytest.mark.parametrize(
    "killed,exit_code,verdict,words",
    [("wall_time", -9, Verdict.time_limit_exceeded, "time limit"),
     ("output", -9, Verdict.output_limit_exceeded, "more output"),
     ("protocol", -9, Verdict.runtime_error, "result channel"),
     (None, -signal.SIGXCPU, Verdict.time_limit_exceeded, "CPU time"),
     (None, -signal.SIGXFSZ, Verdict.output_limit_exceeded, "size limit"),
     (None, -signal.SIGSEGV, Verdict.runtime_error, "SIGSEGV"),
     (None, 3, Verdict.runtime_error, "code 3")],
)
def test_missing_case(killed: Any, exit_code: int, verdict: Verdict, words: str) -> None:
    result = SandboxResult(backend="bwrap", killed=killed, exit_code=exit_code)
    got, message = missing_case(result, True)
    assert got is verdict and words in message
