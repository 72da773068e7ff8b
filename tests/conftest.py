"""Shared fixtures: settings with a private cache, the real bubblewrap sandbox, a grading helper."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from grader.grading.pipeline import grade
from grader.questions.loader import Question, find_question
from grader.sandboxes import make_sandbox
from grader.settings import REPO_ROOT, Settings
from sandbox.base import Sandbox
from submissions_schema import GradeReport, GradingJob


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Real settings, with a cache of expected outputs private to this test session."""
    return Settings(cache_dir=tmp_path_factory.mktemp("cache"), tasks_dir=REPO_ROOT / "tasks")


@pytest.fixture(scope="session", params=["bwrap", "docker"])
def sandbox(settings: Settings, request: pytest.FixtureRequest) -> Sandbox:
    """Each real backend in turn: tests using it run on bubblewrap and on a real Docker engine."""
    return make_sandbox(settings, request.param)


@pytest.fixture(scope="session")
def question(settings: Settings) -> Callable[[str], Question]:
    return lambda question_id: find_question(settings.tasks_dir, question_id)


GradeFile = Callable[[str, str], GradeReport]


@pytest.fixture(scope="session")
def grade_code(settings: Settings, sandbox: Sandbox) -> GradeFile:
    """``grade_code(question_id, source)`` grades through the real pipeline and sandbox."""

    def run(question_id: str, code: str) -> GradeReport:
        q = find_question(settings.tasks_dir, question_id)
        return grade(GradingJob(question_id=question_id, code=code), q, sandbox, settings)

    return run


@pytest.fixture(scope="session")
def tasks_dir(settings: Settings) -> Path:
    return settings.tasks_dir
