"""Turn what the sandbox saw in one case into a test verdict (trusted side)."""

from __future__ import annotations

import logging
import signal
from typing import Any

from grader.grading.checkers import BoundChecker, CheckResult
from grader.grading.expected import CaseRecord, ExpectedSet
from submissions_schema import CaseOutcome, SandboxResult, Verdict

log = logging.getLogger(__name__)

STATUS_VERDICTS = {
    "timeout": Verdict.time_limit_exceeded,
    "not_run": Verdict.time_limit_exceeded,
    "memory": Verdict.memory_limit_exceeded,
    "output_limit": Verdict.output_limit_exceeded,
    "forbidden": Verdict.forbidden_api,
    "bad_output": Verdict.wrong_answer,
    "too_large": Verdict.runtime_error,  # a returned value past the host's bounded reading: the code's doing
    "exception": Verdict.runtime_error,
}


LOAD_FAILED = "importing the module failed"


def load_failed(load: CaseOutcome) -> tuple[Verdict, str]:
    """Verdict for every case when importing the candidate's module failed."""
    return STATUS_VERDICTS.get(load.status, Verdict.runtime_error), f"{LOAD_FAILED}: {load.message}"


def missing_case(result: SandboxResult, first_missing: bool) -> tuple[Verdict, str]:
    """Verdict for a case with no outcome: why did the sandbox stop before it?"""
    if result.killed == "wall_time":
        return Verdict.time_limit_exceeded, (
            "the time limit was used up during this case" if first_missing else "not run: the time limit was used up"
        )
    if result.killed == "memory":
        return Verdict.memory_limit_exceeded, "the container ran out of memory"
    if result.killed == "output":
        return Verdict.output_limit_exceeded, "the program sent back more output than allowed"
    if result.killed == "protocol":
        return Verdict.runtime_error, "the program wrote into the grader's result channel"
    code = result.exit_code
    if code is not None and code < 0:
        name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
        if -code == signal.SIGXCPU:
            return Verdict.time_limit_exceeded, "the CPU time limit was used up"
        if -code == signal.SIGXFSZ:
            return Verdict.output_limit_exceeded, "a file grew past the size limit"
        return Verdict.runtime_error, f"the process was killed by {name}" + ("" if first_missing else " (not run)")
    return Verdict.runtime_error, f"the process exited (code {code}) before this case finished"


def judge(
    case: CaseRecord, outcome: CaseOutcome, value: Any, expected: ExpectedSet, checker: BoundChecker,
    keep_device: bool,
) -> tuple[Verdict, str, CheckResult | None]:
    """Verdict, message and (for a comparison) the checker's result for one case."""
    if outcome.status == "exception" and case.expected_raises:
        if case.expected_raises in outcome.exception_types:
            return Verdict.accepted, "", None
        return Verdict.wrong_answer, f"expected {case.expected_raises} to be raised; {outcome.message}", None
    if outcome.status != "ok":
        return STATUS_VERDICTS[outcome.status], outcome.message, None
    if case.expected_raises:
        return Verdict.wrong_answer, f"expected {case.expected_raises} to be raised, but the call returned", None
    if keep_device and outcome.input_devices and set(outcome.devices) - set(outcome.input_devices):
        moved = sorted(set(outcome.devices) - set(outcome.input_devices))[0]
        return Verdict.wrong_answer, f"the result is on {moved}, not on its input's {outcome.input_devices[0]}", None
    inputs = expected.inputs(case)[0] if checker.needs_inputs else ()
    try:
        result = checker.check(expected.expected(case), value, inputs)
    except Exception as exc:  # noqa: BLE001 - odd returned data must not pass for a grader failure
        log.warning("checker %s failed on case %r", checker.name, case.name, exc_info=True)
        return Verdict.wrong_answer, f"the returned value could not be checked ({type(exc).__name__})", None
    return (Verdict.accepted if result.ok else Verdict.wrong_answer), result.message, result
