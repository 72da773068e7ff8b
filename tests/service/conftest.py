"""Service fixtures: real Redis, real PostgreSQL, the app on SQLite or PostgreSQL, HTTP servers, workers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from grader.api import create_app, server_options
from grader.settings import REPO_ROOT, Settings
from grader.storage.db import make_engine, sessions
from grader.storage.keys import KeyRole, create_key
from tests.service.servers import RestartableRedis, free_port, postgres_server, redis_server, wait_for_port


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture()
def stoppable_redis(tmp_path: Path) -> Iterator[RestartableRedis]:
    """A Redis of this test's own, which it may stop and start again."""
    folder = tmp_path / "redis"
    folder.mkdir()
    server = RestartableRedis(folder)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with postgres_server(tmp_path_factory.mktemp("postgres")) as url:
        yield url


class FakeQueue:
    """Records what would be sent to Celery (for API tests above the queue)."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self.delivered: list[tuple[str, str]] = []
        self.broken = False

    def enqueue(self, submission_id: str, queue: str) -> None:
        if self.broken:
            raise ConnectionError("broker down")
        self.sent.append((submission_id, queue))

    def deliver(self, delivery_id: str, token: str) -> None:
        self.delivered.append((delivery_id, token))

    def ping(self) -> None:
        if self.broken:
            raise ConnectionError("broker down")


def fresh_database(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'grader.db'}"
    base: str = request.getfixturevalue("postgres_url")
    name = f"t{os.urandom(6).hex()}"
    from sqlalchemy import create_engine, text

    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return base.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each test using this runs against SQLite and against a real PostgreSQL."""
    return fresh_database(request.param, tmp_path, request)


def service_settings(tmp_path: Path, database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": tmp_path / "data", "database_url": database_url, "cache_dir": tmp_path / "cache",
        "tasks_dir": REPO_ROOT / "tasks", "warm_on_start": False, **overrides,  # see processes.grader_env
    }
    return Settings(**values)


class Api:
    """A test client with keys of every role."""

    def __init__(self, app: Flask, queue: Any) -> None:
        self.app = app
        self.queue = queue
        self.client: FlaskClient = app.test_client()
        self.keys: dict[str, str] = {}

    def key(self, role: str, name: str | None = None) -> str:
        label = name or role
        if label not in self.keys:
            svc = self.app.extensions["grader"]
            with svc.sessions() as session:
                self.keys[label] = create_key(session, KeyRole(role), label)
        return self.keys[label]

    def call(self, method: str, path: str, role: str = "interviewer", name: str | None = None,
             **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.key(role, name)}", **kwargs.pop("headers", {})}
        return self.client.open(path, method=method, headers=headers, **kwargs)


@pytest.fixture()
def make_api(tmp_path: Path, database_url: str) -> Callable[..., Api]:
    def build(**overrides: Any) -> Api:
        queue = FakeQueue()
        app = create_app(service_settings(tmp_path, database_url, **overrides), queue=queue)
        return Api(app, queue)

    return build


@pytest.fixture()
def api(make_api: Callable[..., Api]) -> Api:
    return make_api()


class HttpService:
    """The real app on a real WSGI server (waitress) on loopback, plus real worker processes."""

    def __init__(self, settings: Settings, tmp_path: Path) -> None:
        from waitress import create_server

        self.settings = settings
        self.app = create_app(settings)
        self.server = create_server(self.app, host="127.0.0.1", port=free_port(), threads=4,
                                    **server_options(settings))
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        self.workers: list[subprocess.Popen[bytes]] = []
        self.env = {**os.environ, **settings_env(settings)}
        self.logs = tmp_path

    def key(self, role: str, name: str) -> str:
        engine = make_engine(self.settings.effective_database_url)
        with sessions(engine)() as session:
            return create_key(session, KeyRole(role), name)

    def start_worker(self) -> subprocess.Popen[bytes]:
        log = open(self.logs / f"worker-{len(self.workers)}.log", "wb")  # noqa: SIM115 - closed with the process
        worker = subprocess.Popen([sys.executable, "-m", "grader.cli", "worker", "--concurrency", "2"],
                                  env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.workers.append(worker)
        return worker

    def close(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                try:
                    worker.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(worker.pid, signal.SIGKILL)
        self.server.close()


def settings_env(settings: Settings) -> dict[str, str]:
    """The settings a test chose, as the environment a worker process reads them from."""
    env = {}
    for name in settings.model_fields_set:
        value = getattr(settings, name)
        env[f"GRADER_{name.upper()}"] = json.dumps(value) if isinstance(value, (tuple, list)) else str(value)
    return env


def start_http_service(tmp_path: Path, redis_url: str, request: pytest.FixtureRequest,
                       **overrides: Any) -> HttpService:
    """API over HTTP + Redis broker + PostgreSQL; start workers with ``start_worker()``.

    Webhooks may go to loopback over plain http here, with retries a thousand times faster.
    """
    database = fresh_database("postgres", tmp_path, request)
    redis_db = redis_url.rsplit("/", 1)[0] + f"/{free_port() % 15 + 1}"
    # Short leases: a killed worker's job comes back within seconds.
    values: dict[str, Any] = {
        "broker_url": redis_db, "broker_visibility_timeout_s": 4, "lease_s": 6.0, "heartbeat_s": 1.0,
        "sweep_interval_s": 1.0, "webhook_retry_scale": 0.001, "webhook_allow_hosts": "127.0.0.1",
        "webhook_allow_http": True, **overrides,
    }
    settings = service_settings(tmp_path, database, **values)
    service = HttpService(settings, tmp_path)
    wait_for_port(int(service.url.rsplit(":", 1)[1]))
    return service


@pytest.fixture()
def http_service(tmp_path: Path, redis_url: str, postgres_url: str,
                 request: pytest.FixtureRequest) -> Iterator[HttpService]:
    service = start_http_service(tmp_path, redis_url, request)
    yield service
    service.close()


@pytest.fixture()
def docker_http_service(tmp_path: Path, redis_url: str, postgres_url: str,
                        request: pytest.FixtureRequest) -> Iterator[HttpService]:
    """The same, with workers grading in Docker containers."""
    service = start_http_service(tmp_path, redis_url, request, sandbox_backend="docker")
    yield service
    service.close()
