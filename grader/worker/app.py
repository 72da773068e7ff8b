"""The Celery app factory: queues ``cpu`` and ``gpu``, late acknowledgement, one job prefetched.

The message is the submission id alone. Without a broker server (embedded mode) a
local folder carries the queue, so one machine needs neither Redis nor Docker.
"""

from __future__ import annotations

from celery import Celery

from grader.queueing import broker_options, broker_transport, queue_for
from grader.settings import Settings

__all__ = ["broker_options", "make_celery", "queue_for"]


def make_celery(settings: Settings) -> Celery:
    """A Celery app configured from ``settings``; the grading task is registered on it."""
    url, options = broker_options(settings)
    app = Celery("grader", broker=url, set_as_current=False)
    app.conf.update(
        broker_transport=broker_transport(settings),
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

