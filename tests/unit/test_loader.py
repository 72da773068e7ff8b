"""Question folders load; bad ones are refused naming the file, the field and the problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from grader.questions.loader import QuestionError, UnknownQuestion, find_question, load_bank, load_question
from grader.settings import REPO_ROOT

TASKS = REPO_ROOT / "tasks"


def test_the_bank_loads() -> None:
    bank = load_bank(TASKS)
    for required in ("conv1d_full", "correlate1d_full", "conv2d_valid", "dropout", "and_gate",
                     "tanh_autograd", "distances_torch"):
        assert required in bank
    assert bank["tanh_autograd"].probe_source is not None
    assert bank["distances_torch"].spec.keep_device


def test_unknown_and_malicious_ids() -> None:
    for bad in ("nope", "../tasks/conv1d_full", "conv1d_full/../dropout", ""):
        with pytest.raises(UnknownQuestion):
            find_question(TASKS, bad)


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    copy = tmp_path / "conv1d_full"
    shutil.copytree(TASKS / "conv1d_full", copy)
    return copy


def edit(folder: Path, **changes: object) -> None:
    path = folder / "question.yml"
    data = yaml.safe_load(path.read_text())
    for key, value in changes.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    path.write_text(yaml.safe_dump(data))


BAD = [
    ({"version": 0}, "field 'version'"),
    ({"difficulty": "trivial"}, "field 'difficulty'"),
    ({"limits": {"time_s": -1, "memory_mib": 512, "output_kib": 64}}, "field 'limits.time_s'"),
    ({"checker": {"name": "approx"}}, "field 'checker.name'"),
    ({"entry_points": ["not a name"]}, "field 'entry_points'"),
    ({"forbidden": ["numpy..convolve"]}, "field 'forbidden'"),
    ({"prompt": None}, "field 'prompt': Field required"),
    ({"colour": "blue"}, "field 'colour': Extra inputs are not permitted"),
    ({"id": "other"}, "differs from the folder name"),
    ({"checker": {"name": "property"}}, "field 'checker.function'"),
]


@pytest.mark.parametrize("changes,words", BAD, ids=[w for _, w in BAD])
def test_bad_question_yml_names_file_field_problem(folder: Path, changes: dict[str, object], words: str) -> None:
    edit(folder, **changes)
    with pytest.raises(QuestionError) as err:
        load_question(folder)
    assert str(folder / "question.yml") in str(err.value)
    assert words in str(err.value)


def test_not_yaml_and_missing_files(folder: Path) -> None:
    (folder / "reference.py").unlink()
    with pytest.raises(QuestionError, match="reference.py: missing"):
        load_question(folder)
    (folder / "question.yml").write_text("id: [unclosed")
    with pytest.raises(QuestionError, match="not valid YAML"):
        load_question(folder)


def test_digest_follows_the_files(folder: Path) -> None:
    before = load_question(folder).digest
    with open(folder / "cases.py", "a") as fh:
        fh.write("\n# changed\n")
    assert load_question(folder).digest != before
