"""Waiting for a report (``?wait=``) without polling: the worker that stores it wakes the waiters.

The worker side (:class:`Notifier`) announces each stored report (and each claim, and the
interview the submission belongs to, for live streams): on Redis pub/sub when the
broker is Redis, otherwise as a datagram to every API process's UNIX socket in the data dir
(``grader serve`` runs API and workers on one machine). The API side (:class:`Waiters`, one
per app) listens on one thread and wakes the requests that wait for that submission; each
also looks at the database every ``wait_poll_s``, in case a wake-up was lost.

Waiting is bounded: at most ``max_waiters`` requests wait at once in one API process (more
return the current state at once) and ``max_waits_per_key`` per key (more get ``429``).
The WSGI server has a thread for each waiter beside its others (``grader serve``), so waiters
never hold up ``/healthz`` or anything else.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from grader.settings import Settings

if TYPE_CHECKING:
    from grader.storage.models import Submission

log = logging.getLogger(__name__)
T = TypeVar("T")

CHANNEL = "grader:finished"  # Redis pub/sub channel; each message is a submission id
DONE = ("completed", "failed")
MAX_SOCKET_PATH = 100  # sun_path holds 108 bytes
LISTEN_RETRY_S = 2.0


def uses_redis(settings: Settings) -> bool:
    return (settings.broker_url or "").startswith(("redis://", "rediss://"))


def socket_dir(settings: Settings) -> Path:
    """Where API processes bind their wake-up sockets: the data dir, or a short path under /tmp."""
    folder = settings.data_dir / "waiters"
    if len(str(folder)) + 48 > MAX_SOCKET_PATH:
        digest = hashlib.sha256(str(settings.data_dir.resolve()).encode()).hexdigest()[:16]
        folder = Path("/tmp") / f"grader-waiters-{digest}"
    return folder


class Notifier:
    """The worker's side: ``finished(submission_id)`` after its report is stored."""

    def __init__(self, settings: Settings, timeout_s: float = 5.0) -> None:
        self.settings = settings
        self.timeout_s = timeout_s
        self._redis: Any = None

    def finished(self, submission_id: str) -> None:
        if uses_redis(self.settings):
            if self._redis is None:
                import redis

                self._redis = redis.Redis.from_url(self.settings.broker_url or "", socket_timeout=self.timeout_s,
                                                   socket_connect_timeout=self.timeout_s)
            self._redis.publish(CHANNEL, submission_id)
            return
        folder = socket_dir(self.settings)
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sender:
            for path in folder.glob("*.sock"):
                try:
                    sender.sendto(submission_id.encode(), socket.MSG_DONTWAIT, str(path))
                except (ConnectionRefusedError, FileNotFoundError):
                    path.unlink(missing_ok=True)  # its API process is gone
                except OSError:  # a full buffer: that waiter finds the report by its own look
                    continue


def interview_topic(interview_id: str) -> str:
    """What is announced when one of an interview's submissions changes (its board's live streams wake)."""
    return f"interview:{interview_id}"


class TooManyWaits(Exception):
    """This key already holds as many held requests as it may."""


class Slots:
    """A bounded pool of held requests: at most ``total`` at once, ``per_key`` for one key."""

    def __init__(self, total: int, per_key: int) -> None:
        self.total, self.per_key = total, per_key
        self._lock = threading.Lock()
        self._per_key: Counter[int] = Counter()
        self._held = 0

    def take(self, key_id: int) -> bool:
        """Hold a place (``False``: the pool is full); raises :class:`TooManyWaits` past the key's share."""
        with self._lock:
            if self._per_key[key_id] >= self.per_key:
                raise TooManyWaits(key_id)
            if self._held >= self.total:
                return False
            self._per_key[key_id] += 1
            self._held += 1
            return True

    def give_back(self, key_id: int) -> None:
        with self._lock:
            self._held -= 1
            self._per_key[key_id] -= 1
            if not self._per_key[key_id]:
                del self._per_key[key_id]

    def held(self) -> int:
        with self._lock:
            return self._held


class Waiters:
    """The API's waiting requests: a bounded pool, per-key limits, one listener that wakes them.

    Live-event streams (``grader.api.events``) are woken by the same listener (:meth:`watching`)
    and bounded by a pool of their own.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.slots = Slots(settings.max_waiters, settings.max_waits_per_key)
        self._lock = threading.Lock()
        self._events: dict[str, set[threading.Event]] = {}
        self._listening = False

    @contextmanager
    def admitted(self, key_id: int) -> Iterator[bool]:
        """A place in the pool for one wait (``False``: the pool is full); raises :class:`TooManyWaits`."""
        admitted = self.slots.take(key_id)
        try:
            yield admitted
        finally:
            if admitted:
                self.slots.give_back(key_id)

    def held(self) -> int:
        """How many requests wait now."""
        return self.slots.held()

    @contextmanager
    def watching(self, *topics: str) -> Iterator[threading.Event]:
        """An event set whenever any of ``topics`` (submission ids, or :func:`interview_topic`) is announced."""
        event = threading.Event()
        with self._lock:
            for topic in topics:
                self._events.setdefault(topic, set()).add(event)
            self._listen()
        try:
            yield event
        finally:
            with self._lock:
                for topic in topics:
                    waiting = self._events.get(topic, set())
                    waiting.discard(event)
                    if not waiting:
                        self._events.pop(topic, None)

    def until_done(self, submission_id: str, read: Callable[[], Submission], deadline: float) -> Submission:
        """Re-read the submission when woken for it (or every ``wait_poll_s``) until done or ``deadline``."""
        return self.until([submission_id], read, lambda row: row.status in DONE, deadline)

    def until(self, ids: Collection[str], read: Callable[[], T], done: Callable[[T], bool], deadline: float) -> T:
        """Re-read with ``read`` when woken for any of ``ids`` (or every ``wait_poll_s``) until ``done``
        says so or ``deadline`` passes; return the last thing read (a batch waits on its submissions)."""
        with self.watching(*ids) as event:
            while True:
                value = read()  # after registering: a report stored before now is seen here
                left = deadline - time.monotonic()
                if done(value) or left <= 0:
                    return value
                event.wait(min(self.settings.wait_poll_s, left))
                event.clear()

    def wake(self, submission_id: str) -> None:
        with self._lock:
            for event in self._events.get(submission_id, ()):
                event.set()

    def _listen(self) -> None:
        """Start the listener thread (once, with the first wait); the lock is held."""
        if self._listening:
            return
        self._listening = True
        target = self._listen_redis if uses_redis(self.settings) else self._listen_socket
        threading.Thread(target=target, name="grader-waiters", daemon=True).start()

    def _listen_redis(self) -> None:
        import redis

        quiet = False  # one warning an outage, not one every retry
        while True:
            try:
                client = redis.Redis.from_url(self.settings.broker_url or "", health_check_interval=30)
                pubsub = client.pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(CHANNEL)
                quiet = False
                for message in pubsub.listen():
                    self.wake(message["data"].decode(errors="replace"))
            except Exception as exc:  # noqa: BLE001 - Redis away: waiters poll meanwhile; subscribe again
                quiet = _retry_later("Redis", exc, quiet)

    def _listen_socket(self) -> None:
        folder = socket_dir(self.settings)
        quiet = False
        while True:
            try:
                folder.mkdir(mode=0o700, parents=True, exist_ok=True)
                path = folder / f"{os.getpid()}-{uuid.uuid4().hex[:8]}.sock"
                with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as receiver:
                    receiver.bind(str(path))
                    quiet = False
                    while True:
                        self.wake(receiver.recv(256).decode(errors="replace"))
            except OSError as exc:
                quiet = _retry_later(str(folder), exc, quiet)


def _retry_later(source: str, exc: Exception, quiet: bool) -> bool:
    """Log (once an outage), wait, and return ``True``: the next failure of this outage stays quiet."""
    (log.debug if quiet else log.warning)(
        "waiters: no wake-ups from %s (%s: %s); they poll meanwhile; trying again every %g s",
        source, type(exc).__name__, exc, LISTEN_RETRY_S)
    time.sleep(LISTEN_RETRY_S)
    return True


def app_waiters() -> Waiters:
    """The current app's :class:`Waiters`, made with its first use (call from a request of the API)."""
    from flask import current_app

    waiters: Waiters | None = current_app.extensions.get("grader.waiters")
    if waiters is None:
        settings = current_app.extensions["grader"].settings
        waiters = current_app.extensions.setdefault("grader.waiters", Waiters(settings))
    return waiters


def until_finished(read: Callable[[], Submission], wait_s: float, key_id: int) -> Submission:
    """The submission ``read`` returns, once it is done or after ``wait_s`` (``?wait=``).

    Raises a ``429`` problem when the key holds too many waits; when the pool is full, it
    returns the current state at once. Call from a request of the API.
    """
    return until_ended(read, lambda row: [row.id], lambda row: row.status in DONE, wait_s, key_id)


def until_ended(read: Callable[[], T], ids_of: Callable[[T], Collection[str]], done: Callable[[T], bool],
                wait_s: float, key_id: int) -> T:
    """What ``read`` returns, once ``done`` or after ``wait_s``, woken when any submission of
    ``ids_of(first read)`` ends: ``until_finished`` for anything made of submissions (a batch).

    The same limits as ``until_finished``. Call from a request of the API.
    """
    value = read()
    if done(value) or wait_s <= 0:
        return value
    from grader.api.problems import ApiError

    waiters = app_waiters()
    try:
        with waiters.admitted(key_id) as admitted:
            if not admitted:
                return value
            return waiters.until(ids_of(value), read, done, time.monotonic() + wait_s)
    except TooManyWaits:
        limit = waiters.settings.max_waits_per_key
        raise ApiError(429, "Too Many Requests", f"this key already holds {limit} waiting requests (?wait=); "
                       "wait for one to end", {"Retry-After": "5"}) from None
