"""Embeddings of a question's reference texts, computed once per question version.

The prompt's sentences, every phrasing and every wrong claim are embedded once and
kept in memory and on disk under the cache directory, keyed by question id, version,
a digest of prompt and rubric, and the model's name; a changed rubric gets new files.
Files hold plain arrays (``numpy.load`` with pickles refused).
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from grader.freetext.markdown import extract_prose
from grader.freetext.model import Encoder
from grader.freetext.sentences import Unit, content_stems, split_sentences, units, words_of
from grader.freetext.spec import FreeTextQuestion, FreeTextSpec


@dataclass(frozen=True)
class Claims:
    """Reference sentences and their clauses: vectors, and whether each denies what it says."""

    vectors: np.ndarray
    negated: np.ndarray
    stems: tuple[frozenset[str], ...]  # content words, for the lexical share of similarity
    # Per reference, words an answer must share with it to be making it (empty: none needed).
    # A wrong claim is often a right one with one word changed ("increases" for "reduces"),
    # which embeddings barely see: an answer makes it only if it says that word.
    required: tuple[frozenset[str], ...]


@dataclass(frozen=True)
class PointReferences:
    phrasings: Claims
    wrong: Claims


@dataclass(frozen=True)
class References:
    """Everything a question's grading compares an answer with."""

    prompt: np.ndarray  # one row per sentence of the prompt
    prompt_stems: frozenset[str]
    points: dict[str, PointReferences]


def reference_units(texts: list[str]) -> list[Unit]:
    """Each reference sentence and its clauses, split and negation-checked as an answer's are:
    "The slope is 1, so gradients are not scaled down" affirms its first clause and denies its second."""
    return [u for u in units(texts) if not u.skip or u.text == texts[u.sentence]]


def reference_texts(spec: FreeTextSpec) -> list[str]:
    """The texts to embed, in a fixed order: prompt sentences, then each point's phrasings and wrong
    claims (and their clauses) with negations taken out: polarity is compared apart."""
    texts = prompt_sentences(spec.prompt)
    for point in spec.rubric:
        texts += [u.core for u in reference_units(point.phrasings) + reference_units(point.wrong)]
    return texts


def question_words(spec: FreeTextSpec) -> set[str]:
    """Every word of the prompt and the rubric: the vocabulary misspellings are corrected towards."""
    texts = [spec.prompt] + [t for p in spec.rubric for t in [p.claim, *p.phrasings, *p.wrong]]
    return {w.lower() for t in texts for w in words_of(t)}


def prompt_sentences(prompt: str) -> list[str]:
    return split_sentences(extract_prose(prompt, max_chars=len(prompt) + 1).text) or [prompt]


class ReferenceCache:
    """Reference embeddings per question version, in memory and on disk."""

    def __init__(self, encoder: Encoder, cache_dir: Path | None) -> None:
        self.encoder = encoder
        self.folder = cache_dir / "freetext" if cache_dir is not None else None
        self._memory: dict[str, References] = {}
        self._lock = threading.Lock()

    def key(self, question: FreeTextQuestion) -> str:
        model = re.sub(r"[^A-Za-z0-9_.-]+", "_", self.encoder.name)[-64:]
        return f"{question.id}-v{question.spec.version}-{question.digest}-{model}"

    def get(self, question: FreeTextQuestion) -> References:
        """The question's references, embedding them only when no cache has them."""
        key = self.key(question)
        with self._lock:
            if key not in self._memory:
                texts = reference_texts(question.spec)
                vectors = self._read(key, texts)
                if vectors is None:
                    vectors = self.encoder.encode(texts)
                    self._write(key, texts, vectors)
                self._memory[key] = _assemble(question.spec, vectors)
            return self._memory[key]

    def _path(self, key: str) -> Path | None:
        return self.folder / f"{key}.npz" if self.folder is not None else None

    def _read(self, key: str, texts: list[str]) -> np.ndarray | None:
        path = self._path(key)
        if path is None or not path.is_file():
            return None
        try:
            with np.load(path, allow_pickle=False) as data:
                if [str(t) for t in data["texts"]] != texts:
                    return None
                return np.asarray(data["vectors"], dtype=np.float32)
        except (OSError, ValueError, KeyError):
            return None  # a damaged file is recomputed and replaced

    def _write(self, key: str, texts: list[str], vectors: np.ndarray) -> None:
        path = self._path(key)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                np.savez(out, texts=np.array(texts, dtype=str), vectors=vectors)
            os.replace(tmp, path)  # readers see the old file or the whole new one
        except OSError:
            Path(tmp).unlink(missing_ok=True)


def _assemble(spec: FreeTextSpec, vectors: np.ndarray) -> References:
    """Slice the embedded texts back into prompt, phrasings and wrong claims."""
    prompt = prompt_sentences(spec.prompt)
    at = len(prompt)
    points: dict[str, PointReferences] = {}
    stems = frozenset().union(*(content_stems(s) for s in prompt))
    for point in spec.rubric:
        claims = []
        right = stems.union(*(content_stems(t) for t in point.phrasings))
        for texts, distinctive in ((point.phrasings, False), (point.wrong, True)):
            found = reference_units(texts)
            negated = np.array([u.negated for u in found], dtype=bool)
            words = tuple(frozenset(content_stems(u.core)) for u in found)
            required = tuple(w - right if distinctive else frozenset() for w in words)
            claims.append(Claims(vectors[at : at + len(found)], negated, words, required))
            at += len(found)
        points[point.id] = PointReferences(phrasings=claims[0], wrong=claims[1])
    return References(prompt=vectors[: len(prompt)], prompt_stems=stems, points=points)
