"""Per-key rate limits in a moving one-minute window (the ``limits`` library).

Counted in Redis when the broker is Redis, so every API process shares them, and in
memory otherwise. When Redis does not answer, the count falls back to this process's
memory (logged once) and Redis is tried again a few seconds later: a request is never
refused, or failed, because the limiter's storage is down.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass
from typing import Protocol

from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage, RedisStorage, Storage
from limits.strategies import MovingWindowRateLimiter

from grader.settings import Settings

log = logging.getLogger(__name__)
RETRY_REDIS_AFTER_S = 5.0


@dataclass(frozen=True)
class Quota:
    """One request counted: allowed or not, and what the RateLimit-* headers say."""

    allowed: bool
    limit: int
    remaining: int
    reset_s: int  # whole seconds until the window has room for one more request

    def headers(self) -> dict[str, str]:
        """The IETF draft's ``RateLimit-*`` fields, plus ``Retry-After`` when refused."""
        found = {"RateLimit-Limit": str(self.limit), "RateLimit-Remaining": str(max(self.remaining, 0)),
                 "RateLimit-Reset": str(self.reset_s)}
        if not self.allowed:
            found["Retry-After"] = str(max(self.reset_s, 1))
        return found


class RateLimiter(Protocol):
    def hit(self, key: str, limit: int) -> Quota:
        """Count one request of ``key`` against ``limit`` requests a minute."""
        ...


class WindowLimiter:
    """A moving one-minute window in one ``limits`` storage (memory or Redis)."""

    def __init__(self, storage: Storage) -> None:
        self._strategy = MovingWindowRateLimiter(storage)

    def hit(self, key: str, limit: int) -> Quota:
        item = RateLimitItemPerMinute(limit)
        allowed = self._strategy.hit(item, "grader", key)
        reset_at, remaining = self._strategy.get_window_stats(item, "grader", key)
        reset_s = min(max(math.ceil(reset_at - time.time()), 0), 60)
        return Quota(allowed, limit, remaining, reset_s)


class FallbackLimiter:
    """``primary`` (Redis) while it answers; ``local`` (memory) for a while after it fails."""

    def __init__(self, primary: RateLimiter, local: RateLimiter, retry_after_s: float = RETRY_REDIS_AFTER_S) -> None:
        self.primary, self.local, self.retry_after_s = primary, local, retry_after_s
        self._lock = threading.Lock()
        self._down_until: float | None = None

    def hit(self, key: str, limit: int) -> Quota:
        with self._lock:
            down = self._down_until is not None and time.monotonic() < self._down_until
        if down:
            return self.local.hit(key, limit)
        try:
            quota = self.primary.hit(key, limit)
        except Exception as exc:  # noqa: BLE001 - any storage failure means "count locally for now"
            with self._lock:
                if self._down_until is None:
                    log.warning("rate limits counted in this process: Redis does not answer (%s)", exc)
                self._down_until = time.monotonic() + self.retry_after_s
            return self.local.hit(key, limit)
        with self._lock:
            if self._down_until is not None:
                log.warning("rate limits counted in Redis again")
                self._down_until = None
        return quota


def make_limiter(settings: Settings) -> RateLimiter:
    """Redis (with the local fallback) when the broker is Redis; memory otherwise."""
    local = WindowLimiter(MemoryStorage())
    url = settings.broker_url or ""
    if not url.startswith(("redis://", "rediss://")):
        return local
    timeout = settings.broker_timeout_s
    redis = RedisStorage(url, key_prefix="grader:rate", socket_connect_timeout=timeout, socket_timeout=timeout)
    return FallbackLimiter(WindowLimiter(redis), local)
