"""A grader killed mid-run leaves nothing that `grader sandbox gc` (and every worker, at start and
periodically) does not remove: no sandbox process, control group, workspace or container."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.settings import REPO_ROOT, Settings
from sandbox.docker_backend import LABEL, OWNER
from sandbox.policy.mounts import RUN_DIR
from tests.adversarial.adversarial_support import sandbox_processes

SLEEPER = "import time\n\ndef conv1d(a, v):\n    time.sleep(1000)\n"


def _env(settings: Settings) -> dict[str, str]:
    return {**os.environ, "GRADER_CACHE_DIR": str(settings.cache_dir), "PYTHONPATH": str(REPO_ROOT)}


def _grader(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "grader.cli", *args], env=_env(settings), capture_output=True,
                          text=True, timeout=300, check=False)


def _kill_mid_run(settings: Settings, tmp_path: Path, backend: str, running: object) -> int:
    """Start `grader check` on a sleeping answer, wait until its sandbox runs, then SIGKILL the grader (its pid)."""
    answer = tmp_path / "sleeper.py"
    answer.write_text(SLEEPER)
    _grader(settings, "check", "conv1d_full", str(REPO_ROOT / "tasks/conv1d_full/solutions/accepted_loops.py"))
    grader = subprocess.Popen([sys.executable, "-m", "grader.cli", "check", "conv1d_full", str(answer),
                               "--backend", backend], env=_env(settings), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not running(grader.pid) and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.05)
    assert running(grader.pid), "the sandbox never started"  # type: ignore[operator]
    time.sleep(0.5)
    grader.send_signal(signal.SIGKILL)
    grader.wait(timeout=30)
    return grader.pid


def _workspaces(settings: Settings) -> list[str]:
    uids = range(settings.sandbox_uid_base, settings.sandbox_uid_base + settings.sandbox_uid_count)
    return [f"uid-{uid}" for uid in uids if (RUN_DIR / "sandbox" / f"uid-{uid}").exists()]


def _workspace_of(pid: int) -> str | None:
    """The workspace (``uid-N``) of the bubblewrap sandbox a grader process ``pid`` started, if running."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if f"\nPPid:\t{pid}\n" in status:
            found = re.search(r"/run/grader/sandbox/(uid-\d+)/", cmdline)
            if found:
                return found.group(1)
    return None


@pytest.mark.skipif(os.geteuid() != 0, reason="workspaces and control groups are made as root only")
def test_bwrap_leftovers_of_a_killed_grader_are_collected(settings: Settings, tmp_path: Path) -> None:
    before = _sandbox_cgroups()
    seen: list[str] = []

    def running(pid: int) -> bool:
        """The grader ``pid`` runs a sandbox: its workspace (plain) or its fork server's (forked)."""
        found = _workspace_of(pid) or next((p.name for p in (RUN_DIR / "sandbox").glob(f"zygote-{pid}-*")), None)
        if found and _sandbox_cgroups() - before:
            seen.append(found)
        return bool(seen)

    _kill_mid_run(settings, tmp_path, "bwrap", running)
    left = seen[0]
    groups = {g for g in _sandbox_cgroups() - before if _lock_is_free(settings, g)}
    assert (RUN_DIR / "sandbox" / left).exists() and groups, "a killed grader left nothing: nothing to collect"
    done = _grader(settings, "sandbox", "gc")
    assert done.returncode == 0, done.stderr
    assert "removed" in done.stdout, done.stdout
    assert not (RUN_DIR / "sandbox" / left).exists()
    assert not _sandbox_cgroups() & groups, "control groups of dead sandboxes stayed"
    uids = [int(name.removeprefix("uid-")) for name in groups]
    assert not [p for uid in uids for p in sandbox_processes(uid, 1)], "sandbox processes survived the collection"


def _sandbox_cgroups() -> set[str]:
    """The sandbox control groups that exist now."""
    from sandbox.policy.cgroups import detect

    parent = detect().parents.get("memory") or detect().parents["unified"]
    try:
        return {name for name in os.listdir(parent) if name.startswith("uid-")}
    except FileNotFoundError:
        return set()


def _lock_is_free(settings: Settings, group: str) -> bool:
    from tests.adversarial.adversarial_support import _lock_is_free as free

    return free(settings.sandbox_lock_dir, int(group.removeprefix("uid-")))


def test_docker_leftovers_of_a_killed_grader_are_collected(settings: Settings, tmp_path: Path) -> None:
    import docker

    client = docker.from_env()

    def owned_by(pid: int) -> set[str]:
        return {c.id for c in client.containers.list(all=True, sparse=True, filters={"label": LABEL})
                if (c.attrs.get("Labels") or {}).get(OWNER, "").split(":")[1:2] == [str(pid)]}

    pid = _kill_mid_run(settings, tmp_path, "docker", owned_by)
    assert owned_by(pid), "a killed grader left no container: nothing to collect, the test proves nothing"
    done = _grader(settings, "sandbox", "gc")
    assert done.returncode == 0, done.stderr
    assert not owned_by(pid), done.stdout
