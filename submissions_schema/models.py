"""The contracts at every boundary of the grader, as pydantic v2 models.

Every model forbids unknown fields: a field that is not declared here is a bug or
an attack, and is refused at the boundary rather than ignored.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Strict(BaseModel):
    """Base for every contract: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


class Verdict(StrEnum):
    """Outcome of a test or a whole submission, from best to worst."""

    accepted = "accepted"
    wrong_answer = "wrong_answer"
    runtime_error = "runtime_error"
    time_limit_exceeded = "time_limit_exceeded"
    memory_limit_exceeded = "memory_limit_exceeded"
    output_limit_exceeded = "output_limit_exceeded"
    forbidden_api = "forbidden_api"
    syntax_error = "syntax_error"
    internal_error = "internal_error"

    @property
    def rank(self) -> int:
        """Position in the order above; the worst verdict has the highest rank."""
        return list(Verdict).index(self)


def worst(verdicts: list[Verdict]) -> Verdict:
    """The worst of ``verdicts``; ``accepted`` when there are none."""
    return max(verdicts, key=lambda v: v.rank, default=Verdict.accepted)


class Visibility(StrEnum):
    visible = "visible"
    hidden = "hidden"


HiddenFeedback = Literal["summary", "per_test"]
"""What a candidate sees of hidden tests: their aggregate only, or each one's name, verdict and score."""


class Role(StrEnum):
    """Who reads a report: decides what the report shows."""

    interviewer = "interviewer"
    candidate = "candidate"


class KeyRole(StrEnum):
    """What an API key may do: admin, interviewer and lms read full reports; a candidate
    submits as itself and reads only its own submissions, redacted."""

    admin = "admin"
    interviewer = "interviewer"
    candidate = "candidate"
    lms = "lms"

    @property
    def sees_full_reports(self) -> bool:
        return self is not KeyRole.candidate


# --- the question's public view --------------------------------------------------


class Limits(Strict):
    time_s: float = Field(gt=0, le=600, description="Time for the whole run, all cases together.")
    memory_mib: int = Field(ge=64, le=65536, description="Data memory of the sandboxed process.")
    output_kib: int = Field(ge=1, le=65536, description="What one case, or the import, may print.")


class VisibleCase(Strict):
    """A visible case as a candidate sees it: the call and its inputs, rendered."""

    name: str
    call: str
    inputs: str = Field(description="The arguments, rendered for reading.")


class PublicPart(Strict):
    """A blank of a short-answer question, without its key."""

    id: str
    prompt: str
    type: Literal["boolean", "choice", "choices", "number", "text", "expression", "dimensions", "free_text"]
    options: list[str] = Field(default_factory=list)
    units: list[str] = Field(default_factory=list, description="Units accepted for a number or after a formula.")
    symbols: dict[str, str] = Field(
        default_factory=dict, description="For a formula: the symbols it may use, each with what it stands for."
    )
    points: int


class QuestionPublic(Strict):
    """What anyone may see of a question: never hidden cases, reference, checker details or answer keys."""

    kind: Literal["coding", "short_answer", "free_text"] = "coding"
    id: str
    version: int
    title: str
    topic: str
    difficulty: Literal["easy", "medium", "hard"]
    source: str
    prompt: str
    max_score: int
    device: Literal["cpu", "gpu"] | None = None
    entry_points: list[str] = Field(default_factory=list)
    forbidden: list[str] = Field(default_factory=list)
    limits: Limits | None = None
    starter: str = ""
    visible_cases: list[VisibleCase] = Field(default_factory=list)
    hidden_case_count: int = 0
    parts: list[PublicPart] = Field(default_factory=list)


# --- the grading job -------------------------------------------------------------


class GradingJob(Strict):
    """One answer to grade against one question: ``code`` for a coding question,
    ``answers`` (one entry per part) for a short-answer question; exactly one of them."""

    question_id: str = Field(pattern=r"^[a-z0-9_]{1,64}$")
    code: str | None = Field(default=None, max_length=262144, description="The candidate's Python source.")
    answers: dict[str, Any] | None = Field(default=None, description="Short answers by part id.")
    submission_id: str | None = None
    practice: bool = Field(default=False, description="Grade the visible cases only; no hidden case runs.")
    hidden_feedback: HiddenFeedback | None = Field(
        default=None, description="The policy for this job (an interview's); none: the question's, else the "
        "deployment's.")

    @model_validator(mode="after")
    def _one_kind(self) -> GradingJob:
        if (self.code is None) == (self.answers is None):
            raise ValueError("give exactly one of 'code' and 'answers'")
        return self


# --- the sandbox's result --------------------------------------------------------

CaseStatus = Literal[
    "ok", "exception", "timeout", "memory", "output_limit", "forbidden", "bad_output", "not_run", "too_large"
]


class RunnerInfo(Strict):
    """What the in-sandbox runner reports about its environment."""

    python: str
    numpy: str
    torch: str | None = None
    device: str = Field(description="Where tensors were placed: 'cpu' or 'cuda:N'.")


class CaseOutcome(Strict):
    """One case as the sandbox saw it: data only, never a verdict.

    ``value`` is the encoded return value (a JSON tree whose arrays live in the
    case's ``.npz``); the host decodes it with ``sandbox.wire``.
    """

    id: str
    status: CaseStatus
    message: str = ""
    exception_types: list[str] = Field(default_factory=list, max_length=64)
    value: Any = None
    stdout: str = ""
    stderr: str = ""
    stdout_bytes: int = 0
    stderr_bytes: int = 0
    duration_s: float = 0.0
    devices: list[str] = Field(default_factory=list, max_length=4096)
    input_devices: list[str] = Field(default_factory=list, max_length=4096)


class SandboxResult(Strict):
    """Everything a sandbox run gave back, assembled and validated on the host."""

    backend: str
    runner: RunnerInfo | None = None
    load: CaseOutcome | None = Field(default=None, description="Importing the candidate's module.")
    cases: list[CaseOutcome] = Field(default_factory=list)
    killed: Literal["wall_time", "output", "protocol", "startup", "memory"] | None = None
    exit_code: int | None = None
    diagnostics: str = Field(default="", description="The runner's own stderr, capped.")
    start_s: float = 0.0
    run_s: float = 0.0


# --- the grade report ------------------------------------------------------------


class PlotSlice(Strict):
    """The values around a numeric mismatch, for a plot: a 1-D or 2-D window of the first mismatching
    slice (at most 512 values in 1-D, 32 x 32 in 2-D), row-major; non-finite values are ``null``."""

    where: str = Field(description="The part of the whole array shown, as an index: '[2, :, 0:32]'.")
    shape: list[int] = Field(min_length=1, max_length=2)
    expected: list[float | None]
    actual: list[float | None]
    mismatched: list[int] = Field(default_factory=list, description="Flat positions (in this window) that differ.")


class Mismatch(Strict):
    """Where a numeric answer differs from the expected one."""

    path: str = Field(description="Where in the returned value: '' for the value itself, 'dW1', '[1]'.")
    expected_shape: list[int] | None = None
    actual_shape: list[int] | None = None
    expected_dtype: str | None = None
    actual_dtype: str | None = None
    max_abs_error: float | None = None
    max_rel_error: float | None = None
    mismatched: int | None = Field(default=None, description="Elements outside the tolerance.")
    total: int | None = None
    first_index: list[int] | None = None
    expected_at_first: Any = None
    actual_at_first: Any = None
    plot: PlotSlice | None = Field(default=None, description="Values to plot; with the test, so hidden tests' "
                                   "plots never reach a candidate.")


class Evidence(Strict):
    """Why a free-text rubric point was or was not credited: the answer's sentence that
    supports it best, how close it came, and the sentence that cancelled it, if any."""

    sentence: str = Field(description="The answer's sentence closest to the point; '' when none makes a claim.")
    similarity: float = Field(description="Its similarity to the point (about -1..1; credited from about 0.5).")
    cancelled_by: str | None = Field(default=None, description="A sentence of the answer that contradicts the point.")


class TestResult(Strict):
    name: str
    visibility: Visibility
    verdict: Verdict
    score: float
    max_score: float
    message: str = ""
    mismatch: Mismatch | None = None
    stdout: str = ""
    stderr: str = ""
    duration_s: float | None = None
    evidence: Evidence | None = Field(default=None, description="Free-text questions: what earned the point.")


class Timing(Strict):
    reference_s: float = 0.0
    sandbox_start_s: float = 0.0
    run_s: float = 0.0
    check_s: float = 0.0
    total_s: float = 0.0


class SandboxInfo(Strict):
    backend: str
    python: str | None = None
    numpy: str | None = None
    torch: str | None = None
    device: str | None = None


class HiddenSummary(Strict):
    """The hidden tests taken together: all a candidate learns of them under the ``summary`` policy."""

    passed: int = Field(ge=0, description="Hidden tests accepted.")
    total: int = Field(ge=0, description="Hidden tests in all.")
    score: float
    max_score: float


class ScoreOverride(Strict):
    """An interviewer's score replacing the automatic one (free-text questions), and why."""

    automatic_score: float = Field(description="What the grader gave.")
    score: float = Field(description="What the interviewer gave: the report's score now.")
    reason: str = Field(min_length=1, max_length=2000)
    by: str = Field(description="Who changed it: the key's name and id.")
    at: datetime


class GradeReport(Strict):
    """The result of grading one submission; redacted per role when read."""

    schema_version: Literal[1] = 1
    question_id: str
    question_version: int
    verdict: Verdict
    score: float
    max_score: float
    message: str = ""
    tests: list[TestResult]
    stdout: str = Field(default="", description="Printed while the module was imported.")
    stderr: str = ""
    timing: Timing
    sandbox: SandboxInfo
    redacted: bool = Field(default=False, description="True in the candidate's view.")
    hidden_feedback: HiddenFeedback = Field(
        default="summary",
        description="What the candidate's view shows of hidden tests, decided when the submission was graded "
        "(the question's policy, else the deployment's): 'summary' lists visible tests only, with "
        "hidden_summary; 'per_test' also lists each hidden test's name, verdict and score.",
    )
    hidden_summary: HiddenSummary | None = Field(
        default=None, description="The hidden tests taken together; set in every view of a report that has any."
    )
    confidence: float | None = Field(default=None, ge=0, le=1, description="Free-text questions: certainty, 0..1.")
    needs_review: bool = Field(default=False, description="Free-text questions: a person should read the answer.")
    override: ScoreOverride | None = Field(default=None, description="An interviewer's score, when one was given.")
