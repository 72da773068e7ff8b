"""Worker processes as children that die with their parent, restarted when they die alone.

``grader serve`` runs ``grader worker`` this way, and ``grader worker`` runs its webhook pool
this way. Each child asks the kernel for SIGKILL when its parent dies (``PR_SET_PDEATHSIG``),
so a parent killed with SIGKILL leaves no orphan; on a clean stop the parent kills each
child's process group. ``grader serve`` holds a lock file in the data dir that its children
inherit, so a second ``serve`` on the same data dir refuses while any of them lives.
"""

from __future__ import annotations

import ctypes
import fcntl
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
RESTART_DELAYS_S = (1.0, 2.0, 5.0, 10.0, 30.0)  # after a child's 1st, 2nd... death in a row


def die_with_parent(parent_pid: int) -> None:
    """Be killed (SIGKILL) when the parent dies; exit at once if it already has."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent_pid:  # it died before the request above took effect
        os._exit(1)


def worker_argv(queues: list[str], concurrency: int | None = None) -> list[str]:
    """The command of a ``grader worker`` child of this process."""
    argv = [sys.executable, "-m", "grader.cli", "worker", "--queues", ",".join(queues),
            "--parent-pid", str(os.getpid())]
    return argv + (["--concurrency", str(concurrency)] if concurrency else [])


class Supervisor:
    """Starts the children, restarts one that dies (after a growing delay), stops them all."""

    def __init__(self, commands: list[list[str]], stop_timeout_s: float = 20.0) -> None:
        self.commands = commands
        self.stop_timeout_s = stop_timeout_s
        self.children: list[subprocess.Popen[bytes] | None] = [None] * len(commands)
        self.started_at = [0.0] * len(commands)
        self._stopping = threading.Event()
        self._lock = threading.Lock()

    def start(self) -> None:
        for index in range(len(self.commands)):
            self._spawn(index)
        threading.Thread(target=self._watch, name="grader-supervisor", daemon=True).start()

    def pids(self) -> list[int]:
        return [child.pid for child in self.children if child is not None]

    def _spawn(self, index: int) -> None:
        with self._lock:
            if self._stopping.is_set():
                return
            # close_fds=False passes only inheritable descriptors: the serve lock, if any.
            self.children[index] = subprocess.Popen(self.commands[index], start_new_session=True, close_fds=False)
            self.started_at[index] = time.monotonic()

    def _watch(self) -> None:
        deaths = [0] * len(self.commands)  # quick deaths in a row: a worker that cannot start backs off
        while not self._stopping.wait(0.5):
            for index, child in enumerate(self.children):
                if child is None or child.poll() is None:
                    continue
                quick = time.monotonic() - self.started_at[index] < 60
                deaths[index] = deaths[index] + 1 if quick else 1
                delay = RESTART_DELAYS_S[min(deaths[index], len(RESTART_DELAYS_S)) - 1]
                log.warning("worker %d exited with %s; starting another in %g s", child.pid, child.returncode, delay)
                if self._stopping.wait(delay):
                    return
                self._spawn(index)

    def stop(self) -> None:
        """SIGTERM every child's process group (a warm shutdown), SIGKILL what is left after the timeout."""
        with self._lock:
            self._stopping.set()
        live = [c for c in self.children if c is not None]
        for child in live:
            _signal_group(child.pid, signal.SIGTERM)
        deadline = time.monotonic() + self.stop_timeout_s
        for child in live:
            try:
                child.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                log.warning("worker %d did not stop in %g s: killed", child.pid, self.stop_timeout_s)
            _signal_group(child.pid, signal.SIGKILL)  # also whatever it left in its group
            child.wait()


def _signal_group(pid: int, signum: signal.Signals) -> None:
    try:
        os.killpg(pid, signum)
    except ProcessLookupError:
        pass


class DataDirInUse(Exception):
    """Another ``grader serve`` (or one of its workers) still runs on this data dir."""


def hold_data_dir(data_dir: Path, wait_s: float = 10.0) -> int:
    """Lock ``data_dir/serve.lock`` for this process and its children; return the descriptor.

    The lock lives as long as any process holding the descriptor: children inherit it, so a
    worker that outlives its ``serve`` for a moment still counts. Waits ``wait_s`` for a
    previous one to finish dying, then raises :class:`DataDirInUse`.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "serve.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    deadline = time.monotonic() + wait_s
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
                os.close(fd)
                raise DataDirInUse(f"another grader serve (pid {holder}) is running on {data_dir}") from None
            time.sleep(0.2)
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    os.set_inheritable(fd, True)
    return fd
