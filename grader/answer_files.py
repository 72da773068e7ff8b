"""What a file given to ``grader check`` or ``grader submit`` holds, as a submission's fields.

Python source (``.py``) or a notebook (``.ipynb``, or any file whose text is a
notebook's JSON) for a coding question; a JSON object of answers by part (plain, or
``{"answers": {...}}`` as the API and ``solutions/`` write it) for a short-answer
question; text or Markdown for a free-text question. Anything else (a binary file, text
that is not UTF-8) is an :class:`AnswerFileError` whose message says what was expected.

When the question is known (``grader check``), its kind builds the job from the text
(``QuestionKind.job_from_file``); :func:`read_answer_file` is for when it is not
(``grader submit`` sends the file to a server).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from grader.notebooks import code_of

EXPECTED = ("give Python source (.py), a Jupyter notebook (.ipynb), answers as a JSON object (.json) "
            "or a free-text answer (.txt, .md)")


class AnswerFileError(ValueError):
    """The file cannot be a submission; the message names it and says why."""


def read_answer_file(path: Path, *, answers: bool | None = None) -> dict[str, Any]:
    """``{"code": ...}`` or ``{"answers": ...}`` from ``path``.

    ``answers`` says whether the question takes answers (short answer) or code; ``None``
    (the question is not known here) decides by the file: ``.json`` is answers.
    """
    from grader.kinds.answers_file import answers_from_json

    text = read_text(path)
    wants_answers = path.suffix.lower() == ".json" if answers is None else answers
    try:
        return {"answers": answers_from_json(text)} if wants_answers else {"code": code_of(path.name, text)}
    except ValueError as exc:  # NotebookError among them
        raise AnswerFileError(f"{path}: {exc}") from None


def read_text(path: Path) -> str:
    """The text of ``path``; :class:`AnswerFileError` when unreadable, binary or not UTF-8."""
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
