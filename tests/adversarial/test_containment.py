"""Hostile submissions that try to outgrow, outwait or outlive their sandbox, on both backends.

The attacks that need ctypes, sys internals or reflection run on a question with no forbidden
names (``OPEN_QUESTION``), where the static check refuses nothing and the sandbox alone holds.

Each runs through the ``hostile`` fixture (no process or container left, nothing on the
host changed, no kernel key left for a sandbox uid, the next correct answer accepted).
Most are oracles (see ``adversarial_support.oracle``): they answer right only if the
attack worked, so a working attack shows as ``accepted``, which every test refuses.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest
from adversarial_support import CORRECT, OPEN_QUESTION, check_verdict, oracle, src, summary

from grader.grading.reference import expected_for
from grader.questions.loader import Question, find_question
from grader.settings import REPO_ROOT, Settings
from sandbox.base import Sandbox
from sandbox.bwrap import BwrapSandbox
from submissions_schema import Verdict
from tests.conftest import unwrap

RTE, TLE, MLE = Verdict.runtime_error, Verdict.time_limit_exceeded, Verdict.memory_limit_exceeded


def _syscall(name: str) -> int:
    import pyseccomp

    return int(pyseccomp.resolve_syscall(pyseccomp.Arch.NATIVE, name))


# --- the grader waits on the sandbox ---------------------------------------------------

# The runner reads the hidden phase with ``read_line``: replaced by a sleep, the runner
# never reads its stdin again and burns no CPU, so no rlimit fires; only the host's
# deadline (on every write and read) ends it.
STALL_STDIN = src("""
    import __main__
    import time

    __main__.read_line = lambda stream: time.sleep(1000)
    """)


def test_stdin_stall_small_hidden_phase(hostile, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    t0 = time.monotonic()
    report = hostile(CORRECT + STALL_STDIN + "\nconv1d = _correct\n")
    check_verdict(report, TLE)
    assert time.monotonic() - t0 < 5 + settings.sandbox_grace_s + 30  # the limit, its grace, the follow-up run


def test_stdin_stall_hidden_phase_larger_than_a_pipe(grade_code, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    """``roc_auc`` sends ~300 KB of hidden inputs: the host's write itself would block forever."""
    source = src("""
        import numpy as np

        def roc_auc(scores, labels):
            return 0.5
        """) + STALL_STDIN
    question = find_question(settings.tasks_dir, "roc_auc")
    assert isinstance(question, Question)
    expected_for(question, settings.cache_dir, settings.reference_timeout_s)  # time the run, not the reference
    t0 = time.monotonic()
    report = grade_code("roc_auc", source)
    elapsed = time.monotonic() - t0
    check_verdict(report, TLE)
    assert elapsed < 5 + settings.sandbox_grace_s + 15, f"grading took {elapsed:.1f} s"


# --- state that outlives a submission ----------------------------------------------------

KEYRING = f"""
    import ctypes

    _libc = ctypes.CDLL(None, use_errno=True)
    _libc.syscall.restype = ctypes.c_long
    ADD_KEY, KEYCTL = {_syscall("add_key")}, {_syscall("keyctl")}

    def _attack():
        stored = _libc.syscall(ADD_KEY, b"user", b"grader-answer", b"42", 2, -3)  # the user keyring
        if stored < 0:
            print("add_key", ctypes.get_errno())
        joined = _libc.syscall(KEYCTL, 1, 0)  # KEYCTL_JOIN_SESSION_KEYRING
        try:
            keys = open("/proc/keys").read()
        except OSError as exc:
            keys = ""
            print("keys", exc)
        return stored >= 0 or joined >= 0 or "grader-answer" in keys
    """


def test_keyring_store_then_read(hostile) -> None:  # type: ignore[no-untyped-def]
    """Keys are not namespaced: one run storing answers for the next must find nothing to use."""
    for _ in range(2):  # the second run would read what the first stored
        check_verdict(hostile(oracle(KEYRING, OPEN_QUESTION), question_id=OPEN_QUESTION), RTE)


# --- memory and CPU beyond the limits ------------------------------------------------------

SYSV_SHM = """
    import ctypes

    def _attack():
        libc = ctypes.CDLL(None, use_errno=True)
        libc.shmat.restype = ctypes.c_void_p
        size = 256 << 20
        for _ in range(6):  # 1.5 GiB in a 512 MiB question, detached so no rlimit counts it
            segment = libc.shmget(0, ctypes.c_size_t(size), 0o1600)
            if segment < 0:
                return False
            address = libc.shmat(segment, None, 0)
            if address in (None, 2**64 - 1):
                return False
            ctypes.memset(address, 1, size)
            libc.shmdt(ctypes.c_void_p(address))
        return True
    """


def test_sysv_shared_memory_beyond_the_limit(hostile, sandbox: Sandbox) -> None:  # type: ignore[no-untyped-def]
    if isinstance(unwrap(sandbox), BwrapSandbox) and os.geteuid() != 0:
        pytest.skip("control groups need root; the doctor reports their absence")
    check_verdict(hostile(oracle(SYSV_SHM, OPEN_QUESTION), question_id=OPEN_QUESTION), MLE)


USERNS_TMPFS = """
    import ctypes
    import os

    _libc = ctypes.CDLL(None, use_errno=True)

    def _attack():
        if _libc.unshare(0x10000000 | 0x00020000) != 0:  # CLONE_NEWUSER | CLONE_NEWNS
            print("unshare", ctypes.get_errno())
            return False
        os.makedirs("/tmp/big", exist_ok=True)
        if _libc.mount(b"none", b"/tmp/big", b"tmpfs", 0, b"size=2g") != 0:
            print("mount", ctypes.get_errno())
            return False
        with open("/tmp/big/hoard", "wb") as fh:
            for _ in range(1024):
                fh.write(b"x" * (1 << 20))
        return True
    """


def test_tmpfs_mounted_in_a_user_namespace(hostile) -> None:  # type: ignore[no-untyped-def]
    check_verdict(hostile(oracle(USERNS_TMPFS, OPEN_QUESTION), question_id=OPEN_QUESTION), RTE)


INODE_FLOOD = """
    import os

    def _attack():
        made = 0
        try:
            while made < 600_000:
                os.close(os.open(f"/tmp/i{made}", os.O_CREAT | os.O_WRONLY, 0o600))
                made += 1
        except OSError as exc:
            print("stopped after", made, "files:", exc)
        return made > 100_000
    """


def test_inode_flood_in_tmp(hostile) -> None:  # type: ignore[no-untyped-def]
    """Empty files cost kernel memory, not tmpfs space: the inode cap stops them."""
    check_verdict(hostile(oracle(INODE_FLOOD, OPEN_QUESTION), question_id=OPEN_QUESTION), RTE)


ALL_CORES = """
    import os
    import time

    def _attack():
        t0 = time.monotonic()
        pids = []
        for _ in range(4):
            pid = os.fork()
            if pid == 0:
                while time.monotonic() - t0 < 1.5:
                    pass
                os._exit(0)
            pids.append(pid)
        for pid in pids:
            os.waitpid(pid, 0)
        used = os.times().children_user / (time.monotonic() - t0)
        print("CPUs used", used)
        return used > 1.5
    """


def test_all_cores(hostile, sandbox: Sandbox) -> None:  # type: ignore[no-untyped-def]
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one CPU: a quota of one cannot be told from the machine's size")
    if isinstance(unwrap(sandbox), BwrapSandbox) and os.geteuid() != 0:
        pytest.skip("control groups need root; the doctor reports their absence")
    check_verdict(hostile(oracle(ALL_CORES, OPEN_QUESTION), question_id=OPEN_QUESTION), RTE)


# --- what the sandbox shows ----------------------------------------------------------------


def _host_markers(settings: Settings, sandbox: Sandbox) -> list[str]:
    """Strings that would name this host's layout: the checkout, the Python and its
    environment, the home, the cache and data folders; on bubblewrap, the disk too."""
    from tests.sandbox.test_sandbox_containment import _disk, _host_paths

    markers = _host_paths(settings)
    if isinstance(unwrap(sandbox), BwrapSandbox) and os.geteuid() == 0:
        markers.append(_disk())
    return markers


def test_reconnaissance_finds_no_host_path(hostile, settings: Settings, sandbox: Sandbox) -> None:  # type: ignore[no-untyped-def]
    markers = _host_markers(settings, sandbox)
    source = oracle(f"""
        import os
        import sys

        MARKERS = {markers!r}

        def _read(path):
            try:
                with open(path, "rb") as fh:
                    return fh.read().decode("utf-8", "replace")
            except OSError as exc:
                return ""

        def _attack():
            import numpy
            seen = [_read(p) for p in ("/proc/self/mountinfo", "/proc/self/mounts", "/proc/self/environ",
                                       "/proc/1/cmdline", "/proc/1/environ", "/proc/1/mountinfo")]
            seen += [repr(sys.path), repr(sys.meta_path), repr(sys.path_hooks), sys.executable, sys.prefix,
                     numpy.__file__, repr(os.environ)]
            text = "\\n".join(seen)
            found = [m for m in MARKERS if m in text]
            print("found", found)
            return bool(found)
        """, OPEN_QUESTION)
    check_verdict(hostile(source, question_id=OPEN_QUESTION), RTE)


PID_ONE = """
    import ctypes
    import os
    import signal
    import time

    def _attack():
        libc = ctypes.CDLL(None, use_errno=True)
        for sig in (signal.SIGSTOP, signal.SIGTERM, signal.SIGKILL):
            os.kill(1, sig)
        time.sleep(0.05)
        state = [l for l in open("/proc/1/status") if l.startswith("State:")][0]
        traced = libc.ptrace(16, 1, None, None) == 0  # PTRACE_ATTACH
        try:
            open("/proc/1/mem", "r+b").close()
            writable = True
        except OSError:
            writable = False
        print(state, traced, writable)
        return traced or writable or "stopped" in state
    """


def test_pid_one_cannot_be_traced_signalled_or_replaced(hostile) -> None:  # type: ignore[no-untyped-def]
    check_verdict(hostile(oracle(PID_ONE, OPEN_QUESTION), question_id=OPEN_QUESTION), RTE)


# --- candidate input that would become our fault --------------------------------------------


def test_npz_member_flood_on_the_channel(hostile) -> None:  # type: ignore[no-untyped-def]
    """A forged case frame whose arrays hold 60,000 members: refused before decoding, the code's fault."""
    from test_hostile_io import FRAME

    source = FRAME + src("""
        import struct

        def flood(count=60_000):
            # A stored zip written by hand (zipfile takes seconds for this many members).
            local, central = bytearray(), bytearray()
            for i in range(count):
                name = b"a%d.npy" % i
                central += struct.pack("<4s6H3I5H2I", b"PK\\x01\\x02", 20, 20, 0, 0, 0, 0, 0, 0, 0,
                                       len(name), 0, 0, 0, 0, 0, len(local)) + name
                local += struct.pack("<4s5H3I2H", b"PK\\x03\\x04", 20, 0, 0, 0, 0, 0, 0, 0, len(name), 0) + name
            end = struct.pack("<4s4H2IH", b"PK\\x05\\x06", 0, 0, count, count, len(central), len(local), 0)
            return bytes(local + central + end)

        _NPZ = flood()

        def conv1d(a, v):
            send_everywhere(frame("case", {"id": "c0", "status": "ok", "value": {"$array": "a0"}}, _NPZ),
                            channel_fds())
            os._exit(0)
        """)
    report = hostile(source)
    check_verdict(report, RTE)
    assert "too large or too complex" in report.tests[0].message, summary(report)


def test_host_paths_in_this_module_are_real() -> None:
    """The markers above are this host's own paths (a marker that never exists would prove nothing)."""
    assert Path(REPO_ROOT, "tasks").is_dir() and Path(sys.prefix).is_dir()
