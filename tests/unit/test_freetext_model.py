"""The real sentence-embedding model: it loads from its wheel with no network, and grades the fixture answers.

The fixture questions (tests/unit/freetext/) carry labelled answers with the range of
score fractions accepted for each: full answers must pass, answers that deserve nothing
must not, wrong and negated ones must stay near 0. How close the scores come to an
interviewer's is measured on the whole bank by bench/freetext_agreement.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from grader.freetext import FreeTextModel, ModelError, SentenceModel, grade_free_text, load_free_text
from grader.freetext.model import model_folder
from grader.settings import REPO_ROOT

FIXTURES = Path(__file__).parent / "freetext"
ANSWERS = sorted(FIXTURES.glob("ft_*/solutions/*.json"))


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> FreeTextModel:
    loaded = FreeTextModel(SentenceModel("all-MiniLM-L6-v2"), tmp_path_factory.mktemp("cache"))
    loaded.load()
    return loaded


@pytest.mark.parametrize("path", ANSWERS, ids=[f"{p.parts[-3]}/{p.stem}" for p in ANSWERS])
def test_fixture_answers_score_in_their_accepted_range(model: FreeTextModel, path: Path) -> None:
    labelled = json.loads(path.read_text(encoding="utf-8"))
    question = load_free_text(path.parents[1])
    report = grade_free_text(question, labelled["answers"]["answer"], model)
    low, high = labelled["accept"]
    fraction = report.score / report.max_score
    assert low <= fraction <= high, [(t.name, t.verdict.value, t.evidence) for t in report.tests]


def test_the_model_gives_unit_vectors_and_tells_paraphrases_apart(model: FreeTextModel) -> None:
    vectors = model.encode([
        "Zero padding keeps the output the same size as the input.",
        "With padding, the feature map does not shrink.",
        "Dropout switches off random units during training.",
    ])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2


def test_loading_is_idempotent(model: FreeTextModel) -> None:
    encoder = model.encoder
    assert isinstance(encoder, SentenceModel) and encoder.loaded
    inner = encoder._model
    encoder.load()
    assert encoder._model is inner


def test_the_model_loads_and_encodes_with_no_network(tmp_path: Path) -> None:
    """In a fresh network namespace (no interface but a down loopback), with a dead proxy for good measure."""
    script = (
        "from grader.freetext import SentenceModel\n"
        "m = SentenceModel('all-MiniLM-L6-v2'); m.load()\n"
        "print(m.encode(['padding keeps the size']).shape)\n"
    )
    env = {**os.environ, "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9",
           "HF_HOME": str(tmp_path / "hf"), "PYTHONPATH": str(REPO_ROOT)}
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        env.pop(name, None)  # the loader must set these itself
    done = subprocess.run(["unshare", "--net", sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=600, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().endswith("(1, 384)")
    assert not (tmp_path / "hf").exists() or not any((tmp_path / "hf").rglob("*.safetensors"))


def test_unknown_models_are_refused_before_any_download(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no model files"):
        model_folder("sentence-transformers/all-mpnet-base-v2")
    with pytest.raises(ModelError, match="no model files"):
        SentenceModel(str(tmp_path)).load()
    assert (model_folder("all-MiniLM-L6-v2") / "model.safetensors").is_file()
