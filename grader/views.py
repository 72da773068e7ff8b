"""A stored submission as a given role may see it (the API and webhook events share this)."""

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


def submission_view(row: Submission, role: KeyRole) -> SubmissionView:
    """The submission with its report, redacted unless ``role`` sees full reports."""
    report = None
    if row.report is not None:
        full = GradeReport.model_validate(row.report)
        report = full if role.sees_full_reports else for_role(full, Role.candidate)
    return SubmissionView(
        id=row.id, question_id=row.question_id, status=row.status,  # type: ignore[arg-type]
        candidate=row.candidate, metadata=row.meta, batch_id=row.batch_id, callback_url=row.callback_url,
        attempts=row.attempts, created_at=utc(row.created_at), started_at=maybe_utc(row.started_at),
        completed_at=maybe_utc(row.completed_at), verdict=row.verdict, score=row.score, max_score=row.max_score,
        report=report,
    )
