"""The Gradescope recipe as Gradescope runs it, in a temporary folder laid out like /autograder:
the zip that make_autograder.sh builds unpacked into source/, setup.sh run once (the grader's
own environment stands in for the one it would install), then run_autograder for each
submission, every results.json checked against Gradescope's documented format."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from grader.settings import REPO_ROOT

RECIPE = REPO_ROOT / "examples" / "gradescope"
SCHEMA = json.loads((REPO_ROOT / "tests" / "schemas" / "gradescope_results.schema.json").read_text())
SOLUTIONS = REPO_ROOT / "tasks" / "conv1d_full" / "solutions"
VENV = Path(sys.executable).parent.parent


@pytest.fixture(scope="module")
def autograder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """/autograder after Gradescope built the image: source/ unpacked and setup.sh run."""
    root = tmp_path_factory.mktemp("gradescope") / "autograder"
    archive = root.parent / "autograder.zip"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRADER_")}
    env.update(AUTOGRADER_ROOT=str(root), GRADER_VENV=str(VENV), PYTHON=sys.executable)
    built = subprocess.run([str(RECIPE / "make_autograder.sh"), "conv1d_full", str(archive)], env=env,
                           capture_output=True, text=True, timeout=300, check=False)
    assert built.returncode == 0, built.stderr
    with zipfile.ZipFile(archive) as zipped:
        names = zipped.namelist()
        assert {"setup.sh", "run_autograder", "autograde.py", "autograder.json"} <= set(names)  # at the root
        assert any(n.startswith("dl_grader-") and n.endswith(".whl") for n in names)
        zipped.extractall(root / "source")
    for script in ("setup.sh", "run_autograder"):
        (root / "source" / script).chmod(0o755)
    setup = subprocess.run(["bash", str(root / "source" / "setup.sh")], env=env, cwd=root, capture_output=True,
                           text=True, timeout=600, check=False)
    assert setup.returncode == 0, setup.stdout + setup.stderr
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")  # as the image build does
    return root, env


def run(autograder: tuple[Path, dict[str, str]], files: dict[str, bytes]) -> dict[str, Any]:
    """Submit ``files``, run run_autograder in /autograder, return the validated results.json."""
    root, env = autograder
    shutil.rmtree(root / "submission", ignore_errors=True)
    shutil.rmtree(root / "results", ignore_errors=True)
    for name, data in files.items():
        path = root / "submission" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (root / "results").mkdir()
    done = subprocess.run([str(root / "run_autograder")], env=env, cwd=root, capture_output=True, text=True,
                          timeout=600, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    results: dict[str, Any] = json.loads((root / "results" / "results.json").read_text())
    jsonschema.validate(results, SCHEMA)
    return results


def test_an_accepted_answer_gets_full_marks_and_no_hidden_data(autograder: tuple[Path, dict[str, str]]) -> None:
    results = run(autograder, {"answer.py": (REPO_ROOT / "examples" / "answer.py").read_bytes()})
    assert results["score"] == 24.0
    names = [t["name"] for t in results["tests"]]
    assert names == ["example from the question", "small integers", "hidden tests"]
    assert results["tests"][-1] == {"name": "hidden tests", "score": 22.0, "max_score": 22.0, "status": "passed",
                                    "visibility": "after_published", "output": "hidden: 22 of 22 passed, score 22/22"}


def test_a_notebook_in_a_folder_is_graded(autograder: tuple[Path, dict[str, str]]) -> None:
    results = run(autograder, {"work/answer.ipynb": (REPO_ROOT / "examples" / "answer.ipynb").read_bytes(),
                               "README.md": b"notes"})
    assert results["score"] == 24.0


def test_a_wrong_answer_shows_visible_mismatches_and_only_the_hidden_aggregate(
        autograder: tuple[Path, dict[str, str]]) -> None:
    results = run(autograder, {"conv.py": (SOLUTIONS / "wrong_no_flip.py").read_bytes()})
    assert results["score"] == 2.0
    visible = [t for t in results["tests"] if t["visibility"] == "visible"]
    assert all(t["status"] == "failed" and "first at index" in t["output"] for t in visible)
    hidden = [t for t in results["tests"] if t["visibility"] != "visible"]
    assert [t["output"] for t in hidden] == ["hidden: 2 of 22 passed, score 2/22"]


@pytest.mark.parametrize("files,words", [
    ({"model.py": b"import numpy\x00\x01binary"}, "is a binary file"),
    ({"a.py": b"x = 1", "b.py": b"y = 2"}, "submit exactly one .py, .ipynb or .json file (found: a.py, b.py)"),
    ({"notes.txt": b"hello"}, "(found: none)"),
    ({"answer.ipynb": b'{"cells": [], "nbformat": 4}'}, "the notebook has no code cells"),
])
def test_what_cannot_be_graded_scores_0_with_the_reason(autograder: tuple[Path, dict[str, str]],
                                                        files: dict[str, bytes], words: str) -> None:
    results = run(autograder, files)
    assert results["score"] == 0.0 and words in results["output"]
