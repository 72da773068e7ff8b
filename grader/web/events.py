"""STAND-IN until the interviews back end lands: ``GET /v1/submissions/<id>/events`` as server-sent events.

The back end's own route (grader/api, registered before this blueprint) takes precedence
as soon as it exists; this one follows the contract: ``status`` events, then one ``report``
event with the submission as the reader may see it, then the stream ends.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

from flask import Blueprint, Response, stream_with_context

from grader.api.auth import ANY_ROLE, caller, requires
from grader.api.submissions import readable
from grader.views import submission_view
from grader.waiting import until_finished

blueprint = Blueprint("events_standin", __name__)
STREAM_S = 300


@blueprint.get("/v1/submissions/<submission_id>/events")
@requires(*ANY_ROLE)
def submission_events(submission_id: str) -> Response:
    who = caller()
    readable(submission_id)  # 404 before the stream starts

    def stream() -> Iterator[str]:
        last, deadline = None, time.monotonic() + STREAM_S
        while time.monotonic() < deadline:
            row = until_finished(lambda: readable(submission_id), 5.0 if last else 0.0, who.key_id)
            if row.status != last:
                last = row.status
                yield f"event: status\ndata: {json.dumps({'status': row.status})}\n\n"
            if row.status in ("completed", "failed"):
                yield f"event: report\ndata: {submission_view(row, who.role).model_dump_json()}\n\n"
                return
            yield ": waiting\n\n"

    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return Response(stream_with_context(stream()), mimetype="text/event-stream", headers=headers)
