"""The two audiences of a report: what the candidate view keeps of hidden tests and of time."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from grader.grading.reference import variant_for
from grader.reports import for_role, render
from grader.storage.models import Submission
from grader.views import submission_view
from grader.webhooks.events import event_body
from submissions_schema import GradeReport, HiddenSummary, KeyRole, Role, SandboxInfo, Timing, Verdict, Visibility
from submissions_schema import TestResult as Result  # not "Test*": pytest would try to collect it

SECRET = "hidden input a=[0.9471]"


def case(name: str, verdict: Verdict, visibility: Visibility, **kw: Any) -> Result:
    score = 2.0 if verdict is Verdict.accepted else 0.0
    return Result(name=name, visibility=visibility, verdict=verdict, score=score, max_score=2.0, **kw)


def report(**kw: Any) -> GradeReport:
    tests = [
        case("example", Verdict.accepted, Visibility.visible, duration_s=0.73),
        case("edge", Verdict.wrong_answer, Visibility.visible, message="1 of 3 values differ", duration_s=1.6),
        case("random 0", Verdict.accepted, Visibility.hidden, duration_s=0.947),
        case("random 1", Verdict.runtime_error, Visibility.hidden, message=f"ValueError: {SECRET}",
             stdout=SECRET, duration_s=0.25),
        case("random 2", Verdict.accepted, Visibility.hidden, duration_s=0.5),
    ]
    fields: dict[str, Any] = {
        "question_id": "conv1d_full", "question_version": 1, "verdict": Verdict.runtime_error, "score": 6.0,
        "max_score": 10.0, "message": "3 of 5 tests passed", "tests": tests,
        "timing": Timing(run_s=2.947, total_s=3.1), "sandbox": SandboxInfo(backend="bwrap"),
    }
    return GradeReport(**{**fields, **kw})


def test_summary_is_the_default_and_lists_visible_tests_only() -> None:
    full = report()
    assert full.hidden_feedback == "summary"
    view = for_role(full, Role.candidate)
    assert view.redacted and [t.name for t in view.tests] == ["example", "edge"]
    assert view.hidden_summary == HiddenSummary(passed=2, total=3, score=4.0, max_score=6.0)
    assert (view.verdict, view.score, view.max_score) == (full.verdict, full.score, full.max_score)
    assert view.timing == Timing()
    assert [t.duration_s for t in view.tests] == [1.0, 2.0]  # visible durations in whole seconds
    text = view.model_dump_json()
    assert SECRET not in text and "random" not in text and "0.947" not in text


def test_per_test_lists_each_hidden_test_bare() -> None:
    view = for_role(report(hidden_feedback="per_test"), Role.candidate)
    hidden = [t for t in view.tests if t.visibility is Visibility.hidden]
    assert [(t.name, t.verdict, t.score) for t in hidden] == [
        ("random 0", Verdict.accepted, 2.0), ("random 1", Verdict.runtime_error, 0.0),
        ("random 2", Verdict.accepted, 2.0),
    ]
    assert all((t.message, t.stdout, t.stderr, t.mismatch, t.duration_s) == ("", "", "", None, None) for t in hidden)
    assert view.hidden_summary == HiddenSummary(passed=2, total=3, score=4.0, max_score=6.0)
    assert SECRET not in view.model_dump_json()


@pytest.mark.parametrize("policy", ["summary", "per_test"])
def test_interviewers_see_everything_and_the_aggregate(policy: str) -> None:
    full = report(hidden_feedback=policy)
    view = for_role(full, Role.interviewer)
    assert view.tests == full.tests and view.timing == full.timing and not view.redacted
    assert view.hidden_summary == HiddenSummary(passed=2, total=3, score=4.0, max_score=6.0)


def test_a_redacted_report_is_not_redacted_again() -> None:
    once = for_role(report(), Role.candidate)
    assert for_role(once, Role.candidate) == once
    assert for_role(once, Role.interviewer) == once  # nothing comes back


def test_no_hidden_tests_no_summary() -> None:
    only_visible = report(tests=report().tests[:2])
    assert for_role(only_visible, Role.candidate).hidden_summary is None


def test_the_table_shows_the_aggregate_line() -> None:
    table = render(for_role(report(), Role.candidate))
    assert "hidden: 2 of 3 passed, score 4/6" in table
    assert "random" not in table and SECRET not in table
    assert "hidden: 2 of 3 passed, score 4/6" in render(report())  # the interviewer's table too


# --- times a candidate reads -------------------------------------------------------

MOMENTS = {
    "created_at": datetime(2025, 3, 1, 10, 0, 0, 123456, tzinfo=UTC),
    "started_at": datetime(2025, 3, 1, 10, 0, 1, 250000, tzinfo=UTC),
    "completed_at": datetime(2025, 3, 1, 10, 0, 2, 197000, tzinfo=UTC),
}


def stored() -> Submission:
    return Submission(id="s1", key_id=1, question_id="conv1d_full", status="completed", attempts=1, verdict="accepted",
                      score=6.0, max_score=10.0, report=report().model_dump(mode="json"), **MOMENTS)


def test_candidate_views_carry_whole_seconds() -> None:
    view = submission_view(stored(), KeyRole.candidate)
    for name, moment in MOMENTS.items():
        assert getattr(view, name) == moment.replace(microsecond=0), name
    assert view.report is not None and view.report.redacted and view.report.hidden_summary is not None


@pytest.mark.parametrize("role", [KeyRole.admin, KeyRole.interviewer, KeyRole.lms])
def test_staff_views_keep_exact_times(role: KeyRole) -> None:
    view = submission_view(stored(), role)
    assert {name: getattr(view, name) for name in MOMENTS} == MOMENTS
    assert view.report is not None and not view.report.redacted


def test_candidate_webhook_events_carry_whole_seconds() -> None:
    at = datetime(2025, 3, 1, 10, 0, 2, 998000, tzinfo=UTC)
    event = json.loads(event_body(stored(), KeyRole.candidate, at))
    stamps = [event["timestamp"], *(event["data"][name] for name in MOMENTS)]
    assert all("." not in s for s in stamps), stamps
    assert [t["name"] for t in event["data"]["report"]["tests"]] == ["example", "edge"]
    assert "." in json.loads(event_body(stored(), KeyRole.lms, at))["timestamp"]


# --- variants ------------------------------------------------------------------------


def test_variant_for_is_stable_spread_and_zero_without_a_submission() -> None:
    assert variant_for(None, 16) == 0
    ids = [f"00000000-0000-4000-8000-{i:012d}" for i in range(400)]
    variants = [variant_for(i, 16) for i in ids]
    assert variants == [variant_for(i, 16) for i in ids]
    assert set(variants) == set(range(16))
    assert {variant_for(i, 1) for i in ids} == {0}
