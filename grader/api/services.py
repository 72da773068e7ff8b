"""What the API's views need, built once by the app factory and kept on the app."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy.orm import Session, sessionmaker

from grader.api.ratelimit import RateLimiter
from grader.questions.loader import AnyQuestion
from grader.queueing import Queue
from grader.settings import Settings


@dataclass
class Services:
    settings: Settings
    sessions: sessionmaker[Session]
    queue: Queue
    limiter: RateLimiter
    questions: dict[str, AnyQuestion] = field(default_factory=dict)
    sandbox_checked_at: float = -1e9


def services() -> Services:
    found: Services = current_app.extensions["grader"]
    return found
