"""The fork server's host side: a zygote per profile, and each sandbox forked from it in ~10 ms.

Starting a sandbox costs importing NumPy (~0.1 s of CPU) or torch (~1.5 s) in a fresh
process. The zygote (``sandbox/zygote.py``) imports them once, inside bubblewrap on the
sandbox image, and forks a child per sandbox that makes its own namespaces, ``/tmp``,
identity and seccomp filter before any job reaches it (see that module). The host keeps
what it keeps for any bubblewrap sandbox: the uid slot, the control group (the child is
moved into it before it may go on), the deadlines on every pipe.

Only as root and on the sandbox image (the zygote needs capabilities to build namespaces,
and the image for a root of its own); elsewhere sandboxes start the ordinary way.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import select
import socket
import struct
import subprocess
import threading
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sandbox.base import SandboxProfile
from sandbox.policy.cgroups import Cgroup
from sandbox.policy.mounts import Workspace
from sandbox.session import SandboxStartError, exit_status

log = logging.getLogger(__name__)

ZYGOTE = Path(__file__).with_name("zygote.py")
RUNNER = Path(__file__).with_name("runner.py")


@dataclass(frozen=True)
class ForkRequest:
    """What one forked sandbox is made with (the zygote's side of ``BwrapSandbox.command``)."""

    uid: int
    tmp_mib: int
    tmp_inodes: int
    limits: list[int]  # MEMORY_MIB CPU_S NPROC NOFILE FSIZE, as the runner's arguments
    env: dict[str, str]
    seccomp: bytes

    def payload(self) -> bytes:
        return json.dumps({"uid": self.uid, "tmp_mib": self.tmp_mib, "tmp_inodes": self.tmp_inodes,
                           "limits": self.limits, "env": self.env, "seccomp": self.seccomp.hex()}).encode()


class ForkedProcess:
    """A forked sandbox through the :class:`sandbox.session.Process` interface."""

    def __init__(self, fds: dict[str, int], cgroup: Cgroup, pid: int) -> None:
        self.fds = fds
        self.cgroup = cgroup
        self.pid = pid  # the zygote's child, between it and the sandbox: it reports pid 1's exit status
        self.status: int | None = None

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self.fds["stdin"], view):]

    def read_stdout(self) -> bytes:
        return os.read(self.fds["stdout"], 65536)

    def read_stderr(self) -> bytes:
        return os.read(self.fds["stderr"], 65536)

    def kill(self) -> None:
        # The whole sandbox below the zygote's child, which stays to report how pid 1 ended
        # (the control group's removal ends it too).
        self.cgroup.kill_all(timeout_s=5.0, spare=self.pid)

    def wait(self, timeout_s: float = 10.0) -> int | None:
        """The sandbox's exit status as its pid 1 ended (``None`` when killed before it said)."""
        if self.status is None and "status" in self.fds:
            ready, _, _ = select.select([self.fds["status"]], [], [], timeout_s)
            if ready:
                data = os.read(self.fds["status"], 4)
                self.status = exit_status(struct.unpack("i", data)[0]) if len(data) == 4 else None
        return self.status

    def close(self) -> None:
        for name in ("stdin", "stdout", "stderr", "status"):
            try:
                os.close(self.fds.pop(name))
            except (KeyError, OSError):
                pass


class ForkServer:
    """One zygote for one profile, started on first use and started again when it died."""

    def __init__(self, name: str, profile: SandboxProfile, argv_prefix: list[str], startup_timeout_s: float) -> None:
        self.name = name
        self.profile = profile
        self.argv_prefix = argv_prefix  # bubblewrap with the image root, up to the command
        self.startup_timeout_s = startup_timeout_s
        self.lock = threading.Lock()
        self.popen: subprocess.Popen[bytes] | None = None
        self.control: socket.socket | None = None
        self.workspace: Workspace | None = None
        self._last_words: deque[str] = deque(maxlen=40)  # the zygote's last lines on stderr
        self._drained = threading.Event()  # its stderr reached its end

    def spawn(self, request: ForkRequest, cgroup: Cgroup) -> ForkedProcess:
        """A new sandbox, moved into ``cgroup`` before it does anything of its own."""
        pipes = {name: os.pipe() for name in ("stdin", "stdout", "stderr", "status", "go")}
        theirs = [pipes["stdin"][0], pipes["stdout"][1], pipes["stderr"][1], pipes["status"][1], pipes["go"][0]]
        mine = {"stdin": pipes["stdin"][1], "stdout": pipes["stdout"][0], "stderr": pipes["stderr"][0],
                "status": pipes["status"][0]}
        go = pipes["go"][1]
        try:
            with self.lock:
                pid = self._ask(request, theirs)
            for path in cgroup.join_files():
                path.write_text(str(pid))
            os.write(go, b"1")
        except BaseException:
            for fd in mine.values():
                os.close(fd)
            raise
        finally:
            for fd in (*theirs, go):
                os.close(fd)
        return ForkedProcess(mine, cgroup, pid)

    def _ask(self, request: ForkRequest, fds: list[int]) -> int:
        if self.popen is None or self.popen.poll() is not None:
            self._start()
        assert self.control is not None
        try:
            socket.send_fds(self.control, [request.payload()], fds)
            answer = self._receive(10.0)
        except (OSError, SandboxStartError) as exc:
            self.stop()  # a zygote that does not answer is of no more use
            raise SandboxStartError(f"the fork server did not answer: {exc}") from exc
        if "pid" not in answer:
            raise SandboxStartError(f"the fork server refused: {answer.get('error', answer)}")
        return int(answer["pid"])

    def _receive(self, timeout_s: float) -> dict[str, Any]:
        assert self.control is not None
        ready, _, _ = select.select([self.control], [], [], timeout_s)
        if not ready:
            raise SandboxStartError(f"no answer within {timeout_s:g} s")
        data = self.control.recv(65536)
        if not data:
            raise SandboxStartError("the fork server is gone")
        found: dict[str, Any] = json.loads(data)
        return found

    def _start(self) -> None:
        self.stop()
        self.workspace = Workspace.create(self.name, 4, 64, RUNNER)
        code = self.workspace.path / "grader"  # bound as the image's /opt/grader: the runner and the zygote
        code.mkdir(mode=0o755)
        for source in (RUNNER, ZYGOTE):
            (code / source.name).write_bytes(source.read_bytes())
            (code / source.name).chmod(0o444)
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        argv = [*self.argv_prefix, "--ro-bind", str(code), "/opt/grader", "--remount-ro", "/", "--",
                "/opt/venv/bin/python", "-I", "-B", "/opt/grader/zygote.py",
                "1" if self.profile.uses_torch else "0", self.profile.device, str(theirs.fileno())]
        try:
            self.popen = self._spawn(argv, theirs.fileno())
        finally:
            theirs.close()
        self.control = ours
        try:
            answer = self._receive(self.startup_timeout_s)
        except SandboxStartError as exc:
            diagnostics = self._diagnostics()
            self.stop()
            raise SandboxStartError(f"the fork server did not start: {exc}; {diagnostics}") from exc
        if "ready" not in answer:
            self.stop()
            raise SandboxStartError(f"the fork server did not start: {answer}")

    def _spawn(self, argv: list[str], control_fd: int) -> subprocess.Popen[bytes]:
        """Start the zygote from a thread of its own that lives as long as it does.

        Bubblewrap's ``--die-with-parent`` (and the zygote's own parent-death signal) fire when
        the *thread* that started it ends, not the process: started from a short-lived thread
        (a sandbox started beside the static checks), the zygote would die with it.
        """
        started: queue.Queue[subprocess.Popen[bytes] | BaseException] = queue.Queue()

        def own() -> None:
            try:
                popen = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.PIPE, pass_fds=(control_fd,),
                                         start_new_session=True, env={"PATH": "/usr/bin:/bin"})
            except BaseException as exc:  # noqa: BLE001 - raised in the thread that asked
                started.put(exc)
                return
            started.put(popen)
            self._drain(popen)  # until the zygote's stderr closes: it has ended

        threading.Thread(target=own, name=f"fork-server-{self.name}", daemon=True).start()
        found = started.get(timeout=self.startup_timeout_s)
        if isinstance(found, BaseException):
            raise found
        return found

    def _diagnostics(self) -> str:
        if self.popen is None:
            return ""
        try:
            self.popen.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            return "(still running)"
        self._drained.wait(1.0)  # its last words are read by the thread that started it
        return "\n".join(self._last_words).strip()[-4000:]

    def _drain(self, popen: subprocess.Popen[bytes]) -> None:
        """Log what the zygote writes on stderr (it never should, once started) so that its pipe never
        fills, and keep the last lines: they say why a zygote did not start."""
        assert popen.stderr is not None
        self._drained.clear()
        self._last_words.clear()
        for line in popen.stderr:
            text = line.decode("utf-8", "replace").rstrip()
            self._last_words.append(text)
            log.warning("fork server: %s", text)
        self._drained.set()

    def stop(self) -> None:
        """End the zygote (its sandboxes already forked die with it) and remove its workspace."""
        if self.control is not None:
            self.control.close()
            self.control = None
        if self.popen is not None:
            try:
                os.killpg(self.popen.pid, 9)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                self.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                log.error("the fork server %s did not exit after SIGKILL", self.name)
            self.popen = None
        if self.workspace is not None:
            self.workspace.remove()
            self.workspace = None
