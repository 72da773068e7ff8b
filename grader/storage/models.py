"""The tables. Reports are stored whole (the interviewer's view) and redacted when read."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class ApiKey(Base):
    """An API key: only its SHA-256 is kept; the key itself is shown once."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    prefix: Mapped[str] = mapped_column(String(16), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    rate_limit_per_min: Mapped[int | None] = mapped_column(Integer, nullable=True)
    callback_secret: Mapped[str | None] = mapped_column(String(100), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Submission(Base):
    """One submission and, once graded, its report."""

    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("key_id", "idempotency_key", name="uq_submission_idempotency"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True, index=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id"), index=True)
    question_id: Mapped[str] = mapped_column(String(64), index=True)
    code: Mapped[str | None] = mapped_column(Text, nullable=True)
    answers: Mapped[Any] = mapped_column(JSON, nullable=True)
    candidate: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)
    meta: Mapped[Any] = mapped_column("metadata", JSON, nullable=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    batch_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    callback_url: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    status: Mapped[str] = mapped_column(String(20), index=True, default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    # Sent to the queue (again) at; a queued row older than a setting is sent again (lost messages).
    queued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # The worker grading it, until when: heartbeats push this on; once it lapses the job is taken back.
    lease_owner: Mapped[str | None] = mapped_column(String(200), nullable=True)
    lease_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    verdict: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    score: Mapped[float | None] = mapped_column(nullable=True)
    max_score: Mapped[float | None] = mapped_column(nullable=True)
    report: Mapped[Any] = mapped_column(JSON, nullable=True)
    grading_s: Mapped[float | None] = mapped_column(nullable=True)
    # The interview it answers (grader/interviews), and whether it is a practice run: graded on the
    # visible cases only and never counted against a limit.
    interview_id: Mapped[str | None] = mapped_column(String(36), ForeignKey("interviews.id"), nullable=True,
                                                     index=True)
    practice: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class WebhookSubscription(Base):
    """A key's subscription: where to send which events, and the secret that signs them."""

    __tablename__ = "webhook_subscriptions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    events: Mapped[Any] = mapped_column(JSON)
    description: Mapped[str | None] = mapped_column(String(500), nullable=True)
    secret: Mapped[str] = mapped_column(String(100))
    previous_secret: Mapped[str | None] = mapped_column(String(100), nullable=True)
    previous_secret_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    failing_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    disabled_reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class WebhookDelivery(Base):
    """One event for one receiver; ``event_id`` is the ``webhook-id`` of every attempt."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(40), index=True)
    subscription_id: Mapped[str | None] = mapped_column(ForeignKey("webhook_subscriptions.id"), nullable=True,
                                                        index=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id"), index=True)
    submission_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    url: Mapped[str] = mapped_column(String(2000))
    event_type: Mapped[str] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True, default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    token: Mapped[str | None] = mapped_column(String(36), nullable=True)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    in_flight_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class WebhookAttempt(Base):
    """One try of a delivery, for the delivery log."""

    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    delivery_id: Mapped[str] = mapped_column(ForeignKey("webhook_deliveries.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    latency_ms: Mapped[float | None] = mapped_column(nullable=True)
    response_head: Mapped[str | None] = mapped_column(String(600), nullable=True)
    error: Mapped[str | None] = mapped_column(String(600), nullable=True)


class WorkerPoolStats(Base):
    """A grading worker's warm-pool figures (``sandbox.pool.PoolStats`` as JSON), published every
    ``pool_stats_every_s`` and removed when its pool closes; ``/metrics`` reads the fresh ones."""

    __tablename__ = "worker_pool_stats"

    worker: Mapped[str] = mapped_column(String(200), primary_key=True)  # host/pid
    stats: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


# The interviews' table lives with its service; registered here so that every user of these tables
# (and Alembic) finds the table that submissions.interview_id refers to.
from grader.interviews import models as _interviews  # noqa: E402, F401
