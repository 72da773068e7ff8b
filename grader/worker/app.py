"""The Celery app factory: queues ``cpu`` and ``gpu``, late acknowledgement, one job prefetched.

The message is the submission id alone. Without a broker server (embedded mode) a
local folder carries the queue, so one machine needs neither Redis nor Docker.
"""

from __future__ import annotations

from typing import Any

from celery import Celery

from grader.settings import Settings


def broker_options(settings: Settings) -> tuple[str, dict[str, Any]]:
    """The broker URL and its transport options."""
    if settings.broker_url is not None:
        visibility = settings.broker_visibility_timeout_s
        # Kombu scans for unacknowledged jobs of dead workers once every ten restore intervals:
        # keep that scan well inside the visibility timeout.
        options: dict[str, Any] = {
            "visibility_timeout": visibility,
            "unacked_restore_interval": min(10.0, visibility / 20),
        }
        return settings.broker_url, options
    folder = settings.data_dir / "queue"
    for sub in ("messages", "processed", "control"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    options = {
        "data_folder_in": str(folder / "messages"),
        "data_folder_out": str(folder / "messages"),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),  # kombu's default is ./control, in the current folder
        "store_processed": False,
        "polling_interval": 0.1,
    }
    return "filesystem://", options


def make_celery(settings: Settings) -> Celery:
    """A Celery app configured from ``settings``; the grading task is registered on it."""
    url, options = broker_options(settings)
    app = Celery("grader", broker=url, set_as_current=False)
    app.conf.update(
        broker_transport_options=options,
        broker_connection_retry_on_startup=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_time_limit=settings.task_time_limit_s,
        task_soft_time_limit=settings.task_time_limit_s - 5,
        task_default_queue="cpu",
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        worker_hijack_root_logger=False,
        worker_cancel_long_running_tasks_on_connection_loss=True,
    )
    from grader.worker.tasks import register

    register(app, settings)
    return app


def queue_for(device: str | None) -> str:
    """GPU questions go to the ``gpu`` queue; everything else to ``cpu``."""
    return "gpu" if device == "gpu" else "cpu"
