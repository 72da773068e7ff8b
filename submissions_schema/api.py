"""The HTTP API's contracts: request bodies, responses and errors."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Literal

from pydantic import ConfigDict, Field, model_validator

from submissions_schema.models import GradeReport, HiddenFeedback, Strict

Status = Literal["queued", "running", "completed", "failed"]
QUESTION_ID = r"^[a-z0-9_]{1,64}$"


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

    question_id: str = Field(pattern=QUESTION_ID)
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
    interview_id: str | None = Field(
        default=None, pattern=r"^[A-Za-z0-9-]{1,64}$",
        description="The interview this answers (its limits apply). An interview's candidate key may omit it.",
    )
    practice: bool = Field(
        default=False, description="Run visible tests: graded on the visible cases only (no hidden case runs), "
        "never counted against an interview's or a candidate's limits. Coding questions only.",
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
    interview_id: str | None = None
    practice: bool = False


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
    kind: Literal["coding", "short_answer", "free_text"]
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


SubmissionEventType = Literal["submission.completed", "submission.failed", "submission.rescored"]
EventType = Literal["submission.completed", "submission.failed", "submission.rescored", "interview.completed",
                    "batch.completed"]


class ScoreChange(Strict):
    """``POST /v1/submissions/{id}/score``: an interviewer's score for a free-text answer, and why."""

    score: float = Field(ge=0, allow_inf_nan=False, description="From 0 to the report's max_score.")
    reason: str = Field(min_length=1, max_length=2000)


class WebhookEvent(Strict):
    """What a receiver gets: versioned, with the submission (its report redacted for the key's role),
    for ``batch.completed`` the batch (as ``GET /v1/batches/{batch_id}`` shows it), and for
    ``interview.completed`` the interview with its board (the shape :class:`InterviewEvent` names)."""

    type: EventType
    version: Literal[1] = 1
    timestamp: datetime
    data: SubmissionView | BatchView | InterviewView

    @model_validator(mode="after")
    def _data_fits_type(self) -> WebhookEvent:
        carries = {"batch.completed": BatchView, "interview.completed": InterviewView}.get(self.type, SubmissionView)
        if not isinstance(self.data, carries):
            raise ValueError(f"a {self.type} event carries a {carries.__name__}")
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


# --- interviews ------------------------------------------------------------------

ClosedReason = Literal["closed", "time_up", "attempts_used"]


class InterviewCreate(Strict):
    """``POST /v1/interviews``: a candidate, the questions, and the limits the server enforces."""

    candidate_name: str = Field(min_length=1, max_length=200, description="Names the candidate's key and work.")
    question_ids: list[str] = Field(min_length=1, max_length=100)
    time_limit_s: int | None = Field(
        default=None, ge=60, le=30 * 86400, description="From the first use of the invite; none: no limit.")
    attempts_limit: int | None = Field(
        default=None, ge=1, le=1000, description="Counted submissions per question (practice runs and the "
        "grader's failures are not counted); none: no limit.")
    hidden_feedback: HiddenFeedback | None = Field(
        default=None, description="What the candidate sees of hidden tests; none: the question's, else the "
        "deployment's policy.")

    @model_validator(mode="after")
    def _distinct(self) -> InterviewCreate:
        pattern = re.compile(QUESTION_ID)
        for i, question_id in enumerate(self.question_ids):
            if not pattern.fullmatch(question_id):
                raise ValueError(f"question_ids[{i}]: not a question id")
        if len(set(self.question_ids)) != len(self.question_ids):
            raise ValueError("question_ids: each question once")
        return self


class InterviewState(Strict):
    """Whether the interview takes submissions now: ``reason`` says why not; ``seconds_left`` of its time."""

    open: bool
    reason: ClosedReason | None = None
    seconds_left: int | None = Field(default=None, description="None: no time limit.")


class BoardRow(Strict):
    """One question of an interview: its counted submissions taken together (practice runs apart)."""

    question_id: str
    attempts: int = Field(description="Counted submissions (not practice runs, not the grader's failures).")
    attempts_left: int | None = Field(default=None, description="None: no limit.")
    pending: int = Field(default=0, description="Counted submissions not graded yet.")
    practice_runs: int = 0
    best_score: float | None = None
    max_score: float | None = None
    verdict: str | None = Field(default=None, description="The verdict of the best submission.")
    best_submission_id: str | None = None
    last_submission_id: str | None = None
    time_used_s: int | None = Field(
        default=None, description="From the interview's start to the question's last counted submission.")


class InterviewView(Strict):
    """An interview as its reader may see it (a candidate: its own, times in whole seconds)."""

    id: str
    candidate_name: str
    question_ids: list[str]
    time_limit_s: int | None = None
    attempts_limit: int | None = None
    hidden_feedback: HiddenFeedback | None = None
    created_at: datetime
    started_at: datetime | None = None
    closed_at: datetime | None = None
    closed_reason: ClosedReason | None = None
    completed_at: datetime | None = Field(
        default=None, description="When it ended and every counted submission was graded (interview.completed).")
    state: InterviewState
    board: list[BoardRow] | None = Field(default=None, description="Per question; in single-interview views.")


class InterviewCreated(InterviewView):
    """The new interview and its invite link, shown once (only the token's hash is stored)."""

    invite_url: str = Field(description="/i/<token>: signs the candidate in; shown only this once.")


class InterviewList(Strict):
    items: list[InterviewView]


class InterviewEvent(Strict):
    """``interview.completed``: closed (by hand, time up, or every attempt used) and every submission graded."""

    type: Literal["interview.completed"] = "interview.completed"
    version: Literal[1] = 1
    timestamp: datetime
    data: InterviewView
