"""Question kinds, each in one module: coding, short answer, free text.

A question's kind is decided once, when its folder loads (``question.yml``'s ``kind``,
``coding`` by default); from then on every part of the grader asks :func:`kind_of` what
to do with it: load and validate the folder, show it, check and grade a job, choose a
queue, validate its solutions. Adding a kind touches its own module and :data:`KINDS`.
"""

from __future__ import annotations

from grader.kinds.base import AnyQuestion, Check, JobMismatch, QuestionKind
from grader.kinds.coding import Coding
from grader.kinds.free_text import FreeText
from grader.kinds.short_answer import ShortAnswer

KINDS: dict[str, QuestionKind] = {k.name: k for k in (Coding(), ShortAnswer(), FreeText())}


def kind_of(question: AnyQuestion) -> QuestionKind:
    """The kind ``question`` was loaded as."""
    return KINDS[question.spec.kind]


__all__ = ["KINDS", "AnyQuestion", "Check", "JobMismatch", "QuestionKind", "kind_of"]
