"""Publishes a grading worker's warm-pool figures to the database, where ``/metrics`` reads them.

The pool lives in the worker process and ``/metrics`` is answered by the API, so the worker
writes a snapshot of its pool's :class:`~sandbox.pool.PoolStats` to its own row every
``pool_stats_every_s`` on a daemon thread, and deletes the row when it closes its pool.
A write that fails (the database is gone) is logged and tried again next period; it never
ends the worker.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import socket
import threading
from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker

from grader.storage import poolstats as rows
from sandbox.pool import PoolStats

log = logging.getLogger(__name__)


def worker_id() -> str:
    """This process as ``/metrics`` labels it: host and pid."""
    return f"{socket.gethostname()}/{os.getpid()}"


class PoolStatsPublisher:
    """Writes ``snapshot()`` as ``worker``'s row now and every ``every_s`` (:meth:`start`) until :meth:`stop`."""

    def __init__(self, snapshot: Callable[[], PoolStats], sessions: sessionmaker[Session], every_s: float,
                 worker: str | None = None) -> None:
        self.snapshot = snapshot
        self.sessions = sessions
        self.every_s = every_s
        self.worker = worker or worker_id()
        self._stopped = threading.Event()
        self._lock = threading.Lock()  # a publish never lands after stop's delete
        self._failing = False

    def start(self) -> PoolStatsPublisher:
        threading.Thread(target=self._loop, name="grader-pool-stats", daemon=True).start()
        return self

    def publish(self) -> bool:
        """Write the figures now; ``False`` (logged) when that failed or the publisher is stopped."""
        with self._lock:
            if self._stopped.is_set():
                return False
            try:
                stats = dataclasses.asdict(self.snapshot())
                with self.sessions() as session:
                    rows.publish(session, self.worker, stats)
            except Exception as exc:  # noqa: BLE001 - /metrics misses a period; the worker grades on
                if not self._failing:  # once per outage, not every period
                    log.warning("publishing the pool's figures failed (%s: %s); trying again every %g s",
                                type(exc).__name__, exc, self.every_s)
                self._failing = True
                return False
            if self._failing:
                log.info("publishing the pool's figures works again")
            self._failing = False
            return True

    def stop(self) -> None:
        """Stop publishing and delete this worker's row (a failure is only logged: the row goes stale)."""
        with self._lock:
            self._stopped.set()
            try:
                with self.sessions() as session:
                    rows.remove(session, self.worker)
            except Exception as exc:  # noqa: BLE001 - /metrics ignores the row once it is stale
                log.warning("removing the pool's figures failed (%s: %s)", type(exc).__name__, exc)

    def _loop(self) -> None:
        while True:
            self.publish()
            if self._stopped.wait(self.every_s):
                return
