"""Misspelt words of an answer, corrected to the question's own vocabulary before comparison.

"derivitive", "paralelism" or "chanels" break into word pieces the model reads poorly.
A word is corrected only when the model's tokenizer does not know it as a whole word
and it is one edit (a letter missing, extra, changed, or two swapped) from a word of the
question's prompt or rubric; everything else is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

WORD = re.compile(r"[A-Za-z]{5,}")


def _deletions(word: str) -> list[tuple[str, int]]:
    """The word with one letter taken out, and where."""
    return [(word[:i] + word[i + 1 :], i) for i in range(len(word))]


class Speller:
    """Corrects words one edit away from a known vocabulary."""

    def __init__(self, vocabulary: Iterable[str], known_words: frozenset[str]) -> None:
        self.vocabulary = {w.lower() for w in vocabulary if len(w) >= 5 and w.isalpha()}
        self.known = known_words
        self._by_deletion: dict[str, list[tuple[str, int]]] = {}
        for word in sorted(self.vocabulary):  # sorted: the same text always gets the same correction
            for variant, at in _deletions(word):
                self._by_deletion.setdefault(variant, []).append((word, at))

    def correct(self, text: str) -> str:
        """``text`` with its misspelt words replaced."""
        return WORD.sub(lambda m: self._word(m.group()), text)

    def _word(self, word: str) -> str:
        lowered = word.lower()
        if lowered in self.vocabulary or lowered in self.known:
            return word
        if lowered in self._by_deletion:  # a letter missing
            return self._by_deletion[lowered][0][0]
        for variant, at in _deletions(lowered):
            if variant in self.vocabulary:  # a letter too many
                return variant
            for candidate, where in self._by_deletion.get(variant, []):
                if abs(where - at) <= 1:  # a letter changed (same place), or two neighbours swapped
                    return candidate
        return word
