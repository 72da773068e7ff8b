"""Which claim of an answer supports, contradicts or denies each rubric point.

Every claim is compared with every reference text of the question (all points'
phrasings and wrong claims), negations apart: a claim supports a phrasing only when
both deny or both affirm. A claim counts for a point only when that point is (nearly)
the best match it has among all references, so a sentence about one point does not
also earn a neighbouring one by sharing its topic. It cancels a point when it is
closer to one of the point's wrong claims than to any phrasing at all.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from grader.freetext.engine import Tuning
from grader.freetext.references import Claims, References
from grader.freetext.sentences import Unit, content_stems
from grader.freetext.spec import RubricPoint

NONE = -1.0  # the similarity given to pairs that cannot be compared (opposite polarity, no references)


@dataclass(frozen=True)
class PointMatch:
    """How one rubric point fared against the answer."""

    point: RubricPoint
    score: float  # best support among the claims that may speak for this point
    unit: Unit | None  # the claim that gave it
    cancelled_by: Unit | None = None  # a claim that makes one of its wrong claims
    negated_by: Unit | None = None  # a claim that would support it but for its negation
    negated_score: float = NONE
    margin: float = 1.0  # distance of the deciding figure from its threshold


@dataclass(frozen=True)
class Table:
    """Similarities of claims (rows) with each point (columns)."""

    support: np.ndarray  # best phrasing of the same polarity
    opposed: np.ndarray  # best phrasing of the opposite polarity
    wrong: np.ndarray  # best wrong claim of the same polarity
    top: np.ndarray  # per claim: its best similarity with any reference, polarity aside
    prompt: np.ndarray  # per claim: its similarity with the closest sentence of the prompt


def table(
    vectors: np.ndarray,
    claims: list[Unit],
    refs: References,
    points: list[RubricPoint],
    tuning: Tuning,
    prompt: np.ndarray,
) -> Table:
    """Compare every claim with every point's phrasings and wrong claims."""
    negated = np.array([u.negated for u in claims], dtype=bool)
    stems = [frozenset(content_stems(u.core)) for u in claims]
    columns = [
        (_compare(vectors, negated, stems, refs.points[p.id].phrasings, tuning),
         _compare(vectors, negated, stems, refs.points[p.id].wrong, tuning))
        for p in points
    ]
    support = np.stack([c[0][0] for c in columns], axis=1)
    opposed = np.stack([c[0][1] for c in columns], axis=1)
    wrong = np.stack([c[1][0] for c in columns], axis=1)
    wrong_any = np.stack([np.maximum(c[1][0], c[1][1]) for c in columns], axis=1)
    top = np.max(np.concatenate([support, opposed, wrong_any], axis=1), axis=1)
    return Table(support=support, opposed=opposed, wrong=wrong, top=top, prompt=prompt)


def _compare(
    vectors: np.ndarray, negated: np.ndarray, stems: list[frozenset[str]], refs: Claims, tuning: Tuning
) -> tuple[np.ndarray, np.ndarray]:
    """Per claim: best similarity with ``refs`` of the same polarity, and of the opposite one."""
    if len(refs.vectors) == 0:
        empty = np.full(len(vectors), NONE)
        return empty, empty
    similarity = vectors @ refs.vectors.T
    if tuning.lexical_weight:
        shared = np.array([[_recall(s, r) for r in refs.stems] for s in stems])
        similarity = (1 - tuning.lexical_weight) * similarity + tuning.lexical_weight * shared
    says = np.array([[not need or bool(s & need) for need in refs.required] for s in stems], dtype=bool)
    similarity = np.where(says, similarity, NONE)
    same = negated[:, None] == refs.negated[None, :]
    return np.where(same, similarity, NONE).max(axis=1), np.where(same, NONE, similarity).max(axis=1)


def decide(column: int, point: RubricPoint, claims: list[Unit], t: Table, tuning: Tuning) -> PointMatch:
    """Credit, cancellation or denial of one point, with the claim behind it."""
    # A claim speaks for this point when the point is (nearly) its best match overall, and when it sides
    # with the point's phrasings of its own polarity rather than with those of the other one.
    focused = t.support[:, column] >= t.top - tuning.focus
    sides = t.support[:, column] >= t.opposed[:, column] + tuning.polarity_margin
    specific = t.support[:, column] >= t.prompt + tuning.prompt_margin  # says more than the topic
    support = np.where(focused & sides & specific, t.support[:, column], NONE)
    best = int(np.argmax(support))
    score = float(support[best])
    margin = abs(score - tuning.threshold)
    wrong = t.wrong[:, column]
    lead = wrong - t.support.max(axis=1)
    contradicts = (wrong >= tuning.wrong_threshold) & (lead >= tuning.wrong_lead)
    cancelled = claims[int(np.argmax(np.where(contradicts, wrong, NONE)))] if contradicts.any() else None
    if score >= tuning.threshold and cancelled is None and len(wrong):
        near = np.minimum(np.abs(wrong - tuning.wrong_threshold), np.abs(lead - tuning.wrong_lead))
        margin = min(margin, float(near[wrong >= tuning.wrong_threshold - tuning.review_margin].min(initial=1.0)))
    opposed = np.where(t.opposed[:, column] >= t.top - tuning.focus, t.opposed[:, column], NONE)
    flipped = int(np.argmax(opposed))
    negated_by = claims[flipped] if opposed[flipped] >= tuning.threshold and opposed[flipped] > score else None
    return PointMatch(point, score, claims[best] if score > NONE else None, cancelled, negated_by,
                      float(opposed[flipped]), margin)


def _recall(claim: frozenset[str], reference: frozenset[str]) -> float:
    """The share of the reference's content words that the claim uses."""
    return len(claim & reference) / len(reference) if reference else 0.0
