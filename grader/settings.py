"""Every setting of the grader, typed, with units in the names, read once.

Values come from the environment (``GRADER_<NAME>``, e.g. ``GRADER_SANDBOX_TMP_MIB``).
Nothing reads them at import time: the CLI (and later the app factory) calls
:meth:`Settings.load` once and passes the object down.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


def _default_cache_dir() -> Path:
    import os

    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "grader"


class Settings(BaseSettings):
    """The grader's configuration; see the README's settings table."""

    model_config = SettingsConfigDict(env_prefix="GRADER_", extra="ignore", frozen=True)

    tasks_dir: Path = Field(default=REPO_ROOT / "tasks", description="The question bank.")
    cache_dir: Path = Field(default_factory=_default_cache_dir, description="Expected outputs, per question version.")
    sandbox_backend: Literal["bwrap"] = "bwrap"
    bwrap_path: str = "bwrap"
    setpriv_path: str = "/usr/bin/setpriv"
    sandbox_lock_dir: Path = Path("/tmp/grader-sandbox-locks")
    sandbox_uid_base: int = Field(default=61000, ge=1000)
    sandbox_uid_count: int = Field(default=64, ge=1)
    sandbox_tmp_mib: int = Field(default=64, ge=1)
    sandbox_max_memory_mib: int = Field(default=4096, ge=256, description="Ceiling while the sandbox loads.")
    sandbox_cpu_s: int = Field(default=120, ge=1, description="CPU seconds of one sandbox, a backstop.")
    sandbox_nproc: int = Field(default=32, ge=4, description="Processes and threads of one sandbox.")
    sandbox_nofile: int = Field(default=64, ge=16)
    sandbox_startup_timeout_s: float = Field(default=60.0, gt=0)
    sandbox_grace_s: float = Field(default=2.0, ge=0, description="Wall time beyond the question's limit.")
    sandbox_stream_mib: int = Field(default=64, ge=1, description="All that one run may send back.")
    report_output_kib: int = Field(default=16, ge=1, description="Printed output kept per test in a report.")
    reference_timeout_s: float = Field(default=600.0, gt=0)

    @classmethod
    def load(cls) -> Settings:
        """Read the settings from the environment, once."""
        return cls()
