"""Reading a JSON answers file (short-answer and free-text questions) as ``grader check`` takes it."""

from __future__ import annotations

import json
from typing import Any


def answers_from_json(text: str) -> dict[str, Any]:
    """The answers of a JSON file: ``{"part": ...}`` or the ``{"answers": {...}}`` form solutions/ use."""
    try:
        answers = json.loads(text)
    except ValueError as exc:
        raise ValueError(f"answers must be a JSON object ({exc})") from exc
    if isinstance(answers, dict) and "answers" in answers and set(answers) <= {"answers", "expect", "label",
                                                                               "accept", "kind"}:
        answers = answers["answers"]
    if not isinstance(answers, dict):
        raise ValueError("answers must be a JSON object of part id to answer")
    return answers
