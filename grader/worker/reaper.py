"""Removes what dead graders left on this host: sandbox processes, control groups, workspaces, containers.

A grader killed mid-run cannot clean up after itself. Every grading worker collects its
host's leftovers when it starts and then every ``sandbox_gc_interval_s`` on a daemon
thread; ``grader sandbox gc`` does the same by hand. Live sandboxes (other workers' too) are
never touched: a bubblewrap sandbox holds its uid's lock file, a container is labelled with
its owner process.
"""

from __future__ import annotations

import logging
import threading
import time

from grader.sandboxes import collect_garbage
from grader.settings import Settings

log = logging.getLogger(__name__)


class Reaper:
    """Collects leftovers now, then periodically on a daemon thread (:meth:`start`)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def collect(self) -> None:
        try:
            lines = collect_garbage(self.settings)
        except Exception as exc:  # noqa: BLE001 - a failed collection is tried again at the next interval
            log.warning("collecting sandbox leftovers failed: %s: %s", type(exc).__name__, exc)
            return
        for line in lines:
            if "removed" in line and "removed 0 " not in line:
                log.warning("sandbox leftovers: %s", line)

    def start(self) -> threading.Thread:
        self.collect()
        thread = threading.Thread(target=self._loop, name="grader-reaper", daemon=True)
        thread.start()
        return thread

    def _loop(self) -> None:
        while True:  # as long as the worker: a daemon thread
            time.sleep(self.settings.sandbox_gc_interval_s)
            self.collect()
