"""The interviews table. Submissions point to it (``submissions.interview_id``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from grader.storage.models import Base, utcnow


class Interview(Base):
    """One candidate's interview: which questions, which limits, and where it stands.

    The invite token itself is shown once; only its SHA-256 is kept. ``candidate_key_id`` is a
    ``candidate`` key made for this interview (its secret is never shown: the candidate signs in
    with the invite), so every rule for candidate keys applies to the candidate unchanged.
    """

    __tablename__ = "interviews"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    created_by_key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id"), index=True)
    candidate_name: Mapped[str] = mapped_column(String(200))
    question_ids: Mapped[Any] = mapped_column(JSON)
    time_limit_s: Mapped[int | None] = mapped_column(Integer, nullable=True)
    attempts_limit: Mapped[int | None] = mapped_column(Integer, nullable=True)
    hidden_feedback: Mapped[str | None] = mapped_column(String(20), nullable=True)
    invite_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    candidate_key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # started_at + time_limit_s, kept so that the sweeper finds interviews out of time in one query.
    ends_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    closed_reason: Mapped[str | None] = mapped_column(String(20), nullable=True)
    # Set once, when it was closed and its last counted submission graded: interview.completed was sent.
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True, index=True)
