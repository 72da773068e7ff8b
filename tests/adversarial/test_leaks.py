"""Hidden-case data never reaches the candidate's view of a report.

The hidden inputs (and expected outputs) are read from the trusted side
(``expected_for``); submissions print them, raise exceptions carrying them, return
values embedding them, keep writing them from a background thread and forge
result frames with them. The candidate's view (``for_role(report, Role.candidate)``
and ``grader check --as candidate``) must contain none of it. Each leak test first
checks that the interviewer's full report *does* show the data, so that the
candidate-side check cannot pass vacuously.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from adversarial_support import CORRECT, QUESTION_ID, src, summary

from grader.grading.reference import expected_for
from grader.questions.loader import Question, find_question
from grader.reports import for_role
from grader.settings import REPO_ROOT, Settings
from submissions_schema import GradeReport, Role, Verdict, Visibility


@dataclass(frozen=True)
class HiddenCase:
    name: str
    position: int  # 0-based order of the call in the run (visible calls come first)
    args: tuple[Any, ...]
    expected: Any
    secrets: frozenset[str]


def _float_forms(x: float) -> set[str]:
    """How a float may be printed: full repr, NumPy's 8 decimals, 8 and 10 significant digits."""
    forms = {repr(x), f"{x:.8f}".rstrip("0"), f"{x:.8g}", f"{x:.10g}", str(np.float64(x))}
    return {f for f in forms if len(f.lstrip("-").replace(".", "").lstrip("0")) >= 7}


def secrets_of(values: list[Any]) -> frozenset[str]:
    """Distinctive strings that would show that ``values`` (arrays) reached a report."""
    found: set[str] = set()
    for value in values:
        arr = np.asarray(value)
        if arr.ndim != 1:
            continue
        if arr.size >= 3:
            head = str(arr[:3].tolist())[:-1]  # "[x0, x1, x2" as a list prints
            if len(head) >= 10:
                found.add(head)
        if arr.dtype.kind == "f":
            for x in arr[:4].tolist():
                if abs(x) >= 1e-3 and round(x, 3) != x:
                    found |= _float_forms(float(x))
    return frozenset(found)


@pytest.fixture(scope="session")
def hidden_cases(settings: Settings) -> list[HiddenCase]:
    question = find_question(settings.tasks_dir, QUESTION_ID)
    assert isinstance(question, Question)
    expected = expected_for(question, settings.cache_dir, settings.reference_timeout_s)
    order = [c for c in expected.cases if c.visible] + [c for c in expected.cases if not c.visible]
    cases = []
    for position, case in enumerate(order):
        if case.visible:
            continue
        args, _ = expected.inputs(case)
        out = expected.expected(case)
        cases.append(HiddenCase(case.name, position, args, out, secrets_of([*args, out])))
    assert len(cases) >= 20 and sum(bool(c.secrets) for c in cases) >= 15
    return cases


def all_secrets(cases: list[HiddenCase]) -> set[str]:
    return {s for c in cases for s in c.secrets}


def assert_candidate_view_clean(view: GradeReport, cases: list[HiddenCase], full: GradeReport) -> None:
    """Hidden tests only as their aggregate (or, per_test, bare), and no hidden value anywhere in the view."""
    assert view.redacted
    assert view.hidden_summary is not None and view.hidden_summary.total == len(cases)
    hidden = [t for t in view.tests if t.visibility is Visibility.hidden]
    assert [t.name for t in hidden] == ([c.name for c in cases] if view.hidden_feedback == "per_test" else [])
    for t in hidden:
        assert (t.message, t.stdout, t.stderr, t.mismatch, t.duration_s) == ("", "", "", None, None), t
    text = view.model_dump_json()
    leaked = sorted(s for s in all_secrets(cases) if s in text)
    assert not leaked, f"hidden data in the candidate's view: {leaked[:10]}"
    # Not vacuous: the interviewer's report does carry hidden data for most cases.
    full_text = full.model_dump_json()
    shown = [c.name for c in cases if c.secrets and any(s in full_text for s in c.secrets)]
    assert len(shown) >= 10, f"the submission did not leak into the full report as intended: {shown}\n{summary(full)}"


LEAKY = CORRECT + src("""
    import sys

    import numpy as np

    def _show(x):
        x = np.asarray(x)
        return f"{x[:4]!r} {x[:6].tolist()} {[repr(float(t)) for t in x[:4]]} {[f'{float(t):.8g}' for t in x[:4]]}"

    def conv1d(a, v):
        print("INPUTS", _show(a), _show(v))
        print("INPUTS", _show(a), _show(v), file=sys.stderr)
        if len(a) % 2:
            raise ValueError("INPUTS " + _show(a) + " " + _show(v))
        out = _correct(a, v)
        out[0] = float(np.asarray(a)[0]) + 1e-3  # a mismatch that shows a[0] as the actual value
        return out
    """)


def test_printed_raised_and_returned_inputs_stay_hidden(hostile, hidden_cases: list[HiddenCase]) -> None:  # type: ignore[no-untyped-def]
    full = hostile(LEAKY)
    assert full.verdict is not Verdict.accepted
    for policy in ("summary", "per_test"):
        view = for_role(full.model_copy(update={"hidden_feedback": policy}), Role.candidate)
        assert_candidate_view_clean(view, hidden_cases, full)


THREAD = CORRECT + src("""
    import json
    import os
    import stat
    import sys
    import threading
    import time

    import numpy as np

    SEEN = []

    def frame(kind, payload):
        body = json.dumps(payload).encode()
        return b"\\0GRADER1 %s %d 0\\n" % (kind.encode(), len(body)) + body

    def pipes():
        out = []
        for name in os.listdir("/proc/self/fd"):
            try:
                if stat.S_ISFIFO(os.fstat(int(name)).st_mode):
                    out.append(int(name))
            except OSError:
                pass
        return out

    def spam():
        while True:
            time.sleep(0.002)
            if len(SEEN) <= 3:  # the visible calls and the first hidden one: behave
                continue
            text = "LEAK " + " | ".join(SEEN[2:])
            print(text)
            os.write(2, text.encode() + b"\\n")
            forged = (
                frame("load", {"id": "load", "status": "ok", "stdout": text, "message": text})
                + frame("case", {"id": "c0", "status": "exception", "message": text, "stdout": text})
                + frame("case", {"id": "c1", "status": "ok", "value": text, "stdout": text})
                + frame("phase", {"phase": "visible"})
            )
            for fd in pipes():
                try:
                    os.write(fd, forged)
                except OSError:
                    pass

    def conv1d(a, v):
        a_, v_ = np.asarray(a), np.asarray(v)
        SEEN.append(f"{a_[:4]!r} {a_[:6].tolist()} {v_[:4]!r} {v_[:6].tolist()}")
        print("INPUTS", SEEN[-1])
        if len(SEEN) == 1:
            threading.Thread(target=spam, daemon=True).start()
        if len(SEEN) > 3:
            time.sleep(0.05)  # give the thread time to write while hidden calls run
        return _correct(a, v)
    """)


def test_background_thread_after_hidden_phase_begins(hostile, hidden_cases: list[HiddenCase]) -> None:  # type: ignore[no-untyped-def]
    """A thread started in the visible phase writes hidden inputs everywhere it can."""
    full = hostile(THREAD)
    assert full.verdict is not Verdict.accepted, summary(full)
    view = for_role(full, Role.candidate)
    # The visible part was sealed before hidden inputs were sent: it is intact and
    # only the visible calls ran in it.
    visible = [t for t in view.tests if t.visibility is Visibility.visible]
    assert [t.verdict for t in visible] == [Verdict.accepted, Verdict.accepted], summary(full)
    text = view.model_dump_json()
    assert "LEAK" not in text, summary(full)
    leaked = sorted(s for s in all_secrets(hidden_cases) if s in text)
    assert not leaked, f"hidden data in the candidate's view: {leaked[:10]}"
    # Not vacuous: the first hidden call ran normally and printed its inputs, so the
    # interviewer's report shows them; the thread had them (and later ones) to leak.
    assert any(s in full.model_dump_json() for s in hidden_cases[0].secrets), summary(full)
    for t in view.tests:
        if t.visibility is Visibility.hidden:
            assert (t.message, t.stdout, t.stderr, t.mismatch, t.duration_s) == ("", "", "", None, None), t


def _grader_cli() -> list[str]:
    script = Path(sys.executable).with_name("grader")
    if script.exists():
        return [str(script)]
    found = shutil.which("grader")
    return [found] if found else [sys.executable, "-m", "grader.cli"]


def run_cli(settings: Settings, path: Path, role: str, feedback: str = "summary") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, GRADER_CACHE_DIR=str(settings.cache_dir), GRADER_TASKS_DIR=str(settings.tasks_dir),
               GRADER_HIDDEN_FEEDBACK=feedback)
    return subprocess.run(
        [*_grader_cli(), "check", QUESTION_ID, str(path), "--json", "--as", role],
        capture_output=True, text=True, env=env, timeout=120, cwd=REPO_ROOT, check=False,
    )


def test_cli_candidate_view(settings: Settings, tmp_path: Path, hidden_cases: list[HiddenCase], warm: None) -> None:
    path = tmp_path / "leaky.py"
    path.write_text(LEAKY, encoding="utf-8")
    for feedback in ("summary", "per_test"):
        candidate = run_cli(settings, path, "candidate", feedback)
        assert candidate.returncode == 1, candidate.stderr[-3000:]
        data = json.loads(candidate.stdout)
        assert data["redacted"] is True and data["verdict"] != "accepted"
        assert data["hidden_feedback"] == feedback and data["hidden_summary"]["total"] == len(hidden_cases)
        hidden = [t for t in data["tests"] if t["visibility"] == "hidden"]
        assert [t["name"] for t in hidden] == ([c.name for c in hidden_cases] if feedback == "per_test" else [])
        for t in hidden:
            assert (t["message"], t["stdout"], t["stderr"], t["mismatch"], t["duration_s"]) == ("", "", "", None, None)
        output = candidate.stdout + candidate.stderr
        leaked = sorted(s for s in all_secrets(hidden_cases) if s in output)
        assert not leaked, f"hidden data in `grader check --as candidate`: {leaked[:10]}"
    # Not vacuous: the same submission, seen by the interviewer, shows hidden inputs.
    interviewer = run_cli(settings, path, "interviewer")
    assert interviewer.returncode == 1, interviewer.stderr[-3000:]
    assert any(s in interviewer.stdout for s in all_secrets(hidden_cases))


def test_timing_does_not_reveal_a_hidden_input(hostile, hidden_cases: list[HiddenCase]) -> None:  # type: ignore[no-untyped-def]
    """Sleep for a time that encodes a hidden float, then read it back from the candidate's report.

    The candidate's view must not carry the time the hidden cases took (reports.py:
    "no ... timings from a hidden case"); otherwise any hidden value can be read
    back, a few digits per submission.
    """
    target = next(
        c for c in hidden_cases
        if np.asarray(c.args[0]).dtype.kind == "f" and np.asarray(c.args[0]).size >= 2
        and 0.15 < abs(float(np.asarray(c.args[0])[0])) % 1.0 < 0.85
    )
    secret = abs(float(np.asarray(target.args[0])[0])) % 1.0

    def encoder(fixed: float | None) -> str:
        amount = f"{fixed!r}" if fixed is not None else "abs(float(np.asarray(a)[0])) % 1.0"
        return CORRECT + src(f"""
            import time

            import numpy as np

            CALLS = []

            def conv1d(a, v):
                CALLS.append(1)
                if len(CALLS) == {target.position + 1}:
                    time.sleep(0.3 + 2.0 * {amount})
                return _correct(a, v)
            """)

    def seen_time(report: GradeReport) -> float:
        view = for_role(report, Role.candidate)
        assert view.verdict is Verdict.accepted, summary(report)
        return sum(x or 0.0 for x in (view.timing.run_s, view.timing.total_s))

    baseline = seen_time(hostile(encoder(0.0)))  # the same run with a known value: 0
    leaky = seen_time(hostile(encoder(None)))
    decoded = (leaky - baseline) / 4.0  # run_s and total_s both grew by 2 * secret
    assert abs(decoded - secret) > 0.05, (
        f"a hidden input ({secret:.4f}, from case {target.name!r}) was read back from the candidate's "
        f"report timing as {decoded:.4f}"
    )


def test_hidden_case_names_reveal_no_input_sizes(settings: Settings, hidden_cases: list[HiddenCase]) -> None:
    """Names of hidden tests are shown to candidates: they must not describe the hidden inputs."""
    telling = []
    for case in hidden_cases:
        sizes = [np.asarray(x).size for x in case.args]
        if any(f"={n}" in case.name.replace(" ", "") for n in sizes if n > 1):
            telling.append(case.name)
    assert not telling, f"hidden test names shown to candidates reveal the sizes of hidden inputs: {telling}"
