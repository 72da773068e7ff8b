"""The grading task's logic with a real database and sandbox: idempotence, retries, leases, the sweeper."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from grader.settings import REPO_ROOT
from grader.storage import submissions as store
from grader.storage.db import make_engine, sessions, sweep_lock, upgrade
from grader.storage.keys import create_key
from grader.storage.models import Submission, utcnow
from grader.worker.app import make_celery
from grader.worker.sweep import Sweeper
from grader.worker.tasks import Grading
from submissions_schema import KeyRole
from submissions_schema.api import SubmissionCreate
from tests.service.conftest import service_settings

CODE = (REPO_ROOT / "tasks" / "conv1d_full" / "solutions" / "accepted_loops.py").read_text()


def setup(tmp_path: Path, database_url: str | None = None, body: SubmissionCreate | None = None,
          **overrides: Any) -> tuple[Grading, str]:
    settings = service_settings(tmp_path, database_url or f"sqlite:///{tmp_path / 'g.db'}", **overrides)
    engine = make_engine(settings.effective_database_url)
    upgrade(engine)
    with sessions(engine)() as session:
        create_key(session, KeyRole.interviewer, "ivy")
        row, _ = store.create(session, 1, body or SubmissionCreate(question_id="conv1d_full", code=CODE))
    return Grading(settings), row.id


def state(grading: Grading, submission_id: str) -> tuple[str, int, str | None]:
    with grading.sessions() as session:
        row = store.get(session, submission_id)
        assert row is not None
        return row.status, row.attempts, row.verdict


def report(grading: Grading, submission_id: str) -> Any:
    with grading.sessions() as session:
        row = store.get(session, submission_id)
        assert row is not None
        return row.report


def test_graded_once_even_when_delivered_twice(tmp_path: Path) -> None:
    grading, submission_id = setup(tmp_path)
    assert grading.run(submission_id) is False
    assert state(grading, submission_id) == ("completed", 1, "accepted")
    assert grading.run(submission_id) is False  # a duplicate delivery ends at once
    assert state(grading, submission_id) == ("completed", 1, "accepted")


def test_internal_errors_are_queued_again_then_fail(tmp_path: Path) -> None:
    grading, submission_id = setup(tmp_path, bwrap_path="/nonexistent/bwrap", max_attempts=2)
    assert grading.run(submission_id) is True  # the sandbox would not start: back to the queue
    assert state(grading, submission_id) == ("queued", 1, None)
    assert grading.run(submission_id) is False
    assert state(grading, submission_id) == ("failed", 2, "internal_error")


def test_a_poisoned_job_ends_as_internal_error(tmp_path: Path) -> None:
    grading, submission_id = setup(tmp_path, max_attempts=2)
    with grading.sessions() as session:  # two deliveries already died with their workers
        for _ in range(2):
            store.claim(session, submission_id, "dead-worker", lease_s=30)
            expire(session, submission_id)
    assert grading.run(submission_id) is False
    assert state(grading, submission_id) == ("failed", 3, "internal_error")
    assert "gave up after 2 attempts" in report(grading, submission_id)["message"]


def test_stored_answers_that_no_longer_fit_the_question_fail_at_once(tmp_path: Path) -> None:
    """A part renamed since the submission was stored: a clear internal error, not retried, never stuck."""
    body = SubmissionCreate(question_id="vgg_storage_mb", answers={"size_mb": "553 MB"})  # the part is 'size'
    grading, submission_id = setup(tmp_path, body=body, max_attempts=3)
    assert grading.run(submission_id) is False
    assert state(grading, submission_id) == ("failed", 1, "internal_error")
    message = report(grading, submission_id)["message"]
    assert "no longer fits question vgg_storage_mb" in message and "size_mb" in message


def test_a_live_lease_keeps_duplicates_away_and_a_lapsed_one_lets_another_worker_in(
        tmp_path: Path, database_url: str) -> None:
    grading, submission_id = setup(tmp_path, database_url)
    with grading.sessions() as session:
        assert store.claim(session, submission_id, "worker-a", lease_s=60) is not None
        assert store.claim(session, submission_id, "worker-b", lease_s=60) is None  # a duplicate message
        expire(session, submission_id)  # worker-a died: no heartbeat since
        taken = store.claim(session, submission_id, "worker-b", lease_s=60)
        assert taken is not None and taken.attempts == 2 and taken.lease_owner == "worker-b"
        assert store.renew(session, [submission_id], "worker-a", lease_s=60) == 0  # no longer its lease
        assert store.renew(session, [submission_id], "worker-b", lease_s=60) == 1


def test_the_heartbeat_keeps_a_long_grading_leased(tmp_path: Path) -> None:
    grading, submission_id = setup(tmp_path, lease_s=5.0, heartbeat_s=0.2)
    with grading.sessions() as session:
        assert store.claim(session, submission_id, grading.leases.owner, lease_s=5.0) is not None
    with grading.leases.holding(submission_id):
        time.sleep(6.0)  # longer than the lease: only heartbeats keep it
        with grading.sessions() as session:
            assert store.claim(session, submission_id, "another-worker", lease_s=5.0) is None
    assert state(grading, submission_id)[0] == "running"


def test_the_sweeper_takes_back_lapsed_and_lost_jobs_once(tmp_path: Path, database_url: str) -> None:
    grading, running_id = setup(tmp_path, database_url, resend_queued_after_s=30)
    with grading.sessions() as session:
        lost, _ = store.create(session, 1, SubmissionCreate(question_id="conv1d_full", code=CODE))
        fresh, _ = store.create(session, 1, SubmissionCreate(question_id="conv1d_full", code=CODE))
        store.claim(session, running_id, "dead-worker", lease_s=30)
        expire(session, running_id)
        session.execute(update(Submission).where(Submission.id == lost.id)
                        .values(queued_at=utcnow().replace(year=2000)))
        session.commit()
        taken = store.take_back(session, resend_after_s=30)
        assert sorted(taken) == sorted([(running_id, "conv1d_full"), (lost.id, "conv1d_full")])
        assert store.take_back(session, resend_after_s=30) == []  # sent again now: not lost twice
    assert state(grading, running_id) == ("queued", 1, None)
    assert state(grading, fresh.id) == ("queued", 0, None)


def test_a_long_queued_job_is_sent_again_less_and_less_often(tmp_path: Path, database_url: str) -> None:
    grading, submission_id = setup(tmp_path, database_url)
    now = utcnow()
    with grading.sessions() as session:
        for queued_s_ago, due in ((40, False), (239, False), (241, True)):  # queued 1000 s ago: every 8 × 30 s
            session.execute(update(Submission).where(Submission.id == submission_id).values(
                created_at=now - timedelta(seconds=1000), queued_at=now - timedelta(seconds=queued_s_ago)))
            session.commit()
            assert store.take_back(session, resend_after_s=30) == ([(submission_id, "conv1d_full")] if due else [])


def test_one_sweep_at_a_time_on_postgres(tmp_path: Path, postgres_url: str, request: pytest.FixtureRequest) -> None:
    from tests.service.conftest import fresh_database

    grading, submission_id = setup(tmp_path, fresh_database("postgres", tmp_path, request))
    with grading.sessions() as first, grading.sessions() as second:
        store.claim(first, submission_id, "dead-worker", lease_s=30)
        expire(first, submission_id)
        assert sweep_lock(first) is True  # a sweep in progress holds the lock...
        assert store.take_back(second, resend_after_s=30) == []  # ...so another finds it taken
        first.rollback()
        assert store.take_back(second, resend_after_s=30) == [(submission_id, "conv1d_full")]


def test_the_sweeper_sends_what_it_takes_back_to_the_queue(tmp_path: Path, redis_url: str) -> None:
    import redis

    broker = redis_url.rsplit("/", 1)[0] + "/14"
    grading, submission_id = setup(tmp_path, broker_url=broker)
    client = redis.Redis.from_url(broker)
    client.flushdb()
    with grading.sessions() as session:
        store.claim(session, submission_id, "dead-worker", lease_s=30)
        expire(session, submission_id)
    sweeper = Sweeper(grading.settings, make_celery(grading.settings), grading.sessions)
    assert sweeper.sweep() == 1
    assert client.llen("cpu") == 1 and submission_id.encode() in client.lindex("cpu", 0)
    assert grading.run(submission_id) is False  # what a worker does with that message
    assert state(grading, submission_id) == ("completed", 2, "accepted")


def expire(session: Any, submission_id: str) -> None:
    """The lease's holder stopped beating long ago."""
    session.execute(update(Submission).where(Submission.id == submission_id)
                    .values(lease_expires_at=utcnow().replace(year=2000)))
    session.commit()
