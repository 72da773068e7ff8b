"""The model of a free-text question's ``question.yml``: a prompt and a rubric.

A rubric is a few points, each a claim a good answer makes, with a weight, several
reference phrasings of the claim in different words, and common wrong claims that
cancel the point when the answer makes them. Only ``claim`` lines ever reach a
reader; phrasings and wrong claims stay on the trusted side.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from grader.questions.loader import QuestionError, check_id, read_yaml, validate_model
from grader.questions.spec import QuestionMeta

ANSWER_PART = "answer"


class RubricPoint(BaseModel):
    """One claim a full answer makes."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9_]{1,64}$")
    weight: int = Field(gt=0, le=100)
    claim: str = Field(min_length=1, max_length=300, description="One line for the interviewer's report.")
    phrasings: list[str] = Field(min_length=3, description="Reference phrasings of the claim, in different words.")
    wrong: list[str] = Field(default_factory=list, description="Common wrong claims that cancel the point.")

    @field_validator("phrasings", "wrong")
    @classmethod
    def _sentences(cls, texts: list[str]) -> list[str]:
        for text in texts:
            if not text.strip():
                raise ValueError("a phrasing or wrong claim cannot be empty")
        if len({t.strip().lower() for t in texts}) != len(texts):
            raise ValueError("phrasings and wrong claims must differ from each other")
        return [t.strip() for t in texts]


class FreeTextSpec(QuestionMeta):
    """A conceptual question answered in prose and graded against its rubric."""

    kind: Literal["free_text"]
    pass_fraction: float = Field(default=0.5, gt=0, le=1, description="Score fraction from which it is accepted.")
    rubric: list[RubricPoint] = Field(min_length=2, max_length=5)

    @field_validator("id")
    @classmethod
    def _prefixed(cls, question_id: str) -> str:
        if not question_id.startswith("ft_"):
            raise ValueError("a free-text question's id starts with 'ft_'")
        return question_id

    @field_validator("rubric")
    @classmethod
    def _unique(cls, rubric: list[RubricPoint]) -> list[RubricPoint]:
        ids = [p.id for p in rubric]
        if len(set(ids)) != len(ids):
            raise ValueError(f"rubric point ids must be unique: {ids}")
        return rubric

    @property
    def max_score(self) -> int:
        return sum(p.weight for p in self.rubric)

    def rubric_digest(self) -> str:
        """A hash of what decides grading (prompt and rubric): keys the embedding cache."""
        body = json.dumps(
            {"prompt": self.prompt, "rubric": [p.model_dump() for p in self.rubric]}, sort_keys=True
        ).encode()
        return hashlib.sha256(body).hexdigest()[:16]


@dataclass(frozen=True)
class FreeTextQuestion:
    """A loaded free-text question: its declaration, its folder, and a digest of what grades it."""

    spec: FreeTextSpec
    folder: Path
    digest: str

    @property
    def id(self) -> str:
        return self.spec.id

    def solutions(self) -> list[Path]:
        """The labelled answers `grader tasks validate` grades (the development set)."""
        return sorted((self.folder / "solutions").glob("*.json"))

    def heldout(self) -> list[Path]:
        """Labelled answers kept out of tuning; only the agreement benchmark reads them."""
        return sorted((self.folder / "heldout").glob("*.json"))


def load_free_text(folder: Path) -> FreeTextQuestion:
    """Load and validate a free-text question folder; raise :class:`QuestionError` naming file and field."""
    path = folder / "question.yml"
    raw = read_yaml(path)
    if raw.get("kind") != "free_text":
        raise QuestionError(f"{path}: field 'kind': expected 'free_text', got {raw.get('kind')!r}")
    spec = validate_model(FreeTextSpec, raw, path)
    check_id(spec.id, folder, path)
    return FreeTextQuestion(spec=spec, folder=folder, digest=spec.rubric_digest())
