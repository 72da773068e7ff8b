"""A real worker's warm pool on ``/metrics``: its ready sandboxes, then a hit (or miss) once it grades one
submission, and nothing of it once it stops; in embedded mode (``grader serve``) and with Redis and PostgreSQL."""

from __future__ import annotations

import os
import signal
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select

from grader.storage.db import make_engine, sessions
from grader.storage.models import WorkerPoolStats
from tests.service.conftest import start_http_service
from tests.service.processes import CONV1D, Client, Serve, until

# Publish often, so the test waits little; no torch sandboxes, which only load the machine here.
POOL_SETTINGS: dict[str, Any] = {"pool_stats_every_s": 0.2, "sandbox_pool_torch": 0}


@dataclass
class Running:
    """A service with one grading worker: where to ask, as whom, its database, and how to stop the worker."""

    client: Client
    database_url: str
    stop_worker: Callable[[], None]


@pytest.fixture(params=["embedded", "redis"])
def running(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Running]:
    if request.param == "embedded":
        serve = Serve(tmp_path / "data", tmp_path / "cache", tmp_path / "serve.log", **POOL_SETTINGS)
        try:
            serve.ready()
            yield Running(Client(serve.url, serve.admin_key), f"sqlite:///{tmp_path / 'data' / 'grader.db'}",
                          lambda: serve.stop(signal.SIGTERM))
        finally:
            serve.stop(signal.SIGKILL, timeout_s=30)
        return
    service = start_http_service(tmp_path, request.getfixturevalue("redis_url"), request, **POOL_SETTINGS)
    worker = service.start_worker()

    def stop_worker() -> None:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)

    try:
        yield Running(Client(service.url, service.key("interviewer", "ivy")), service.settings.effective_database_url,
                      stop_worker)
    finally:
        service.close()


def pool_samples(client: Client) -> dict[tuple[str, str, str], float]:
    """``/metrics``' pool samples: {(name, worker, profile or ""): value}."""
    with urllib.request.urlopen(client.url + "/metrics", timeout=30) as response:
        assert response.status == 200
        text = response.read().decode()
    return {(s.name, s.labels["worker"], s.labels.get("profile", "")): s.value
            for family in text_string_to_metric_families(text) for s in family.samples
            if s.name.startswith("grader_sandbox_pool_")}


def warm_worker(client: Client) -> str | None:
    """A worker whose NumPy pool has a sandbox ready."""
    ready = [worker for (name, worker, profile), value in pool_samples(client).items()
             if name == "grader_sandbox_pool_ready" and profile == "numpy-cpu" and value >= 1]
    return ready[0] if ready else None


def taken(client: Client, worker: str) -> float:
    """Sandboxes ``worker`` handed out so far: warm (hits) and cold (misses)."""
    samples = pool_samples(client)
    return sum(samples.get((f"grader_sandbox_pool_{name}_total", worker, ""), 0.0) for name in ("hits", "misses"))


def test_the_pool_shows_on_metrics_and_counts_what_it_hands_out(running: Running) -> None:
    client = running.client
    worker: str = until(lambda: warm_worker(client), 300, "a worker with a warm NumPy sandbox on /metrics")
    samples = pool_samples(client)
    assert samples[("grader_sandbox_pool_target", worker, "numpy-cpu")] >= 1
    assert samples[("grader_sandbox_pool_refill_seconds_count", worker, "")] >= 1
    before = taken(client, worker)

    status, created = client.call("/v1/submissions", {"question_id": "conv1d_full", "code": CONV1D})
    assert status == 202, created
    view = until(lambda: _done(client, created["id"]), 300, "the report")
    assert view["report"]["verdict"] == "accepted", view
    until(lambda: taken(client, worker) > before, 60, "the worker's hits or misses grown on /metrics")

    running.stop_worker()  # a worker that closes its pool withdraws its figures
    engine = make_engine(running.database_url)
    with sessions(engine)() as session:
        assert worker not in session.scalars(select(WorkerPoolStats.worker)).all()
    engine.dispose()


def _done(client: Client, submission_id: str) -> dict[str, Any] | None:
    status, view = client.call(f"/v1/submissions/{submission_id}?wait=20")
    assert status == 200, view
    return view if view["status"] in ("completed", "failed") else None
