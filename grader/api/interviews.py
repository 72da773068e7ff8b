"""``/v1/interviews``: create, list, read with the board, close, export; and the interview's rules
applied to submissions (:func:`admit_to_interview` before storing, :func:`guard` while storing).

Who sees an interview: an admin key every one, any other staff key those it created, the
interview's candidate its own; anyone else gets ``404``, as for submissions.
"""

from __future__ import annotations

import json
import logging

from flask import Blueprint, Response, current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from grader.api.auth import ANY_ROLE, STAFF, caller, requires
from grader.api.http import json_response, read_body
from grader.api.openapi import ANY_JSON, AUTH, CSV, WRITES, documented
from grader.api.problems import ApiError
from grader.api.services import services
from grader.exports import interview_csv, interview_gradescope
from grader.interviews import service
from grader.interviews.models import Interview
from grader.interviews.views import interview_view
from grader.storage.keys import Caller, KeyRole
from grader.storage.models import Submission, utcnow
from grader.waiting import Notifier, interview_topic
from grader.webhooks.delivery import reschedule
from grader.webhooks.events import interview_deliveries
from submissions_schema import GradeReport
from submissions_schema.api import InterviewCreate, InterviewCreated, InterviewList, InterviewView, SubmissionCreate

blueprint = Blueprint("interviews", __name__)
log = logging.getLogger(__name__)
STATUS_OF = {service.InterviewClosed: (403, "Forbidden"), service.AttemptsUsedUp: (409, "Conflict"),
             service.NotInInterview: (422, "Unprocessable Content")}


def may_see(who: Caller, interview: Interview) -> bool:
    if who.role is KeyRole.candidate:
        return interview.candidate_key_id == who.key_id
    return who.role is KeyRole.admin or interview.created_by_key_id == who.key_id


def visible(session: Session, interview_id: str) -> Interview:
    """The interview if the caller may see it; 404 otherwise (a candidate never learns others exist)."""
    found = service.get(session, interview_id)
    if found is None or not may_see(caller(), found):
        raise ApiError(404, "Not Found", f"no interview '{interview_id[:64]}'")
    return found


def full_view(session: Session, interview: Interview) -> InterviewView:
    return interview_view(interview, caller().role, utcnow(), service.board(session, interview))


@blueprint.post("/v1/interviews")
@documented("Create an interview; its invite link is shown once", ok=201, body=InterviewCreate,
            response=InterviewCreated, problems=WRITES)
@requires(*STAFF)
def create_interview() -> Response:
    body = read_body(InterviewCreate)
    with services().sessions() as session:
        try:
            row, token = service.create_interview(
                session, caller(), body.candidate_name, body.question_ids, body.time_limit_s, body.attempts_limit,
                body.hidden_feedback, bank=services().questions)
        except service.UnknownQuestions as exc:
            raise ApiError(422, "Unprocessable Content", f"question_ids: {exc}") from exc
        view = full_view(session, row)
    created = InterviewCreated(**view.model_dump(), invite_url=f"/i/{token}")
    return json_response(created, 201, {"Location": f"/v1/interviews/{row.id}"})


@blueprint.get("/v1/interviews")
@documented("Interviews, newest first: an admin's all, other staff those they created, a candidate its own",
            response=InterviewList)
@requires(*ANY_ROLE)
def list_interviews() -> Response:
    who, now = caller(), utcnow()
    with services().sessions() as session:
        rows = service.list_for(session, who)
    return json_response(InterviewList(items=[interview_view(r, who.role, now) for r in rows]))


@blueprint.get("/v1/interviews/<interview_id>")
@documented("An interview: its state and its board (per question: best score, verdict, attempts, time used)",
            response=InterviewView, problems=AUTH + (404,))
@requires(*ANY_ROLE)
def get_interview(interview_id: str) -> Response:
    with services().sessions() as session:
        return json_response(full_view(session, visible(session, interview_id)))


@blueprint.post("/v1/interviews/<interview_id>/close")
@documented("Close an interview now: it takes no more submissions", response=InterviewView,
            problems=AUTH + (404, 507))
@requires(*STAFF)
def close_interview(interview_id: str) -> Response:
    with services().sessions() as session:
        row = service.close(session, visible(session, interview_id))
        if service.settle(session, row):
            send_completed(session, row)
        view = full_view(session, row)
    announce(interview_topic(row.id))
    return json_response(view)


@blueprint.get("/v1/interviews/<interview_id>/results.csv")
@documented("The interview's results as CSV, one row per question", content=CSV, problems=AUTH + (404,))
@requires(*STAFF)
def results_csv(interview_id: str) -> Response:
    with services().sessions() as session:
        row = visible(session, interview_id)
        text = interview_csv(row.id, row.candidate_name, service.board(session, row))
    headers = {"Content-Disposition": f'attachment; filename="interview-{row.id}.csv"'}
    return Response(text, mimetype="text/csv", headers=headers)


@blueprint.get("/v1/interviews/<interview_id>/gradescope.json")
@documented("The candidate's results as Gradescope's results.json: each question's best submission, in the "
            "candidate's view (no hidden data)", content=ANY_JSON, problems=AUTH + (404,))
@requires(*STAFF)
def gradescope_json(interview_id: str) -> Response:
    with services().sessions() as session:
        row = visible(session, interview_id)
        best = {r.question_id: r.best_submission_id for r in service.board(session, row)}
        reports = {s.question_id: GradeReport.model_validate(s.report) for s in session.scalars(
            select(Submission).where(Submission.id.in_([b for b in best.values() if b]))) if s.report is not None}
    found = interview_gradescope([(q, reports.get(q)) for q in row.question_ids])
    return Response(json.dumps(found, indent=2), mimetype="application/json")


def send_completed(session: Session, interview: Interview) -> None:
    """Queue ``interview.completed`` to its receivers; a broker that cannot take it leaves the
    deliveries overdue, and the workers' sweeper sends them."""
    for delivery_id in interview_deliveries(session, interview):
        token = reschedule(session, delivery_id, 0.0)
        try:
            services().queue.deliver(delivery_id, token)
        except Exception as exc:  # noqa: BLE001 - the broker may fail in many ways; the sweeper re-sends
            log.warning("interview %s: delivery %s not queued (%s)", interview.id, delivery_id, exc)


def refused(exc: service.InterviewError, where: str) -> ApiError:
    status, title = STATUS_OF.get(type(exc), (403, "Forbidden"))
    return ApiError(status, title, f"{where}{exc}")


def admit_to_interview(body: SubmissionCreate, where: str) -> SubmissionCreate:
    """Apply the interview's rules to a submission before it is stored; the body, tied to its interview.

    An interview's candidate key always submits to its interview (named or not); a staff key
    may submit to an interview it may see, on the candidate's behalf. Refusals are problems:
    closed 403, attempts used 409, a question outside the interview 422.
    """
    who = caller()
    with services().sessions() as session:
        own = service.for_candidate_key(session, who.key_id) if who.role is KeyRole.candidate else None
        interview_id = body.interview_id or (own.id if own is not None else None)
        if interview_id is None:
            return body
        interview = service.get(session, interview_id)
        if interview is None or not may_see(who, interview) or (own is not None and interview.id != own.id):
            raise ApiError(422, "Unprocessable Content", f"{where}interview_id: no interview '{interview_id[:64]}'")
        if body.candidate not in (None, interview.candidate_name):
            raise ApiError(422, "Unprocessable Content",
                           f"{where}candidate: this interview's candidate is '{interview.candidate_name}'")
        try:
            service.admit_submission(session, interview, body.question_id, body.practice)
        except service.InterviewError as exc:
            raise refused(exc, where) from exc
        return body.model_copy(update={"interview_id": interview.id, "candidate": interview.candidate_name})


def guard(session: Session, body: SubmissionCreate, key_id: int, idempotency_key: str | None) -> None:
    """Check the interview again inside the storing transaction, the interview locked, so that
    submissions checked at once cannot take more attempts than allowed (a replay passes)."""
    if body.interview_id is None:
        return
    if idempotency_key is not None and session.scalar(select(Submission.id).where(
            Submission.key_id == key_id, Submission.idempotency_key == idempotency_key)) is not None:
        return
    try:
        service.admit_locked(session, body.interview_id, body.question_id, body.practice)
    except service.InterviewError as exc:
        raise refused(exc, "") from exc


def stored(rows: list[Submission]) -> None:
    """After new submissions are stored: wake the live boards of their interviews."""
    for interview_id in sorted({r.interview_id for r in rows if r.interview_id is not None}):
        announce(interview_topic(interview_id))


def announce(topic: str) -> None:
    """Wake the live streams (in every API process) that follow ``topic``; a failure is only logged:
    streams also look now and then."""
    notifier: Notifier | None = current_app.extensions.get("grader.notifier")
    if notifier is None:
        settings = services().settings
        notifier = current_app.extensions.setdefault("grader.notifier", Notifier(settings, settings.broker_timeout_s))
    try:
        notifier.finished(topic)
    except Exception as exc:  # noqa: BLE001 - Redis away, a full socket: the streams' own look finds it
        log.warning("could not announce %s: %s", topic, exc)
