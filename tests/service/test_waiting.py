"""``?wait=``: bounded per key and per process, woken by the worker (UNIX datagrams or Redis pub/sub)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from grader.settings import Settings
from grader.waiting import Notifier, Waiters, socket_dir
from tests.service.conftest import Api
from tests.service.processes import SHORT_ANSWER, until


def queued_submission(api: Api) -> str:
    created = api.call("POST", "/v1/submissions", json=SHORT_ANSWER)
    assert created.status_code == 202
    submission_id: str = created.get_json()["id"]
    return submission_id


def hold(api: Api, path: str, role: str, name: str) -> tuple[threading.Thread, list[Any]]:
    """GET ``path`` on its own thread and test client; the answer lands in the returned list."""
    answers: list[Any] = []
    client = api.app.test_client()
    headers = {"Authorization": f"Bearer {api.key(role, name)}"}
    thread = threading.Thread(target=lambda: answers.append(client.get(path, headers=headers)))
    thread.start()
    return thread, answers


def waiters_of(api: Api) -> Waiters:
    return until(lambda: api.app.extensions.get("grader.waiters"), 10, "the first wait")  # type: ignore[no-any-return]


def test_a_key_holding_its_waits_gets_429_with_retry_after(make_api: Callable[..., Api]) -> None:
    api = make_api(max_waits_per_key=1)
    submission_id = queued_submission(api)
    thread, answers = hold(api, f"/v1/submissions/{submission_id}?wait=8", "interviewer", "ivy")
    until(lambda: waiters_of(api).held() == 1, 10, "the first wait held")
    refused = api.call("GET", f"/v1/submissions/{submission_id}?wait=8", role="interviewer", name="ivy")
    assert refused.status_code == 429 and refused.mimetype == "application/problem+json"
    assert int(refused.headers["Retry-After"]) > 0 and "waiting requests" in refused.get_json()["detail"]
    other = api.call("GET", f"/v1/submissions/{submission_id}?wait=0.2", role="lms", name="platform")
    assert other.status_code == 200  # another key is not held back
    thread.join(30)
    assert answers[0].status_code == 200 and answers[0].get_json()["status"] == "queued"


def test_a_full_pool_answers_at_once_with_the_current_state(make_api: Callable[..., Api]) -> None:
    api = make_api(max_waiters=1)
    submission_id = queued_submission(api)
    thread, answers = hold(api, f"/v1/submissions/{submission_id}?wait=8", "interviewer", "ivy")
    until(lambda: waiters_of(api).held() == 1, 10, "the first wait held")
    at_once = api.call("GET", f"/v1/submissions/{submission_id}?wait=8", role="lms", name="platform")
    assert at_once.status_code == 200 and at_once.get_json()["status"] == "queued"
    assert thread.is_alive() and not answers, "answered before the held wait ended"
    thread.join(30)


def wake_up(settings: Settings) -> str:
    """A waiter for a submission that the test completes, then announces as a worker would."""
    row = SimpleNamespace(id="sub-1", status="running")
    waiters = Waiters(settings)
    results: list[Any] = []

    def wait() -> None:
        with waiters.admitted(key_id=1) as admitted:
            assert admitted
            results.append(waiters.until_done("sub-1", lambda: row, time.monotonic() + 60))  # type: ignore[arg-type]

    thread = threading.Thread(target=wait)
    thread.start()
    until(lambda: waiters.held() == 1, 10, "the wait held")
    row.status = "completed"
    notifier = Notifier(settings)  # announced again each second: the listener may still be starting
    until(lambda: notifier.finished("sub-1") or results, 30, "the waiter woken", every_s=1.0)
    thread.join(10)
    return str(results[0].status)


def test_the_worker_wakes_waiters_through_sockets_in_the_data_dir(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", wait_poll_s=1000)  # no polling within the test
    assert wake_up(settings) == "completed"


def test_the_worker_wakes_waiters_through_redis(tmp_path: Path, redis_url: str) -> None:
    settings = Settings(data_dir=tmp_path / "data", broker_url=redis_url, wait_poll_s=1000)
    assert wake_up(settings) == "completed"


def test_sockets_of_gone_api_processes_are_removed(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    folder = socket_dir(settings)
    folder.mkdir(parents=True)
    gone = folder / "12345-deadbeef.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as listener:
        listener.bind(str(gone))
    Notifier(settings).finished("sub-1")
    assert not gone.exists()


@pytest.mark.parametrize("data_dir", ["short", "x" * 120])
def test_socket_paths_fit_a_unix_address(tmp_path: Path, data_dir: str) -> None:
    folder = socket_dir(Settings(data_dir=tmp_path / data_dir))
    assert len(str(folder / "4194304-0123abcd.sock")) < 108
