"""Sessions, CSRF and the Content-Security-Policy of the web app.

A session is Flask's signed cookie (``HttpOnly``, ``SameSite=Lax``, ``Secure`` when the request
came over https) holding the API key's id (``key_id``), never the key; the key is looked up
on every request, so a revoked key signs its sessions out at once. Every unsafe request of a
page (form post or ``fetch``) carries the session's CSRF token (form field ``csrf_token`` or
header ``X-CSRF-Token``) and, when the browser sends one, an ``Origin`` of this site.
"""

from __future__ import annotations

import hmac
import os
import secrets
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Blueprint, Flask, Response, abort, g, redirect, render_template, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from werkzeug.exceptions import HTTPException

from grader.api.services import services
from grader.settings import Settings
from grader.storage.keys import Caller
from grader.storage.models import ApiKey
from submissions_schema import KeyRole

F = TypeVar("F", bound=Callable[..., Any])
STAFF = (KeyRole.admin, KeyRole.interviewer, KeyRole.lms)
# The same names as the API's session sign-in (grader/api/auth.py), which accepts these sessions.
CSRF_FIELD, CSRF_HEADER, SESSION_CSRF, SESSION_KEY_ID = "csrf_token", "X-CSRF-Token", "csrf_token", "key_id"
# No inline script anywhere and no inline style attribute. CodeMirror writes its stylesheet into a
# <style> element: that one carries this response's nonce (``EditorView.cspNonce``).
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'nonce-{nonce}'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie, marked ``Secure`` whenever the request itself came over https."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def secret_key(settings: Settings) -> str:
    """``GRADER_SECRET_KEY``, else a random key kept in the data dir (made once, readable by this user only)."""
    configured = getattr(settings, "secret_key", None)
    if configured:
        return str(configured)
    path: Path = settings.data_dir / "secret-key"
    if not path.is_file():
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(48) + "\n")
        except FileExistsError:
            pass  # another process made it first: read theirs
    return path.read_text().strip()


def install(app: Flask) -> None:
    """Session cookie settings, the CSP on every response, and the CSRF check on every unsafe page request."""
    settings = services_settings(app)
    app.secret_key = secret_key(settings)
    app.session_interface = SessionInterface()
    app.config.update(SESSION_COOKIE_NAME="grader_session", SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SAMESITE="Lax")

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


def csrf_token() -> str:
    """This session's CSRF token (made on first use)."""
    token = session.get(SESSION_CSRF)
    if not isinstance(token, str):
        token = session[SESSION_CSRF] = secrets.token_urlsafe(32)
    return token


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
    session.clear()
    session[SESSION_KEY_ID] = caller.key_id
    if interview_id:
        session["interview_id"] = interview_id
    session.permanent = False
    csrf_token()


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
