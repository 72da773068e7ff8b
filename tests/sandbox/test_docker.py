"""The Docker backend against a real engine: what candidate code can see and do, GPU requests, cleanup."""

from __future__ import annotations

import os
import socket
import subprocess
from typing import Any

import pytest

from grader.sandboxes import make_sandbox
from grader.settings import REPO_ROOT, Settings
from sandbox.base import SandboxProfile
from sandbox.docker_backend import LABEL, OWNER, DockerSandbox
from tests.sandbox.test_bwrap import OBSERVE, job


@pytest.fixture(scope="module")
def docker(settings: Settings) -> DockerSandbox:
    made = make_sandbox(settings, "docker")
    assert isinstance(made, DockerSandbox)
    return made


def containers(docker: DockerSandbox) -> list[Any]:
    return list(docker.client.containers.list(all=True, filters={"label": LABEL}))


def run_and_check_removed(docker: DockerSandbox, sandbox_job: Any) -> Any:
    """Run ``sandbox_job`` in a fresh container and check that container is gone afterwards."""
    prepared = docker.prepare(sandbox_job.profile)
    container_id = prepared.process.container.id
    run = prepared.run(sandbox_job)
    assert container_id not in {c.id for c in containers(docker)}
    return run


def test_isolation_and_limits(docker: DockerSandbox, settings: Settings) -> None:
    paths = [str(REPO_ROOT / "tasks"), str(settings.cache_dir), "/root/.bashrc", "/var/run/docker.sock"]
    run = run_and_check_removed(docker, job(OBSERVE, "observe", paths))
    assert run.result.cases[0].status == "ok", run.result
    seen = run.values["c0"]
    assert (seen["uid"], seen["gid"]) == (10001, 10001)
    assert set(seen["caps"]) == {"0000000000000000"} and seen["nnp"] == "1"
    assert seen["interfaces"] == ["lo"]  # network_mode none
    assert seen["visible"] == [] and seen["root_writable"] is False
    assert seen["tmp_error"] == 28 and seen["tmp_written_mib"] < settings.sandbox_tmp_mib
    assert seen["limits"]["RLIMIT_DATA"] == 512 * 1024 * 1024 and seen["limits"]["RLIMIT_CORE"] == 0
    assert "GRADER_TEST_SECRET" not in seen["env"]


def test_container_configuration(docker: DockerSandbox) -> None:
    created = docker.client.containers.create(**docker.container_config(SandboxProfile()))
    try:
        host = created.attrs["HostConfig"]
        assert host["NetworkMode"] == "none" and host["ReadonlyRootfs"] is True
        assert host["CapDrop"] == ["ALL"] and "no-new-privileges" in host["SecurityOpt"]
        assert host["Memory"] == host["MemorySwap"] == docker.memory_mib * 1024 * 1024
        assert host["PidsLimit"] == docker.pids and host["NanoCpus"] == int(docker.cpus * 1e9)
        assert {u["Name"] for u in host["Ulimits"]} == {"nofile", "fsize", "core"}
        assert host["LogConfig"]["Config"]["max-size"] == "64k" and "/tmp" in host["Tmpfs"]
        assert created.attrs["Config"]["User"] == "10001:10001" and created.labels[LABEL] == "1"
        assert not host.get("Binds")  # nothing of the host is mounted
    finally:
        created.remove(force=True)


def test_a_gpu_question_asks_for_a_gpu(settings: Settings) -> None:
    """Checked on the created container's configuration: this machine has no GPU to start it on."""
    docker = make_sandbox(settings.model_copy(update={"docker_gpu_devices": "0,1"}), "docker")
    assert isinstance(docker, DockerSandbox)
    import sandbox.docker_backend as backend

    original = backend.gpu_present
    backend.gpu_present = lambda: True  # pretend this host has GPUs: the request is what we check
    try:
        config = docker.container_config(SandboxProfile(uses_torch=True, device="gpu"))
    finally:
        backend.gpu_present = original
    config["image"] = docker.image  # the CUDA image is not built on this machine
    created = docker.client.containers.create(**config)
    try:
        (request,) = created.attrs["HostConfig"]["DeviceRequests"]
        assert request["DeviceIDs"] == ["0", "1"] and request["Capabilities"] == [["gpu"]]
        assert created.attrs["Config"]["Cmd"][-1] == "gpu"
    finally:
        created.remove(force=True)


def test_without_a_gpu_a_setting_decides(settings: Settings) -> None:
    from sandbox.session import SandboxStartError

    fallback = make_sandbox(settings, "docker")
    assert isinstance(fallback, DockerSandbox)
    config = fallback.container_config(SandboxProfile(uses_torch=True, device="gpu"))
    assert "device_requests" not in config and config["image"] == fallback.image  # runs on the CPU
    refuse = make_sandbox(settings.model_copy(update={"gpu_fallback": "refuse"}), "docker")
    assert isinstance(refuse, DockerSandbox)
    with pytest.raises(SandboxStartError, match="no GPU"):
        refuse.container_config(SandboxProfile(uses_torch=True, device="gpu"))


def test_memory_exhaustion_is_reported_from_the_oom_state(docker: DockerSandbox) -> None:
    """Memory the rlimits cannot see (detached SysV segments) hits the question's limit, set on the container."""
    from tests.sandbox.test_sandbox_containment import SHM_HOARD

    run = run_and_check_removed(docker, job(SHM_HOARD, "hoard", 3, 256))
    assert run.result.killed == "memory", run.result


def test_wall_clock_kills_and_removes_the_container(docker: DockerSandbox) -> None:
    code = "import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\ndef f():\n    while True:\n        pass\n"
    run = run_and_check_removed(docker, job(code, "f", time_s=1))
    assert run.result.killed == "wall_time"


def test_leftovers_of_dead_owners_are_removed_live_ones_kept(docker: DockerSandbox) -> None:
    config = docker.container_config(SandboxProfile())
    live = docker.client.containers.create(**config)  # owned by this (live) process
    reused = f"{socket.gethostname()}:{os.getpid()}:1"  # this PID, but another start time: a reused PID
    config["labels"] = {**config["labels"], OWNER: reused}
    dead = docker.client.containers.create(**config)
    try:
        assert docker.remove_leftovers() >= 1
        ids = {c.id for c in containers(docker)}
        assert dead.id not in ids and live.id in ids
    finally:
        live.remove(force=True)


def test_compose_file_validates() -> None:
    for extra in ([], ["--profile", "gpu"]):
        done = subprocess.run(["docker-compose", *extra, "config", "-q"], cwd=REPO_ROOT, capture_output=True,
                              text=True, check=False)
        assert done.returncode == 0, done.stderr
