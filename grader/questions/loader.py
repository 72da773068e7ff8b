"""Loads question folders and refuses bad ones with the file, the field and the problem."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from grader.grading.checkers import BoundChecker, CheckerError, resolve_checker
from grader.questions.spec import QuestionSpec, ShortAnswerSpec

P = TypeVar("P", bound=BaseModel)

REQUIRED_FILES = ("question.yml", "cases.py", "reference.py")
CODE_FILES = ("question.yml", "cases.py", "reference.py", "probe.py", "checks.py")


class QuestionError(ValueError):
    """A question folder is invalid; the message names the file, field and problem."""


class UnknownQuestion(LookupError):
    """No question has this id."""


@dataclass(frozen=True)
class Question:
    """A loaded question: its declaration, its folder, a digest of its files, and its checker bound."""

    spec: QuestionSpec
    folder: Path
    digest: str
    checker: BoundChecker

    @property
    def id(self) -> str:
        return self.spec.id

    def checker_for(self, case_name: str, override: dict[str, Any] | None) -> BoundChecker:
        """The checker of one case: the question's, or with the case's ``checker`` override bound.

        Raises :class:`QuestionError` naming cases.py, the case and the field when the override does not bind.
        """
        if not override:
            return self.checker
        try:
            return resolve_checker(self.spec.checker.declared(override), self.folder)
        except CheckerError as exc:
            raise QuestionError(f"{self.folder / 'cases.py'}: case '{case_name}': {exc}") from exc

    @property
    def probe_source(self) -> str | None:
        path = self.folder / "probe.py"
        return path.read_text(encoding="utf-8") if path.is_file() else None

    def solutions(self) -> list[Path]:
        return sorted((self.folder / "solutions").glob("*.py"))

    def mutants(self) -> list[Path]:
        """Typical mistakes written as answers, each of which a hidden case must catch."""
        return sorted((self.folder / "mutants").glob("*.py"))


@dataclass(frozen=True)
class ShortAnswerQuestion:
    """A question graded by its answer key, with no sandbox."""

    spec: ShortAnswerSpec
    folder: Path
    digest: str

    @property
    def id(self) -> str:
        return self.spec.id

    def solutions(self) -> list[Path]:
        return sorted((self.folder / "solutions").glob("*.json"))


if TYPE_CHECKING:
    from grader.freetext.spec import FreeTextQuestion

AnyQuestion: TypeAlias = "Question | ShortAnswerQuestion | FreeTextQuestion"


def load_question(folder: Path) -> AnyQuestion:
    """Load and validate one question folder as its kind says; raise :class:`QuestionError`."""
    from grader.kinds import KINDS  # the kinds import this module's question types

    path = folder / "question.yml"
    raw = read_yaml(path)
    name = raw.get("kind", "coding")
    if name not in KINDS:
        raise QuestionError(f"{path}: field 'kind': unknown kind {name!r} (known: {', '.join(sorted(KINDS))})")
    return KINDS[name].load(folder, raw)


def read_yaml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise QuestionError(f"{path}: missing (every question folder has a question.yml)")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise QuestionError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise QuestionError(f"{path}: expected a mapping of fields, got {type(raw).__name__}")
    return raw


def validate_model(model: type[P], raw: dict[str, Any], path: Path) -> P:
    """``raw`` validated as ``model``; :class:`QuestionError` naming the file and every bad field."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"field '{'.'.join(str(p) for p in err['loc']) or '(top)'}': {err['msg']}" for err in exc.errors()
        )
        raise QuestionError(f"{path}: {problems}") from exc


def check_id(question_id: str, folder: Path, path: Path) -> None:
    if question_id != folder.name:
        raise QuestionError(f"{path}: field 'id': '{question_id}' differs from the folder name '{folder.name}'")


def load_bank(tasks_dir: Path) -> dict[str, AnyQuestion]:
    """Every question under ``tasks_dir``, by id; the first invalid one raises."""
    bank, problems = scan_bank(tasks_dir)
    if problems:
        raise problems[0]
    return bank


def scan_bank(tasks_dir: Path) -> tuple[dict[str, AnyQuestion], list[QuestionError]]:
    """Every valid question under ``tasks_dir``, by id, and the problems of the others."""
    bank: dict[str, AnyQuestion] = {}
    problems: list[QuestionError] = []
    for folder in sorted(p.parent for p in tasks_dir.glob("*/question.yml")):
        try:
            question = load_question(folder)
        except QuestionError as exc:
            problems.append(exc)
            continue
        bank[question.id] = question
    return bank, problems


def find_question(tasks_dir: Path, question_id: str) -> AnyQuestion:
    """The question ``question_id``; raise :class:`UnknownQuestion` if there is none."""
    folder = tasks_dir / question_id
    if not question_id.replace("_", "").isalnum() or not (folder / "question.yml").is_file():
        raise UnknownQuestion(question_id)
    return load_question(folder)


def folder_digest(folder: Path, names: tuple[str, ...]) -> str:
    """A hash of the files ``names`` of ``folder`` (those that decide inputs and expected outputs)."""
    h = hashlib.sha256()
    for name in names:
        path = folder / name
        if path.is_file():
            h.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]
