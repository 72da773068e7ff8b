"""The Flask app factory: settings read once, one blueprint per area, problem+json errors."""

from __future__ import annotations

from flask import Flask

from grader import web
from grader.api import (
    auth,
    batches,
    events,
    health,
    http,
    interviews,
    openapi,
    overrides,
    problems,
    questions,
    submissions,
    webhooks,
)
from grader.api.ratelimit import make_limiter
from grader.api.services import Services
from grader.questions.loader import scan_bank
from grader.queueing import CeleryQueue, Queue
from grader.settings import Settings
from grader.storage.db import make_engine, sessions, upgrade


def create_app(settings: Settings | None = None, queue: Queue | None = None) -> Flask:
    """The API. ``queue`` defaults to Celery on the configured broker; tests above it may pass a fake."""
    settings = settings or Settings.load()
    engine = make_engine(settings.effective_database_url)
    upgrade(engine)
    bank, problems_found = scan_bank(settings.tasks_dir)
    app = Flask("grader")
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_kib * 1024
    for problem in problems_found:
        app.logger.warning("skipped an invalid question: %s", problem)
    app.extensions["grader"] = Services(
        settings=settings, sessions=sessions(engine), queue=queue or CeleryQueue(settings),
        limiter=make_limiter(settings), questions=bank,
    )
    problems.install(app)
    http.install(app)
    auth.install(app, settings)
    for module in (questions, submissions, batches, overrides, interviews, events, webhooks, health, openapi):
        app.register_blueprint(module.blueprint)
    web.install(app)  # the pages at / (grader/web), beside the API under /v1
    return app


def server_options(settings: Settings) -> dict[str, int]:
    """Options for the WSGI server (waitress): it refuses a body over the cap from its
    Content-Length, and stops reading a chunked one at the cap, before the app runs."""
    return {"max_request_body_size": settings.max_request_kib * 1024}
