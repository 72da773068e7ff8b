"""Loads question folders and refuses bad ones with the file, the field and the problem."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from grader.questions.spec import QuestionSpec

REQUIRED_FILES = ("question.yml", "cases.py", "reference.py")
CODE_FILES = ("question.yml", "cases.py", "reference.py", "probe.py", "checks.py")


class QuestionError(ValueError):
    """A question folder is invalid; the message names the file, field and problem."""


class UnknownQuestion(LookupError):
    """No question has this id."""


@dataclass(frozen=True)
class Question:
    """A loaded question: its declaration, its folder, and a digest of its files."""

    spec: QuestionSpec
    folder: Path
    digest: str

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def probe_source(self) -> str | None:
        path = self.folder / "probe.py"
        return path.read_text(encoding="utf-8") if path.is_file() else None

    def solutions(self) -> list[Path]:
        return sorted((self.folder / "solutions").glob("*.py"))


def load_question(folder: Path) -> Question:
    """Load and validate one question folder; raise :class:`QuestionError`."""
    for name in REQUIRED_FILES:
        if not (folder / name).is_file():
            raise QuestionError(f"{folder / name}: missing (a question folder needs {', '.join(REQUIRED_FILES)})")
    path = folder / "question.yml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise QuestionError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise QuestionError(f"{path}: expected a mapping of fields, got {type(raw).__name__}")
    try:
        spec = QuestionSpec.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"field '{'.'.join(str(p) for p in err['loc']) or '(top)'}': {err['msg']}" for err in exc.errors()
        )
        raise QuestionError(f"{path}: {problems}") from exc
    if spec.id != folder.name:
        raise QuestionError(f"{path}: field 'id': '{spec.id}' differs from the folder name '{folder.name}'")
    if spec.checker.name == "property":
        function = spec.checker.arguments().get("function")
        if not isinstance(function, str) or not (folder / "checks.py").is_file():
            raise QuestionError(f"{path}: field 'checker.function': a property checker names a function in checks.py")
    return Question(spec=spec, folder=folder, digest=_digest(folder))


def load_bank(tasks_dir: Path) -> dict[str, Question]:
    """Every question under ``tasks_dir``, by id; the first invalid one raises."""
    bank = {}
    for folder in sorted(p for p in tasks_dir.iterdir() if (p / "question.yml").is_file()):
        question = load_question(folder)
        bank[question.id] = question
    return bank


def find_question(tasks_dir: Path, question_id: str) -> Question:
    """The question ``question_id``; raise :class:`UnknownQuestion` if there is none."""
    folder = tasks_dir / question_id
    if not question_id.replace("_", "").isalnum() or not (folder / "question.yml").is_file():
        raise UnknownQuestion(question_id)
    return load_question(folder)


def _digest(folder: Path) -> str:
    """A hash of the files that decide inputs and expected outputs."""
    h = hashlib.sha256()
    for name in CODE_FILES:
        path = folder / name
        if path.is_file():
            h.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]
