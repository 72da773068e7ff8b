"""The Docker backend: one fresh container per submission, from the sandbox image.

Each container has no network, a read-only root, a size-capped tmpfs at ``/tmp``, no
capabilities, ``no-new-privileges``, the seccomp policy of ``sandbox.policy.seccomp``, a
non-root user, a PID limit, memory without swap (the question's own limit once its job
arrives), a CPU quota, ``nofile``/``fsize`` ulimits, a capped log, and labels marking it
as ours. Pid 1 is the runner's own minimal init (no ``docker-init``), which the candidate
can neither trace nor signal.
Inputs go in on stdin and results come out on stdout (the runner's protocol): nothing
writable is mounted from the host. The container is removed on every path, and
:meth:`DockerSandbox.remove_leftovers` clears what a dead worker left behind.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
from pathlib import Path
from typing import Any

from sandbox.base import SandboxJob, SandboxProfile, SandboxRun
from sandbox.policy.seccomp import docker_profile
from sandbox.session import SandboxStartError, Session, SingleUse, StreamLimits, exit_status

log = logging.getLogger(__name__)

LABEL = "dl-grader.sandbox"
OWNER = "dl-grader.owner"  # host:pid of the process that started the container
PYTHON = "/opt/venv/bin/python"
RUNNER = "/opt/grader/runner.py"
SANDBOX_USER = "10001:10001"


class ContainerProcess:
    """A container's attached stdin/stdout/stderr, demultiplexed into two pipes."""

    def __init__(self, container: Any, sock: Any) -> None:
        self.container = container
        self.raw = sock._sock  # the attach socket carries stdin in and multiplexed output out
        self.out_r, out_w = os.pipe()
        self.err_r, err_w = os.pipe()
        self._demux = threading.Thread(target=self._split, args=(out_w, err_w), daemon=True)
        self._demux.start()

    def _split(self, out_w: int, err_w: int) -> None:
        """Docker frames: 8-byte header (stream, 0, 0, 0, big-endian length), then the payload."""
        try:
            while header := self._read(8):
                payload = self._read(int.from_bytes(header[4:8], "big"))
                target = err_w if header[0] == 2 else out_w
                view = memoryview(payload)
                while view:
                    view = view[os.write(target, view):]
        except OSError:
            pass
        finally:
            os.close(out_w)
            os.close(err_w)

    def _read(self, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = self.raw.recv(size - len(data))
            if not chunk:
                return b""
            data += chunk
        return data

    def write(self, data: bytes) -> None:
        self.raw.sendall(data)

    def read_stdout(self) -> bytes:
        return os.read(self.out_r, 65536)

    def read_stderr(self) -> bytes:
        return os.read(self.err_r, 65536)

    def kill(self) -> None:
        try:
            self.container.kill()
        except Exception:  # noqa: BLE001 - already stopped or gone: either way it no longer runs
            pass

    def wait(self, timeout_s: float = 10.0) -> int | None:
        try:
            return exit_status(int(self.container.wait(timeout=timeout_s)["StatusCode"]))
        except Exception:  # noqa: BLE001 - the engine may time out or the container may be gone
            return None

    def close(self) -> None:
        try:
            self.raw.close()
        except OSError:
            pass
        self._demux.join(5)
        for fd in (self.out_r, self.err_r):
            try:
                os.close(fd)
            except OSError:
                pass


class DockerPrepared(SingleUse):
    """A started container with its libraries loaded, waiting for one job."""

    def __init__(self, session: Session, process: ContainerProcess, grace_s: float) -> None:
        super().__init__(session, grace_s)
        self.process = process

    def limit(self, job: SandboxJob) -> None:
        """The question's memory for the whole container, swap included, before its job arrives."""
        memory = f"{job.limits.memory_mib}m"
        try:
            self.process.container.update(mem_limit=memory, memswap_limit=memory)
        except Exception as exc:  # noqa: BLE001 - the engine's errors come in many types
            raise SandboxStartError(f"cannot set the container's memory to {memory}: {exc}") from exc

    def finish(self, run: SandboxRun) -> SandboxRun:
        if run.result.killed is None and self._oom_killed():
            run.result.killed = "memory"
        return run

    def _oom_killed(self) -> bool:
        try:
            self.process.container.reload()
            return bool(self.process.container.attrs["State"].get("OOMKilled"))
        except Exception:  # noqa: BLE001 - gone already: nothing to say about its memory
            return False

    def close(self) -> None:
        self.process.kill()
        self.session.join()
        self.process.close()
        remove_container(self.process.container)


class DockerSandbox:
    """Backend ``docker``: see the module docstring."""

    name = "docker"

    def __init__(
        self,
        *,
        image: str = "dl-grader-sandbox:cpu",
        gpu_image: str = "dl-grader-sandbox:gpu",
        runtime: str | None = None,
        gpu_devices: str = "all",
        gpu_fallback: str = "cpu",
        memory_mib: int = 4096,
        max_memory_mib: int = 4096,
        cpus: float = 1.0,
        tmp_mib: int = 64,
        tmp_inodes: int = 4096,
        pids: int = 64,
        nofile: int = 64,
        cpu_s: int = 120,
        startup_timeout_s: float = 60.0,
        grace_s: float = 2.0,
        stream_limits: StreamLimits | None = None,
        client: Any = None,
    ) -> None:
        self.image, self.gpu_image, self.runtime = image, gpu_image, runtime or None
        self.gpu_devices, self.gpu_fallback = gpu_devices, gpu_fallback
        self.memory_mib, self.cpus, self.tmp_mib, self.tmp_inodes = memory_mib, cpus, tmp_mib, tmp_inodes
        self.max_memory_mib = max_memory_mib
        self.pids, self.nofile, self.cpu_s = pids, nofile, cpu_s
        self.startup_timeout_s, self.grace_s = startup_timeout_s, grace_s
        self.stream_limits = stream_limits or StreamLimits()
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            import docker

            try:
                self._client = docker.from_env(timeout=60)
            except docker.errors.DockerException as exc:
                raise SandboxStartError(f"the Docker engine is not reachable: {exc}") from exc
        return self._client

    def run(self, job: SandboxJob) -> SandboxRun:
        return self.prepare(job.profile).run(job)

    def prepare(self, profile: SandboxProfile) -> DockerPrepared:
        import docker

        t0 = time.monotonic()
        container = None
        try:
            container = self.client.containers.create(**self.container_config(profile))
            sock = container.attach_socket(params={"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1})
            container.start()
        except (docker.errors.DockerException, OSError) as exc:  # requests' timeouts are OSErrors
            if container is not None:
                remove_container(container)
            raise SandboxStartError(f"the sandbox container did not start: {exc}") from exc
        process = ContainerProcess(container, sock)
        prepared = DockerPrepared(Session(process, self.name, self.stream_limits), process, self.grace_s)
        try:
            prepared.session.wait_ready(self.startup_timeout_s)
        except BaseException:
            prepared.close()
            raise
        prepared.session.start_s = time.monotonic() - t0  # creating and starting the container too
        return prepared

    def container_config(self, profile: SandboxProfile) -> dict[str, Any]:
        """Everything ``containers.create`` is given for one sandbox."""
        from docker.types import DeviceRequest, LogConfig, Ulimit

        gpu = profile.device == "gpu" and self._gpu_wanted()
        memory = f"{self.memory_mib}m"
        fsize = 1024 * 1024
        # The runner's own limits follow the question (as in bubblewrap); the container's memory
        # limit stands above them as the backstop, reported from its OOM state.
        command = [PYTHON, "-I", "-B", RUNNER, str(self.max_memory_mib), str(self.cpu_s), str(self.pids * 4),
                   str(self.nofile), str(fsize), "1" if profile.uses_torch else "0", "gpu" if gpu else "cpu"]
        config: dict[str, Any] = {
            "image": self.gpu_image if gpu else self.image, "command": command, "user": SANDBOX_USER,
            "stdin_open": True, "tty": False, "network_mode": "none", "read_only": True, "hostname": "sandbox",
            "cgroupns": "private",  # its own cgroup root: the engine's group names stay out of /proc
            "init": False,  # the runner forks its own init as pid 1 (see runner.become_init)
            "tmpfs": {"/tmp": f"rw,nosuid,nodev,size={self.tmp_mib}m,nr_inodes={self.tmp_inodes},mode=1777"},
            "working_dir": "/tmp",
            "cap_drop": ["ALL"], "pids_limit": self.pids,
            "security_opt": ["no-new-privileges", "seccomp=" + json.dumps(docker_profile())],
            "mem_limit": memory, "memswap_limit": memory, "nano_cpus": int(self.cpus * 1e9),
            "ulimits": [Ulimit(name="nofile", soft=self.nofile, hard=self.nofile),
                        Ulimit(name="fsize", soft=fsize, hard=fsize), Ulimit(name="core", soft=0, hard=0)],
            "log_config": LogConfig(type="json-file", config={"max-size": "64k", "max-file": "1"}),
            "labels": {LABEL: "1", OWNER: owner()}, "environment": {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
                                                    "MKL_NUM_THREADS": "1", "MALLOC_ARENA_MAX": "2",
                                                    "PYTHONHASHSEED": "0", "HOME": "/tmp"},
            "runtime": self.runtime,
        }
        if gpu:
            ids = None if self.gpu_devices == "all" else [d.strip() for d in self.gpu_devices.split(",")]
            config["device_requests"] = [DeviceRequest(count=-1 if ids is None else None, device_ids=ids,
                                                       capabilities=[["gpu"]])]
        return config

    def _gpu_wanted(self) -> bool:
        """Whether a GPU question gets a GPU here; with none, run on the CPU or refuse (a setting)."""
        if gpu_present():
            return True
        if self.gpu_fallback == "refuse":
            raise SandboxStartError("this worker has no GPU and GRADER_GPU_FALLBACK=refuse")
        return False

    def remove_leftovers(self) -> int:
        """Remove the containers whose owner process is gone (a worker calls this when it starts).

        Containers of live processes (other workers on this host, other hosts on the same
        engine) are left alone.
        """
        removed = 0
        # Sparse: no inspection per container, which would fail for one removed meanwhile.
        for container in self.client.containers.list(all=True, sparse=True, filters={"label": LABEL}):
            if owner_alive((container.attrs.get("Labels") or {}).get(OWNER, "")):
                continue
            removed += remove_container(container)
        return removed


def remove_container(container: Any, attempts: int = 3) -> bool:
    """Remove ``container`` (killing it), trying again when a busy engine times out; ``False`` if it stayed."""
    import docker

    for attempt in range(attempts):
        try:
            container.remove(force=True)
            return True
        except docker.errors.NotFound:
            return True
        except Exception as exc:  # noqa: BLE001 - timeouts and engine errors: try again, then report
            if attempt == attempts - 1:
                log.error("the sandbox container %s could not be removed: %s", container.id, exc)
            time.sleep(1.0)
    return False


def owner(pid: int | None = None) -> str:
    """``host:pid:start`` of a process; the start time tells a reused PID from the original."""
    pid = pid or os.getpid()
    return f"{socket.gethostname()}:{pid}:{process_start(pid)}"


def process_start(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[19]  # field 22: start time in clock ticks
    except (OSError, IndexError):
        return ""


def owner_alive(label: str) -> bool:
    """Whether the process named by an owner label may still be using its container."""
    host, _, rest = label.partition(":")
    if host != socket.gethostname():
        return bool(host)  # another host's: not ours to judge; no label at all: a leftover
    pid, _, start = rest.partition(":")
    if not pid.isdigit():
        return False
    if _state(int(pid)) in ("", "Z", "X"):
        return False  # gone, or killed and not yet reaped: it uses nothing any more
    return process_start(int(pid)) == start  # or its PID now belongs to another process


def _state(pid: int) -> str:
    """The process's state letter (``R``, ``S``, ``Z``...), ``""`` when there is no such process."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return ""


def gpu_present() -> bool:
    """An NVIDIA GPU is visible to this host's engine (its device nodes exist)."""
    return Path("/dev/nvidiactl").exists()
