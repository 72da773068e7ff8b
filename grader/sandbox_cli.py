"""``grader sandbox build``, ``grader sandbox doctor`` and ``grader sandbox gc``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import click

from grader.settings import REPO_ROOT, Settings
from sandbox.base import SandboxProfile

BUILD_SCRIPT = REPO_ROOT / "sandbox" / "image" / "build.sh"
DOCKERFILE = REPO_ROOT / "sandbox" / "image" / "Dockerfile"


@click.group()
def sandbox() -> None:
    """Build the sandbox image, see which backends work here, clean up after dead graders."""


@sandbox.command("build")
@click.option("--gpu", is_flag=True, help="The CUDA variant (GRADER_DOCKER_GPU_IMAGE).")
@click.option("--dockerfile", "use_dockerfile", is_flag=True,
              help="Build the Docker image from sandbox/image/Dockerfile (needs a registry) instead of debootstrap.")
@click.option("--rootfs/--no-rootfs", default=None, help="bubblewrap's root image (default: when root).")
@click.option("--image/--no-image", default=None, help="The Docker image (default: when an engine answers).")
@click.pass_obj
def build(settings: Settings, gpu: bool, use_dockerfile: bool, rootfs: bool | None, image: bool | None) -> None:
    """Build the sandbox's root filesystem for bubblewrap and the Docker image, from one Debian tree."""
    tag = settings.docker_gpu_image if gpu else settings.docker_image
    want_rootfs = (os.geteuid() == 0 and not gpu) if rootfs is None else rootfs
    want_image = _docker_answers() if image is None else image
    if use_dockerfile and want_image:
        args = ["--build-arg", "TORCH_INDEX=https://download.pytorch.org/whl/cu124"] if gpu else []
        _run(["docker", "build", "-f", str(DOCKERFILE), "-t", tag, *args, str(REPO_ROOT / "sandbox")], tag)
        want_image = False
    command = [str(BUILD_SCRIPT)]
    if want_rootfs:
        command += ["--rootfs", str(settings.sandbox_rootfs)]
    if want_image:
        command += ["--image", tag]
    if len(command) == 1:
        click.echo("nothing to build here: not root (no root image) and no Docker engine answers", err=True)
        sys.exit(2)
    if gpu:  # the CUDA build of torch: the default one on PyPI for Linux
        command = ["env", "GRADER_SANDBOX_TORCH=torch==2.13.0", *command, "gpu"]
    _run(command, " and ".join(filter(None, [str(settings.sandbox_rootfs) if want_rootfs else "",
                                              tag if want_image else ""])))


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(command, check=False, env={**os.environ, "PYTHON": sys.executable})
    if done.returncode != 0:
        click.echo(f"error: building {what} failed", err=True)
        sys.exit(3)
    click.echo(f"built {what}")


def _docker_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "info"], capture_output=True, check=False).returncode == 0


@sandbox.command("doctor")
@click.pass_obj
def doctor(settings: Settings) -> None:
    """Say which sandbox backends work on this machine, what isolation each gives, and why not."""
    from grader.sandboxes import isolation_report, make_sandbox
    from sandbox.docker_backend import gpu_present

    rows = []
    for backend in ("bwrap", "docker"):
        rows.append((backend, _try(lambda b=backend: make_sandbox(settings, b).prepare(SandboxProfile()).close())))
    rows += isolation_report(settings)
    rows.append(("gpu", "ok" if gpu_present() else "no NVIDIA device on this host"))
    for tool in ("bwrap", "docker", "debootstrap", "mksquashfs"):
        rows.append((f"tool {tool}", "ok" if shutil.which(tool) else "not installed"))
    for name, state in rows:
        click.echo(f"{name:<18} {state}")
    configured = dict(rows)[settings.sandbox_backend]
    sys.exit(0 if configured == "ok" else 1)


@sandbox.command("gc")
@click.pass_obj
def gc(settings: Settings) -> None:
    """Remove what dead graders left: sandbox processes, control groups, workspaces, containers."""
    from grader.sandboxes import collect_garbage

    for line in collect_garbage(settings):
        click.echo(line)


def _try(probe: object) -> str:
    try:
        probe()  # type: ignore[operator]
    except Exception as exc:  # noqa: BLE001 - the doctor reports every failure as text
        return f"not usable: {type(exc).__name__}: {str(exc)[:200]}"
    return "ok"
