"""A question as anyone may see it: never hidden cases, reference or checker details."""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.grading.expected import ExpectedSet
from grader.questions.loader import Question, ShortAnswerQuestion
from submissions_schema import PublicPart, QuestionPublic, VisibleCase


def public_view(question: Question, expected: ExpectedSet) -> QuestionPublic:
    spec = question.spec
    visible = [c for c in expected.cases if c.visible]
    return QuestionPublic(
        id=spec.id, version=spec.version, title=spec.title, topic=spec.topic, difficulty=spec.difficulty,
        source=spec.source, device=spec.device, entry_points=spec.entry_points, forbidden=spec.forbidden,
        limits=spec.limits, prompt=spec.prompt, starter=spec.starter,
        visible_cases=[
            VisibleCase(name=c.name, call=c.call, inputs=render_call(*expected.inputs(c))) for c in visible
        ],
        hidden_case_count=len(expected.cases) - len(visible),
        max_score=sum(c.points for c in expected.cases),
    )


def short_answer_view(question: ShortAnswerQuestion) -> QuestionPublic:
    spec = question.spec
    return QuestionPublic(
        kind="short_answer", id=spec.id, version=spec.version, title=spec.title, topic=spec.topic,
        difficulty=spec.difficulty, source=spec.source, prompt=spec.prompt,
        max_score=sum(p.points for p in spec.parts),
        parts=[
            PublicPart(id=p.id, prompt=p.prompt, type=p.type, options=p.options, units=sorted(p.units), points=p.points)
            for p in spec.parts
        ],
    )


def render_call(args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    parts = [_show(a) for a in args] + [f"{k}={_show(v)}" for k, v in kwargs.items()]
    return ", ".join(parts)


def _show(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"np.array({np.array2string(value, separator=', ', threshold=64)})"
    return repr(value)
