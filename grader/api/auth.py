"""API keys on every /v1 request: who is calling, what they may do, how often."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, Response, g, request, session

from grader.api.problems import ApiError
from grader.api.services import services
from grader.storage.keys import Caller, KeyRole, authenticate

F = TypeVar("F", bound=Callable[..., Any])
ANY_ROLE = tuple(KeyRole)


def caller() -> Caller:
    found: Caller = g.caller
    return found


def presented_key() -> str | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.headers.get("X-API-Key")


def requires(*roles: KeyRole) -> Callable[[F], F]:
    """Authenticate the key, check its role, and count the request against its rate limit.

    Runs before the view reads the request body: an unauthenticated body is never parsed.
    """

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            key = presented_key()
            challenge = {"WWW-Authenticate": 'Bearer realm="grader"'}
            svc = services()
            if not key:
                who = web_session_caller()  # stand-in until the interviews back end's session sign-in lands
                if who is None:
                    raise ApiError(401, "Unauthorized", "send an API key: 'Authorization: Bearer gk_...'", challenge)
            else:
                with svc.sessions() as session:
                    who = authenticate(session, key)
            if who is None:
                raise ApiError(401, "Unauthorized", "the API key is unknown or revoked", challenge)
            if who.role not in roles:
                allowed = ", ".join(r.value for r in roles)
                raise ApiError(403, "Forbidden", f"a {who.role.value} key cannot do this (needs: {allowed})")
            limit = who.rate_limit_per_min or svc.settings.rate_limit_per_min
            g.rate_quota = quota = svc.limiter.hit(str(who.key_id), limit)
            if not quota.allowed:
                raise ApiError(429, "Too Many Requests", f"this key may make {limit} requests a minute")
            g.caller = who
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate


def web_session_caller() -> Caller | None:
    """The web app's signed-in session; its unsafe requests must carry the session's CSRF token."""
    from grader.web.security import CSRF_HEADER, SESSION_CSRF, current_caller

    who = current_caller()
    if who is not None and request.method not in ("GET", "HEAD", "OPTIONS"):
        expected = session.get(SESSION_CSRF)
        if not isinstance(expected, str) or not hmac.compare_digest(expected, request.headers.get(CSRF_HEADER, "")):
            raise ApiError(403, "Forbidden", f"a signed-in session must send its CSRF token in {CSRF_HEADER}")
    return who


def install(app: Flask) -> None:
    """Every response to a counted request carries ``RateLimit-*`` (and ``Retry-After`` on 429)."""

    @app.after_request
    def _rate_headers(response: Response) -> Response:
        quota = g.get("rate_quota")
        if quota is not None:
            response.headers.update(quota.headers())
        return response
