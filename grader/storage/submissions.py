"""Submissions: created idempotently, claimed by workers, completed exactly once."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, and_, case, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from grader.storage.db import sweep_lock
from grader.storage.models import Submission, utcnow
from submissions_schema import GradeReport
from submissions_schema.api import SubmissionCreate


class IdempotencyConflict(Exception):
    """The same Idempotency-Key was used with another body."""


def request_hash(body: SubmissionCreate) -> str:
    data = body.model_dump()
    for name in ("interview_id", "practice"):  # fields added later: left out unless set, so stored hashes still match
        if not data[name]:
            del data[name]
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


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
    now = utcnow()
    if idempotency_key is not None:
        existing = _by_idempotency(session, key_id, idempotency_key)
        if existing is not None:
            return _same_or_conflict(existing, digest), False
    row = Submission(
        id=str(uuid.uuid4()), key_id=key_id, question_id=body.question_id, code=body.code, answers=body.answers,
        candidate=body.candidate, meta=body.metadata, idempotency_key=idempotency_key, request_hash=digest,
        batch_id=batch_id, callback_url=body.callback_url, status="queued", attempts=0, created_at=now, queued_at=now,
        interview_id=body.interview_id, practice=body.practice,
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
    interview_id: str | None = None


def page(session: Session, filters: Filters, limit: int, after_seq: int | None) -> list[Submission]:
    """Newest first; ``after_seq`` continues a previous page."""
    query = select(Submission).order_by(Submission.seq.desc()).limit(limit)
    for column, value in (
        (Submission.question_id, filters.question_id), (Submission.candidate, filters.candidate),
        (Submission.status, filters.status), (Submission.batch_id, filters.batch_id),
        (Submission.key_id, filters.key_id), (Submission.interview_id, filters.interview_id),
    ):
        if value is not None:
            query = query.where(column == value)
    if after_seq is not None:
        query = query.where(Submission.seq < after_seq)
    return list(session.scalars(query))


def queue_depth(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Submission).where(Submission.status == "queued")) or 0


def claim(session: Session, submission_id: str, owner: str, lease_s: float) -> Submission | None:
    """Start an attempt: count it, mark the submission running and lease it to ``owner``.

    Only a queued submission, or a running one whose lease lapsed (its worker died), can be
    claimed: ``None`` when it is done or a live worker holds it (a duplicate message ends here).
    """
    now = utcnow()
    result = session.execute(
        update(Submission)
        .where(Submission.id == submission_id, or_(Submission.status == "queued", _lapsed(session, now)))
        .values(status="running", attempts=Submission.attempts + 1, started_at=now, lease_owner=owner,
                lease_expires_at=now + timedelta(seconds=lease_s))
        .execution_options(synchronize_session=False)
    )
    session.commit()
    if result.rowcount == 0:  # type: ignore[attr-defined]
        return None
    return get(session, submission_id)


def renew(session: Session, submission_ids: Collection[str], owner: str, lease_s: float) -> int:
    """A heartbeat: extend ``owner``'s leases on ``submission_ids``; how many it still holds."""
    if not submission_ids:
        return 0
    result = session.execute(
        update(Submission)
        .where(Submission.id.in_(list(submission_ids)), Submission.status == "running",
               Submission.lease_owner == owner)
        .values(lease_expires_at=utcnow() + timedelta(seconds=lease_s))
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return int(result.rowcount)  # type: ignore[attr-defined]


def release(session: Session, submission_id: str, owner: str) -> bool:
    """Give a claimed submission back to the queue (to be retried): queued again, no lease."""
    result = session.execute(
        update(Submission)
        .where(Submission.id == submission_id, Submission.status == "running", Submission.lease_owner == owner)
        .values(status="queued", lease_owner=None, lease_expires_at=None, queued_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


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
            grading_s=_seconds(started, now), lease_owner=None, lease_expires_at=None,
        )
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def replace_report(session: Session, submission_id: str, report: GradeReport) -> None:
    """Store a changed report of a completed submission (an interviewer's score): score and verdict follow."""
    session.execute(
        update(Submission)
        .where(Submission.id == submission_id, Submission.status == "completed")
        .values(verdict=report.verdict.value, score=report.score, report=report.model_dump(mode="json"))
        .execution_options(synchronize_session=False)
    )
    session.commit()


RESEND_BACKOFF_MAX = 8  # a row still queued is sent again after R, 2R, 4R, 8R, then every 8R (R: resend_after_s)


def take_back(session: Session, resend_after_s: float, limit: int = 500) -> list[tuple[str, str]]:
    """Queue again what was lost; return ``(id, question_id)`` of each, to be sent to the queue.

    Lost: running with a lapsed lease (its worker died or cannot reach the database), or
    queued and not sent again for a while (the broker lost the message, or it was never sent):
    ``resend_after_s`` after it was sent, then twice as long each time up to
    :data:`RESEND_BACKOFF_MAX` times, so that a long backlog is not flooded with duplicates.
    One sweep at a time across processes (:func:`sweep_lock`): another sweep running now
    makes this one return nothing.
    """
    if not sweep_lock(session):
        session.rollback()
        return []
    now = utcnow()
    sent = func.coalesce(Submission.queued_at, Submission.created_at)
    cutoff = _db_time(session, now - timedelta(seconds=resend_after_s))
    candidates = session.execute(
        select(Submission.id, Submission.question_id, Submission.status, Submission.created_at, sent.label("sent"))
        .where(or_(and_(Submission.status == "queued", sent < cutoff), _lapsed(session, now)))
        .order_by(sent).limit(limit)
    ).all()
    rows = [(r.id, r.question_id) for r in candidates
            if r.status == "running" or _resend_due(_aware(r.created_at), _aware(r.sent), now, resend_after_s)]
    if rows:
        session.execute(
            update(Submission).where(Submission.id.in_([r[0] for r in rows]))
            .values(status="queued", lease_owner=None, lease_expires_at=None, queued_at=now)
            .execution_options(synchronize_session=False)
        )
    session.commit()
    return rows


def _resend_due(created: datetime, sent: datetime, now: datetime, resend_after_s: float) -> bool:
    gap = min(max(resend_after_s, (sent - created).total_seconds()), RESEND_BACKOFF_MAX * resend_after_s)
    return (now - sent).total_seconds() >= gap


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _lapsed(session: Session, now: datetime) -> ColumnElement[bool]:
    """Running, and its lease lapsed (or it has none: claimed before leases existed)."""
    expiry = Submission.lease_expires_at
    return and_(Submission.status == "running", or_(expiry.is_(None), expiry < _db_time(session, now)))


def _db_time(session: Session, moment: datetime) -> datetime:
    # SQLite keeps naive UTC datetimes (as text); PostgreSQL compares aware ones.
    return moment.replace(tzinfo=None) if session.get_bind().dialect.name == "sqlite" else moment


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
