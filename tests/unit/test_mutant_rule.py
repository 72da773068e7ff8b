"""The rule `grader tasks validate` applies to a mutant's report: caught only by a failing hidden test."""

from __future__ import annotations

import pytest

import submissions_schema as schema
from grader.grading.verdicts import LOAD_FAILED
from grader.validate import CAUGHT, mutant_outcome
from submissions_schema import GradeReport, SandboxInfo, Timing, Verdict, Visibility, worst

V, H = Visibility.visible, Visibility.hidden
OK, WA, RE, TLE = Verdict.accepted, Verdict.wrong_answer, Verdict.runtime_error, Verdict.time_limit_exceeded


def report(*tests: tuple[Visibility, Verdict], message: str = "", verdict: Verdict | None = None) -> GradeReport:
    results = [schema.TestResult(name=f"t{i}", visibility=vis, verdict=v, score=float(v is OK), max_score=1.0,
                          message=message) for i, (vis, v) in enumerate(tests)]
    return GradeReport(question_id="q", question_version=1, verdict=verdict or worst([t.verdict for t in results]),
                       score=0.0, max_score=float(len(results)), tests=results, timing=Timing(),
                       sandbox=SandboxInfo(backend="fake"))


@pytest.mark.parametrize(
    "graded,outcome",
    [
        (report((V, OK), (H, WA)), CAUGHT),
        (report((V, WA), (H, RE)), CAUGHT),  # an exception on a hidden case catches it too
        (report((V, OK), (H, OK)), "survived (accepted)"),
        (report((V, WA), (H, OK)), "survived (visible only)"),
        (report((V, OK), (H, TLE)), "survived (time_limit_exceeded)"),  # slowness is not a caught mistake
        (report((V, RE), (H, RE), message=f"{LOAD_FAILED}: NameError"), "broken (runtime_error)"),
        (report((V, Verdict.syntax_error), (H, Verdict.syntax_error)), "broken (syntax_error)"),
        (report((V, Verdict.forbidden_api), (H, Verdict.forbidden_api)), "broken (forbidden_api)"),
        (report(verdict=Verdict.internal_error), "broken (internal_error)"),
    ],
)
def test_a_mutant_is_caught_only_by_a_failing_hidden_test(graded: GradeReport, outcome: str) -> None:
    got, note = mutant_outcome(graded)
    assert got == outcome
    assert (note == "") == (got == CAUGHT)
