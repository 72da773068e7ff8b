"""Leases: the submissions a worker process is grading, renewed by one heartbeat thread.

A claim leases a submission to this process for ``lease_s``; while it is held here, a
heartbeat every ``heartbeat_s`` pushes the lease on. A worker that dies (SIGKILL, a lost
machine) or cannot reach the database stops renewing, the lease lapses, and the sweeper of
any worker takes the submission back (:mod:`grader.worker.sweep`).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session, sessionmaker

from grader.storage import submissions as store

log = logging.getLogger(__name__)


def lease_owner() -> str:
    """This process, unique across hosts and restarts (a pid is reused; the suffix is not)."""
    return f"{socket.gethostname()}/{os.getpid()}/{uuid.uuid4().hex[:8]}"


class Leases:
    """What this process holds; the heartbeat thread starts with the first claim."""

    def __init__(self, sessions: sessionmaker[Session], lease_s: float, heartbeat_s: float) -> None:
        self.sessions = sessions
        self.lease_s = lease_s
        self.heartbeat_s = heartbeat_s
        self.owner = lease_owner()
        self._held: set[str] = set()
        self._lock = threading.Lock()
        self._beating: threading.Thread | None = None

    @contextmanager
    def holding(self, submission_id: str) -> Iterator[None]:
        """Renew ``submission_id``'s lease while the block runs; let it lapse after (unless finished)."""
        with self._lock:
            self._held.add(submission_id)
            if self._beating is None:
                self._beating = threading.Thread(target=self._beat, name="grader-heartbeat", daemon=True)
                self._beating.start()
        try:
            yield
        finally:
            with self._lock:
                self._held.discard(submission_id)

    def _beat(self) -> None:
        while True:  # as long as the process: a daemon thread
            time.sleep(self.heartbeat_s)
            with self._lock:
                held = set(self._held)
            if not held:
                continue
            try:
                with self.sessions() as session:
                    store.renew(session, held, self.owner, self.lease_s)
            except Exception as exc:  # noqa: BLE001 - a missed heartbeat only lets the lease run down; next beat
                log.warning("could not renew %d leases (%s: %s)", len(held), type(exc).__name__, exc)
