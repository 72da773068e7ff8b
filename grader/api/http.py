"""Request bodies in, JSON out: parsing with precise errors, whatever the body's shape."""

from __future__ import annotations

import json
import math
from typing import Any, TypeVar

from flask import Flask, Response, request
from pydantic import BaseModel, ValidationError

from grader.api.problems import ApiError, field_errors

M = TypeVar("M", bound=BaseModel)
MAX_DEPTH = 64  # arrays and objects inside each other; far beyond any real body, far below the stack


class NonFinite(ValueError):
    """The body holds NaN, Infinity or a number too large for a float (1e400)."""


def json_response(model: BaseModel, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    response = Response(model.model_dump_json(), status=status, mimetype="application/json")
    response.headers.update(headers or {})
    return response


def read_body(model: type[M]) -> M:
    """The request's JSON body validated as ``model``; 400/413/415/422 problems otherwise.

    The size is checked from ``Content-Length`` before anything is read, and reading a
    chunked body stops at the cap (Flask's ``MAX_CONTENT_LENGTH``).
    """
    if not request.is_json:
        raise ApiError(415, "Unsupported Media Type", "send the body as JSON (Content-Type: application/json)")
    data = parse_json(read_capped(request.max_content_length or 0))
    if not isinstance(data, dict):
        raise ApiError(422, "Unprocessable Content", f"the body must be a JSON object, not {type(data).__name__}")
    check_values(data)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = field_errors(exc)
        first = errors[0]
        detail = f"{first['field']}: {first['problem']}" + (f" (and {len(errors) - 1} more)" if len(errors) > 1 else "")
        raise ApiError(422, "Unprocessable Content", detail, errors=errors) from exc


def read_capped(cap: int) -> bytes:
    """At most ``cap`` bytes of body: 413 from ``Content-Length`` before reading, or once a chunked body passes it."""
    too_large = ApiError(413, "Content Too Large", f"the request body is larger than allowed ({cap // 1024} KiB)")
    if (request.content_length or 0) > cap:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    while size <= cap:
        chunk = request.stream.read(min(65536, cap + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
    raise too_large


def parse_json(raw: bytes) -> Any:
    """UTF-8 JSON with finite numbers only (every database stores the same thing); 400/422 otherwise."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError(400, "Bad Request", f"the body is not UTF-8 (byte {exc.start})") from exc
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    except NonFinite as exc:
        raise ApiError(422, "Unprocessable Content", f"numbers must be finite: {exc}") from exc
    except RecursionError as exc:
        raise ApiError(400, "Bad Request", f"the body nests deeper than {MAX_DEPTH} levels") from exc
    except ValueError as exc:
        raise ApiError(400, "Bad Request", f"the body is not valid JSON: {exc}") from exc


def _refuse_constant(name: str) -> float:
    raise NonFinite(f"{name} is not allowed")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise NonFinite(f"{text[:40]} is too large")
    return value


def check_values(data: Any) -> None:
    """Depth, NUL characters and lone surrogates, found without recursion; 400/422 naming the field."""
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth >= MAX_DEPTH:
                raise ApiError(400, "Bad Request", f"the body nests deeper than {MAX_DEPTH} levels")
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for name, item in items:
                if isinstance(name, str):
                    _check_text(name, f"{path[:100]}(a key)")
                stack.append((item, f"{path}{name}.", depth + 1))
        elif isinstance(value, str):
            _check_text(value, path.rstrip(".")[:100] or "(body)")


def _check_text(text: str, where: str) -> None:
    if "\x00" in text:
        raise ApiError(422, "Unprocessable Content", f"{where}: text fields cannot contain NUL characters")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ApiError(400, "Bad Request", "the body holds text that is not valid Unicode (a lone surrogate)") from exc


def install(app: Flask) -> None:
    """Refuse NUL characters in the path and query (no database accepts them in text)."""

    @app.before_request
    def _refuse_nul() -> None:
        if "\x00" in request.path or any("\x00" in k or "\x00" in v for k, v in request.args.items(multi=True)):
            raise ApiError(400, "Bad Request", "the URL cannot contain NUL characters (%00)")
