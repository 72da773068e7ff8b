"""The queue seam: what the API sends to workers, and how, without importing the worker.

A message is a task name and ids only. :class:`CeleryQueue` sends tasks by name on a bare
Celery app (no task registered, nothing of ``grader.worker`` imported) and fails fast when
the broker is gone, so a request never hangs on it: the submission is stored first and a
sweeper re-sends what could not be sent. Tests above this seam pass a fake ``Queue``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from grader.settings import Settings

if TYPE_CHECKING:
    from celery import Celery

GRADE_TASK = "grader.grade_submission"
DELIVER_TASK = "grader.deliver_webhook"
WEBHOOK_QUEUE = "webhooks"


class Queue(Protocol):
    """Sends ids to worker queues (Celery in the service; a fake in tests above it)."""

    def enqueue(self, submission_id: str, queue: str) -> None:
        """Send a submission to be graded; raises when the broker cannot take it."""
        ...

    def deliver(self, delivery_id: str, token: str) -> None:
        """Send a webhook delivery attempt; raises when the broker cannot take it."""
        ...

    def ping(self) -> None:
        """Return if the broker answers; raise otherwise."""
        ...


def queue_for(device: str | None) -> str:
    """GPU questions go to the ``gpu`` queue; everything else to ``cpu``."""
    return "gpu" if device == "gpu" else "cpu"


def broker_options(settings: Settings) -> tuple[str, dict[str, Any]]:
    """The broker URL and its transport options (shared by the API and the workers)."""
    if settings.broker_url is not None:
        visibility = settings.broker_visibility_timeout_s
        # Kombu scans for unacknowledged jobs of dead workers once every ten restore intervals:
        # keep that scan well inside the visibility timeout.
        options: dict[str, Any] = {
            "visibility_timeout": visibility,
            "unacked_restore_interval": min(10.0, visibility / 20),
        }
        return settings.broker_url, options
    from grader.doorbell import socket_folder

    folder = settings.data_dir / "queue"
    for sub in ("messages", "processed", "control"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    options = {
        "data_folder_in": str(folder / "messages"),
        "data_folder_out": str(folder / "messages"),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),  # kombu's default is ./control, in the current folder
        "store_processed": False,
        # Consumers wait on a doorbell that publishers ring (grader.folder_queue); the interval is the fallback.
        "wake_folder": str(socket_folder(folder / "wake", "queue")),
        "polling_interval": settings.queue_poll_s,
    }
    return "filesystem://", options


def broker_transport(settings: Settings) -> str | None:
    """Celery's ``broker_transport``: the embedded queue's own, or ``None`` (the URL's scheme decides)."""
    from grader.folder_queue import TRANSPORT

    return None if settings.broker_url is not None else TRANSPORT


def publishing_app(settings: Settings) -> Celery:
    """A Celery app that only sends: short broker timeouts and one quick retry, never a long wait."""
    from celery import Celery

    url, options = broker_options(settings)
    timeout = settings.broker_timeout_s
    if settings.broker_url is not None:
        # Redis client sockets: connecting and each command give up after ``timeout``.
        options = {**options, "socket_connect_timeout": timeout, "socket_timeout": timeout,
                   "max_retries": 1, "interval_start": 0, "interval_step": 0.1, "interval_max": 0.1}
    app = Celery("grader-publisher", broker=url, set_as_current=False)
    app.conf.update(
        broker_transport=broker_transport(settings),
        broker_transport_options=options,
        broker_connection_timeout=timeout,
        broker_connection_retry=False,
        broker_connection_max_retries=1,
        task_publish_retry=True,
        # One retry covers a pooled connection that went stale when Redis restarted.
        task_publish_retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.1,
                                   "interval_max": 0.1},
        task_serializer="json",
        accept_content=["json"],
    )
    return app


class CeleryQueue:
    """The production queue: Celery messages sent by task name."""

    def __init__(self, settings: Settings) -> None:
        self.app = publishing_app(settings)
        self.timeout_s = settings.broker_timeout_s

    def enqueue(self, submission_id: str, queue: str) -> None:
        self.app.send_task(GRADE_TASK, args=[submission_id], queue=queue)

    def deliver(self, delivery_id: str, token: str) -> None:
        self.app.send_task(DELIVER_TASK, args=[delivery_id, token], queue=WEBHOOK_QUEUE)

    def ping(self) -> None:
        with self.app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=self.timeout_s)
