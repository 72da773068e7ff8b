"""Every setting of the grader, typed, with units in the names, read once.

Values come from the environment (``GRADER_<NAME>``, e.g. ``GRADER_SANDBOX_TMP_MIB``).
Nothing reads them at import time: the CLI (and later the app factory) calls
:meth:`Settings.load` once and passes the object down.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from submissions_schema import HiddenFeedback

REPO_ROOT = Path(__file__).resolve().parent.parent
VISIBILITY_MARGIN_S = 60  # above task_time_limit_s: a job that long is still running, not lost


def _default_cache_dir() -> Path:
    import os

    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "grader"


def _default_data_dir() -> Path:
    import os

    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "grader"


class Settings(BaseSettings):
    """The grader's configuration; see the README's settings table."""

    model_config = SettingsConfigDict(env_prefix="GRADER_", extra="ignore", frozen=True)

    tasks_dir: Path = Field(default=REPO_ROOT / "tasks", description="The question bank.")
    cache_dir: Path = Field(default_factory=_default_cache_dir, description="Expected outputs, per question version.")
    sandbox_backend: Literal["bwrap", "docker"] = "bwrap"
    bwrap_path: str = "bwrap"
    setpriv_path: str = "/usr/bin/setpriv"
    sandbox_lock_dir: Path = Path("/tmp/grader-sandbox-locks")
    sandbox_uid_base: int = Field(default=61000, ge=1000)
    sandbox_uid_count: int = Field(default=64, ge=1)
    sandbox_rootfs: Path = Field(
        default=Path("/var/lib/grader/sandbox/rootfs-cpu.sqfs"),
        description="bubblewrap's root filesystem: the sandbox image as squashfs (or a folder); "
        "`grader sandbox build` makes it. Missing: the host's /usr and Python are bound instead.",
    )
    sandbox_cgroups: bool = Field(default=True, description="A control group per bubblewrap sandbox (as root).")
    sandbox_forkserver: bool = Field(default=True, description="bubblewrap sandboxes forked from a zygote that "
                                     "imported NumPy/torch once (as root, on the sandbox image).")
    sandbox_pool_numpy: int | None = Field(default=None, ge=0, description="Warm NumPy sandboxes per worker; "
                                           "default: its concurrency; 0: no pool.")
    sandbox_pool_torch: int | None = Field(default=None, ge=0, description="Warm torch sandboxes per worker; "
                                           "default: half its concurrency, at least 1; 0: no pool.")
    sandbox_pool_idle_s: float = Field(default=300.0, gt=0, description="A warm sandbox unused this long is "
                                       "replaced by a fresh one.")
    sandbox_gc_interval_s: float = Field(default=300.0, gt=0, description="How often a worker removes what dead "
                                         "graders left (sandbox processes, groups, workspaces, containers).")
    sandbox_tmp_mib: int = Field(default=64, ge=1)
    sandbox_tmp_inodes: int = Field(default=4096, ge=64, description="Files and folders in the sandbox's /tmp.")
    sandbox_cpus: float = Field(default=1.0, gt=0, description="CPU quota of one sandbox (both backends).")
    sandbox_max_memory_mib: int = Field(default=4096, ge=256, description="Ceiling while the sandbox loads.")
    sandbox_cpu_s: int = Field(default=120, ge=1, description="CPU seconds of one sandbox, a backstop.")
    sandbox_nproc: int = Field(default=32, ge=4, description="Processes and threads of one sandbox.")
    sandbox_nofile: int = Field(default=64, ge=16)
    sandbox_startup_timeout_s: float = Field(default=60.0, gt=0)
    sandbox_grace_s: float = Field(default=2.0, ge=0, description="Wall time beyond the question's limit.")
    sandbox_stream_mib: int = Field(default=64, ge=1, description="All that one run may send back.")
    report_output_kib: int = Field(default=16, ge=1, description="Printed output kept per test in a report.")
    reference_timeout_s: float = Field(default=600.0, gt=0)
    hidden_variants: int = Field(default=16, ge=1, description="Sets of random hidden inputs, one per submission.")
    hidden_feedback: HiddenFeedback = Field(default="summary", description="Hidden tests in the candidate's view.")

    # --- the Docker backend ---
    docker_image: str = Field(default="dl-grader-sandbox:cpu", description="The sandbox image.")
    docker_gpu_image: str = Field(default="dl-grader-sandbox:gpu", description="Its CUDA variant.")
    docker_runtime: str = Field(default="", description="Container runtime: '' for the default, 'runsc' for gVisor.")
    docker_gpu_devices: str = Field(default="all", description="GPUs a GPU sandbox gets: 'all' or '0,1'.")
    gpu_fallback: Literal["cpu", "refuse"] = Field(default="cpu", description="GPU questions on a worker without one.")
    docker_memory_mib: int = Field(default=4096, ge=128, description="Container memory while it loads, swap "
                                   "included; the question's own limit applies once its job arrives.")
    docker_pids: int = Field(default=64, ge=8, description="Processes and threads in one container.")

    # --- free-text questions ---
    freetext_model: str = Field(
        default="all-MiniLM-L6-v2", description="Sentence-embedding model: a packaged name or a local folder."
    )
    freetext_review_margin: float = Field(
        default=0.03, ge=0, le=1, description="A point this close to its threshold marks the answer for review."
    )
    freetext_max_chars: int = Field(default=4000, ge=100, description="Prose of an answer read; the rest is ignored.")
    freetext_threads: int = Field(default=1, ge=1, description="CPU threads the model uses in a worker process.")

    # --- the service ---
    data_dir: Path = Field(default_factory=lambda: _default_data_dir(), description="Embedded database and queue.")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; default: SQLite in data_dir.")
    broker_url: str | None = Field(default=None, description="Celery broker; default: a local folder in data_dir.")
    broker_visibility_timeout_s: int = Field(
        default=0, ge=0, description="Redelivery of unacknowledged jobs; 0: just above task_time_limit_s.")
    broker_timeout_s: float = Field(default=1.0, gt=0, description="The API's wait on Redis before degrading.")
    queue_poll_s: float = Field(default=1.0, gt=0, description="The embedded queue's look at its folder when "
                                "no wake-up came (a fallback: publishers wake its workers).")
    queues: tuple[str, ...] = ("cpu", "gpu", "webhooks")
    worker_concurrency: int = Field(default=2, ge=1, description="Submissions graded at once by one worker.")
    webhook_concurrency: int = Field(default=4, ge=1, description="Deliveries sent at once by one worker.")
    warm_on_start: bool = Field(default=True, description="A grading worker computes every variant's expected "
                                "outputs in the background when it starts (grader.worker.warming).")
    task_time_limit_s: int = Field(default=900, ge=10, description="Hard limit of one grading task.")
    max_attempts: int = Field(default=3, ge=1, description="Deliveries before a job ends as internal_error.")
    retry_delay_s: float = Field(default=5.0, ge=0)
    lease_s: float = Field(default=30.0, gt=0, description="A claim lapses this long after its last heartbeat.")
    heartbeat_s: float = Field(default=5.0, gt=0, description="How often a worker renews the leases it holds.")
    sweep_interval_s: float = Field(default=10.0, gt=0, description="How often a worker looks for lost jobs.")
    pool_stats_every_s: float = Field(default=5.0, gt=0, description="How often a grading worker publishes its "
                                      "warm pool's figures to the database (/metrics reads them).")
    resend_queued_after_s: float = Field(default=60.0, gt=0, description="A job queued this long is sent again.")
    max_code_kib: int = Field(default=256, ge=1, description="Largest accepted source file.")
    max_request_kib: int = Field(default=4096, ge=1, description="Largest accepted request body.")
    max_batch: int = Field(default=100, ge=1, description="Submissions in one batch request.")
    max_queue_depth: int = Field(default=10000, ge=1, description="Queued submissions before 503.")
    rate_limit_per_min: int = Field(default=120, ge=1, description="Requests per key per minute.")
    max_wait_s: float = Field(default=60.0, ge=0, description="Longest ?wait= a client may ask for.")
    max_waiters: int = Field(default=256, ge=0, description="?wait= requests held at once by one API process.")
    max_waits_per_key: int = Field(default=16, ge=1, description="?wait= requests one key may hold at once.")
    wait_poll_s: float = Field(default=1.0, gt=0, description="A waiter's fallback check when no wake-up came.")
    page_size_max: int = Field(default=200, ge=1)
    # Per candidate key and question; 0: no limit.
    candidate_submissions_per_hour: int = Field(default=30, ge=0, description="Submissions in any hour.")
    candidate_submissions_max: int = Field(default=0, ge=0, description="Submissions in all.")

    # --- the web app's sessions, and live-event streams ---
    secret_key: SecretStr | None = Field(default=None, description="Signs session cookies; unset: generated once "
                                         "and kept in data_dir/secret-key (mode 0600).")
    session_lifetime_s: float = Field(default=43200.0, gt=0, description="A signed-in session lasts this long.")
    cookie_secure: bool = Field(default=False, description="Session cookies always Secure (behind a TLS proxy); "
                                "otherwise only on https requests.")
    max_streams: int = Field(default=64, ge=0, description="Live-event streams held at once by one API process.")
    max_streams_per_key: int = Field(default=8, ge=1, description="Live-event streams one key may hold at once.")
    stream_max_s: float = Field(default=600.0, gt=0, description="A stream ends after this long; browsers reconnect.")
    stream_keepalive_s: float = Field(default=15.0, gt=0, description="A comment on a quiet stream this often.")

    # --- webhooks ---
    webhook_timeout_s: float = Field(default=15.0, gt=0, description="One delivery attempt.")
    webhook_retry_scale: float = Field(default=1.0, gt=0, description="Multiplies every wait between attempts.")
    webhook_allow_hosts: str = Field(default="", description="Comma-separated hosts or addresses allowed anyway.")
    webhook_allow_http: bool = Field(default=False, description="Allow plain http (development only).")
    webhook_secret_grace_s: float = Field(default=86400.0, ge=0, description="The old secret signs this long.")
    webhook_disable_after_s: float = Field(default=5 * 86400.0, gt=0, description="Failing this long disables.")

    @model_validator(mode="after")
    def _derived(self) -> Settings:
        if self.heartbeat_s >= self.lease_s:
            raise ValueError("heartbeat_s must be shorter than lease_s (a lease would lapse between heartbeats)")
        if self.broker_visibility_timeout_s == 0:
            # Redis hands an unacknowledged job to another worker after this long: just above the longest
            # task, so a live worker's job is never taken from it, and a dead worker's comes back soon.
            # Frozen model: set once here, during validation.
            object.__setattr__(self, "broker_visibility_timeout_s", self.task_time_limit_s + VISIBILITY_MARGIN_S)
        return self

    @classmethod
    def load(cls) -> Settings:
        """Read the settings from the environment, once."""
        return cls()

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'grader.db'}"

    @property
    def webhook_allowed_hosts(self) -> frozenset[str]:
        return frozenset(h.strip().lower().strip("[]") for h in self.webhook_allow_hosts.split(",") if h.strip())

    @property
    def embedded_broker(self) -> bool:
        """True when no broker server is configured: a local folder carries the queue."""
        return self.broker_url is None
