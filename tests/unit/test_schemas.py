"""The committed JSON Schema files match the models; the models refuse unknown fields."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from submissions_schema import GradeReport, GradingJob, Verdict, worst
from submissions_schema.generate import CONTRACTS, SCHEMA_DIR, render


@pytest.mark.parametrize("name", sorted(CONTRACTS))
def test_committed_schema_matches_model(name: str) -> None:
    committed = (SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8")
    assert committed == render(CONTRACTS[name]), f"run `python -m submissions_schema.generate` ({name} drifted)"


@pytest.mark.parametrize("model", list(CONTRACTS.values()), ids=list(CONTRACTS))
def test_unknown_fields_are_refused(model) -> None:  # type: ignore[no-untyped-def]
    assert model.model_json_schema().get("additionalProperties") is False


def test_grading_job_refuses_extra_and_bad_ids() -> None:
    with pytest.raises(ValidationError):
        GradingJob.model_validate({"question_id": "conv1d_full", "code": "", "verdict": "accepted"})
    with pytest.raises(ValidationError):
        GradingJob.model_validate({"question_id": "../etc", "code": ""})


def test_verdicts_are_ordered_and_worst_wins() -> None:
    order = [v.value for v in Verdict]
    assert order[0] == "accepted" and order[-1] == "internal_error"
    assert worst([Verdict.accepted, Verdict.time_limit_exceeded, Verdict.wrong_answer]) is Verdict.time_limit_exceeded
    assert worst([]) is Verdict.accepted


def test_report_round_trips_through_json() -> None:
    report = GradeReport.model_validate_json(
        '{"question_id": "q", "question_version": 1, "verdict": "accepted", "score": 1, "max_score": 1,'
        ' "tests": [], "timing": {}, "sandbox": {"backend": "bwrap"}}'
    )
    assert GradeReport.model_validate_json(report.model_dump_json()) == report


NOW = "2024-05-01T12:00:00Z"
EVENT_DATA = {
    "submission": {"id": "s1", "question_id": "conv1d_full", "status": "completed", "attempts": 1, "created_at": NOW},
    "batch": {"batch_id": "b1", "total": 1, "done": True, "by_status": {"completed": 1}, "by_verdict": {},
              "submission_ids": ["s1"], "created_at": NOW},
    "interview": {"id": "i1", "candidate_name": "ada", "question_ids": ["conv1d_full"], "created_at": NOW,
                  "state": {"open": False, "reason": "closed"}},
}
EVENT_CARRIES = {"submission.completed": "submission", "submission.failed": "submission",
                 "submission.rescored": "submission", "batch.completed": "batch",
                 "interview.completed": "interview"}


@pytest.mark.parametrize("kind", sorted(EVENT_CARRIES))
def test_each_webhook_event_carries_its_own_data(kind: str) -> None:
    from submissions_schema.api import EventType, WebhookEvent

    assert set(EVENT_CARRIES) == set(EventType.__args__)  # every event a subscription may name
    for name, data in EVENT_DATA.items():
        body = {"type": kind, "timestamp": NOW, "data": data}
        if name == EVENT_CARRIES[kind]:
            assert WebhookEvent.model_validate(body).type == kind
        else:
            with pytest.raises(ValidationError, match=f"a {kind} event carries"):
                WebhookEvent.model_validate(body)
