"""Every error is ``application/problem+json`` with a precise ``detail`` (RFC 9457)."""

from __future__ import annotations

import errno
import sqlite3
from typing import Any

from flask import Flask, Response, request
from pydantic import ValidationError
from sqlalchemy import exc as sql
from werkzeug.exceptions import HTTPException

from submissions_schema.api import Problem

PROBLEM_TYPE = "application/problem+json"
RETRY_STORAGE_S = 30
SQLITE_FULL = 13
DISK_FULL_SQLSTATES = ("53100",)  # PostgreSQL's disk_full


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


def storage_problem(exc: BaseException) -> ApiError | None:
    """503 when the database cannot be reached or is busy, 507 when its disk is full; ``None`` otherwise.

    Every write is one transaction, so either way nothing was half-written.
    """
    causes = [exc, getattr(exc, "orig", None), exc.__cause__]
    retry = {"Retry-After": str(RETRY_STORAGE_S)}
    if any(_disk_full(c) for c in causes if c is not None):
        detail = "the grader's disk is full: nothing was stored; try again later"
        return ApiError(507, "Insufficient Storage", detail, retry)
    unavailable = (sql.OperationalError, sql.InterfaceError, sql.TimeoutError, sql.DisconnectionError)
    if isinstance(exc, unavailable):
        detail = "the database is unavailable: nothing was changed; try again later"
        return ApiError(503, "Service Unavailable", detail, retry)
    return None


def _disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    if isinstance(exc, sqlite3.Error):
        return getattr(exc, "sqlite_errorcode", None) == SQLITE_FULL or "disk is full" in str(exc)
    return getattr(exc, "sqlstate", None) in DISK_FULL_SQLSTATES


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
        found = storage_problem(exc)
        if found is not None:
            app.logger.warning("storage failed on %s %s: %s", request.method, request.path, exc)
            return _api_error(found)
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return problem(500, "Internal Server Error", "the grader failed on this request; it has been logged")
