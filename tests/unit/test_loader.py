"""Question folders load; bad ones are refused naming the file, the field and the problem."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from grader.grading.reference import ReferenceError, expected_for
from grader.questions.loader import (
    Question,
    QuestionError,
    UnknownQuestion,
    find_question,
    load_bank,
    load_question,
)
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


# --- the checker is resolved and its arguments bound when the question loads ---------

BAD_CHECKERS = [
    ({"name": "allclose", "rtoll": 1e-6},
     "field 'checker.rtoll': unknown argument of checker 'allclose' (known: atol, rtol)"),
    ({"name": "exact", "rtol": 1e-6}, "field 'checker.rtol': unknown argument of checker 'exact' (known: none)"),
    ({"name": "allclose", "rtol": "1e-6"}, "field 'checker.rtol': expected a number, got str '1e-6'"),
    ({"name": "allclose", "atol": -1.0e-9}, "field 'checker.atol': a tolerance is never negative"),
    ({"name": "allclose", "rtol": float("nan")}, "field 'checker.rtol': expected a finite number"),
    ({"name": "allclose", "rtol": True}, "field 'checker.rtol': expected a number, got bool"),
    ({"name": "approx"}, "field 'checker.name': unknown checker 'approx' (known: allclose, exact, property)"),
]


@pytest.mark.parametrize("checker,words", BAD_CHECKERS, ids=[w.split(":")[0] for _, w in BAD_CHECKERS])
def test_a_checker_argument_that_does_not_bind_is_a_load_error(folder: Path, checker: dict[str, object],
                                                                words: str) -> None:
    edit(folder, checker=checker)
    with pytest.raises(QuestionError) as err:
        load_question(folder)
    assert str(err.value).startswith(f"{folder / 'question.yml'}: {words}")


@pytest.fixture()
def property_folder(tmp_path: Path) -> Path:
    copy = tmp_path / "and_gate"
    shutil.copytree(TASKS / "and_gate", copy)
    return copy


BAD_PROPERTIES = [
    ({"function": "reproduces_or"}, "field 'checker.function': checks.py defines no function 'reproduces_or'"),
    ({"function": "reproduces_and", "marginn": 0.1},
     "field 'checker.marginn': unknown argument of property function 'reproduces_and' (known: margin)"),
    ({"function": "reproduces_and", "margin": "wide"}, "field 'checker.margin': expected a number, got str"),
    ({"function": "reproduces_and", "inputs": 1}, "field 'checker.inputs': unknown argument"),  # the grader passes it
    ({"function": 3}, "field 'checker.function': a property checker names a function in checks.py"),
]


@pytest.mark.parametrize("arguments,words", BAD_PROPERTIES, ids=[w.split(":")[0] for _, w in BAD_PROPERTIES])
def test_a_property_checker_binds_to_its_function_in_checks_py(property_folder: Path, arguments: dict[str, object],
                                                               words: str) -> None:
    edit(property_folder, checker={"name": "property", **arguments})
    with pytest.raises(QuestionError, match="question.yml: " + re.escape(words)):
        load_question(property_folder)


def test_a_property_function_needs_its_arguments_and_checks_py(property_folder: Path) -> None:
    checks = property_folder / "checks.py"
    checks.write_text(checks.read_text() + "\n\ndef strict(actual, *, inputs, expected, limit):\n    return None\n")
    edit(property_folder, checker={"name": "property", "function": "strict"})
    with pytest.raises(QuestionError, match=r"field 'checker.limit': missing: property function 'strict' needs it"):
        load_question(property_folder)
    edit(property_folder, checker={"name": "property", "function": "strict", "limit": 2})
    assert load_question(property_folder).checker.arguments == {"limit": 2}
    checks.unlink()
    with pytest.raises(QuestionError, match=r"field 'checker.function': a property checker needs .*checks.py"):
        load_question(property_folder)


def test_a_sound_checker_is_bound_once_and_checks() -> None:
    question = load_question(TASKS / "and_gate")
    assert isinstance(question, Question)
    checker = question.checker
    assert checker.name == "property" and checker.needs_inputs and checker.arguments == {"margin": 1e-3}
    assert checker.check(None, (1.0, 1.0, -1.5)).ok
    assert "margin" in checker.check(None, (1.0, 1.0, -1.9995)).message
    conv = load_question(TASKS / "conv1d_full")
    assert isinstance(conv, Question) and conv.checker.arguments == {"rtol": 1e-6, "atol": 1e-9}
    assert conv.checker_for("any case", None) is conv.checker


def test_a_case_override_is_bound_when_used_and_named_when_it_does_not_bind(folder: Path) -> None:
    question = load_question(folder)
    assert isinstance(question, Question)
    looser = question.checker_for("loose", {"rtol": 0.5})
    assert looser.arguments == {"rtol": 0.5, "atol": 1e-9} and looser.check(1.0, 1.4).ok
    assert question.checker_for("exactly", {"name": "exact"}).arguments == {}  # another checker replaces it
    with pytest.raises(QuestionError) as err:
        question.checker_for("loose", {"rtoll": 0.5})
    assert str(err.value) == (f"{folder / 'cases.py'}: case 'loose': field 'checker.rtoll': "
                              "unknown argument of checker 'allclose' (known: atol, rtol)")


def test_a_case_override_typo_fails_the_build_of_expected_outputs(folder: Path, tmp_path: Path) -> None:
    """Found when the reference side builds the cases: a reference error naming the case, never a verdict."""
    cases = folder / "cases.py"
    cases.write_text(cases.read_text().replace(
        'yield Case("asymmetric kernel",', 'yield Case("asymmetric kernel", checker={"rtoll": 1e-3},', 1))
    question = load_question(folder)
    assert isinstance(question, Question)
    with pytest.raises(ReferenceError) as err:
        expected_for(question, tmp_path / "cache", 120)
    assert "case 'asymmetric kernel': field 'checker.rtoll': unknown argument of checker 'allclose'" in str(err.value)
    assert "Traceback" not in str(err.value)
