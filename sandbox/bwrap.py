"""The bubblewrap backend: a fresh set of namespaces per submission, about 10 ms to start.

Isolation, in layers (see docs/security.md for what each one holds):

- namespaces: no network (only a loopback of its own), its own PIDs (when the
  sandbox's pid 1 dies, the kernel kills everything left in it), IPC, UTS;
- files: the sandbox image's root filesystem, read-only (a squashfs loop-mounted once
  per host), so nothing of the host shows, not even in ``/proc/self/mountinfo``; a
  ``/tmp`` of its own (a tmpfs with size and inode caps) and the runner, read-only.
  Without the image (not root, or not built) the host's ``/usr`` and Python are bound
  read-only instead, and their paths show;
- identity: when the host runs as root, the runner is started as a dedicated
  unprivileged uid (one per concurrent sandbox, held by a lock file) with no
  capabilities and ``no_new_privs``; otherwise bubblewrap's user namespace maps the
  caller to an unprivileged user. Pid 1 inside is the runner's own minimal init, not
  bubblewrap, and cannot be traced or signalled by the candidate;
- system calls: the seccomp policy of ``sandbox.policy.seccomp``;
- accounting: as root, a control group per sandbox (memory with shared memory, tmpfs
  and kernel memory counted; processes; one CPU), created and removed by the host;
- limits: the runner sets hard rlimits before it loads anything; the host enforces the
  wall clock and kills the control group, the process group and every process left with
  the sandbox's uid.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from sandbox.base import SandboxJob, SandboxProfile, SandboxRun
from sandbox.forkserver import ForkedProcess, ForkRequest, ForkServer
from sandbox.policy import seccomp
from sandbox.policy.cgroups import Cgroup, CgroupError, CgroupHost, detect
from sandbox.policy.mounts import RUN_DIR, MountError, Workspace, leftover_workspaces, root_image
from sandbox.session import SandboxStartError, Session, SingleUse, StreamLimits, exit_status

log = logging.getLogger(__name__)

RUNNER = Path(__file__).with_name("runner.py")
RUNNER_IN_SANDBOX = "/opt/grader/runner.py"
IMAGE_PYTHON = "/opt/venv/bin/python"
PASSED_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
FILE_SIZE = 1024 * 1024  # per file: captures are checked against the question's own cap


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

    def release(self, kill: bool = True) -> None:
        """Give the uid back; with ``kill``, after ending whatever still runs as it."""
        if kill:
            kill_uid(self.uid)
        os.close(self._handle)


def kill_uid(uid: int, rounds: int = 200) -> bool:
    """SIGKILL every process whose real uid is ``uid`` until none is left; ``False`` if some survived."""
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
            return True
        time.sleep(0.01)
    log.error("processes of sandbox uid %d survived %d rounds of SIGKILL", uid, rounds)
    return False


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

    def wait(self, timeout_s: float = 10.0) -> int | None:
        try:
            return exit_status(self.popen.wait(timeout=timeout_s))
        except subprocess.TimeoutExpired:
            return None

    def close(self) -> None:
        for pipe in (self.popen.stdin, self.popen.stdout, self.popen.stderr):
            try:
                if pipe is not None:
                    pipe.close()
            except OSError:
                pass


class Resources:
    """What the host made for one sandbox and must undo: uid, workspace, control group."""

    def __init__(self) -> None:
        self.slot: UidSlot | None = None
        self.workspace: Workspace | None = None
        self.cgroup: Cgroup | None = None

    def release(self, wait: bool = True) -> None:
        """Undo everything, in order: processes first, then what they used.

        With a control group, every process of the sandbox is in it (none can leave: the
        group's files are not in the sandbox), so emptying it ends them all; the uid is then
        given back after a last sweep of its processes, which ``wait=False`` leaves to a
        background thread (off the submission's path; the uid stays held until it is done).
        Without a group, the uid is the only handle, and it is swept first.
        """
        cgroup, slot = self.cgroup, self.slot
        if cgroup is not None:
            cgroup.kill_all()
        elif slot is not None:
            kill_uid(slot.uid)
        try:
            if cgroup is not None:
                cgroup.destroy()
        except OSError as exc:
            log.error("cannot remove the sandbox's control group: %s", exc)
        if self.workspace is not None:
            self.workspace.remove()
        self.slot = self.workspace = self.cgroup = None
        if slot is None:
            return
        if cgroup is None:
            slot.release(kill=False)  # swept above, and nothing of the uid can start since
        elif wait:
            slot.release()
        else:
            threading.Thread(target=slot.release, name="uid-sweep", daemon=True).start()


class BwrapPrepared(SingleUse):
    """A started bubblewrap sandbox with its libraries loaded, waiting for one job."""

    def __init__(self, session: Session, process: PopenProcess | ForkedProcess, resources: Resources,
                 grace_s: float):
        super().__init__(session, grace_s)
        self.process = process
        self.resources = resources

    def limit(self, job: SandboxJob) -> None:
        """The question's memory, all of it counted, from here on (the runner itself already loaded)."""
        if self.resources.cgroup is not None:
            try:
                self.resources.cgroup.set_memory(job.limits.memory_mib)
            except OSError as exc:
                raise SandboxStartError(f"cannot set the sandbox's memory to {job.limits.memory_mib} MiB: {exc}") \
                    from exc

    def finish(self, run: SandboxRun) -> SandboxRun:
        cgroup = self.resources.cgroup
        if run.result.killed is None and cgroup is not None and cgroup.oom_kills() > 0:
            run.result.killed = "memory"
        return run

    def close(self) -> None:
        self.process.kill()
        self.resources.release(wait=False)  # the whole control group, then every process of the uid
        self.process.wait()
        self.session.join()  # the reader threads end at EOF; only then may the pipes close
        self.process.close()


class BwrapSandbox:
    """Backend ``bwrap``: see the module docstring for what it isolates."""

    name = "bwrap"

    def __init__(
        self,
        *,
        bwrap_path: str = "bwrap",
        setpriv_path: str = "/usr/bin/setpriv",
        rootfs: Path | None = None,
        lock_dir: Path = Path("/tmp/grader-sandbox-locks"),
        uid_base: int = 61000,
        uid_count: int = 64,
        tmp_mib: int = 64,
        tmp_inodes: int = 4096,
        max_memory_mib: int = 4096,
        cpus: float = 1.0,
        cpu_s: int = 120,
        nproc: int = 32,
        nofile: int = 64,
        startup_timeout_s: float = 60.0,
        grace_s: float = 2.0,
        cgroups: bool = True,
        forkserver: bool = True,
        stream_limits: StreamLimits | None = None,
    ) -> None:
        self.bwrap_path = bwrap_path
        self.setpriv_path = setpriv_path
        self.rootfs = rootfs
        self.lock_dir = lock_dir
        self.uid_base, self.uid_count = uid_base, uid_count
        self.tmp_mib, self.tmp_inodes = tmp_mib, tmp_inodes
        self.max_memory_mib = max_memory_mib
        self.cpus = cpus
        self.cpu_s = cpu_s
        self.nproc = nproc
        self.nofile = nofile
        self.startup_timeout_s = startup_timeout_s
        self.grace_s = grace_s
        self.use_cgroups = cgroups
        self.use_forkserver = forkserver
        self._zygotes: dict[str, ForkServer] = {}
        self._zygotes_lock = threading.Lock()
        self.stream_limits = stream_limits or StreamLimits()
        self._cgroup_host: CgroupHost | None = None

    @property
    def as_root(self) -> bool:
        return os.geteuid() == 0

    @property
    def image(self) -> Path | None:
        """The root image in use (a squashfs file or a folder), or ``None`` for the host layout."""
        return self.rootfs if self.rootfs is not None and self.rootfs.exists() else None

    def cgroup_host(self) -> CgroupHost | None:
        """Where sandbox groups go, or ``None`` when this host cannot give them (then said once in the log)."""
        if not self.use_cgroups or not self.as_root:
            return None
        if self._cgroup_host is None:
            try:
                self._cgroup_host = detect()
            except CgroupError as exc:
                raise SandboxStartError(f"control groups are required but unusable: {exc}") from exc
        return self._cgroup_host

    def run(self, job: SandboxJob) -> SandboxRun:
        return self.prepare(job.profile).run(job)

    def remove_leftovers(self) -> list[str]:
        """Clean every sandbox uid no live grader holds: its processes, control group and workspace.

        A grader killed mid-run leaves them (bubblewrap's ``--die-with-parent`` ends the
        processes; the group and the tmpfs stay). Returns what was removed, for the log.
        """
        if not self.as_root:
            return []
        removed = []
        for uid in range(self.uid_base, self.uid_base + self.uid_count):
            try:
                slot = UidSlot.acquire(self.lock_dir, uid, 1)
            except SandboxStartError:
                continue  # a live sandbox holds it
            found = _leftovers_of(self, uid)
            if found:
                resources = Resources()
                resources.slot, resources.workspace = slot, Workspace(found_workspace(uid))
                host = self.cgroup_host()
                resources.cgroup = host.existing(f"uid-{uid}") if host is not None else None
                resources.release()
                removed.append(f"sandbox uid {uid}: removed {', '.join(found)}")
            else:
                slot.release()
        return removed + _dead_zygotes()

    def prepare(self, profile: SandboxProfile) -> BwrapPrepared:
        t0 = time.monotonic()
        resources = Resources()
        try:
            if self.forks():
                process: PopenProcess | ForkedProcess = self._fork(profile, resources)
            else:
                process = PopenProcess(self._start(profile, resources))
        except BaseException:
            resources.release()
            raise
        session = Session(process, self.name, self.stream_limits)
        prepared = BwrapPrepared(session, process, resources, self.grace_s)
        try:
            session.wait_ready(self.startup_timeout_s)
        except BaseException:
            prepared.close()
            raise
        session.start_s = time.monotonic() - t0  # spawning bubblewrap (or forking) too
        return prepared

    def forks(self) -> bool:
        """Whether sandboxes come from the fork server: as root, on the image, with control groups."""
        return self.use_forkserver and self.as_root and self.image is not None and self.cgroup_host() is not None

    def _claim(self, resources: Resources) -> str:
        """The uid slot and the control group of a new sandbox (as root); its name."""
        resources.slot = UidSlot.acquire(self.lock_dir, self.uid_base, self.uid_count)
        name = f"uid-{resources.slot.uid}"
        host = self.cgroup_host()
        if host is not None:
            resources.cgroup = host.group(name)
            resources.cgroup.limit(self.max_memory_mib, self.nproc, self.cpus)
        return name

    def _start(self, profile: SandboxProfile, resources: Resources) -> subprocess.Popen[bytes]:
        """Make the uid, workspace and control group, then spawn bubblewrap inside the group."""
        if self.as_root:
            name = self._claim(resources)
            try:
                resources.workspace = Workspace.create(name, self.tmp_mib, self.tmp_inodes, RUNNER)
            except MountError as exc:
                raise SandboxStartError(str(exc)) from exc
        try:
            program = seccomp.bpf_fd()
        except RuntimeError as exc:
            raise SandboxStartError(f"cannot build the seccomp filter: {exc}") from exc
        try:
            argv = self.command(profile, resources, program)
            return subprocess.Popen(
                argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                start_new_session=True, close_fds=True, pass_fds=(program,), env={"PATH": "/usr/bin:/bin"},
            )
        except (OSError, MountError) as exc:
            raise SandboxStartError(f"cannot start {self.bwrap_path}: {exc}") from exc
        finally:
            os.close(program)

    def _fork(self, profile: SandboxProfile, resources: Resources) -> ForkedProcess:
        """A sandbox forked from the profile's zygote, made exactly as :meth:`command` would make it."""
        self._claim(resources)
        assert resources.slot is not None and resources.cgroup is not None
        try:
            program = seccomp.bpf_program()
        except RuntimeError as exc:
            raise SandboxStartError(f"cannot build the seccomp filter: {exc}") from exc
        request = ForkRequest(
            uid=resources.slot.uid, tmp_mib=self.tmp_mib, tmp_inodes=self.tmp_inodes,
            limits=[self.max_memory_mib, self.cpu_s, self.nproc, self.nofile, FILE_SIZE],
            env=self._environment(), seccomp=program,
        )
        return self._zygote(profile).spawn(request, resources.cgroup)

    def _zygote(self, profile: SandboxProfile) -> ForkServer:
        key = f"{'torch' if profile.uses_torch else 'numpy'}-{profile.device}"
        with self._zygotes_lock:
            if key not in self._zygotes:
                name = f"zygote-{os.getpid()}-{key}"
                self._zygotes[key] = ForkServer(name, profile, self._zygote_argv(), self.startup_timeout_s)
            return self._zygotes[key]

    def _zygote_argv(self) -> list[str]:
        """bubblewrap for a zygote: the image root, capabilities kept (it builds sandboxes), no seccomp."""
        image = self.image
        assert image is not None
        argv = [self.bwrap_path, "--unshare-ipc", "--unshare-net", "--unshare-uts", "--die-with-parent",
                "--cap-add", "ALL", "--ro-bind", str(root_image(image)), "/", "--dev", "/dev", "--proc", "/proc",
                "--tmpfs", "/tmp", "--chdir", "/", "--clearenv"]
        for key, value in self._environment().items():
            argv += ["--setenv", key, value]
        return argv

    def shutdown(self) -> None:
        """Stop every zygote of this backend (their sandboxes die with them)."""
        with self._zygotes_lock:
            for server in self._zygotes.values():
                server.stop()
            self._zygotes.clear()

    def command(self, profile: SandboxProfile, resources: Resources, seccomp_fd: int) -> list[str]:
        """The full command line for one sandbox: joining its control group, then bubblewrap."""
        uid = resources.slot.uid if resources.slot else None
        argv = [self.bwrap_path, "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts"]
        argv += ["--unshare-cgroup-try", "--die-with-parent", "--new-session", "--as-pid-1", "--hostname", "sandbox"]
        if uid is None:
            argv += ["--unshare-user", "--uid", "65534", "--gid", "65534", "--cap-drop", "ALL"]
        argv += self._filesystem(resources.workspace)
        argv += ["--proc", "/proc", "--dev", "/dev", "--remount-ro", "/", "--chdir", "/tmp", "--clearenv"]
        for key, value in self._environment().items():
            argv += ["--setenv", key, value]
        argv += ["--seccomp", str(seccomp_fd), "--"]
        if uid is not None:
            argv += [self.setpriv_path, f"--reuid={uid}", f"--regid={uid}", "--clear-groups"]
            argv += ["--no-new-privs", "--bounding-set=-all", "--inh-caps=-all"]
        nproc = self.nproc if uid is not None else self.nproc + _processes_of_user()
        fsize = FILE_SIZE
        python = IMAGE_PYTHON if self.image is not None else sys.executable
        argv += [python, "-I", "-B", RUNNER_IN_SANDBOX, str(self.max_memory_mib), str(self.cpu_s)]
        argv += [str(nproc), str(self.nofile), str(fsize), "1" if profile.uses_torch else "0", profile.device]
        return _joining(resources.cgroup, argv)

    def _filesystem(self, workspace: Workspace | None) -> list[str]:
        image = self.image
        args = ["--ro-bind", str(root_image(image)), "/"] if image is not None else _host_system()
        if workspace is not None:
            args += ["--bind", str(workspace.tmp), "/tmp"]
            runner = str(workspace.runner)
        else:
            args += ["--size", str(self.tmp_mib * 1024 * 1024), "--perms", "1777", "--tmpfs", "/tmp"]
            runner = str(RUNNER)
        if image is None:
            args += _parents(RUNNER_IN_SANDBOX, set())
        return args + ["--ro-bind", runner, RUNNER_IN_SANDBOX]

    def _environment(self) -> dict[str, str]:
        path = "/opt/venv/bin:/usr/bin:/bin" if self.image is not None else "/usr/bin:/bin"
        env = {
            "PATH": path,
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


def _dead_zygotes() -> list[str]:
    """Remove the workspaces of fork servers whose grader is gone (``zygote-PID-PROFILE``)."""
    removed = []
    for path in leftover_workspaces():
        owner = path.name.split("-")[1] if path.name.startswith("zygote-") else ""
        if owner.isdigit() and not Path(f"/proc/{owner}").exists():
            Workspace(path).remove()
            removed.append(f"fork server of process {owner}: removed workspace")
    return removed


def found_workspace(uid: int) -> Path:
    return RUN_DIR / "sandbox" / f"uid-{uid}"


def _leftovers_of(backend: BwrapSandbox, uid: int) -> list[str]:
    """What a dead grader left for ``uid``: processes, a control group, a workspace."""
    found = []
    if any(_uid_of(entry.path) == uid for entry in os.scandir("/proc") if entry.name.isdigit()):
        found.append("processes")
    host = backend.cgroup_host()
    if host is not None and host.existing(f"uid-{uid}") is not None:
        found.append("control group")
    if found_workspace(uid).exists():
        found.append("workspace")
    return found


def _uid_of(proc: str) -> int | None:
    try:
        for line in Path(proc, "status").read_text().splitlines():
            if line.startswith("Uid:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def _joining(cgroup: Cgroup | None, argv: list[str]) -> list[str]:
    """``argv`` started from inside ``cgroup``: a shell writes its own pid, then becomes bubblewrap,
    so every process of the sandbox is born in the group (nothing to move afterwards)."""
    if cgroup is None:
        return argv
    joins = " && ".join(f"echo $$ > {shlex.quote(str(path))}" for path in cgroup.join_files())
    return ["/bin/sh", "-c", f'{joins} && exec "$@"', "sh", *argv]


def _host_system() -> list[str]:
    """The host layout: ``/usr``, the library folders and the Python installation, read-only."""
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
    return args


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
