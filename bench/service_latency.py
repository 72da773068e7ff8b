"""Latency and throughput of the service, from POST to stored report.

Run by hand: ``.venv/bin/python bench/service_latency.py [--latency-runs 20] [--burst 20]``.
For each mode (embedded: SQLite and a local queue; redis: a Redis broker started here)
it starts the API on a real WSGI server and one worker process (``--concurrency``),
then for ``conv1d_full`` and ``tanh_autograd`` (accepted solutions):

- latency: submissions sent one at a time, p50/p99 from POST to stored report (every variant of
  the questions' hidden inputs computed first, by ``grader tasks warm``);
- throughput: a burst sent at once, graded submissions per second until all are done;
- clients: ``--clients`` clients (8) each sending ``--per-client`` submissions one after the
  other (POST, then wait for the report), for each question alone and for a mix where about a
  quarter are ``tanh_autograd`` (every fourth submission of each client, the first at a
  different place for each): graded per second over the whole run, and p50/p99 from POST to
  report under that load.

Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from grader.settings import REPO_ROOT

QUESTIONS = {"conv1d_full": "accepted_loops.py", "tanh_autograd": "accepted_stable_exp.py"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Service:
    """API (waitress, in a thread) and one worker process for one mode."""

    def __init__(self, folder: Path, broker_url: str | None, concurrency: int) -> None:
        from waitress import create_server

        from grader.api import create_app
        from grader.settings import Settings
        from grader.storage.db import make_engine, sessions
        from grader.storage.keys import KeyRole, create_key

        # One key sends every submission: the per-key rate limit would measure itself, not the grader.
        # The bench's questions are warmed below; a worker warming the rest of the bank on start
        # would share the CPU with the measured submissions for minutes.
        env = {"GRADER_DATA_DIR": str(folder / "data"), "GRADER_CACHE_DIR": str(folder / "cache"),
               "GRADER_RATE_LIMIT_PER_MIN": "1000000", "GRADER_WARM_ON_START": "0"}
        if broker_url:
            env["GRADER_BROKER_URL"] = broker_url
        os.environ.update(env)
        settings = Settings.load()
        self.server = create_server(create_app(settings), host="127.0.0.1", port=free_port(), threads=8)
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        threading.Thread(target=self.server.run, daemon=True).start()
        with sessions(make_engine(settings.effective_database_url))() as session:
            self.key = create_key(session, KeyRole.interviewer, "bench")
        # After warm-up means every variant of hidden inputs cached, as `grader tasks warm` leaves
        # a deployment: otherwise a submission drawing a new variant waits for a reference process.
        subprocess.run([sys.executable, "-m", "grader.cli", "tasks", "warm", *QUESTIONS],
                       env={**os.environ, **env}, check=True, stdout=subprocess.DEVNULL)
        self.worker = subprocess.Popen(
            [sys.executable, "-m", "grader.cli", "worker", "--concurrency", str(concurrency)],
            env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        for name in env:
            del os.environ[name]

    def call(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        request = urllib.request.Request(
            self.url + path, data=json.dumps(body).encode() if body else None,
            headers={"Authorization": f"Bearer {self.key}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            result: dict[str, Any] = json.loads(response.read())
            return result

    def graded(self, submission_id: str) -> dict[str, Any]:
        while True:
            view = self.call(f"/v1/submissions/{submission_id}?wait=30")
            if view["status"] in ("completed", "failed"):
                assert view["verdict"] == "accepted", view
                return view

    def close(self) -> None:
        os.killpg(self.worker.pid, signal.SIGTERM)
        self.worker.wait(timeout=30)
        self.server.close()


def measure(service: Service, question_id: str, runs: int, burst: int) -> dict[str, Any]:
    code = (REPO_ROOT / "tasks" / question_id / "solutions" / QUESTIONS[question_id]).read_text()
    body = {"question_id": question_id, "code": code}
    service.graded(service.call("/v1/submissions", body)["id"])  # warm: caches, imports
    latencies = []
    for _ in range(runs):
        t0 = time.perf_counter()
        service.graded(service.call("/v1/submissions", body)["id"])
        latencies.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    ids = [service.call("/v1/submissions", body)["id"] for _ in range(burst)]
    for submission_id in ids:
        service.graded(submission_id)
    elapsed = time.perf_counter() - t0
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]
    return {
        "latency_s": {"p50": round(statistics.median(ordered), 3), "p99": round(p99, 3), "runs": runs},
        "throughput_per_s": round(burst / elapsed, 2), "burst": burst,
    }


def under_load(service: Service, plan: list[list[str]]) -> dict[str, Any]:
    """Each inner list is one client's questions, sent one after the other; all clients at once."""
    bodies = {q: {"question_id": q, "code": (REPO_ROOT / "tasks" / q / "solutions" / QUESTIONS[q]).read_text()}
              for q in QUESTIONS}
    latencies: list[float] = []
    errors: list[BaseException] = []

    def client(questions: list[str]) -> None:
        try:
            for question_id in questions:
                t0 = time.perf_counter()
                service.graded(service.call("/v1/submissions", bodies[question_id])["id"])
                latencies.append(time.perf_counter() - t0)
        except BaseException as exc:  # noqa: BLE001 - reported after the run
            errors.append(exc)

    threads = [threading.Thread(target=client, args=(questions,)) for questions in plan]
    t0 = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - t0
    if errors:
        raise errors[0]
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]
    return {"graded_per_s": round(len(ordered) / elapsed, 2), "submissions": len(ordered),
            "latency_s": {"p50": round(statistics.median(ordered), 3), "p99": round(p99, 3)}}


def load_plans(clients: int, per_client: int) -> dict[str, list[list[str]]]:
    """Each question alone, and the mix: every fourth submission of a client is the torch one."""
    plans = {q: [[q] * per_client for _ in range(clients)] for q in QUESTIONS}
    plans["mix"] = [["tanh_autograd" if (i + c) % 4 == 0 else "conv1d_full" for i in range(per_client)]
                    for c in range(clients)]
    return plans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-runs", type=int, default=20)
    parser.add_argument("--burst", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--per-client", type=int, default=6)
    parser.add_argument("--modes", default="embedded,redis")
    args = parser.parse_args()
    results: dict[str, Any] = {"concurrency": args.concurrency, "cores": os.cpu_count(), "modes": {}}
    with tempfile.TemporaryDirectory() as tmp:
        redis_port = free_port()
        redis = subprocess.Popen(["redis-server", "--port", str(redis_port), "--save", "", "--dir", tmp],
                                 stdout=subprocess.DEVNULL)
        try:
            brokers = {"embedded": None, "redis": f"redis://127.0.0.1:{redis_port}/0"}
            for mode in args.modes.split(","):
                service = Service(Path(tmp) / mode, brokers[mode], args.concurrency)
                try:
                    found: dict[str, Any] = {q: measure(service, q, args.latency_runs, args.burst)
                                             for q in QUESTIONS}
                    found[f"clients_{args.clients}"] = {
                        name: under_load(service, plan)
                        for name, plan in load_plans(args.clients, args.per_client).items()}
                    results["modes"][mode] = found
                finally:
                    service.close()
        finally:
            redis.terminate()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
