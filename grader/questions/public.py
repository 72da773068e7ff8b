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
            VisibleCase(name=c.name, call=c.call, inputs=render_call(c.args, c.kwargs, expected.arrays))
            for c in visible
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
            PublicPart(id=p.id, prompt=p.prompt, type=p.type, options=p.options, units=sorted(p.units),
                       symbols=p.symbols, points=p.points)
            for p in spec.parts
        ],
    )


def render_call(args: Any, kwargs: Any, arrays: dict[str, np.ndarray]) -> str:
    """The arguments of a call as Python a reader can run: ``np.array(...)``, ``torch.tensor(...)``."""
    parts = [render(a, arrays) for a in args["$tuple"]]
    parts += [f"{k}={render(v, arrays)}" for k, v in kwargs["$dict"].items()]
    return ", ".join(parts)


def render(tree: Any, arrays: dict[str, np.ndarray]) -> str:
    if isinstance(tree, list):
        return "[" + ", ".join(render(x, arrays) for x in tree) + "]"
    if not isinstance(tree, dict):
        return repr(tree)
    if "$array" in tree or "$tensor" in tree:
        arr = arrays[tree.get("$array") or tree["$tensor"]]
        text = np.array2string(arr, separator=", ", threshold=64)
        return f"torch.tensor({text}, dtype=torch.{arr.dtype})" if "$tensor" in tree else f"np.array({text})"
    if "$tuple" in tree:
        items = [render(x, arrays) for x in tree["$tuple"]]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if "$dict" in tree:
        return "{" + ", ".join(f"{k!r}: {render(v, arrays)}" for k, v in tree["$dict"].items()) + "}"
    return f"float({tree['$float']!r})"
