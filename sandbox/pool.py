"""A warm pool: sandboxes prepared ahead of demand, per profile, each still used exactly once.

``SandboxPool`` wraps any backend. It keeps up to ``sizes[profile]`` prepared sandboxes
(libraries loaded, waiting for a job) and hands one to each submission; a background
thread refills what was taken. A pooled sandbox that died, or waited longer than
``idle_s``, is closed and replaced, never used. ``close`` ends every pooled sandbox.
Nothing about isolation changes: a pooled sandbox is exactly what the backend's
``prepare`` makes, and it still serves one submission.
"""

from __future__ import annotations

import copy
import logging
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from sandbox.base import PreparedSandbox, Sandbox, SandboxJob, SandboxProfile, SandboxRun

log = logging.getLogger(__name__)
RETRY_AFTER_FAILURE_S = 5.0


@dataclass
class PoolStats:
    """What ``/metrics`` shows of a pool: sizes now, hits, misses, refills and their time."""

    ready: dict[str, int] = field(default_factory=dict)
    target: dict[str, int] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0
    discarded: int = 0
    refills: int = 0
    refill_s: float = 0.0


def profile_name(profile: SandboxProfile) -> str:
    return f"{'torch' if profile.uses_torch else 'numpy'}-{profile.device}"


@dataclass
class _Slot:
    prepared: PreparedSandbox
    since: float


class _Warm:
    """A pooled sandbox as its submission sees it: ready when asked for, so its report says the
    start took no time of the submission's (``start_s`` is what the submission waited for)."""

    def __init__(self, prepared: PreparedSandbox) -> None:
        self.prepared = prepared

    def run(self, job: SandboxJob) -> SandboxRun:
        run = self.prepared.run(job)
        run.result = run.result.model_copy(update={"start_s": 0.0})
        return run

    def close(self) -> None:
        self.prepared.close()

    def alive(self) -> bool:
        return self.prepared.alive()


class SandboxPool:
    """The backend's ``run``, with the sandbox taken from a warm pool when one is ready."""

    def __init__(self, backend: Sandbox, sizes: dict[SandboxProfile, int], idle_s: float) -> None:
        self.backend = backend
        self.name = backend.name
        self.sizes = {profile: size for profile, size in sizes.items() if size > 0}
        self.idle_s = idle_s
        self.stats = PoolStats(target={profile_name(p): n for p, n in self.sizes.items()})
        self._ready: dict[SandboxProfile, deque[_Slot]] = {p: deque() for p in self.sizes}
        self._wake = threading.Condition()
        self._closed = False
        self._preparing = 0  # refills under way: their sandboxes exist but are not in the pool yet
        self._thread = threading.Thread(target=self._refill_loop, name="sandbox-pool", daemon=True)
        self._thread.start()

    def run(self, job: SandboxJob) -> SandboxRun:
        return self.prepare(job.profile).run(job)

    def prepare(self, profile: SandboxProfile) -> PreparedSandbox:
        """A warm sandbox for ``profile`` if one is ready (a hit), else a fresh one (a miss)."""
        found = self._take(profile)
        with self._wake:
            if found is not None:
                self.stats.hits += 1
            else:
                self.stats.misses += 1
            self._wake.notify_all()  # refill what was taken
        return _Warm(found) if found is not None else self.backend.prepare(profile)

    def _take(self, profile: SandboxProfile) -> PreparedSandbox | None:
        while True:
            with self._wake:
                queue = self._ready.get(profile)
                if not queue:
                    return None
                slot = queue.popleft()
                self.stats.ready[profile_name(profile)] = len(queue)
            if slot.prepared.alive() and time.monotonic() - slot.since < self.idle_s:
                return slot.prepared
            self._discard(slot)

    def _discard(self, slot: _Slot) -> None:
        with self._wake:
            self.stats.discarded += 1
        try:
            slot.prepared.close()
        except Exception:  # noqa: BLE001 - a sandbox that cannot even be closed is already gone
            log.warning("closing a pooled sandbox failed", exc_info=True)

    def _refill_loop(self) -> None:
        while True:
            with self._wake:
                if self._closed:
                    return
                wanted = self._wanted()
                if wanted is None:
                    self._wake.wait(timeout=max(self.idle_s / 4, 0.5))
                    self._recycle_aged()
                    continue
            self._refill(wanted)

    def _wanted(self) -> SandboxProfile | None:
        """The profile furthest below its size (called with the lock held)."""
        deficits = [(self.sizes[p] - len(q), p) for p, q in self._ready.items() if len(q) < self.sizes[p]]
        return max(deficits, key=lambda d: d[0])[1] if deficits else None

    def _refill(self, profile: SandboxProfile) -> None:
        t0 = time.monotonic()
        with self._wake:
            self._preparing += 1
        try:
            prepared = self.backend.prepare(profile)
        except Exception as exc:  # noqa: BLE001 - the pool keeps going; a run prepares its own meanwhile
            log.warning("preparing a %s sandbox for the pool failed: %s", profile_name(profile), exc)
            with self._wake:
                self._preparing -= 1
                self._wake.notify_all()
            time.sleep(RETRY_AFTER_FAILURE_S)
            return
        with self._wake:
            self._preparing -= 1
            self._wake.notify_all()
            if self._closed:
                prepared.close()
                return
            self._ready[profile].append(_Slot(prepared, time.monotonic()))
            self.stats.ready[profile_name(profile)] = len(self._ready[profile])
            self.stats.refills += 1
            self.stats.refill_s += time.monotonic() - t0

    def _recycle_aged(self) -> None:
        """Close pooled sandboxes that waited longer than ``idle_s`` (called with the lock held)."""
        now = time.monotonic()
        for profile, queue in self._ready.items():
            while queue and now - queue[0].since >= self.idle_s:
                slot = queue.popleft()
                self.stats.discarded += 1
                threading.Thread(target=slot.prepared.close, daemon=True).start()
            self.stats.ready[profile_name(profile)] = len(queue)

    def settle(self, timeout_s: float) -> bool:
        """Wait until no refill is under way and every profile is full (for observers that count
        sandboxes); ``False`` if that did not happen within ``timeout_s``."""
        deadline = time.monotonic() + timeout_s
        with self._wake:
            while self._preparing or self._wanted() is not None:
                left = deadline - time.monotonic()
                if left <= 0 or self._closed:
                    return False
                self._wake.wait(timeout=min(left, 0.5))
            return True

    def snapshot(self) -> PoolStats:
        """A copy of :attr:`stats`, taken under the pool's lock (for readers in other threads)."""
        with self._wake:
            return copy.deepcopy(self.stats)

    def pooled(self) -> list[PreparedSandbox]:
        """The sandboxes ready now (for observers; taking one goes through :meth:`prepare`)."""
        with self._wake:
            return [slot.prepared for queue in self._ready.values() for slot in queue]

    def close(self) -> None:
        """Stop refilling and end every pooled sandbox."""
        with self._wake:
            self._closed = True
            slots = [slot for queue in self._ready.values() for slot in queue]
            for queue in self._ready.values():
                queue.clear()
            self._wake.notify_all()
        for slot in slots:
            self._discard(slot)
        self._thread.join(timeout=60)
        shutdown = getattr(self.backend, "shutdown", None)
        if callable(shutdown):
            shutdown()
