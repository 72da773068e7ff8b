"""Real processes for the reliability tests: ``grader serve``, an API process, workers, a Redis that
restarts without its data, process trees read from ``/proc``, and an HTTP client that survives kills."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

from grader.settings import REPO_ROOT
from grader.storage.db import make_engine, sessions
from grader.storage.keys import create_key
from submissions_schema import KeyRole
from tests.service.servers import free_port, wait_for_port

SHORT_ANSWER = {"question_id": "vgg_storage_mb", "answers": {"size": "553.4 MB"}}
CONV1D = (REPO_ROOT / "tasks" / "conv1d_full" / "solutions" / "accepted_loops.py").read_text()


def grader_env(settings: dict[str, Any]) -> dict[str, str]:
    """This environment without GRADER_* settings, plus ``settings`` as GRADER_* variables.

    Workers do not warm the bank unless asked (``warm_on_start``): each test's cache starts
    empty, and computing every variant of every question there would only load the machine.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRADER_")}
    for name, value in {"warm_on_start": False, **settings}.items():
        env[f"GRADER_{name.upper()}"] = json.dumps(value) if isinstance(value, (list, tuple)) else str(value)
    return env


def children_of(pid: int) -> list[int]:
    """Live processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def command_of(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def until(check: Any, timeout_s: float, what: str, every_s: float = 0.1) -> Any:
    """Call ``check`` until it returns something true; fail after ``timeout_s`` (never hang)."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not after {timeout_s} s")
        time.sleep(every_s)


class Serve:
    """``grader serve`` in its own process group, its output collected in a log file."""

    def __init__(self, data_dir: Path, cache_dir: Path, log: Path, port: int | None = None, **settings: Any) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = grader_env({"data_dir": data_dir, "cache_dir": cache_dir, **settings})
        self.log_path = log
        with open(log, "ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "grader.cli", "serve", "--port", str(self.port)], env=self.env,
                stdout=out, stderr=subprocess.STDOUT, start_new_session=True, cwd=REPO_ROOT)
        self.pid = self.process.pid

    def ready(self, workers: int = 2, timeout_s: float = 90) -> Serve:
        """Serving, with its ``workers`` (a grading worker and its webhook worker, by default)."""
        until(lambda: "admin key:" in self.output() or self.process.poll() is not None, timeout_s, "serve started")
        assert self.process.poll() is None, self.output()
        wait_for_port(self.port)
        until(lambda: len(self.workers()) == workers, timeout_s, f"serve's {workers} workers started")
        return self

    @property
    def admin_key(self) -> str:
        key: str = self.output().split("admin key:", 1)[1].split()[0]
        return key

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def workers(self) -> list[int]:
        """Its grading worker (its child) and that worker's webhook worker (a grandchild)."""
        grading = [p for p in children_of(self.pid) if "grader.cli worker" in command_of(p)]
        return grading + [p for g in grading for p in children_of(g) if "grader.cli worker" in command_of(p)]

    def grading_worker(self) -> int:
        found: list[int] = until(lambda: [p for p in children_of(self.pid) if "grader.cli worker" in command_of(p)],
                                 60, "a grading worker")
        return found[0]

    def kill(self) -> None:
        self.stop(signal.SIGKILL, timeout_s=30)

    def stop(self, signum: int = signal.SIGTERM, timeout_s: float = 60) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            return self.process.wait(timeout=timeout_s)
        finally:
            cleanup_group(self.pid)


def cleanup_group(pid: int) -> None:
    """Whatever a test left of a process group it started (a failed test must not leave workers)."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def make_key(database_url: str, role: str, name: str) -> str:
    engine = make_engine(database_url)
    try:
        with sessions(engine)() as session:
            return create_key(session, KeyRole(role), name)
    finally:
        engine.dispose()


class Redis:
    """A redis-server on a fixed port that a test stops and starts again, without persistence."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Redis:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port)
        return self

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


class Client:
    """Talks to an API that may be killed under it: connection failures are retried, statuses counted."""

    def __init__(self, url: str, key: str) -> None:
        self.url, self.key = url, key
        self.statuses: Counter[int] = Counter()
        self.server_errors: list[str] = []
        self._lock = threading.Lock()

    def call(self, path: str, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None,
             timeout_s: float = 120) -> tuple[int, Any]:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                status, answer = self._once(path, body, headers or {})
            except (urllib.error.URLError, http.client.HTTPException, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)  # the API process is down: a client tries again
                continue
            with self._lock:
                self.statuses[status] += 1
                if status >= 500:
                    self.server_errors.append(f"{status} {path}: {answer}")
            return status, answer

    def _once(self, path: str, body: dict[str, Any] | None, headers: dict[str, str]) -> tuple[int, Any]:
        request = urllib.request.Request(
            self.url + path, data=json.dumps(body).encode() if body is not None else None, method="POST"
            if body is not None else "GET", headers={"Authorization": f"Bearer {self.key}",
                                                       "Content-Type": "application/json", **headers})
        try:
            with urllib.request.urlopen(request, timeout=90) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            raw = exc.read()
            try:
                return exc.code, json.loads(raw)
            except ValueError:
                return exc.code, raw[:300]


class Process:
    """A command in its own process group, its output appended to a log file; killed group and all."""

    def __init__(self, argv: list[str], env: dict[str, str], log: Path) -> None:
        self.argv, self.env, self.log = argv, env, log
        self.process = self._start()

    def _start(self) -> subprocess.Popen[bytes]:
        with open(self.log, "ab") as out:
            return subprocess.Popen(self.argv, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                    start_new_session=True, cwd=REPO_ROOT)

    def kill(self) -> None:
        cleanup_group(self.process.pid)
        self.process.wait()

    def restart(self) -> None:
        self.kill()
        self.process = self._start()


def api_process(env: dict[str, str], port: int, log: Path) -> Process:
    """The API alone, as a WSGI server would run it in production (here waitress)."""
    argv = [sys.executable, "-m", "waitress", "--host=127.0.0.1", f"--port={port}", "--threads=16",
            "--call", "grader.api:create_app"]
    return Process(argv, env, log)


def worker_process(env: dict[str, str], log: Path) -> Process:
    return Process([sys.executable, "-m", "grader.cli", "worker", "--concurrency", "2"], env, log)
