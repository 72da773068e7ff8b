"""Warm-pool figures on ``/metrics``, above the pool: the publisher with a fake pool, the collector on a real
SQLite database (fresh, stale and unreadable rows), and the migration that makes their table."""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from grader.api import create_app
from grader.settings import REPO_ROOT, Settings
from grader.storage import poolstats
from grader.storage.db import MIGRATIONS, make_engine, sessions, upgrade
from grader.storage.models import Base, WorkerPoolStats, utcnow
from grader.worker.poolstats import PoolStatsPublisher
from sandbox.pool import PoolStats
from tests.service.conftest import FakeQueue
from tests.service.processes import until


@pytest.fixture()
def engine(tmp_path: Path) -> Engine:
    made = make_engine(f"sqlite:///{tmp_path / 'grader.db'}")
    upgrade(made)
    return made


def stored(engine: Engine) -> dict[str, Any]:
    with sessions(engine)() as session:
        return {row.worker: row.stats for row in session.scalars(select(WorkerPoolStats))}


class FakePool:
    """Stands in for ``SandboxPool``: a snapshot the test changes."""

    def __init__(self) -> None:
        self.stats = PoolStats(ready={"numpy-cpu": 1}, target={"numpy-cpu": 2, "torch-cpu": 1}, hits=3, misses=1)

    def snapshot(self) -> PoolStats:
        return copy.deepcopy(self.stats)


def test_the_publisher_writes_its_row_every_period_and_deletes_it_when_stopped(engine: Engine) -> None:
    pool = FakePool()
    publisher = PoolStatsPublisher(pool.snapshot, sessions(engine), every_s=0.05, worker="host/1").start()
    until(lambda: stored(engine).get("host/1", {}).get("hits") == 3, 30, "the first publish")
    assert stored(engine)["host/1"]["target"] == {"numpy-cpu": 2, "torch-cpu": 1}
    pool.stats.hits = 4
    until(lambda: stored(engine)["host/1"]["hits"] == 4, 30, "a later publish")
    publisher.stop()
    assert stored(engine) == {}
    assert publisher.publish() is False  # stopped: nothing lands after the delete
    assert stored(engine) == {}


def test_a_failed_publish_is_logged_once_and_tried_again(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    gone = make_engine(f"sqlite:///{tmp_path / 'grader.db'}")  # no tables yet: every write fails
    pool = FakePool()

    def broken_snapshot() -> PoolStats:
        raise RuntimeError("the pool's lock is poisoned")

    publisher = PoolStatsPublisher(pool.snapshot, sessions(gone), every_s=60, worker="host/2")
    with caplog.at_level(logging.WARNING, logger="grader.worker.poolstats"):
        assert publisher.publish() is False
        assert publisher.publish() is False
    assert len(caplog.records) == 1 and "trying again every 60 s" in caplog.text
    upgrade(gone)  # the database is back
    assert publisher.publish() is True
    assert stored(gone)["host/2"]["misses"] == 1
    publisher.snapshot = broken_snapshot
    assert publisher.publish() is False
    publisher.stop()
    assert stored(gone) == {}


def test_stopping_with_the_database_gone_is_only_logged(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    gone = make_engine(f"sqlite:///{tmp_path / 'grader.db'}")
    publisher = PoolStatsPublisher(FakePool().snapshot, sessions(gone), every_s=60, worker="host/3")
    with caplog.at_level(logging.WARNING, logger="grader.worker.poolstats"):
        publisher.stop()
    assert "removing the pool's figures failed" in caplog.text


def put(made: sessionmaker[Session], worker: str, stats: Any, age_s: float) -> None:
    with made() as session:
        session.add(WorkerPoolStats(worker=worker, stats=stats, updated_at=utcnow() - timedelta(seconds=age_s)))
        session.commit()


def scrape(tmp_path: Path, **settings: Any) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """``/metrics`` of a real app on the test's SQLite database: {(sample, labels): value} of the pool's samples."""
    app = create_app(Settings(data_dir=tmp_path, tasks_dir=REPO_ROOT / "tasks", cache_dir=tmp_path / "cache",
                              **settings), queue=FakeQueue())
    answer = app.test_client().get("/metrics")
    assert answer.status_code == 200
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(answer.get_data(as_text=True))
            for s in family.samples if s.name.startswith("grader_sandbox_pool_")}


def test_metrics_show_fresh_rows_and_ignore_stale_and_unreadable_ones(engine: Engine, tmp_path: Path) -> None:
    made = sessions(engine)
    fresh = {"ready": {"numpy-cpu": 2}, "target": {"numpy-cpu": 2, "torch-cpu": 1}, "hits": 5, "misses": 2,
             "discarded": 1, "refills": 4, "refill_s": 0.5}
    put(made, "alive/1", fresh, age_s=1)
    put(made, "dead/2", {**fresh, "hits": 99}, age_s=61)  # older than max(4 x 5 s, 60 s)
    put(made, "odd/3", {"hits": "lots"}, age_s=1)  # a worker of another version: skipped, never a 500
    samples = scrape(tmp_path)
    worker = (("worker", "alive/1"),)
    assert samples == {
        ("grader_sandbox_pool_ready", (("profile", "numpy-cpu"), *worker)): 2,
        ("grader_sandbox_pool_ready", (("profile", "torch-cpu"), *worker)): 0,  # its first refill is under way
        ("grader_sandbox_pool_target", (("profile", "numpy-cpu"), *worker)): 2,
        ("grader_sandbox_pool_target", (("profile", "torch-cpu"), *worker)): 1,
        ("grader_sandbox_pool_hits_total", worker): 5,
        ("grader_sandbox_pool_misses_total", worker): 2,
        ("grader_sandbox_pool_discarded_total", worker): 1,
        ("grader_sandbox_pool_refill_seconds_count", worker): 4,
        ("grader_sandbox_pool_refill_seconds_sum", worker): 0.5,
    }


def test_the_stale_age_follows_the_publish_period(engine: Engine, tmp_path: Path) -> None:
    put(sessions(engine), "slow/1", {"hits": 7}, age_s=100)
    assert ("grader_sandbox_pool_hits_total", (("worker", "slow/1"),)) not in scrape(tmp_path)
    assert scrape(tmp_path, pool_stats_every_s=30)[("grader_sandbox_pool_hits_total", (("worker", "slow/1"),))] == 7


def test_a_publish_forgets_rows_dead_for_an_hour(engine: Engine) -> None:
    made = sessions(engine)
    put(made, "long-dead/1", {}, age_s=poolstats.FORGET_AFTER_S + 60)
    put(made, "recently-dead/2", {}, age_s=120)
    with made() as session:
        poolstats.publish(session, "alive/3", {"hits": 1})
    assert set(stored(engine)) == {"recently-dead/2", "alive/3"}


def test_the_migration_makes_the_models_table_and_undoes_it(engine: Engine) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))

    def run(step: Callable[..., None], revision: str) -> None:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            step(config, revision)

    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    run(command.downgrade, "0004")
    assert "worker_pool_stats" not in inspect(engine).get_table_names()
    run(command.upgrade, "head")
    assert "worker_pool_stats" in inspect(engine).get_table_names()
