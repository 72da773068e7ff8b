"""How many submissions a candidate key may make to one question: in any hour, and in all.

``GRADER_CANDIDATE_SUBMISSIONS_PER_HOUR`` and ``GRADER_CANDIDATE_SUBMISSIONS_MAX``
(0: no limit). Each submission is one more look at the hidden tests' aggregate, so
the number of looks is what bounds what a candidate can learn of them. Counted from
the stored submissions, so every API process agrees and a restart forgets nothing;
``failed`` ones (the grader's fault) and practice runs (visible cases only) do not count.
Staff keys are never limited here.
Two requests of one key checked at the same instant may both pass: the per-key rate
limit bounds how many can.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from flask import request
from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from grader.api.auth import caller
from grader.api.problems import ApiError
from grader.api.services import services
from grader.storage.keys import KeyRole
from grader.storage.models import Submission, utcnow
from grader.views import utc

WINDOW = timedelta(hours=1)


def check_candidate_quota(question_id: str) -> None:
    """Refuse a candidate key's new submission to ``question_id`` past its limits.

    ``403`` once the key has made ``candidate_submissions_max`` submissions to the
    question (final: waiting does not help); ``429`` with ``Retry-After`` while it has
    made ``candidate_submissions_per_hour`` in the last hour. A replayed
    ``Idempotency-Key`` creates nothing and is let through.
    """
    who = caller()
    settings = services().settings
    per_hour, most = settings.candidate_submissions_per_hour, settings.candidate_submissions_max
    if who.role is not KeyRole.candidate or not (per_hour or most):
        return
    with services().sessions() as session:
        if _is_replay(session, who.key_id):
            return
        if most and _count(session, who.key_id, question_id) >= most:
            raise ApiError(403, "Forbidden", f"question_id: this key has made the {most} submissions allowed "
                           f"to '{question_id}'; no more are accepted")
        if per_hour:
            _check_rate(session, who.key_id, question_id, per_hour)


def _check_rate(session: Session, key_id: int, question_id: str, per_hour: int) -> None:
    now = utcnow()
    recent = session.scalars(
        select(Submission.created_at).where(_counted(key_id, question_id), Submission.created_at > now - WINDOW)
        .order_by(Submission.created_at).limit(per_hour)
    ).all()
    if len(recent) >= per_hour:
        wait_s = _seconds_until(utc(recent[0]) + WINDOW, now)
        raise ApiError(429, "Too Many Requests", f"question_id: at most {per_hour} submissions an hour to "
                       f"'{question_id}'; the next is accepted in {wait_s} s", {"Retry-After": str(wait_s)})


def _counted(key_id: int, question_id: str) -> ColumnElement[bool]:
    # Practice runs run the visible cases only: they are no look at the hidden tests.
    return and_(Submission.key_id == key_id, Submission.question_id == question_id, Submission.status != "failed",
                Submission.practice.is_(False))


def _count(session: Session, key_id: int, question_id: str) -> int:
    counted = select(func.count()).select_from(Submission).where(_counted(key_id, question_id))
    return int(session.execute(counted).scalar_one())


def _is_replay(session: Session, key_id: int) -> bool:
    key = request.headers.get("Idempotency-Key")
    if not key:
        return False
    found = session.scalar(select(Submission.id).where(Submission.key_id == key_id,
                                                       Submission.idempotency_key == key[:200]))
    return found is not None


def _seconds_until(moment: datetime, now: datetime) -> int:
    return max(1, math.ceil((moment - now).total_seconds()))
