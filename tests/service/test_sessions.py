"""The API's second way in: the web app's signed session, with a CSRF token for unsafe methods."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from grader.api import create_app
from grader.api.auth import sign_in
from grader.storage.keys import revoke_key
from grader.storage.models import ApiKey
from tests.service.conftest import Api, FakeQueue, service_settings
from tests.service.sessions import signed_in
from tests.service.test_api import assert_problem, body


def key_id(api: Api, role: str, name: str) -> int:
    api.key(role, name)
    with api.app.extensions["grader"].sessions() as session:
        found = session.query(ApiKey).filter_by(name=name).one()
        return found.id


def test_a_session_reads_freely_and_writes_only_with_its_csrf_token(api: Api) -> None:
    client, csrf = signed_in(api.app, key_id(api, "candidate", "ada"))
    assert client.get("/v1/questions").status_code == 200
    assert_problem(client.post("/v1/submissions", json=body()), 403, "CSRF token in X-CSRF-Token")
    assert_problem(client.post("/v1/submissions", json=body(), headers={"X-CSRF-Token": csrf + "x"}), 403, "CSRF")
    # A cross-site form post: the cookie goes along, the header cannot.
    form = client.post("/v1/submissions", data={"question_id": "conv1d_full", "code": "x"})
    assert_problem(form, 403, "CSRF")
    made = client.post("/v1/submissions", json=body(), headers={"X-CSRF-Token": csrf})
    assert made.status_code == 202 and made.get_json()["candidate"] == "ada"
    assert "ratelimit-limit" in {h.lower() for h in made.headers.keys()}
    assert api.queue.sent[-1][0] == made.get_json()["id"]


def test_a_key_wins_over_a_session_and_needs_no_csrf(api: Api) -> None:
    client, _ = signed_in(api.app, key_id(api, "candidate", "ada"))
    key = api.key("interviewer", "ivy")
    made = client.post("/v1/submissions", json=body(), headers={"Authorization": f"Bearer {key}"})
    assert made.status_code == 202 and made.get_json()["candidate"] is None  # the interviewer's, not ada's


def test_no_session_and_a_revoked_key_are_401(api: Api) -> None:
    assert_problem(api.app.test_client().get("/v1/questions"), 401, "send an API key")
    ada = key_id(api, "candidate", "ada")
    client, _ = signed_in(api.app, ada)
    with api.app.extensions["grader"].sessions() as session:
        assert revoke_key(session, ada)
    assert_problem(client.get("/v1/questions"), 401, "revoked")
    forged = api.app.test_client()
    forged.set_cookie("grader_session", "eyJrZXlfaWQiOjF9.forged.signature")
    assert_problem(forged.get("/v1/questions"), 401, "send an API key")


def sign_in_route(app: Flask) -> FlaskClient:
    """The app with a route that signs in as the web app's pages do."""

    @app.get("/test-sign-in/<int:key>")
    def _sign_in(key: int) -> str:
        return sign_in(key)

    return app.test_client()


def test_cookies_are_httponly_lax_and_secure_on_https(make_api: Callable[..., Api]) -> None:
    api = make_api()
    client = sign_in_route(api.app)
    ada = key_id(api, "candidate", "ada")
    plain = client.get(f"/test-sign-in/{ada}").headers["Set-Cookie"]
    assert plain.startswith("grader_session=") and "HttpOnly" in plain and "SameSite=Lax" in plain
    assert "Secure" not in plain
    https = client.get(f"/test-sign-in/{ada}", base_url="https://grader.example").headers["Set-Cookie"]
    assert "Secure" in https and "HttpOnly" in https
    forced = make_api(cookie_secure=True)
    cookie = sign_in_route(forced.app).get(f"/test-sign-in/{ada}").headers["Set-Cookie"]
    assert "Secure" in cookie


def test_the_secret_is_made_once_kept_private_and_shared(tmp_path: Path, database_url: str) -> None:
    settings = service_settings(tmp_path, database_url)
    first = create_app(settings, queue=FakeQueue())
    secret = settings.data_dir / "secret-key"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600 and len(secret.read_text().strip()) >= 48
    second = create_app(settings, queue=FakeQueue())
    assert first.secret_key == second.secret_key == secret.read_text().strip()
    chosen = create_app(service_settings(tmp_path, database_url, secret_key="from-the-environment"), queue=FakeQueue())
    assert chosen.secret_key == "from-the-environment"
    api = Api(first, FakeQueue())
    client, _ = signed_in(first, key_id(api, "interviewer", "ivy"))
    cookie = client.get_cookie("grader_session")
    assert cookie is not None
    other = second.test_client()  # another process on the same data dir accepts the session
    other.set_cookie("grader_session", cookie.value)
    assert other.get("/v1/questions").status_code == 200
    stranger = chosen.test_client()
    stranger.set_cookie("grader_session", cookie.value)
    assert stranger.get("/v1/questions").status_code == 401
