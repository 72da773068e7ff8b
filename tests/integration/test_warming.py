"""Expected outputs computed ahead of submissions: the worker's warming thread and ``grader tasks warm --jobs``,
with real reference processes on a small bank of copied questions."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from grader.questions.loader import Question, find_question
from grader.settings import Settings
from grader.worker.warming import Warmer, is_cached
from tests.integration.warming_support import BROKEN, GATE_VARIABLE, GATED, copy_question, reference_running

DEADLINE_S = 300.0


def until(check: Callable[[], object], what: str) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while not check():
        assert time.monotonic() < deadline, f"{what}: not after {DEADLINE_S} s"
        time.sleep(0.05)


def cached(settings: Settings, question_id: str) -> list[bool]:
    question = find_question(settings.tasks_dir, question_id)
    assert isinstance(question, Question)
    return [is_cached(question, settings.cache_dir, v) for v in range(settings.hidden_variants)]


@pytest.fixture()
def bank(tmp_path: Path) -> Path:
    folder = tmp_path / "tasks"
    copy_question(folder, "conv1d_full", "a_broken", BROKEN)
    copy_question(folder, "conv1d_full", "b_gated", GATED)
    copy_question(folder, "conv1d_full", "c_plain")
    copy_question(folder, "distances_torch", "d_gpu")  # device gpu: not for a worker of queue cpu
    copy_question(folder, "vgg_storage_mb", "e_short")  # a short answer: nothing to compute
    return folder


def test_the_warmer_computes_in_the_background_most_recent_first_and_outlives_a_broken_reference(
        bank: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    gate = tmp_path / "gate"
    monkeypatch.setenv(GATE_VARIABLE, str(gate))
    settings = Settings(tasks_dir=bank, cache_dir=tmp_path / "cache", hidden_variants=2)
    warmer = Warmer(settings, ["cpu"], recent=lambda: ["c_plain", "no_longer_in_the_bank", "a_broken"])
    assert [q.id for q in warmer.questions()] == ["c_plain", "a_broken", "b_gated"]
    with caplog.at_level(logging.INFO, logger="grader.worker.warming"):
        warmer.start()
        until(lambda: reference_running(bank / "b_gated"), "the gated reference started")
        assert cached(settings, "c_plain") == [True, True]  # the most recent first, every variant
        assert cached(settings, "a_broken") == [False, False]
        assert "a_broken: the reference failed (variant 0), skipped" in caplog.text
        assert "this reference is broken on purpose" in caplog.text
        assert not warmer.done.is_set() and cached(settings, "b_gated") == [False, False]
        gate.touch()
        assert warmer.done.wait(DEADLINE_S)
    assert cached(settings, "b_gated") == [True, True]
    assert "3 questions x 2 variants ready (4 computed" in caplog.text


def test_the_warmer_stops_before_its_next_reference(bank: Path, tmp_path: Path) -> None:
    settings = Settings(tasks_dir=bank, cache_dir=tmp_path / "cache", hidden_variants=3)
    warmer = Warmer(settings, ["cpu"], recent=lambda: ["c_plain"])
    warmer.stop()
    warmer.start()
    assert warmer.done.wait(DEADLINE_S)
    assert cached(settings, "c_plain") == [False, False, False]


def test_the_warmer_orders_by_id_when_the_history_cannot_be_read(
        bank: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    def history() -> list[str]:
        raise OSError("the database is away")

    settings = Settings(tasks_dir=bank, cache_dir=tmp_path / "cache")
    with caplog.at_level(logging.WARNING, logger="grader.worker.warming"):
        order = [q.id for q in Warmer(settings, ["cpu", "gpu"], recent=history).questions()]
    assert order == ["a_broken", "b_gated", "c_plain", "d_gpu"]
    assert "no submission history (OSError: the database is away)" in caplog.text


def test_tasks_warm_runs_references_in_parallel_and_reports_every_failure(bank: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRADER_")}
    env.update(GRADER_TASKS_DIR=str(bank), GRADER_CACHE_DIR=str(tmp_path / "cache"))
    command = [sys.executable, "-m", "grader.cli", "tasks", "warm", "a_broken", "c_plain", "e_short",
               "--variants", "2", "--jobs", "2"]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600, check=False)
    assert done.returncode == 3, done.stderr
    assert done.stdout.splitlines() == ["a_broken: 2 variants (0 computed now), failed",
                                        "c_plain: 2 variants (2 computed now)"]
    assert done.stderr.count("error: a_broken: the reference failed") == 1
    settings = Settings(tasks_dir=bank, cache_dir=tmp_path / "cache", hidden_variants=2)
    assert cached(settings, "c_plain") == [True, True]
