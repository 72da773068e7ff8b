"""Hidden feedback that cannot be mined, over the real service: HTTP, Redis, PostgreSQL, worker processes, bubblewrap.

Two attacks from a candidate key, with the candidate's views as the only channel back:

- the verdict-bit oracle: code that fails a hidden case or not by one bit of its
  ``len(a)``, submitted once per bit; with per-test verdicts, eight submissions read
  back every hidden length. The candidate view lists no hidden test, and all that
  varies between the submissions' views is the aggregate. The interviewer's reports
  show the oracle did work, on a different variant of hidden inputs per submission.
- the timing oracle: code that sleeps ``|a[0]| mod 1`` seconds on a hidden case; the
  candidate reads whole seconds only (API, webhook events, the delivery log) and no
  duration of a hidden test.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from standardwebhooks.webhooks import Webhook

from grader.grading.expected import ExpectedSet
from grader.grading.reference import expected_for, variant_for
from grader.questions.loader import Question, find_question
from grader.settings import REPO_ROOT
from tests.service.conftest import HttpService, start_http_service
from tests.service.receiver import Receiver
from tests.service.test_end_to_end import http, wait_report
from tests.service.test_webhooks import subscribe

QUESTION_ID = "conv1d_full"
CORRECT = '''
import numpy as np

def _correct(a, v):
    a, v = np.asarray(a, dtype=float), np.asarray(v, dtype=float)
    out = np.zeros(len(a) + len(v) - 1)
    for i, x in enumerate(a):
        out[i:i + len(v)] += x * v
    return out
'''
VISIBLE_CALLS = 2  # conv1d_full's visible cases run first


def bit_oracle(bit: int) -> str:
    """Wrong on every hidden case whose ``len(a)`` has ``bit`` set, right otherwise."""
    return CORRECT + f'''
CALLS = []

def conv1d(a, v):
    CALLS.append(1)
    out = _correct(a, v)
    if len(CALLS) > {VISIBLE_CALLS} and (len(a) >> {bit}) & 1:
        out[0] += 1.0
    return out
'''


SLEEPER = CORRECT + f'''
import time

CALLS, SLEPT = [], []

def conv1d(a, v):
    CALLS.append(1)
    first = float(np.asarray(a, dtype=float)[0])
    if len(CALLS) > {VISIBLE_CALLS} and first != int(first) and not SLEPT:
        SLEPT.append(1)  # the first hidden case with a fractional a[0]: sleep as long as its fraction
        time.sleep(abs(first) % 1.0)
    return _correct(a, v)
'''


@pytest.fixture()
def service(tmp_path: Path, redis_url: str, postgres_url: str, request: pytest.FixtureRequest) -> Iterator[HttpService]:
    found = start_http_service(tmp_path, redis_url, request)
    found.start_worker()
    yield found
    found.close()


@pytest.fixture(scope="module")
def question() -> Question:
    found = find_question(REPO_ROOT / "tasks", QUESTION_ID)
    assert isinstance(found, Question)
    return found


def hidden_total(service: HttpService, question: Question) -> int:
    """How many hidden cases the question has (the same in every variant)."""
    settings = service.settings
    return sum(not c.visible for c in expected_for(question, settings.cache_dir, settings.reference_timeout_s).cases)


def bundle_of(service: HttpService, question: Question, submission_id: str) -> ExpectedSet:
    """The hidden inputs the worker graded ``submission_id`` with (read on the trusted side)."""
    settings = service.settings
    variant = variant_for(submission_id, settings.hidden_variants)
    return expected_for(question, settings.cache_dir, settings.reference_timeout_s, variant)


def hidden_lengths(bundle: ExpectedSet) -> dict[str, int]:
    return {c.name: len(np.asarray(bundle.inputs(c)[0][0])) for c in bundle.cases if not c.visible}


def whole_seconds(stamp: str) -> bool:
    return datetime.fromisoformat(stamp).microsecond == 0


def aggregate_stripped(view: dict[str, Any]) -> dict[str, Any]:
    """The candidate's view without the aggregate and what names or dates this submission (and
    ``attempts``: this fixture's 4 s broker visibility timeout redelivers jobs queued behind others)."""
    out = {k: v for k, v in view.items() if k not in ("id", "created_at", "started_at", "completed_at",
                                                       "verdict", "score", "attempts")}
    report = dict(out.pop("report"))
    for name in ("verdict", "score", "message", "hidden_summary"):
        report.pop(name)
    return {**out, "report": report}


def test_the_verdict_bit_oracle_reads_back_nothing_but_the_aggregate(service: HttpService, question: Question) -> None:
    mallory = service.key("candidate", "mallory")
    interviewer = service.key("interviewer", "ivy")
    created = []
    for bit in range(8):  # len(a) < 256 for every hidden case
        status, view = http(service, mallory, "/v1/submissions", {"question_id": QUESTION_ID, "code": bit_oracle(bit)})
        assert status == 202, view
        created.append(view["id"])
    views = [wait_report(service, mallory, sid) for sid in created]
    for view in views:
        report = view["report"]
        assert report["redacted"] and report["hidden_feedback"] == "summary"
        assert [t["visibility"] for t in report["tests"]] == ["visible"] * VISIBLE_CALLS
        assert report["hidden_summary"]["total"] == hidden_total(service, question)
        assert all(whole_seconds(view[k]) for k in ("created_at", "started_at", "completed_at"))
    # Beyond the aggregate, the eight views are the same: nothing else to decode.
    stripped = [aggregate_stripped(v) for v in views]
    assert all(s == stripped[0] for s in stripped), stripped
    # Not vacuous: the oracle worked, and the full reports show what it would have told.
    bundles = [bundle_of(service, question, sid) for sid in created]
    for bit, (sid, bundle, view) in enumerate(zip(created, bundles, views, strict=True)):
        full = wait_report(service, interviewer, sid)["report"]
        lengths = hidden_lengths(bundle)
        verdicts = {t["name"]: t["verdict"] for t in full["tests"] if t["visibility"] == "hidden"}
        assert verdicts == {n: "wrong_answer" if (k >> bit) & 1 else "accepted" for n, k in lengths.items()}
        assert view["report"]["hidden_summary"]["passed"] == sum(not (k >> bit) & 1 for k in lengths.values())
        hidden_names = set(lengths)
        assert not any(name in str(view) for name in hidden_names if name.startswith("random"))
    # What one submission could learn does not carry to the next: their hidden inputs differ.
    variants = {b.bundle.variant for b in bundles}
    assert len(variants) >= 2, variants
    by_variant = {b.bundle.variant: hidden_lengths(b) for b in bundles}
    first, *others = by_variant.values()
    assert all(other != first for other in others)


def test_the_timing_oracle_reads_whole_seconds_and_no_hidden_duration(
    service: HttpService, question: Question
) -> None:
    receiver = Receiver()
    base = receiver.start()
    try:
        mallory = service.key("candidate", "mallory")
        hook = subscribe(service, mallory, base + "/events")
        status, created = http(service, mallory, "/v1/submissions", {"question_id": QUESTION_ID, "code": SLEEPER})
        assert status == 202, created
        view = wait_report(service, mallory, created["id"])
        (event,) = receiver.wait_for(1)
    finally:
        receiver.stop()
    report = view["report"]
    assert report["verdict"] == "accepted" and report["timing"] == {k: 0.0 for k in report["timing"]}
    assert all(t["visibility"] == "visible" and float(t["duration_s"]).is_integer() for t in report["tests"])
    assert all(whole_seconds(view[k]) for k in ("created_at", "started_at", "completed_at"))
    data = Webhook(hook["secret"]).verify(event.body, event.headers)
    assert whole_seconds(data["timestamp"]) and data["data"]["report"]["tests"] == report["tests"]
    assert all(whole_seconds(data["data"][k]) for k in ("created_at", "started_at", "completed_at"))
    status, log = http(service, mallory, f"/v1/webhooks/{hook['id']}/deliveries")
    assert status == 200 and len(log["items"]) == 1
    delivery = log["items"][0]
    stamps = [delivery["created_at"], delivery["completed_at"], *(a["at"] for a in delivery["log"])]
    assert all(whole_seconds(s) for s in stamps), stamps
    # Not vacuous: the sleep happened, on a hidden case, as long as a hidden fraction.
    full = wait_report(service, service.key("interviewer", "ivy"), created["id"])["report"]
    bundle = bundle_of(service, question, created["id"])
    slept = next(c for c in bundle.cases if not c.visible and float(bundle.inputs(c)[0][0][0]) % 1.0 != 0.0)
    secret = abs(float(bundle.inputs(slept)[0][0][0])) % 1.0
    duration = next(t["duration_s"] for t in full["tests"] if t["name"] == slept.name)
    assert duration >= secret and full["timing"]["run_s"] >= secret


def copy_bank(tmp_path: Path, edits: dict[str, str]) -> Path:
    """A bank of the questions in ``edits``, each question.yml with the given line added."""
    tasks = tmp_path / "tasks"
    for question_id, line in edits.items():
        shutil.copytree(REPO_ROOT / "tasks" / question_id, tasks / question_id)
        if line:
            path = tasks / question_id / "question.yml"
            path.write_text(path.read_text() + f"{line}\n")
    return tasks


WRONG = {QUESTION_ID: "wrong_no_flip.py", "correlate1d_full": "wrong_returns_convolution.py"}


def candidate_report(service: HttpService, key: str, question_id: str) -> dict[str, Any]:
    code = (REPO_ROOT / "tasks" / question_id / "solutions" / WRONG[question_id]).read_text()
    status, created = http(service, key, "/v1/submissions", {"question_id": question_id, "code": code})
    assert status == 202, created
    report: dict[str, Any] = wait_report(service, key, created["id"])["report"]
    return report


def test_per_test_feedback_per_deployment_and_per_question(
    tmp_path: Path, redis_url: str, postgres_url: str, request: pytest.FixtureRequest
) -> None:
    """The deployment says per_test; conv1d_full's question.yml says summary and wins for it."""
    tasks = copy_bank(tmp_path, {QUESTION_ID: "hidden_feedback: summary", "correlate1d_full": ""})
    service = start_http_service(tmp_path, redis_url, request, tasks_dir=tasks, hidden_feedback="per_test")
    try:
        service.start_worker()
        key = service.key("candidate", "ada")
        per_test = candidate_report(service, key, "correlate1d_full")
        summary = candidate_report(service, key, QUESTION_ID)
    finally:
        service.close()
    assert per_test["hidden_feedback"] == "per_test"
    hidden = [t for t in per_test["tests"] if t["visibility"] == "hidden"]
    assert len(hidden) == per_test["hidden_summary"]["total"] > 0
    assert all((t["message"], t["stdout"], t["mismatch"], t["duration_s"]) == ("", "", None, None) for t in hidden)
    assert summary["hidden_feedback"] == "summary"
    assert all(t["visibility"] == "visible" for t in summary["tests"])
    assert summary["hidden_summary"]["passed"] < summary["hidden_summary"]["total"]


def test_a_question_may_ask_for_per_test_feedback(tmp_path: Path) -> None:
    """The deployment's default is summary; conv1d_full's question.yml says per_test (``grader check``)."""
    tasks = copy_bank(tmp_path, {QUESTION_ID: "hidden_feedback: per_test"})
    wrong = REPO_ROOT / "tasks" / QUESTION_ID / "solutions" / WRONG[QUESTION_ID]
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRADER_")}
    env.update(GRADER_TASKS_DIR=str(tasks), GRADER_CACHE_DIR=str(tmp_path / "cache"))
    command = [sys.executable, "-m", "grader.cli", "check", QUESTION_ID, str(wrong), "--json", "--as", "candidate"]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, check=False)
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert report["hidden_feedback"] == "per_test"
    hidden = [t for t in report["tests"] if t["visibility"] == "hidden"]
    assert len(hidden) == report["hidden_summary"]["total"] > 0
    assert all(t["message"] == "" and t["duration_s"] is None for t in hidden)
