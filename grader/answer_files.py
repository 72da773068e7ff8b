"""What a file given to ``grader check`` or ``grader submit`` holds, as a submission's fields.

Python source (``.py``) or a notebook (``.ipynb``, or any file whose text is a
notebook's JSON) for a coding question; a JSON object of answers by part (plain, or
``{"answers": {...}}`` as the API and ``solutions/`` write it) for a short-answer
question. Anything else (a binary file, text that is not UTF-8) is an
:class:`AnswerFileError` whose message says what was expected.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from grader.notebooks import NotebookError, looks_like_notebook, notebook_to_source

EXPECTED = "give Python source (.py), a Jupyter notebook (.ipynb) or answers as a JSON object (.json)"


class AnswerFileError(ValueError):
    """The file cannot be a submission; the message names it and says why."""


def read_answer_file(path: Path, *, answers: bool | None = None) -> dict[str, Any]:
    """``{"code": ...}`` or ``{"answers": ...}`` from ``path``.

    ``answers`` says whether the question takes answers (short answer) or code; ``None``
    (the question is not known here) decides by the file: ``.json`` is answers.
    """
    text = _text(path)
    wants_answers = path.suffix.lower() == ".json" if answers is None else answers
    if wants_answers:
        return {"answers": _answers(path, text)}
    if path.suffix.lower() == ".ipynb" or looks_like_notebook(text):
        try:
            return {"code": notebook_to_source(text)}
        except NotebookError as exc:
            raise AnswerFileError(f"{path}: {exc}") from None
    return {"code": text}


def _text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AnswerFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    if b"\x00" in data:
        raise AnswerFileError(f"{path} is a binary file (a NUL byte at {data.index(0)}): {EXPECTED}")
    try:
        return data.decode("utf-8-sig" if path.suffix.lower() == ".ipynb" else "utf-8")
    except UnicodeDecodeError as exc:
        raise AnswerFileError(f"{path} is not UTF-8 text (byte {exc.start}): {EXPECTED}") from None


def _answers(path: Path, text: str) -> dict[str, Any]:
    try:
        answers = json.loads(text)
    except ValueError as exc:
        raise AnswerFileError(f"{path}: answers must be a JSON object ({exc})") from None
    if isinstance(answers, dict) and "answers" in answers and set(answers) <= {"answers", "expect"}:
        answers = answers["answers"]
    if not isinstance(answers, dict):
        raise AnswerFileError(f"{path}: answers must be a JSON object of part id to answer")
    return answers
