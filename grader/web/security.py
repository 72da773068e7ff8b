"""Sessions, CSRF and the Content-Security-Policy of the web app.

A session is Flask's signed cookie (``HttpOnly``, ``SameSite=Lax``, ``Secure`` when the request
came over https) holding the API key's id (``key_id``), never the key; the key is looked up
on every request, so a revoked key signs its sessions out at once. Every unsafe request of a
page (form post or ``fetch``) carries the session's CSRF token (form field ``csrf_token`` or
header ``X-CSRF-Token``) and, when the browser sends one, an ``Origin`` of this site.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Blueprint, Flask, Response, abort, g, redirect, render_template, request, session, url_for
from werkzeug.exceptions import HTTPException

from grader.api import auth
from grader.api.auth import CSRF_HEADER, SESSION_CSRF, SESSION_KEY_ID
from grader.api.auth import csrf_token as csrf_token  # the pages' templates read it from here
from grader.api.services import services
from grader.settings import Settings
from grader.storage.keys import Caller
from grader.storage.models import ApiKey
from submissions_schema import KeyRole

F = TypeVar("F", bound=Callable[..., Any])
STAFF = (KeyRole.admin, KeyRole.interviewer, KeyRole.lms)
CSRF_FIELD = "csrf_token"  # a form's field; fetch() sends the header (auth.CSRF_HEADER)
# No inline script anywhere and no inline style attribute. CodeMirror writes its stylesheet into a
# <style> element: that one carries this response's nonce (``EditorView.cspNonce``).
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'nonce-{nonce}'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")


def install(app: Flask) -> None:
    """The Content-Security-Policy and companions on every response (the session cookie and its
    secret are the API's: grader.api.auth)."""

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP.format(nonce=style_nonce()))
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response


def services_settings(app: Flask) -> Settings:
    found: Settings = app.extensions["grader"].settings
    return found


def style_nonce() -> str:
    """This response's nonce for the editor's own <style> element."""
    if "style_nonce" not in g:
        g.style_nonce = secrets.token_urlsafe(16)
    return str(g.style_nonce)


def check_csrf() -> None:
    """Refuse (403) an unsafe request without this session's token, or from another origin."""
    origin = request.headers.get("Origin")
    if origin is not None and urlsplit(origin).netloc != request.host:
        abort(403, "a request from another site")
    sent = request.form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
    expected = session.get(SESSION_CSRF)
    if not isinstance(expected, str) or not hmac.compare_digest(sent, expected):
        abort(403, "the form's CSRF token is missing or stale: reload the page and try again")


def sign_in(caller: Caller, interview_id: str | None = None) -> None:
    """A fresh session for ``caller`` (a new CSRF token: a session is never reused across sign-ins)."""
    auth.sign_in(caller.key_id)
    if interview_id:
        session["interview_id"] = interview_id
    session.permanent = False


def current_caller() -> Caller | None:
    """Who this session belongs to, or ``None`` (never signed in, or the key was revoked since)."""
    key_id = session.get(SESSION_KEY_ID)
    if not isinstance(key_id, int) or isinstance(key_id, bool):
        return None
    with services().sessions() as db:
        row = db.get(ApiKey, key_id)
    if row is None or row.revoked_at is not None:
        session.clear()
        return None
    return Caller(row.id, row.name, KeyRole(row.role), row.rate_limit_per_min)


def signed_in(*roles: KeyRole) -> Callable[[F], F]:
    """The page needs a session of one of ``roles``: sign-in page otherwise, 403 for another role.

    Unsafe methods are CSRF-checked here too, before the view reads the form.
    """
    allowed = roles or tuple(KeyRole)

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            who = current_caller()
            if who is None:
                if request.method != "GET":
                    abort(401)
                return redirect(url_for("web.login", next=request.full_path.rstrip("?")))
            if who.role not in allowed:
                abort(403, "this page is for staff")
            if request.method not in ("GET", "HEAD", "OPTIONS"):
                check_csrf()
            return view(who, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate


def html_errors(blueprint: Blueprint) -> None:
    """Errors of pages are pages (the API's stay problem+json); set once, when the blueprint is made."""

    @blueprint.errorhandler(HTTPException)
    def _page_error(exc: HTTPException) -> tuple[str, int]:
        code = exc.code or 500
        return render_template("error.html", code=code, name=exc.name, description=exc.description), code


def safe_next(target: str | None) -> str:
    """A local path to go to after signing in; anything else (another site, ``//host``) goes home."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
