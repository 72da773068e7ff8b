"""The web app: server-rendered pages for candidates and staff beside the API (``/v1``).

``install(app)`` adds the session cookie, the CSRF checks, the Content-Security-Policy, the
templates' filters and the two blueprints (``pages``: sign-in and what candidates see;
``staff``: dashboard, interviews, admin). Browser assets are built by
``scripts/build-web-assets.sh`` and committed under ``static/``.
"""

from __future__ import annotations

from flask import Blueprint, Flask, render_template
from werkzeug.exceptions import HTTPException

from grader.web import events, pages, security, staff
from grader.web.markup import markdown


def install(app: Flask) -> None:
    security.install(app)
    app.jinja_env.filters["markdown"] = markdown
    for blueprint in (pages.blueprint, staff.blueprint):
        _html_errors(blueprint)
        app.register_blueprint(blueprint)
    if "/v1/submissions/<submission_id>/events" not in {r.rule for r in app.url_map.iter_rules()}:
        app.register_blueprint(events.blueprint)


def _html_errors(blueprint: Blueprint) -> None:
    """Errors of pages are pages (the API's stay problem+json)."""

    @blueprint.errorhandler(HTTPException)
    def _page_error(exc: HTTPException) -> tuple[str, int]:
        code = exc.code or 500
        return render_template("error.html", code=code, name=exc.name, description=exc.description), code
