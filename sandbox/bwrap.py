"""The bubblewrap backend: a fresh set of namespaces per submission, about 10 ms to start.

Isolation, in layers:

- namespaces: no network (only a loopback of its own), its own PIDs (when the
  runner's first process dies, the kernel kills everything left in it), IPC, UTS;
- files: a read-only view of ``/usr``, the Python installation and the runner,
  nothing else of the host (no question folders, no cache, no home); a fresh
  ``/tmp`` tmpfs with a size cap; the root remounted read-only;
- identity: when the host runs as root, the runner is started as a dedicated
  unprivileged uid (one per concurrent sandbox, held by a lock file) with no
  capabilities and ``no_new_privs``; otherwise bubblewrap's user namespace maps the
  caller to an unprivileged user;
- limits: the runner sets hard rlimits on data memory, CPU, processes, file size and
  open files before it loads anything; the host enforces the wall clock and kills the
  whole process group, then every process left with the sandbox's uid.
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sandbox.base import SandboxJob, SandboxProfile, SandboxRun
from sandbox.session import SandboxStartError, Session, SingleUse, StreamLimits, exit_status

RUNNER = Path(__file__).with_name("runner.py")
RUNNER_IN_SANDBOX = "/opt/grader/runner.py"
PASSED_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


class UidSlot:
    """An unprivileged uid held for one sandbox through an exclusive lock file."""

    def __init__(self, uid: int, handle: int) -> None:
        self.uid = uid
        self._handle = handle

    @classmethod
    def acquire(cls, lock_dir: Path, base: int, count: int) -> UidSlot:
        lock_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        for uid in range(base, base + count):
            handle = os.open(lock_dir / f"uid-{uid}.lock", os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(handle)
                continue
            return cls(uid, handle)
        raise SandboxStartError(f"all {count} sandbox uids from {base} are in use")

    def release(self) -> None:
        kill_uid(self.uid)
        os.close(self._handle)


def kill_uid(uid: int, rounds: int = 50) -> None:
    """SIGKILL every process whose real uid is ``uid`` until none is left."""
    for _ in range(rounds):
        found = False
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                status = Path(entry.path, "status").read_text()
            except OSError:
                continue
            uid_line = next((line for line in status.splitlines() if line.startswith("Uid:")), "")
            if uid_line.split()[1:2] == [str(uid)]:
                found = True
                try:
                    os.kill(int(entry.name), signal.SIGKILL)
                except ProcessLookupError:
                    pass
        if not found:
            return
        time.sleep(0.01)


class PopenProcess:
    """A bubblewrap process seen through the :class:`sandbox.session.Process` interface."""

    def __init__(self, popen: subprocess.Popen[bytes]) -> None:
        self.popen = popen

    def write(self, data: bytes) -> None:
        assert self.popen.stdin is not None
        self.popen.stdin.write(data)
        self.popen.stdin.flush()

    def read_stdout(self) -> bytes:
        assert self.popen.stdout is not None
        return os.read(self.popen.stdout.fileno(), 65536)

    def read_stderr(self) -> bytes:
        assert self.popen.stderr is not None
        return os.read(self.popen.stderr.fileno(), 65536)

    def kill(self) -> None:
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def wait(self) -> int | None:
        try:
            return exit_status(self.popen.wait(timeout=10))
        except subprocess.TimeoutExpired:
            return None


class BwrapPrepared(SingleUse):
    """A started bubblewrap sandbox with its libraries loaded, waiting for one job."""

    def __init__(self, session: Session, popen: subprocess.Popen[bytes], slot: UidSlot | None, grace_s: float):
        super().__init__(session, grace_s)
        self.popen = popen
        self.slot = slot

    def close(self) -> None:
        self.session.process.kill()
        self.session.process.wait()
        self.session.join()  # the reader threads end at EOF; only then may the pipes close
        for pipe in (self.popen.stdin, self.popen.stdout, self.popen.stderr):
            try:
                if pipe is not None:
                    pipe.close()
            except OSError:
                pass
        if self.slot is not None:
            self.slot.release()
            self.slot = None


class BwrapSandbox:
    """Backend ``bwrap``: see the module docstring for what it isolates."""

    name = "bwrap"

    def __init__(
        self,
        *,
        bwrap_path: str = "bwrap",
        setpriv_path: str = "/usr/bin/setpriv",
        lock_dir: Path = Path("/tmp/grader-sandbox-locks"),
        uid_base: int = 61000,
        uid_count: int = 64,
        tmp_mib: int = 64,
        max_memory_mib: int = 4096,
        cpu_s: int = 120,
        nproc: int = 32,
        nofile: int = 64,
        startup_timeout_s: float = 60.0,
        grace_s: float = 2.0,
        stream_limits: StreamLimits | None = None,
    ) -> None:
        self.bwrap_path = bwrap_path
        self.setpriv_path = setpriv_path
        self.lock_dir = lock_dir
        self.uid_base, self.uid_count = uid_base, uid_count
        self.tmp_mib = tmp_mib
        self.max_memory_mib = max_memory_mib
        self.cpu_s = cpu_s
        self.nproc = nproc
        self.nofile = nofile
        self.startup_timeout_s = startup_timeout_s
        self.grace_s = grace_s
        self.stream_limits = stream_limits or StreamLimits()

    def run(self, job: SandboxJob) -> SandboxRun:
        return self.prepare(job.profile).run(job)

    def prepare(self, profile: SandboxProfile) -> BwrapPrepared:
        as_root = os.geteuid() == 0
        slot = UidSlot.acquire(self.lock_dir, self.uid_base, self.uid_count) if as_root else None
        argv = self.command(profile, slot.uid if slot else None)
        t0 = time.monotonic()
        try:
            popen = subprocess.Popen(
                argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
                close_fds=True,
                env={"PATH": "/usr/bin:/bin"},
            )
        except OSError as exc:
            if slot:
                slot.release()
            raise SandboxStartError(f"cannot start {self.bwrap_path}: {exc}") from exc
        session = Session(PopenProcess(popen), self.name, self.stream_limits)
        prepared = BwrapPrepared(session, popen, slot, self.grace_s)
        try:
            session.wait_ready(self.startup_timeout_s)
        except BaseException:
            prepared.close()
            raise
        session.start_s = time.monotonic() - t0  # spawning bubblewrap too
        return prepared

    def command(self, profile: SandboxProfile, uid: int | None) -> list[str]:
        """The full bubblewrap command line for one sandbox."""
        argv = [self.bwrap_path, "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts"]
        argv += ["--unshare-cgroup-try", "--die-with-parent", "--new-session", "--hostname", "sandbox"]
        if uid is None:
            argv += ["--unshare-user", "--uid", "65534", "--gid", "65534", "--cap-drop", "ALL"]
        argv += ["--size", str(self.tmp_mib * 1024 * 1024), "--perms", "1777", "--tmpfs", "/tmp"]
        argv += self._filesystem()
        argv += ["--proc", "/proc", "--dev", "/dev", "--remount-ro", "/", "--chdir", "/tmp", "--clearenv"]
        for key, value in self._environment().items():
            argv += ["--setenv", key, value]
        argv.append("--")
        if uid is not None:
            argv += [self.setpriv_path, f"--reuid={uid}", f"--regid={uid}", "--clear-groups"]
            argv += ["--no-new-privs", "--bounding-set=-all", "--inh-caps=-all"]
        nproc = self.nproc if uid is not None else self.nproc + _processes_of_user()
        fsize = 1024 * 1024  # per file: captures are checked against the question's own cap
        argv += [sys.executable, "-I", "-B", RUNNER_IN_SANDBOX, str(self.max_memory_mib), str(self.cpu_s)]
        argv += [str(nproc), str(self.nofile), str(fsize), "1" if profile.uses_torch else "0", profile.device]
        return argv

    def _filesystem(self) -> list[str]:
        args: list[str] = ["--ro-bind", "/usr", "/usr"]
        for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64"):
            if os.path.islink(top):
                args += ["--symlink", os.readlink(top), top]
            elif os.path.isdir(top):
                args += ["--ro-bind", top, top]
        for path in ("/etc/ld.so.cache", "/etc/alternatives"):
            if os.path.exists(path):
                args += ["--ro-bind", path, path]
        made: set[str] = set()
        for prefix in sorted({sys.base_prefix, sys.prefix}):
            if not prefix.startswith("/usr/"):
                args += _parents(prefix, made) + ["--ro-bind", prefix, prefix]
        args += _parents(RUNNER_IN_SANDBOX, made) + ["--ro-bind", str(RUNNER), RUNNER_IN_SANDBOX]
        return args

    def _environment(self) -> dict[str, str]:
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": "/tmp",
            "LANG": "C.UTF-8",
            "PYTHONHASHSEED": "0",
            "OMP_NUM_THREADS": "1",
            "OPENBLAS_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "MALLOC_ARENA_MAX": "2",  # each glibc arena reserves address space that RLIMIT_AS counts
        }
        env.update({k: os.environ[k] for k in PASSED_ENV if k in os.environ})
        return env


def _parents(path: str, made: set[str]) -> list[str]:
    """Create the parents of ``path`` world-readable (bubblewrap would make them 0700)."""
    args: list[str] = []
    parts = Path(path).parts[1:-1]
    for i in range(1, len(parts) + 1):
        parent = "/" + "/".join(parts[:i])
        if parent not in made:
            made.add(parent)
            args += ["--perms", "0755", "--dir", parent]
    return args


def _processes_of_user() -> int:
    """Processes and threads of the calling user: RLIMIT_NPROC counts them all."""
    uid = str(os.getuid())
    count = 0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                lines = Path(entry.path, "status").read_text().splitlines()
            except OSError:
                continue
            fields = {line.split(":")[0]: line.split()[1:] for line in lines if ":" in line}
            if fields.get("Uid", [""])[0] == uid:
                count += int(fields.get("Threads", ["1"])[0])
    return count
