"""An interview as a given role may see it (the API, its live events and webhooks share this).

A candidate reads times in whole seconds, as everywhere else (see :mod:`grader.views`).
"""

from __future__ import annotations

from datetime import datetime

from grader.interviews.models import Interview
from grader.interviews.service import state
from grader.views import utc, whole_seconds
from submissions_schema import KeyRole
from submissions_schema.api import BoardRow, InterviewView


def interview_view(interview: Interview, role: KeyRole, now: datetime,
                   board: list[BoardRow] | None = None) -> InterviewView:
    """The interview, its state at ``now``, and its board when given."""
    stamp = utc if role.sees_full_reports else whole_seconds

    def moment(value: datetime | None) -> datetime | None:
        return None if value is None else stamp(value)

    return InterviewView(
        id=interview.id, candidate_name=interview.candidate_name, question_ids=list(interview.question_ids),
        time_limit_s=interview.time_limit_s, attempts_limit=interview.attempts_limit,
        hidden_feedback=interview.hidden_feedback,  # type: ignore[arg-type]
        created_at=stamp(interview.created_at), started_at=moment(interview.started_at),
        closed_at=moment(interview.closed_at), closed_reason=interview.closed_reason,  # type: ignore[arg-type]
        completed_at=moment(interview.completed_at), state=state(interview, now), board=board,
    )
