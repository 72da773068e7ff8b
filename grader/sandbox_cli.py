"""``grader sandbox build`` and ``grader sandbox doctor``."""

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
    """Build the sandbox image and see which backends work here."""


@sandbox.command("build")
@click.option("--gpu", is_flag=True, help="The CUDA variant (GRADER_DOCKER_GPU_IMAGE).")
@click.option("--dockerfile", "use_dockerfile", is_flag=True,
              help="Build from sandbox/image/Dockerfile (needs a registry) instead of debootstrap.")
@click.pass_obj
def build(settings: Settings, gpu: bool, use_dockerfile: bool) -> None:
    """Build the sandbox image; with no registry, from a Debian root filesystem (the default)."""
    tag = settings.docker_gpu_image if gpu else settings.docker_image
    if use_dockerfile:
        args = ["--build-arg", "TORCH_INDEX=https://download.pytorch.org/whl/cu124"] if gpu else []
        command = ["docker", "build", "-f", str(DOCKERFILE), "-t", tag, *args, str(REPO_ROOT / "sandbox")]
    else:
        command = [str(BUILD_SCRIPT), tag, "gpu" if gpu else "cpu"]
        if gpu:
            # The CUDA build of torch: the default one on PyPI for Linux.
            command = ["env", "GRADER_SANDBOX_TORCH=torch==2.13.0", *command]
    done = subprocess.run(command, check=False, env={**os.environ, "PYTHON": sys.executable})
    if done.returncode != 0:
        click.echo(f"error: building {tag} failed", err=True)
        sys.exit(3)
    click.echo(f"built {tag}")


@sandbox.command("doctor")
@click.pass_obj
def doctor(settings: Settings) -> None:
    """Say which sandbox backends work on this machine, and why not."""
    from grader.sandboxes import make_sandbox
    from sandbox.docker_backend import gpu_present

    rows = []
    for backend in ("bwrap", "docker"):
        rows.append((backend, _try(lambda b=backend: make_sandbox(settings, b).prepare(SandboxProfile()).close())))
    rows.append(("gpu", "ok" if gpu_present() else "no NVIDIA device on this host"))
    for tool in ("bwrap", "docker", "debootstrap"):
        rows.append((f"tool {tool}", "ok" if shutil.which(tool) else "not installed"))
    for name, state in rows:
        click.echo(f"{name:<18} {state}")
    configured = dict(rows)[settings.sandbox_backend]
    sys.exit(0 if configured == "ok" else 1)


def _try(probe: object) -> str:
    try:
        probe()  # type: ignore[operator]
    except Exception as exc:  # noqa: BLE001 - the doctor reports every failure as text
        return f"not usable: {type(exc).__name__}: {str(exc)[:200]}"
    return "ok"
