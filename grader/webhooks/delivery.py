"""One delivery attempt at a time: claimed in the database, signed, sent, logged, rescheduled.

Each Celery message carries the delivery id and a token; only the message holding the
delivery's current token may attempt it, and only once the attempt is due, so duplicate
or early messages (a broker redelivering) never send an event twice.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import or_, update
from sqlalchemy.orm import Session, sessionmaker

from grader.settings import Settings
from grader.storage.models import ApiKey, WebhookAttempt, WebhookDelivery, WebhookSubscription, utcnow
from grader.views import maybe_utc
from grader.webhooks.addresses import UrlRefused, check_url
from grader.webhooks.signing import headers
from grader.webhooks.transport import Answer, post

# Waits after each failed attempt (seconds), then the delivery has failed.
SCHEDULE_S = (5, 300, 1800, 7200, 18000, 36000, 36000)


def reschedule(session: Session, delivery_id: str, delay_s: float) -> str:
    """Make a new token for the next attempt (older messages become stale); return it."""
    token = str(uuid.uuid4())
    session.execute(update(WebhookDelivery).where(WebhookDelivery.id == delivery_id).values(
        token=token, next_attempt_at=utcnow() + timedelta(seconds=delay_s), in_flight_until=None))
    session.commit()
    return token


def attempt(sessions: sessionmaker[Session], delivery_id: str, token: str, settings: Settings) -> float | None:
    """Attempt the delivery if this message may; the delay before the next attempt, or ``None``."""
    with sessions() as session:
        delivery = session.get(WebhookDelivery, delivery_id)
        if delivery is None or delivery.status != "pending" or delivery.token != token:
            return None  # done, or a stale message
        due = maybe_utc(delivery.next_attempt_at)
        if due is not None and due > utcnow() + timedelta(seconds=0.5):
            return (due - utcnow()).total_seconds()  # too early (a redelivered message)
        if not _claim(session, delivery, settings):
            return None
        signing = _secrets(session, delivery, settings)
        if signing is None:
            _finish(session, delivery, "failed")
            return None
        url, event_id, body = delivery.url, delivery.event_id, delivery.body
    answer = _send(url, event_id, body, signing, settings)
    with sessions() as session:
        delivery = session.get(WebhookDelivery, delivery_id)
        assert delivery is not None
        return _record(session, delivery, answer, settings)


def _claim(session: Session, delivery: WebhookDelivery, settings: Settings) -> bool:
    now = utcnow()
    claimed = session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id == delivery.id, WebhookDelivery.status == "pending",
               WebhookDelivery.token == delivery.token,
               or_(WebhookDelivery.in_flight_until.is_(None), WebhookDelivery.in_flight_until < now))
        .values(attempts=WebhookDelivery.attempts + 1,
                in_flight_until=now + timedelta(seconds=settings.webhook_timeout_s + 30))
        .execution_options(synchronize_session=False)  # compared in SQL; refreshed below
    )
    session.commit()
    session.refresh(delivery)
    return bool(claimed.rowcount)  # type: ignore[attr-defined]


def _secrets(session: Session, delivery: WebhookDelivery, settings: Settings) -> list[str] | None:
    """The secrets that sign: the subscription's (and the previous one during its grace), or the key's."""
    if delivery.subscription_id is None:
        key = session.get(ApiKey, delivery.key_id)
        return [key.callback_secret] if key is not None and key.callback_secret else None
    sub = session.get(WebhookSubscription, delivery.subscription_id)
    if sub is None or sub.deleted_at is not None or sub.disabled_at is not None:
        return None
    signing = [sub.secret]
    until = maybe_utc(sub.previous_secret_until)
    if sub.previous_secret and until is not None and until > utcnow():
        signing.append(sub.previous_secret)
    return signing


def _send(url: str, event_id: str, body: str, signing: list[str], settings: Settings) -> Answer:
    """Check the URL again (DNS may have changed), then post to the checked address."""
    try:
        target = check_url(url, settings.webhook_allow_http, settings.webhook_allowed_hosts)
    except UrlRefused as exc:
        return Answer(None, 0.0, None, None, f"refused: {exc}")
    timestamp = int(utcnow().timestamp())
    return post(target, body, headers(signing, event_id, timestamp, body), settings.webhook_timeout_s)


def _record(session: Session, delivery: WebhookDelivery, answer: Answer, settings: Settings) -> float | None:
    session.add(WebhookAttempt(delivery_id=delivery.id, at=utcnow(), status_code=answer.status_code,
                               latency_ms=round(answer.latency_ms, 1), response_head=answer.head,
                               error=answer.error))
    sub = session.get(WebhookSubscription, delivery.subscription_id) if delivery.subscription_id else None
    if answer.ok:
        if sub is not None:
            sub.failing_since = None
        _finish(session, delivery, "succeeded")
        return None
    if sub is not None and _disable_if_due(sub, answer, settings):
        _finish(session, delivery, "failed")
        return None
    if delivery.attempts > len(SCHEDULE_S):
        _finish(session, delivery, "failed")
        return None
    delay: float = SCHEDULE_S[delivery.attempts - 1]
    if answer.status_code in (429, 503) and answer.retry_after_s is not None:
        delay = min(answer.retry_after_s, SCHEDULE_S[-1])
    session.commit()
    return delay * settings.webhook_retry_scale


def _disable_if_due(sub: WebhookSubscription, answer: Answer, settings: Settings) -> bool:
    now = utcnow()
    sub.failing_since = maybe_utc(sub.failing_since) or now
    if answer.status_code == 410:
        reason = "the receiver answered 410 Gone"
    elif now - sub.failing_since >= timedelta(seconds=settings.webhook_disable_after_s):
        reason = f"every delivery failed since {sub.failing_since:%Y-%m-%d %H:%M} UTC"
    else:
        return False
    sub.disabled_at, sub.disabled_reason = now, reason
    return True


def _finish(session: Session, delivery: WebhookDelivery, status: str) -> None:
    delivery.status, delivery.completed_at = status, utcnow()
    delivery.in_flight_until = delivery.next_attempt_at = None
    session.commit()
