"""Load on a running compose stack, one worker killed mid-load, then the checks.

``scripts/compose-e2e.sh`` brings the stack up and calls this with the API's address, an
admin key and the compose project. It submits ``--count`` submissions through the API (an
accepted and a wrong ``conv1d_full`` answer and a short answer, from ``tasks/*/solutions``,
whose first line or ``expect`` field gives the verdict each must get), kills one worker
container with ``docker kill`` while it grades (one of its sandbox containers is running),
waits up to ``--deadline-s`` for every submission to end, and checks that each one ended
``completed`` with a report whose verdict is the expected one, and that the workers stored
exactly one report for it (their logs, the killed worker's included). Every API answer must
be a 2xx. Exit status 0 when every check passes, 1 otherwise.

Standard library only, run on the host.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SOLUTIONS = (  # the mix, in turn
    "tasks/conv1d_full/solutions/accepted_loops.py",
    "tasks/conv1d_full/solutions/wrong_no_flip.py",
    "tasks/cnn_building_blocks/solutions/accepted_ints.json",
)
SANDBOX_OWNER = "dl-grader.owner"  # sandbox.docker_backend.OWNER: "host:pid:start" of the worker
# What grader.worker.tasks logs when it stores a report: once per submission (store.finish
# stores only the first), however many workers graded it.
STORED = re.compile(r"submission ([0-9a-f-]{36}): (\w+)")
EXPECT = re.compile(r"^# expect: (\w+)")  # a coding solution's first line (grader tasks validate's rule)


def expectation(path: Path) -> tuple[str, dict[str, Any]]:
    """The verdict a bundled solution must get, and what to send for it (its code, or its answers)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        data = json.loads(text)
        return data["expect"], {"answers": data["answers"]}
    match = EXPECT.match(text)
    assert match, f"{path}: no '# expect: VERDICT' line"
    return match.group(1), {"code": text}


def say(message: str) -> None:
    print(f"[drive] {message}", flush=True)


class Api:
    """The grader's HTTP API with one key; any answer but a 2xx raises."""

    def __init__(self, url: str, key: str) -> None:
        self.url, self.key = url.rstrip("/"), key

    def call(self, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.url + path, data=data, method="POST" if body is not None else "GET",
            headers={"Authorization": f"Bearer {self.key}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            raise SystemExit(f"FAIL: {request.method} {path} answered {exc.code}: {exc.read()[:500]!r}") from exc


def workload(count: int, candidate: str) -> list[tuple[dict[str, Any], str]]:
    """``count`` request bodies and the verdict each must get."""
    jobs = []
    for i in range(count):
        path = REPO / SOLUTIONS[i % len(SOLUTIONS)]
        verdict, answer = expectation(path)
        body: dict[str, Any] = {"question_id": path.parents[1].name, "candidate": candidate, "metadata": {"n": i}}
        body.update(answer)
        jobs.append((body, verdict))
    return jobs


def docker(*args: str) -> str:
    return subprocess.run(["docker", *args], check=True, capture_output=True, text=True).stdout.strip()


def kill_a_grading_worker(project: str, wait_s: float = 60.0) -> str:
    """``docker kill`` one worker of ``project``, as soon as a sandbox of its is running."""
    workers = docker("ps", "-q", "--filter", f"label=com.docker.compose.project={project}",
                     "--filter", "label=com.docker.compose.service=worker-cpu").split()
    if len(workers) < 2:
        raise SystemExit(f"FAIL: {len(workers)} worker containers running, expected 2")
    victim = workers[0]
    host = docker("inspect", "-f", "{{.Config.Hostname}}", victim)
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        owners = docker("ps", "--filter", "label=dl-grader.sandbox", "--format",
                        f'{{{{.Label "{SANDBOX_OWNER}"}}}}').split()
        if any(owner.startswith(host + ":") for owner in owners):
            break
        time.sleep(0.1)
    else:
        say(f"worker {host} started no sandbox within {wait_s:.0f} s; killing it anyway")
    docker("kill", victim)
    return host


def stored_reports(project: str) -> Counter[str]:
    """How many times each submission's report was stored, from every worker's log (killed ones too)."""
    workers = docker("ps", "-aq", "--filter", f"label=com.docker.compose.project={project}",
                     "--filter", "label=com.docker.compose.service=worker-cpu").split()
    counts: Counter[str] = Counter()
    for worker in workers:
        logs = subprocess.run(["docker", "logs", worker], check=True, capture_output=True, text=True)
        counts.update(match.group(1) for match in STORED.finditer(logs.stdout + logs.stderr))
    return counts


def wait_for_all(api: Api, candidate: str, count: int, deadline_s: float) -> list[dict[str, Any]]:
    """The candidate's submissions once all have ended, or when the deadline passes."""
    deadline, last_note = time.monotonic() + deadline_s, 0.0
    while True:
        items = api.call(f"/v1/submissions?candidate={candidate}&limit=200")["items"]
        states = Counter(item["status"] for item in items)
        ended = states["completed"] + states["failed"]
        if (ended == count and len(items) == count) or time.monotonic() > deadline:
            return list(items)
        if time.monotonic() - last_note > 15:
            say(f"{dict(states)}")
            last_note = time.monotonic()
        time.sleep(2)


def check(items: list[dict[str, Any]], expected: dict[int, str], stored: Counter[str]) -> dict[int, str]:
    """What is wrong with each submission at the end, by its number; empty when nothing is."""
    problems = {n: "not stored" for n in expected}
    for item in items:
        n, report = item["metadata"]["n"], item.get("report")
        if n not in problems or problems[n] != "not stored":
            problems[n] = f"stored more than once ({item['id']})"
        elif item["status"] != "completed" or report is None:
            problems[n] = f"{item['id']}: {item['status']}, report {'present' if report else 'missing'}"
        elif report["verdict"] != expected[n] or item["verdict"] != expected[n]:
            problems[n] = f"{item['id']}: verdict {report['verdict']}, expected {expected[n]}"
        elif stored[item["id"]] != 1:
            problems[n] = f"{item['id']}: the workers' logs show {stored[item['id']]} reports stored"
        else:
            del problems[n]
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--project", required=True, help="the compose project whose worker is killed")
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--kill-after", type=int, default=8, help="reports stored before the kill")
    parser.add_argument("--deadline-s", type=float, default=600.0)
    args = parser.parse_args()
    api, candidate = Api(args.url, args.key), f"e2e-{uuid.uuid4().hex[:12]}"

    jobs = workload(args.count, candidate)
    with ThreadPoolExecutor(max_workers=4) as pool:
        created = list(pool.map(lambda job: api.call("/v1/submissions", job[0]), jobs))
    expected = {i: verdict for i, (_, verdict) in enumerate(jobs)}
    say(f"submitted {len(created)} ({dict(Counter(expected.values()))}) as candidate {candidate}")

    started = time.monotonic()
    while time.monotonic() - started < args.deadline_s:
        done = api.call(f"/v1/submissions?candidate={candidate}&status=completed&limit=200")["items"]
        if len(done) >= args.kill_after:
            break
        time.sleep(0.5)
    host = kill_a_grading_worker(args.project)
    say(f"killed worker {host} with {len(done)} of {args.count} reports stored")

    items = wait_for_all(api, candidate, args.count, args.deadline_s - (time.monotonic() - started))
    problems = check(items, expected, stored_reports(args.project))
    redelivered = sum(1 for item in items if item["attempts"] > 1)
    say(f"{len(items)} stored, {sum(1 for i in items if i['status'] == 'completed')} completed, "
        f"{redelivered} graded again after the kill, in {time.monotonic() - started:.0f} s")
    for n, problem in sorted(problems.items()):
        say(f"FAIL #{n}: {problem}")
    print(f"{args.count - len(problems)} passed, {len(problems)} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
