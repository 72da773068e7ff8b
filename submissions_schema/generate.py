"""Write the JSON Schema of every public contract next to this file.

Run ``python -m submissions_schema.generate`` after changing a model; a test fails
when the committed files drift from the models.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from submissions_schema.api import (
    BatchCreate,
    BatchView,
    DeliveryList,
    InterviewCreate,
    InterviewCreated,
    InterviewEvent,
    InterviewList,
    InterviewView,
    Problem,
    SubmissionCreate,
    SubmissionPage,
    SubmissionView,
    WebhookCreate,
    WebhookEvent,
)
from submissions_schema.models import GradeReport, GradingJob, QuestionPublic, SandboxResult

SCHEMA_DIR = Path(__file__).parent / "schemas"

CONTRACTS: dict[str, type[BaseModel]] = {
    "question_public": QuestionPublic,
    "grading_job": GradingJob,
    "sandbox_result": SandboxResult,
    "grade_report": GradeReport,
    "submission_create": SubmissionCreate,
    "submission_batch_create": BatchCreate,
    "batch_view": BatchView,
    "submission_view": SubmissionView,
    "submission_page": SubmissionPage,
    "problem": Problem,
    "webhook_event": WebhookEvent,
    "webhook_create": WebhookCreate,
    "webhook_deliveries": DeliveryList,
    "interview_create": InterviewCreate,
    "interview_created": InterviewCreated,
    "interview_view": InterviewView,
    "interview_list": InterviewList,
    "interview_event": InterviewEvent,
}


def render(model: type[BaseModel]) -> str:
    """The JSON Schema of ``model`` as stable, pretty text."""
    return json.dumps(model.model_json_schema(), indent=2, sort_keys=True) + "\n"


def main() -> None:
    SCHEMA_DIR.mkdir(exist_ok=True)
    for name, model in CONTRACTS.items():
        (SCHEMA_DIR / f"{name}.schema.json").write_text(render(model), encoding="utf-8")


if __name__ == "__main__":
    main()
