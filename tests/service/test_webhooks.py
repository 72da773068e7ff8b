"""Webhooks end to end: real worker, real Redis, a real receiver verifying with standardwebhooks."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from standardwebhooks.webhooks import Webhook

from grader.storage.db import make_engine, sessions, upgrade
from grader.storage.keys import create_key
from grader.storage.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from grader.webhooks.delivery import SCHEDULE_S, attempt, reschedule
from grader.webhooks.signing import new_secret
from submissions_schema import KeyRole
from tests.service.conftest import Api, HttpService, service_settings
from tests.service.receiver import Receiver
from tests.service.test_end_to_end import SOLUTIONS, http, wait_report

RIGHT = (SOLUTIONS / "accepted_loops.py").read_text()
WRONG = (SOLUTIONS / "wrong_no_flip.py").read_text()
SCALE = 0.001  # GRADER_WEBHOOK_RETRY_SCALE in the http_service fixture


@pytest.fixture()
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    yield found
    found.stop()


def subscribe(service: HttpService, key: str, url: str, events: list[str] | None = None) -> dict[str, Any]:
    status, created = http(service, key, "/v1/webhooks",
                           {"url": url, "events": events or ["submission.completed", "submission.failed"]})
    assert status == 201, created
    assert created["secret"].startswith("whsec_")
    return created


def submit(service: HttpService, key: str, code: str = RIGHT, **extra: Any) -> str:
    status, created = http(service, key, "/v1/submissions", {"question_id": "conv1d_full", "code": code, **extra})
    assert status == 202, created
    submission_id: str = created["id"]
    return submission_id


def test_retries_follow_the_schedule_and_stop_after_success(http_service: HttpService, receiver: Receiver) -> None:
    http_service.start_worker()
    key = http_service.key("lms", "platform")
    base = receiver.start()
    hook = subscribe(http_service, key, base + "/grades")
    receiver.secrets = [hook["secret"]]
    receiver.script = [(500, {}), (503, {}), (500, {}), (200, {})]
    submission_id = submit(http_service, key)
    got = receiver.wait_for(4)
    time.sleep(1.0)
    assert len(receiver.received) == 4  # nothing after the success
    assert all(r.verified is not None for r in got), "every request verifies with the standard library"
    assert len({r.headers["webhook-id"] for r in got}) == 1  # the same event id on every retry
    gaps = [b.at - a.at for a, b in zip(got, got[1:], strict=False)]
    for gap, wait in zip(gaps, SCHEDULE_S, strict=False):
        assert gap >= wait * SCALE * 0.9, (gaps, "a retry came before its time")
    event = got[-1].verified
    assert event["type"] == "submission.completed" and event["data"]["id"] == submission_id
    assert event["data"]["report"]["verdict"] == "accepted" and event["version"] == 1
    status, log = http(http_service, key, f"/v1/webhooks/{hook['id']}/deliveries")
    assert status == 200
    (delivery,) = log["items"]
    assert delivery["status"] == "succeeded" and delivery["attempts"] == 4
    assert [a["status_code"] for a in delivery["log"]] == [500, 503, 500, 200]
    assert all(a["latency_ms"] is not None for a in delivery["log"])
    assert '"ok": true' in delivery["log"][-1]["response_head"]

    # Sent again by hand: the same event id.
    status, again = http(http_service, key, f"/v1/webhooks/{hook['id']}/deliveries/{delivery['id']}/retry", {})
    assert status == 202
    assert receiver.wait_for(5)[-1].headers["webhook-id"] == got[0].headers["webhook-id"]


def test_retry_after_is_honoured(http_service: HttpService, receiver: Receiver) -> None:
    http_service.start_worker()
    key = http_service.key("lms", "platform")
    hook = subscribe(http_service, key, receiver.start() + "/in")
    receiver.secrets = [hook["secret"]]
    receiver.script = [(429, {"Retry-After": "1500"})]  # 1.5 s at this scale, far from the 5 ms scheduled
    submit(http_service, key)
    first, second = receiver.wait_for(2)
    assert second.at - first.at >= 1500 * SCALE * 0.9


def test_gone_disables_the_subscription(http_service: HttpService, receiver: Receiver) -> None:
    http_service.start_worker()
    key = http_service.key("interviewer", "ivy")
    hook = subscribe(http_service, key, receiver.start() + "/old")
    receiver.script = [(410, {})]
    wait_report(http_service, key, submit(http_service, key))
    receiver.wait_for(1)
    deadline = time.monotonic() + 30
    while True:
        listed = http(http_service, key, "/v1/webhooks")[1]["items"]
        if listed[0]["disabled_at"]:
            break
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert "410" in listed[0]["disabled_reason"] and listed[0]["id"] == hook["id"]
    wait_report(http_service, key, submit(http_service, key, WRONG))
    time.sleep(1.0)
    assert len(receiver.received) == 1  # a disabled subscription gets nothing more


def test_callback_url_and_rotation_and_the_candidate_view(http_service: HttpService, receiver: Receiver) -> None:
    http_service.start_worker()
    base = receiver.start()
    candidate = http_service.key("candidate", "ada")
    status, problem = http(http_service, candidate, "/v1/submissions",
                           {"question_id": "conv1d_full", "code": RIGHT, "callback_url": base + "/cb"})
    assert status == 422 and "callback secret" in problem["detail"]
    status, secret = http(http_service, candidate, "/v1/webhooks/callback-secret", {})
    assert status == 201
    hook = subscribe(http_service, candidate, base + "/sub")
    status, rotated = http(http_service, candidate, f"/v1/webhooks/{hook['id']}/rotate", {})
    assert status == 200 and rotated["previous_secret_valid_until"]
    submit(http_service, candidate, WRONG, callback_url=base + "/cb")
    got = receiver.wait_for(2)
    by_path = {r.path: r for r in got}
    assert set(by_path) == {"/cb", "/sub"}
    for path, secrets in (("/cb", [secret["secret"]]), ("/sub", [rotated["secret"]]), ("/sub", [hook["secret"]])):
        record = by_path[path]
        event = Webhook(secrets[0]).verify(record.body, record.headers)
        report = event["data"]["report"]
        assert report["redacted"] is True  # a candidate key's events carry the candidate view
        assert all(t["message"] == "" for t in report["tests"] if t["visibility"] == "hidden")
    assert by_path["/sub"].headers["webhook-signature"].count("v1,") == 2  # old and new while rotating


@pytest.mark.parametrize("url", ["https://127.0.0.1/x", "https://2130706433/x", "https://[::ffff:10.0.0.1]/x",
                                 "https://169.254.169.254/x", "http://93.184.216.34/x", "ftp://example.com/x",
                                 "https://[2002:7f00:1::]/hook", "https://[64:ff9b::a9fe:a9fe]/x",
                                 "https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/x", "https://[::127.0.0.1]/x"])
def test_internal_urls_are_refused_at_subscription_and_callback(api: Api, url: str) -> None:
    status = api.call("POST", "/v1/webhooks", role="lms", json={"url": url, "events": ["submission.completed"]})
    assert status.status_code == 422 and status.get_json()["detail"].startswith("url: ")
    api.call("POST", "/v1/webhooks/callback-secret", role="lms")
    refused = api.call("POST", "/v1/submissions", role="lms",
                       json={"question_id": "conv1d_full", "code": RIGHT, "callback_url": url})
    assert refused.status_code == 422 and "callback_url: " in refused.get_json()["detail"]


def test_the_address_is_checked_again_at_every_attempt(tmp_path: Path, receiver: Receiver) -> None:
    """A URL accepted once (or whose DNS changed since) is refused when the attempt is made."""
    url = receiver.start() + "/in"
    settings = service_settings(tmp_path, f"sqlite:///{tmp_path / 'g.db'}", webhook_allow_http=True)
    sessions_ = sessions(make_engine(settings.effective_database_url))
    upgrade(make_engine(settings.effective_database_url))
    with sessions_() as session:
        create_key(session, KeyRole.lms, "platform")
        session.add(WebhookSubscription(id="s1", key_id=1, url=url, events=["submission.completed"],
                                        secret=new_secret()))
        session.flush()  # no ORM relationship orders these inserts: the subscription goes first
        session.add(WebhookDelivery(id="d1", event_id="msg_1", subscription_id="s1", key_id=1, url=url,
                                    event_type="submission.completed", body="{}", status="pending", attempts=0))
        session.commit()
        token = reschedule(session, "d1", 0.0)
    assert attempt(sessions_, "d1", token, settings) == SCHEDULE_S[0]  # failed: retried on schedule
    assert receiver.received == []
    with sessions_() as session:
        (logged,) = session.query(WebhookAttempt).all()
        assert logged.status_code is None and "internal address" in (logged.error or "")
        assert attempt(sessions_, "d1", token, settings) is None  # a stale token never sends


def test_a_subscription_failing_long_enough_is_disabled(tmp_path: Path, receiver: Receiver) -> None:
    url = receiver.start() + "/down"
    receiver.script = [(500, {}), (500, {})]
    settings = service_settings(tmp_path, f"sqlite:///{tmp_path / 'g.db'}", webhook_allow_http=True,
                                webhook_allow_hosts="127.0.0.1", webhook_disable_after_s=0.2)
    engine = make_engine(settings.effective_database_url)
    upgrade(engine)
    sessions_ = sessions(engine)
    with sessions_() as session:
        create_key(session, KeyRole.lms, "platform")
        session.add(WebhookSubscription(id="s1", key_id=1, url=url, events=["submission.completed"],
                                        secret=new_secret()))
        session.flush()
        session.add(WebhookDelivery(id="d1", event_id="msg_1", subscription_id="s1", key_id=1, url=url,
                                    event_type="submission.completed", body="{}", status="pending", attempts=0))
        session.commit()
        token = reschedule(session, "d1", 0.0)
    assert attempt(sessions_, "d1", token, settings) is not None  # first failure: failing since now
    time.sleep(0.3)
    with sessions_() as session:
        token = reschedule(session, "d1", 0.0)
    assert attempt(sessions_, "d1", token, settings) is None  # failing for longer than allowed
    with sessions_() as session:
        sub = session.get(WebhookSubscription, "s1")
        delivery = session.get(WebhookDelivery, "d1")
        assert sub is not None and sub.disabled_at is not None and "failed since" in (sub.disabled_reason or "")
        assert delivery is not None and delivery.status == "failed"
    assert len(receiver.received) == 2


def test_a_name_with_an_allowed_and_a_non_allowed_address_gets_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """127.0.0.1 is allow-listed; a name resolving to 127.0.0.2 and 127.0.0.1 is refused at every attempt,
    and is delivered to the listed address only once both are listed: never to an unchecked one."""
    allowed, other = Receiver(), Receiver()
    port = int(allowed.start("127.0.0.1").rsplit(":", 1)[1])
    other.start("127.0.0.2", port)
    real = socket.getaddrinfo

    def getaddrinfo(host: str, *args: Any, **kwargs: Any) -> Any:
        if host == "mixed.test":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in ("127.0.0.2", "127.0.0.1")]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    url = f"http://mixed.test:{port}/in"
    try:
        settings = service_settings(tmp_path, f"sqlite:///{tmp_path / 'g.db'}", webhook_allow_http=True,
                                    webhook_allow_hosts="127.0.0.1")
        sessions_, token = one_delivery(settings, url)
        assert attempt(sessions_, "d1", token, settings) == SCHEDULE_S[0]
        with sessions_() as session:
            (logged,) = session.query(WebhookAttempt).all()
            assert "internal address (127.0.0.2)" in (logged.error or "")
        both = settings.model_copy(update={"webhook_allow_hosts": "127.0.0.1, 127.0.0.2"})
        with sessions_() as session:
            token = reschedule(session, "d1", 0.0)
        assert attempt(sessions_, "d1", token, both) is None  # delivered
        assert len(other.received) == 1 and allowed.received == []  # to the first checked address
    finally:
        allowed.stop()
        other.stop()


def one_delivery(settings: Any, url: str) -> tuple[Any, str]:
    engine = make_engine(settings.effective_database_url)
    upgrade(engine)
    sessions_ = sessions(engine)
    with sessions_() as session:
        create_key(session, KeyRole.lms, "platform")
        session.add(WebhookSubscription(id="s1", key_id=1, url=url, events=["submission.completed"],
                                        secret=new_secret()))
        session.flush()
        session.add(WebhookDelivery(id="d1", event_id="msg_1", subscription_id="s1", key_id=1, url=url,
                                    event_type="submission.completed", body="{}", status="pending", attempts=0))
        session.commit()
        token = reschedule(session, "d1", 0.0)
    return sessions_, token
