"""A sandbox started while the trusted side still checks the submission.

Parsing and the static checks of a torch question import torch on the trusted side (about
as long as a torch sandbox takes to start); starting the sandbox beside them, not after,
takes one wait off the submission's path. A submission refused before it runs closes the
sandbox unused: it never sees a job.
"""

from __future__ import annotations

import threading
from types import TracebackType

from sandbox.base import PreparedSandbox, Sandbox, SandboxJob, SandboxProfile, SandboxRun
from sandbox.session import SandboxStartError


class EarlySandbox:
    """``backend.prepare(profile)`` on a thread from construction; :meth:`take` it, or leave the
    ``with`` block without taking it and it is closed."""

    def __init__(self, backend: Sandbox, profile: SandboxProfile, timeout_s: float) -> None:
        self.timeout_s = timeout_s  # beyond the backend's own start deadlines: a last bound on the wait
        self._lock = threading.Lock()
        self._prepared: _Held | None = None
        self._error: BaseException | None = None
        self._abandoned = False
        self._settled = threading.Event()  # started, or failed to
        threading.Thread(target=self._prepare, args=(backend, profile), name="early-sandbox", daemon=True).start()

    def _prepare(self, backend: Sandbox, profile: SandboxProfile) -> None:
        try:
            prepared = backend.prepare(profile)
        except BaseException as exc:  # noqa: BLE001 - handed to whoever takes it
            self._error = exc
            self._settled.set()
            return
        held = _Held(prepared)
        with self._lock:
            abandoned = self._abandoned
            if not abandoned:
                self._prepared = held
        self._settled.set()
        if abandoned:
            held.close()  # nobody will take it any more
            return
        # A sandbox started with a parent-death signal (bubblewrap's --die-with-parent) dies when
        # the thread that started it ends: this one stays until the sandbox is done with.
        held.done.wait()

    def take(self) -> PreparedSandbox:
        """The started sandbox (waiting for it); raises what starting it raised."""
        self._settled.wait(self.timeout_s)
        with self._lock:
            prepared, self._prepared = self._prepared, None
            if prepared is None:
                self._abandoned = True
        if prepared is not None:
            return prepared
        if self._error is not None:
            raise self._error
        raise SandboxStartError(f"the sandbox did not start within {self.timeout_s:g} s")

    def close(self) -> None:
        """Close the sandbox if it was never taken: once it has started, so that nothing of it
        outlives the submission's grading (past ``timeout_s``, the thread closes it itself)."""
        self._settled.wait(self.timeout_s)
        with self._lock:
            prepared, self._prepared = self._prepared, None
            self._abandoned = True
        if prepared is not None:
            prepared.close()

    def __enter__(self) -> EarlySandbox:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()


class _Held:
    """A prepared sandbox that says when it is done with (run, or closed)."""

    def __init__(self, prepared: PreparedSandbox) -> None:
        self.prepared = prepared
        self.done = threading.Event()

    def run(self, job: SandboxJob) -> SandboxRun:
        try:
            return self.prepared.run(job)
        finally:
            self.done.set()

    def close(self) -> None:
        try:
            self.prepared.close()
        finally:
            self.done.set()

    def alive(self) -> bool:
        return self.prepared.alive()
