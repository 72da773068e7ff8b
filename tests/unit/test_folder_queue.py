"""The embedded queue wakes its consumers: a message written, or a job acknowledged, ends their wait at once.

The queue's own fallback look (``queue_poll_s``) is set to an hour here, so a consumer that
took a message must have been woken; each wait is bounded by a generous deadline instead.
Every message is sent after the consumer looked and found nothing (it is waiting on its
doorbell by then), so only a wake-up can deliver it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from kombu import Connection, Consumer, Exchange, Producer, Queue

from grader.doorbell import Doorbell, ring
from grader.queueing import broker_options, broker_transport
from grader.settings import REPO_ROOT, Settings

DEADLINE_S = 60.0
CPU = Queue("cpu", Exchange("cpu", type="direct"), routing_key="cpu")


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, cache_dir=tmp_path / "cache", tasks_dir=REPO_ROOT / "tasks",
                    queue_poll_s=3600)


def connect(settings: Settings) -> Connection:
    url, options = broker_options(settings)
    return Connection(url, transport=broker_transport(settings), transport_options=options)


def publish(settings: Settings, body: dict[str, Any]) -> None:
    """Send one message from a connection of its own, as the API process does."""
    with connect(settings) as connection:
        Producer(connection.channel()).publish(body, exchange=CPU.exchange, routing_key="cpu", declare=[CPU])


class Waiting:
    """Tells when the consumer looked, found nothing, and waits on its doorbell."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.event = threading.Event()
        real = Doorbell.wait

        def wait(bell: Doorbell, timeout_s: float) -> bool:
            self.event.set()
            return real(bell, timeout_s)

        monkeypatch.setattr(Doorbell, "wait", wait)

    def __call__(self) -> None:
        assert self.event.wait(DEADLINE_S), "the consumer never waited"
        self.event.clear()


@pytest.fixture()
def consumer(settings: Settings) -> Iterator[tuple[Connection, list[tuple[Any, Any]]]]:
    """A connection consuming ``cpu`` one unacknowledged message at a time, as a worker with one slot."""
    received: list[tuple[Any, Any]] = []
    with connect(settings) as connection:
        channel = connection.channel()
        channel.basic_qos(0, 1, False)
        Consumer(channel, [CPU], callbacks=[lambda body, message: received.append((body, message))]).consume()
        yield connection, received


def drain_in_background(connection: Connection) -> threading.Thread:
    thread = threading.Thread(target=connection.drain_events, kwargs={"timeout": DEADLINE_S}, daemon=True)
    thread.start()
    return thread


def test_a_published_message_wakes_the_waiting_consumer(
        settings: Settings, consumer: tuple[Connection, list[tuple[Any, Any]]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    connection, received = consumer
    waiting = Waiting(monkeypatch)
    draining = drain_in_background(connection)
    waiting()
    publish(settings, {"id": "sub-1"})
    draining.join(DEADLINE_S)
    assert [body for body, _ in received] == [{"id": "sub-1"}]


def test_an_acknowledgement_wakes_the_consumer_for_the_next_message(
        settings: Settings, consumer: tuple[Connection, list[tuple[Any, Any]]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    connection, received = consumer
    publish(settings, {"id": "sub-1"})
    publish(settings, {"id": "sub-2"})
    connection.drain_events(timeout=DEADLINE_S)
    assert [body for body, _ in received] == [{"id": "sub-1"}]
    waiting = Waiting(monkeypatch)
    draining = drain_in_background(connection)  # its one slot is taken: it waits, sub-2 stays queued
    waiting()
    assert len(received) == 1
    received[0][1].ack()  # from another thread, as the worker's pool acknowledges a finished job
    draining.join(DEADLINE_S)
    assert [body for body, _ in received] == [{"id": "sub-1"}, {"id": "sub-2"}]


def test_ringing_removes_the_sockets_of_dead_processes(tmp_path: Path) -> None:
    live = Doorbell(tmp_path)
    gone = Doorbell(tmp_path)
    gone._socket.close()  # its process died without removing its socket file
    assert gone.path.exists()
    assert ring(tmp_path) == 1
    assert not gone.path.exists() and live.path.exists()
    assert live.wait(DEADLINE_S)
    assert not live.wait(0)  # every pending ring was consumed by the wait
    live.close()
    assert not live.path.exists()
