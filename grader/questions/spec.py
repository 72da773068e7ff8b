"""The model of ``question.yml``: what a question declares about itself."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from submissions_schema import Limits

CHECKERS = ("allclose", "exact", "property")
DOTTED = r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$"


class CheckerSpec(BaseModel):
    """``checker:`` in question.yml: a checker name and its arguments."""

    model_config = ConfigDict(extra="allow")

    name: Literal["allclose", "exact", "property"]

    def arguments(self) -> dict[str, Any]:
        """The arguments passed to the checker (everything but the name)."""
        return dict(self.model_extra or {})


class QuestionSpec(BaseModel):
    """A question's declaration; unknown keys are refused so that typos surface."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9_]{1,64}$")
    version: int = Field(ge=1)
    title: str = Field(min_length=1)
    topic: str = Field(min_length=1)
    difficulty: Literal["easy", "medium", "hard"]
    source: str = Field(min_length=1)
    device: Literal["cpu", "gpu"] = "cpu"
    uses_torch: bool = False
    entry_points: list[str] = Field(min_length=1)
    forbidden: list[str] = Field(default_factory=list)
    keep_device: bool = False
    seed: int = Field(ge=0)
    limits: Limits
    checker: CheckerSpec
    prompt: str = Field(min_length=1)
    starter: str = Field(min_length=1)

    @field_validator("entry_points")
    @classmethod
    def _identifiers(cls, names: list[str]) -> list[str]:
        for name in names:
            if not name.isidentifier():
                raise ValueError(f"{name!r} is not a Python name")
        return names

    @field_validator("forbidden")
    @classmethod
    def _dotted(cls, names: list[str]) -> list[str]:
        import re

        for name in names:
            if not re.match(DOTTED, name):
                raise ValueError(f"{name!r} is not a dotted name such as numpy.convolve")
        return names
