"""Turning a finished submission into deliveries (one per matching subscription, and its callback), and a
completed interview into its ``interview.completed`` deliveries."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from grader.interviews.models import Interview
from grader.interviews.service import board
from grader.interviews.views import interview_view
from grader.storage.models import ApiKey, Submission, WebhookDelivery, WebhookSubscription, utcnow
from grader.views import submission_view, whole_seconds
from submissions_schema import KeyRole
from submissions_schema.api import InterviewEvent, WebhookEvent


def event_type(submission: Submission) -> str:
    return "submission.completed" if submission.status == "completed" else "submission.failed"


def event_body(submission: Submission, role: KeyRole, at: datetime, kind: str | None = None) -> str:
    """The event as its receiver may see it (a candidate key's events carry the candidate view,
    and times in whole seconds)."""
    stamp = at if role.sees_full_reports else whole_seconds(at)
    event = WebhookEvent(type=kind or event_type(submission), timestamp=stamp,  # type: ignore[arg-type]
                         data=submission_view(submission, role))
    return event.model_dump_json()


def deliveries_for(session: Session, submission: Submission, kind: str | None = None) -> list[str]:
    """Create the deliveries of ``submission``'s event (``kind``: by default the one its status
    says); return their ids (to be sent).

    Receivers: the subscriptions of the submitting key, of admin keys, and of the key that created
    the submission's interview (if any).
    """
    kind = kind or event_type(submission)
    now = utcnow()
    owner = session.get(ApiKey, submission.key_id)
    interview = session.get(Interview, submission.interview_id) if submission.interview_id else None
    readers = {submission.key_id} | ({interview.created_by_key_id} if interview is not None else set())
    query = select(WebhookSubscription, ApiKey).join(ApiKey, WebhookSubscription.key_id == ApiKey.id).where(
        WebhookSubscription.deleted_at.is_(None), WebhookSubscription.disabled_at.is_(None),
        ApiKey.revoked_at.is_(None),
    )
    created = []
    for subscription, key in session.execute(query):
        sees_all = key.role == KeyRole.admin.value
        if kind in subscription.events and (sees_all or key.id in readers):
            created.append(_delivery(session, submission, kind, subscription.url, key, subscription.id, now))
    if submission.callback_url and owner is not None:
        created.append(_delivery(session, submission, kind, submission.callback_url, owner, None, now))
    session.commit()
    return created


def _delivery(session: Session, submission: Submission, kind: str, url: str, key: ApiKey,
              subscription_id: str | None, now: datetime) -> str:
    return _add(session, kind, url, key, subscription_id, now, event_body(submission, KeyRole(key.role), now, kind),
                submission.id)


def _add(session: Session, kind: str, url: str, key: ApiKey, subscription_id: str | None, now: datetime,
         body: str, submission_id: str | None) -> str:
    row = WebhookDelivery(
        id=str(uuid.uuid4()), event_id=f"msg_{uuid.uuid4().hex}", subscription_id=subscription_id, key_id=key.id,
        submission_id=submission_id, url=url, event_type=kind, body=body,
        status="pending", attempts=0, created_at=now, next_attempt_at=now,
    )
    session.add(row)
    return row.id


def interview_deliveries(session: Session, interview: Interview) -> list[str]:
    """Create the deliveries of ``interview.completed``: to the subscriptions of the key that created the
    interview and of admin keys; return their ids (to be sent). The event carries the interview and
    its board in full (every receiver is staff)."""
    kind = "interview.completed"
    now = utcnow()
    data = interview_view(interview, KeyRole.admin, now, board(session, interview))
    body = InterviewEvent(timestamp=now, data=data).model_dump_json()
    query = select(WebhookSubscription, ApiKey).join(ApiKey, WebhookSubscription.key_id == ApiKey.id).where(
        WebhookSubscription.deleted_at.is_(None), WebhookSubscription.disabled_at.is_(None),
        ApiKey.revoked_at.is_(None),
    )
    created = [
        _add(session, kind, subscription.url, key, subscription.id, now, body, None)
        for subscription, key in session.execute(query)
        if kind in subscription.events and (key.role == KeyRole.admin.value or key.id == interview.created_by_key_id)
    ]
    session.commit()
    return created
