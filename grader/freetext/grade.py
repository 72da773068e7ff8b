"""Grades a free-text answer against its rubric, on the trusted side: the answer is only data.

Each rubric point is credited from the answer's unit (sentence or clause) that supports
it best: cosine similarity of sentence embeddings with the point's phrasings, plus a
small share of content-word overlap. Only units that make a claim compete; a unit
whose negation differs from a phrasing's does not support it; a unit close to one of
the point's wrong claims cancels the point. An answer with no prose gets 0 without
the model being touched.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

import numpy as np

from grader.freetext.engine import FreeTextModel, Tuning
from grader.freetext.markdown import Prose, extract_prose
from grader.freetext.match import PointMatch, decide, table
from grader.freetext.references import References
from grader.freetext.sentences import Unit, content_stems, split_sentences, units
from grader.freetext.spec import ANSWER_PART, FreeTextQuestion
from grader.grading.answers import AnswerError
from submissions_schema import Evidence, GradeReport, SandboxInfo, TestResult, Timing, Verdict, Visibility

CONFIDENCE_SCALE = 0.1  # a point this far from its threshold is a confident call
ADDRESSED = "addressed to the grader"
# An answer that talks to the grader is an attempt to game it: none of it earns credit, and a person looks.
DISQUALIFIED = "in an answer addressed to the grader"


def answer_text(answers: dict[str, Any]) -> str:
    """The one text part of a free-text submission; :class:`AnswerError` for anything else."""
    unknown = sorted(set(answers) - {ANSWER_PART})
    if unknown:
        raise AnswerError(f"unknown part(s) {unknown}; a free-text question has one part, '{ANSWER_PART}'")
    text = answers.get(ANSWER_PART, "")
    if not isinstance(text, str):
        raise AnswerError(f"part '{ANSWER_PART}' must be text, got {type(text).__name__}")
    return text


def grade_free_text(
    question: FreeTextQuestion, answer: str, model: FreeTextModel, tuning: Tuning | None = None
) -> GradeReport:
    """Score ``answer`` point by point; the model runs only when the answer has claims to compare."""
    t0 = time.monotonic()
    tuning = tuning or model.tuning
    prose = extract_prose(answer, tuning.max_chars)
    if prose.truncated:  # padding is how an answer games a grader: past the cap, no credit, and a person reads it
        nothing = [PointMatch(p, 0.0, None) for p in question.spec.rubric]
        return _report(question, nothing, prose, [], tuning, time.monotonic() - t0)
    candidates = units(split_sentences(prose.text))
    if any(u.skip == ADDRESSED for u in candidates):
        candidates = [u if u.skip else replace(u, skip=DISQUALIFIED) for u in candidates]
    references = model.references(question) if any(not u.skip for u in candidates) else None
    claims = [u for u in candidates if not u.skip and _novel(u, references, tuning)]
    matches = _match(question, claims, model, references, tuning) if claims and references else None
    if matches is None:
        matches = [PointMatch(p, 0.0, None) for p in question.spec.rubric]
    return _report(question, matches, prose, candidates, tuning, time.monotonic() - t0)


def _novel(unit: Unit, references: References | None, tuning: Tuning) -> bool:
    """A claim says something the prompt does not: enough content words of its own."""
    if references is None:
        return False
    return len(content_stems(unit.text) - references.prompt_stems) >= tuning.min_novel_stems


def _match(
    question: FreeTextQuestion, claims: list[Unit], model: FreeTextModel, refs: References, tuning: Tuning
) -> list[PointMatch] | None:
    """Each point's best support among ``claims``; None when every claim only restates the prompt."""
    speller = model.speller(question)
    if speller is not None:
        claims = [replace(u, core=speller.correct(u.core)) for u in claims]
    rows = {core: i for i, core in enumerate(dict.fromkeys(u.core for u in claims))}  # a clause may be its sentence
    vectors = model.encode(list(rows))[[rows[u.core] for u in claims]]
    prompt = (vectors @ refs.prompt.T).max(axis=1)
    restating = prompt >= tuning.restate_threshold
    if restating.all():
        return None
    claims = [u for u, r in zip(claims, restating, strict=True) if not r]
    rubric = question.spec.rubric
    t = table(vectors[~restating], claims, refs, rubric, tuning, prompt[~restating])
    return [decide(j, point, claims, t, tuning) for j, point in enumerate(rubric)]


def _credited(match: PointMatch, tuning: Tuning) -> bool:
    return match.unit is not None and match.score >= tuning.threshold and match.cancelled_by is None


def _point_result(match: PointMatch, tuning: Tuning) -> TestResult:
    credited = _credited(match, tuning)
    if credited:
        message = f"credited: {match.point.claim}"
    elif match.cancelled_by is not None:
        message = f"cancelled: the answer makes a common wrong claim about this point ({match.point.claim})"
    elif match.negated_by is not None:
        message = f"not credited: the answer states the opposite of this point ({match.point.claim})"
    else:
        message = f"not credited: no sentence of the answer makes this point ({match.point.claim})"
    evidence = None
    shown, similarity = match.unit, match.score
    if not credited and match.negated_by is not None:
        shown, similarity = match.negated_by, match.negated_score
    if shown is not None:
        cancelled_by = match.cancelled_by.text if match.cancelled_by else None
        evidence = Evidence(sentence=shown.text, similarity=round(similarity, 3), cancelled_by=cancelled_by)
    weight = float(match.point.weight)
    return TestResult(
        name=match.point.id, visibility=Visibility.visible,
        verdict=Verdict.accepted if credited else Verdict.wrong_answer,
        score=weight if credited else 0.0, max_score=weight, message=message, evidence=evidence,
    )


def _report(
    question: FreeTextQuestion,
    matches: list[PointMatch],
    prose: Prose,
    candidates: list[Unit],
    tuning: Tuning,
    elapsed_s: float,
) -> GradeReport:
    tests = [_point_result(m, tuning) for m in matches]
    score, max_score = sum(t.score for t in tests), sum(t.max_score for t in tests)
    addressed = len({u.sentence for u in candidates if u.skip == ADDRESSED})
    weights = np.array([m.point.weight for m in matches], dtype=float)
    closeness = np.array([min(1.0, m.margin / CONFIDENCE_SCALE) for m in matches])
    needs_review = bool((closeness < tuning.review_margin / CONFIDENCE_SCALE).any()) or addressed > 0 \
        or prose.truncated
    passed = score / max_score >= question.spec.pass_fraction
    return GradeReport(
        question_id=question.id, question_version=question.spec.version,
        verdict=Verdict.accepted if passed else Verdict.wrong_answer,
        score=score, max_score=max_score, message=_summary(tests, prose, addressed, tuning), tests=tests,
        timing=Timing(check_s=elapsed_s, total_s=elapsed_s), sandbox=SandboxInfo(backend="none"),
        confidence=round(float(weights @ closeness / weights.sum()), 3), needs_review=needs_review,
    )


def _summary(tests: list[TestResult], prose: Prose, addressed: int, tuning: Tuning) -> str:
    credited = sum(t.verdict is Verdict.accepted for t in tests)
    parts = [f"{credited} of {len(tests)} points credited"]
    if not prose.text:
        parts.append("no prose to grade")
    if prose.hidden:
        parts.append(f"{prose.hidden} code block(s), comment(s) or quote(s) earn nothing")
    if prose.truncated:
        parts.append(f"longer than {tuning.max_chars} characters of prose: not graded automatically, "
                     "a person should read it")
    if addressed:
        parts.append(f"{addressed} sentence(s) address the grader: nothing earns credit, a person should read it")
    return "; ".join(parts)
