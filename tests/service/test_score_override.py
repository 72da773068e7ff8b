"""An interviewer's score for a free-text answer, over the API with a real database and grading run.

A free-text answer is graded by the real model; an interviewer then changes its score with a
reason. The report keeps the automatic score and who changed it; the verdict follows the new
score; candidates cannot change scores; key-graded kinds and bad scores are refused with
problem+json; a ``submission.rescored`` event is queued for subscribers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from grader.api import create_app
from grader.settings import REPO_ROOT
from grader.worker.tasks import Grading
from tests.service.conftest import Api, FakeQueue, service_settings

FREE_TEXT = "ft_zero_padding"
WRONG = json.loads((REPO_ROOT / "tasks" / FREE_TEXT / "solutions" / "wrong.json").read_text())["answers"]


@pytest.fixture()
def graded(tmp_path: Path) -> tuple[Api, str]:
    """An API on SQLite with one free-text submission, graded in this process."""
    settings = service_settings(tmp_path, f"sqlite:///{tmp_path / 'g.db'}")
    api = Api(create_app(settings, queue=FakeQueue()), None)
    made = api.call("POST", "/v1/submissions", json={"question_id": FREE_TEXT, "answers": WRONG})
    assert made.status_code == 202, made.get_json()
    submission_id = made.get_json()["id"]
    assert Grading(settings).run(submission_id) is False
    return api, submission_id


def rescore(api: Api, submission_id: str, role: str = "interviewer", **body: Any) -> Any:
    return api.call("POST", f"/v1/submissions/{submission_id}/score", role=role, json=body)


def test_an_interviewer_score_replaces_the_automatic_one_and_keeps_it(graded: tuple[Api, str]) -> None:
    api, submission_id = graded
    before = api.call("GET", f"/v1/submissions/{submission_id}").get_json()
    automatic, max_score = before["report"]["score"], before["report"]["max_score"]
    changed = rescore(api, submission_id, score=max_score, reason="read by a person: complete")
    assert changed.status_code == 200, changed.get_json()
    view = api.call("GET", f"/v1/submissions/{submission_id}").get_json()
    report = view["report"]
    assert report["score"] == max_score and report["verdict"] == "accepted" and view["verdict"] == "accepted"
    assert report["override"]["automatic_score"] == automatic
    assert report["override"]["reason"] == "read by a person: complete" and "interviewer" in report["override"]["by"]
    again = rescore(api, submission_id, score=0, reason="second look")
    assert again.get_json()["report"]["override"]["automatic_score"] == automatic  # the first automatic score stays
    assert again.get_json()["verdict"] == "wrong_answer"


def test_bad_scores_and_roles_are_refused_with_problems(graded: tuple[Api, str]) -> None:
    api, submission_id = graded
    too_high = rescore(api, submission_id, score=1e6, reason="x")
    assert too_high.status_code == 409 and too_high.mimetype == "application/problem+json"
    assert rescore(api, submission_id, score=-1, reason="x").status_code in (400, 422)
    assert rescore(api, submission_id, score=1, reason="").status_code in (400, 422)
    assert rescore(api, submission_id, role="candidate", score=1, reason="mine").status_code == 403
    assert rescore(api, "no-such-id", score=1, reason="x").status_code == 404


def test_a_short_answer_graded_by_its_key_cannot_be_rescored(tmp_path: Path) -> None:
    settings = service_settings(tmp_path, f"sqlite:///{tmp_path / 'g.db'}")
    api = Api(create_app(settings, queue=FakeQueue()), None)
    folder = REPO_ROOT / "tasks" / "vgg_vs_alexnet_filters"
    answers = json.loads((folder / "solutions" / "wrong.json").read_text())["answers"]
    made = api.call("POST", "/v1/submissions", json={"question_id": folder.name, "answers": answers})
    assert Grading(settings).run(made.get_json()["id"]) is False
    refused = rescore(api, made.get_json()["id"], score=1, reason="kind")
    assert refused.status_code == 409 and "graded by its key" in refused.get_json()["detail"]
