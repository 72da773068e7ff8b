"""A stored submission as a given role may see it (the API and webhook events share this).

A candidate reads its times in whole seconds: the moments a run started and ended
would otherwise tell how long the hidden cases took, and so what code that sleeps
for a hidden value was given.
"""

from __future__ import annotations

from datetime import UTC, datetime

from grader.reports import for_role
from grader.storage.models import Submission
from submissions_schema import GradeReport, KeyRole, Role
from submissions_schema.api import SubmissionView


def utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def maybe_utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else utc(moment)


def whole_seconds(moment: datetime) -> datetime:
    """``moment`` truncated to the second (UTC): the finest time a candidate reads."""
    return utc(moment).replace(microsecond=0)


def submission_view(row: Submission, role: KeyRole) -> SubmissionView:
    """The submission with its report, redacted (and its times in whole seconds) unless ``role`` sees all."""
    full = role.sees_full_reports
    report = None
    if row.report is not None:
        report = for_role(GradeReport.model_validate(row.report), Role.interviewer if full else Role.candidate)
    stamp = utc if full else whole_seconds
    return SubmissionView(
        id=row.id, question_id=row.question_id, status=row.status,  # type: ignore[arg-type]
        candidate=row.candidate, metadata=row.meta, batch_id=row.batch_id, callback_url=row.callback_url,
        attempts=row.attempts, created_at=stamp(row.created_at),
        started_at=None if row.started_at is None else stamp(row.started_at),
        completed_at=None if row.completed_at is None else stamp(row.completed_at),
        verdict=row.verdict, score=row.score, max_score=row.max_score, report=report,
        interview_id=row.interview_id, practice=bool(row.practice),
    )
