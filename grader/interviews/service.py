"""The rules of an interview, enforced on the server, for the API and the web app alike.

Every function takes a SQLAlchemy ``Session`` first. An interview takes submissions while it
is open: not closed by hand, its time (counted from the first use of the invite) not up. Each
question takes at most ``attempts_limit`` counted submissions; practice runs (visible cases
only) and the grader's own failures are never counted. An interview is *completed* once it is
closed (by hand, time up, or every attempt used and graded) and none of its counted
submissions waits to be graded: :func:`settle` notices that, exactly once, so that
``interview.completed`` is sent once.
"""

from __future__ import annotations

import hashlib
import math
import secrets
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_, select, text, update
from sqlalchemy.orm import Session

from grader.interviews.models import Interview
from grader.storage.keys import KEY_PREFIX, Caller, hash_key
from grader.storage.models import ApiKey, Submission, utcnow
from grader.views import maybe_utc, utc
from submissions_schema import HiddenFeedback, KeyRole
from submissions_schema.api import BoardRow, InterviewState

PENDING = ("queued", "running")


class InterviewError(Exception):
    """A submission the interview refuses; the message says why, for the candidate."""


class InterviewClosed(InterviewError):
    """Closed by hand, its time up, or every attempt used (API: 403)."""

    def __init__(self, reason: str) -> None:
        words = {"time_up": "its time is up", "attempts_used": "every attempt is used"}.get(reason, "it was closed")
        super().__init__(f"the interview takes no more submissions: {words}")
        self.reason = reason


class AttemptsUsedUp(InterviewError):
    """This question's counted attempts are all used (API: 409)."""


class NotInInterview(InterviewError):
    """The question is not one of the interview's (API: 422)."""


class UnknownQuestions(ValueError):
    """An interview was asked for questions the bank does not hold."""


def hash_token(token: str) -> str:
    # Tokens are 32 random bytes: a plain SHA-256 is enough (no dictionary to attack).
    return hashlib.sha256(token.encode()).hexdigest()


def create_interview(
    session: Session, creator: Caller, candidate_name: str, question_ids: list[str],
    time_limit_s: int | None = None, attempts_limit: int | None = None,
    hidden_feedback: HiddenFeedback | None = None, *, bank: Collection[str] | None = None,
) -> tuple[Interview, str]:
    """Store a new interview and its candidate key; return it and the invite token (shown once).

    With ``bank``, question ids outside it raise :class:`UnknownQuestions`.
    """
    unknown = [q for q in question_ids if bank is not None and q not in bank]
    if unknown:
        raise UnknownQuestions(f"unknown question '{unknown[0][:64]}'")
    token = secrets.token_urlsafe(32)
    unused = KEY_PREFIX + secrets.token_urlsafe(32)  # never shown: the candidate signs in with the invite
    key = ApiKey(name=candidate_name, role=KeyRole.candidate.value, prefix=unused[:10], key_hash=hash_key(unused))
    session.add(key)
    session.flush()
    row = Interview(
        id=str(uuid.uuid4()), created_by_key_id=creator.key_id, candidate_name=candidate_name,
        question_ids=list(question_ids), time_limit_s=time_limit_s, attempts_limit=attempts_limit,
        hidden_feedback=hidden_feedback, invite_token_hash=hash_token(token), candidate_key_id=key.id,
        created_at=utcnow(),
    )
    session.add(row)
    session.commit()
    return row, token


def by_token(session: Session, token: str) -> Interview | None:
    if not token or len(token) > 200:
        return None
    return session.scalar(select(Interview).where(Interview.invite_token_hash == hash_token(token)))


def get(session: Session, interview_id: str) -> Interview | None:
    return session.get(Interview, interview_id[:64])


def for_candidate_key(session: Session, key_id: int) -> Interview | None:
    """The interview whose candidate key is ``key_id`` (``None`` for any other key)."""
    return session.scalar(select(Interview).where(Interview.candidate_key_id == key_id))


def list_for(session: Session, caller: Caller) -> list[Interview]:
    """Newest first: an admin sees every interview, a candidate its own, any other key those it created."""
    query = select(Interview).order_by(Interview.created_at.desc(), Interview.id)
    if caller.role is KeyRole.candidate:
        query = query.where(Interview.candidate_key_id == caller.key_id)
    elif caller.role is not KeyRole.admin:
        query = query.where(Interview.created_by_key_id == caller.key_id)
    return list(session.scalars(query))


def start(session: Session, interview: Interview) -> Interview:
    """Start the clock on first use (the invite opened, or a first submission); later calls change nothing."""
    if interview.started_at is None:
        session.execute(update(Interview).where(Interview.id == interview.id, Interview.started_at.is_(None))
                        .values(**_started(interview, utcnow())).execution_options(synchronize_session=False))
        session.commit()
        session.refresh(interview)
    return interview


def _started(interview: Interview, now: datetime) -> dict[str, datetime | None]:
    limit = interview.time_limit_s
    return {"started_at": now, "ends_at": None if limit is None else now + timedelta(seconds=limit)}


def deadline(interview: Interview) -> datetime | None:
    """When its time is up: ``None`` without a time limit or before it started."""
    return maybe_utc(interview.ends_at)


def state(interview: Interview, now: datetime) -> InterviewState:
    """Open or not, why not, and the whole seconds left (the full limit before it started)."""
    ends = deadline(interview)
    left = None if interview.time_limit_s is None else interview.time_limit_s
    if ends is not None:
        left = max(0, math.ceil((ends - now).total_seconds()))
    if interview.closed_at is not None:
        return InterviewState(open=False, reason=interview.closed_reason or "closed",  # type: ignore[arg-type]
                              seconds_left=None if left is None else 0)
    if left == 0 and ends is not None:
        return InterviewState(open=False, reason="time_up", seconds_left=0)
    return InterviewState(open=True, seconds_left=left)


def _counted(interview_id: str) -> ColumnElement[bool]:
    return and_(Submission.interview_id == interview_id, Submission.practice.is_(False),
                Submission.status != "failed")


def attempts_left(session: Session, interview: Interview, question_id: str) -> int | None:
    """Counted submissions this question may still take; ``None`` without a limit."""
    if interview.attempts_limit is None:
        return None
    used = session.scalars(select(Submission.id).where(_counted(interview.id),
                                                       Submission.question_id == question_id)).all()
    return max(0, interview.attempts_limit - len(used))


def refusal(session: Session, interview: Interview, question_id: str, practice: bool,
            now: datetime) -> InterviewError | None:
    """Why the interview refuses this submission now, or ``None``; reads only."""
    if question_id not in interview.question_ids:
        return NotInInterview(f"question_id: '{question_id[:64]}' is not one of this interview's questions")
    current = state(interview, now)
    if not current.open:
        return InterviewClosed(current.reason or "closed")
    if not practice and attempts_left(session, interview, question_id) == 0:
        return AttemptsUsedUp(f"question_id: every attempt at '{question_id}' is used "
                              f"({interview.attempts_limit} allowed); practice runs are still allowed")
    return None


def admit_submission(session: Session, interview: Interview, question_id: str, practice: bool) -> None:
    """Raise :class:`InterviewClosed`, :class:`AttemptsUsedUp` or :class:`NotInInterview` when the
    interview refuses the submission; otherwise start its clock (first use). Time found up closes it."""
    problem = refusal(session, interview, question_id, practice, utcnow())
    if isinstance(problem, InterviewClosed) and interview.closed_at is None:
        close(session, interview, problem.reason, deadline(interview))
    if problem is not None:
        raise problem
    start(session, interview)


def admit_locked(session: Session, interview_id: str, question_id: str, practice: bool) -> Interview:
    """:func:`admit_submission` inside the caller's transaction, the interview locked until it commits.

    Two submissions checked at once cannot both take the last attempt: PostgreSQL locks the
    interview's row; SQLite takes its write lock (call this before the transaction writes).
    Marks the interview started; never commits.
    """
    if session.get_bind().dialect.name == "sqlite":
        dbapi = session.connection().connection.dbapi_connection
        if dbapi is not None and not dbapi.in_transaction:  # a write already began holds the lock
            session.execute(text("BEGIN IMMEDIATE"))
    interview = session.scalar(select(Interview).where(Interview.id == interview_id).with_for_update())
    if interview is None:
        raise NotInInterview(f"interview_id: no interview '{interview_id[:64]}'")
    problem = refusal(session, interview, question_id, practice, utcnow())
    if problem is not None:
        raise problem
    if interview.started_at is None:
        for name, value in _started(interview, utcnow()).items():
            setattr(interview, name, value)
    return interview


def close(session: Session, interview: Interview, reason: str = "closed", at: datetime | None = None) -> Interview:
    """Close it (once: a closed interview keeps its first reason); it takes no more submissions."""
    session.execute(update(Interview).where(Interview.id == interview.id, Interview.closed_at.is_(None))
                    .values(closed_at=at or utcnow(), closed_reason=reason)
                    .execution_options(synchronize_session=False))
    session.commit()
    session.refresh(interview)
    return interview


@dataclass(frozen=True)
class _Row:
    id: str
    question_id: str
    status: str
    practice: bool
    score: float | None
    max_score: float | None
    verdict: str | None
    created_at: datetime


def _rows(session: Session, interview: Interview) -> list[_Row]:
    found = session.execute(
        select(Submission.id, Submission.question_id, Submission.status, Submission.practice, Submission.score,
               Submission.max_score, Submission.verdict, Submission.created_at)
        .where(Submission.interview_id == interview.id).order_by(Submission.seq))
    return [_Row(*r) for r in found]


def board(session: Session, interview: Interview) -> list[BoardRow]:
    """Per question, in the interview's order: counted attempts, the best (highest score, first
    reached), pending ones, practice runs, and the time from the start to its last attempt."""
    rows = _rows(session, interview)
    return [_board_row(interview, q, [r for r in rows if r.question_id == q]) for q in interview.question_ids]


def _board_row(interview: Interview, question_id: str, rows: list[_Row]) -> BoardRow:
    counted = [r for r in rows if not r.practice and r.status != "failed"]
    graded = [r for r in counted if r.status == "completed" and r.score is not None]
    best = max(graded, key=lambda r: r.score or 0.0, default=None)  # max keeps the first of equals
    started = maybe_utc(interview.started_at)
    used = None
    if counted and started is not None:
        used = max(0, int((utc(counted[-1].created_at) - started).total_seconds()))
    limit = interview.attempts_limit
    return BoardRow(
        question_id=question_id, attempts=len(counted),
        attempts_left=None if limit is None else max(0, limit - len(counted)),
        pending=sum(r.status in PENDING for r in counted), practice_runs=sum(r.practice for r in rows),
        best_score=best.score if best else None, max_score=best.max_score if best else None,
        verdict=best.verdict if best else None, best_submission_id=best.id if best else None,
        last_submission_id=counted[-1].id if counted else None, time_used_s=used,
    )


def settle(session: Session, interview: Interview, now: datetime | None = None) -> bool:
    """Bring the stored state up to date; ``True`` when this call completed the interview.

    Closes it when its time is up (at the deadline) or when every question's attempts are used
    and graded; then, once it is closed and no counted submission waits, marks it completed.
    Exactly one caller, across processes, gets ``True`` (it sends ``interview.completed``).
    """
    now = now or utcnow()
    if interview.completed_at is not None:
        return False
    rows = board(session, interview)
    if interview.closed_at is None:
        current = state(interview, now)
        if current.reason == "time_up":
            close(session, interview, "time_up", deadline(interview))
        elif interview.attempts_limit is not None and all(r.attempts_left == 0 and not r.pending for r in rows):
            close(session, interview, "attempts_used", now)
    if interview.closed_at is None or any(r.pending for r in rows):
        return False
    done = session.execute(update(Interview).where(Interview.id == interview.id, Interview.completed_at.is_(None))
                           .values(completed_at=now).execution_options(synchronize_session=False))
    session.commit()
    session.refresh(interview)
    return bool(done.rowcount)  # type: ignore[attr-defined]


def unsettled(session: Session, now: datetime, limit: int = 200) -> list[Interview]:
    """Interviews :func:`settle` may complete: not completed yet, and closed or out of time."""
    if session.get_bind().dialect.name == "sqlite":
        now = now.replace(tzinfo=None)  # SQLite keeps naive UTC times
    query = select(Interview).where(
        Interview.completed_at.is_(None), or_(Interview.closed_at.is_not(None), Interview.ends_at <= now),
    ).order_by(Interview.created_at).limit(limit)
    return list(session.scalars(query))
