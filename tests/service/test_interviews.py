"""Interviews through the API (SQLite and PostgreSQL, a fake queue): lifecycle, limits enforced on the
server, practice runs, who sees what, exports."""

from __future__ import annotations

import csv
import io
import json
import threading
from datetime import timedelta
from typing import Any

from flask.testing import FlaskClient

from grader.interviews.models import Interview
from grader.storage.models import Submission
from tests.service.conftest import Api
from tests.service.sessions import invite_key, signed_in
from tests.service.test_api import SOLUTION, assert_problem, finish, graded_report

SHORT = "vgg_storage_mb"


def create(api: Api, role: str = "interviewer", name: str | None = None, **fields: Any) -> dict[str, Any]:
    body = {"candidate_name": "Ada", "question_ids": ["conv1d_full", SHORT], **fields}
    response = api.call("POST", "/v1/interviews", role=role, name=name, json=body)
    assert response.status_code == 201, response.get_json()
    created: dict[str, Any] = response.get_json()
    assert response.headers["Location"] == f"/v1/interviews/{created['id']}"
    return created


class Candidate:
    """A candidate signed in with an invite, as the web app's session does it."""

    def __init__(self, api: Api, invite_url: str) -> None:
        self.client: FlaskClient
        self.client, self.csrf = signed_in(api.app, invite_key(api.app, invite_url))

    def post(self, path: str, body: dict[str, Any]) -> Any:
        return self.client.post(path, json=body, headers={"X-CSRF-Token": self.csrf})

    def submit(self, **fields: Any) -> Any:
        return self.post("/v1/submissions", {"question_id": "conv1d_full", "code": SOLUTION, **fields})

    def get(self, path: str) -> Any:
        return self.client.get(path)


def test_the_lifecycle_of_an_interview(api: Api) -> None:
    created = create(api, time_limit_s=3600, attempts_limit=2, hidden_feedback="per_test")
    assert created["invite_url"].startswith("/i/") and len(created["invite_url"]) > 30
    assert created["state"] == {"open": True, "reason": None, "seconds_left": 3600}
    assert [r["question_id"] for r in created["board"]] == ["conv1d_full", SHORT]
    assert created["started_at"] is None and created["board"][0]["attempts_left"] == 2

    ada = Candidate(api, created["invite_url"])
    mine = ada.get(f"/v1/interviews/{created['id']}").get_json()
    assert mine["started_at"] is not None and ".0" not in mine["started_at"]  # whole seconds for a candidate
    first = ada.submit()  # the candidate's key submits to its interview without naming it
    assert first.status_code == 202, first.get_json()
    assert (first.get_json()["interview_id"], first.get_json()["candidate"]) == (created["id"], "Ada")
    practice = ada.submit(practice=True)
    assert practice.status_code == 202 and practice.get_json()["practice"] is True
    assert ada.submit().status_code == 202
    assert_problem(ada.submit(), 409, "every attempt at 'conv1d_full' is used (2 allowed)")
    assert ada.submit(practice=True).status_code == 202  # practice runs are never counted
    assert_problem(ada.post("/v1/submissions", {"question_id": "dropout", "code": "x = 1\n"}), 422,
                   "not one of this interview's questions")
    assert_problem(ada.post("/v1/submissions", {"question_id": SHORT, "answers": {"size": "1 MB"},
                                                "practice": True}), 422, "practice runs are for coding questions")

    board = ada.get(f"/v1/interviews/{created['id']}").get_json()["board"][0]
    assert (board["attempts"], board["attempts_left"], board["pending"], board["practice_runs"]) == (2, 0, 2, 2)
    finish(api, first.get_json()["id"], graded_report())
    board = api.call("GET", f"/v1/interviews/{created['id']}").get_json()["board"][0]
    assert (board["best_score"], board["max_score"], board["verdict"]) == (1, 2, "wrong_answer")
    assert board["best_submission_id"] == first.get_json()["id"] and board["time_used_s"] is not None

    closed = api.call("POST", f"/v1/interviews/{created['id']}/close")
    assert closed.status_code == 200 and closed.get_json()["state"] == {"open": False, "reason": "closed",
                                                                         "seconds_left": 0}
    assert closed.get_json()["completed_at"] is None  # a counted submission still waits for its grade
    assert_problem(ada.submit(), 403, "takes no more submissions: it was closed")
    assert_problem(ada.submit(practice=True), 403, "it was closed")
    listed = api.call("GET", f"/v1/submissions?interview_id={created['id']}").get_json()["items"]
    assert len(listed) == 4 and {s["interview_id"] for s in listed} == {created["id"]}


def test_time_up_refuses_and_closes(api: Api) -> None:
    created = create(api, time_limit_s=60)
    ada = Candidate(api, created["invite_url"])
    assert ada.submit().status_code == 202
    with api.app.extensions["grader"].sessions() as session:  # the clock, moved 61 s on
        row = session.get(Interview, created["id"])
        assert row is not None and row.started_at is not None and row.ends_at is not None
        row.started_at -= timedelta(seconds=61)
        row.ends_at -= timedelta(seconds=61)
        session.commit()
    seen = ada.get(f"/v1/interviews/{created['id']}").get_json()
    assert seen["state"] == {"open": False, "reason": "time_up", "seconds_left": 0}
    assert_problem(ada.submit(), 403, "its time is up")
    assert_problem(ada.submit(practice=True), 403, "its time is up")
    stored = api.call("GET", f"/v1/interviews/{created['id']}").get_json()
    assert stored["closed_reason"] == "time_up" and stored["closed_at"] is not None


def test_staff_limits_and_submitting_on_behalf(api: Api) -> None:
    created = create(api, name="ivy", attempts_limit=1)
    staff = api.call("POST", "/v1/submissions", name="ivy", json={
        "question_id": "conv1d_full", "code": SOLUTION, "interview_id": created["id"]})
    assert staff.status_code == 202 and staff.get_json()["candidate"] == "Ada"  # on the candidate's behalf
    assert_problem(api.call("POST", "/v1/submissions", name="ivy", json={
        "question_id": "conv1d_full", "code": SOLUTION, "interview_id": created["id"]}), 409, "every attempt")
    assert_problem(api.call("POST", "/v1/submissions", name="ivy", json={
        "question_id": SHORT, "answers": {"size": "1 MB"}, "interview_id": created["id"], "candidate": "Bob"}),
        422, "this interview's candidate is 'Ada'")
    # Another interviewer neither sees it nor submits to it; an admin sees every interview.
    assert_problem(api.call("GET", f"/v1/interviews/{created['id']}", name="olga"), 404, "no interview")
    assert_problem(api.call("POST", "/v1/submissions", name="olga", json={
        "question_id": "conv1d_full", "code": SOLUTION, "interview_id": created["id"]}), 422, "no interview")
    assert api.call("GET", "/v1/interviews", name="olga").get_json()["items"] == []
    assert [i["id"] for i in api.call("GET", "/v1/interviews", role="admin").get_json()["items"]] == [created["id"]]
    assert api.call("GET", f"/v1/interviews/{created['id']}", role="admin").status_code == 200
    assert_problem(api.call("POST", "/v1/interviews", role="candidate", json={
        "candidate_name": "x", "question_ids": ["conv1d_full"]}), 403, "cannot do this")


def test_bad_interviews_are_refused_with_problems(api: Api) -> None:
    for body, words in [
        ({"candidate_name": "Ada", "question_ids": ["nope"]}, "question_ids: unknown question 'nope'"),
        ({"candidate_name": "Ada", "question_ids": []}, "question_ids"),
        ({"candidate_name": "Ada", "question_ids": ["conv1d_full", "conv1d_full"]}, "each question once"),
        ({"candidate_name": "Ada", "question_ids": ["../x"]}, "question_ids"),
        ({"candidate_name": "", "question_ids": ["conv1d_full"]}, "candidate_name"),
        ({"candidate_name": "Ada", "question_ids": ["conv1d_full"], "time_limit_s": 5}, "time_limit_s"),
        ({"candidate_name": "Ada", "question_ids": ["conv1d_full"], "attempts_limit": 0}, "attempts_limit"),
        ({"candidate_name": "Ada", "question_ids": ["conv1d_full"], "hidden_feedback": "all"}, "hidden_feedback"),
        ({"candidate_name": "Ada", "question_ids": ["conv1d_full"], "secret": 1}, "Extra inputs"),
    ]:
        assert_problem(api.call("POST", "/v1/interviews", json=body), 422, words)
    assert_problem(api.call("GET", "/v1/interviews/nope"), 404, "no interview 'nope'")
    assert_problem(api.call("POST", "/v1/interviews/nope/close"), 404, "no interview")
    assert_problem(api.call("POST", "/v1/submissions", json={"question_id": "conv1d_full", "code": SOLUTION,
                                                              "interview_id": "nope"}), 422, "no interview 'nope'")


def test_a_candidate_sees_only_its_own_interview_and_work(api: Api) -> None:
    first, second = create(api), create(api, candidate_name="Bob")
    ada, bob = Candidate(api, first["invite_url"]), Candidate(api, second["invite_url"])
    bobs = bob.submit().get_json()
    for path in (f"/v1/interviews/{second['id']}", f"/v1/submissions/{bobs['id']}",
                 f"/v1/interviews/{second['id']}/events", f"/v1/submissions/{bobs['id']}/events"):
        assert_problem(ada.get(path), 404, "no ")
    assert [i["id"] for i in ada.get("/v1/interviews").get_json()["items"]] == [first["id"]]
    assert ada.get("/v1/submissions").get_json()["items"] == []
    assert_problem(ada.submit(interview_id=second["id"]), 422, "no interview")
    for path in (f"/v1/interviews/{first['id']}/close", "/v1/interviews"):
        assert_problem(ada.post(path, {"candidate_name": "x", "question_ids": ["conv1d_full"]}), 403,
                       "a candidate key cannot do this")
    for path in (f"/v1/interviews/{first['id']}/results.csv", f"/v1/interviews/{first['id']}/gradescope.json"):
        assert_problem(ada.get(path), 403, "a candidate key cannot do this")


def test_parallel_submissions_take_no_more_attempts_than_allowed(api: Api) -> None:
    created = create(api, attempts_limit=2)
    ada = Candidate(api, created["invite_url"])
    statuses: list[int] = []
    start = threading.Barrier(6)

    def one() -> None:
        client, _ = signed_in(api.app, invite_key(api.app, created["invite_url"]))
        start.wait()
        statuses.append(client.post("/v1/submissions", json={"question_id": "conv1d_full", "code": SOLUTION},
                                    headers={"X-CSRF-Token": client_csrf(client)}).status_code)

    threads = [threading.Thread(target=one) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(statuses) == [202, 202, 409, 409, 409, 409], statuses
    assert ada.get(f"/v1/interviews/{created['id']}").get_json()["board"][0]["attempts"] == 2


def client_csrf(client: FlaskClient) -> str:
    with client.session_transaction() as session:
        token: str = session["csrf_token"]
    return token


def test_exports_carry_the_board_and_no_hidden_data(api: Api) -> None:
    created = create(api, candidate_name="=HYPERLINK(\"x\")")
    ada = Candidate(api, created["invite_url"])
    submitted = ada.submit().get_json()
    finish(api, submitted["id"], graded_report())
    text = api.call("GET", f"/v1/interviews/{created['id']}/results.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["question_id"] for r in rows] == ["conv1d_full", SHORT]
    assert rows[0]["candidate"].startswith("'=")  # a spreadsheet formula, defused
    assert (rows[0]["best_score"], rows[0]["verdict"], rows[0]["attempts"]) == ("1.0", "wrong_answer", "1")
    assert rows[1]["attempts"] == "0" and rows[1]["best_score"] == ""
    response = api.call("GET", f"/v1/interviews/{created['id']}/gradescope.json")
    results = response.get_json()
    assert response.status_code == 200 and results["score"] == 1
    names = [t["name"] for t in results["tests"]]
    assert names == ["conv1d_full: example", "conv1d_full: hidden tests", f"{SHORT}: not attempted"]
    raw = json.dumps(results)
    assert "secret case" not in raw and "0.987654321" not in raw and "0.123456789" not in raw


def test_stored_rows_keep_interview_and_practice(api: Api) -> None:
    created = create(api)
    ada = Candidate(api, created["invite_url"])
    practice = ada.submit(practice=True).get_json()
    with api.app.extensions["grader"].sessions() as session:
        row = session.query(Submission).filter_by(id=practice["id"]).one()
        assert (row.interview_id, row.practice) == (created["id"], True)
    plain = api.call("POST", "/v1/submissions", json={"question_id": "conv1d_full", "code": SOLUTION})
    assert plain.get_json()["interview_id"] is None and plain.get_json()["practice"] is False
