"""The sandbox interface: what the grader hands a backend, and what it gets back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from submissions_schema import Limits, SandboxResult


@dataclass(frozen=True)
class SandboxCall:
    """One call for the runner: ``id`` is opaque, ``args``/``kwargs`` are encoded trees."""

    id: str
    call: str
    args: Any
    kwargs: Any


@dataclass(frozen=True)
class Phase:
    """Calls sent together, with the ``.npz`` bytes holding their arrays."""

    calls: list[SandboxCall] = field(default_factory=list)
    arrays: bytes = b""


@dataclass(frozen=True)
class SandboxProfile:
    """What must be loaded before a job arrives: decides which warm sandbox fits."""

    uses_torch: bool = False
    device: str = "cpu"


@dataclass(frozen=True)
class SandboxJob:
    """Everything the runner needs for one submission; never expected outputs.

    Hidden inputs sit in ``hidden`` and reach the sandbox only after everything
    the visible phase produced has been read and sealed.
    """

    candidate: str
    probe: str | None
    forbidden: list[str]
    limits: Limits
    profile: SandboxProfile
    visible: Phase
    hidden: Phase


@dataclass
class SandboxRun:
    """What a run gave back: the validated JSON part and the decoded return values.

    ``values`` maps a case id to its decoded value (NumPy arrays, Python scalars,
    tuples, lists, dicts) for each case whose status is ``ok``.
    """

    result: SandboxResult
    values: dict[str, Any] = field(default_factory=dict)


class PreparedSandbox(Protocol):
    """A sandbox started ahead of time, waiting for exactly one job."""

    def run(self, job: SandboxJob) -> SandboxRun:
        """Run ``job`` and release everything; a prepared sandbox is used once."""
        ...

    def close(self) -> None:
        """Kill and release the sandbox if it was never used."""
        ...

    def alive(self) -> bool:
        """Unused and still waiting for its job."""
        ...


class Sandbox(Protocol):
    """A sandbox backend (bubblewrap here; Docker beside it)."""

    name: str

    def prepare(self, profile: SandboxProfile) -> PreparedSandbox:
        """Start a sandbox with ``profile`` loaded; it waits for its job."""
        ...

    def run(self, job: SandboxJob) -> SandboxRun:
        """Prepare a sandbox for ``job`` and run it."""
        ...
