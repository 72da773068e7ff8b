"""Exports and notebooks over the API: the students' Gradescope export whoever asks, the
interviewer's only for staff, and a notebook submitted as JSON graded as its code cells."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from grader.settings import REPO_ROOT
from tests.service.conftest import Api
from tests.service.test_api import assert_problem, body, finish, graded_report

GRADESCOPE = json.loads((REPO_ROOT / "tests" / "schemas" / "gradescope_results.schema.json").read_text())
NOTEBOOK = json.loads((REPO_ROOT / "examples" / "answer.ipynb").read_text())
HIDDEN = ("expected 0.123456789", "0.987654321", "secret case")  # what graded_report's hidden test holds


def graded(api: Api, role: str = "lms", name: str | None = None) -> str:
    created = api.call("POST", "/v1/submissions", role=role, name=name, json=body()).get_json()
    finish(api, created["id"], graded_report())
    submission_id: str = created["id"]
    return submission_id


@pytest.mark.parametrize("role", ["lms", "interviewer", "admin"])
def test_the_gradescope_export_is_the_students_whoever_asks(api: Api, role: str) -> None:
    submission_id = graded(api)
    response = api.call("GET", f"/v1/submissions/{submission_id}?format=gradescope", role=role)
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and not any(secret in text for secret in HIDDEN)
    results = json.loads(text)
    jsonschema.validate(results, GRADESCOPE)
    assert [(t["name"], t["visibility"]) for t in results["tests"]] == [
        ("example", "visible"), ("hidden tests", "after_published")]


def test_the_full_gradescope_export_is_for_staff_and_hides_hidden_tests_from_students(api: Api) -> None:
    submission_id = graded(api)
    full = api.call("GET", f"/v1/submissions/{submission_id}?format=gradescope-full", role="interviewer")
    results = full.get_json()
    jsonschema.validate(results, GRADESCOPE)
    secret = next(t for t in results["tests"] if t["name"] == "secret case")
    assert secret["visibility"] == "hidden" and "expected 0.123456789" in secret["output"]
    own = graded(api, role="candidate", name="cand")
    assert_problem(api.call("GET", f"/v1/submissions/{own}?format=gradescope-full", role="candidate", name="cand"),
                   403, "staff keys only")
    students = api.call("GET", f"/v1/submissions/{own}?format=gradescope", role="candidate", name="cand")
    assert students.status_code == 200 and "0.987654321" not in students.get_data(as_text=True)


@pytest.mark.parametrize("form", ["object", "text"])
def test_a_notebook_is_stored_as_its_code_cells(api: Api, form: str) -> None:
    notebook: Any = NOTEBOOK if form == "object" else json.dumps(NOTEBOOK)
    response = api.call("POST", "/v1/submissions", json={"question_id": "conv1d_full", "notebook": notebook})
    assert response.status_code == 202, response.get_data(as_text=True)
    with api.app.extensions["grader"].sessions() as session:
        from grader.storage import submissions as store

        row = store.get(session, response.get_json()["id"])
        assert row is not None and row.code is not None
        assert "def conv1d(a, v):" in row.code and "%matplotlib" not in row.code and "!pip" not in row.code


@pytest.mark.parametrize("fields,status,words", [
    ({"notebook": {"cells": "x", "nbformat": 4}}, 422, "notebook: not a notebook"),
    ({"notebook": '{"cells": [], "nbformat": 4}'}, 422, "notebook: the notebook has no code cells"),
    ({"notebook": "{not json"}, 422, "notebook: not a notebook: not valid JSON"),
    ({"notebook": {**NOTEBOOK, "nbformat": 3}}, 422, "nbformat 3 is not supported"),
    ({"notebook": NOTEBOOK, "code": "x = 1"}, 422, "exactly one of 'code', 'notebook' and 'answers'"),
    ({"notebook": 5}, 422, "notebook"),
])
def test_broken_notebooks_are_422(api: Api, fields: dict[str, Any], status: int, words: str) -> None:
    response = api.call("POST", "/v1/submissions", json={"question_id": "conv1d_full", **fields})
    assert_problem(response, status, words)


def test_a_notebook_to_a_short_answer_question_is_refused(api: Api) -> None:
    response = api.call("POST", "/v1/submissions", json={"question_id": "vgg_storage_mb", "notebook": NOTEBOOK})
    assert_problem(response, 422, "send 'answers'")
