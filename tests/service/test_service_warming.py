"""A grading worker warms the bank in the background: it grades a cached question at once while a reference
of another question is still being computed, and a reference that fails there is logged, never fatal.

A real ``grader serve`` (embedded mode) on a small bank: ``a_broken`` (its reference raises),
``b_gated`` (its reference waits for a file this test creates) and ``conv1d_full`` (cached
before the worker starts). In id order, the warmer meets the broken one, then blocks on the
gated one: every submission graded meanwhile proves warming never holds grading up.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from grader.grading.reference import expected_for
from grader.questions.loader import Question, find_question
from grader.worker.warming import is_cached
from tests.integration.warming_support import BROKEN, GATE_VARIABLE, GATED, copy_question, reference_running
from tests.service.processes import CONV1D, Client, Serve, until


@pytest.fixture()
def serve(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Serve]:
    bank = tmp_path / "tasks"
    copy_question(bank, "conv1d_full", "a_broken", BROKEN)
    copy_question(bank, "conv1d_full", "b_gated", GATED)
    copy_question(bank, "conv1d_full", "conv1d_full")
    conv1d = find_question(bank, "conv1d_full")
    assert isinstance(conv1d, Question)
    expected_for(conv1d, tmp_path / "cache", 600)  # variant 0, the only one here
    monkeypatch.setenv(GATE_VARIABLE, str(tmp_path / "gate"))  # grader_env passes it on to serve
    started = Serve(tmp_path / "data", tmp_path / "cache", tmp_path / "serve.log", tasks_dir=bank,
                    hidden_variants=1, warm_on_start=True)
    try:
        yield started.ready()
    finally:
        started.stop(signal.SIGKILL, timeout_s=30)


def test_a_cached_question_is_graded_while_the_worker_warms_the_rest(serve: Serve, tmp_path: Path) -> None:
    bank = tmp_path / "tasks"
    worker = serve.grading_worker()
    until(lambda: reference_running(bank / "b_gated"), 300, "the worker warming b_gated")
    assert "warming: a_broken: the reference failed (variant 0), skipped" in serve.output()

    client = Client(serve.url, serve.admin_key)
    status, created = client.call("/v1/submissions", {"question_id": "conv1d_full", "code": CONV1D})
    assert status == 202, created
    view = until(lambda: _done(client, created["id"]), 300, "the report")
    assert view["verdict"] == "accepted", view
    gated = find_question(bank, "b_gated")
    assert isinstance(gated, Question)
    assert reference_running(bank / "b_gated") and not is_cached(gated, tmp_path / "cache", 0)

    (tmp_path / "gate").touch()
    until(lambda: is_cached(gated, tmp_path / "cache", 0), 300, "b_gated warmed")
    assert serve.grading_worker() == worker  # the same worker throughout: nothing here was fatal
    assert "Traceback" not in serve.output()


def _done(client: Client, submission_id: str) -> dict[str, object] | None:
    status, view = client.call(f"/v1/submissions/{submission_id}?wait=20")
    assert status == 200, view
    return view if view["status"] in ("completed", "failed") else None
