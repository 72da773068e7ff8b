"""``/v1/submissions``: submit, read (optionally waiting for the report), list, batch."""

from __future__ import annotations

import logging
import re
import uuid

from flask import Blueprint, Response, request
from sqlalchemy.exc import IntegrityError

from grader.api.auth import ANY_ROLE, STAFF, caller, requires
from grader.api.http import json_response, read_body
from grader.api.interviews import admit_to_interview, guard
from grader.api.interviews import stored as announce_stored
from grader.api.openapi import AUTH, WRITES, Param, documented
from grader.api.problems import ApiError
from grader.api.questions import lookup
from grader.api.quotas import check_candidate_quota
from grader.api.services import services
from grader.api.webhooks import checked_url
from grader.exports import FORMATS, FULL_FORMATS, render_format
from grader.grading.dispatch import JobMismatch, validate_job
from grader.kinds import kind_of
from grader.notebooks import NotebookError, notebook_to_source, source_of
from grader.queueing import queue_for
from grader.storage import submissions as store
from grader.storage.keys import Caller, KeyRole
from grader.storage.models import ApiKey, Submission
from grader.views import submission_view
from grader.waiting import until_finished
from submissions_schema import GradingJob
from submissions_schema.api import BatchCreate, BatchCreated, SubmissionCreate, SubmissionPage, SubmissionView

blueprint = Blueprint("submissions", __name__)
IDEMPOTENCY = Param("Idempotency-Key", {"type": "string"}, "Same key and body: the same submission; same key, "
                    "other body: 409.", where="header")
STATUSES = ("queued", "running", "completed", "failed")
NUMBER = re.compile(r"[0-9]{1,12}(\.[0-9]{1,12})?")  # ASCII only: "²".isdigit() is True
log = logging.getLogger(__name__)


@blueprint.post("/v1/submissions")
@documented("Submit an answer (to an interview: its limits apply)", ok=202, body=SubmissionCreate,
            response=SubmissionView, problems=WRITES + (409,), params=(IDEMPOTENCY,))
@requires(*ANY_ROLE)
def create_submission() -> Response:
    body = admit(read_body(SubmissionCreate), "")
    ensure_room(1)
    row, created = store_one(body, idempotency_key())
    view = to_view(row, caller())
    headers = {"Location": f"/v1/submissions/{row.id}"}
    if not created:
        headers["Idempotent-Replayed"] = "true"
    return json_response(view, 202, headers)


@blueprint.post("/v1/submissions/batch")
@documented("Submit several answers", ok=202, body=BatchCreate, response=BatchCreated, problems=WRITES + (409,),
            params=(IDEMPOTENCY,))
@requires(*STAFF)
def create_batch() -> Response:
    batch = read_body(BatchCreate)
    limit = services().settings.max_batch
    if len(batch.submissions) > limit:
        raise ApiError(422, "Unprocessable Content", f"a batch holds at most {limit} submissions")
    bodies = [admit(item, f"submissions[{i}].") for i, item in enumerate(batch.submissions)]
    ensure_room(len(bodies))
    key = idempotency_key()
    batch_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{caller().key_id}/{key}")) if key else str(uuid.uuid4())
    stored = store_all(bodies, [f"{key}#{i}" if key else None for i in range(len(bodies))], batch_id)
    views = [to_view(row, caller()) for row, _ in stored]
    return json_response(BatchCreated(batch_id=batch_id, submissions=views), 202)


@blueprint.get("/v1/submissions/<submission_id>")
@documented("A submission, with its report once graded", response=SubmissionView, problems=AUTH + (404, 409),
            params=(Param("wait", {"type": "number", "minimum": 0, "maximum": 60}, "Seconds to hold for the report"),
                    Param("format", {"type": "string", "enum": list(FORMATS)}, "gradescope: the report as "
                          "Gradescope's results.json (the students' export); gradescope-full: with the hidden tests' "
                          "details (staff keys); junit: as JUnit XML (409 before it exists)")),
            content={"application/json": {"schema": {"anyOf": [{"$ref": "#/components/schemas/SubmissionView"},
                                                               {"type": "object",
                                                                "description": "Gradescope results.json"}]}},
                     "application/xml": {"schema": {"type": "string", "description": "JUnit XML"}}})
@requires(*ANY_ROLE)
def get_submission(submission_id: str) -> Response:
    """The submission; ``?format=gradescope|gradescope-full|junit`` gives its report in that format instead
    (``gradescope`` is the student's export whoever asks; ``gradescope-full`` is for staff keys)."""
    fmt = request.args.get("format", "json")
    if fmt not in FORMATS:
        raise ApiError(400, "Bad Request", f"format must be one of {', '.join(FORMATS)}")
    if fmt in FULL_FORMATS and not caller().role.sees_full_reports:
        raise ApiError(403, "Forbidden", f"format {fmt} carries hidden tests' details: staff keys only")
    wait = number_arg("wait", 0.0, 0.0, services().settings.max_wait_s)
    row = until_finished(lambda: readable(submission_id), wait, caller().key_id)
    view = to_view(row, caller())
    if fmt == "json":
        return json_response(view)
    if view.report is None:
        raise ApiError(409, "Conflict", f"submission {row.id} is {row.status}: no report yet (ask with ?wait=)")
    body, media_type = render_format(view.report, fmt)
    return Response(body, mimetype=media_type)


@blueprint.get("/v1/submissions")
@documented("List submissions, newest first", response=SubmissionPage, params=(
    Param("question_id", {"type": "string"}, "Only this question"),
    Param("candidate", {"type": "string"}, "Only this candidate"),
    Param("status", {"type": "string", "enum": list(STATUSES)}, "Only this status"),
    Param("batch_id", {"type": "string"}, "Only this batch"),
    Param("interview_id", {"type": "string"}, "Only this interview's"),
    Param("limit", {"type": "integer", "minimum": 1, "maximum": 200}, "Page size (default 50)"),
    Param("cursor", {"type": "string"}, "next_cursor of the previous page"),
))
@requires(*ANY_ROLE)
def list_submissions() -> Response:
    settings = services().settings
    limit = int(number_arg("limit", 50, 1, settings.page_size_max))
    status = request.args.get("status")
    if status is not None and status not in STATUSES:
        raise ApiError(400, "Bad Request", f"status must be one of {', '.join(STATUSES)}")
    cursor = request.args.get("cursor")
    if cursor is not None and not (cursor.isascii() and cursor.isdigit() and len(cursor) < 18):
        raise ApiError(400, "Bad Request", "cursor must be a value returned as next_cursor")
    who = caller()
    filters = store.Filters(
        question_id=request.args.get("question_id"), candidate=request.args.get("candidate"), status=status,
        batch_id=request.args.get("batch_id"), key_id=who.key_id if who.role is KeyRole.candidate else None,
        interview_id=request.args.get("interview_id"),
    )
    with services().sessions() as session:
        rows = store.page(session, filters, limit, int(cursor) if cursor else None)
    next_cursor = str(rows[-1].seq) if len(rows) == limit else None
    return json_response(SubmissionPage(items=[to_view(r, who) for r in rows], next_cursor=next_cursor))


def admit(body: SubmissionCreate, where: str) -> SubmissionCreate:
    """Check a submission against its question and the caller; 4xx problems otherwise."""
    settings = services().settings
    try:
        question = lookup(body.question_id)
    except ApiError as exc:
        raise ApiError(422, "Unprocessable Content", f"{where}question_id: {exc.detail}") from exc
    if body.notebook is not None:  # graded, and stored, as the code it stands for
        try:
            code = notebook_to_source(body.notebook) if isinstance(body.notebook, str) else source_of(body.notebook)
        except NotebookError as exc:
            raise ApiError(422, "Unprocessable Content", f"{where}notebook: {exc}") from exc
        body = body.model_copy(update={"code": code, "notebook": None})
    if body.code is not None and len(body.code.encode("utf-8")) > settings.max_code_kib * 1024:
        raise ApiError(413, "Content Too Large", f"{where}code: larger than {settings.max_code_kib} KiB")
    try:
        validate_job(GradingJob(question_id=body.question_id, code=body.code, answers=body.answers), question)
    except JobMismatch as exc:
        raise ApiError(422, "Unprocessable Content", f"{where}{exc}") from exc
    if body.practice and kind_of(question).name != "coding":
        raise ApiError(422, "Unprocessable Content", f"{where}practice: practice runs are for coding questions "
                       "(they run the visible cases)")
    who = caller()
    if body.callback_url is not None:
        checked_url(body.callback_url, f"{where}callback_url")
        with services().sessions() as session:
            key = session.get(ApiKey, who.key_id)
            if key is None or not key.callback_secret:
                raise ApiError(422, "Unprocessable Content", f"{where}callback_url: create this key's callback "
                               "secret first (POST /v1/webhooks/callback-secret); it signs callbacks")
    if who.role is KeyRole.candidate:
        if body.candidate not in (None, who.name):
            raise ApiError(403, "Forbidden", f"{where}candidate: a candidate key submits as itself ('{who.name}')")
        body = body.model_copy(update={"candidate": who.name})
    body = admit_to_interview(body, where)
    if not body.practice:  # a practice run shows nothing of the hidden tests: no look to count
        check_candidate_quota(body.question_id)
    return body


def ensure_room(count: int) -> None:
    svc = services()
    with svc.sessions() as session:
        depth = store.queue_depth(session)
    if depth + count > svc.settings.max_queue_depth:
        detail = f"the queue is full ({depth} waiting); try again later"
        raise ApiError(503, "Service Unavailable", detail, {"Retry-After": "30"})


def idempotency_key() -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is not None and not (1 <= len(key) <= 180 and key.isprintable()):
        raise ApiError(400, "Bad Request", "Idempotency-Key must be 1 to 180 printable characters")
    return key


def store_one(body: SubmissionCreate, key: str | None) -> tuple[Submission, bool]:
    """Store and enqueue one submission; a replay of the same Idempotency-Key and body returns the stored one."""
    return store_all([body], [key], None)[0]


def store_all(bodies: list[SubmissionCreate], keys: list[str | None],
              batch_id: str | None) -> list[tuple[Submission, bool]]:
    """Store every submission in one transaction (all or none), then enqueue the new ones.

    A broker that cannot take a message leaves its submission ``queued``: it is stored,
    answered 202, and the sweeper sends it again. A database that cannot store is a 503/507.
    """
    svc = services()
    for attempt in range(2):
        with svc.sessions() as session:
            try:
                stored = []
                for body, key in zip(bodies, keys, strict=True):
                    guard(session, body, caller().key_id, key)
                    stored.append(store.create(session, caller().key_id, body, key, batch_id, commit=False))
                session.commit()
                break
            except store.IdempotencyConflict as exc:
                raise ApiError(409, "Conflict",
                               f"Idempotency-Key was used for submission {exc} with another body") from exc
            except IntegrityError:  # a concurrent request with the same idempotency key won: replay it
                if attempt:
                    raise
    new = [row for row, created in stored if created]
    announce_stored(new)
    for sent, row in enumerate(new):
        if not enqueue(row):  # the broker is down: the rest wait for the sweeper too, without a wait each
            log.warning("%d submissions stored but not enqueued (the sweeper will send them)", len(new) - sent)
            break
    return stored


def enqueue(row: Submission) -> bool:
    """Send a stored submission to its queue; ``False`` if the broker could not take it."""
    question = services().questions[row.question_id]
    try:
        services().queue.enqueue(row.id, queue_for(kind_of(question).device(question)))
    except Exception as exc:  # noqa: BLE001 - the broker may fail in many ways; the row is kept for the sweeper
        log.warning("the queue is unavailable: %s", exc)
        return False
    return True


def readable(submission_id: str) -> Submission:
    """The submission if the caller may read it; 404 otherwise (a candidate never learns others exist)."""
    with services().sessions() as session:
        row = store.get(session, submission_id[:64])
    who = caller()
    if row is None or (who.role is KeyRole.candidate and row.key_id != who.key_id):
        raise ApiError(404, "Not Found", f"no submission '{submission_id[:64]}'")
    return row


def number_arg(name: str, default: float, low: float, high: float) -> float:
    """A plain decimal number (ASCII digits) from ``low`` to ``high``; 400 otherwise."""
    raw = request.args.get(name)
    if raw is None:
        return default
    value = float(raw) if NUMBER.fullmatch(raw) else float("nan")
    if not low <= value <= high:
        raise ApiError(400, "Bad Request", f"{name} must be a number from {low:g} to {high:g}")
    return value


def to_view(row: Submission, who: Caller) -> SubmissionView:
    return submission_view(row, who.role)
