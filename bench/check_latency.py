"""How long ``grader check`` takes, split into sandbox start, candidate run, teardown and checking.

Run by hand: ``.venv/bin/python bench/check_latency.py [--runs 20] [--backends bwrap,docker]``.
For each backend and question it grades the bundled accepted solution ``--runs`` times in-process (the
expected outputs are cached after the first run, which is not counted), and runs the
``grader check`` command a few times as a user would (a new Python process each
time). Prints one JSON object with the median and p90 of every phase, in seconds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from typing import Any

from grader.grading.pipeline import grade
from grader.questions.loader import Question, find_question
from grader.sandboxes import make_sandbox
from grader.settings import REPO_ROOT, Settings
from submissions_schema import GradingJob, Verdict

QUESTIONS = {
    "conv1d_full": "accepted_loops.py",
    "tanh_autograd": "accepted_stable_exp.py",
}


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]
    return {"median": round(statistics.median(ordered), 4), "p90": round(p90, 4)}


def in_process(settings: Settings, backend: str, question_id: str, code: str, runs: int) -> dict[str, Any]:
    question = find_question(settings.tasks_dir, question_id)
    assert isinstance(question, Question)
    sandbox = make_sandbox(settings, backend)
    job = GradingJob(question_id=question_id, code=code)
    assert grade(job, question, sandbox, settings).verdict is Verdict.accepted  # warms the cache
    phases: dict[str, list[float]] = {"sandbox_start_s": [], "run_s": [], "teardown_s": [], "check_s": [],
                                      "total_s": []}
    for _ in range(runs):
        report = grade(job, question, sandbox, settings)
        assert report.verdict is Verdict.accepted, report.message
        t = report.timing
        # What is left of the total: killing and removing the sandbox (and the cache look-up).
        t_teardown = t.total_s - t.reference_s - t.sandbox_start_s - t.run_s - t.check_s
        for name, value in (("sandbox_start_s", t.sandbox_start_s), ("run_s", t.run_s), ("teardown_s", t_teardown),
                            ("check_s", t.check_s), ("total_s", t.total_s)):
            phases[name].append(value)
    return {name: summary(values) for name, values in phases.items()}


def command(backend: str, question_id: str, path: str, runs: int) -> dict[str, float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "grader.cli", "check", question_id, path, "--json",
                        "--backend", backend], check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return summary(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--command-runs", type=int, default=5)
    parser.add_argument("--backends", default="bwrap,docker", help="Comma-separated sandbox backends.")
    args = parser.parse_args()
    settings = Settings.load()
    results: dict[str, Any] = {"runs": args.runs, "backends": {}}
    for backend in args.backends.split(","):
        per_question = results["backends"].setdefault(backend, {})
        for question_id, solution in QUESTIONS.items():
            path = REPO_ROOT / "tasks" / question_id / "solutions" / solution
            per_question[question_id] = {
                "in_process": in_process(settings, backend, question_id, path.read_text(), args.runs),
                "grader_check_command_s": command(backend, question_id, str(path), args.command_runs),
            }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
