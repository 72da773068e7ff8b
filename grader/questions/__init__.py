"""The question bank: folders under ``tasks/``, loaded and validated."""

from grader.questions.case import Case
from grader.questions.loader import Question, QuestionError, UnknownQuestion, load_bank, load_question

__all__ = ["Case", "Question", "QuestionError", "UnknownQuestion", "load_bank", "load_question"]
