"""Chaos: workers, the API process and Redis killed during a 200-submission load, in embedded and Redis
modes. Every submission ends with exactly one report, and no request gets a 5xx. Bounded in time."""

from __future__ import annotations

import os
import re
import signal
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from grader.storage.db import make_engine, sessions, upgrade
from grader.storage.models import Submission
from tests.service.conftest import fresh_database
from tests.service.processes import (
    CONV1D,
    SHORT_ANSWER,
    Client,
    Redis,
    Serve,
    api_process,
    grader_env,
    make_key,
    until,
    worker_process,
)
from tests.service.servers import free_port, wait_for_port

LOAD = 200
DEADLINE_S = 420  # for the whole load to end, kills included
SETTINGS = {"lease_s": 6.0, "heartbeat_s": 1.0, "sweep_interval_s": 1.0, "resend_queued_after_s": 5.0,
            "rate_limit_per_min": 100000, "max_attempts": 5}
VERDICT = r"submission ({}): (accepted|internal_error)$"


def bodies() -> list[dict[str, Any]]:
    # Mostly short answers (no sandbox), every tenth a coding question graded in a sandbox.
    return [{"question_id": "conv1d_full", "code": CONV1D} if i % 10 == 0 else SHORT_ANSWER for i in range(LOAD)]


def post(client: Client, body: dict[str, Any]) -> str:
    """Post until stored, as a careful client does: the same Idempotency-Key on every try."""
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    deadline = time.monotonic() + 180
    while True:
        status, answer = client.call("/v1/submissions", body, headers)
        if status == 202:
            submission_id: str = answer["id"]
            time.sleep(0.25)  # spread the load over the kills
            return submission_id
        assert status >= 500 and time.monotonic() < deadline, (status, answer)  # 5xx are counted by the client
        time.sleep(1.0)


def start_load(client: Client, pool: ThreadPoolExecutor) -> list[Future[str]]:
    return [pool.submit(post, client, body) for body in bodies()]


Ended = dict[str, tuple[str, Any, datetime | None]]


def ended(database_url: str, ids: list[str]) -> Ended:
    """id -> (status, report, completed_at) once every submission ended (fails after the deadline)."""
    engine = make_engine(database_url)

    def read() -> Ended:
        with sessions(engine)() as session:
            found = session.execute(select(Submission.id, Submission.status, Submission.report, Submission.completed_at)
                                    .where(Submission.id.in_(ids))).all()
        return {i: (status, report, at) for i, status, report, at in found}

    def done() -> Ended | None:
        found = read()
        return found if len(found) == len(ids) and all(s in ("completed", "failed") for s, _, _ in found.values()) \
            else None

    try:
        result: Ended = until(done, DEADLINE_S, "every submission ended", 1.0)
        return result
    except AssertionError:
        stuck = {i: s for i, (s, _, _) in read().items() if s not in ("completed", "failed")}
        raise AssertionError(f"{len(stuck)} of {len(ids)} never ended: {stuck}") from None
    finally:
        engine.dispose()


def check(found: Ended, ids: list[str], logs: str, client: Client, kills: list[float]) -> None:
    """One report each, stored once: exactly one worker logged storing it. A worker logs just after
    its commit, so one SIGKILLed in between stored the report without its line: a missing line is
    accepted only for a report stored in the second before one of ``kills`` (epoch seconds)."""
    assert len(set(ids)) == LOAD, "a retried POST made a second submission"
    assert all(report is not None for _, report, _ in found.values())
    stored = re.findall(VERDICT.format(r"[0-9a-f-]{36}"), logs, flags=re.M)
    counts = {i: 0 for i in ids}
    for submission_id, _ in stored:
        counts[submission_id] = counts.get(submission_id, 0) + 1
    twice = {i: c for i, c in counts.items() if c > 1}
    assert not twice, f"stored more than once: {twice}"
    unlogged = {i: found[i][2] for i, c in counts.items() if c == 0}
    unexplained = {i: at for i, at in unlogged.items() if not _just_before_a_kill(at, kills)}
    assert not unexplained, f"reports stored with no worker saying so, and no kill then: {unexplained}"
    print(f"statuses seen by the client: {dict(client.statuses)}")
    assert not client.server_errors, f"{len(client.server_errors)} 5xx answers, first: {client.server_errors[:3]}"


@pytest.fixture()
def cleanup() -> Iterator[list[Any]]:
    started: list[Any] = []
    yield started
    for thing in started:
        thing.kill()


def test_chaos_embedded(tmp_path: Path, cleanup: list[Any]) -> None:
    data, port = tmp_path / "data", free_port()

    def serve(n: int) -> Serve:
        started = Serve(data, tmp_path / "cache", tmp_path / f"serve-{n}.log", port=port, **SETTINGS)
        cleanup.append(started)
        return started.ready()

    first = serve(0)
    client = Client(first.url, first.admin_key)
    with ThreadPoolExecutor(max_workers=4) as pool:
        load = start_load(client, pool)
        kills: list[float] = []
        time.sleep(2)
        _kill(first.grading_worker(), kills)
        time.sleep(4)
        _kill(first.pid, kills)  # the API and, with it, its workers
        first.process.wait()
        second = serve(1)
        time.sleep(3)
        _kill(second.grading_worker(), kills)
        ids = [f.result(timeout=DEADLINE_S) for f in load]
    found = ended(f"sqlite:///{data / 'grader.db'}", ids)
    check(found, ids, first.output() + second.output(), client, kills)


def test_chaos_redis(tmp_path: Path, postgres_url: str, request: pytest.FixtureRequest,
                     cleanup: list[Any]) -> None:
    redis = Redis(tmp_path).start()
    cleanup.append(redis)
    database = fresh_database("postgres", tmp_path, request)
    upgrade(make_engine(database))
    env = grader_env({"database_url": database, "broker_url": redis.url, "data_dir": tmp_path / "data",
                      "cache_dir": tmp_path / "cache", **SETTINGS})
    port = free_port()
    api = api_process(env, port, tmp_path / "api.log")
    workers = [worker_process(env, tmp_path / f"worker-{n}.log") for n in range(2)]
    cleanup.extend([api, *workers])
    wait_for_port(port, 60)
    until(lambda: all("ready." in w.log.read_text(errors="replace") for w in workers), 120, "workers ready")
    client = Client(f"http://127.0.0.1:{port}", make_key(database, "admin", "chaos"))
    with ThreadPoolExecutor(max_workers=4) as pool:
        load = start_load(client, pool)
        kills: list[float] = []
        time.sleep(2)
        kills.append(time.time())
        workers[0].restart()  # SIGKILL to its process group, then a fresh worker
        time.sleep(2)
        api.restart()
        until(lambda: client.call("/healthz")[0] == 200, 60, "the API back")
        time.sleep(1)
        redis.kill()
        time.sleep(5)
        redis.start()  # empty: what it held is gone
        time.sleep(3)
        kills.append(time.time())
        workers[1].restart()
        ids = [f.result(timeout=DEADLINE_S) for f in load]
    found = ended(database, ids)
    logs = "".join(w.log.read_text(errors="replace") for w in workers)
    check(found, ids, logs, client, kills)


def _kill(pid: int, kills: list[float]) -> None:
    kills.append(time.time())
    os.kill(pid, signal.SIGKILL)


def _just_before_a_kill(at: datetime | None, kills: list[float]) -> bool:
    if at is None:
        return False
    stored = (at if at.tzinfo else at.replace(tzinfo=UTC)).timestamp()
    return any(stored - 0.5 <= kill <= stored + 1.0 for kill in kills)
