"""An interviewer's score for a free-text answer: the report keeps the automatic score and says
who changed it, when and why; the submission's score and verdict follow the new one."""

from __future__ import annotations

from sqlalchemy.orm import Session

from grader.kinds import AnyQuestion, kind_of
from grader.storage import submissions as store
from grader.storage.keys import Caller
from grader.storage.models import Submission, utcnow
from submissions_schema import GradeReport, ScoreOverride


class OverrideRefused(ValueError):
    """The score cannot be changed (no report yet, a kind graded by a key, out of range): the caller's error."""


def override_score(session: Session, row: Submission, question: AnyQuestion, who: Caller, score: float,
                   reason: str) -> Submission:
    """Store ``score`` (with ``reason``) as ``row``'s score; raise :class:`OverrideRefused`."""
    kind = kind_of(question)
    if not kind.overridable:
        raise OverrideRefused(f"{question.id} is graded by its key: only free-text scores can be changed")
    if row.report is None or row.status != "completed":
        raise OverrideRefused(f"submission {row.id} is {row.status}: there is no score to change yet")
    report = GradeReport.model_validate(row.report)
    if not 0 <= score <= report.max_score:
        raise OverrideRefused(f"score must be from 0 to {report.max_score:g}")
    automatic = report.override.automatic_score if report.override else report.score
    change = ScoreOverride(automatic_score=automatic, score=score, reason=reason, by=f"{who.name} (key {who.key_id})",
                           at=utcnow())
    rescored = kind.rescore(question, report, score).model_copy(update={"override": change})
    store.replace_report(session, row.id, rescored)
    session.refresh(row)
    return row
