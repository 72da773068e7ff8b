"""Random hidden inputs per submission: variants of a question's bundle, built by the real reference process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from grader.grading import reference
from grader.grading.expected import ExpectedSet, bundle_dir
from grader.grading.reference import ReferenceError, expected_for
from grader.questions.loader import Question, find_question
from grader.settings import REPO_ROOT

QUESTION_ID = "conv1d_full"
# Cases of conv1d_full whose inputs are written out, not drawn: the same in every variant.
FIXED = ("example from the question", "small integers", "asymmetric kernel", "both of length 1")


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("variants-cache")


@pytest.fixture(scope="module")
def question() -> Question:
    found = find_question(REPO_ROOT / "tasks", QUESTION_ID)
    assert isinstance(found, Question)
    return found


def inputs(bundle: ExpectedSet) -> dict[str, list[np.ndarray]]:
    return {c.name: [np.asarray(a) for a in bundle.inputs(c)[0]] for c in bundle.cases}


def same(a: list[np.ndarray], b: list[np.ndarray]) -> bool:
    return len(a) == len(b) and all(x.shape == y.shape and np.array_equal(x, y) for x, y in zip(a, b, strict=True))


def test_variants_share_visible_and_fixed_cases_and_differ_in_random_ones(question: Question, cache: Path) -> None:
    bundles = [expected_for(question, cache, 300, variant) for variant in (0, 1, 2)]
    assert [b.bundle.variant for b in bundles] == [0, 1, 2]
    names = [[c.name for c in b.cases] for b in bundles]
    assert names[0] == names[1] == names[2]
    assert [[c.visible for c in b.cases] for b in bundles][1:] == [[c.visible for c in bundles[0].cases]] * 2
    first = inputs(bundles[0])
    for other in map(inputs, bundles[1:]):
        for case in bundles[0].cases:
            if case.visible or case.name in FIXED:
                assert same(first[case.name], other[case.name]), case.name
        drawn = [c.name for c in bundles[0].cases if c.name.startswith("random")]
        assert len(drawn) == 12 and all(not same(first[n], other[n]) for n in drawn)
    # The expected outputs follow the inputs: the reference ran on each variant's own.
    a, b = bundles[0], bundles[1]
    case_a, case_b = a.cases[-1], b.cases[-1]
    assert not same([np.asarray(a.expected(case_a))], [np.asarray(b.expected(case_b))])


def test_the_same_variant_is_computed_once(question: Question, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = expected_for(question, cache, 300, 3)

    def must_not_run(*args: object) -> None:
        raise AssertionError("the reference process ran again for a cached variant")

    monkeypatch.setattr(reference, "_run_reference", must_not_run)
    again = expected_for(question, cache, 300, 3)
    assert again.bundle == first.bundle
    assert bundle_dir(cache, question.id, question.spec.version, question.digest, 3).is_dir()


def test_visible_cases_drawn_from_the_generator_fail_loudly(tmp_path: Path) -> None:
    folder = tmp_path / "tasks" / QUESTION_ID
    shutil.copytree(REPO_ROOT / "tasks" / QUESTION_ID, folder)
    cases = folder / "cases.py"
    text = cases.read_text()
    fixed = 'args=(np.array([1, 2, 3, 4]), np.array([1, -1])), visible=True'
    assert fixed in text
    cases.write_text(text.replace(fixed, "args=(rng.normal(size=4), np.array([1, -1])), visible=True"))
    bad = find_question(tmp_path / "tasks", QUESTION_ID)
    assert isinstance(bad, Question)
    for variant in (0, 5):  # variant 0 (grader tasks validate) is checked against variant 1
        with pytest.raises(ReferenceError) as caught:
            expected_for(bad, tmp_path / "cache", 300, variant)
        assert f"{QUESTION_ID}: visible cases differ between variants" in str(caught.value)


def grader(cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GRADER_CACHE_DIR": str(cache), "GRADER_TASKS_DIR": str(REPO_ROOT / "tasks")}
    command = [sys.executable, "-m", "grader.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=600, check=False)


def test_tasks_warm_computes_every_variant_once(question: Question, tmp_path: Path) -> None:
    done = grader(tmp_path, "tasks", "warm", QUESTION_ID, "vgg_storage_mb", "--variants", "3")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"{QUESTION_ID}: 3 variants (3 computed now)"]  # short answers have none
    folders = [bundle_dir(tmp_path, question.id, question.spec.version, question.digest, v) for v in range(4)]
    assert [(f / "bundle.json").is_file() for f in folders] == [True, True, True, False]
    again = grader(tmp_path, "tasks", "warm", QUESTION_ID, "--variants", "4")
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines() == [f"{QUESTION_ID}: 4 variants (1 computed now)"]
    unknown = grader(tmp_path, "tasks", "warm", "no_such_question")
    assert unknown.returncode == 2 and "unknown question" in unknown.stderr
