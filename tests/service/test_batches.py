"""Batches: their status (counts by status and verdict, the ids), ``?wait=`` woken like a
submission's, and ``batch.completed`` created once when the last submission ends, sent to a
real receiver by a real worker."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from standardwebhooks.webhooks import Webhook

from grader.storage import submissions as store
from grader.storage.models import Submission, WebhookDelivery, WebhookSubscription
from grader.waiting import Notifier
from grader.webhooks.events import deliveries_for
from grader.webhooks.signing import new_secret
from submissions_schema.api import BatchView, WebhookEvent
from tests.service.conftest import Api, HttpService
from tests.service.processes import SHORT_ANSWER, until
from tests.service.receiver import Receiver
from tests.service.test_api import assert_problem, body, finish, graded_report
from tests.service.test_end_to_end import http

ACCEPTED_REPORT = {**graded_report(), "verdict": "accepted", "score": 2,
                   "tests": [{**t, "verdict": "accepted", "score": 1} for t in graded_report()["tests"]]}


def create_batch(api: Api, count: int = 3) -> dict[str, Any]:
    items = [body(candidate=f"c{i}") for i in range(count)]
    created = api.call("POST", "/v1/submissions/batch", role="lms", json={"submissions": items})
    assert created.status_code == 202
    result: dict[str, Any] = created.get_json()
    return result


def batch(api: Api, batch_id: str, query: str = "", role: str = "lms") -> BatchView:
    response = api.call("GET", f"/v1/batches/{batch_id}{query}", role=role)
    assert response.status_code == 200, response.get_data(as_text=True)
    return BatchView.model_validate(response.get_json())


def test_batch_status_counts_by_status_and_verdict(api: Api) -> None:
    created = create_batch(api)
    ids = [s["id"] for s in created["submissions"]]
    view = batch(api, created["batch_id"])
    assert view.submission_ids == ids and view.total == 3 and not view.done
    assert view.by_status == {"queued": 3, "running": 0, "completed": 0, "failed": 0} and view.by_verdict == {}
    assert view.completed_at is None
    finish(api, ids[0], graded_report())
    with api.app.extensions["grader"].sessions() as session:
        store.claim(session, ids[1], "test-worker", lease_s=60)
    view = batch(api, created["batch_id"])
    assert view.by_status == {"queued": 1, "running": 1, "completed": 1, "failed": 0}
    assert view.by_verdict == {"wrong_answer": 1} and not view.done
    finish(api, ids[1], ACCEPTED_REPORT)
    finish(api, ids[2], ACCEPTED_REPORT)
    view = batch(api, created["batch_id"])
    assert view.done and view.by_status["completed"] == 3 and view.by_verdict == {"accepted": 2, "wrong_answer": 1}
    assert view.completed_at is not None and view.completed_at >= view.created_at


def test_batch_status_is_for_staff_and_known_batches(api: Api) -> None:
    created = create_batch(api, 1)
    assert_problem(api.call("GET", "/v1/batches/nope", role="lms"), 404, "no batch 'nope'")
    assert_problem(api.call("GET", f"/v1/batches/{created['batch_id']}", role="candidate"), 403, "")
    assert_problem(api.call("GET", f"/v1/batches/{created['batch_id']}?wait=61", role="lms"), 400, "wait must be")
    one = api.call("POST", "/v1/submissions", json=body()).get_json()
    assert_problem(api.call("GET", f"/v1/batches/{one['id']}", role="lms"), 404, "no batch")  # not a batch id
    assert batch(api, created["batch_id"], role="interviewer").total == 1  # any staff key reads it


def test_a_wait_on_a_batch_is_woken_when_its_last_submission_ends(make_api: Callable[..., Api]) -> None:
    api = make_api(wait_poll_s=1000)  # no polling within the test: only the wake-up can end the wait
    created = create_batch(api, 2)
    ids = [s["id"] for s in created["submissions"]]
    answers: list[Any] = []
    client = api.app.test_client()
    headers = {"Authorization": f"Bearer {api.key('lms')}"}
    path = f"/v1/batches/{created['batch_id']}?wait=60"
    thread = threading.Thread(target=lambda: answers.append(client.get(path, headers=headers)))
    started = time.monotonic()
    thread.start()
    until(lambda: api.app.extensions.get("grader.waiters") and api.app.extensions["grader.waiters"].held() == 1,
          10, "the batch wait held")
    notifier = Notifier(api.app.extensions["grader"].settings)
    finish(api, ids[0], graded_report())
    notifier.finished(ids[0])  # woken, reads the batch, still one to go: waits on
    time.sleep(0.5)
    assert thread.is_alive() and not answers
    finish(api, ids[1], graded_report())
    until(lambda: notifier.finished(ids[1]) or answers, 30, "the batch wait answered", every_s=1.0)
    thread.join(10)
    view = BatchView.model_validate(answers[0].get_json())
    assert view.done and view.by_verdict == {"wrong_answer": 2}
    assert time.monotonic() - started < 60  # ended by the wake-up, not by ?wait= running out


def subscribe_rows(api: Api, role: str, name: str, events: list[str]) -> WebhookSubscription:
    api.key(role, name)
    svc = api.app.extensions["grader"]
    with svc.sessions() as session:
        from grader.storage.models import ApiKey

        key = session.query(ApiKey).filter(ApiKey.name == name).one()
        row = WebhookSubscription(id=f"sub-{name}", key_id=key.id, url=f"https://{name}.test/hook", events=events,
                                  secret=new_secret())
        session.add(row)
        session.commit()
        session.refresh(row)
        session.expunge(row)
        return row


def test_batch_completed_is_created_once_by_the_last_submission_to_end(api: Api) -> None:
    created = create_batch(api, 2)
    ids = [s["id"] for s in created["submissions"]]
    subscribe_rows(api, "lms", "lms", ["batch.completed"])  # the batch's own key
    subscribe_rows(api, "admin", "root", ["batch.completed", "submission.completed"])  # an admin hears of all
    subscribe_rows(api, "interviewer", "other", ["batch.completed"])  # another staff key: not its batch
    svc = api.app.extensions["grader"]
    finish(api, ids[0], graded_report())
    with svc.sessions() as session:
        first = deliveries_for(session, _row(session, ids[0]))
    finish(api, ids[1], ACCEPTED_REPORT)
    with svc.sessions() as session:
        last = deliveries_for(session, _row(session, ids[1]))
        again = deliveries_for(session, _row(session, ids[1]))  # a second worker
        rows = session.query(WebhookDelivery).filter(WebhookDelivery.event_type == "batch.completed").all()
    assert len(first) == 1 and len(last) == 3 and len(again) == 1  # the admin's submission.completed each time
    assert sorted(r.url for r in rows) == ["https://lms.test/hook", "https://root.test/hook"]
    event = WebhookEvent.model_validate_json(rows[0].body)
    assert event.type == "batch.completed" and isinstance(event.data, BatchView)
    assert event.data.done and event.data.submission_ids == ids and event.data.by_verdict == {
        "accepted": 1, "wrong_answer": 1}


def _row(session: Any, submission_id: str) -> Submission:
    row = store.get(session, submission_id)
    assert row is not None
    return row


def test_a_real_worker_sends_batch_completed_to_a_real_receiver(http_service: HttpService, tmp_path: Path) -> None:
    receiver = Receiver()
    base = receiver.start()
    try:
        http_service.start_worker()
        key = http_service.key("lms", "platform")
        subscription = {"url": base + "/batches", "events": ["batch.completed"]}
        status, hook = http(http_service, key, "/v1/webhooks", subscription)
        assert status == 201, hook
        receiver.secrets = [hook["secret"]]
        items = [SHORT_ANSWER, {**SHORT_ANSWER, "answers": {"size": "1 MB"}}]
        status, created = http(http_service, key, "/v1/submissions/batch", {"submissions": items})
        assert status == 202, created
        got = receiver.wait_for(1, timeout_s=90)
        event = got[0].verified
        assert event is not None and event["type"] == "batch.completed"
        assert event["data"]["batch_id"] == created["batch_id"] and event["data"]["done"] is True
        assert event["data"]["by_verdict"] == {"accepted": 1, "wrong_answer": 1}
        Webhook(hook["secret"]).verify(got[0].body, got[0].headers)
        status, view = http(http_service, key, f"/v1/batches/{created['batch_id']}?wait=5")
        assert status == 200 and view == event["data"]
        time.sleep(2.0)
        assert len(receiver.received) == 1  # once, however many workers ended its submissions
    finally:
        receiver.stop()
