"""Turning a finished submission into deliveries: one per matching subscription, and its callback;
and when it was the last of its batch to end, the batch's ``batch.completed`` to each subscriber."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Final

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from grader.batches import read_batch
from grader.storage.models import ApiKey, Submission, WebhookDelivery, WebhookSubscription, utcnow
from grader.views import submission_view, whole_seconds
from submissions_schema import KeyRole
from submissions_schema.api import BatchView, WebhookEvent

BATCH_COMPLETED: Final = "batch.completed"


def event_type(submission: Submission) -> str:
    return "submission.completed" if submission.status == "completed" else "submission.failed"


def event_body(submission: Submission, role: KeyRole, at: datetime) -> str:
    """The event as its receiver may see it (a candidate key's events carry the candidate view,
    and times in whole seconds)."""
    stamp = at if role.sees_full_reports else whole_seconds(at)
    event = WebhookEvent(type=event_type(submission), timestamp=stamp,  # type: ignore[arg-type]
                         data=submission_view(submission, role))
    return event.model_dump_json()


def deliveries_for(session: Session, submission: Submission) -> list[str]:
    """Create the deliveries of ``submission``'s event (and its batch's, if it was the last of it
    to end); return their ids (to be sent)."""
    kind = event_type(submission)
    now = utcnow()
    owner = session.get(ApiKey, submission.key_id)
    created = []
    for subscription, key in _subscribers(session, kind, submission.key_id):
        created.append(_delivery(session, submission, kind, subscription.url, key, subscription.id, now))
    if submission.callback_url and owner is not None:
        created.append(_delivery(session, submission, kind, submission.callback_url, owner, None, now))
    session.commit()
    if submission.batch_id is not None:
        created += batch_deliveries(session, submission.batch_id)
    return created


def _subscribers(session: Session, kind: str, owner_key_id: int) -> list[tuple[WebhookSubscription, ApiKey]]:
    """Live subscriptions to ``kind`` that may hear of the owner's work: its own key's, and admins'."""
    query = select(WebhookSubscription, ApiKey).join(ApiKey, WebhookSubscription.key_id == ApiKey.id).where(
        WebhookSubscription.deleted_at.is_(None), WebhookSubscription.disabled_at.is_(None),
        ApiKey.revoked_at.is_(None),
    )
    return [(subscription, key) for subscription, key in session.execute(query).all()
            if kind in subscription.events and (key.role == KeyRole.admin.value or key.id == owner_key_id)]


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
    for subscription, key in _subscribers(session, BATCH_COMPLETED, batch.key_id):
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
    row = WebhookDelivery(
        id=str(uuid.uuid4()), event_id=f"msg_{uuid.uuid4().hex}", subscription_id=subscription_id, key_id=key.id,
        submission_id=submission.id, url=url, event_type=kind, body=event_body(submission, KeyRole(key.role), now),
        status="pending", attempts=0, created_at=now, next_attempt_at=now,
    )
    session.add(row)
    return row.id
