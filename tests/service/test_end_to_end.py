"""The whole service over real HTTP: Redis broker, PostgreSQL, real Celery worker processes, real sandboxes."""

from __future__ import annotations

import json
import os
import signal
import time
import urllib.error
import urllib.request
from typing import Any

from grader.settings import REPO_ROOT
from grader.storage.db import make_engine, sessions
from grader.storage.models import Submission
from tests.service.conftest import HttpService

SOLUTIONS = REPO_ROOT / "tasks" / "conv1d_full" / "solutions"


def http(service: HttpService, key: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    request = urllib.request.Request(
        service.url + path, data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        method="POST" if body is not None else "GET",
    )
    try:
        with urllib.request.urlopen(request, timeout=90) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def wait_report(service: HttpService, key: str, submission_id: str, timeout_s: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        status, view = http(service, key, f"/v1/submissions/{submission_id}?wait=20")
        assert status == 200, view
        if view["status"] in ("completed", "failed"):
            return view
    raise AssertionError(f"{submission_id} was not graded in {timeout_s} s")


def test_grades_over_http_and_keeps_candidates_apart(http_service: HttpService) -> None:
    http_service.start_worker()
    interviewer = http_service.key("interviewer", "ivy")
    alice, bob = http_service.key("candidate", "alice"), http_service.key("candidate", "bob")
    right = (SOLUTIONS / "accepted_loops.py").read_text()
    wrong = (SOLUTIONS / "wrong_no_flip.py").read_text()
    status, good = http(http_service, interviewer, "/v1/submissions",
                        {"question_id": "conv1d_full", "code": right, "candidate": "carol"})
    assert status == 202
    status, bad = http(http_service, alice, "/v1/submissions", {"question_id": "conv1d_full", "code": wrong})
    assert status == 202
    graded = wait_report(http_service, interviewer, good["id"])
    assert graded["report"]["verdict"] == "accepted" and graded["candidate"] == "carol"
    mine = wait_report(http_service, alice, bad["id"])
    assert mine["report"]["verdict"] == "wrong_answer" and mine["report"]["redacted"] is True
    assert all(t["visibility"] == "visible" for t in mine["report"]["tests"])  # hidden ones: only their aggregate
    assert mine["report"]["hidden_summary"]["total"] > mine["report"]["hidden_summary"]["passed"]
    assert any(t["mismatch"] for t in mine["report"]["tests"] if t["visibility"] == "visible")
    full = wait_report(http_service, interviewer, bad["id"])
    assert any(t["mismatch"] for t in full["report"]["tests"] if t["visibility"] == "hidden")
    assert http(http_service, bob, f"/v1/submissions/{bad['id']}")[0] == 404
    assert http(http_service, alice, f"/v1/submissions/{good['id']}")[0] == 404
    _, listed = http(http_service, bob, "/v1/submissions")
    assert listed["items"] == []


SLOW_RIGHT = '''\
import time
import numpy as np

calls = []

def conv1d(a, v):
    if not calls:
        time.sleep(3)  # long enough to be killed in the middle of it
    calls.append(1)
    out = np.zeros(len(a) + len(v) - 1)
    for i, x in enumerate(a):
        out[i:i + len(v)] += x * v
    return out
'''


def test_a_worker_killed_mid_grading_still_ends_with_one_report(http_service: HttpService) -> None:
    key = http_service.key("interviewer", "ivy")
    first = http_service.start_worker()
    status, created = http(http_service, key, "/v1/submissions", {"question_id": "conv1d_full", "code": SLOW_RIGHT})
    assert status == 202
    deadline = time.monotonic() + 60
    while http(http_service, key, f"/v1/submissions/{created['id']}")[1]["status"] != "running":
        assert time.monotonic() < deadline, "the worker never started grading"
        time.sleep(0.05)
    os.killpg(first.pid, signal.SIGKILL)  # the machine dies mid-grading: no ack, no report
    first.wait()
    assert http(http_service, key, f"/v1/submissions/{created['id']}")[1]["report"] is None
    http_service.start_worker()
    view = wait_report(http_service, key, created["id"])
    assert view["status"] == "completed" and view["report"]["verdict"] == "accepted"
    assert view["attempts"] == 2
    engine = make_engine(http_service.settings.effective_database_url)
    with sessions(engine)() as session:
        rows = session.query(Submission).filter(Submission.id == created["id"]).all()
    assert len(rows) == 1 and rows[0].report["verdict"] == "accepted"


def test_grader_submit_is_the_client(http_service: HttpService) -> None:
    import subprocess
    import sys

    http_service.start_worker()
    key = http_service.key("interviewer", "ivy")
    command = [sys.executable, "-m", "grader.cli", "submit", "conv1d_full", str(SOLUTIONS / "wrong_no_flip.py"),
               "--url", http_service.url, "--key", key, "--wait", "120"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=200, check=False)
    assert done.returncode == 1, done.stderr
    assert "WRONG_ANSWER" in done.stdout and "first at index" in done.stdout
    bad = subprocess.run(command[:-4] + ["--key", "gk_nope"], capture_output=True, text=True, timeout=60, check=False)
    assert bad.returncode == 2 and "401" in bad.stderr


def test_docker_worker_killed_mid_job_leaves_no_container(docker_http_service: HttpService) -> None:
    from sandbox.docker_backend import LABEL, OWNER, DockerSandbox, owner, owner_alive

    service = docker_http_service
    engine = DockerSandbox().client
    key = service.key("interviewer", "ivy")
    first = service.start_worker()
    status, created = http(service, key, "/v1/submissions", {"question_id": "conv1d_full", "code": SLOW_RIGHT})
    assert status == 202
    deadline = time.monotonic() + 60
    while not [c for c in engine.containers.list(all=True, filters={"label": LABEL}) if c.labels.get(OWNER) != owner()]:
        assert time.monotonic() < deadline, "no sandbox container started"
        time.sleep(0.05)
    os.killpg(first.pid, signal.SIGKILL)  # the worker dies; its container outlives it
    first.wait()
    gone_by = time.monotonic() + 30
    while _group_alive(first.pid):  # its pool's children too: the next worker judges by their pids
        assert time.monotonic() < gone_by, "the killed worker's processes did not end"
        time.sleep(0.05)
    # What the dead worker left (not the live containers of this test process's own pools).
    owned = {c.id for c in engine.containers.list(all=True, filters={"label": LABEL})
             if not owner_alive(c.labels.get(OWNER, ""))}
    assert owned, "the killed worker left no container to collect"
    service.start_worker()  # removes what the dead worker left, then grades the redelivered job
    view = wait_report(service, key, created["id"])
    assert view["report"]["verdict"] == "accepted" and view["report"]["sandbox"]["backend"] == "docker"
    assert not owned & {c.id for c in engine.containers.list(all=True, filters={"label": LABEL})}


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True
