"""``POST /v1/submissions/{id}/score``: an interviewer's score for a free-text answer."""

from __future__ import annotations

from flask import Blueprint, Response

from grader.api.auth import caller, requires
from grader.api.http import json_response, read_body
from grader.api.openapi import WRITES, documented
from grader.api.problems import ApiError
from grader.api.services import services
from grader.overrides import OverrideRefused, override_score
from grader.storage import submissions as store
from grader.storage.keys import KeyRole
from grader.views import submission_view
from grader.webhooks.delivery import reschedule
from grader.webhooks.events import deliveries_for
from submissions_schema.api import ScoreChange, SubmissionView

blueprint = Blueprint("overrides", __name__)


@blueprint.post("/v1/submissions/<submission_id>/score")
@documented("Change a free-text answer's score (the automatic one is kept in the report)", body=ScoreChange,
            response=SubmissionView, problems=WRITES + (404, 409))
@requires(KeyRole.admin, KeyRole.interviewer)
def change_score(submission_id: str) -> Response:
    """Replace the automatic score; the report keeps it, with who changed it and why (event
    ``submission.rescored``)."""
    body = read_body(ScoreChange)
    svc, who = services(), caller()
    with svc.sessions() as session:
        row = store.get(session, submission_id[:64])
        if row is None:
            raise ApiError(404, "Not Found", f"no submission '{submission_id[:64]}'")
        question = svc.questions.get(row.question_id)
        if question is None:
            raise ApiError(409, "Conflict", f"question '{row.question_id}' is no longer in the bank")
        try:
            row = override_score(session, row, question, who, body.score, body.reason)
        except OverrideRefused as exc:
            raise ApiError(409, "Conflict", str(exc)) from exc
        for delivery_id in deliveries_for(session, row, "submission.rescored"):
            try:
                svc.queue.deliver(delivery_id, reschedule(session, delivery_id, 0.0))
            except Exception:  # noqa: BLE001 - the broker away: the sweeper sends overdue deliveries
                pass
        return json_response(submission_view(row, who.role))
