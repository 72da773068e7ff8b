"""After a report is stored: create the webhook deliveries (the submission's, its interview's) and send them."""

from __future__ import annotations

from collections.abc import Callable

from celery import Celery
from sqlalchemy.orm import Session, sessionmaker

from grader.interviews import service as interviews
from grader.storage import submissions as store
from grader.waiting import interview_topic
from grader.webhooks.delivery import reschedule
from grader.webhooks.events import deliveries_for, interview_deliveries

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


def interview_changed(app: Celery, sessions: sessionmaker[Session], wake: Callable[[str], object],
                      submission_id: str) -> int:
    """The submission's interview (if any): settle it, then wake its live board; how many
    ``interview.completed`` deliveries were queued."""
    with sessions() as session:
        row = store.get(session, submission_id)
        if row is None or row.interview_id is None:
            return 0
        sent = settle_interview(app, session, row.interview_id)
    wake(interview_topic(row.interview_id))
    return sent


def settle_interview(app: Celery, session: Session, interview_id: str) -> int:
    """:func:`grader.interviews.service.settle`, and queue ``interview.completed`` when this call completed it."""
    interview = interviews.get(session, interview_id)
    if interview is None or not interviews.settle(session, interview):
        return 0
    ids = interview_deliveries(session, interview)
    for delivery_id in ids:
        send_delivery(app, session, delivery_id, 0.0)
    return len(ids)
