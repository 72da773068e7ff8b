"""A free-text question.yml loads, or is refused naming the file and the field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from grader.freetext import load_free_text
from grader.questions.loader import QuestionError

FIXTURES = Path(__file__).parent / "freetext"


def write(tmp_path: Path, **changes: Any) -> Path:
    raw = yaml.safe_load((FIXTURES / "ft_zero_padding" / "question.yml").read_text(encoding="utf-8"))
    raw.update(changes)
    folder = tmp_path / raw.get("id", "ft_zero_padding")
    folder.mkdir()
    (folder / "question.yml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    return folder


def test_the_fixture_questions_load() -> None:
    question = load_free_text(FIXTURES / "ft_zero_padding")
    assert question.id == "ft_zero_padding"
    assert question.spec.max_score == 4
    assert [p.id for p in question.spec.rubric] == ["borders", "size"]
    assert question.spec.pass_fraction == 0.5
    assert len(question.solutions()) >= 8
    assert load_free_text(FIXTURES / "ft_relu_vanishing").spec.max_score == 4


def test_digest_follows_the_rubric(tmp_path: Path) -> None:
    same = load_free_text(write(tmp_path))
    assert same.digest == load_free_text(FIXTURES / "ft_zero_padding").digest
    raw = yaml.safe_load((FIXTURES / "ft_zero_padding" / "question.yml").read_text(encoding="utf-8"))
    raw["rubric"][0]["phrasings"].append("Padding lets corner pixels be seen by the kernel as often as others.")
    other = tmp_path / "other" / "ft_zero_padding"
    other.mkdir(parents=True)
    (other / "question.yml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    assert load_free_text(other).digest != same.digest


def rubric_with(**point_changes: Any) -> list[dict[str, Any]]:
    raw = yaml.safe_load((FIXTURES / "ft_zero_padding" / "question.yml").read_text(encoding="utf-8"))
    raw["rubric"][0].update(point_changes)
    return list(raw["rubric"])


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"rubric": rubric_with(id="size")}, "rubric"),
        ({"rubric": rubric_with(weight=0)}, "rubric.0.weight"),
        ({"rubric": rubric_with(weight=1.5)}, "rubric.0.weight"),
        ({"rubric": rubric_with(phrasings=["one way", "another way"])}, "rubric.0.phrasings"),
        ({"rubric": rubric_with(phrasings=["same", "Same", "other"])}, "rubric.0.phrasings"),
        ({"rubric": rubric_with(wrong=[""])}, "rubric.0.wrong"),
        ({"rubric": rubric_with(typo="x")}, "rubric.0.typo"),
        ({"rubric": rubric_with()[:1]}, "rubric"),
        ({"pass_fraction": 0}, "pass_fraction"),
        ({"pass_fraction": 1.5}, "pass_fraction"),
        ({"max_score": 4}, "max_score"),
        ({"prompt": ""}, "prompt"),
    ],
)
def test_bad_declarations_name_the_file_and_field(tmp_path: Path, changes: dict[str, Any], field: str) -> None:
    folder = write(tmp_path, **changes)
    with pytest.raises(QuestionError) as caught:
        load_free_text(folder)
    message = str(caught.value)
    assert str(folder / "question.yml") in message
    assert f"field '{field}'" in message


def test_the_id_must_match_the_folder_and_start_with_ft(tmp_path: Path) -> None:
    folder = write(tmp_path)
    renamed = folder.rename(tmp_path / "ft_other")
    with pytest.raises(QuestionError, match="field 'id'"):
        load_free_text(renamed)
    with pytest.raises(QuestionError, match="field 'id'.*ft_"):
        load_free_text(write(tmp_path, id="zero_padding"))


def test_other_kinds_and_broken_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(QuestionError, match="field 'kind'"):
        load_free_text(write(tmp_path, kind="short_answer"))
    broken = tmp_path / "ft_broken"
    broken.mkdir()
    (broken / "question.yml").write_text("kind: [free_text", encoding="utf-8")
    with pytest.raises(QuestionError, match="not valid YAML"):
        load_free_text(broken)
    with pytest.raises(QuestionError, match="missing"):
        load_free_text(tmp_path / "ft_absent")
