"""Builds the sandbox backend that the settings name."""

from __future__ import annotations

from grader.settings import Settings
from sandbox.base import Sandbox, SandboxProfile
from sandbox.bwrap import BwrapSandbox
from sandbox.docker_backend import DockerSandbox, gpu_present
from sandbox.pool import SandboxPool
from sandbox.session import StreamLimits

BACKENDS = ("bwrap", "docker")


def make_sandbox(settings: Settings, backend: str | None = None, pooled: bool = False) -> Sandbox:
    """The backend ``backend`` (default: ``settings.sandbox_backend``), configured; with ``pooled``,
    behind a warm pool sized by the settings (workers; a one-off ``grader check`` needs none)."""
    made = _backend(settings, backend)
    if not pooled:
        return made
    sizes = pool_sizes(settings)
    return SandboxPool(made, sizes, settings.sandbox_pool_idle_s) if any(sizes.values()) else made


def pool_sizes(settings: Settings) -> dict[SandboxProfile, int]:
    """Warm sandboxes per profile: the settings', or from the worker's concurrency."""
    concurrency = settings.worker_concurrency
    numpy = concurrency if settings.sandbox_pool_numpy is None else settings.sandbox_pool_numpy
    torch = max(1, concurrency // 2) if settings.sandbox_pool_torch is None else settings.sandbox_pool_torch
    sizes = {SandboxProfile(uses_torch=False): numpy, SandboxProfile(uses_torch=True): torch}
    if settings.sandbox_backend == "docker" and gpu_present():
        sizes[SandboxProfile(uses_torch=True, device="gpu")] = torch
    return sizes


def _backend(settings: Settings, backend: str | None) -> Sandbox:
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
            cpus=settings.sandbox_cpus, tmp_mib=settings.sandbox_tmp_mib, tmp_inodes=settings.sandbox_tmp_inodes,
            pids=settings.docker_pids, nofile=settings.sandbox_nofile, cpu_s=settings.sandbox_cpu_s,
            startup_timeout_s=settings.sandbox_startup_timeout_s, grace_s=settings.sandbox_grace_s,
            stream_limits=limits,
        )
    return BwrapSandbox(
        bwrap_path=settings.bwrap_path,
        setpriv_path=settings.setpriv_path,
        rootfs=settings.sandbox_rootfs,
        lock_dir=settings.sandbox_lock_dir,
        uid_base=settings.sandbox_uid_base,
        uid_count=settings.sandbox_uid_count,
        tmp_mib=settings.sandbox_tmp_mib,
        tmp_inodes=settings.sandbox_tmp_inodes,
        max_memory_mib=settings.sandbox_max_memory_mib,
        cpus=settings.sandbox_cpus,
        cgroups=settings.sandbox_cgroups,
        forkserver=settings.sandbox_forkserver,
        cpu_s=settings.sandbox_cpu_s,
        nproc=settings.sandbox_nproc,
        nofile=settings.sandbox_nofile,
        startup_timeout_s=settings.sandbox_startup_timeout_s,
        grace_s=settings.sandbox_grace_s,
        stream_limits=limits,
    )


def isolation_report(settings: Settings) -> list[tuple[str, str]]:
    """What the bubblewrap backend's isolation rests on here: root image, control groups, seccomp."""
    from sandbox.policy import seccomp
    from sandbox.policy.cgroups import CgroupError, detect

    bwrap = make_sandbox(settings, "bwrap")
    assert isinstance(bwrap, BwrapSandbox)
    rows = []
    if bwrap.image is not None:
        rows.append(("bwrap root", f"sandbox image {bwrap.image}"))
    else:
        rows.append(("bwrap root", f"host layout: no image at {settings.sandbox_rootfs} (run `grader sandbox "
                                   "build` as root); host paths show inside the sandbox"))
    if not settings.sandbox_cgroups:
        rows.append(("bwrap cgroups", "off (GRADER_SANDBOX_CGROUPS=0): memory counts rlimits only"))
    else:
        try:
            host = detect()
            rows.append(("bwrap cgroups", f"ok (cgroup v{host.version})"))
        except CgroupError as exc:
            rows.append(("bwrap cgroups", f"not usable: {exc}; memory counts rlimits only"))
    try:
        rows.append(("seccomp", f"ok ({len(seccomp.bpf_program()) // 8} BPF instructions)"))
    except RuntimeError as exc:
        rows.append(("seccomp", f"not usable: {exc}"))
    return rows


def collect_garbage(settings: Settings) -> list[str]:
    """Remove what dead graders left on this host, on every backend that answers; say what."""
    lines = []
    bwrap = make_sandbox(settings, "bwrap")
    assert isinstance(bwrap, BwrapSandbox)
    lines += bwrap.remove_leftovers()
    docker = make_sandbox(settings, "docker")
    assert isinstance(docker, DockerSandbox)
    try:
        count = docker.remove_leftovers()
    except Exception as exc:  # noqa: BLE001 - no engine here is not a failure of the collection
        lines.append(f"docker: not reachable ({type(exc).__name__})")
    else:
        lines.append(f"docker: removed {count} container(s) of dead graders")
    return lines or ["nothing to remove"]
