"""The web app: server-rendered pages for candidates and staff beside the API (``/v1``).

``install(app)`` adds the CSRF checks of pages, the Content-Security-Policy, the
templates' filters and the two blueprints (``pages``: sign-in and what candidates see;
``staff``: dashboard, interviews, admin). Browser assets are built by
``scripts/build-web-assets.sh`` and committed under ``static/``.
"""

from __future__ import annotations

from flask import Flask

from grader.web import pages, security, staff
from grader.web.markup import markdown


def install(app: Flask) -> None:
    security.install(app)
    app.jinja_env.filters["markdown"] = markdown
    for blueprint in (pages.blueprint, staff.blueprint):
        app.register_blueprint(blueprint)

