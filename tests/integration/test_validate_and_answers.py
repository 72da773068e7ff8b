"""``grader tasks validate`` and short answers, through the real command on a bank of our own."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from grader.settings import REPO_ROOT

SHORT = """\
kind: short_answer
id: tiny_short
version: 1
title: Two blanks
topic: layers
difficulty: easy
source: "made for this test"
prompt: "Answer both."
parts:
  - {id: same_conv, type: boolean, answer: true}
  - {id: size_mb, type: number, answer: 4.0, tolerance_rel: 0.01, units: {MB: 1.0, KB: 0.001}}
"""


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bank")
    shutil.copytree(REPO_ROOT / "tasks" / "dropout", root / "dropout")
    shutil.copytree(REPO_ROOT / "tasks" / "valid_conv_output_dims", root / "valid_conv_output_dims")
    short = root / "tiny_short"
    (short / "solutions").mkdir(parents=True)
    (short / "question.yml").write_text(SHORT)
    (short / "solutions" / "right.json").write_text(json.dumps(
        {"expect": "accepted", "answers": {"same_conv": "yes", "size_mb": "4000 KB"}}))
    (short / "solutions" / "half.json").write_text(json.dumps(
        {"expect": "wrong_answer", "answers": {"same_conv": True, "size_mb": 5}}))
    return root


def grader(bank: Path, tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GRADER_TASKS_DIR": str(bank), "GRADER_CACHE_DIR": str(tmp / "cache")}
    return subprocess.run([sys.executable, "-m", "grader.cli", *args], capture_output=True, text=True,
                          env=env, timeout=300, check=False)


def test_validate_passes_on_a_sound_bank(bank: Path, tmp_path: Path) -> None:
    done = grader(bank, tmp_path, "tasks", "validate")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "dropout" in done.stdout and "tiny_short" in done.stdout and " 0 failed" in done.stdout
    assert "valid_conv_output_dims" in done.stdout
    mutants = len(list((bank / "dropout" / "mutants").glob("*.py")))
    caught = re.findall(r"^dropout +mutants/\S+ +caught +caught ", done.stdout, re.M)
    assert mutants >= 3 and len(caught) == mutants
    assert re.search(rf"^\d+ questions, \d+ solutions, {mutants} mutants \({mutants} caught\)$", done.stdout, re.M)
    assert re.search(r"^\d+ passed, 0 failed$", done.stdout.splitlines()[-1])


MUTANTS = {
    # The reference itself, posing as a mistake: nothing catches it.
    "not_a_mistake.py": ("# mutant: claims a mistake but is right\n"
                         + (REPO_ROOT / "tasks/dropout/solutions/accepted_mask.py").read_text().split("\n", 2)[2]),
    # Wrong only on the visible example's numbers: no hidden case catches it.
    "visible_only.py": """# mutant: wrong only on the visible example
import numpy as np


def _apply(values, p, u):
    if p >= 1.0:
        return np.zeros_like(values)
    out = np.where(u >= p, values / (1.0 - p), 0.0)
    return out + 1.0 if np.array_equal(u, [0.1, 0.6, 0.4, 0.9]) else out


def dropout_forward(x, p, u):
    return _apply(x, p, u)


def dropout_backward(dout, p, u):
    return _apply(dout, p, u)
""",
    "no_header.py": "def dropout_forward(x, p, u):\n    return x\n",
    "broken.py": "# mutant: does not even parse\ndef dropout_forward(x, p, u)\n    return x\n",
}


def test_validate_fails_on_a_mutant_that_survives(bank: Path, tmp_path: Path) -> None:
    """A mutant accepted, or caught by visible tests only, fails validation; so does one that proves nothing."""
    broken = tmp_path / "bank"
    shutil.copytree(bank, broken)
    for name, text in MUTANTS.items():
        (broken / "dropout" / "mutants" / name).write_text(text)
    done = grader(broken, tmp_path, "tasks", "validate", "dropout")
    assert done.returncode == 1, done.stdout + done.stderr
    rows = {line.split()[1]: line for line in done.stdout.splitlines() if line.startswith("dropout  ")}
    assert "survived (accepted)" in rows["mutants/not_a_mistake.py"] and "DIFFERS" in rows["mutants/not_a_mistake.py"]
    assert "survived (visible only)" in rows["mutants/visible_only.py"] and "DIFFERS" in rows["mutants/visible_only.py"]
    assert "invalid" in rows["mutants/no_header.py"] and "DIFFERS" in rows["mutants/no_header.py"]
    assert "broken (syntax_error)" in rows["mutants/broken.py"] and "DIFFERS" in rows["mutants/broken.py"]
    assert "a hidden case must catch it too" in done.stdout
    assert done.stdout.splitlines()[-1].endswith(" 4 failed")


def test_validate_fails_on_a_wrong_expectation_and_a_broken_question(bank: Path, tmp_path: Path) -> None:
    broken = tmp_path / "bank"
    shutil.copytree(bank, broken)
    liar = broken / "dropout" / "solutions" / "wrong_no_scaling.py"
    liar.write_text(liar.read_text().replace("# expect: wrong_answer", "# expect: accepted", 1))
    (broken / "bad_yaml").mkdir()
    (broken / "bad_yaml" / "question.yml").write_text("id: bad_yaml\nversion: zero\n")
    typo = copy_question(broken / "dropout", broken / "typo_checker")
    edit_yaml(typo / "question.yml", checker={"name": "allclose", "rtol": 1.0e-6, "rtoll": 1.0e-3})
    override = copy_question(broken / "dropout", broken / "typo_override")
    cases = override / "cases.py"
    first = 'call=_FWD, visible=True)'
    cases.write_text(cases.read_text().replace(first, first[:-1] + ', checker={"atoll": 1})', 1))
    done = grader(broken, tmp_path, "tasks", "validate")
    assert done.returncode == 1
    assert "wrong_no_scaling.py" in done.stdout and "DIFFERS" in done.stdout
    assert "bad_yaml" in done.stdout and "field 'version'" in done.stdout
    assert "typo_checker/question.yml: field 'checker.rtoll': unknown argument of checker 'allclose'" in done.stdout
    assert re.search(r"typo_override\s+cases.py\s+builds\s+invalid", done.stdout)
    assert "case 'forward example': field 'checker.atoll': unknown argument of checker 'allclose'" in done.stdout
    assert not re.search(r"^typo_(checker|override) .*(accepted|wrong_answer)", done.stdout, re.M)  # nothing graded


def copy_question(source: Path, folder: Path) -> Path:
    """A copy of a question folder under another id."""
    shutil.copytree(source, folder)
    edit_yaml(folder / "question.yml", id=folder.name)
    return folder


def edit_yaml(path: Path, **changes: object) -> None:
    data = yaml.safe_load(path.read_text())
    data.update(changes)
    path.write_text(yaml.safe_dump(data))


def test_validate_unknown_id_is_bad_input(bank: Path, tmp_path: Path) -> None:
    assert grader(bank, tmp_path, "tasks", "validate", "nope").returncode == 2


def test_short_answers_through_check(bank: Path, tmp_path: Path) -> None:
    right = grader(bank, tmp_path, "check", "tiny_short", str(bank / "tiny_short/solutions/right.json"), "--json")
    assert right.returncode == 0, right.stderr
    report = json.loads(right.stdout)
    assert report["verdict"] == "accepted" and [t["name"] for t in report["tests"]] == ["same_conv", "size_mb"]
    half = grader(bank, tmp_path, "check", "tiny_short", str(bank / "tiny_short/solutions/half.json"), "--json")
    assert half.returncode == 1 and json.loads(half.stdout)["score"] == 1.0


@pytest.mark.parametrize(
    "content,words",
    [("not json", "must be a JSON object"), ("[1, 2]", "must be a JSON object"), ('{"other": 1}', "unknown part")],
)
def test_bad_answers_are_bad_input(bank: Path, tmp_path: Path, content: str, words: str) -> None:
    path = tmp_path / "answers.json"
    path.write_text(content)
    done = grader(bank, tmp_path, "check", "tiny_short", str(path))
    assert done.returncode == 2 and words in done.stderr


def test_show_short_answer_hides_the_key(bank: Path, tmp_path: Path) -> None:
    done = grader(bank, tmp_path, "show", "tiny_short", "--json")
    view = json.loads(done.stdout)
    assert view["kind"] == "short_answer" and [p["id"] for p in view["parts"]] == ["same_conv", "size_mb"]
    assert "answer" not in json.dumps(view["parts"]) and view["parts"][1]["units"] == ["KB", "MB"]


# The spellings that a list of accepted strings got wrong, each a solution file of the real question.
FORMULA_VERDICTS = {
    "accepted_reordered_times.json": ("accepted", "(K + 1 - θ) × (K + 1 - θ)"),
    "accepted_one_first.json": ("accepted", "(1 + K - θ) x (1 + K - θ)"),
    "accepted_unicode_minus_tight.json": ("accepted", "(K − θ + 1)×(K−θ+1)"),
    "accepted_tuple_theta.json": ("accepted", "(K - theta + 1, K - theta + 1)"),
    "wrong_dash_dropped.json": ("wrong_answer", "(K θ + 1) x (K θ + 1)"),
    "wrong_plus_theta.json": ("wrong_answer", "(K + θ + 1) x (K + θ + 1)"),
    "wrong_no_plus_one.json": ("wrong_answer", "(K - θ) x (K - θ)"),
    "wrong_one_dimension.json": ("wrong_answer", "(K - θ + 1)"),
}


def test_formula_answers_get_their_verdicts(bank: Path, tmp_path: Path) -> None:
    solutions = bank / "valid_conv_output_dims" / "solutions"
    for name, (expect, answer) in FORMULA_VERDICTS.items():
        data = json.loads((solutions / name).read_text(encoding="utf-8"))
        assert data == {"expect": expect, "answers": {"output_dims": answer}}, name
    done = grader(bank, tmp_path, "tasks", "validate", "valid_conv_output_dims")
    assert done.returncode == 0, done.stdout + done.stderr
    rows = {line.split()[1]: line.split()[2:4] for line in done.stdout.splitlines()
            if line.startswith("valid_conv_output_dims ")}
    for name, (expect, _) in FORMULA_VERDICTS.items():
        assert rows[name] == [expect, expect], (name, rows.get(name))
