"""Per-key rate limits in fixed one-minute windows: in memory, or in Redis when workers share one."""

from __future__ import annotations

import threading
import time
from typing import Protocol


class RateLimiter(Protocol):
    def hit(self, key: str, limit: int) -> float | None:
        """Count one request; ``None`` if allowed, else the seconds until the window resets."""
        ...


class MemoryRateLimiter:
    """For one API process (embedded mode)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[int, int]] = {}

    def hit(self, key: str, limit: int) -> float | None:
        now = time.time()
        window = int(now // 60)
        with self._lock:
            start, count = self._windows.get(key, (window, 0))
            count = count + 1 if start == window else 1
            self._windows[key] = (window, count)
        return None if count <= limit else 60 - now % 60


class RedisRateLimiter:
    """Shared by every API process behind one Redis."""

    def __init__(self, url: str) -> None:
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=2)

    def hit(self, key: str, limit: int) -> float | None:
        now = time.time()
        name = f"grader:rate:{key}:{int(now // 60)}"
        pipe = self._redis.pipeline()
        pipe.incr(name)
        pipe.expire(name, 61)
        count = int(pipe.execute()[0])
        return None if count <= limit else 60 - now % 60
