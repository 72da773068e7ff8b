"""Per-candidate submission limits per question (SQLite and PostgreSQL, a fake queue)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from grader.storage.models import Submission
from tests.service.conftest import Api
from tests.service.test_api import assert_problem, body

OTHER_QUESTION = "correlate1d_full"


def submit(api: Api, name: str = "mallory", role: str = "candidate", **headers: str) -> tuple[int, dict[str, str]]:
    response = api.call("POST", "/v1/submissions", role=role, name=name, json=body(), headers=headers)
    return response.status_code, dict(response.headers)


def age(api: Api, hours: float) -> None:
    """Move every stored submission ``hours`` into the past."""
    with api.app.extensions["grader"].sessions() as session:
        for row in session.query(Submission):
            row.created_at -= timedelta(hours=hours)
        session.commit()


def test_the_hourly_rate_is_per_candidate_key_and_question(make_api: Callable[..., Api]) -> None:
    api = make_api(candidate_submissions_per_hour=3)
    assert [submit(api, **{"Idempotency-Key": f"try-{i}"})[0] for i in range(3)] == [202, 202, 202]
    refused = api.call("POST", "/v1/submissions", role="candidate", name="mallory", json=body())
    problem = assert_problem(refused, 429, "at most 3 submissions an hour to 'conv1d_full'")
    assert 3500 <= int(refused.headers["Retry-After"]) <= 3600
    status, headers = submit(api, **{"Idempotency-Key": "try-1"})
    assert status == 202 and headers["Idempotent-Replayed"] == "true"  # a replay, not refused
    assert problem["title"] == "Too Many Requests"
    other = api.call("POST", "/v1/submissions", role="candidate", name="mallory",
                     json=body(question_id=OTHER_QUESTION))
    assert other.status_code == 202  # another question
    assert submit(api, name="ada")[0] == 202  # another candidate
    assert [submit(api, name="ivy", role="interviewer")[0] for _ in range(4)] == [202] * 4  # staff: no limit
    age(api, 0.75)
    assert submit(api)[0] == 429
    age(api, 0.5)  # the first three are now more than an hour old
    assert submit(api)[0] == 202


def test_the_total_is_final_and_failed_submissions_do_not_count(make_api: Callable[..., Api]) -> None:
    api = make_api(candidate_submissions_per_hour=0, candidate_submissions_max=2)
    assert [submit(api)[0] for _ in range(2)] == [202, 202]
    refused = api.call("POST", "/v1/submissions", role="candidate", name="mallory", json=body())
    problem = assert_problem(refused, 403, "made the 2 submissions allowed to 'conv1d_full'; no more are accepted")
    assert "Retry-After" not in refused.headers and problem["title"] == "Forbidden"
    age(api, 48)
    assert submit(api)[0] == 403  # waiting does not help
    with api.app.extensions["grader"].sessions() as session:
        first = session.query(Submission).order_by(Submission.seq).first()
        assert first is not None
        first.status = "failed"  # an internal error: the grader's fault
        session.commit()
    assert submit(api)[0] == 202
    assert submit(api)[0] == 403


def test_no_limits_when_both_are_zero(make_api: Callable[..., Api]) -> None:
    api = make_api(candidate_submissions_per_hour=0, candidate_submissions_max=0)
    assert {submit(api)[0] for _ in range(5)} == {202}
