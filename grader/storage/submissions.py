"""Submissions: created idempotently, claimed by workers, completed exactly once."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from grader.storage.models import Submission, utcnow
from submissions_schema import GradeReport
from submissions_schema.api import SubmissionCreate


class IdempotencyConflict(Exception):
    """The same Idempotency-Key was used with another body."""


def request_hash(body: SubmissionCreate) -> str:
    return hashlib.sha256(json.dumps(body.model_dump(), sort_keys=True).encode()).hexdigest()


def create(
    session: Session, key_id: int, body: SubmissionCreate, idempotency_key: str | None = None,
    batch_id: str | None = None, *, commit: bool = True,
) -> tuple[Submission, bool]:
    """Store a queued submission; with a known idempotency key, return the existing one.

    Returns ``(submission, created)``. Raises :class:`IdempotencyConflict` when the
    key was used with a different body. With ``commit=False`` the row is only flushed:
    the caller commits several in one transaction, and a concurrent request that stored
    the same idempotency key first surfaces as :class:`IntegrityError`.
    """
    digest = request_hash(body)
    if idempotency_key is not None:
        existing = _by_idempotency(session, key_id, idempotency_key)
        if existing is not None:
            return _same_or_conflict(existing, digest), False
    row = Submission(
        id=str(uuid.uuid4()), key_id=key_id, question_id=body.question_id, code=body.code, answers=body.answers,
        candidate=body.candidate, meta=body.metadata, idempotency_key=idempotency_key, request_hash=digest,
        batch_id=batch_id, callback_url=body.callback_url, status="queued", attempts=0, created_at=utcnow(),
    )
    session.add(row)
    if not commit:
        session.flush()
        return row, True
    try:
        session.commit()
    except IntegrityError:  # a concurrent request with the same idempotency key won
        session.rollback()
        existing = _by_idempotency(session, key_id, idempotency_key or "")
        if existing is None:
            raise
        return _same_or_conflict(existing, digest), False
    return row, True


def _by_idempotency(session: Session, key_id: int, idempotency_key: str) -> Submission | None:
    return session.scalar(
        select(Submission).where(Submission.key_id == key_id, Submission.idempotency_key == idempotency_key)
    )


def _same_or_conflict(existing: Submission, digest: str) -> Submission:
    if existing.request_hash != digest:
        raise IdempotencyConflict(existing.id)
    return existing


def get(session: Session, submission_id: str) -> Submission | None:
    return session.scalar(select(Submission).where(Submission.id == submission_id))


@dataclass(frozen=True)
class Filters:
    question_id: str | None = None
    candidate: str | None = None
    status: str | None = None
    batch_id: str | None = None
    key_id: int | None = None


def page(session: Session, filters: Filters, limit: int, after_seq: int | None) -> list[Submission]:
    """Newest first; ``after_seq`` continues a previous page."""
    query = select(Submission).order_by(Submission.seq.desc()).limit(limit)
    for column, value in (
        (Submission.question_id, filters.question_id), (Submission.candidate, filters.candidate),
        (Submission.status, filters.status), (Submission.batch_id, filters.batch_id),
        (Submission.key_id, filters.key_id),
    ):
        if value is not None:
            query = query.where(column == value)
    if after_seq is not None:
        query = query.where(Submission.seq < after_seq)
    return list(session.scalars(query))


def queue_depth(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Submission).where(Submission.status == "queued")) or 0


def claim(session: Session, submission_id: str) -> Submission | None:
    """Start an attempt: count it and mark the submission running. ``None`` when it is already done."""
    result = session.execute(
        update(Submission)
        .where(Submission.id == submission_id, Submission.status.in_(("queued", "running")))
        .values(status="running", attempts=Submission.attempts + 1, started_at=utcnow())
    )
    session.commit()
    if result.rowcount == 0:  # type: ignore[attr-defined]
        return None
    return get(session, submission_id)


def finish(session: Session, submission_id: str, report: GradeReport, status: str = "completed") -> bool:
    """Store the report unless one is stored already: exactly one report per submission."""
    now = utcnow()
    row = get(session, submission_id)
    started = row.started_at if row is not None else None
    result = session.execute(
        update(Submission)
        .where(Submission.id == submission_id, Submission.status.not_in(("completed", "failed")))
        .values(
            status=status, completed_at=now, verdict=report.verdict.value, score=report.score,
            max_score=report.max_score, report=report.model_dump(mode="json"),
            grading_s=_seconds(started, now),
        )
    )
    session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def _seconds(start: datetime | None, end: datetime) -> float | None:
    if start is None:
        return None
    if start.tzinfo is None:  # SQLite gives naive datetimes back
        end = end.replace(tzinfo=None)
    return (end - start).total_seconds()


def verdict_counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(Submission.verdict, func.count()).group_by(Submission.verdict))
    return {verdict: count for verdict, count in rows if verdict is not None}


def duration_histogram(session: Session, bounds: list[float]) -> tuple[list[int], int, float]:
    """Cumulative counts of grading durations at or under each bound, the count and the sum."""
    done = Submission.grading_s.is_not(None)
    columns = [func.sum(case((Submission.grading_s <= b, 1), else_=0)) for b in bounds]
    row = session.execute(
        select(*columns, func.count(Submission.grading_s), func.sum(Submission.grading_s)).where(done)
    ).one()
    return [int(x or 0) for x in row[: len(bounds)]], int(row[-2] or 0), float(row[-1] or 0.0)
