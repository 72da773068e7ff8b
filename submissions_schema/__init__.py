"""Contracts at every boundary: pydantic models and the JSON Schema made from them."""

from submissions_schema.models import (
    CaseOutcome,
    GradeReport,
    GradingJob,
    Limits,
    Mismatch,
    QuestionPublic,
    Role,
    RunnerInfo,
    SandboxInfo,
    SandboxResult,
    TestResult,
    Timing,
    Verdict,
    Visibility,
    VisibleCase,
    worst,
)

__all__ = [
    "CaseOutcome",
    "GradeReport",
    "GradingJob",
    "Limits",
    "Mismatch",
    "QuestionPublic",
    "Role",
    "RunnerInfo",
    "SandboxInfo",
    "SandboxResult",
    "TestResult",
    "Timing",
    "Verdict",
    "Visibility",
    "VisibleCase",
    "worst",
]
