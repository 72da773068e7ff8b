"""The API above the queue (a fake queue; real SQLite and PostgreSQL): contracts, roles, errors."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from grader.storage import submissions as store
from submissions_schema import GradeReport, QuestionPublic
from submissions_schema.api import SubmissionPage, SubmissionView
from tests.service.conftest import Api

SOLUTION = "import numpy as np\n\ndef conv1d(a, v):\n    return np.zeros(len(a) + len(v) - 1)\n"


def body(**fields: Any) -> dict[str, Any]:
    return {"question_id": "conv1d_full", "code": SOLUTION, **fields}


def assert_problem(response: Any, status: int, words: str) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    problem: dict[str, Any] = response.get_json(force=True)
    assert problem["status"] == status and words in problem["detail"], problem
    return problem


def test_submit_returns_202_location_and_enqueues_by_device(api: Api) -> None:
    response = api.call("POST", "/v1/submissions", json=body(candidate="ada", metadata={"course": 7}))
    assert response.status_code == 202
    view = SubmissionView.model_validate(response.get_json())
    assert response.headers["Location"] == f"/v1/submissions/{view.id}"
    assert (view.status, view.candidate, view.metadata) == ("queued", "ada", {"course": 7})
    assert api.queue.sent == [(view.id, "cpu")]
    gpu = api.call("POST", "/v1/submissions", json={"question_id": "distances_torch", "code": "x = 1\n"})
    assert api.queue.sent[-1] == (gpu.get_json()["id"], "gpu")


def test_idempotency_key(api: Api) -> None:
    headers = {"Idempotency-Key": "attempt-1"}
    first = api.call("POST", "/v1/submissions", json=body(), headers=headers)
    again = api.call("POST", "/v1/submissions", json=body(), headers=headers)
    assert again.status_code == 202 and again.get_json()["id"] == first.get_json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true" and len(api.queue.sent) == 1
    other = api.call("POST", "/v1/submissions", json=body(candidate="someone"), headers=headers)
    assert_problem(other, 409, "another body")
    # Keys are per API key: another caller may use the same Idempotency-Key.
    lms = api.call("POST", "/v1/submissions", role="lms", json=body(), headers=headers)
    assert lms.status_code == 202 and lms.get_json()["id"] != first.get_json()["id"]


@pytest.mark.parametrize(
    "kwargs,status,words",
    [
        ({"data": "{not json", "content_type": "application/json"}, 400, "not valid JSON"),
        ({"data": b"\xff\xfe", "content_type": "application/json"}, 400, "not UTF-8"),
        ({"data": '{"question_id": "conv1d_full", "code": "\\ud800"}', "content_type": "application/json"}, 400,
         "not valid Unicode"),
        ({"data": "question_id=x", "content_type": "application/x-www-form-urlencoded"}, 415, "JSON"),
        ({"json": [1, 2]}, 422, "JSON object"),
        ({"json": {"question_id": "conv1d_full", "code": 5}}, 422, "code: Input should be a valid string"),
        ({"json": {"question_id": "conv1d_full", "code": "x", "verdict": "accepted"}}, 422, "verdict: Extra inputs"),
        ({"json": {"question_id": "conv1d_full"}}, 422, "exactly one of 'code', 'notebook' and 'answers'"),
        ({"json": {"question_id": "nope", "code": "x"}}, 422, "unknown question 'nope'"),
        ({"json": {"question_id": "conv1d_full", "answers": {"a": 1}}}, 422, "send 'code'"),
        ({"json": {"question_id": "vgg_storage_mb", "code": "x"}}, 422, "send 'answers'"),
        ({"json": {"question_id": "vgg_storage_mb", "answers": {"zzz": 1}}}, 422, "unknown part"),
        ({"json": {"question_id": "conv1d_full", "code": "x\x00"}}, 422, "NUL"),
        ({"json": {"question_id": "conv1d_full", "code": "#" * 300_000}}, 413, "larger than 256 KiB"),
        ({"json": {"question_id": "conv1d_full", "code": "#" * 5_000_000}}, 413, "larger than allowed"),
    ],
)
def test_bad_requests_get_precise_problems(api: Api, kwargs: dict[str, Any], status: int, words: str) -> None:
    assert_problem(api.call("POST", "/v1/submissions", **kwargs), status, words)
    assert api.queue.sent == []


def test_field_errors_are_listed_without_echoing_values(api: Api) -> None:
    problem = assert_problem(
        api.call("POST", "/v1/submissions", json={"question_id": "BAD!", "code": 1, "x": "secret"}), 422, "")
    fields = {e["field"] for e in problem["errors"]}
    assert {"question_id", "code", "x"} <= fields and "secret" not in json.dumps(problem)


def test_keys_and_roles(api: Api) -> None:
    assert_problem(api.client.get("/v1/questions"), 401, "send an API key")
    response = api.client.get("/v1/questions", headers={"Authorization": "Bearer gk_wrong"})
    assert_problem(response, 401, "unknown or revoked")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert_problem(api.call("POST", "/v1/submissions/batch", role="candidate", json={"submissions": [body()]}),
                   403, "a candidate key cannot do this")
    assert api.client.get("/v1/questions", headers={"X-API-Key": api.key("lms")}).status_code == 200


def test_revoked_key_is_refused(api: Api) -> None:
    from grader.storage.keys import list_keys, revoke_key

    api.key("interviewer", "leaving")
    svc = api.app.extensions["grader"]
    with svc.sessions() as session:
        key_id = next(k.id for k in list_keys(session) if k.name == "leaving")
        assert revoke_key(session, key_id)
    assert_problem(api.call("GET", "/v1/questions", name="leaving"), 401, "revoked")


def finish(api: Api, submission_id: str, report: dict[str, Any]) -> None:
    svc = api.app.extensions["grader"]
    with svc.sessions() as session:
        store.claim(session, submission_id, "test-worker", lease_s=60)
        store.finish(session, submission_id, GradeReport.model_validate(report))


def graded_report() -> dict[str, Any]:
    return {
        "question_id": "conv1d_full", "question_version": 1, "verdict": "wrong_answer", "score": 1, "max_score": 2,
        "tests": [
            {"name": "example", "visibility": "visible", "verdict": "accepted", "score": 1, "max_score": 1},
            {"name": "secret case", "visibility": "hidden", "verdict": "wrong_answer", "score": 0, "max_score": 1,
             "message": "expected 0.123456789, got 3", "stdout": "hidden input was [0.987654321]"},
        ],
        "timing": {}, "sandbox": {"backend": "bwrap"},
    }


def test_candidates_see_only_their_own_and_only_the_candidate_view(api: Api) -> None:
    mine = api.call("POST", "/v1/submissions", role="candidate", name="cand-a", json=body()).get_json()
    theirs = api.call("POST", "/v1/submissions", role="candidate", name="cand-b", json=body()).get_json()
    assert mine["candidate"] == "cand-a"
    assert_problem(api.call("POST", "/v1/submissions", role="candidate", name="cand-a", json=body(candidate="bob")),
                   403, "submits as itself")
    finish(api, mine["id"], graded_report())
    own = api.call("GET", f"/v1/submissions/{mine['id']}", role="candidate", name="cand-a").get_json()
    assert own["report"]["redacted"] and [t["name"] for t in own["report"]["tests"]] == ["example"]
    assert own["report"]["hidden_summary"] == {"passed": 0, "total": 1, "score": 0, "max_score": 1}
    assert "0.987654321" not in json.dumps(own) and "0.123456789" not in json.dumps(own)
    assert_problem(api.call("GET", f"/v1/submissions/{theirs['id']}", role="candidate", name="cand-a"), 404, "no ")
    listed = api.call("GET", "/v1/submissions", role="candidate", name="cand-a").get_json()
    assert [s["id"] for s in listed["items"]] == [mine["id"]]
    full = api.call("GET", f"/v1/submissions/{mine['id']}", role="interviewer").get_json()
    assert "0.987654321" in full["report"]["tests"][1]["stdout"] and not full["report"]["redacted"]


def test_wait_holds_until_the_report_is_stored(api: Api) -> None:
    created = api.call("POST", "/v1/submissions", json=body()).get_json()
    assert api.call("GET", f"/v1/submissions/{created['id']}?wait=0").get_json()["status"] == "queued"
    threading.Timer(0.5, finish, args=(api, created["id"], graded_report())).start()
    t0 = time.monotonic()
    view = api.call("GET", f"/v1/submissions/{created['id']}?wait=20").get_json()
    assert view["status"] == "completed" and view["report"]["verdict"] == "wrong_answer"
    assert time.monotonic() - t0 < 15
    for bad in ("abc", "-1", "1e9", "nan"):
        assert_problem(api.call("GET", f"/v1/submissions/{created['id']}?wait={bad}"), 400, "wait must be")


def test_list_filters_and_pages(api: Api) -> None:
    ids = [api.call("POST", "/v1/submissions", json=body(candidate=f"c{i % 2}")).get_json()["id"] for i in range(5)]
    page = SubmissionPage.model_validate(api.call("GET", "/v1/submissions?limit=2").get_json())
    assert [s.id for s in page.items] == ids[::-1][:2] and page.next_cursor
    rest = api.call("GET", f"/v1/submissions?limit=10&cursor={page.next_cursor}").get_json()
    assert [s["id"] for s in rest["items"]] == ids[::-1][2:] and rest["next_cursor"] is None
    only = api.call("GET", "/v1/submissions?candidate=c1&status=queued&question_id=conv1d_full").get_json()
    assert {s["id"] for s in only["items"]} == {ids[1], ids[3]}
    assert_problem(api.call("GET", "/v1/submissions?status=done"), 400, "status must be")
    assert_problem(api.call("GET", "/v1/submissions?limit=0"), 400, "limit must be")
    assert_problem(api.call("GET", "/v1/submissions?cursor=abc"), 400, "cursor")


def test_batch(make_api: Callable[..., Api]) -> None:
    api = make_api(max_batch=3)
    items = [body(candidate=f"student{i}") for i in range(3)]
    response = api.call("POST", "/v1/submissions/batch", role="lms", json={"submissions": items})
    assert response.status_code == 202
    created = response.get_json()
    assert len(created["submissions"]) == 3 and len(api.queue.sent) == 3
    listed = api.call("GET", f"/v1/submissions?batch_id={created['batch_id']}", role="lms").get_json()
    assert len(listed["items"]) == 3
    too_many = api.call("POST", "/v1/submissions/batch", role="lms", json={"submissions": items + items[:1]})
    assert_problem(too_many, 422, "at most 3")
    bad_item = api.call("POST", "/v1/submissions/batch", role="lms",
                        json={"submissions": [body(), {"question_id": "nope", "code": "x"}]})
    assert_problem(bad_item, 422, "submissions[1].question_id")


def test_rate_limit(make_api: Callable[..., Api]) -> None:
    api = make_api(rate_limit_per_min=3)
    answers = [api.call("GET", "/v1/questions") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a.headers["RateLimit-Remaining"] for a in answers] == ["2", "1", "0", "0"]
    assert all(a.headers["RateLimit-Limit"] == "3" and 0 <= int(a.headers["RateLimit-Reset"]) <= 60
               for a in answers)
    assert "Retry-After" not in answers[0].headers
    limited = api.call("GET", "/v1/questions")
    assert_problem(limited, 429, "3 requests a minute")
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    # Every counted response carries the headers, errors of the view included; uncounted ones do not.
    other = api.call("GET", "/v1/questions/nope", name="other")
    assert other.status_code == 404 and other.headers["RateLimit-Remaining"] == "2"
    assert "RateLimit-Limit" not in api.client.get("/v1/questions").headers  # 401: no key, nothing counted


def test_full_queue_and_broken_broker(make_api: Callable[..., Api]) -> None:
    api = make_api(max_queue_depth=1)
    assert api.call("POST", "/v1/submissions", json=body()).status_code == 202
    full = api.call("POST", "/v1/submissions", json=body())
    assert_problem(full, 503, "queue is full") and full.headers["Retry-After"]
    api = make_api(max_queue_depth=100)
    api.queue.broken = True
    down = api.call("POST", "/v1/submissions", json=body(candidate="kept"))
    assert down.status_code == 202  # stored; the sweeper sends it when the broker is back
    stored = api.call("GET", down.headers["Location"]).get_json()
    assert stored["status"] == "queued" and stored["candidate"] == "kept"  # never a lost submission
    batch = api.call("POST", "/v1/submissions/batch", json={"submissions": [body(), body()]})
    assert batch.status_code == 202 and [s["status"] for s in batch.get_json()["submissions"]] == ["queued"] * 2


def test_questions(api: Api) -> None:
    listed = api.call("GET", "/v1/questions?topic=convolution").get_json()["items"]
    assert "conv1d_full" in {q["id"] for q in listed} and {q["topic"] for q in listed} == {"convolution"}
    view = QuestionPublic.model_validate(api.call("GET", "/v1/questions/conv1d_full").get_json())
    assert view.visible_cases and view.hidden_case_count > 0 and view.starter
    short = api.call("GET", "/v1/questions/vgg_storage_mb").get_json()
    assert short["kind"] == "short_answer" and "553" not in json.dumps(short["parts"])
    assert_problem(api.call("GET", "/v1/questions/nope"), 404, "unknown question")


def test_unknown_routes_and_methods_are_problems(api: Api) -> None:
    assert_problem(api.client.get("/nope"), 404, "no such resource")
    response = api.client.delete("/v1/questions")
    assert_problem(response, 405, "DELETE is not allowed") and "GET" in response.headers["Allow"]


def test_health_and_openapi(api: Api) -> None:
    assert api.client.get("/healthz").get_json() == {"status": "ok", "checks": {}}
    ready = api.client.get("/readyz").get_json()
    assert ready["checks"]["database"] == "ok" and ready["checks"]["broker"] == "ok"
    document = api.client.get("/openapi.json").get_json()
    assert document["openapi"].startswith("3.1") and "/v1/submissions" in document["paths"]
    assert "SubmissionCreate" in document["components"]["schemas"]
    page = api.client.get("/docs").get_data(as_text=True)  # Swagger UI, bundled, on /openapi.json
    assert "/openapi.json" in page and "swagger-ui-bundle.js" in page
    assert api.client.get("/assets/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_metrics(api: Api) -> None:
    created = api.call("POST", "/v1/submissions", json=body()).get_json()
    finish(api, created["id"], graded_report())
    api.call("POST", "/v1/submissions", json=body())
    text = api.client.get("/metrics").get_data(as_text=True)
    assert 'grader_submissions_total{verdict="wrong_answer"} 1.0' in text
    assert "grader_queue_depth 1.0" in text
    assert "grader_grading_duration_seconds_count 1.0" in text


def test_report_formats_and_batch_csv(api: Api) -> None:
    import csv
    import io
    import xml.etree.ElementTree as ET

    created = api.call("POST", "/v1/submissions/batch", role="lms",
                       json={"submissions": [body(candidate="=cmd|' /C calc'!A0"), body(candidate="bo")]}).get_json()
    first = created["submissions"][0]["id"]
    early = api.call("GET", f"/v1/submissions/{first}?format=junit", role="lms")
    assert_problem(early, 409, "no report yet")
    finish(api, first, graded_report())
    junit = api.call("GET", f"/v1/submissions/{first}?format=junit", role="lms")
    assert junit.mimetype == "application/xml"
    suite = ET.fromstring(junit.get_data(as_text=True))
    assert suite.get("tests") == "2" and suite.get("failures") == "1"
    gradescope = api.call("GET", f"/v1/submissions/{first}?format=gradescope", role="lms").get_json()
    assert gradescope["score"] == 1 and [t["visibility"] for t in gradescope["tests"]] == ["visible",
                                                                                           "after_published"]
    assert_problem(api.call("GET", f"/v1/submissions/{first}?format=pdf", role="lms"), 400, "format must be")
    sheet = api.call("GET", f"/v1/batches/{created['batch_id']}/results.csv", role="lms")
    assert sheet.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(sheet.get_data(as_text=True))))
    assert [r["id"] for r in rows] == [s["id"] for s in created["submissions"]]
    assert rows[0]["candidate"].startswith("'=") and rows[0]["verdict"] == "wrong_answer"
    assert_problem(api.call("GET", "/v1/batches/nope/results.csv", role="lms"), 404, "no batch")
    assert_problem(api.call("GET", f"/v1/batches/{created['batch_id']}/results.csv", role="candidate"), 403, "")


def nested(depth: int) -> Any:
    value: Any = 1
    for i in range(depth):
        value = {"k": value} if i % 2 else [value]
    return value


def count_rows(api: Api) -> int:
    svc = api.app.extensions["grader"]
    with svc.sessions() as session:
        return len(store.page(session, store.Filters(), 10_000, None))


@pytest.mark.parametrize("depth", [65, 400, 900, 5000])
def test_deep_json_is_a_400_not_a_crash(api: Api, depth: int, caplog: pytest.LogCaptureFixture) -> None:
    """Deep nesting anywhere in a body is refused before any recursive walk sees it."""
    for path, payload in (("/v1/submissions", body(metadata={"x": DEEP})),
                          ("/v1/submissions", {"question_id": "vgg_storage_mb", "answers": {"size": DEEP}}),
                          ("/v1/submissions/batch", {"submissions": [body(metadata={"x": DEEP})]}),
                          ("/v1/webhooks", {"url": "https://93.184.216.34/", "events": ["submission.completed"],
                                            "description": DEEP})):
        text = json.dumps(payload).replace(json.dumps(DEEP), "[" * depth + "]" * depth)
        response = api.call("POST", path, data=text, content_type="application/json")
        assert_problem(response, 400, "nests deeper than 64 levels")
    assert count_rows(api) == 0 and api.queue.sent == []
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


DEEP = "(deeply nested arrays)"


def test_64_levels_are_accepted(api: Api) -> None:
    response = api.call("POST", "/v1/submissions", json=body(metadata={"x": nested(62)}))
    assert response.status_code == 202, response.get_json()


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e400", "-1e400"])
def test_non_finite_numbers_are_refused_on_every_database(api: Api, value: str) -> None:
    code = json.dumps(SOLUTION)
    one = f'{{"question_id": "conv1d_full", "code": {code}, "metadata": {{"x": {value}}}}}'
    for text in (one, f'{{"question_id": "vgg_storage_mb", "answers": {{"size": [1, {value}]}}}}',
                 f'{{"submissions": [{one}]}}'):
        path = "/v1/submissions/batch" if text.startswith('{"submissions"') else "/v1/submissions"
        response = api.call("POST", path, data=text, content_type="application/json")
        assert_problem(response, 422, "numbers must be finite")
    assert count_rows(api) == 0
    fine = api.call("POST", "/v1/submissions", data=f'{{"question_id": "conv1d_full", "code": {code}, '
                    '"metadata": {"x": 1e300, "y": -0.0, "z": 123456789012345678901234567890}}',
                    content_type="application/json")
    assert fine.status_code == 202
    assert api.call("GET", fine.headers["Location"]).get_json()["metadata"]["x"] == 1e300


ODD_PARAMETERS = ["cursor=%C2%B2", "cursor=%D9%A1%D9%A2", "cursor=1%00", "limit=%C2%B2", "limit=%D9%A1", "limit=1e1",
                  "limit=nan", "cursor=-1", "cursor=99999999999999999999"]


@pytest.mark.parametrize("query", ODD_PARAMETERS)
def test_odd_digits_in_parameters_are_400(api: Api, query: str) -> None:
    response = api.call("GET", f"/v1/submissions?{query}")
    assert response.status_code == 400, response.get_json()
    assert response.mimetype == "application/problem+json"


def test_odd_digits_in_wait_and_nul_in_the_url(api: Api) -> None:
    created = api.call("POST", "/v1/submissions", json=body()).get_json()
    for wait in ("%D9%A1", "%C2%B2", "1_0", "inf", "-0.5"):
        assert_problem(api.call("GET", f"/v1/submissions/{created['id']}?wait={wait}"), 400, "wait must be")
    assert_problem(api.call("GET", "/v1/submissions/a%00b"), 400, "NUL")
    assert_problem(api.call("GET", "/v1/submissions?candidate=a%00b"), 400, "NUL")
    assert_problem(api.call("DELETE", "/v1/webhooks/a%00b"), 400, "NUL")


@pytest.mark.parametrize("field", ["url", "description"])
def test_nul_in_a_webhook_body_is_422(api: Api, field: str) -> None:
    hook = {"url": "https://93.184.216.34/hook", "events": ["submission.completed"], field: "a\x00b"}
    assert_problem(api.call("POST", "/v1/webhooks", json=hook), 422, "NUL")


def test_a_batch_is_stored_whole_or_not_at_all(api: Api) -> None:
    headers = {"Idempotency-Key": "term-1"}
    first = api.call("POST", "/v1/submissions/batch", json={"submissions": [body(candidate="a"), body(candidate="b")]},
                     headers=headers)
    assert first.status_code == 202 and count_rows(api) == 2
    # The same key with another second item: the first replays, the second conflicts, the third is not stored.
    other = [body(candidate="a"), body(candidate="changed"), body(candidate="c")]
    assert_problem(api.call("POST", "/v1/submissions/batch", json={"submissions": other}, headers=headers),
                   409, "another body")
    assert count_rows(api) == 2 and len(api.queue.sent) == 2
    again = api.call("POST", "/v1/submissions/batch", json={"submissions": [body(candidate="a"), body(candidate="b")]},
                     headers=headers)
    assert [s["id"] for s in again.get_json()["submissions"]] == [s["id"] for s in first.get_json()["submissions"]]
