"""Shared fixtures: settings with a private cache, the real bubblewrap sandbox, a grading helper."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from grader.grading.pipeline import grade
from grader.questions.loader import Question, find_question
from grader.sandboxes import make_sandbox
from grader.settings import REPO_ROOT, Settings
from sandbox.base import Sandbox
from sandbox.pool import SandboxPool
from submissions_schema import GradeReport, GradingJob


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Real settings, with a cache of expected outputs private to this test session."""
    return Settings(cache_dir=tmp_path_factory.mktemp("cache"), tasks_dir=REPO_ROOT / "tasks")


@pytest.fixture(scope="session", params=["bwrap", "docker"])
def sandbox(settings: Settings, request: pytest.FixtureRequest) -> Iterator[Sandbox]:
    """Each real backend in turn, behind its warm pool as in a worker: tests using it run on
    bubblewrap and on a real Docker engine."""
    pooled = make_sandbox(settings, request.param, pooled=True)
    yield pooled
    close = getattr(pooled, "close", None)
    if callable(close):
        close()


def unwrap(sandbox: Sandbox) -> Sandbox:
    """The backend behind a warm pool (for tests about one backend's mechanisms)."""
    return sandbox.backend if isinstance(sandbox, SandboxPool) else sandbox


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
