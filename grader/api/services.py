"""What the API's views need, built once by the app factory and kept on the app."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from flask import current_app
from sqlalchemy.orm import Session, sessionmaker

from grader.api.ratelimit import MemoryRateLimiter, RateLimiter, RedisRateLimiter
from grader.questions.loader import AnyQuestion
from grader.settings import Settings


class Queue(Protocol):
    """Sends a submission id to a worker queue (Celery in the service; a fake in unit tests)."""

    def enqueue(self, submission_id: str, queue: str) -> None: ...
    def deliver(self, delivery_id: str, token: str) -> None: ...
    def ping(self) -> None: ...


class CeleryQueue:
    def __init__(self, settings: Settings) -> None:
        from grader.worker.app import make_celery

        self.app = make_celery(settings)

    def enqueue(self, submission_id: str, queue: str) -> None:
        self.app.send_task("grader.grade_submission", args=[submission_id], queue=queue)

    def deliver(self, delivery_id: str, token: str) -> None:
        from grader.worker.notify import DELIVER_TASK, WEBHOOK_QUEUE

        self.app.send_task(DELIVER_TASK, args=[delivery_id, token], queue=WEBHOOK_QUEUE)

    def ping(self) -> None:
        with self.app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=2)


@dataclass
class Services:
    settings: Settings
    sessions: sessionmaker[Session]
    queue: Queue
    limiter: RateLimiter
    questions: dict[str, AnyQuestion] = field(default_factory=dict)
    sandbox_checked_at: float = -1e9


def make_limiter(settings: Settings) -> RateLimiter:
    url = settings.broker_url or ""
    return RedisRateLimiter(url) if url.startswith(("redis://", "rediss://")) else MemoryRateLimiter()


def services() -> Services:
    found: Services = current_app.extensions["grader"]
    return found
