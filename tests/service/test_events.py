"""Live events and interview webhooks over real HTTP: the app under ``grader serve``'s waitress
(threads sized by ``wsgi_server``), Redis, PostgreSQL, real worker processes and sandboxes.

Streams here never poll (``wait_poll_s`` is far beyond each test): every event they send was
woken by an announcement, from the worker or the API.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from grader.api import create_app
from grader.interviews.models import Interview
from grader.service_cli import wsgi_server
from grader.settings import Settings
from grader.storage.db import make_engine, sessions
from tests.service.conftest import HttpService, fresh_database, service_settings, settings_env
from tests.service.receiver import Receiver
from tests.service.servers import free_port, wait_for_port
from tests.service.sessions import invite_key, session_cookie
from tests.service.test_end_to_end import SOLUTIONS

RIGHT = (SOLUTIONS / "accepted_loops.py").read_text()
WRONG = (SOLUTIONS / "wrong_no_flip.py").read_text()


class StreamService(HttpService):
    """The app on ``grader serve``'s WSGI server (``wsgi_server``: a thread per wait and stream beside
    ``threads``), with real worker processes started by ``start_worker()``."""

    def __init__(self, settings: Settings, tmp_path: Path, threads: int) -> None:
        self.settings = settings
        self.app = create_app(settings)
        self.server = wsgi_server(self.app, settings, "127.0.0.1", free_port(), threads)
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        self.workers = []
        self.env = {**os.environ, **settings_env(settings)}
        self.logs = tmp_path
        wait_for_port(int(self.server.effective_port))

    def call(self, path: str, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None,
             key: str | None = None) -> tuple[int, Any]:
        sent = {"Content-Type": "application/json", **(headers or {})}
        if key:
            sent["Authorization"] = f"Bearer {key}"
        request = urllib.request.Request(self.url + path, data=None if body is None else json.dumps(body).encode(),
                                         headers=sent, method="GET" if body is None else "POST")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())


@pytest.fixture()
def make_service(tmp_path: Path, redis_url: str, postgres_url: str,
                 request: pytest.FixtureRequest) -> Iterator[Callable[..., StreamService]]:
    made: list[StreamService] = []

    def build(threads: int = 4, **overrides: Any) -> StreamService:
        redis_db = redis_url.rsplit("/", 1)[0] + f"/{free_port() % 15 + 1}"
        values: dict[str, Any] = {
            "broker_url": redis_db, "lease_s": 6.0, "heartbeat_s": 1.0, "sweep_interval_s": 1.0,
            "webhook_retry_scale": 0.001, "webhook_allow_hosts": "127.0.0.1", "webhook_allow_http": True,
            "wait_poll_s": 1000.0, "stream_keepalive_s": 1000.0, "max_waiters": 4, **overrides,
        }
        service = StreamService(service_settings(tmp_path, fresh_database("postgres", tmp_path, request), **values),
                                tmp_path, threads)
        made.append(service)
        return service

    yield build
    for service in made:
        service.close()


class EventStream:
    """A real HTTP client of a server-sent event stream; a thread collects its events."""

    def __init__(self, url: str, path: str, headers: dict[str, str]) -> None:
        host, port = url.removeprefix("http://").split(":")
        self.connection = http.client.HTTPConnection(host, int(port), timeout=300)
        self.connection.request("GET", path, headers=headers)
        self.response = self.connection.getresponse()
        self.events: list[tuple[str, Any]] = []
        self.retry_ms: int | None = None
        self.ended = threading.Event()
        if self.response.status == 200:
            threading.Thread(target=self._read, daemon=True).start()
        else:
            self.problem = json.loads(self.response.read())
            self.ended.set()

    def _read(self) -> None:
        name, data = "message", []
        try:
            for raw in iter(self.response.readline, b""):
                line = raw.decode().rstrip("\n")
                if not line:
                    if data:
                        self.events.append((name, json.loads("\n".join(data))))
                    name, data = "message", []
                elif line.startswith("event: "):
                    name = line[7:]
                elif line.startswith("data: "):
                    data.append(line[6:])
                elif line.startswith("retry: "):
                    self.retry_ms = int(line[7:])
        except (OSError, ValueError, AttributeError):
            pass  # closed by the test (http.client drops the closed response's file)
        self.ended.set()

    def until(self, check: Callable[[list[tuple[str, Any]]], bool], what: str, timeout_s: float = 120) -> None:
        deadline = time.monotonic() + timeout_s
        while not check(list(self.events)):
            assert time.monotonic() < deadline, f"{what}: got {self.events}"
            time.sleep(0.02)

    def names(self) -> list[str]:
        return [name for name, _ in self.events]

    def close(self) -> None:
        """Leave as a browser does: the socket closed for good (the server's next write finds it gone)."""
        if self.connection.sock is not None:
            self.connection.sock.shutdown(socket.SHUT_RDWR)
        self.ended.wait(10)
        self.response.close()
        self.connection.close()


def interview(service: StreamService, key: str, **fields: Any) -> dict[str, Any]:
    status, created = service.call("/v1/interviews", {"candidate_name": "Ada", "question_ids": ["conv1d_full"],
                                                      **fields}, key=key)
    assert status == 201, created
    return created


def candidate_headers(service: StreamService, created: dict[str, Any]) -> dict[str, str]:
    cookie, csrf = session_cookie(service.app, invite_key(service.app, created["invite_url"]))
    return {"Cookie": cookie, "X-CSRF-Token": csrf}


def test_a_submission_stream_follows_grading_to_its_report(make_service: Callable[..., StreamService]) -> None:
    service = make_service()
    created = interview(service, service.key("interviewer", "ivy"))
    ada = candidate_headers(service, created)
    status, practice = service.call("/v1/submissions", {"question_id": "conv1d_full", "code": WRONG,
                                                        "practice": True}, headers=ada)
    assert status == 202, practice
    stream = EventStream(service.url, f"/v1/submissions/{practice['id']}/events", {"Cookie": ada["Cookie"]})
    stream.until(lambda e: e == [("status", {"id": practice["id"], "status": "queued"})], "queued at once")
    assert stream.response.getheader("Content-Type") == "text/event-stream; charset=utf-8"
    assert stream.retry_ms == 3000
    service.start_worker()
    assert stream.ended.wait(180), stream.events
    assert stream.names() == ["status", "status", "status", "report"], stream.events
    assert [data["status"] for _, data in stream.events[:3]] == ["queued", "running", "completed"]
    report = stream.events[-1][1]["report"]
    # A practice run: the visible cases only, in the candidate's view; nothing hidden ran.
    assert report["verdict"] == "wrong_answer" and report["redacted"] is True
    assert report["tests"] and all(t["visibility"] == "visible" for t in report["tests"])
    assert report["hidden_summary"] is None and "practice run" in report["message"]
    # A finished submission's stream: its state and its report at once, then the end.
    again = EventStream(service.url, f"/v1/submissions/{practice['id']}/events", {"Cookie": ada["Cookie"]})
    assert again.ended.wait(30) and again.names() == ["status", "report"]


def test_the_board_stream_updates_as_submissions_change(make_service: Callable[..., StreamService]) -> None:
    # A board stream never ends by itself: a short keepalive lets the server find the closed
    # client at once when the test leaves (nothing here waits on a keepalive or a poll).
    service = make_service(stream_keepalive_s=0.5)
    key = service.key("interviewer", "ivy")
    created = interview(service, key, attempts_limit=3, hidden_feedback="per_test")
    board = EventStream(service.url, f"/v1/interviews/{created['id']}/events", {"Authorization": f"Bearer {key}"})
    board.until(lambda e: len(e) == 1 and e[0][1]["board"][0]["attempts"] == 0, "the first board")
    ada = candidate_headers(service, created)
    status, submitted = service.call("/v1/submissions", {"question_id": "conv1d_full", "code": RIGHT}, headers=ada)
    assert status == 202, submitted
    board.until(lambda e: e[-1][1]["board"][0]["pending"] == 1, "the new attempt on the board")
    service.start_worker()
    board.until(lambda e: e[-1][1]["board"][0]["verdict"] == "accepted", "the grade on the board")
    row = board.events[-1][1]["board"][0]
    assert (row["attempts"], row["pending"], row["best_submission_id"]) == (1, 0, submitted["id"])
    assert row["best_score"] == row["max_score"] > 0
    # The candidate's own view of it: the interview's policy lists each hidden test, and no hidden data.
    status, mine = service.call(f"/v1/submissions/{submitted['id']}", headers={"Cookie": ada["Cookie"]})
    hidden = [t for t in mine["report"]["tests"] if t["visibility"] == "hidden"]
    assert status == 200 and mine["report"]["hidden_feedback"] == "per_test" and hidden
    assert all(t["message"] == "" and t["stdout"] == "" and t["mismatch"] is None for t in hidden)
    service.call(f"/v1/interviews/{created['id']}/close", {}, key=key)
    board.until(lambda e: e[-1][1]["state"]["reason"] == "closed", "closed, live")
    board.close()


def test_streams_are_bounded_and_never_starve_other_requests(make_service: Callable[..., StreamService]) -> None:
    # One request thread beside the streams' three (no waiters): the streams held must leave it free.
    service = make_service(threads=1, max_waiters=0, max_streams=3, max_streams_per_key=2, stream_keepalive_s=0.5)
    ivy, olga, pat = (service.key("interviewer", n) for n in ("ivy", "olga", "pat"))
    status, queued = service.call("/v1/submissions", {"question_id": "vgg_storage_mb",
                                                      "answers": {"size": "1 MB"}}, key=ivy)
    assert status == 202  # no worker: it stays queued, and its streams stay open
    path = f"/v1/submissions/{queued['id']}/events"

    def open_stream(key: str) -> EventStream:
        return EventStream(service.url, path, {"Authorization": f"Bearer {key}"})

    held = [open_stream(ivy), open_stream(ivy), open_stream(olga)]
    for stream in held:
        stream.until(lambda e: e == [("status", {"id": queued["id"], "status": "queued"})], "held")
    third = open_stream(ivy)
    assert third.response.status == 429 and "2 event streams" in third.problem["detail"]
    assert int(third.response.getheader("Retry-After") or 0) > 0
    started = time.monotonic()
    with urllib.request.urlopen(service.url + "/healthz", timeout=10) as response:
        assert response.status == 200
    assert time.monotonic() - started < 10  # answered while every stream thread is held
    full = open_stream(pat)  # the pool is full: the current state at once, then the end
    assert full.ended.wait(30) and full.names() == ["status"] and full.retry_ms == 10000
    held[2].close()  # a client that leaves gives its place back (found by the next keepalive)
    deadline = time.monotonic() + 30
    while True:
        late = open_stream(pat)
        late.until(lambda e: len(e) == 1, "a status")
        if not late.ended.wait(1.5):
            break  # held: the place was given back
        assert time.monotonic() < deadline, "the closed stream's place was never given back"
    assert all(not s.ended.is_set() for s in held[:2])
    for stream in (*held[:2], late):
        stream.close()


def test_interview_completed_is_delivered_and_verifies(make_service: Callable[..., StreamService]) -> None:
    service = make_service()
    key = service.key("interviewer", "ivy")
    receiver = Receiver()
    try:
        url = receiver.start() + "/interviews"
        status, hook = service.call("/v1/webhooks", {"url": url, "events": ["interview.completed"]}, key=key)
        assert status == 201, hook
        receiver.secrets = [hook["secret"]]
        service.start_worker()

        # Every attempt used and graded: completed by the worker that stored the last grade.
        used = interview(service, key, attempts_limit=1)
        status, submitted = service.call("/v1/submissions", {"question_id": "conv1d_full", "code": RIGHT},
                                         headers=candidate_headers(service, used))
        assert status == 202, submitted
        first = receiver.wait_for(1, timeout_s=180)[0]
        assert first.verified is not None, "verified with standardwebhooks"
        event = first.verified
        assert (event["type"], event["version"], event["data"]["id"]) == ("interview.completed", 1, used["id"])
        assert event["data"]["closed_reason"] == "attempts_used" and event["data"]["completed_at"]
        assert event["data"]["board"][0]["verdict"] == "accepted"

        # Closed by hand with nothing pending: completed at once, by the API.
        closed = interview(service, key)
        assert service.call(f"/v1/interviews/{closed['id']}/close", {}, key=key)[0] == 200
        second = receiver.wait_for(2, timeout_s=60)[1].verified
        assert second["data"]["id"] == closed["id"] and second["data"]["closed_reason"] == "closed"

        # Time up, nobody looking: the workers' sweeper closes it and sends the event.
        timed = interview(service, key, time_limit_s=60)
        invite_key(service.app, timed["invite_url"])  # the candidate opened the invite: the clock runs
        engine = make_engine(service.settings.effective_database_url)
        with sessions(engine)() as session:
            row = session.get(Interview, timed["id"])
            assert row is not None and row.started_at is not None and row.ends_at is not None
            row.started_at -= timedelta(seconds=61)
            row.ends_at -= timedelta(seconds=61)
            session.commit()
        engine.dispose()
        third = receiver.wait_for(3, timeout_s=60)[2].verified
        assert third["data"]["id"] == timed["id"] and third["data"]["closed_reason"] == "time_up"
        time.sleep(2)
        assert len(receiver.received) == 3  # each interview completed once, one event each
    finally:
        receiver.stop()
