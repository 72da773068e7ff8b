"""What held ``?wait=`` requests cost: ``/healthz`` while 200 waits are held, and how soon a wait ends.

Run by hand: ``.venv/bin/python bench/waits.py [--waits 200] [--probes 50] [--runs 20]``.
Starts a real ``grader serve`` (embedded mode) in a temporary folder, twice:

- with no grading worker (``GRADER_QUEUES='["webhooks"]'``), so submissions stay queued and
  every wait is held to its end: ``/healthz`` timed with no wait held, then with ``--waits``
  held (``?wait=30``);
- with its workers: a short-answer submission posted, then read with ``?wait=30``, ``--runs``
  times: the time from POST to the report (the worker's wake-up ends the wait, not polling).

Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from grader.settings import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT))
from tests.service.processes import SHORT_ANSWER, Client, Serve  # noqa: E402 - after the path is set


def healthz_ms(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url + "/healthz", timeout=30) as response:
        response.read()
    return (time.perf_counter() - start) * 1000


def figures(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"p50_ms": round(statistics.median(ordered), 1),
            "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 1),
            "max_ms": round(ordered[-1], 1)}


def held_waits(folder: Path, waits: int, probes: int) -> dict[str, Any]:
    serve = Serve(folder / "data", folder / "cache", folder / "serve.log", queues=["webhooks"],
                  resend_queued_after_s=3600, max_waiters=waits, max_waits_per_key=waits,
                  rate_limit_per_min=100000).ready(workers=1)
    try:
        client = Client(serve.url, serve.admin_key)
        ids = [client.call("/v1/submissions", SHORT_ANSWER)[1]["id"] for _ in range(10)]
        idle = [healthz_ms(serve.url) for _ in range(probes)]
        with ThreadPoolExecutor(max_workers=waits + 8) as pool:
            held = [pool.submit(client.call, f"/v1/submissions/{ids[n % 10]}?wait=30") for n in range(waits)]
            time.sleep(5)  # every wait is in by now
            busy = [healthz_ms(serve.url) for _ in range(probes)]
            still = sum(not f.done() for f in held)
            statuses = sorted({f.result()[0] for f in held})
        return {"waits_held": still, "wait_statuses": statuses, "healthz_idle": figures(idle),
                "healthz_with_waits_held": figures(busy)}
    finally:
        serve.kill()


def woken(folder: Path, runs: int) -> dict[str, Any]:
    serve = Serve(folder / "data", folder / "cache", folder / "serve.log", rate_limit_per_min=100000).ready()
    try:
        client = Client(serve.url, serve.admin_key)
        client.call(f"/v1/submissions/{client.call('/v1/submissions', SHORT_ANSWER)[1]['id']}?wait=30")  # warm
        spans = []
        for _ in range(runs):
            start = time.perf_counter()
            _, created = client.call("/v1/submissions", SHORT_ANSWER)
            _, view = client.call(f"/v1/submissions/{created['id']}?wait=30")
            assert view["status"] == "completed", view
            spans.append((time.perf_counter() - start) * 1000)
        return {"question": SHORT_ANSWER["question_id"], "post_to_report": figures(spans)}
    finally:
        serve.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--waits", type=int, default=200)
    parser.add_argument("--probes", type=int, default=50)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="grader-bench-waits-") as tmp:
        folder = Path(tmp)
        for part in ("held", "woken"):
            (folder / part).mkdir()
        result = {"held": held_waits(folder / "held", args.waits, args.probes),
                  "woken": woken(folder / "woken", args.runs)}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
