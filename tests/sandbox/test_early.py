"""A sandbox started beside the static checks: taken when the submission runs, closed unused when it
is refused, on a real bubblewrap backend; and the waiting rules, with the backend faked."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from grader.grading.pipeline import grade
from grader.questions.loader import find_question
from grader.sandboxes import make_sandbox
from grader.settings import Settings
from sandbox.base import PreparedSandbox, SandboxJob, SandboxProfile, SandboxRun
from sandbox.early import EarlySandbox
from sandbox.session import SandboxStartError
from submissions_schema import GradingJob, Verdict


class Spy:
    """The real backend, remembering each sandbox it prepared."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend
        self.name = backend.name
        self.prepared: list[PreparedSandbox] = []

    def prepare(self, profile: SandboxProfile) -> PreparedSandbox:
        made = self.backend.prepare(profile)
        self.prepared.append(made)
        return made

    def run(self, job: SandboxJob) -> SandboxRun:
        return self.prepare(job.profile).run(job)


@pytest.mark.parametrize("code, verdict", [
    ("import numpy as np\n\ndef conv1d(x, w):\n    return np.convolve(x, w, 'valid')\n", Verdict.forbidden_api),
    ("def conv1d(x, w):\n    return (\n", Verdict.syntax_error),
])
def test_a_refused_submission_closes_its_sandbox_unused(settings: Settings, code: str, verdict: Verdict) -> None:
    spy = Spy(make_sandbox(settings, "bwrap"))
    question = find_question(settings.tasks_dir, "conv1d_full")
    report = grade(GradingJob(question_id="conv1d_full", code=code), question, spy, settings)  # type: ignore[arg-type]
    assert report.verdict is verdict
    assert len(spy.prepared) == 1  # started beside the checks...
    assert not spy.prepared[0].alive()  # ...and ended with the grading, before any job reached it
    assert getattr(spy.prepared[0], "used", None) is False


def test_a_submission_that_runs_uses_the_sandbox_started_early(settings: Settings) -> None:
    spy = Spy(make_sandbox(settings, "bwrap"))
    question = find_question(settings.tasks_dir, "conv1d_full")
    code = (settings.tasks_dir / "conv1d_full" / "solutions" / "accepted_loops.py").read_text()
    report = grade(GradingJob(question_id="conv1d_full", code=code), question, spy, settings)  # type: ignore[arg-type]
    assert report.verdict is Verdict.accepted, report.message
    assert len(spy.prepared) == 1 and getattr(spy.prepared[0], "used", None) is True


def test_sandboxes_started_early_outlive_the_thread_that_started_them(settings: Settings) -> None:
    """Bubblewrap's --die-with-parent watches the starting *thread*: a zygote (or a plain sandbox)
    started from the early thread must not die when that thread ends."""
    backend = make_sandbox(settings, "bwrap")
    question = find_question(settings.tasks_dir, "conv1d_full")
    code = (settings.tasks_dir / "conv1d_full" / "solutions" / "accepted_loops.py").read_text()
    zygotes = []
    for _ in range(2):
        report = grade(GradingJob(question_id="conv1d_full", code=code), question, backend, settings)
        assert report.verdict is Verdict.accepted, report.message
        if backend.forks():
            server = backend._zygote(SandboxProfile())
            assert server.popen is not None and server.popen.poll() is None
            zygotes.append(server.popen.pid)
        time.sleep(0.3)  # the early threads have ended by now
    assert len(set(zygotes)) <= 1  # one zygote served both: it was not restarted


class FakePrepared:
    def __init__(self) -> None:
        self.closed = threading.Event()

    def run(self, job: SandboxJob) -> SandboxRun:
        raise AssertionError("not used here")

    def close(self) -> None:
        self.closed.set()

    def alive(self) -> bool:
        return not self.closed.is_set()


class FakeBackend:
    name = "fake"

    def __init__(self, delay_s: float = 0.0, error: BaseException | None = None) -> None:
        self.delay_s = delay_s
        self.error = error
        self.made: list[FakePrepared] = []

    def prepare(self, profile: SandboxProfile) -> FakePrepared:
        time.sleep(self.delay_s)
        if self.error is not None:
            raise self.error
        self.made.append(FakePrepared())
        return self.made[-1]

    def run(self, job: SandboxJob) -> SandboxRun:
        raise AssertionError("not used here")


def test_taken_is_not_closed_on_leaving() -> None:
    backend = FakeBackend(delay_s=0.05)
    with EarlySandbox(backend, SandboxProfile(), timeout_s=10) as early:  # type: ignore[arg-type]
        taken = early.take()
    assert taken.alive() and not backend.made[0].closed.is_set()


def test_not_taken_is_closed_on_leaving_even_while_still_starting() -> None:
    backend = FakeBackend(delay_s=0.2)
    with EarlySandbox(backend, SandboxProfile(), timeout_s=10):  # type: ignore[arg-type]
        pass  # refused at once: the sandbox is still starting
    assert backend.made and backend.made[0].closed.is_set()


def test_a_failed_start_is_raised_where_it_is_taken() -> None:
    backend = FakeBackend(error=SandboxStartError("no room"))
    with EarlySandbox(backend, SandboxProfile(), timeout_s=10) as early:  # type: ignore[arg-type]
        with pytest.raises(SandboxStartError, match="no room"):
            early.take()


def test_a_start_past_the_deadline_is_an_error_and_closed_when_it_comes() -> None:
    backend = FakeBackend(delay_s=0.5)
    early = EarlySandbox(backend, SandboxProfile(), timeout_s=0.05)  # type: ignore[arg-type]
    with pytest.raises(SandboxStartError, match="did not start within"):
        early.take()
    deadline = time.monotonic() + 10
    while not backend.made and time.monotonic() < deadline:
        time.sleep(0.02)
    assert backend.made[0].closed.wait(10)
