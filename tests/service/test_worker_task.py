"""The grading task's logic with a real database and sandbox: idempotence, retries, poisoned jobs."""

from __future__ import annotations

from pathlib import Path

from grader.settings import REPO_ROOT
from grader.storage import submissions as store
from grader.storage.db import make_engine, sessions, upgrade
from grader.storage.keys import create_key
from grader.worker.tasks import Grading
from submissions_schema import KeyRole
from submissions_schema.api import SubmissionCreate
from tests.service.conftest import service_settings

CODE = (REPO_ROOT / "tasks" / "conv1d_full" / "solutions" / "accepted_loops.py").read_text()


def setup(tmp_path: Path, **overrides: object) -> tuple[Grading, str]:
    settings = service_settings(tmp_path, f"sqlite:///{tmp_path / 'g.db'}", **overrides)
    engine = make_engine(settings.effective_database_url)
    upgrade(engine)
    with sessions(engine)() as session:
        create_key(session, KeyRole.interviewer, "ivy")
        row, _ = store.create(session, 1, SubmissionCreate(question_id="conv1d_full", code=CODE))
    return Grading(settings), row.id


def state(grading: Grading, submission_id: str) -> tuple[str, int, str | None]:
    with grading.sessions() as session:
        row = store.get(session, submission_id)
        assert row is not None
        return row.status, row.attempts, row.verdict


def test_graded_once_even_when_delivered_twice(tmp_path: Path) -> None:
    grading, submission_id = setup(tmp_path)
    assert grading.run(submission_id) is False
    assert state(grading, submission_id) == ("completed", 1, "accepted")
    assert grading.run(submission_id) is False  # a duplicate delivery ends at once
    assert state(grading, submission_id) == ("completed", 1, "accepted")


def test_internal_errors_are_retried_then_fail(tmp_path: Path) -> None:
    grading, submission_id = setup(tmp_path, bwrap_path="/nonexistent/bwrap", max_attempts=2)
    assert grading.run(submission_id) is True  # the sandbox would not start: try again later
    assert state(grading, submission_id) == ("running", 1, None)
    assert grading.run(submission_id) is False
    assert state(grading, submission_id) == ("failed", 2, "internal_error")


def test_a_poisoned_job_ends_as_internal_error(tmp_path: Path) -> None:
    grading, submission_id = setup(tmp_path, max_attempts=2)
    with grading.sessions() as session:  # two deliveries already died with their workers
        store.claim(session, submission_id)
        store.claim(session, submission_id)
    assert grading.run(submission_id) is False
    status, attempts, verdict = state(grading, submission_id)
    assert (status, attempts, verdict) == ("failed", 3, "internal_error")
    with grading.sessions() as session:
        row = store.get(session, submission_id)
        assert row is not None and "gave up after 2 attempts" in row.report["message"]
