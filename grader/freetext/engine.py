"""What a worker keeps loaded to grade free-text answers: the encoder, the reference cache, the tuning.

Build one :class:`FreeTextModel` per worker process (``FreeTextModel.from_settings``),
call :meth:`FreeTextModel.load` once when the worker starts, and pass it to every
:func:`grader.freetext.grade.grade_free_text` call. Nothing is built at import time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from grader.freetext.model import Encoder, SentenceModel
from grader.freetext.references import ReferenceCache, References, question_words
from grader.freetext.spec import FreeTextQuestion
from grader.freetext.spelling import Speller

if TYPE_CHECKING:
    from pathlib import Path

    from grader.settings import Settings


@dataclass(frozen=True)
class Tuning:
    """The grader's thresholds; the figures were chosen on the labelled development answers
    (``solutions/``) with ``bench/freetext_agreement.py`` and never on the held-out ones."""

    threshold: float = 0.5  # support from which a point is credited
    lexical_weight: float = 0.2  # share of content-word overlap (recall of the reference's words) in similarity
    focus: float = 0.05  # a claim speaks for a point only if no other reference is this much closer to it,
    polarity_margin: float = 0.1  # if it is this much closer to the point's phrasings of its own polarity,
    prompt_margin: float = 0.1  # and this much closer to the point than to the prompt (more than the topic)
    restate_threshold: float = 0.8  # a claim this close to a sentence of the prompt only restates it
    min_novel_stems: int = 2  # content words a claim needs beyond the prompt's
    wrong_threshold: float = 0.9  # a claim this close to a wrong claim (saying its distinctive words)...
    wrong_lead: float = 0.05  # ...and this much closer to it than to any phrasing cancels the point
    review_margin: float = 0.03  # a point this close to a threshold marks the answer for review
    max_chars: int = 4000  # prose considered; the rest is ignored

    @classmethod
    def from_settings(cls, settings: Settings) -> Tuning:
        return cls(review_margin=settings.freetext_review_margin, max_chars=settings.freetext_max_chars)


class FreeTextModel:
    """An encoder with the reference embeddings of the questions it has graded."""

    def __init__(self, encoder: Encoder, cache_dir: Path | None = None, tuning: Tuning | None = None) -> None:
        self.encoder = encoder
        self.tuning = tuning or Tuning()
        self._references = ReferenceCache(encoder, cache_dir)
        self._known: frozenset[str] | None = None
        self._spellers: dict[tuple[str, int, str], Speller | None] = {}

    @classmethod
    def from_settings(cls, settings: Settings) -> FreeTextModel:
        """The configured model (not yet loaded), caching reference embeddings under the cache dir."""
        encoder = SentenceModel(settings.freetext_model, settings.freetext_threads)
        return cls(encoder, settings.cache_dir, Tuning.from_settings(settings))

    def load(self) -> None:
        """Load the encoder now rather than on the first answer (a no-op for encoders that need none)."""
        load = getattr(self.encoder, "load", None)
        if callable(load):
            load()

    def encode(self, texts: list[str]) -> np.ndarray:
        return self.encoder.encode(texts)

    def references(self, question: FreeTextQuestion) -> References:
        return self._references.get(question)

    def speller(self, question: FreeTextQuestion) -> Speller | None:
        """Corrects misspellings towards the question's words; None when the encoder has no vocabulary."""
        key = (question.id, question.spec.version, question.digest)
        if key not in self._spellers:
            if self._known is None:
                known_words = getattr(self.encoder, "known_words", None)
                self._known = known_words() if callable(known_words) else frozenset()
            self._spellers[key] = Speller(question_words(question.spec), self._known) if self._known else None
        return self._spellers[key]
