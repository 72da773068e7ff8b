"""Staff pages: the dashboard, interviews, a submission's extras (code, diff, re-grade) and admin pages.

Forms post here with the session's CSRF token and call the same services as the API.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, Literal, cast

from flask import Blueprint, abort, redirect, render_template, request, url_for
from sqlalchemy import select

from grader.api.problems import ApiError
from grader.api.services import services
from grader.api.webhooks import checked_url
from grader.interviews import service as interview_service
from grader.storage import submissions as store
from grader.storage.keys import Caller, create_key, list_keys, revoke_key
from grader.storage.models import Submission, WebhookAttempt, WebhookDelivery, WebhookSubscription, utcnow
from grader.web.markup import diff_lines, python_html
from grader.web.security import STAFF, html_errors, signed_in
from grader.webhooks.signing import new_secret
from submissions_schema import KeyRole
from submissions_schema.api import SubmissionCreate

blueprint = Blueprint("staff", __name__, template_folder="templates")
html_errors(blueprint)
ADMIN = (KeyRole.admin,)
EVENTS = ("submission.completed", "submission.failed", "interview.completed")


def boards(found: list[Any]) -> list[dict[str, Any]]:
    service, now = interview_service, datetime.now(UTC)
    with services().sessions() as db:
        return [{"interview": i, "state": service.state(i, now), "board": service.board(db, i)} for i in found]


def visible_interviews(who: Caller) -> list[Any]:
    """The interviews ``who`` may see."""
    service = interview_service
    with services().sessions() as db:
        found: list[Any] = service.list_for(db, who)
    return found


@blueprint.get("/dashboard")
@signed_in(*STAFF)
def dashboard(who: Caller) -> str:
    """Every interview this key may see, one row per candidate, a cell per question; live while open."""
    rows = boards(visible_interviews(who))
    live = [r["interview"].id for r in rows if r["state"].open][:4]  # a browser holds few streams per site
    return render_template("dashboard.html", rows=rows, live=live, fragment=url_for("staff.dashboard_board"))


@blueprint.get("/dashboard/board")
@signed_in(*STAFF)
def dashboard_board(who: Caller) -> str:
    return render_template("board.html", rows=boards(visible_interviews(who)))


def own_interview(who: Caller, interview_id: str) -> Any:
    service = interview_service
    with services().sessions() as db:
        found = service.get(db, interview_id)
    if found is None or (who.role is not KeyRole.admin and found.created_by_key_id != who.key_id):
        abort(404)
    return found


@blueprint.route("/interviews/new", methods=["GET", "POST"])
@signed_in(*STAFF)
def interview_new(who: Caller) -> Any:
    service, bank = interview_service, services().questions
    if request.method == "GET":
        return render_template("interview_new.html", bank=bank.values(), problem=None, form={}, chosen=[])
    form = request.form
    try:
        chosen = form.getlist("question_ids")
        minutes, attempts = _optional_int(form, "time_limit_min"), _optional_int(form, "attempts_limit")
        name = form.get("candidate_name", "").strip()
        if not name or len(name) > 200 or not chosen or any(q not in bank for q in chosen):
            raise ValueError("Give the candidate's name (at most 200 characters) and at least one question.")
        chosen_feedback = form.get("hidden_feedback") or None
        if chosen_feedback not in (None, "summary", "per_test"):
            raise ValueError("Unknown hidden feedback policy.")
        feedback = cast(Literal["summary", "per_test"] | None, chosen_feedback)
        with services().sessions() as db:
            created, token = service.create_interview(
                db, who, name, chosen, time_limit_s=minutes * 60 if minutes else None, attempts_limit=attempts,
                hidden_feedback=feedback)
    except ValueError as exc:
        return render_template("interview_new.html", bank=bank.values(), problem=str(exc), form=form,
                               chosen=form.getlist("question_ids")), 422
    invite = url_for("web.invite", token=token, _external=True)
    return render_template("interview_created.html", interview=created, invite=invite), 201


def _optional_int(form: Any, name: str) -> int | None:
    raw = (form.get(name) or "").strip()
    if not raw:
        return None
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= 100000:
        raise ValueError(f"{name.replace('_', ' ')}: a whole number from 1")
    return int(raw)


@blueprint.get("/interviews/<interview_id>")
@signed_in(*STAFF)
def interview_page(who: Caller, interview_id: str) -> str:
    found = own_interview(who, interview_id)
    return render_template("interview.html", row=boards([found])[0],
                           fragment=url_for("staff.interview_board", interview_id=found.id))


@blueprint.get("/interviews/<interview_id>/board")
@signed_in(*STAFF)
def interview_board(who: Caller, interview_id: str) -> str:
    return render_template("board.html", rows=boards([own_interview(who, interview_id)]))


@blueprint.post("/interviews/<interview_id>/close")
@signed_in(*STAFF)
def interview_close(who: Caller, interview_id: str) -> Any:
    found = own_interview(who, interview_id)
    with services().sessions() as db:
        interview_service.close(db, db.merge(found))
    return redirect(url_for("staff.interview_page", interview_id=found.id))


def submission_extras(row: Submission, diff_with: str | None) -> dict[str, Any]:
    """For staff: the highlighted code, the other attempts of this candidate at this question, a diff."""
    with services().sessions() as db:
        query = select(Submission).where(Submission.question_id == row.question_id, Submission.id != row.id)
        query = query.where(Submission.candidate == row.candidate) if row.candidate else \
            query.where(Submission.key_id == row.key_id)
        others = list(db.scalars(query.order_by(Submission.seq.desc()).limit(50)))
    other = next((o for o in others if o.id == diff_with), None)
    diff = diff_lines(other.code or "", row.code or "") if other is not None else None
    return {"code_html": python_html(row.code) if row.code is not None else None, "others": others,
            "diff_with": other, "diff": diff, "answers": row.answers}


@blueprint.post("/s/<submission_id>/regrade")
@signed_in(*STAFF)
def regrade(who: Caller, submission_id: str) -> Any:
    """Grade the same answer again as a new submission (the first keeps its report)."""
    from grader.api.submissions import enqueue

    with services().sessions() as db:
        row = store.get(db, submission_id[:64])
        if row is None:
            abort(404)
        body = SubmissionCreate(question_id=row.question_id, code=row.code, answers=row.answers,
                                candidate=row.candidate, metadata={"regrade_of": row.id})
        new, _ = store.create(db, who.key_id, body, None, None)
    enqueue(new)
    return redirect(url_for("web.submission", submission_id=new.id))


@blueprint.route("/admin/keys", methods=["GET", "POST"])
@signed_in(*ADMIN)
def admin_keys(who: Caller) -> Any:
    """Create (the key is shown once) and revoke API keys."""
    created, problem = None, None
    if request.method == "POST":
        if "revoke" in request.form:
            key_id = request.form["revoke"]
            with services().sessions() as db:
                if not key_id.isdigit() or not revoke_key(db, int(key_id)):
                    problem = "No such key, or it is revoked already."
        else:
            role, name = request.form.get("role", ""), request.form.get("name", "").strip()
            if role not in {r.value for r in KeyRole} or not 1 <= len(name) <= 200:
                problem = "Choose a role and give a name (at most 200 characters)."
            else:
                with services().sessions() as db:
                    created = create_key(db, KeyRole(role), name)
    with services().sessions() as db:
        keys = list_keys(db)
    return render_template("admin_keys.html", keys=keys, created=created, problem=problem,
                           roles=[r.value for r in KeyRole]), 422 if problem else 200


@blueprint.route("/admin/webhooks", methods=["GET", "POST"])
@signed_in(*ADMIN)
def admin_webhooks(who: Caller) -> Any:
    """This key's subscriptions (an admin's receive every event): add (secret shown once), delete, the log."""
    created, problem = None, None
    if request.method == "POST":
        created, problem = _change_webhooks(who)
    with services().sessions() as db:
        subs = list(db.scalars(select(WebhookSubscription).where(
            WebhookSubscription.key_id == who.key_id, WebhookSubscription.deleted_at.is_(None))))
        deliveries = list(db.scalars(select(WebhookDelivery).where(WebhookDelivery.key_id == who.key_id)
                                     .order_by(WebhookDelivery.created_at.desc()).limit(50)))
        attempts = {d.id: list(db.scalars(select(WebhookAttempt).where(WebhookAttempt.delivery_id == d.id)
                                          .order_by(WebhookAttempt.at))) for d in deliveries}
    return render_template("admin_webhooks.html", subs=subs, deliveries=deliveries, attempts=attempts,
                           created=created, problem=problem, events=EVENTS), 422 if problem else 200


def _change_webhooks(who: Caller) -> tuple[WebhookSubscription | None, str | None]:
    form = request.form
    with services().sessions() as db:
        if "delete" in form:
            sub = db.get(WebhookSubscription, form["delete"][:64])
            if sub is None or sub.key_id != who.key_id:
                return None, "No such subscription."
            sub.deleted_at = utcnow()
            db.commit()
            return None, None
        events = [e for e in form.getlist("events") if e in EVENTS]
        if not events:
            return None, "Choose at least one event."
        try:
            url = checked_url(form.get("url", "").strip()[:2000])
        except ApiError as exc:
            return None, exc.detail
        sub = WebhookSubscription(id=str(uuid.uuid4()), key_id=who.key_id, url=url, events=sorted(events),
                                  description=(form.get("description") or "")[:500] or None, secret=new_secret(),
                                  created_at=utcnow())
        db.add(sub)
        db.commit()
        return sub, None
