"""Every error is ``application/problem+json`` with a precise ``detail`` (RFC 9457)."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, request
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from submissions_schema.api import Problem

PROBLEM_TYPE = "application/problem+json"


class ApiError(Exception):
    """An error for the client: status, title, detail, and optional headers and field errors."""

    def __init__(
        self, status: int, title: str, detail: str, headers: dict[str, str] | None = None,
        errors: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail
        self.headers = headers or {}
        self.errors = errors


def problem(status: int, title: str, detail: str, headers: dict[str, str] | None = None,
            errors: list[dict[str, Any]] | None = None) -> Response:
    body = Problem(title=title, status=status, detail=detail, instance=request.path, errors=errors)
    response = Response(body.model_dump_json(exclude_none=True), status=status, mimetype=PROBLEM_TYPE)
    response.headers.update(headers or {})
    return response


def field_errors(exc: ValidationError) -> list[dict[str, Any]]:
    """Pydantic's errors, JSON-safe and without echoing the submitted values."""
    return [
        {"field": ".".join(str(p) for p in err["loc"]) or "(body)", "problem": err["msg"], "type": err["type"]}
        for err in exc.errors(include_url=False, include_input=False)
    ]


def install(app: Flask) -> None:
    """Route every error, ours and Werkzeug's, through :func:`problem`; never a bare 500."""

    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError) -> Response:
        return problem(exc.status, exc.title, exc.detail, exc.headers, exc.errors)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        status = exc.code or 500
        detail = {
            404: f"no such resource: {request.path}",
            405: f"{request.method} is not allowed on {request.path}",
            413: "the request body is larger than allowed",
        }.get(status, exc.description or exc.name)
        headers = {"Allow": exc.get_response().headers["Allow"]} if status == 405 else None
        return problem(status, exc.name, detail, headers)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return problem(500, "Internal Server Error", "the grader failed on this request; it has been logged")
