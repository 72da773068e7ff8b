"""``/v1/questions``: prompts, starter code and visible cases; never hidden cases or keys."""

from __future__ import annotations

from flask import Blueprint, Response, request

from grader.api.auth import ANY_ROLE, requires
from grader.api.http import json_response
from grader.api.openapi import AUTH, Param, documented
from grader.api.problems import ApiError
from grader.api.services import services
from grader.kinds import AnyQuestion, kind_of
from submissions_schema import QuestionPublic
from submissions_schema.api import QuestionList, QuestionSummary

blueprint = Blueprint("questions", __name__)


def lookup(question_id: str) -> AnyQuestion:
    question = services().questions.get(question_id)
    if question is None:
        raise ApiError(404, "Not Found", f"unknown question '{question_id[:64]}'")
    return question


def summary(question: AnyQuestion) -> QuestionSummary:
    spec, kind = question.spec, kind_of(question)
    return QuestionSummary(id=spec.id, kind=kind.name, title=spec.title,  # type: ignore[arg-type]
                           topic=spec.topic, difficulty=spec.difficulty, source=spec.source,
                           device=kind.device(question))  # type: ignore[arg-type]


@blueprint.get("/v1/questions")
@documented("List questions", response=QuestionList, params=(Param("topic", {"type": "string"}, "Only this topic"),))
@requires(*ANY_ROLE)
def list_questions() -> Response:
    topic = request.args.get("topic")
    items = [summary(q) for q in services().questions.values() if topic is None or q.spec.topic == topic]
    return json_response(QuestionList(items=items))


@blueprint.get("/v1/questions/<question_id>")
@documented("A question: prompt, starter, visible cases", response=QuestionPublic, problems=AUTH + (404,))
@requires(*ANY_ROLE)
def get_question(question_id: str) -> Response:
    return json_response(public(lookup(question_id)))


def public(question: AnyQuestion) -> QuestionPublic:
    return kind_of(question).public_view(question, services().settings)
