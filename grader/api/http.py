"""Request bodies in, JSON out: parsing with precise errors."""

from __future__ import annotations

import json
from typing import TypeVar

from flask import Response, request
from pydantic import BaseModel, ValidationError

from grader.api.problems import ApiError, field_errors

M = TypeVar("M", bound=BaseModel)


def json_response(model: BaseModel, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    response = Response(model.model_dump_json(), status=status, mimetype="application/json")
    response.headers.update(headers or {})
    return response


def read_body(model: type[M]) -> M:
    """The request's JSON body validated as ``model``; 400/415/422 problems otherwise."""
    if not request.is_json:
        raise ApiError(415, "Unsupported Media Type", "send the body as JSON (Content-Type: application/json)")
    raw = request.get_data(cache=False)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError(400, "Bad Request", f"the body is not UTF-8 (byte {exc.start})") from exc
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ApiError(400, "Bad Request", f"the body is not valid JSON: {exc}") from exc
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ApiError(400, "Bad Request", "the body holds text that is not valid Unicode (a lone surrogate)") from exc
    if not isinstance(data, dict):
        raise ApiError(422, "Unprocessable Content", f"the body must be a JSON object, not {type(data).__name__}")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = field_errors(exc)
        first = errors[0]
        detail = f"{first['field']}: {first['problem']}" + (f" (and {len(errors) - 1} more)" if len(errors) > 1 else "")
        raise ApiError(422, "Unprocessable Content", detail, errors=errors) from exc
