"""Turning a finished submission into deliveries (one per matching subscription, and its callback), and
when it was the last of its batch to end, the batch's ``batch.completed``; a completed interview into its
``interview.completed`` deliveries."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime
from typing import Final

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from grader.batches import read_batch
from grader.interviews.models import Interview
from grader.interviews.service import board
from grader.interviews.views import interview_view
from grader.storage.models import ApiKey, Submission, WebhookDelivery, WebhookSubscription, utcnow
from grader.views import submission_view, whole_seconds
from submissions_schema import KeyRole
from submissions_schema.api import BatchView, InterviewEvent, WebhookEvent

BATCH_COMPLETED: Final = "batch.completed"


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
    says, and then also its batch's, if it was the last of it to end); return their ids (to be sent).

    Receivers: the subscriptions of the submitting key, of admin keys, and of the key that created
    the submission's interview (if any).
    """
    ended = kind is None
    kind = kind or event_type(submission)
    now = utcnow()
    owner = session.get(ApiKey, submission.key_id)
    interview = session.get(Interview, submission.interview_id) if submission.interview_id else None
    readers = {submission.key_id} | ({interview.created_by_key_id} if interview is not None else set())
    created = [_delivery(session, submission, kind, subscription.url, key, subscription.id, now)
               for subscription, key in _subscribers(session, kind, readers)]
    if submission.callback_url and owner is not None:
        created.append(_delivery(session, submission, kind, submission.callback_url, owner, None, now))
    session.commit()
    if ended and submission.batch_id is not None:
        created += batch_deliveries(session, submission.batch_id)
    return created


def _subscribers(session: Session, kind: str, readers: Collection[int]) -> list[tuple[WebhookSubscription, ApiKey]]:
    """Live subscriptions to ``kind`` that may hear of it: those of the ``readers`` keys, and admins'."""
    query = select(WebhookSubscription, ApiKey).join(ApiKey, WebhookSubscription.key_id == ApiKey.id).where(
        WebhookSubscription.deleted_at.is_(None), WebhookSubscription.disabled_at.is_(None),
        ApiKey.revoked_at.is_(None),
    )
    return [(subscription, key) for subscription, key in session.execute(query).all()
            if kind in subscription.events and (key.role == KeyRole.admin.value or key.id in readers)]


def batch_deliveries(session: Session, batch_id: str) -> list[str]:
    """The deliveries of ``batch.completed`` for ``batch_id`` if every submission of it has ended.

    Created once per batch and subscription whichever worker gets here first: their ids are
    derived from both, so a worker that ended another of the batch's submissions at the same
    moment fails to insert the same rows, and creates none.
    """
    batch = read_batch(session, batch_id)
    if batch is None or not batch.view.done:
        return []
    now = utcnow()
    created = []
    for subscription, key in _subscribers(session, BATCH_COMPLETED, {batch.key_id}):
        name = f"{BATCH_COMPLETED}/{batch_id}/{subscription.id}"
        row = WebhookDelivery(
            id=str(uuid.uuid5(uuid.NAMESPACE_URL, name)), event_id=f"msg_{uuid.uuid5(uuid.NAMESPACE_OID, name).hex}",
            subscription_id=subscription.id, key_id=key.id, submission_id=None, url=subscription.url,
            event_type=BATCH_COMPLETED, body=batch_event_body(batch.view, KeyRole(key.role), now),
            status="pending", attempts=0, created_at=now, next_attempt_at=now,
        )
        session.add(row)
        created.append(row.id)
    try:
        session.commit()
    except IntegrityError:  # another worker created them: they are its to send
        session.rollback()
        return []
    return created


def batch_event_body(batch: BatchView, role: KeyRole, at: datetime) -> str:
    stamp = at if role.sees_full_reports else whole_seconds(at)
    return WebhookEvent(type=BATCH_COMPLETED, timestamp=stamp, data=batch).model_dump_json()


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
    created = [_add(session, kind, subscription.url, key, subscription.id, now, body, None)
               for subscription, key in _subscribers(session, kind, {interview.created_by_key_id})]
    session.commit()
    return created
