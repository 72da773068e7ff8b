"""After a report is stored: create the submission's webhook deliveries and send them to the queue."""

from __future__ import annotations

from celery import Celery
from sqlalchemy.orm import Session, sessionmaker

from grader.storage import submissions as store
from grader.webhooks.delivery import reschedule
from grader.webhooks.events import deliveries_for

GRADE_TASK = "grader.grade_submission"
DELIVER_TASK = "grader.deliver_webhook"
WEBHOOK_QUEUE = "webhooks"


def send_delivery(app: Celery, session: Session, delivery_id: str, delay_s: float) -> None:
    """Queue an attempt in ``delay_s`` seconds, with a fresh token (older messages go stale)."""
    token = reschedule(session, delivery_id, delay_s)
    app.send_task(DELIVER_TASK, args=[delivery_id, token], queue=WEBHOOK_QUEUE, countdown=max(delay_s, 0.0))


def submission_finished(app: Celery, sessions: sessionmaker[Session], submission_id: str) -> int:
    """Queue every delivery of the submission's event; return how many."""
    with sessions() as session:
        row = store.get(session, submission_id)
        if row is None:
            return 0
        ids = deliveries_for(session, row)
        for delivery_id in ids:
            send_delivery(app, session, delivery_id, 0.0)
    return len(ids)
