"""The bubblewrap backend itself, against the real thing: what candidate code can see and do."""

from __future__ import annotations

import os
import time
from typing import Any

import pytest

from grader.settings import REPO_ROOT, Settings
from sandbox.base import Phase, SandboxCall, SandboxJob, SandboxProfile, SandboxRun
from sandbox.bwrap import BwrapSandbox, PopenProcess
from sandbox.runner import encode_value, save_npz
from submissions_schema import Limits

OBSERVE = r'''
import os, socket, resource

def observe(paths):
    seen = {"uid": os.getuid(), "gid": os.getgid(), "pid": os.getpid(), "cwd": os.getcwd()}
    seen["caps"] = [l.split()[1] for l in open("/proc/self/status") if l.startswith(("CapEff", "CapPrm", "CapBnd"))]
    seen["nnp"] = [l.split()[1] for l in open("/proc/self/status") if l.startswith("NoNewPrivs")][0]
    seen["interfaces"] = sorted(n for _, n in socket.if_nameindex())
    seen["env"] = sorted(os.environ)
    seen["visible"] = [p for p in paths if os.path.exists(p)]
    limits = {}
    for name in ("RLIMIT_DATA", "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_FSIZE", "RLIMIT_CPU", "RLIMIT_CORE"):
        limits[name] = resource.getrlimit(getattr(resource, name))[1]
    seen["limits"] = limits
    try:
        open("/usr/lib/evil", "w")
        seen["root_writable"] = True
    except OSError:
        seen["root_writable"] = False
    written = 0
    try:
        for i in range(1000):
            with open(f"/tmp/fill{i}", "wb") as fh:
                fh.write(b"x" * ((1 << 20) - 1))
            written += (1 << 20) - 1
    except OSError as exc:
        seen["tmp_error"] = exc.errno
    seen["tmp_written_mib"] = written >> 20
    return seen
'''


def job(code: str, call: str, *args: Any, time_s: float = 5) -> SandboxJob:
    arrays: dict[str, Any] = {}
    tree = encode_value(tuple(args), arrays)
    return SandboxJob(
        candidate=code, probe=None, forbidden=[], limits=Limits(time_s=time_s, memory_mib=512, output_kib=64),
        profile=SandboxProfile(), visible=Phase([SandboxCall("c0", call, tree, {"$dict": {}})], save_npz(arrays)),
        hidden=Phase(),
    )


@pytest.fixture(scope="module")
def backend(settings: Settings) -> BwrapSandbox:
    from grader.sandboxes import make_sandbox

    made = make_sandbox(settings, "bwrap")
    assert isinstance(made, BwrapSandbox)
    return made


def observe(backend: BwrapSandbox, settings: Settings) -> dict[str, Any]:
    # The checkout's own files (a virtual environment inside it is bound, so its folder may exist).
    paths = [str(REPO_ROOT / name) for name in ("tasks", "grader", "README.md", ".git")]
    paths += [str(settings.cache_dir), "/root/.bashrc", "/root/.cache"]
    # The host's run-time and state folders (the sandbox's own root image has an empty /run and /home).
    paths += ["/var/run/docker.sock", "/run/grader", "/var/lib/grader", "/run/docker.sock"]
    run = backend.run(job(OBSERVE, "observe", paths))
    assert run.result.cases[0].status == "ok", run.result
    seen = run.values["c0"]
    assert isinstance(seen, dict)
    return seen


def test_isolation(backend: BwrapSandbox, settings: Settings) -> None:
    os.environ["GRADER_TEST_SECRET"] = "hunter2"
    seen = observe(backend, settings)
    if os.geteuid() == 0:
        assert settings.sandbox_uid_base <= seen["uid"] < settings.sandbox_uid_base + settings.sandbox_uid_count
        assert seen["gid"] == seen["uid"]
    assert seen["uid"] != 0
    assert set(seen["caps"]) == {"0000000000000000"} and seen["nnp"] == "1"
    assert seen["interfaces"] == ["lo"]  # a network namespace of its own
    assert seen["visible"] == []  # no repository, question folders, cache, home or sockets
    assert "GRADER_TEST_SECRET" not in seen["env"]
    assert seen["root_writable"] is False
    assert seen["cwd"] == "/tmp/work"
    assert seen["pid"] < 10  # its own PID namespace


def test_limits_and_tmp_cap(backend: BwrapSandbox, settings: Settings) -> None:
    seen = observe(backend, settings)
    limits = seen["limits"]
    assert limits["RLIMIT_DATA"] == 512 * 1024 * 1024
    assert limits["RLIMIT_NOFILE"] == settings.sandbox_nofile
    assert limits["RLIMIT_FSIZE"] == 1024 * 1024
    assert limits["RLIMIT_CPU"] == settings.sandbox_cpu_s
    assert limits["RLIMIT_CORE"] == 0
    if os.geteuid() == 0:
        assert limits["RLIMIT_NPROC"] == settings.sandbox_nproc
    assert seen["tmp_error"] == 28  # ENOSPC
    assert seen["tmp_written_mib"] < settings.sandbox_tmp_mib


def test_prepared_ahead_then_handed_one_job(backend: BwrapSandbox) -> None:
    prepared = backend.prepare(SandboxProfile())
    time.sleep(0.5)  # the job arrives later; the runner waits with its libraries loaded
    run: SandboxRun = prepared.run(job("def f(x):\n    return x * 2\n", "f", 21))
    assert run.values == {"c0": 42}
    assert run.result.runner is not None and run.result.runner.numpy
    with pytest.raises(RuntimeError, match="exactly one submission"):
        prepared.run(job("def f(x):\n    return x\n", "f", 1))


def test_unused_prepared_sandbox_is_released(backend: BwrapSandbox) -> None:
    prepared = backend.prepare(SandboxProfile())
    uid = prepared.resources.slot.uid if prepared.resources.slot else None
    prepared.close()
    if isinstance(prepared.process, PopenProcess):
        assert prepared.process.popen.poll() is not None
    if uid is not None:
        from tests.adversarial.adversarial_support import sandbox_processes

        assert not [p for p in sandbox_processes(uid, 1) if not p.dying]


def test_wall_clock_kills_a_loop_that_ignores_the_alarm(backend: BwrapSandbox) -> None:
    code = "import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\ndef f():\n    while True:\n        pass\n"
    t0 = time.monotonic()
    run = backend.run(job(code, "f", time_s=1))
    assert run.result.killed == "wall_time"
    assert run.result.cases == []
    assert time.monotonic() - t0 < 1 + backend.grace_s + 5


def test_missing_bwrap_is_a_start_error(settings: Settings) -> None:
    from sandbox.session import SandboxStartError

    broken = BwrapSandbox(bwrap_path="/nonexistent/bwrap", lock_dir=settings.sandbox_lock_dir)
    with pytest.raises(SandboxStartError):
        broken.run(job("def f():\n    return 1\n", "f"))
