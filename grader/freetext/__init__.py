"""Free-text (conceptual) questions: a prompt, a rubric, and answers graded point by point."""

from grader.freetext.engine import FreeTextModel, Tuning
from grader.freetext.grade import answer_text, grade_free_text
from grader.freetext.model import ModelError, SentenceModel
from grader.freetext.spec import FreeTextQuestion, FreeTextSpec, RubricPoint, load_free_text

__all__ = [
    "FreeTextModel",
    "FreeTextQuestion",
    "FreeTextSpec",
    "ModelError",
    "RubricPoint",
    "SentenceModel",
    "Tuning",
    "answer_text",
    "grade_free_text",
    "load_free_text",
]
