"""The sweeper: every worker, every few seconds, sends again what the queue or a dead worker lost.

Lost submissions are running ones whose lease lapsed (their worker died) and queued ones
sent long ago and never claimed (a broker restarted without persistence, a submission
stored while the broker was down). Lost webhook deliveries are pending ones long overdue
and not in flight. Grading is idempotent and a delivery's token makes older messages
stale, so a duplicate costs nothing while a lost job would never end. The attempt counter
(counted at each claim) ends a job that keeps killing its workers as ``failed``. The sweeper also
closes interviews whose time is up and sends ``interview.completed`` for those that nobody's
request or grading completed.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

from celery import Celery
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from grader.interviews import service as interviews
from grader.kinds import kind_of
from grader.questions.loader import AnyQuestion, scan_bank
from grader.settings import Settings
from grader.storage import submissions as store
from grader.storage.models import WebhookDelivery, utcnow
from grader.worker.app import queue_for
from grader.worker.notify import GRADE_TASK, send_delivery, settle_interview

log = logging.getLogger(__name__)
# A pending delivery this overdue, and not in flight, lost its message. Generous: under a backlog of slow
# receivers a delivery waits its turn in the queue, and re-sending it then would only add to the backlog.
DELIVERY_OVERDUE_S = 600.0


class Sweeper:
    """Sweeps now and then every ``sweep_interval_s`` on a daemon thread (:meth:`start`)."""

    def __init__(self, settings: Settings, app: Celery, sessions: sessionmaker[Session]) -> None:
        self.settings = settings
        self.app = app
        self.sessions = sessions
        self._bank: dict[str, AnyQuestion] | None = None

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self._loop, name="grader-sweeper", daemon=True)
        thread.start()
        return thread

    def _loop(self) -> None:
        while True:  # as long as the worker: a daemon thread
            try:
                self.sweep()
            except Exception as exc:  # noqa: BLE001 - database or broker away: the next sweep tries again
                log.warning("sweep failed (%s: %s); trying again in %g s", type(exc).__name__, exc,
                            self.settings.sweep_interval_s)
            time.sleep(self.settings.sweep_interval_s)

    def sweep(self) -> int:
        """One sweep: re-send lost submissions and deliveries; how many were sent."""
        with self.sessions() as session:
            lost = store.take_back(session, self.settings.resend_queued_after_s)
        for submission_id, question_id in lost:
            self.app.send_task(GRADE_TASK, args=[submission_id], queue=self.queue_of(question_id))
        if lost:
            log.warning("re-sent %d submissions that were lost (a dead worker or a lost message)", len(lost))
        return len(lost) + self.resend_deliveries() + self.settle_interviews()

    def resend_deliveries(self) -> int:
        """Re-send webhook deliveries overdue by :data:`DELIVERY_OVERDUE_S` that no worker is attempting."""
        now = utcnow()
        overdue = now - timedelta(seconds=DELIVERY_OVERDUE_S)
        with self.sessions() as session:
            if session.get_bind().dialect.name == "sqlite":
                now, overdue = now.replace(tzinfo=None), overdue.replace(tzinfo=None)
            ids = session.scalars(select(WebhookDelivery.id).where(
                WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at < overdue,
                or_(WebhookDelivery.in_flight_until.is_(None), WebhookDelivery.in_flight_until < now),
            ).limit(500)).all()
            for delivery_id in ids:  # a fresh token: the lost message, should it reappear, is stale
                send_delivery(self.app, session, delivery_id, 0.0)
        if ids:
            log.warning("re-sent %d overdue webhook deliveries", len(ids))
        return len(ids)

    def settle_interviews(self) -> int:
        """Close interviews whose time is up; send ``interview.completed`` for those now complete."""
        sent = 0
        with self.sessions() as session:
            for interview in interviews.unsettled(session, utcnow()):
                sent += settle_interview(self.app, session, interview.id)
        return sent

    def queue_of(self, question_id: str) -> str:
        if self._bank is None:
            self._bank, _ = scan_bank(self.settings.tasks_dir)
        question = self._bank.get(question_id)
        return queue_for(kind_of(question).device(question) if question is not None else None)
