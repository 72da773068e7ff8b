"""The embedded queue: kombu's filesystem transport, its consumers woken instead of polling.

kombu's filesystem transport looks for message files every ``polling_interval`` while it has
nothing to do, so a job waited up to that long before a worker saw it. Here each consuming
connection binds a :class:`~grader.doorbell.Doorbell` in the queue's ``wake_folder`` (a
transport option) before it first looks, and waits on it instead of sleeping: a publisher
rings every doorbell there after writing a message file, and an acknowledgement rings its
own connection's (a slot to take the next job has just opened). ``polling_interval`` remains
as the fallback for a wake-up that was lost.

Celery uses it as ``broker_transport`` (:data:`TRANSPORT`) with the ``filesystem://`` URL.
"""

from __future__ import annotations

from pathlib import Path
from queue import Empty
from time import monotonic
from typing import Any, ClassVar

from kombu.transport import filesystem, virtual

from grader.doorbell import Doorbell, ring

TRANSPORT = "grader.folder_queue:Transport"


class Channel(filesystem.Channel):
    """Rings the queue's doorbells after each message written; its connection's after each ack."""

    def _put(self, queue: Any, payload: Any, **kwargs: Any) -> None:  # type: ignore[override]  # as kombu
        super()._put(queue, payload, **kwargs)
        ring(Path(self.transport_options["wake_folder"]))

    def basic_ack(self, delivery_tag: Any, multiple: bool = False) -> None:
        super().basic_ack(delivery_tag, multiple)
        self.connection.wake()

    def basic_reject(self, delivery_tag: Any, requeue: bool = False) -> None:
        super().basic_reject(delivery_tag, requeue)
        self.connection.wake()


class Transport(filesystem.Transport):
    """The filesystem transport whose :meth:`drain_events` waits on a doorbell between looks."""

    Channel = Channel
    # kombu keeps declared exchanges and bindings in one state per process, whatever the folder: a
    # binding declared for one queue folder would be taken as done for another, and messages sent
    # there dropped for want of a route. One state per queue folder (one per process in service).
    _states: ClassVar[dict[str, virtual.BrokerState]] = {}

    def __init__(self, client: Any, **kwargs: Any) -> None:
        super().__init__(client, **kwargs)
        self.state = self._states.setdefault(str(client.transport_options["control_folder"]), virtual.BrokerState())
        self._doorbell: Doorbell | None = None

    def drain_events(self, connection: Any, timeout: float | None = None) -> None:  # type: ignore[override]
        """Deliver one message; raise ``socket.timeout`` when none came within ``timeout``."""
        assert self.client is not None and self.cycle is not None
        if self._doorbell is None:  # bound before the first look: no ring after it can be missed
            self._doorbell = Doorbell(Path(self.client.transport_options["wake_folder"]))
        start = monotonic()
        while True:
            try:
                self.cycle.get(self._deliver, timeout=timeout)
                return
            except Empty:
                left = None if timeout is None else timeout - (monotonic() - start)
                if left is not None and left <= 0:
                    raise TimeoutError() from None  # socket.timeout, what synloop expects
                fallback = self.polling_interval or 1.0
                self._doorbell.wait(fallback if left is None else min(fallback, left))

    def wake(self) -> None:
        """Wake this connection's :meth:`drain_events` (an ack from a pool thread freed a slot)."""
        if self._doorbell is not None:
            self._doorbell.ring()

    def close_connection(self, connection: Any) -> None:
        super().close_connection(connection)
        if self._doorbell is not None:
            self._doorbell.close()
            self._doorbell = None
