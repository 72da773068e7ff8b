"""``/openapi.json``, generated from the app's routes and the pydantic models of their bodies.

Each API view carries its operation (:func:`documented`: summary, body and response models,
problems, parameters); :func:`document` walks ``app.url_map`` and writes one OpenAPI 3.1
operation per route and method, its path parameters read from the route itself, its schemas
from the models. A view without an operation is left out, and a test fails when a route of the
API is missing: the description cannot fall behind the routes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import Blueprint, Flask, Response, current_app
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema
from werkzeug.routing import Rule

from submissions_schema.api import InterviewEvent, Problem, WebhookEvent

F = TypeVar("F", bound=Callable[..., Any])
blueprint = Blueprint("openapi", __name__)
ATTRIBUTE = "openapi_operation"
PROBLEMS = {
    400: "Malformed request (JSON, parameters, headers)", 401: "Missing, unknown or revoked API key or session",
    403: "The key's role may not do this; a session's unsafe request without its CSRF token; a limit that "
         "waiting does not lift (an interview closed, a candidate's submissions used up)",
    404: "No such resource (or not the caller's)", 405: "Method not allowed",
    409: "Conflict: Idempotency-Key reused with another body, an interview question's attempts used up, "
         "no report yet", 413: "Body or code larger than allowed",
    415: "Body is not JSON", 422: "Body does not validate", 429: "Rate limit exceeded (see Retry-After)",
    503: "Queue full or database unavailable (see Retry-After)", 507: "Disk full: nothing stored (see Retry-After)",
}
AUTH = (400, 401, 403, 429, 503)
WRITES = AUTH + (413, 415, 422, 507)
RATE_HEADERS = {
    name: {"description": description, "schema": {"type": "integer", "minimum": 0}}
    for name, description in (("RateLimit-Limit", "Requests this key may make in a moving minute"),
                              ("RateLimit-Remaining", "Requests left in the window"),
                              ("RateLimit-Reset", "Seconds until the window has room again"))
}
STREAM = {"text/event-stream": {"schema": {"type": "string", "description": "Server-sent events"}}}
CSV = {"text/csv": {"schema": {"type": "string"}}}
TEXT = {"text/plain": {"schema": {"type": "string"}}}
ANY_JSON = {"application/json": {"schema": {"type": "object"}}}
# <converter(arguments):name> or <name> in a Werkzeug rule
PATH_PART = re.compile(r"<(?:(?P<converter>[a-zA-Z_][a-zA-Z0-9_]*)(?:\([^)]*\))?:)?(?P<name>[a-zA-Z_][a-zA-Z0-9_]*)>")


@dataclass(frozen=True)
class Param:
    """A query or header parameter."""

    name: str
    schema: dict[str, Any]
    description: str
    where: str = "query"
    required: bool = False

    def openapi(self) -> dict[str, Any]:
        return {"name": self.name, "in": self.where, "required": self.required, "schema": self.schema,
                "description": self.description}


@dataclass(frozen=True)
class Operation:
    """What one view does, as OpenAPI says it.

    ``response`` is the success body's model (``content`` instead for other media types);
    ``problems`` the error statuses it may answer; ``paths`` describes path parameters
    (their names and types come from the route); ``secured=False`` for the unauthenticated
    ones; ``responses`` adds raw response objects by status.
    """

    summary: str
    ok: int = 200
    response: type[BaseModel] | None = None
    body: type[BaseModel] | None = None
    problems: tuple[int, ...] = AUTH
    params: tuple[Param, ...] = ()
    paths: dict[str, str] = field(default_factory=dict)
    content: dict[str, Any] | None = None
    secured: bool = True
    responses: dict[int, dict[str, Any]] = field(default_factory=dict)


def documented(summary: str, **details: Any) -> Callable[[F], F]:
    """Attach the view's :class:`Operation` (put it under the route decorator)."""
    operation = Operation(summary, **details)

    def mark(view: F) -> F:
        setattr(view, ATTRIBUTE, operation)
        return view

    return mark


def operation_of(app: Flask, rule: Rule) -> Operation | None:
    found: Operation | None = getattr(app.view_functions.get(rule.endpoint), ATTRIBUTE, None)
    return found


def methods(rule: Rule) -> list[str]:
    return sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})


def openapi_path(rule: Rule) -> tuple[str, list[tuple[str, str]]]:
    """``/v1/x/<int:n>`` as ``/v1/x/{n}``, and each parameter's name and converter."""
    found = [(m.group("name"), m.group("converter") or "default") for m in PATH_PART.finditer(rule.rule)]
    return PATH_PART.sub(lambda m: "{" + m.group("name") + "}", rule.rule), found


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _json(model: type[BaseModel]) -> dict[str, Any]:
    return {"application/json": {"schema": _ref(model)}}


def _path_param(name: str, converter: str, op: Operation) -> dict[str, Any]:
    schema = {"type": "integer"} if converter == "int" else {"type": "string"}
    described = op.paths.get(name, f"The {name.removesuffix('_id').replace('_', ' ')}'s id")
    return {"name": name, "in": "path", "required": True, "schema": schema, "description": described}


def render(op: Operation, path_params: list[tuple[str, str]]) -> dict[str, Any]:
    """The OpenAPI operation object of ``op``."""
    success: dict[str, Any] = {"description": "OK"}
    content = op.content if op.content is not None else (_json(op.response) if op.response else None)
    if content is not None:
        success["content"] = content
    if op.secured:
        success["headers"] = RATE_HEADERS
    responses: dict[str, Any] = {str(op.ok): success}
    for status in op.problems:
        responses[str(status)] = {"description": PROBLEMS[status],
                                  "content": {"application/problem+json": {"schema": _ref(Problem)}}}
    responses.update({str(status): extra for status, extra in op.responses.items()})
    params = [_path_param(n, c, op) for n, c in path_params] + [p.openapi() for p in op.params]
    found: dict[str, Any] = {"summary": op.summary, "responses": responses, "parameters": params}
    if op.body is not None:
        found["requestBody"] = {"required": True, "content": _json(op.body)}
    if not op.secured:
        found["security"] = []
    return found


def document(app: Flask) -> dict[str, Any]:
    """The OpenAPI 3.1 description of every documented route of ``app``."""
    paths: dict[str, dict[str, Any]] = {}
    requests: set[type[BaseModel]] = set()
    responses: set[type[BaseModel]] = {Problem, WebhookEvent, InterviewEvent}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        op = operation_of(app, rule)
        if op is None:
            continue
        path, path_params = openapi_path(rule)
        for method in methods(rule):
            paths.setdefault(path, {})[method.lower()] = render(op, path_params)
        requests |= {op.body} if op.body else set()
        responses |= {op.response} if op.response else set()
    by_name = sorted([(m, "validation") for m in requests] + [(m, "serialization") for m in responses],
                     key=lambda pair: (pair[0].__name__, pair[1]))
    _, schemas = models_json_schema(by_name, ref_template="#/components/schemas/{model}")  # type: ignore[arg-type]
    events: dict[str, type[BaseModel]] = {"submission.completed": WebhookEvent, "submission.failed": WebhookEvent,
                                          "submission.rescored": WebhookEvent, "batch.completed": WebhookEvent,
                                          "interview.completed": InterviewEvent}
    return {
        "openapi": "3.1.0",
        "info": {"title": "dl-grader", "version": "1", "description": "Grades deep-learning coding answers."},
        "paths": paths,
        "webhooks": {name: {"post": {"summary": f"The {name} event, signed (Standard Webhooks)",
                                     "requestBody": {"content": _json(model)},
                                     "responses": {"200": {"description": "Received"}}}}
                     for name, model in events.items()},
        "components": {"schemas": schemas["$defs"], "securitySchemes": {
            "key": {"type": "http", "scheme": "bearer", "description": "An API key: gk_..."},
            "session": {"type": "apiKey", "in": "cookie", "name": "grader_session",
                        "description": "The web app's signed session; unsafe methods also send X-CSRF-Token."},
        }},
        "security": [{"key": []}, {"session": []}],
    }


@blueprint.get("/openapi.json")
@documented("This description (OpenAPI 3.1)", content=ANY_JSON, problems=(), secured=False)
def openapi_json() -> Response:
    cached: str | None = current_app.extensions.get("grader.openapi")
    if cached is None:  # the routes are fixed once the app is made
        cached = current_app.extensions.setdefault("grader.openapi", json.dumps(document(current_app), indent=1))
    return Response(cached, mimetype="application/json")
