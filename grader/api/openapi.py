"""``/openapi.json``, generated from the pydantic contracts, and ``/docs``, a page to browse it."""

from __future__ import annotations

import html
import json
from typing import Any

from flask import Blueprint, Response
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from submissions_schema import QuestionPublic
from submissions_schema.api import (
    BatchCreate,
    BatchCreated,
    BatchView,
    DeliveryList,
    DeliveryView,
    Health,
    Problem,
    QuestionList,
    SubmissionCreate,
    SubmissionPage,
    SubmissionView,
    WebhookCreate,
    WebhookCreated,
    WebhookEvent,
    WebhookList,
    WebhookSecret,
)

blueprint = Blueprint("openapi", __name__)
REQUESTS: list[type[BaseModel]] = [SubmissionCreate, BatchCreate, WebhookCreate]
RESPONSES: list[type[BaseModel]] = [SubmissionView, BatchCreated, BatchView, SubmissionPage, QuestionList,
                                    QuestionPublic, Problem, Health, WebhookCreated, WebhookList, WebhookSecret,
                                    DeliveryList, DeliveryView, WebhookEvent]
PROBLEMS = {
    400: "Malformed request (JSON, parameters, headers)", 401: "Missing, unknown or revoked API key",
    403: "The key's role may not do this", 404: "No such resource", 405: "Method not allowed",
    409: "Idempotency-Key reused with another body", 413: "Body or code larger than allowed",
    415: "Body is not JSON", 422: "Body does not validate", 429: "Rate limit exceeded (see Retry-After)",
    503: "Queue full or database unavailable (see Retry-After)", 507: "Disk full: nothing stored (see Retry-After)",
}
RATE_HEADERS = {
    name: {"description": description, "schema": {"type": "integer", "minimum": 0}}
    for name, description in (("RateLimit-Limit", "Requests this key may make in a moving minute"),
                              ("RateLimit-Remaining", "Requests left in the window"),
                              ("RateLimit-Reset", "Seconds until the window has room again"))
}


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _json(model: type[BaseModel]) -> dict[str, Any]:
    return {"application/json": {"schema": _ref(model)}}


def _operation(summary: str, ok: int, body: type[BaseModel] | None, problems: list[int],
               params: list[dict[str, Any]] | None = None, secured: bool = True) -> dict[str, Any]:
    responses: dict[str, Any] = {str(ok): {"description": "OK", "content": _json(body)}} if body else {}
    for status in problems:
        responses[str(status)] = {"description": PROBLEMS[status],
                                  "content": {"application/problem+json": {"schema": _ref(Problem)}}}
    operation: dict[str, Any] = {"summary": summary, "responses": responses, "parameters": params or []}
    if not secured:
        operation["security"] = []
    elif str(ok) in responses:
        responses[str(ok)]["headers"] = RATE_HEADERS
    return operation


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def _path(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}, "description": description}


IDEMPOTENCY = {"name": "Idempotency-Key", "in": "header", "required": False, "schema": {"type": "string"},
               "description": "Same key and body: the same submission; same key, other body: 409."}
AUTH = [400, 401, 403, 429, 503]


def submission_operation() -> dict[str, Any]:
    operation = _operation("A submission, with its report once graded", 200, SubmissionView, AUTH + [404, 409], [
        _path("submission_id", "The submission's id"),
        _query("wait", {"type": "number", "minimum": 0, "maximum": 60}, "Seconds to hold for the report"),
        _query("format", {"type": "string", "enum": ["json", "gradescope", "gradescope-full", "junit"]},
               "gradescope: the report as Gradescope's results.json for students (hidden tests redacted, "
               "whoever asks); gradescope-full: the interviewer's (staff keys only); junit: as JUnit XML "
               "(409 before the report exists)"),
    ])
    gradescope = {"type": "object", "description": "Gradescope results.json"}
    operation["responses"]["200"]["content"] = {
        "application/json": {"schema": {"anyOf": [_ref(SubmissionView), gradescope]}},
        "application/xml": {"schema": {"type": "string", "description": "JUnit XML"}},
    }
    return operation


def batch_csv_operation() -> dict[str, Any]:
    operation = _operation("A batch's results as CSV", 200, None, AUTH + [404],
                           [_path("batch_id", "The batch's id")])
    operation["responses"]["200"] = {"description": "One row per submission",
                                     "content": {"text/csv": {"schema": {"type": "string"}}}}
    return operation


def batch_operation() -> dict[str, Any]:
    return _operation("A batch: counts by status and verdict, its submissions' ids", 200, BatchView, AUTH + [404], [
        _path("batch_id", "The batch's id"),
        _query("wait", {"type": "number", "minimum": 0, "maximum": 60}, "Seconds to hold until every one ended"),
    ])


def webhook_paths() -> dict[str, Any]:
    hook = _path("webhook_id", "The subscription's id")
    create = _operation("Subscribe a URL to events; the secret is shown once", 201, WebhookCreated,
                        AUTH + [413, 415, 422, 507])
    create["requestBody"] = {"required": True, "content": _json(WebhookCreate)}
    delete = _operation("Unsubscribe", 204, None, AUTH + [404], [hook])
    delete["responses"]["204"] = {"description": "Deleted"}
    return {
        "/v1/webhooks": {"post": create, "get": _operation("This key's subscriptions", 200, WebhookList, AUTH)},
        "/v1/webhooks/{webhook_id}": {"delete": delete},
        "/v1/webhooks/{webhook_id}/rotate": {"post": _operation(
            "A new secret; the old one signs too for the grace period", 200, WebhookSecret, AUTH + [404], [hook])},
        "/v1/webhooks/callback-secret": {"post": _operation(
            "A new secret for this key's callback_url deliveries", 201, WebhookSecret, AUTH)},
        "/v1/webhooks/{webhook_id}/deliveries": {"get": _operation(
            "The delivery log: each attempt's time, status, latency, first bytes", 200, DeliveryList,
            AUTH + [404], [hook])},
        "/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/retry": {"post": _operation(
            "Send a delivery again (same webhook-id)", 202, DeliveryView, AUTH + [404],
            [hook, _path("delivery_id", "The delivery's id")])},
    }


def document() -> dict[str, Any]:
    """The OpenAPI 3.1 description of the API."""
    _, schemas = models_json_schema(
        [(m, "validation") for m in REQUESTS] + [(m, "serialization") for m in RESPONSES],
        ref_template="#/components/schemas/{model}",
    )
    create = _operation("Submit an answer", 202, SubmissionView, AUTH + [409, 413, 415, 422, 507], [IDEMPOTENCY])
    create["requestBody"] = {"required": True, "content": _json(SubmissionCreate)}
    batch = _operation("Submit several answers", 202, BatchCreated, AUTH + [409, 413, 415, 422, 507], [IDEMPOTENCY])
    batch["requestBody"] = {"required": True, "content": _json(BatchCreate)}
    status_enum = {"type": "string", "enum": ["queued", "running", "completed", "failed"]}
    paths = {
        "/v1/questions": {"get": _operation("List questions", 200, QuestionList, AUTH,
                                            [_query("topic", {"type": "string"}, "Only this topic")])},
        "/v1/questions/{question_id}": {"get": _operation(
            "A question: prompt, starter, visible cases", 200, QuestionPublic, AUTH + [404],
            [_path("question_id", "The question's id")])},
        "/v1/submissions": {
            "post": create,
            "get": _operation("List submissions, newest first", 200, SubmissionPage, AUTH, [
                _query("question_id", {"type": "string"}, "Only this question"),
                _query("candidate", {"type": "string"}, "Only this candidate"),
                _query("status", status_enum, "Only this status"),
                _query("batch_id", {"type": "string"}, "Only this batch"),
                _query("limit", {"type": "integer", "minimum": 1, "maximum": 200}, "Page size (default 50)"),
                _query("cursor", {"type": "string"}, "next_cursor of the previous page"),
            ]),
        },
        "/v1/submissions/batch": {"post": batch},
        "/v1/submissions/{submission_id}": {"get": submission_operation()},
        "/v1/batches/{batch_id}": {"get": batch_operation()},
        "/v1/batches/{batch_id}/results.csv": {"get": batch_csv_operation()},
        **webhook_paths(),
        "/healthz": {"get": _operation("The process answers", 200, Health, [], secured=False)},
        "/readyz": {"get": _operation("Database, broker and sandbox are usable", 200, Health, [], secured=False)},
    }
    paths["/readyz"]["get"]["responses"]["503"] = {"description": "Not ready", "content": _json(Health)}
    return {
        "openapi": "3.1.0",
        "info": {"title": "dl-grader", "version": "1", "description": "Grades deep-learning coding answers."},
        "paths": paths,
        "components": {"schemas": schemas["$defs"],
                       "securitySchemes": {"key": {"type": "http", "scheme": "bearer"}}},
        "security": [{"key": []}],
    }


@blueprint.get("/openapi.json")
def openapi_json() -> Response:
    return Response(json.dumps(document(), indent=1), mimetype="application/json")


@blueprint.get("/docs")
def docs() -> Response:
    """A readable page of every operation, its parameters and responses (no external assets)."""
    doc = document()
    parts = ["<!doctype html><meta charset=utf-8><title>dl-grader API</title>",
             "<style>body{font:15px system-ui;max-width:60rem;margin:2rem auto}code{background:#eee;padding:0 .2em}"
             "h2{margin-top:2rem;font-family:monospace}</style>",
             "<h1>dl-grader API</h1><p>Authenticate with <code>Authorization: Bearer gk_...</code>. Errors are "
             "<code>application/problem+json</code>. Machine-readable: <a href=/openapi.json>openapi.json</a>.</p>"]
    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            parts.append(f"<h2>{method.upper()} {html.escape(path)}</h2><p>{html.escape(op['summary'])}</p>")
            if op["parameters"]:
                rows = "".join(
                    f"<li><code>{html.escape(p['name'])}</code> ({p['in']}): {html.escape(p['description'])}</li>"
                    for p in op["parameters"]
                )
                parts.append(f"<ul>{rows}</ul>")
            if "requestBody" in op:
                name = op["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
                parts.append(f"<p>Body: <a href='#{name}'>{name}</a></p>")
            codes = ", ".join(f"{c} {html.escape(r['description'])}" for c, r in op["responses"].items())
            parts.append(f"<p>Responses: {codes}</p>")
    parts.append("<h1>Schemas</h1>")
    for name, schema in doc["components"]["schemas"].items():
        parts.append(f"<h2 id='{name}'>{name}</h2><pre>{html.escape(json.dumps(schema, indent=1))}</pre>")
    return Response("".join(parts), mimetype="text/html")
