"""How long grading one answer takes: ``grader check`` as a user runs it, the pipeline in-process with the
warm pool on and off, and the grader's overhead over calling the candidate's function bare.

Run by hand: ``.venv/bin/python bench/check_latency.py [--runs 20] [--command-runs 10] [--backends bwrap]``.
For each backend and question (the bundled accepted solution of ``conv1d_full``, a NumPy
question, and ``tanh_autograd``, a torch one), with expected outputs cached first:

- ``command``: ``grader check QUESTION FILE --json`` in a new Python process each time, as a
  user runs it: whole-process wall time and CPU time (the process and every descendant it
  reaped), median and p90, after one run not counted (it writes the bytecode cache, which
  this bench lets Python keep even where ``PYTHONDONTWRITEBYTECODE`` is set, as an installed
  grader would have it);
- ``in_process``: ``grade()`` called in this process, each phase from the report's timing:
  sandbox start, candidate run, teardown (what the total leaves: killing and removing the
  sandbox, the cache look-up), checking, total;
- ``overhead`` (NumPy questions only): ``grade_total_s``, the median in-process total, minus
  ``bare_call_s``, the median time to call the candidate's entry point on every case's inputs
  (visible and hidden, variant 0) in this process, NumPy imported and the candidate's module
  loaded beforehand: what grading adds to running the answer itself.

Both are measured with the warm pool off and on, through the settings
``GRADER_SANDBOX_POOL_NUMPY`` and ``GRADER_SANDBOX_POOL_TORCH`` (0 = off); where this grader has
no pool yet, ``pool`` says ``not available`` and only the pool-off figures are made. With the
pool on, each in-process run waits ``--pause-s`` first, so the pool has refilled (a client's
think time). Prints one JSON object, with the machine's cores and load average.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import types
from typing import Any

from grader.grading.pipeline import grade
from grader.grading.reference import expected_for
from grader.questions.loader import Question, find_question
from grader.sandboxes import make_sandbox
from grader.settings import REPO_ROOT, Settings
from submissions_schema import GradingJob, Verdict

QUESTIONS = {"conv1d_full": "accepted_loops.py", "tanh_autograd": "accepted_stable_exp.py"}
POOL_SETTINGS = ("sandbox_pool_numpy", "sandbox_pool_torch")


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]
    return {"median": round(statistics.median(ordered), 4), "p90": round(p90, 4)}


def pool_available() -> bool:
    return all(name in Settings.model_fields for name in POOL_SETTINGS)


def pool_modes() -> dict[str, dict[str, int] | None]:
    """Settings overrides per mode; ``None`` for the settings as they are (the pool's default, on)."""
    if not pool_available():
        return {"pool_off": {}}
    return {"pool_off": dict.fromkeys(POOL_SETTINGS, 0), "pool_on": None}


def in_process(settings: Settings, backend: str, question: Question, code: str, runs: int,
               pause_s: float, pooled: bool) -> tuple[dict[str, Any], list[float]]:
    sandbox = make_sandbox(settings, backend, pooled=pooled)
    job = GradingJob(question_id=question.id, code=code)
    assert grade(job, question, sandbox, settings).verdict is Verdict.accepted  # warm: imports, caches, a pool
    phases: dict[str, list[float]] = {name: [] for name in ("sandbox_start_s", "run_s", "teardown_s", "check_s",
                                                             "total_s")}
    for _ in range(runs):
        time.sleep(pause_s)
        t = grade(job, question, sandbox, settings).timing
        teardown = t.total_s - t.reference_s - t.sandbox_start_s - t.run_s - t.check_s
        for name, value in (("sandbox_start_s", t.sandbox_start_s), ("run_s", t.run_s), ("teardown_s", teardown),
                            ("check_s", t.check_s), ("total_s", t.total_s)):
            phases[name].append(value)
    close = getattr(sandbox, "close", None)
    if callable(close):  # a pooled sandbox kills what it holds
        close()
    return {name: summary(values) for name, values in phases.items()}, phases["total_s"]


def bare_call(settings: Settings, question: Question, code: str, runs: int) -> list[float]:
    """Seconds to call the entry point on every case's inputs, the module loaded beforehand."""
    expected = expected_for(question, settings.cache_dir, settings.reference_timeout_s)
    module = types.ModuleType("candidate")
    exec(compile(code, "candidate.py", "exec"), module.__dict__)  # noqa: S102 - the bundled solution, trusted here
    calls = [(getattr(module, case.call), *expected.inputs(case)) for case in expected.cases]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        for fn, args, kwargs in calls:
            fn(*args, **kwargs)
        times.append(time.perf_counter() - t0)
    return times


def command(backend: str, question_id: str, path: str, runs: int, env: dict[str, str]) -> dict[str, Any]:
    """``grader check`` in a new process each time: wall and CPU (self and reaped descendants)."""
    argv = [sys.executable, "-m", "grader.cli", "check", question_id, path, "--json", "--backend", backend]
    subprocess.run(argv, check=True, capture_output=True, env=env)  # writes the bytecode cache: not counted
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True, env=env)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return {"wall_s": summary(walls), "cpu_s": summary(cpus), "runs": runs}


def command_env(overrides: dict[str, int] | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for name, value in (overrides or {}).items():
        env[f"GRADER_{name.upper()}"] = str(value)
    return env


def measure(settings: Settings, backend: str, question_id: str, args: argparse.Namespace) -> dict[str, Any]:
    question = find_question(settings.tasks_dir, question_id)
    assert isinstance(question, Question)
    path = REPO_ROOT / "tasks" / question_id / "solutions" / QUESTIONS[question_id]
    code = path.read_text()
    results: dict[str, Any] = {}
    for mode, overrides in pool_modes().items():
        configured = settings if overrides is None else settings.model_copy(update=overrides)
        pause = args.pause_s if overrides is None else 0.0
        phases, totals = in_process(configured, backend, question, code, args.runs, pause, overrides is None)
        entry: dict[str, Any] = {
            "in_process": phases,
            "command": command(backend, question_id, str(path), args.command_runs, command_env(overrides)),
        }
        if not question.spec.uses_torch:
            bare = statistics.median(bare_call(settings, question, code, args.runs))
            grade_total = statistics.median(totals)
            entry["overhead"] = {"grade_total_s": round(grade_total, 4), "bare_call_s": round(bare, 4),
                                 "overhead_s": round(grade_total - bare, 4)}
        results[mode] = entry
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--command-runs", type=int, default=10)
    parser.add_argument("--backends", default="bwrap", help="Comma-separated sandbox backends (bwrap,docker).")
    parser.add_argument("--questions", default=",".join(QUESTIONS), help="Comma-separated, among: "
                        + ", ".join(QUESTIONS))
    parser.add_argument("--pause-s", type=float, default=3.0, help="Wait before each pooled run (a refill).")
    args = parser.parse_args()
    settings = Settings.load()
    results: dict[str, Any] = {
        "machine": {"cores": len(os.sched_getaffinity(0)), "python": platform.python_version(),
                    "load_average_at_start": [round(x, 2) for x in os.getloadavg()]},
        "pool": "available" if pool_available() else "not available",
        "runs": args.runs, "backends": {},
    }
    for backend in args.backends.split(","):
        results["backends"][backend] = {q: measure(settings, backend, q, args) for q in args.questions.split(",")}
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
