"""``/v1/webhooks``: subscriptions, their secrets, the delivery log, and sending again."""

from __future__ import annotations

import uuid
from datetime import timedelta

from flask import Blueprint, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from grader.api.auth import ANY_ROLE, caller, requires
from grader.api.http import json_response, read_body
from grader.api.openapi import AUTH, WRITES, documented
from grader.api.problems import ApiError
from grader.api.services import services
from grader.storage.models import ApiKey, WebhookAttempt, WebhookDelivery, WebhookSubscription, utcnow
from grader.views import maybe_utc, utc, whole_seconds
from grader.webhooks.addresses import UrlRefused, check_url
from grader.webhooks.delivery import reschedule
from grader.webhooks.signing import new_secret
from submissions_schema.api import (
    AttemptView,
    DeliveryList,
    DeliveryView,
    WebhookCreate,
    WebhookCreated,
    WebhookList,
    WebhookSecret,
    WebhookView,
)

blueprint = Blueprint("webhooks", __name__)


def checked_url(url: str, field: str = "url") -> str:
    """``url`` if webhooks may go there; a 422 naming the reason otherwise."""
    settings = services().settings
    try:
        check_url(url, settings.webhook_allow_http, settings.webhook_allowed_hosts)
    except UrlRefused as exc:
        raise ApiError(422, "Unprocessable Content", f"{field}: {exc}") from exc
    return url


def view(sub: WebhookSubscription) -> WebhookView:
    return WebhookView(id=sub.id, url=sub.url, events=sub.events, description=sub.description,
                       created_at=utc(sub.created_at), disabled_at=maybe_utc(sub.disabled_at),
                       disabled_reason=sub.disabled_reason)


def owned(session: Session, webhook_id: str) -> WebhookSubscription:
    """The caller's own subscription; 404 for anyone else's."""
    sub = session.get(WebhookSubscription, webhook_id[:64])
    if sub is None or sub.key_id != caller().key_id or sub.deleted_at is not None:
        raise ApiError(404, "Not Found", f"no webhook '{webhook_id[:64]}'")
    return sub


@blueprint.post("/v1/webhooks")
@documented("Subscribe a URL to events; the secret is shown once", ok=201, body=WebhookCreate,
            response=WebhookCreated, problems=WRITES)
@requires(*ANY_ROLE)
def create_webhook() -> Response:
    body = read_body(WebhookCreate)
    sub = WebhookSubscription(id=str(uuid.uuid4()), key_id=caller().key_id, url=checked_url(body.url),
                              events=sorted(set(body.events)), description=body.description, secret=new_secret(),
                              created_at=utcnow())
    with services().sessions() as session:
        session.add(sub)
        session.commit()
    created = WebhookCreated(**view(sub).model_dump(), secret=sub.secret)
    return json_response(created, 201, {"Location": f"/v1/webhooks/{sub.id}"})


@blueprint.get("/v1/webhooks")
@documented("This key's subscriptions", response=WebhookList)
@requires(*ANY_ROLE)
def list_webhooks() -> Response:
    with services().sessions() as session:
        rows = session.scalars(select(WebhookSubscription).where(
            WebhookSubscription.key_id == caller().key_id, WebhookSubscription.deleted_at.is_(None)))
        return json_response(WebhookList(items=[view(s) for s in rows]))


@blueprint.delete("/v1/webhooks/<webhook_id>")
@documented("Unsubscribe", ok=204, problems=AUTH + (404,))
@requires(*ANY_ROLE)
def delete_webhook(webhook_id: str) -> Response:
    with services().sessions() as session:
        owned(session, webhook_id).deleted_at = utcnow()
        session.commit()
    return Response(status=204)


@blueprint.post("/v1/webhooks/<webhook_id>/rotate")
@documented("A new secret; the old one signs too for the grace period", response=WebhookSecret,
            problems=AUTH + (404,))
@requires(*ANY_ROLE)
def rotate_secret(webhook_id: str) -> Response:
    """A new secret; the old one keeps signing (beside it) for the grace period."""
    grace = timedelta(seconds=services().settings.webhook_secret_grace_s)
    with services().sessions() as session:
        sub = owned(session, webhook_id)
        sub.previous_secret, sub.previous_secret_until = sub.secret, utcnow() + grace
        sub.secret = new_secret()
        session.commit()
        return json_response(WebhookSecret(secret=sub.secret, previous_secret_valid_until=sub.previous_secret_until))


@blueprint.post("/v1/webhooks/callback-secret")
@documented("A new secret for this key's callback_url deliveries", ok=201, response=WebhookSecret)
@requires(*ANY_ROLE)
def callback_secret() -> Response:
    """The secret that signs this key's per-submission callbacks (``callback_url``); a new one each call."""
    with services().sessions() as session:
        key = session.get(ApiKey, caller().key_id)
        assert key is not None
        key.callback_secret = new_secret()
        session.commit()
        return json_response(WebhookSecret(secret=key.callback_secret), 201)


def delivery_view(session: Session, row: WebhookDelivery) -> DeliveryView:
    """The delivery and its attempts; times in whole seconds for a candidate key (an event is made
    when grading ends, so its times would tell how long the hidden cases ran)."""
    attempts = session.scalars(
        select(WebhookAttempt).where(WebhookAttempt.delivery_id == row.id).order_by(WebhookAttempt.id))
    stamp = utc if caller().role.sees_full_reports else whole_seconds
    log = [AttemptView(at=stamp(a.at), status_code=a.status_code, latency_ms=a.latency_ms,
                       response_head=a.response_head, error=a.error) for a in attempts]
    return DeliveryView(id=row.id, event_id=row.event_id, event_type=row.event_type,  # type: ignore[arg-type]
                        submission_id=row.submission_id, url=row.url, status=row.status,  # type: ignore[arg-type]
                        attempts=row.attempts,
                        next_attempt_at=None if row.next_attempt_at is None else stamp(row.next_attempt_at),
                        created_at=stamp(row.created_at),
                        completed_at=None if row.completed_at is None else stamp(row.completed_at), log=log)


@blueprint.get("/v1/webhooks/<webhook_id>/deliveries")
@documented("The delivery log: each attempt's time, status, latency, first bytes", response=DeliveryList,
            problems=AUTH + (404,))
@requires(*ANY_ROLE)
def list_deliveries(webhook_id: str) -> Response:
    with services().sessions() as session:
        sub = owned(session, webhook_id)
        rows = session.scalars(select(WebhookDelivery).where(WebhookDelivery.subscription_id == sub.id)
                               .order_by(WebhookDelivery.created_at.desc()).limit(200))
        return json_response(DeliveryList(items=[delivery_view(session, r) for r in rows]))


@blueprint.post("/v1/webhooks/<webhook_id>/deliveries/<delivery_id>/retry")
@documented("Send a delivery again (same webhook-id)", ok=202, response=DeliveryView, problems=AUTH + (404,))
@requires(*ANY_ROLE)
def retry_delivery(webhook_id: str, delivery_id: str) -> Response:
    """Send the event again (same ``webhook-id``), whatever became of it."""
    svc = services()
    with svc.sessions() as session:
        sub = owned(session, webhook_id)
        row = session.get(WebhookDelivery, delivery_id[:64])
        if row is None or row.subscription_id != sub.id:
            raise ApiError(404, "Not Found", f"no delivery '{delivery_id[:64]}' for this webhook")
        row.status, row.completed_at, row.attempts = "pending", None, 0
        session.commit()
        token = reschedule(session, row.id, 0.0)
        try:
            svc.queue.deliver(row.id, token)
        except Exception as exc:  # noqa: BLE001 - the broker may fail in many ways
            raise ApiError(503, "Service Unavailable", "the queue is unavailable; ask again later",
                           {"Retry-After": "30"}) from exc
        session.refresh(row)
        return json_response(delivery_view(session, row), 202)
