"""The model of ``question.yml``: what a question declares about itself."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from submissions_schema import HiddenFeedback, Limits

CHECKERS = ("allclose", "exact", "property")
DOTTED = r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$"


class CheckerSpec(BaseModel):
    """``checker:`` in question.yml: a checker name and its arguments.

    Which names exist and which arguments each accepts is the resolver's to say
    (``grader.grading.checkers.resolve_checker``), when the question loads.
    """

    model_config = ConfigDict(extra="allow")

    name: str = Field(min_length=1)

    def arguments(self) -> dict[str, Any]:
        """The arguments passed to the checker (everything but the name)."""
        return dict(self.model_extra or {})

    def declared(self, override: dict[str, Any] | None = None) -> dict[str, Any]:
        """The declaration with a case's ``override``: merged, or replaced when it names another checker."""
        base = {"name": self.name, **self.arguments()}
        override = override or {}
        if override.get("name", self.name) != self.name:
            return dict(override)
        return {**base, **override}


class QuestionMeta(BaseModel):
    """What every question declares, whatever its kind; unknown keys are refused so that typos surface."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9_]{1,64}$")
    version: int = Field(ge=1)
    title: str = Field(min_length=1)
    topic: str = Field(min_length=1)
    difficulty: Literal["easy", "medium", "hard"]
    source: str = Field(min_length=1)
    prompt: str = Field(min_length=1)


class QuestionSpec(QuestionMeta):
    """A coding question's declaration."""

    kind: Literal["coding"] = "coding"
    device: Literal["cpu", "gpu"] = "cpu"
    uses_torch: bool = False
    entry_points: list[str] = Field(min_length=1)
    forbidden: list[str] = Field(default_factory=list)
    keep_device: bool = False
    seed: int = Field(ge=0)
    limits: Limits
    checker: CheckerSpec
    starter: str = Field(min_length=1)
    hidden_feedback: HiddenFeedback | None = None  # what candidates see of hidden tests; None: the deployment's

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


class PartSpec(BaseModel):
    """One blank of a short-answer question, with its key.

    ``boolean``: ``answer`` is true/false. ``choice``: one option label.
    ``choices``: the set of correct labels (all and only those). ``number``: a value
    in the unit the prompt asks for, ``tolerance_rel``/``tolerance_abs``, and ``units``
    mapping each accepted unit to its factor into that unit. ``text``: a word or
    phrase; ``synonyms`` are accepted too; case, spacing and dashes never matter.
    ``expression``: a formula over ``symbols`` (name to meaning; ``aliases`` maps
    other spellings to a symbol), compared as mathematics. ``dimensions``: formulas
    such as ``(K - θ + 1) x (K - θ + 1)``, the same count, each equivalent, in order.
    For both, ``synonyms`` are further keys in the same notation and ``units`` trailing
    words with their factors; every key is parsed when the question loads.
    """

    model_config = ConfigDict(extra="forbid")
    FORMULA_TYPES: ClassVar[tuple[str, str]] = ("expression", "dimensions")

    id: str = Field(pattern=r"^[a-z0-9_]{1,64}$")
    prompt: str = ""
    type: Literal["boolean", "choice", "choices", "number", "text", "expression", "dimensions"]
    symbols: dict[str, str] = Field(default_factory=dict)
    aliases: dict[str, str] = Field(default_factory=dict)
    answer: bool | float | str | list[str]
    options: list[str] = Field(default_factory=list)
    tolerance_rel: float = Field(default=0.0, ge=0)
    tolerance_abs: float = Field(default=0.0, ge=0)
    units: dict[str, float] = Field(default_factory=dict)
    synonyms: list[str] = Field(default_factory=list)
    points: int = Field(default=1, ge=0)

    @field_validator("symbols", "aliases")
    @classmethod
    def _formula_names(cls, names: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        if names and info.data.get("type") not in cls.FORMULA_TYPES:
            raise ValueError(f"{info.field_name} belong to expression and dimensions parts")
        if info.field_name == "symbols":
            cls._vocabulary({**info.data, "symbols": names}, {})
        else:
            cls._vocabulary(info.data, names)
        return names

    @field_validator("answer")
    @classmethod
    def _answer_shape(cls, answer: Any, info: ValidationInfo) -> Any:
        kind = info.data.get("type")
        wanted = {"boolean": bool, "choice": str, "choices": list, "number": float, "text": str,
                  "expression": str, "dimensions": str}.get(str(kind))
        if wanted is float and isinstance(answer, bool):
            raise ValueError("a number part needs a numeric answer")
        if wanted is not None and not isinstance(answer, wanted if wanted is not float else (int, float)):
            raise ValueError(f"a {kind} part needs a {wanted.__name__} answer")
        if kind in cls.FORMULA_TYPES:
            cls._parse_key(info.data, answer)
        return answer

    @field_validator("synonyms")
    @classmethod
    def _formula_synonyms(cls, synonyms: list[str], info: ValidationInfo) -> list[str]:
        if info.data.get("type") in cls.FORMULA_TYPES:
            for synonym in synonyms:
                cls._parse_key(info.data, synonym)
        return synonyms

    @field_validator("units")
    @classmethod
    def _units_are_not_names(cls, units: dict[str, float], info: ValidationInfo) -> dict[str, float]:
        if info.data.get("type") in cls.FORMULA_TYPES:
            vocab = cls._vocabulary(info.data, info.data.get("aliases", {}))
            clash = sorted(u for u in units if vocab.is_word(u))
            if clash:
                raise ValueError(f"unit(s) {clash} are also names a formula may use")
        return units

    @staticmethod
    def _vocabulary(data: dict[str, Any], aliases: dict[str, str]) -> Any:
        """The part's vocabulary (imported late: SymPy loads only for questions that need it)."""
        from grader.grading.expressions import FormulaError, Vocabulary

        try:
            return Vocabulary.build(data.get("symbols", {}), aliases, dimensions=data.get("type") == "dimensions")
        except FormulaError as exc:
            raise ValueError(str(exc)) from exc

    @classmethod
    def _parse_key(cls, data: dict[str, Any], key: str) -> None:
        """A key that does not parse, or has no value, is a load error naming the key (the author's text)."""
        from grader.grading.expressions import FormulaError, has_value, parse_dimensions, parse_expression

        vocab = cls._vocabulary(data, data.get("aliases", {}))
        try:
            dimensions = data.get("type") == "dimensions"
            formulas = parse_dimensions(key, vocab) if dimensions else (parse_expression(key, vocab),)
        except FormulaError as exc:
            raise ValueError(f"the key {key!r} does not parse: {exc}") from exc
        if not all(has_value(f) for f in formulas):
            raise ValueError(f"the key {key!r} has no value for most values of its symbols")


class ShortAnswerSpec(QuestionMeta):
    """A question graded by an answer key, with no sandbox."""

    kind: Literal["short_answer"]
    parts: list[PartSpec] = Field(min_length=1)

    @field_validator("parts")
    @classmethod
    def _unique(cls, parts: list[PartSpec]) -> list[PartSpec]:
        ids = [p.id for p in parts]
        if len(set(ids)) != len(ids):
            raise ValueError("part ids must be unique")
        for part in parts:
            labels = part.answer if isinstance(part.answer, list) else [part.answer]
            if part.type in ("choice", "choices") and part.options and not set(map(str, labels)) <= set(part.options):
                raise ValueError(f"part '{part.id}': the answer is not among its options")
        return parts
