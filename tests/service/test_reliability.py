"""Every submission ends, under faults: workers and ``grader serve`` killed, Redis restarted without its
data, a full disk, slow webhook receivers, 200 held waits. Real processes throughout."""

from __future__ import annotations

import errno
import os
import re
import signal
import sqlite3
import subprocess
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.service.conftest import HttpService, fresh_database, service_settings, start_http_service
from tests.service.processes import (
    CONV1D,
    SHORT_ANSWER,
    Client,
    Redis,
    Serve,
    alive,
    make_key,
    until,
)
from tests.service.test_end_to_end import SLOW_RIGHT, http, wait_report

FAST = {"lease_s": 6.0, "heartbeat_s": 1.0, "sweep_interval_s": 1.0, "resend_queued_after_s": 5.0,
        "rate_limit_per_min": 100000}
VERDICT_LINE = r"submission {}: (accepted|wrong_answer|\w+_error|\w+_exceeded|forbidden_api)$"


@pytest.fixture()
def serves(tmp_path: Path) -> Iterator[list[Serve]]:
    """Every ``grader serve`` a test starts; whatever is left is killed after it."""
    started: list[Serve] = []
    yield started
    for serve in started:
        serve.stop(signal.SIGKILL, timeout_s=30)


def start_serve(serves: list[Serve], tmp_path: Path, workers: int = 2, data_dir: Path | None = None,
                **settings: Any) -> Serve:
    serve = Serve(data_dir or tmp_path / "data", tmp_path / "cache", tmp_path / f"serve-{len(serves)}.log",
                  **{**FAST, **settings})
    serves.append(serve)
    return serve.ready(workers)


def rows(data_dir: Path) -> dict[str, tuple[str, str | None, int]]:
    """id -> (status, verdict, attempts), read straight from the embedded database."""
    with sqlite3.connect(data_dir / "grader.db", timeout=30) as db:
        return {i: (s, v, a) for i, s, v, a in db.execute("SELECT id, status, verdict, attempts FROM submissions")}


def grading_by(data_dir: Path, pid: int) -> bool:
    """Whether the worker ``pid`` holds a lease (its owner is ``host/pid/...``)."""
    with sqlite3.connect(data_dir / "grader.db", timeout=30) as db:
        owners = [o for (o,) in db.execute("SELECT lease_owner FROM submissions WHERE status = 'running'")]
    return any(f"/{pid}/" in (owner or "") for owner in owners)


def submit_all(client: Client, bodies: list[dict[str, Any]]) -> list[str]:
    ids = []
    for body in bodies:  # an Idempotency-Key makes a retry after a dropped connection harmless
        status, created = client.call("/v1/submissions", body, {"Idempotency-Key": str(uuid.uuid4())})
        assert status == 202, created
        ids.append(created["id"])
    return ids


def all_ended(data_dir: Path, ids: list[str], timeout_s: float) -> dict[str, tuple[str, str | None, int]]:
    def ended() -> dict[str, tuple[str, str | None, int]] | None:
        found = rows(data_dir)
        return found if all(found[i][0] in ("completed", "failed") for i in ids) else None

    try:
        result: dict[str, tuple[str, str | None, int]] = until(ended, timeout_s, "every submission ended", 0.5)
    except AssertionError:
        stuck = {i: v for i, v in rows(data_dir).items() if v[0] not in ("completed", "failed")}
        raise AssertionError(f"{len(stuck)} submissions never ended: {stuck}") from None
    return result


def stored_once(logs: str, ids: list[str]) -> None:
    """A worker logs a verdict only when its report was the one stored: exactly one line each."""
    for submission_id in ids:
        lines = re.findall(VERDICT_LINE.format(submission_id), logs, flags=re.M)
        assert len(lines) == 1, f"{submission_id}: {len(lines)} reports stored"


def healthz_ms(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url + "/healthz", timeout=5) as response:  # a generous deadline, never a timing
        assert response.status == 200
    return (time.perf_counter() - start) * 1000


# --- process hygiene -------------------------------------------------------------------------------------


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "sigint"])
def test_serve_stops_cleanly_with_its_workers_and_wakes_waiters(
        serves: list[Serve], tmp_path: Path, signum: int) -> None:
    # Fallback polling set beyond the wait: only the worker's wake-up can end the wait early.
    serve = start_serve(serves, tmp_path, wait_poll_s=1000)
    workers = serve.workers()
    client = Client(serve.url, serve.admin_key)
    (submission_id,) = submit_all(client, [{"question_id": "conv1d_full", "code": SLOW_RIGHT}])
    status, view = client.call(f"/v1/submissions/{submission_id}?wait=50")
    assert status == 200 and view["status"] == "completed", view
    assert serve.stop(signum) == 0, serve.output()
    assert "Traceback" not in serve.output()
    assert not [pid for pid in workers if alive(pid)], "a worker outlived grader serve"


def test_a_killed_serve_takes_its_workers_along_and_never_doubles_them(serves: list[Serve], tmp_path: Path) -> None:
    first = start_serve(serves, tmp_path)
    workers = first.workers()
    second = subprocess.run([*first.process.args[:-2], "--port", "0"], env=first.env, capture_output=True,
                            text=True, timeout=60, check=False)
    assert second.returncode == 2 and "another grader serve" in second.stderr, second.stderr
    first.process.kill()  # no clean-up code runs: the kernel must take the workers down
    first.process.wait()
    until(lambda: not [pid for pid in workers if alive(pid)], 30, "serve's workers died with it")
    again = start_serve(serves, tmp_path)
    time.sleep(3)  # a doubled worker would have shown up by now
    assert len(again.workers()) == 2


# --- every submission ends ---------------------------------------------------------------------------------


def test_embedded_worker_killed_three_times_then_serve_killed(serves: list[Serve], tmp_path: Path) -> None:
    data = tmp_path / "data"
    serve = start_serve(serves, tmp_path, max_attempts=5)
    client = Client(serve.url, serve.admin_key)
    bodies = [{"question_id": "conv1d_full", "code": SLOW_RIGHT} if i % 3 == 0 else SHORT_ANSWER for i in range(30)]
    ids = submit_all(client, bodies)
    for _ in range(3):
        victim = serve.grading_worker()
        until(lambda v=victim: grading_by(data, v), 120, "the worker grading")  # killed in the middle of it
        os.kill(victim, signal.SIGKILL)
        until(lambda v=victim: serve.grading_worker() != v, 60, "serve started another worker")
    serve.process.kill()
    serve.process.wait()
    logs = serve.output()
    serve = start_serve(serves, tmp_path)
    found = all_ended(data, ids, 300)
    # Accepted, or (a job whose worker kept dying) failed after its attempts: never stuck.
    assert all(found[i][:2] in (("completed", "accepted"), ("failed", "internal_error")) for i in ids), found
    stored_once(logs + serve.output(), ids)


def test_a_full_disk_leaves_nothing_running(serves: list[Serve], tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", str(data)], check=True)
    try:
        serve = start_serve(serves, tmp_path, max_attempts=10, resend_queued_after_s=3.0)
        client = Client(serve.url, serve.admin_key)
        bodies = [{"question_id": "conv1d_full", "code": CONV1D} if i % 2 else SHORT_ANSWER for i in range(16)]
        ids = submit_all(client, bodies)
        until(lambda: any(s == "completed" for s, _, _ in rows(data).values()), 120, "grading under way")
        filler = data / "filler"
        fill(filler)
        time.sleep(8)  # grading goes on meanwhile: reports cannot be stored, claims cannot be written
        filler.unlink()
        found = all_ended(data, ids, 300)
        assert all(found[i][0:2] in (("completed", "accepted"), ("failed", "internal_error")) for i in ids), found
        assert serve.process.poll() is None, "grader serve died of a full disk"
        stored_once(serve.output(), ids)
    finally:
        for serve in serves:
            serve.stop(signal.SIGKILL, timeout_s=30)
        subprocess.run(["umount", "-l", str(data)], check=False)


def fill(path: Path) -> None:
    chunk = b"\0" * (1 << 20)
    with open(path, "wb") as out:
        try:
            while True:
                out.write(chunk)
                out.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC


# --- waiting costs nothing -------------------------------------------------------------------------------


def test_two_hundred_waits_leave_healthz_answering(serves: list[Serve], tmp_path: Path) -> None:
    # Only a webhook worker: submissions stay queued, so every wait is held to its end.
    serve = start_serve(serves, tmp_path, workers=1, queues=["webhooks"], resend_queued_after_s=3600,
                        max_waiters=200, max_waits_per_key=50)
    ids = submit_all(Client(serve.url, serve.admin_key), [SHORT_ANSWER] * 5)
    clients = [Client(serve.url, make_key(f"sqlite:///{tmp_path / 'data' / 'grader.db'}", "interviewer", f"i{n}"))
               for n in range(5)]
    with ThreadPoolExecutor(max_workers=210) as pool:
        # 51 waits a key: 50 are held, the last to come is refused (the per-key limit).
        waits = [pool.submit(clients[n % 4].call, f"/v1/submissions/{ids[n % 5]}?wait=40") for n in range(204)]
        until(lambda: sum(f.done() for f in waits) >= 4, 60, "each key's 51st wait refused")
        refused = [f.result() for f in waits if f.done()]
        assert [status for status, _ in refused] == [429] * 4, refused
        assert all("waiting requests" in problem["detail"] for _, problem in refused)
        # The pool is full (200 held): a fifth key's wait comes back at once, while the others still wait.
        status, view = clients[4].call(f"/v1/submissions/{ids[0]}?wait=40")
        assert status == 200 and view["status"] == "queued"
        figures = [healthz_ms(serve.url) for _ in range(20)]
        assert sum(f.done() for f in waits) == 4, "held waits ended early"
        print(f"/healthz with 200 waits held: median {sorted(figures)[10]:.1f} ms, max {max(figures):.1f} ms")
        results = [f.result() for f in waits]
    assert sorted(status for status, _ in results) == [200] * 200 + [429] * 4
    assert all(view["status"] == "queued" for status, view in results if status == 200)
    assert not any(c.server_errors for c in clients)


# --- webhooks never slow grading ------------------------------------------------------------------------------


class HeldReceiver:
    """Takes webhook requests and answers none of them until released."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.received: list[str] = []
        self.answered: list[str] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.received.append(self.headers["webhook-id"])
                receiver.release.wait(120)
                self.send_response(200)
                self.end_headers()
                receiver.answered.append(self.headers["webhook-id"])

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()


def test_a_receiver_that_never_answers_holds_up_no_grading(serves: list[Serve], tmp_path: Path) -> None:
    receiver = HeldReceiver()
    try:
        serve = start_serve(serves, tmp_path, webhook_allow_http=True, webhook_allow_hosts="127.0.0.1",
                            webhook_retry_scale=0.001, webhook_timeout_s=120)
        client = Client(serve.url, serve.admin_key)
        status, _ = client.call("/v1/webhooks", {"url": receiver.url, "events": ["submission.completed"]})
        assert status == 201
        bodies = [SHORT_ANSWER, {"question_id": "conv1d_full", "code": CONV1D}] * 4
        ids = submit_all(client, bodies[:2])
        until(lambda: receiver.received, 120, "a delivery under way")  # and held by the receiver
        ids += submit_all(client, bodies[2:])
        for submission_id in ids:
            status, view = client.call(f"/v1/submissions/{submission_id}?wait=60")
            assert view["status"] == "completed", view
        # Every submission graded while the receiver holds every delivery it took.
        assert not receiver.answered
        receiver.release.set()
        until(lambda: len(set(receiver.answered)) == len(ids), 120, "every event delivered once released")
    finally:
        receiver.stop()


# --- Redis mode ----------------------------------------------------------------------------------------------


def redis_service(tmp_path: Path, redis: Redis, request: pytest.FixtureRequest, **overrides: Any) -> HttpService:
    settings = service_settings(tmp_path, fresh_database("postgres", tmp_path, request), broker_url=redis.url,
                                **{**FAST, "resend_queued_after_s": 4.0, **overrides})
    return HttpService(settings, tmp_path)


def test_redis_restarted_without_its_data_loses_no_submission(
        tmp_path: Path, postgres_url: str, request: pytest.FixtureRequest) -> None:
    redis = Redis(tmp_path).start()
    service = redis_service(tmp_path, redis, request)
    try:
        worker = service.start_worker()
        key = service.key("interviewer", "ivy")
        busy = [http(service, key, "/v1/submissions", {"question_id": "conv1d_full", "code": SLOW_RIGHT})[1]["id"]
                for _ in range(2)]  # both worker threads sleep in a sandbox meanwhile
        queued = [http(service, key, "/v1/submissions", SHORT_ANSWER)[1]["id"] for _ in range(20)]
        redis.kill()
        redis.start()  # empty: every message it held is gone
        for submission_id in busy + queued:
            assert wait_report(service, key, submission_id)["status"] == "completed"
        assert worker.poll() is None, "the worker was restarted"
    finally:
        service.close()
        redis.kill()


def test_redis_worker_killed_comes_back_after_its_lease_not_the_visibility_timeout(
        tmp_path: Path, redis_url: str, postgres_url: str, request: pytest.FixtureRequest) -> None:
    service = start_http_service(tmp_path, redis_url, request, broker_visibility_timeout_s=0, wait_poll_s=1000)
    try:
        assert service.settings.broker_visibility_timeout_s == service.settings.task_time_limit_s + 60
        key = service.key("interviewer", "ivy")
        first = service.start_worker()
        status, created = http(service, key, "/v1/submissions", {"question_id": "conv1d_full", "code": SLOW_RIGHT})
        assert status == 202
        until(lambda: http(service, key, f"/v1/submissions/{created['id']}")[1]["status"] == "running", 60,
              "grading started")
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
        service.start_worker()
        # Woken by Redis pub/sub: polling is off (wait_poll_s), so only a wake-up ends this wait early.
        status, view = http(service, key, f"/v1/submissions/{created['id']}?wait=60")
        assert view["status"] == "completed" and view["attempts"] == 2, view
    finally:
        service.close()
