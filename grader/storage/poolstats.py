"""Workers' warm-pool figures in the database: one row per grading worker process.

A worker writes its own row every ``pool_stats_every_s`` and deletes it when its pool
closes; ``/metrics`` reads the rows written recently. A worker killed without closing
leaves its row behind: it is ignored once stale (:func:`stale_after_s`) and deleted by
whichever worker publishes after it has been stale for :data:`FORGET_AFTER_S`.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from grader.storage.models import WorkerPoolStats, utcnow
from sandbox.pool import PoolStats

log = logging.getLogger(__name__)

FORGET_AFTER_S = 3600.0  # rows of dead workers older than this are deleted (generous: settings may differ)


def stale_after_s(every_s: float) -> float:
    """A row older than this was written by a worker that stopped publishing (four periods missed, at least 60 s)."""
    return max(4 * every_s, 60.0)


def publish(session: Session, worker: str, stats: dict[str, Any]) -> None:
    """Store ``worker``'s figures (insert or replace; only that worker writes its row), and forget long-dead rows."""
    now = utcnow()
    session.merge(WorkerPoolStats(worker=worker, stats=stats, updated_at=now))
    session.execute(delete(WorkerPoolStats).where(WorkerPoolStats.updated_at < now - timedelta(seconds=FORGET_AFTER_S)))
    session.commit()


def remove(session: Session, worker: str) -> None:
    """Delete ``worker``'s row (its pool is closed)."""
    session.execute(delete(WorkerPoolStats).where(WorkerPoolStats.worker == worker))
    session.commit()


def fresh(session: Session, max_age_s: float) -> list[tuple[str, PoolStats]]:
    """``(worker, stats)`` of every row written within ``max_age_s``, by worker; a row that is not
    a ``PoolStats`` (a worker of another version) is skipped and logged."""
    since = utcnow() - timedelta(seconds=max_age_s)
    found = []
    for worker, stats in session.execute(select(WorkerPoolStats.worker, WorkerPoolStats.stats)
                                         .where(WorkerPoolStats.updated_at >= since).order_by(WorkerPoolStats.worker)):
        try:
            found.append((worker, _STATS.validate_python(stats)))
        except ValidationError as exc:
            log.warning("worker %s: its pool's figures are unreadable, skipped: %s", worker, exc)
    return found


_STATS = TypeAdapter(PoolStats)
