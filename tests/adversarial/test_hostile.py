"""Hostile submissions against conv1d_full: time, memory, output, processes, exits, forbidden names.

Every row is graded by the ``hostile`` fixture (see conftest.py), which also checks
that no sandbox process survives, that nothing outside the sandbox changed and
that the accepted solution is accepted right after. ``None`` as the expected
verdict means "anything but accepted (and never internal_error)".
"""

from __future__ import annotations

import threading
import time

import pytest
from adversarial_support import CORRECT, QUESTION_ID, check_verdict, src

from submissions_schema import Verdict

TLE, MLE, OLE = Verdict.time_limit_exceeded, Verdict.memory_limit_exceeded, Verdict.output_limit_exceeded
RTE, WA, FORBIDDEN = Verdict.runtime_error, Verdict.wrong_answer, Verdict.forbidden_api

# --- time -----------------------------------------------------------------------------

TIME = [
    ("endless_loop", src("""
        def conv1d(a, v):
            while True:
                pass
        """), TLE),
    ("sleep_1000", src("""
        import time

        def conv1d(a, v):
            time.sleep(1000)
        """), TLE),
    # The runner's Timeout is a BaseException: swallowing it must not help, the host's
    # wall clock kills the sandbox.
    ("catch_baseexception_forever", src("""
        def conv1d(a, v):
            while True:
                try:
                    while True:
                        pass
                except BaseException:
                    pass
        """), TLE),
    ("ignore_sigalrm_then_loop", src("""
        import signal

        def conv1d(a, v):
            signal.signal(signal.SIGALRM, signal.SIG_IGN)
            signal.setitimer(signal.ITIMER_REAL, 0)
            while True:
                pass
        """), TLE),
]

# --- memory ---------------------------------------------------------------------------

MEMORY = [
    ("numpy_ones_1e10", src("""
        import numpy as np

        def conv1d(a, v):
            return np.ones(10**10)
        """), MLE),
    # 8 GB: far below what the host could map, far above the question's 512 MiB.
    ("numpy_ones_1e9", src("""
        import numpy as np

        def conv1d(a, v):
            x = np.ones(10**9)
            return x[: len(a) + len(v) - 1]
        """), MLE),
    # Grown in the first call only (the other calls answer wrongly at once): one
    # exhaustion is enough, and 22 would take seconds.
    ("list_growing_forever", src("""
        _CALLS = []

        def conv1d(a, v):
            _CALLS.append(1)
            hoard = []
            while len(_CALLS) == 1:
                hoard.append([1.5] * 1_000_000)
            return a[:1]
        """), MLE),
    ("bytearrays_growing_forever", src("""
        _CALLS = []

        def conv1d(a, v):
            _CALLS.append(1)
            hoard = []
            while len(_CALLS) == 1:
                hoard.append(bytearray(64 << 20))
            return a[:1]
        """), MLE),
    ("memory_bomb_at_import", src("""
        _HOARD = []
        while True:
            _HOARD.append(" " * (32 << 20))
        """), MLE),
    # A shared anonymous mapping is not "data" for RLIMIT_DATA: 1 GiB (twice the
    # limit), every page touched, then the right answer. The limit must hold anyway.
    ("shared_mmap_1gib", CORRECT + src("""
        import mmap
        import numpy as np

        _HOARD = mmap.mmap(-1, 1 << 30)
        np.frombuffer(_HOARD, dtype=np.uint8)[::4096] = 1

        def conv1d(a, v):
            return _correct(a, v)
        """), MLE),
]

# --- output ---------------------------------------------------------------------------

OUTPUT = [
    ("print_loop_stdout", src("""
        def conv1d(a, v):
            while True:
                print("flood " * 20)
        """), OLE),
    ("print_loop_stderr", src("""
        import sys

        def conv1d(a, v):
            while True:
                print("flood " * 20, file=sys.stderr)
        """), OLE),
    ("single_huge_stdout_write", src("""
        import sys

        def conv1d(a, v):
            sys.stdout.write("x" * (10**7))
            sys.stdout.flush()
            return a
        """), OLE),
    ("single_huge_stderr_write", src("""
        import sys

        def conv1d(a, v):
            sys.stderr.write("y" * (10**7))
            return a
        """), OLE),
    ("raw_fd_write_at_import", src("""
        import os

        os.write(1, b"z" * (200 * 1024))

        def conv1d(a, v):
            return a
        """), OLE),
    # Python ignores SIGXFSZ; a candidate may restore the default action, and the
    # 1 MiB file-size limit then kills the runner with SIGXFSZ mid-write.
    ("sigxfsz_default_then_flood", src("""
        import signal
        import sys

        def conv1d(a, v):
            signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
            sys.stdout.write("x" * (4 << 20))
            sys.stdout.flush()
            return a
        """), OLE),
]

# --- processes ------------------------------------------------------------------------

PROCESSES = [
    ("fork_bomb", src("""
        import os

        def conv1d(a, v):
            while True:
                os.fork()
        """), None),
    ("fork_bomb_that_swallows_errors", src("""
        import os

        def conv1d(a, v):
            while True:
                try:
                    os.fork()
                except OSError:
                    pass
        """), TLE),
    ("thread_bomb", src("""
        import threading
        import time

        def conv1d(a, v):
            while True:
                threading.Thread(target=time.sleep, args=(1000,), daemon=True).start()
        """), None),
    ("daemon_double_fork_setsid", src("""
        import os
        import signal
        import time

        def conv1d(a, v):
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    for sig in (signal.SIGHUP, signal.SIGTERM, signal.SIGINT):
                        signal.signal(sig, signal.SIG_IGN)
                    for fd in range(64):
                        try:
                            os.close(fd)
                        except OSError:
                            pass
                    while True:
                        time.sleep(0.05)
                os._exit(0)
            os.wait()
            return a[:1]
        """), WA),
    ("daemon_keeps_pipes_open", src("""
        import os
        import time

        def conv1d(a, v):
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    while True:
                        time.sleep(0.05)
                os._exit(0)
            os.wait()
            return a[:1]
        """), WA),
    ("subprocess_sleep_new_session", src("""
        import subprocess

        def conv1d(a, v):
            subprocess.Popen(["sleep", "1000"], start_new_session=True,
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            return a[:1]
        """), WA),
    ("kill_parent_init_everyone", src("""
        import os
        import signal

        def conv1d(a, v):
            for pid in (os.getppid(), 1, -1):
                for sig in (signal.SIGKILL, signal.SIGSTOP, signal.SIGTERM):
                    try:
                        os.kill(pid, sig)
                    except OSError as exc:
                        print(pid, sig, exc)
            try:
                os.killpg(os.getpgid(os.getppid()), signal.SIGKILL)
            except OSError as exc:
                print("killpg parent", exc)
            return a[:1]
        """), None),  # bubblewrap: wrong_answer (nothing it may kill); Docker: it may kill its own init
    ("killpg_own_group", src("""
        import os
        import signal

        def conv1d(a, v):
            os.killpg(0, signal.SIGKILL)
        """), RTE),
    ("abort", src("""
        import os

        def conv1d(a, v):
            os.abort()
        """), RTE),
]

# --- exits, exceptions, recursion ----------------------------------------------------

EXITS = [
    ("sys_exit_at_import", src("""
        import sys

        sys.exit(0)

        def conv1d(a, v):
            return a
        """), RTE),
    ("os_exit_at_import", src("""
        import os

        os._exit(0)
        """), RTE),
    ("sys_exit_in_call", src("""
        import sys

        def conv1d(a, v):
            sys.exit(0)
        """), RTE),
    ("os_exit_in_call", src("""
        import os

        def conv1d(a, v):
            os._exit(0)
        """), RTE),
    ("raise_systemexit", src("""
        def conv1d(a, v):
            raise SystemExit(0)
        """), RTE),
    ("raise_keyboardinterrupt", src("""
        def conv1d(a, v):
            raise KeyboardInterrupt
        """), RTE),
    ("recursion_bomb", src("""
        def conv1d(a, v):
            return conv1d(a, v)
        """), RTE),
    # Recursion through C slots with the limit lifted: the C stack overflows (SIGSEGV).
    ("c_stack_overflow", src("""
        import sys

        sys.setrecursionlimit(10**7)

        class Deep:
            def __repr__(self):
                return repr(self)

        def conv1d(a, v):
            return repr(Deep())
        """), RTE),
]

# --- forbidden names reached past the static check ----------------------------------

FORBIDDEN_ESCAPES = [
    ("getattr_import_concat", src("""
        def conv1d(a, v):
            return getattr(__import__("num" + "py"), "con" + "volve")(a, v)
        """), FORBIDDEN),
    ("importlib_and_module_dict", src("""
        import importlib

        def conv1d(a, v):
            np = importlib.import_module("".join(["nu", "mpy"]))
            return np.__dict__["corr" + "elate"](a, v[::-1], "full")
        """), FORBIDDEN),
    ("import_submodule_by_string", src("""
        def conv1d(a, v):
            sig = __import__("scipy.sig" + "nal", fromlist=["x"])
            return sig.fftconvolve(a, v)
        """), FORBIDDEN),
    ("numpy_fft_by_string", src("""
        def conv1d(a, v):
            fft = __import__("numpy.f" + "ft", fromlist=["x"])
            n = len(a) + len(v) - 1
            return fft.irfft(fft.rfft(a, n) * fft.rfft(v, n), n)
        """), FORBIDDEN),
    # The same function object, through the module that defines it.
    ("defining_module_convolve", src("""
        import numpy as np

        def conv1d(a, v):
            return np._core.numeric.convolve(a, v)
        """), FORBIDDEN),
    # The C primitive numpy.convolve and numpy.correlate are built on.
    ("multiarray_correlate", src("""
        import numpy as np

        def conv1d(a, v):
            a, v = np.asarray(a), np.asarray(v)
            if len(v) > len(a):
                a, v = v, a
            return np._core.multiarray.correlate(a, v[::-1], 2)
        """), FORBIDDEN),
    # The original function is still alive: find it among the garbage collector's objects.
    ("gc_scavenged_convolve", src("""
        import gc

        def conv1d(a, v):
            for obj in gc.get_objects():
                if type(obj).__name__ in ("function", "_ArrayFunctionDispatcher") and obj.__name__ == "convolve":
                    return obj(a, v)
            raise RuntimeError("not found")
        """), FORBIDDEN),
]

TABLE = TIME + MEMORY + OUTPUT + PROCESSES + EXITS + FORBIDDEN_ESCAPES


@pytest.mark.parametrize(("source", "expected"), [pytest.param(s, e, id=i) for i, s, e in TABLE])
def test_hostile_submission(hostile, source: str, expected: Verdict | None) -> None:  # type: ignore[no-untyped-def]
    check_verdict(hostile(source), expected)


def test_filling_tmp_then_wrong_answer(hostile) -> None:  # type: ignore[no-untyped-def]
    """Fill the sandbox's /tmp to ENOSPC, then answer wrongly: graded normally, host /tmp untouched."""
    source = src("""
        import os

        _FILLED = []

        def _fill():
            i = 0
            try:
                while True:
                    with open(f"/tmp/adv_fill_{i}", "wb") as fh:
                        fh.write(b"x" * ((1 << 20) - 1))
                    i += 1
            except OSError as exc:
                print("stopped after", i, "files:", exc)

        def conv1d(a, v):
            if not _FILLED:  # once is enough: /tmp stays full for every later call
                _FILLED.append(_fill())
            return a[:1]
        """)
    check_verdict(hostile(source, absent=("/tmp/adv_fill_*",)), WA)


def test_filling_tmp_then_right_answer(hostile) -> None:  # type: ignore[no-untyped-def]
    """Filling scratch space is not cheating: the right answer is still accepted afterwards."""
    source = CORRECT + src("""
        import os

        def _fill():
            i = 0
            try:
                while True:
                    with open(f"/tmp/adv_fill_{i}", "wb") as fh:
                        fh.write(b"x" * ((1 << 20) - 1))
                    i += 1
            except OSError:
                pass
            return i

        _FILES = _fill()

        def conv1d(a, v):
            assert _FILES >= 40, _FILES  # /tmp really was filled (64 MiB of 1 MiB files)
            return _correct(a, v)
        """)
    check_verdict(hostile(source, absent=("/tmp/adv_fill_*",)), Verdict.accepted)


def test_host_threads_survive_a_fork_bomb(grade_code, warm) -> None:  # type: ignore[no-untyped-def]
    """The host's reader threads must end cleanly, whatever the sandbox did.

    A fork bomb leaves many writers on the result pipe; the sandbox is then closed
    while its reader thread may still be reading that pipe (a thread that reads an
    fd after it was closed could read another sandbox's pipe once the number is
    reused). Run several times: the race does not show on every run.
    """
    source = dict((i, s) for i, s, _ in PROCESSES)["fork_bomb"]
    errors: list[str] = []
    previous = threading.excepthook
    threading.excepthook = lambda args: errors.append(f"{args.thread}: {args.exc_type.__name__}: {args.exc_value}")
    try:
        for _ in range(8):
            check_verdict(grade_code(QUESTION_ID, source), None)
        time.sleep(0.5)  # let stray reader threads finish
    finally:
        threading.excepthook = previous
    assert not errors, f"host threads died with exceptions: {errors}"
