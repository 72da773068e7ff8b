"""The API degrades, it doesn't fail: Redis stopped, the data disk full, the database refusing connections.

Each against the real part: a Redis the test stops and starts again, a small tmpfs it
fills, a PostgreSQL database it closes to connections. No 5xx other than the documented
503/507 with Retry-After, and nothing half-written.
"""

from __future__ import annotations

import errno
import logging
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from sqlalchemy import create_engine, text

from grader.api import create_app
from grader.storage import submissions as store
from grader.storage.db import make_engine, sessions
from grader.storage.keys import KeyRole, create_key
from tests.service.conftest import Api, FakeQueue, fresh_database, service_settings
from tests.service.servers import RestartableRedis

CODE = "import numpy as np\n\ndef conv1d(a, v):\n    return np.zeros(len(a) + len(v) - 1)\n"


def body(**fields: Any) -> dict[str, Any]:
    return {"question_id": "conv1d_full", "code": CODE, **fields}


def rows(api: Api) -> dict[str, str]:
    """Every stored submission's id and status."""
    with api.app.extensions["grader"].sessions() as session:
        return {r.id: r.status for r in store.page(session, store.Filters(), 100_000, None)}


def assert_unavailable(response: Any, statuses: tuple[int, ...] = (503,)) -> None:
    assert response.status_code in statuses, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert int(response.headers["Retry-After"]) > 0


def test_redis_stopped_submissions_are_kept_and_reads_work(
    tmp_path: Path, database_url: str, stoppable_redis: RestartableRedis, caplog: pytest.LogCaptureFixture,
) -> None:
    settings = service_settings(tmp_path, database_url, broker_url=stoppable_redis.url)
    api = Api(create_app(settings), queue=None)  # the real Celery publisher and the real Redis rate limits
    broker = redis.Redis.from_url(stoppable_redis.url)
    first = api.call("POST", "/v1/submissions", json=body())
    assert first.status_code == 202 and broker.llen("cpu") == 1
    assert broker.keys("grader:rate*"), "rate limits are counted in Redis"
    with api.app.extensions["grader"].sessions() as session:
        tight = create_key(session, KeyRole.interviewer, "tight", rate_limit_per_min=3)

    stoppable_redis.stop()
    caplog.set_level(logging.WARNING)
    kept = [api.call("POST", "/v1/submissions", json=body(candidate=f"c{i}")) for i in range(5)]
    assert [r.status_code for r in kept] == [202] * 5
    batch = api.call("POST", "/v1/submissions/batch", json={"submissions": [body(), body()]})
    assert batch.status_code == 202
    for response in kept:
        view = api.call("GET", response.headers["Location"])
        assert view.status_code == 200 and view.get_json()["status"] == "queued"
        assert int(view.headers["RateLimit-Limit"]) == settings.rate_limit_per_min
    assert api.call("GET", "/v1/submissions").status_code == 200
    ready = api.client.get("/readyz")
    assert ready.status_code == 503 and ready.get_json()["checks"]["broker"].startswith("failing")
    # Limits still hold, counted in this process.
    tight_statuses = [api.client.get("/v1/questions", headers={"Authorization": f"Bearer {tight}"}).status_code
                      for _ in range(4)]
    assert tight_statuses == [200, 200, 200, 429]
    fallbacks = [r for r in caplog.records if "counted in this process" in r.getMessage()]
    assert len(fallbacks) == 1, "the fallback is logged once"

    stoppable_redis.start()  # empty: no persistence
    again = api.call("POST", "/v1/submissions", json=body(candidate="after"))
    assert again.status_code == 202 and broker.llen("cpu") == 1, "publishing works again at once"
    deadline = time.monotonic() + 60
    while not broker.keys("grader:rate*"):
        assert time.monotonic() < deadline, "rate limits never went back to Redis"
        assert api.call("GET", "/v1/questions").status_code == 200
        time.sleep(0.5)
    stored = rows(api)
    assert len(stored) == 1 + 5 + 2 + 1 and set(stored.values()) == {"queued"}  # nothing lost


@pytest.fixture()
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 16 MiB tmpfs, unmounted afterwards."""
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder: Path) -> Path:
    """Write zeros until the file system is full; return the file to delete to free it."""
    filler = folder / "filler"
    with open(filler, "wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return filler


def test_a_full_data_disk_is_507_and_nothing_half_written(tmp_path: Path, small_disk: Path) -> None:
    """Embedded mode with its data dir (SQLite and the folder queue) on a small disk that fills up."""
    data = small_disk / "data"
    settings = service_settings(tmp_path, f"sqlite:///{data / 'grader.db'}", data_dir=data)
    api = Api(create_app(settings), queue=None)  # the real folder queue
    assert api.call("POST", "/v1/submissions", json=body()).status_code == 202
    filler = fill(small_disk)
    answers: list[tuple[Any, int]] = []
    for i in range(40):
        if i % 4:
            answers.append((api.call("POST", "/v1/submissions", json=body(code=CODE + "#" * 16384)), 1))
        else:
            answers.append((api.call("POST", "/v1/submissions/batch", json={"submissions": [body()] * 3}), 3))
    statuses = {r.status_code for r, _ in answers}
    assert statuses <= {202, 503, 507} and 507 in statuses, statuses
    for response, _ in answers:
        if response.status_code != 202:
            assert_unavailable(response, (503, 507))
    expected = 1 + sum(n for r, n in answers if r.status_code == 202)
    assert len(rows(api)) == expected  # every 202 stored whole, every 507 stored nothing: no partial batch
    assert api.call("GET", "/v1/submissions?limit=5").status_code == 200  # reads keep working
    filler.unlink()
    after = api.call("POST", "/v1/submissions/batch", json={"submissions": [body()] * 3})
    assert after.status_code == 202 and len(rows(api)) == expected + 3


def test_the_database_refusing_connections_is_503(tmp_path: Path, postgres_url: str,
                                                   request: pytest.FixtureRequest) -> None:
    url = fresh_database("postgres", tmp_path, request)
    name = url.rsplit("/", 1)[1]
    api = Api(create_app(service_settings(tmp_path, url), queue=FakeQueue()), queue=None)
    assert api.call("POST", "/v1/submissions", json=body()).status_code == 202
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS false"))
        connection.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
    try:
        for method, path, payload in (("GET", "/v1/questions", None), ("POST", "/v1/submissions", body()),
                                      ("GET", "/v1/submissions", None),
                                      ("POST", "/v1/submissions/batch", {"submissions": [body()]})):
            assert_unavailable(api.call(method, path, json=payload))
        assert api.client.get("/readyz").get_json()["checks"]["database"].startswith("failing")
        assert api.client.get("/healthz").status_code == 200
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS true"))
        admin.dispose()
    assert api.call("POST", "/v1/submissions", json=body()).status_code == 202
    with sessions(make_engine(url))() as session:
        assert len(store.page(session, store.Filters(), 100, None)) == 2
