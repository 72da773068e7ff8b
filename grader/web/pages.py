"""Pages everyone signs in to: sign-in (key or invite), the question list, a question, a submission.

Pages read through the same services as the API (same process); the browser submits and
follows a submission through the JSON API (``/v1/submissions``, its events) with the session.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, abort, jsonify, redirect, render_template, request, session, url_for
from sqlalchemy import select

from grader.api.questions import public
from grader.api.services import services
from grader.interviews import service as interview_service
from grader.notebooks import NotebookError, notebook_to_source
from grader.storage import submissions as store
from grader.storage.keys import Caller, authenticate
from grader.storage.models import Submission
from grader.views import submission_view
from grader.web.report import arrange
from grader.web.security import STAFF, check_csrf, current_caller, html_errors, safe_next, sign_in, signed_in
from submissions_schema import KeyRole

blueprint = Blueprint("web", __name__, template_folder="templates", static_folder="static",
                      static_url_path="/assets")
html_errors(blueprint)


@blueprint.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """Sign in with an API key (field ``key``); the key itself is never kept in the session."""
    problem = None
    if request.method == "POST":
        check_csrf()
        key = request.form.get("key", "").strip()
        with services().sessions() as db:
            who = authenticate(db, key) if key else None
        if who is not None:
            sign_in(who)
            return redirect(safe_next(request.form.get("next")))
        problem = "That key is unknown or revoked."
    return render_template("login.html", problem=problem, next=safe_next(request.args.get("next"))), \
        401 if problem else 200


@blueprint.post("/logout")
def logout() -> Any:
    check_csrf()
    session.clear()
    return redirect(url_for("web.login"))


@blueprint.get("/i/<token>")
def invite(token: str) -> Any:
    """An invite link signs its candidate in (and starts the interview's clock); a closed one says so."""
    service = interview_service
    with services().sessions() as db:
        found = service.by_token(db, token)
        if found is None:
            return render_template("ended.html", title="Unknown invite",
                                   message="This invite link is not valid. Ask your interviewer for a new one."), 404
        state = service.state(found, datetime.now(UTC))
        if not state.open:
            message = ended_text(state.reason)
            return render_template("ended.html", title="This interview has ended", message=message), 410
        found = service.start(db, found)
        key_id, interview_id = found.candidate_key_id, found.id
    sign_in(Caller(key_id, "", KeyRole.candidate, None), interview_id)
    return redirect(url_for("web.home"))


def ended_text(reason: str | None) -> str:
    return {"time_up": "The time for this interview is up.",
            "attempts_used": "Every attempt of this interview is used."}.get(
        reason or "", "The interviewer closed this interview.") + " Your submissions were kept."


@blueprint.get("/")
@signed_in()
def home(who: Caller) -> Any:
    return redirect(url_for("staff.dashboard" if who.role in STAFF else "web.questions"))


def interview_of(who: Caller) -> Any:
    """The interview this session sits (invite sign-in, or the key of an interview's candidate), or ``None``."""
    service = interview_service
    if who.role is not KeyRole.candidate:
        return None
    with services().sessions() as db:
        return service.for_candidate_key(db, who.key_id)


def interview_context(found: Any) -> dict[str, Any]:
    if found is None:
        return {"interview": None, "state": None}
    return {"interview": found, "state": interview_service.state(found, datetime.now(UTC))}


def allowed_questions(found: Any) -> list[str]:
    bank = services().questions
    return [q for q in found.question_ids if q in bank] if found is not None else list(bank)


@blueprint.get("/questions")
@signed_in()
def questions(who: Caller) -> str:
    """The questions (an interview's only, for its candidate), filterable by topic, with this key's state."""
    found = interview_of(who)
    bank = services().questions
    ids = allowed_questions(found)
    topics = sorted({bank[q].spec.topic for q in ids})
    topic = request.args.get("topic") or None
    shown = [bank[q] for q in ids if topic is None or bank[q].spec.topic == topic]
    return render_template("questions.html", questions=shown, topics=topics, topic=topic,
                           states=question_states(who), **interview_context(found))


def question_states(who: Caller) -> dict[str, dict[str, Any]]:
    """Per question this key answered: passed or failed, and its best score (practice runs apart)."""
    query = select(Submission.question_id, Submission.verdict, Submission.score, Submission.max_score).where(
        Submission.key_id == who.key_id, Submission.status == "completed")
    practice = getattr(Submission, "practice", None)  # the interviews back end's column (practice runs)
    if practice is not None:
        query = query.where(practice.is_(False))
    with services().sessions() as db:
        rows = db.execute(query).all()
    states: dict[str, dict[str, Any]] = {}
    for question_id, verdict, score, max_score in rows:
        state = states.setdefault(question_id, {"passed": False, "best": None, "max": max_score})
        state["passed"] = state["passed"] or verdict == "accepted"
        if score is not None and (state["best"] is None or score > state["best"]):
            state["best"], state["max"] = score, max_score
    return states


@blueprint.get("/q/<question_id>")
@signed_in()
def question(who: Caller, question_id: str) -> Any:
    found = interview_of(who)
    if question_id not in allowed_questions(found):
        abort(404)
    view = public(services().questions[question_id])
    attempts_left = None
    if found is not None:
        with services().sessions() as db:
            attempts_left = interview_service.attempts_left(db, found, question_id)
    return render_template("question.html", q=view, staff=who.role in STAFF, who=who, attempts_left=attempts_left,
                           draft_scope=f"{who.key_id}", **interview_context(found))


def readable(who: Caller, submission_id: str) -> Submission:
    """The submission if this session may read it; 404 otherwise, as the API does."""
    with services().sessions() as db:
        row = store.get(db, submission_id[:64])
    if row is None or (who.role is KeyRole.candidate and row.key_id != who.key_id):
        abort(404)
    return row


@blueprint.get("/s/<submission_id>")
@signed_in()
def submission(who: Caller, submission_id: str) -> str:
    """A submission: live status until graded, then its report (the reader's view); staff see more."""
    row = readable(who, submission_id)
    view = submission_view(row, who.role)
    extra: dict[str, Any] = {}
    if who.role in STAFF:
        from grader.web.staff import submission_extras

        extra = submission_extras(row, request.args.get("diff"))
    page = arrange(view.report) if view.report is not None else None
    return render_template("submission.html", s=view, page=page, staff=who.role in STAFF, **extra)


@blueprint.get("/s/<submission_id>/report")
@signed_in()
def report_fragment(who: Caller, submission_id: str) -> Any:
    """The report alone, for the question page to put in place when its events say it is ready."""
    view = submission_view(readable(who, submission_id), who.role)
    if view.report is None:
        return render_template("pending.html", s=view), 202
    return render_template("report.html", s=view, page=arrange(view.report), staff=who.role in STAFF)


@blueprint.post("/notebook")
@signed_in()
def notebook(who: Caller) -> Any:
    """A notebook's code cells as Python (magics removed), for the editor to show before submitting."""
    text = request.get_data(cache=False, as_text=False)
    limit = services().settings.max_code_kib * 1024 * 8  # outputs and images make notebooks larger than code
    if len(text) > limit:
        return problem(413, f"the notebook is larger than {limit // 1024} KiB")
    try:
        code = notebook_to_source(text)
    except NotebookError as exc:
        return problem(422, str(exc))
    return jsonify({"code": code})


def problem(status: int, detail: str) -> Response:
    response = jsonify({"type": "about:blank", "title": "Refused", "status": status, "detail": detail})
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


@blueprint.get("/docs")
def docs() -> str:
    return render_template("docs.html")


@blueprint.app_context_processor
def _globals() -> dict[str, Any]:
    from grader.web.security import csrf_token, style_nonce

    return {"csrf_token": csrf_token, "current": current_caller, "style_nonce": style_nonce}
