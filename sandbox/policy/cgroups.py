"""One control group per sandbox: memory (shared memory, tmpfs and kernel memory included),
processes and CPU, accounted by the kernel whatever the candidate does.

cgroup v1 (one hierarchy per controller, as on this project's machines) and v2 (one
unified hierarchy) are both handled. Sandboxes' groups live under ``grader-sandboxes``
inside the grader's own group (v1), or beside it (v2, whose "no internal processes" rule
forbids children of a group that holds processes); the trusted side creates, limits,
empties and removes them. :func:`detect` says why groups cannot be used where they cannot.
"""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

PARENT = "grader-sandboxes"
V1_CONTROLLERS = ("memory", "pids", "cpu")
CPU_PERIOD_US = 100_000


class CgroupError(RuntimeError):
    """Control groups are not usable here (not root, not mounted, not delegated)."""


@dataclass(frozen=True)
class CgroupHost:
    """Where sandbox groups are made: per v1 controller, or the one v2 folder."""

    version: int
    parents: dict[str, Path]  # controller (or "unified") -> the folder holding sandbox groups

    def group(self, name: str) -> Cgroup:
        """The group ``name`` (made if missing), emptied and reset if a dead grader left it."""
        group = Cgroup(self.version, {c: p / name for c, p in self.parents.items()})
        if group.exists():
            group.destroy()
        group.create()
        return group

    def existing(self, name: str) -> Cgroup | None:
        """The group ``name`` if it exists now (a live sandbox's, or a dead grader's)."""
        group = Cgroup(self.version, {c: p / name for c, p in self.parents.items()})
        return group if group.exists() else None


class Cgroup:
    """One sandbox's group: its limits, whether the kernel killed for memory, its removal."""

    def __init__(self, version: int, paths: dict[str, Path]) -> None:
        self.version = version
        self.paths = paths

    def exists(self) -> bool:
        return any(path.is_dir() for path in self.paths.values())

    def create(self) -> None:
        for path in self.paths.values():
            path.mkdir(exist_ok=True)

    def join_files(self) -> list[Path]:
        """The files a process writes its pid into to enter this group (one per hierarchy)."""
        return [path / "cgroup.procs" for path in self.paths.values()]

    def limit(self, memory_mib: int, pids: int, cpus: float) -> None:
        """Memory without swap, a process count, a CPU quota."""
        self.set_memory(memory_mib)
        quota = str(max(int(cpus * CPU_PERIOD_US), 1000))
        if self.version == 1:
            _write(self.paths["pids"] / "pids.max", str(pids))
            _write(self.paths["cpu"] / "cpu.cfs_period_us", str(CPU_PERIOD_US))
            _write(self.paths["cpu"] / "cpu.cfs_quota_us", quota)
        else:
            unified = self.paths["unified"]
            _write(unified / "pids.max", str(pids))
            _write(unified / "cpu.max", f"{quota} {CPU_PERIOD_US}")

    def set_memory(self, memory_mib: int) -> None:
        """Change the memory limit (swap included); lowering it below use reclaims or fails."""
        value = memory_mib * 1024 * 1024
        if self.version == 2:
            _write(self.paths["unified"] / "memory.max", str(value))
            _write_optional(self.paths["unified"] / "memory.swap.max", "0")
            return
        memory = self.paths["memory"]
        memsw = memory / "memory.memsw.limit_in_bytes"
        current = int((memory / "memory.limit_in_bytes").read_text())
        # memsw must stay >= memory: raise memsw first when growing, memory first when shrinking.
        if value > current:
            _write_optional(memsw, str(value))
            _write(memory / "memory.limit_in_bytes", str(value))
        else:
            _write(memory / "memory.limit_in_bytes", str(value))
            _write_optional(memsw, str(value))

    def oom_kills(self) -> int:
        """How many processes the kernel killed in this group for want of memory."""
        path = self.paths["memory"] / "memory.oom_control" if self.version == 1 else \
            self.paths["unified"] / "memory.events"
        try:
            for line in path.read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "oom_kill":
                    return int(value)
        except (OSError, ValueError):
            pass
        return 0

    def pids(self) -> list[int]:
        found: set[int] = set()
        for procs in self.join_files():
            try:
                found.update(int(x) for x in procs.read_text().split())
            except (OSError, ValueError):
                pass
        return sorted(found)

    def kill_all(self, timeout_s: float = 5.0, spare: int | None = None) -> bool:
        """SIGKILL every process in the group (but ``spare``) until none is left; ``False`` if some
        outlived ``timeout_s``."""
        deadline = time.monotonic() + timeout_s
        pause = 0.0005  # a killed process is usually gone within a millisecond: look again soon
        while True:
            pids = [pid for pid in self.pids() if pid != spare]
            if not pids:
                return True
            if time.monotonic() > deadline:
                return False
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            time.sleep(pause)
            pause = min(pause * 2, 0.005)

    def destroy(self, timeout_s: float = 5.0) -> None:
        """Kill what is left and remove the group (its charges go to the parent)."""
        self.kill_all(timeout_s)
        deadline = time.monotonic() + timeout_s
        for path in self.paths.values():
            while path.is_dir():
                try:
                    path.rmdir()
                except OSError:  # EBUSY while the last processes exit
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.01)


def detect(root: Path = Path("/sys/fs/cgroup")) -> CgroupHost:
    """Where this process may make sandbox groups; :class:`CgroupError` saying why not."""
    if os.geteuid() != 0:
        raise CgroupError("not running as root: control groups cannot be delegated to sandboxes")
    own = _own_groups()
    if "" in own and not any(c in own for c in V1_CONTROLLERS):
        return _v2_host(root, own[""])
    parents: dict[str, Path] = {}
    for controller in V1_CONTROLLERS:
        mount = _v1_mount(root, controller)
        if mount is None or controller not in own:
            raise CgroupError(f"the cgroup v1 '{controller}' controller is not mounted")
        parents[controller] = _made(mount / own[controller].lstrip("/") / PARENT)
    _enable_v1_hierarchy(parents["memory"])
    return CgroupHost(1, parents)


def _v2_host(root: Path, own: str) -> CgroupHost:
    # Beside our own group: a group holding processes cannot also hold controlled children.
    here = root / own.lstrip("/")
    base = here.parent if own not in ("", "/") else here
    parent = _made(base / PARENT)
    wanted = "+memory +pids +cpu"
    try:
        _write(base / "cgroup.subtree_control", wanted)
        _write(parent / "cgroup.subtree_control", wanted)
    except OSError as exc:
        raise CgroupError(f"cannot enable memory, pids and cpu controllers under {base}: {exc}") from exc
    return CgroupHost(2, {"unified": parent})


def _own_groups() -> dict[str, str]:
    """This process's group per controller ("" for the v2 unified hierarchy)."""
    groups: dict[str, str] = {}
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        for controller in controllers.split(",") if controllers else [""]:
            groups[controller] = path
    return groups


def _v1_mount(root: Path, controller: str) -> Path | None:
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        fields = line.split()
        sep = fields.index("-")
        if fields[sep + 1] == "cgroup" and controller in fields[sep + 3].split(","):
            return Path(fields[4])
    candidate = root / controller
    return candidate if candidate.is_dir() else None


def _enable_v1_hierarchy(memory_parent: Path) -> None:
    """Children's memory counts in their parent's (always so on recent kernels, where writing may fail)."""
    try:
        _write(memory_parent / "memory.use_hierarchy", "1")
    except OSError:
        pass


def _made(path: Path) -> Path:
    try:
        path.mkdir(exist_ok=True)
    except OSError as exc:
        raise CgroupError(f"cannot create {path}: {exc}") from exc
    return path


def _write(path: Path, value: str) -> None:
    with open(path, "w") as fh:
        fh.write(value)


def _write_optional(path: Path, value: str) -> None:
    """Write where the kernel offers the file (memsw needs swap accounting; swap.max needs swap)."""
    try:
        _write(path, value)
    except FileNotFoundError:
        pass
