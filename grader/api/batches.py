"""``/v1/batches``: where a batch stands (optionally waiting for its end), and its results as CSV."""

from __future__ import annotations

from flask import Blueprint, Response

from grader.api.auth import caller, requires
from grader.api.http import json_response
from grader.api.openapi import AUTH, CSV, Param, documented
from grader.api.problems import ApiError
from grader.api.services import services
from grader.api.submissions import STAFF, number_arg, to_view
from grader.batches import Batch, read_batch
from grader.exports import batch_csv
from grader.storage import submissions as store
from grader.waiting import until_ended
from submissions_schema.api import BatchView

blueprint = Blueprint("batches", __name__)


@blueprint.get("/v1/batches/<batch_id>")
@documented("A batch: counts by status and verdict, its submissions' ids", response=BatchView, problems=AUTH + (404,),
            params=(Param("wait", {"type": "number", "minimum": 0, "maximum": 60},
                          "Seconds to hold until every one ended"),))
@requires(*STAFF)
def get_batch(batch_id: str) -> Response:
    """Counts by status and verdict and the submissions' ids; ``?wait=`` holds until every one ended."""
    wait = number_arg("wait", 0.0, 0.0, services().settings.max_wait_s)
    batch = until_ended(lambda: readable(batch_id), lambda b: b.view.submission_ids, lambda b: b.view.done,
                        wait, caller().key_id)
    return json_response(batch.view)


@blueprint.get("/v1/batches/<batch_id>/results.csv")
@documented("A batch's results as CSV", content=CSV, problems=AUTH + (404,))
@requires(*STAFF)
def batch_results(batch_id: str) -> Response:
    """Every submission of a batch as CSV, one row each."""
    ids = readable(batch_id).view.submission_ids
    with services().sessions() as session:
        rows = store.page(session, store.Filters(batch_id=batch_id[:64]), len(ids), None)
    views = [to_view(r, caller()) for r in reversed(rows)]
    headers = {"Content-Disposition": f'attachment; filename="batch-{rows[0].batch_id}.csv"'}
    return Response(batch_csv(views), mimetype="text/csv", headers=headers)


def readable(batch_id: str) -> Batch:
    """The batch; 404 when no submission carries that id."""
    with services().sessions() as session:
        batch = read_batch(session, batch_id[:64])
    if batch is None:
        raise ApiError(404, "Not Found", f"no batch '{batch_id[:64]}'")
    return batch
