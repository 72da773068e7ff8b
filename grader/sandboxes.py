"""Builds the sandbox backend that the settings name."""

from __future__ import annotations

from grader.settings import Settings
from sandbox.base import Sandbox
from sandbox.bwrap import BwrapSandbox
from sandbox.docker_backend import DockerSandbox
from sandbox.session import StreamLimits

BACKENDS = ("bwrap", "docker")


def make_sandbox(settings: Settings, backend: str | None = None) -> Sandbox:
    """The backend ``backend`` (default: ``settings.sandbox_backend``), configured."""
    name = backend or settings.sandbox_backend
    if name not in BACKENDS:
        raise ValueError(f"unknown sandbox backend {name!r}; known: {', '.join(BACKENDS)}")
    mib = 1024 * 1024
    stream = settings.sandbox_stream_mib * mib
    limits = StreamLimits(total_bytes=stream, frame_npz_bytes=stream)
    if name == "docker":
        return DockerSandbox(
            image=settings.docker_image, gpu_image=settings.docker_gpu_image, runtime=settings.docker_runtime,
            gpu_devices=settings.docker_gpu_devices, gpu_fallback=settings.gpu_fallback,
            memory_mib=settings.docker_memory_mib, max_memory_mib=settings.sandbox_max_memory_mib,
            cpus=settings.docker_cpus, tmp_mib=settings.sandbox_tmp_mib,
            pids=settings.docker_pids, nofile=settings.sandbox_nofile, cpu_s=settings.sandbox_cpu_s,
            startup_timeout_s=settings.sandbox_startup_timeout_s, grace_s=settings.sandbox_grace_s,
            stream_limits=limits,
        )
    return BwrapSandbox(
        bwrap_path=settings.bwrap_path,
        setpriv_path=settings.setpriv_path,
        lock_dir=settings.sandbox_lock_dir,
        uid_base=settings.sandbox_uid_base,
        uid_count=settings.sandbox_uid_count,
        tmp_mib=settings.sandbox_tmp_mib,
        max_memory_mib=settings.sandbox_max_memory_mib,
        cpu_s=settings.sandbox_cpu_s,
        nproc=settings.sandbox_nproc,
        nofile=settings.sandbox_nofile,
        startup_timeout_s=settings.sandbox_startup_timeout_s,
        grace_s=settings.sandbox_grace_s,
        stream_limits=limits,
    )
