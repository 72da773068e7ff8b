"""Who is calling, what they may do, how often: an API key, or a signed-in browser session.

Two ways in, one caller: a request that presents a key (``Authorization: Bearer gk_...`` or
``X-API-Key``) is that key; one that presents none may carry the web app's session, a cookie
signed with the app's secret (Flask's ``session``) holding the ``key_id`` that signed in
(:func:`sign_in`). A session's unsafe requests (anything but GET, HEAD, OPTIONS) must also send
the session's CSRF token in ``X-CSRF-Token``: a cookie travels with any request the browser
makes, a header only with the page's own. The key behind a session is looked up on every
request, so revoking it ends the session too.
"""

from __future__ import annotations

import hmac
import logging
import os
import secrets
import stat
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask, Response, g, request, session
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import select

from grader.api.problems import ApiError
from grader.api.services import services
from grader.settings import Settings
from grader.storage.keys import Caller, KeyRole, authenticate
from grader.storage.models import ApiKey

F = TypeVar("F", bound=Callable[..., Any])
ANY_ROLE = tuple(KeyRole)
STAFF = (KeyRole.admin, KeyRole.interviewer, KeyRole.lms)
SESSION_KEY_ID = "key_id"
SESSION_CSRF = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SESSION_COOKIE = "grader_session"
SECRET_FILE = "secret-key"
log = logging.getLogger(__name__)


def caller() -> Caller:
    found: Caller = g.caller
    return found


def presented_key() -> str | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.headers.get("X-API-Key")


def sign_in(key_id: int) -> str:
    """Start a signed session for the key ``key_id`` (the web's sign-in pages call this, after
    checking the key or the invite); returns the session's new CSRF token."""
    session.clear()
    session[SESSION_KEY_ID] = key_id
    session[SESSION_CSRF] = token = secrets.token_urlsafe(32)
    return token


def sign_out() -> None:
    session.clear()


def csrf_token() -> str:
    """This session's CSRF token (made now if it has none): the page sends it in ``X-CSRF-Token``."""
    token = session.get(SESSION_CSRF)
    if not isinstance(token, str):
        session[SESSION_CSRF] = token = secrets.token_urlsafe(32)
    return token


def csrf_ok() -> bool:
    """The request's ``X-CSRF-Token`` is the session's token."""
    expected, sent = session.get(SESSION_CSRF), request.headers.get(CSRF_HEADER, "")
    return isinstance(expected, str) and hmac.compare_digest(expected.encode(), sent.encode())


def session_caller() -> Caller | None:
    """The caller of this request's signed session, ``None`` without one or when its key is revoked."""
    key_id = session.get(SESSION_KEY_ID)
    if not isinstance(key_id, int) or isinstance(key_id, bool):
        return None
    with services().sessions() as db:
        row = db.scalar(select(ApiKey).where(ApiKey.id == key_id, ApiKey.revoked_at.is_(None)))
    return None if row is None else Caller(row.id, row.name, KeyRole(row.role), row.rate_limit_per_min)


def identify() -> Caller:
    """The caller, by key or by session; 401 (or 403 for a session's unsafe request without its CSRF token)."""
    key = presented_key()
    challenge = {"WWW-Authenticate": 'Bearer realm="grader"'}
    if key:
        with services().sessions() as db:
            who = authenticate(db, key)
        if who is None:
            raise ApiError(401, "Unauthorized", "the API key is unknown or revoked", challenge)
        return who
    if SESSION_KEY_ID not in session:
        raise ApiError(401, "Unauthorized", "send an API key: 'Authorization: Bearer gk_...'", challenge)
    if request.method not in SAFE_METHODS and not csrf_ok():
        raise ApiError(403, "Forbidden", f"a signed-in session must send its CSRF token in {CSRF_HEADER}")
    found = session_caller()
    if found is None:
        raise ApiError(401, "Unauthorized", "the session's key is revoked; sign in again", challenge)
    return found


def requires(*roles: KeyRole) -> Callable[[F], F]:
    """Authenticate the key or session, check its role, and count the request against its rate limit.

    Runs before the view reads the request body: an unauthenticated body is never parsed.
    """

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            who = identify()
            if who.role not in roles:
                allowed = ", ".join(r.value for r in roles)
                raise ApiError(403, "Forbidden", f"a {who.role.value} key cannot do this (needs: {allowed})")
            svc = services()
            limit = who.rate_limit_per_min or svc.settings.rate_limit_per_min
            g.rate_quota = quota = svc.limiter.hit(str(who.key_id), limit)
            if not quota.allowed:
                raise ApiError(429, "Too Many Requests", f"this key may make {limit} requests a minute")
            g.caller = who
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate


class _SessionCookies(SecureCookieSessionInterface):
    """Flask's signed cookie sessions, ``Secure`` on https requests (or always, by the setting)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def stored_secret(data_dir: Path) -> str:
    """The secret kept in ``data_dir/secret-key`` (mode 0600), made on first use.

    Written whole under another name and linked into place, so processes starting at once
    agree on one secret and none reads a half-written file.
    """
    path = data_dir / SECRET_FILE
    if not path.is_file():
        data_dir.mkdir(parents=True, exist_ok=True)
        spare = data_dir / f".{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(spare, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(spare, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            spare.unlink()
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        log.warning("%s was readable by others; made it private (0600)", path)
        path.chmod(0o600)
    return path.read_text().strip()


def install(app: Flask, settings: Settings) -> None:
    """Sessions (secret, cookie flags) and ``RateLimit-*`` on every response to a counted request
    (``Retry-After`` on 429)."""
    secret = settings.secret_key.get_secret_value() if settings.secret_key else stored_secret(settings.data_dir)
    app.secret_key = secret
    app.config.update(
        SESSION_COOKIE_NAME=SESSION_COOKIE, SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.cookie_secure,
        PERMANENT_SESSION_LIFETIME=timedelta(seconds=settings.session_lifetime_s),
    )
    app.session_interface = _SessionCookies()

    @app.after_request
    def _rate_headers(response: Response) -> Response:
        quota = g.get("rate_quota")
        if quota is not None:
            response.headers.update(quota.headers())
        return response
