"""The free-text (conceptual) questions of the bank follow the agreed folder format.

Checked by hand with PyYAML until the question loader knows ``kind: free_text``; the loader
will then take over the schema part, and the labelled-answer checks stay.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from grader.settings import REPO_ROOT

TASKS = REPO_ROOT / "tasks"
FOLDERS = sorted(p.parent for p in TASKS.glob("ft_*/question.yml"))

# The free-text questions the catalogue requires (spec: questions.md, "Free-text (conceptual) questions").
CATALOGUE = {
    "ft_imagenet_source", "ft_ce_vs_l2", "ft_pooling_removed", "ft_zero_padding", "ft_1x1_conv",
    "ft_batchnorm_vanishing", "ft_relu_vanishing", "ft_batch_size_extremes", "ft_dilation", "ft_fc_as_conv",
    "ft_zero_init_relu", "ft_data_vs_model_parallel", "ft_l1_vs_l2_loss", "ft_softmax_output",
    "ft_tanh_vs_sigmoid", "ft_overfitting", "ft_conv_vs_fc", "ft_limited_data", "ft_pooling_purpose",
    "ft_no_activation", "ft_rnn_long_term", "ft_autoencoder_bottleneck",
}

REQUIRED = {"kind", "id", "version", "title", "topic", "difficulty", "source", "prompt", "rubric"}
OPTIONAL = {"pass_fraction"}
POINT_KEYS = {"id", "weight", "claim", "phrasings", "wrong"}
KINDS = {"full", "partial", "wrong", "negated", "keywords", "restated", "evasive", "off_topic",
         "grader_addressed", "hidden", "padded", "empty"}
# Answers that must earn nothing they did not earn: label 0, accepted range below a pass.
GAMING = {"keywords", "restated", "evasive", "off_topic", "grader_addressed", "hidden", "padded", "empty"}
MAX_FILE_BYTES = 64 * 1024
MIN_SOLUTIONS, MIN_HELDOUT = 8, 6
POINT_ID = re.compile(r"^[a-z0-9_]+$")


def _question(folder: Path) -> dict[str, Any]:
    data = yaml.safe_load((folder / "question.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{folder.name}/question.yml: not a mapping"
    return data


def _answers(folder: Path, sub: str) -> dict[str, dict[str, Any]]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted((folder / sub).glob("*.json"))}


def _normalised(text: str) -> str:
    return " ".join(text.lower().split())


def test_every_catalogue_question_is_in_the_bank() -> None:
    assert CATALOGUE <= {f.name for f in FOLDERS}, f"missing: {sorted(CATALOGUE - {f.name for f in FOLDERS})}"


def test_question_ids_are_unique() -> None:
    ids = [_question(f)["id"] for f in FOLDERS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: f.name)
def test_question_yml_follows_the_format(folder: Path) -> None:
    q = _question(folder)
    assert REQUIRED <= q.keys(), f"missing keys: {sorted(REQUIRED - q.keys())}"
    assert not q.keys() - REQUIRED - OPTIONAL, f"unknown keys: {sorted(q.keys() - REQUIRED - OPTIONAL)}"
    assert q["kind"] == "free_text" and q["id"] == folder.name
    assert isinstance(q["version"], int) and q["version"] >= 1
    assert q["difficulty"] in {"easy", "medium", "hard"}
    for key in ("title", "topic", "source", "prompt"):
        assert isinstance(q[key], str) and q[key].strip(), key
    if "pass_fraction" in q:
        assert isinstance(q["pass_fraction"], float) and 0 < q["pass_fraction"] <= 1
    rubric = q["rubric"]
    assert isinstance(rubric, list) and 2 <= len(rubric) <= 5
    assert len({p["id"] for p in rubric}) == len(rubric), "point ids must be unique"
    for point in rubric:
        assert set(point) == POINT_KEYS, f"{point.get('id')}: keys {sorted(point)}"
        assert POINT_ID.fullmatch(point["id"]), point["id"]
        assert type(point["weight"]) is int and point["weight"] >= 1, point["id"]
        assert isinstance(point["claim"], str) and point["claim"].strip() and "\n" not in point["claim"]
        phrasings = point["phrasings"]
        assert isinstance(phrasings, list) and len(phrasings) >= 3, f"{point['id']}: 3+ phrasings"
        assert all(isinstance(s, str) and s.strip() for s in phrasings)
        assert len({_normalised(s) for s in phrasings}) == len(phrasings), f"{point['id']}: repeated phrasing"
        assert isinstance(point["wrong"], list) and all(isinstance(s, str) and s.strip() for s in point["wrong"])


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: f.name)
def test_labelled_answers_follow_the_format(folder: Path) -> None:
    pass_fraction = _question(folder).get("pass_fraction", 0.5)
    for sub, least in (("solutions", MIN_SOLUTIONS), ("heldout", MIN_HELDOUT)):
        answers = _answers(folder, sub)
        assert len(answers) >= least, f"{sub}/: {len(answers)} answers, want {least}+"
        for name, data in answers.items():
            where = f"{folder.name}/{sub}/{name}"
            assert (folder / sub / name).stat().st_size < MAX_FILE_BYTES, where
            assert set(data) == {"label", "accept", "kind", "answers"}, f"{where}: keys {sorted(data)}"
            assert data["kind"] in KINDS, where
            assert set(data["answers"]) == {"answer"} and isinstance(data["answers"]["answer"], str), where
            low, high = data["accept"]
            label = data["label"]
            assert 0 <= low <= label <= high <= 1, f"{where}: label {label} outside accept {data['accept']}"
            if data["kind"] in GAMING:
                assert label == 0 and high < min(0.5, pass_fraction), f"{where}: a {data['kind']} answer never passes"
            if data["kind"] == "empty":
                assert not data["answers"]["answer"].strip(), where
            else:
                assert data["answers"]["answer"].strip(), f"{where}: blank answer that is not kind empty"


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: f.name)
def test_development_set_covers_full_to_gaming_answers(folder: Path) -> None:
    kinds = {d["kind"] for d in _answers(folder, "solutions").values()}
    wanted = {"full", "partial", "off_topic", "grader_addressed", "padded", "empty"}
    assert wanted <= kinds, f"solutions/ lacks kinds {sorted(wanted - kinds)}"
    assert kinds & {"wrong", "negated"}, "solutions/ needs a confidently wrong or negated answer"
    assert kinds & {"keywords", "restated"}, "solutions/ needs a stuffed answer"


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: f.name)
def test_heldout_answers_are_not_copies_of_tuning_material(folder: Path) -> None:
    q = _question(folder)
    seen = {_normalised(s) for p in q["rubric"] for s in p["phrasings"]}
    seen |= {_normalised(d["answers"]["answer"]) for d in _answers(folder, "solutions").values()}
    for name, data in _answers(folder, "heldout").items():
        text = _normalised(data["answers"]["answer"])
        assert data["kind"] == "empty" or text not in seen, f"{folder.name}/heldout/{name} repeats tuning material"
    assert {d["kind"] for d in _answers(folder, "heldout").values()} & {"full"}, "heldout/ needs a full answer"
