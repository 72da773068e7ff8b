"""A batch's state, read from its submissions: counts by status and verdict, done or not.

A batch is no row of its own: it is the submissions stored with one ``batch_id``, all
at once (a batch is stored whole or not at all), so this is always what they say now.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from grader.storage.models import Submission
from grader.views import maybe_utc, utc
from submissions_schema.api import BatchView

STATUSES = ("queued", "running", "completed", "failed")
DONE = ("completed", "failed")


@dataclass(frozen=True)
class Batch:
    """A batch as stored: its view, and the key that submitted it."""

    view: BatchView
    key_id: int


def read_batch(session: Session, batch_id: str) -> Batch | None:
    """The batch ``batch_id`` now, or ``None`` when no submission carries that id."""
    rows = session.execute(
        select(Submission.id, Submission.status, Submission.verdict, Submission.created_at,
               Submission.completed_at, Submission.key_id)
        .where(Submission.batch_id == batch_id).order_by(Submission.seq)
    ).all()
    if not rows:
        return None
    statuses = Counter(row.status for row in rows)
    done = all(row.status in DONE for row in rows)
    ended = [maybe_utc(row.completed_at) for row in rows]
    view = BatchView(
        batch_id=batch_id, total=len(rows), done=done,
        by_status={status: statuses.get(status, 0) for status in STATUSES},  # type: ignore[misc]
        by_verdict=dict(sorted(Counter(row.verdict for row in rows if row.verdict and row.status in DONE).items())),
        submission_ids=[row.id for row in rows],
        created_at=utc(rows[0].created_at),
        completed_at=max((e for e in ended if e is not None), default=None) if done else None,
    )
    return Batch(view=view, key_id=rows[0].key_id)

