"""Re-send submissions the queue lost (stored, never delivered): grading is idempotent, so a
duplicate costs nothing, while a lost one would never be graded."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import Celery
from sqlalchemy import select

from grader.questions.loader import Question, scan_bank
from grader.settings import Settings
from grader.storage.db import make_engine, sessions, upgrade
from grader.storage.models import Submission, utcnow
from grader.worker.app import queue_for

log = logging.getLogger(__name__)


def requeue_lost(settings: Settings, app: Celery, older_than_s: float = 60.0) -> int:
    """Enqueue again every never-started submission queued longer than ``older_than_s``."""
    engine = make_engine(settings.effective_database_url)
    upgrade(engine)
    bank, _ = scan_bank(settings.tasks_dir)
    cutoff = utcnow() - timedelta(seconds=older_than_s)
    if engine.dialect.name == "sqlite":
        cutoff = cutoff.replace(tzinfo=None)
    with sessions(engine)() as session:
        rows = session.execute(
            select(Submission.id, Submission.question_id)
            .where(Submission.status == "queued", Submission.attempts == 0, Submission.created_at < cutoff)
        ).all()
    for submission_id, question_id in rows:
        question = bank.get(question_id)
        device = question.spec.device if isinstance(question, Question) else None
        app.send_task("grader.grade_submission", args=[submission_id], queue=queue_for(device))
    if rows:
        log.warning("re-sent %d submissions the queue had lost", len(rows))
    return len(rows)
