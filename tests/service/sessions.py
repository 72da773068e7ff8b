"""Signed-in sessions for the tests: what the web app's sign-in pages give a browser.

The web app signs a candidate in with an invite (``by_token`` then ``sign_in`` with the
interview's candidate key); these helpers make the same signed session for a test client
or as a cookie for a real HTTP client.
"""

from __future__ import annotations

import secrets

from flask import Flask
from flask.testing import FlaskClient

from grader.api.auth import SESSION_COOKIE, SESSION_CSRF, SESSION_KEY_ID
from grader.interviews import service


def invite_key(app: Flask, invite_url: str) -> int:
    """The key an invite signs in as (and the interview's clock started, as opening it does)."""
    with app.extensions["grader"].sessions() as session:
        interview = service.by_token(session, invite_url.rsplit("/", 1)[1])
        assert interview is not None
        service.start(session, interview)
        return interview.candidate_key_id


def signed_in(app: Flask, key_id: int) -> tuple[FlaskClient, str]:
    """A test client holding a session for ``key_id``, and the session's CSRF token."""
    client = app.test_client()
    csrf = secrets.token_urlsafe(16)
    with client.session_transaction() as session:
        session[SESSION_KEY_ID] = key_id
        session[SESSION_CSRF] = csrf
    return client, csrf


def session_cookie(app: Flask, key_id: int) -> tuple[str, str]:
    """A ``Cookie`` header value for ``key_id``'s session, signed with the app's secret, and its CSRF token."""
    csrf = secrets.token_urlsafe(16)
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    value = serializer.dumps({SESSION_KEY_ID: key_id, SESSION_CSRF: csrf})
    return f"{SESSION_COOKIE}={value}", csrf
