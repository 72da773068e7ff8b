"""/openapi.json is generated from the routes: every API route and method is in it, as the route says."""

from __future__ import annotations

from typing import Any

from flask import Flask

from grader.api.openapi import methods, openapi_path
from tests.service.conftest import Api

UNVERSIONED = ("/healthz", "/readyz", "/metrics", "/openapi.json")


def api_rules(app: Flask) -> list[Any]:
    return [r for r in app.url_map.iter_rules() if r.rule.startswith("/v1/") or r.rule in UNVERSIONED]


def missing_from_openapi(app: Flask) -> list[str]:
    """Every route of the API (and method) that /openapi.json does not describe."""
    paths = app.test_client().get("/openapi.json").get_json()["paths"]
    missing = []
    for rule in api_rules(app):
        path, _ = openapi_path(rule)
        missing += [f"{m} {rule.rule}" for m in methods(rule) if m.lower() not in paths.get(path, {})]
    return missing


def test_every_api_route_is_in_openapi(api: Api) -> None:
    assert len(api_rules(api.app)) >= 20
    assert missing_from_openapi(api.app) == []


def test_a_route_left_undocumented_is_found(make_api: Any) -> None:
    app = make_api().app

    @app.post("/v1/forgotten/<int:n>")
    def forgotten(n: int) -> str:
        return str(n)

    assert missing_from_openapi(app) == ["POST /v1/forgotten/<int:n>"]


def test_operations_follow_their_routes(api: Api) -> None:
    document = api.client.get("/openapi.json").get_json()
    paths = document["paths"]
    for rule in api_rules(api.app):
        path, params = openapi_path(rule)
        for method in methods(rule):
            operation = paths[path][method.lower()]
            declared = [p["name"] for p in operation["parameters"] if p["in"] == "path"]
            assert declared == [name for name, _ in params], (path, declared)
            if operation.get("security") != []:  # every authenticated operation says how it may fail
                assert {"401", "403", "429"} <= set(operation["responses"]), path
    # The pre-generated description's paths are all still there, with the interviews and live events beside.
    for path in ("/v1/questions", "/v1/questions/{question_id}", "/v1/submissions", "/v1/submissions/batch",
                 "/v1/submissions/{submission_id}", "/v1/batches/{batch_id}", "/v1/batches/{batch_id}/results.csv",
                 "/v1/webhooks",
                 "/v1/webhooks/{webhook_id}", "/v1/webhooks/{webhook_id}/rotate", "/v1/webhooks/callback-secret",
                 "/v1/webhooks/{webhook_id}/deliveries", "/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/retry",
                 "/healthz", "/readyz", "/v1/interviews", "/v1/interviews/{interview_id}",
                 "/v1/interviews/{interview_id}/close", "/v1/interviews/{interview_id}/events",
                 "/v1/submissions/{submission_id}/events", "/v1/interviews/{interview_id}/results.csv",
                 "/v1/interviews/{interview_id}/gradescope.json"):
        assert path in paths, path
    create = paths["/v1/interviews"]["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/InterviewCreate")
    assert "text/event-stream" in paths["/v1/submissions/{submission_id}/events"]["get"]["responses"]["200"]["content"]
    schemas = document["components"]["schemas"]
    assert {"InterviewCreate", "InterviewCreated", "InterviewView", "BoardRow", "SubmissionCreate",
            "WebhookEvent", "InterviewEvent", "BatchView", "Problem"} <= set(schemas)
    assert paths["/v1/batches/{batch_id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"][
        "$ref"].endswith("/BatchView")
    assert set(document["webhooks"]) == {"submission.completed", "submission.failed", "submission.rescored",
                                         "batch.completed", "interview.completed"}
    assert {"key", "session"} == set(document["components"]["securitySchemes"])
