"""What holds a sandbox in, seen from inside it, on each real backend.

The seccomp filter is loaded (``Seccomp: 2``) and refuses every call of the policy's
list; pid 1 is the runner's own init, not root, and can be neither signalled, traced nor
read; nothing of the host's layout shows (checkout, virtual environment, Python
installation, home, cache; on bubblewrap not even the disk); memory is counted whatever
the candidate uses it for; ``/tmp`` has an inode cap; one sandbox gets one CPU.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

from grader.settings import REPO_ROOT, Settings
from sandbox.base import Sandbox
from sandbox.bwrap import BwrapSandbox
from sandbox.policy import seccomp
from tests.conftest import unwrap
from tests.sandbox.test_bwrap import job

INSIDE = r'''
import ctypes, errno, os, signal, sys, time

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long


def _call(number, *args):
    args = [ctypes.c_long(a) for a in args] + [ctypes.c_long(0)] * (6 - len(args))
    result = _libc.syscall(ctypes.c_long(number), *args)
    return 0 if result >= 0 else ctypes.get_errno()


def refused(numbers):
    """errno of each call made with arguments that would act (or fail otherwise) without the filter."""
    clone_newuser = 0x10000000 | signal.SIGCHLD
    out = {}
    for name, number in numbers.items():
        args = {"unshare": (0x10000000,), "clone": (clone_newuser,), "keyctl": (1, 0),
                "personality": (0x0040000,), "ptrace": (16, 1)}.get(name, ())
        if name == "clone":
            pid = _libc.syscall(ctypes.c_long(number), *[ctypes.c_long(a) for a in args], *[ctypes.c_long(0)] * 4)
            if pid == 0:
                os._exit(0)
            out[name] = 0 if pid > 0 else ctypes.get_errno()
            continue
        out[name] = _call(number, *args)
    return out


def status(path, key):
    for line in open(path):
        if line.startswith(key + ":"):
            return line.split()[1]


def observe():
    seen = {"seccomp": status("/proc/self/status", "Seccomp")}
    seen["mountinfo"] = open("/proc/self/mountinfo").read()
    seen["environ"] = dict(os.environ)
    seen["sys_path"] = list(sys.path)
    seen["meta_path"] = [repr(finder) for finder in sys.meta_path]
    seen["prefix"] = [sys.executable, sys.prefix, sys.base_prefix]
    seen["pid1_uid"] = int(status("/proc/1/status", "Uid"))
    seen["pid1_cmdline"] = open("/proc/1/cmdline", "rb").read().replace(b"\0", b" ").decode()
    os.kill(1, signal.SIGKILL)  # dropped: pid 1 has no handler and we are inside its namespace
    os.kill(1, signal.SIGSTOP)
    time.sleep(0.05)
    seen["pid1_state"] = status("/proc/1/status", "State")
    try:
        open("/proc/1/mem", "rb").close()
        seen["pid1_mem"] = "readable"
    except OSError as exc:
        seen["pid1_mem"] = exc.errno
    return seen


def cpu_ratio(workers, seconds):
    """CPU time used by ``workers`` busy processes over ``seconds`` of wall time, per wall second."""
    t0 = time.monotonic()
    pids = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:
            while time.monotonic() - t0 < seconds:
                pass
            os._exit(0)
        pids.append(pid)
    for pid in pids:
        os.waitpid(pid, 0)
    return os.times().children_user / (time.monotonic() - t0)
'''


# Detached System V segments: no rlimit counts them (nothing maps them any more), the memory
# group does. ``hoard(3, 256)`` holds 768 MiB in a 512 MiB question.
SHM_HOARD = r'''
import ctypes

def hoard(count, mib):
    libc = ctypes.CDLL(None, use_errno=True)
    libc.shmat.restype = ctypes.c_void_p
    size = mib << 20
    for _ in range(count):
        segment = libc.shmget(0, ctypes.c_size_t(size), 0o1600)  # IPC_PRIVATE, IPC_CREAT | 0600
        if segment < 0:
            raise OSError(ctypes.get_errno(), "shmget")
        address = libc.shmat(segment, None, 0)
        ctypes.memset(address, 1, size)
        libc.shmdt(ctypes.c_void_p(address))
    return count * mib
'''


def _disk() -> str:
    """The device holding the host's root filesystem, as mountinfo names it (``/dev/vda``)."""
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        fields = line.split()
        if fields[4] == "/":
            return fields[fields.index("-") + 2]
    return "/dev/unknown"


def _host_paths(settings: Settings) -> list[str]:
    """Paths of this host that name the grader's layout: none may show inside a sandbox."""
    paths = {str(REPO_ROOT), sys.prefix, sys.base_prefix, str(Path.home()), str(settings.cache_dir),
             str(settings.data_dir)}
    return sorted(p for p in paths if p not in ("/", "/usr", "/usr/local"))


def _run(sandbox: Sandbox, call: str, *args: Any, time_s: float = 10) -> Any:
    run = sandbox.run(job(INSIDE, call, *args, time_s=time_s))
    assert run.result.cases and run.result.cases[0].status == "ok", run.result
    return run.values["c0"]


@pytest.fixture(scope="module")
def seen(sandbox: Sandbox) -> dict[str, Any]:
    value = _run(sandbox, "observe")
    assert isinstance(value, dict)
    return value


def test_seccomp_filter_is_loaded(seen: dict[str, Any]) -> None:
    assert seen["seccomp"] == "2"


def test_every_refused_call_is_refused(sandbox: Sandbox) -> None:
    import pyseccomp

    numbers = {name: pyseccomp.resolve_syscall(pyseccomp.Arch.NATIVE, name) for name in seccomp.REFUSED}
    numbers = {name: n for name, n in numbers.items() if n >= 0}
    numbers["clone"] = pyseccomp.resolve_syscall(pyseccomp.Arch.NATIVE, "clone")
    numbers["personality"] = pyseccomp.resolve_syscall(pyseccomp.Arch.NATIVE, "personality")
    numbers["clone3"] = pyseccomp.resolve_syscall(pyseccomp.Arch.NATIVE, "clone3")
    errnos = _run(sandbox, "refused", numbers)
    expected = {name: 1 for name in numbers} | {"clone3": 38}  # EPERM; ENOSYS for clone3
    assert errnos == expected


def test_pid_1_is_the_runners_own_unprivileged_init(seen: dict[str, Any]) -> None:
    assert seen["pid1_uid"] != 0
    # The runner, or the fork server's zygote it was forked from (same code, same image).
    assert "/opt/grader/" in seen["pid1_cmdline"] and "bwrap" not in seen["pid1_cmdline"]
    assert seen["pid1_state"].startswith(("S", "R")), seen["pid1_state"]  # neither killed nor stopped
    assert seen["pid1_mem"] in (1, 13)  # EPERM or EACCES: not dumpable, not traceable


def test_nothing_of_the_host_layout_shows(sandbox: Sandbox, seen: dict[str, Any], settings: Settings) -> None:
    text = "\n".join([seen["mountinfo"], repr(seen["environ"]), repr(seen["sys_path"]), repr(seen["meta_path"]),
                      repr(seen["prefix"])])
    shown = [path for path in _host_paths(settings) if path in text]
    assert not shown, f"host paths visible inside the sandbox: {shown}"
    assert "__editable__" not in text
    if isinstance(unwrap(sandbox), BwrapSandbox) and os.geteuid() == 0:
        # The image layout: the root is a squashfs on a loop device, not the host's disk.
        assert unwrap(sandbox).image is not None, "the sandbox root image is missing: run `grader sandbox build`"
        assert _disk() not in seen["mountinfo"]
        assert seen["prefix"][0] == "/opt/venv/bin/python"


def test_one_sandbox_gets_one_cpu(sandbox: Sandbox) -> None:
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one CPU: a quota of one cannot be told from the machine's size")
    if isinstance(unwrap(sandbox), BwrapSandbox) and os.geteuid() != 0:
        pytest.skip("control groups need root; the doctor reports their absence")
    ratio = _run(sandbox, "cpu_ratio", 4, 2.0)
    assert ratio < 1.3, f"four busy processes used {ratio:.2f} CPUs"


def test_memory_the_rlimits_cannot_see_is_counted(sandbox: Sandbox) -> None:
    """768 MiB of detached shared memory in a 512 MiB question: the kernel stops it, reported as memory."""
    if isinstance(unwrap(sandbox), BwrapSandbox) and os.geteuid() != 0:
        pytest.skip("control groups need root; the doctor reports their absence")
    run = sandbox.run(job(SHM_HOARD, "hoard", 3, 256))
    assert run.result.killed == "memory", run.result
    assert not run.values, "the hoard completed: memory beyond the limit was held"
