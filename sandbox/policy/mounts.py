"""Filesystems the trusted side mounts for bubblewrap sandboxes (as root).

- The root image: the sandbox image's Debian root filesystem as a squashfs file,
  loop-mounted read-only once per host and shared by every sandbox. Seen from inside,
  ``/proc/self/mountinfo`` then names a squashfs on a loop device and neutral paths
  only: no checkout, virtual environment, Python installation, user name or disk.
- A workspace per sandbox: a tmpfs of its own with a size cap and an inode cap, holding
  the sandbox's ``/tmp`` and a read-only copy of the runner (bound at ``/opt/grader``).
  Its pages are charged to the sandbox's memory group by whoever writes them.
"""

from __future__ import annotations

import ctypes
import fcntl
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

RUN_DIR = Path("/run/grader")
MS_NOSUID, MS_NODEV = 0x2, 0x4
MNT_DETACH = 0x2


class MountError(RuntimeError):
    """A mount the sandbox needs could not be made."""


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def root_image(image: Path) -> Path:
    """The root filesystem to bind at ``/``: ``image`` itself if a folder, else its loop mount."""
    if image.is_dir():
        return image
    st = image.stat()
    key = hashlib.sha256(f"{image.resolve()}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}".encode()).hexdigest()[:16]
    top = _private_dir(RUN_DIR / "rootfs")
    os.chmod(top, 0o755)  # the image is read by the sandbox uids through bubblewrap's bind
    target = top / key
    with open(top / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one mount per image, however many graders start at once
        if not os.path.ismount(target):
            target.mkdir(exist_ok=True)
            done = subprocess.run(["mount", "-o", "loop,ro,nodev,nosuid", str(image), str(target)],
                                  capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise MountError(f"cannot mount the sandbox image {image}: {done.stderr.strip()}")
    return target


class Workspace:
    """A sandbox's own tmpfs on the host: ``tmp/`` (its ``/tmp``) and ``runner.py`` (read-only)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def tmp(self) -> Path:
        return self.path / "tmp"

    @property
    def runner(self) -> Path:
        return self.path / "runner.py"

    @classmethod
    def create(cls, name: str, size_mib: int, inodes: int, runner: Path) -> Workspace:
        """Mount a fresh tmpfs (replacing one a dead grader left) and fill it."""
        workspace = cls(_private_dir(RUN_DIR / "sandbox") / name)
        workspace.remove()
        workspace.path.mkdir(mode=0o700)
        options = f"size={size_mib}m,nr_inodes={inodes},mode=0755".encode()
        if _libc().mount(b"tmpfs", bytes(workspace.path), b"tmpfs", MS_NOSUID | MS_NODEV, options) != 0:
            err = ctypes.get_errno()
            raise MountError(f"cannot mount a tmpfs at {workspace.path}: {os.strerror(err)}")
        workspace.tmp.mkdir()
        os.chmod(workspace.tmp, 0o1777)
        shutil.copyfile(runner, workspace.runner)
        os.chmod(workspace.runner, 0o444)
        return workspace

    def remove(self) -> None:
        """Detach the tmpfs (freed once the last process using it is gone) and remove the folder."""
        if os.path.ismount(self.path):
            _libc().umount2(bytes(self.path), MNT_DETACH)
        try:
            self.path.rmdir()
        except FileNotFoundError:
            pass


def leftover_workspaces() -> list[Path]:
    """Workspace folders that exist now (a live sandbox's, or a dead grader's)."""
    top = RUN_DIR / "sandbox"
    return sorted(p for p in top.iterdir() if p.is_dir()) if top.is_dir() else []
