"""The HTTP API's contracts: request bodies, responses and errors."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import ConfigDict, Field, model_validator

from submissions_schema.models import GradeReport, Strict

Status = Literal["queued", "running", "completed", "failed"]


class SubmissionCreate(Strict):
    """``POST /v1/submissions``: one answer to one question.

    ``code`` (or a Jupyter ``notebook``) for a coding question, ``answers`` (by part
    id) for a short-answer question. ``candidate`` names whose work it is when an
    interviewer submits.
    """

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"oneOf": [{"required": ["code"]}, {"required": ["notebook"]}, {"required": ["answers"]}]},
    )

    question_id: str = Field(pattern=r"^[a-z0-9_]{1,64}$")
    code: str | None = Field(default=None, description="Python source, UTF-8.")
    notebook: dict[str, Any] | str | None = Field(
        default=None,
        description="A Jupyter notebook (nbformat 4), as a JSON object or the .ipynb file's text: its code "
                    "cells, in order, are graded as the code (magics and shell escapes removed).",
    )
    answers: dict[str, Any] | None = None
    candidate: str | None = Field(default=None, min_length=1, max_length=200)
    metadata: dict[str, Any] | None = Field(default=None, description="Kept and returned as given.")
    callback_url: str | None = Field(
        default=None, max_length=2000,
        description="Receives this submission's event, signed with the key's callback secret.",
    )

    @model_validator(mode="after")
    def _one_kind(self) -> SubmissionCreate:
        if [self.code, self.notebook, self.answers].count(None) != 2:
            raise ValueError("give exactly one of 'code', 'notebook' and 'answers'")
        return self


class BatchCreate(Strict):
    """``POST /v1/submissions/batch``: several submissions at once (course platforms)."""

    submissions: list[SubmissionCreate] = Field(min_length=1)


class SubmissionView(Strict):
    """A submission as its reader may see it; ``report`` once completed, redacted per role."""

    id: str
    question_id: str
    status: Status
    candidate: str | None = None
    metadata: dict[str, Any] | None = None
    batch_id: str | None = None
    callback_url: str | None = None
    attempts: int
    created_at: datetime
    started_at: datetime | None = None
    completed_at: datetime | None = None
    verdict: str | None = None
    score: float | None = None
    max_score: float | None = None
    report: GradeReport | None = None


class BatchCreated(Strict):
    batch_id: str
    submissions: list[SubmissionView]


class BatchView(Strict):
    """``GET /v1/batches/{batch_id}``: where a batch stands. ``done`` once every submission ended
    (``completed`` or ``failed``); ``completed_at`` is when the last one did."""

    batch_id: str
    total: int = Field(ge=0)
    done: bool
    by_status: dict[Status, int] = Field(description="How many submissions are in each status (all four named).")
    by_verdict: dict[str, int] = Field(description="How many ended submissions got each verdict.")
    submission_ids: list[str] = Field(description="In the order they were submitted.")
    created_at: datetime
    completed_at: datetime | None = None


class SubmissionPage(Strict):
    items: list[SubmissionView]
    next_cursor: str | None = Field(default=None, description="Pass as ?cursor= for the next page.")


class QuestionSummary(Strict):
    id: str
    kind: Literal["coding", "short_answer"]
    title: str
    topic: str
    difficulty: Literal["easy", "medium", "hard"]
    source: str
    device: Literal["cpu", "gpu"] | None = None


class QuestionList(Strict):
    items: list[QuestionSummary]


class Problem(Strict):
    """An error, as RFC 9457 ``application/problem+json``."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[dict[str, Any]] | None = Field(default=None, description="Field errors of a bad body.")


class Health(Strict):
    status: Literal["ok", "unavailable"]
    checks: dict[str, str] = Field(default_factory=dict)


EventType = Literal["submission.completed", "submission.failed", "batch.completed"]


class WebhookEvent(Strict):
    """What a receiver gets: versioned, with the submission (its report redacted for the key's role),
    or for ``batch.completed`` the batch (as ``GET /v1/batches/{batch_id}`` shows it)."""

    type: EventType
    version: Literal[1] = 1
    timestamp: datetime
    data: SubmissionView | BatchView

    @model_validator(mode="after")
    def _data_fits_type(self) -> WebhookEvent:
        carries = "batch" if self.type == "batch.completed" else "submission"
        if isinstance(self.data, BatchView) != (carries == "batch"):
            raise ValueError(f"a {self.type} event carries a {carries}")
        return self


class WebhookCreate(Strict):
    """``POST /v1/webhooks``: where to send which events."""

    url: str = Field(min_length=1, max_length=2000)
    events: list[EventType] = Field(min_length=1)
    description: str | None = Field(default=None, max_length=500)


class WebhookView(Strict):
    id: str
    url: str
    events: list[EventType]
    description: str | None = None
    created_at: datetime
    disabled_at: datetime | None = None
    disabled_reason: str | None = None


class WebhookSecret(Strict):
    """A signing secret, shown once: ``whsec_`` and base64 of 32 random bytes."""

    secret: str
    previous_secret_valid_until: datetime | None = None


class WebhookCreated(WebhookView):
    secret: str


class WebhookList(Strict):
    items: list[WebhookView]


class AttemptView(Strict):
    at: datetime
    status_code: int | None = None
    latency_ms: float | None = None
    response_head: str | None = None
    error: str | None = None


class DeliveryView(Strict):
    id: str
    event_id: str
    event_type: EventType
    submission_id: str | None = None
    url: str
    status: Literal["pending", "succeeded", "failed"]
    attempts: int
    next_attempt_at: datetime | None = None
    created_at: datetime
    completed_at: datetime | None = None
    log: list[AttemptView]


class DeliveryList(Strict):
    items: list[DeliveryView]
