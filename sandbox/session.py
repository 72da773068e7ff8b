"""Drives the runner's protocol over any process with three pipes (backend-neutral).

A backend starts the runner (in bubblewrap, in a container) and wraps it as a
:class:`Process`; a :class:`Session` then waits for ``ready``, hands over the job in
two phases, enforces the wall-clock limit and the size of what comes back, and
assembles a validated :class:`SandboxRun`.
"""

from __future__ import annotations

import base64
import json
import queue
import threading
import time
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import ValidationError

from sandbox.base import Phase, SandboxJob, SandboxRun
from sandbox.wire import Frame, FrameReader, TooComplex, WireError, decode_value, load_arrays
from submissions_schema import CaseOutcome, RunnerInfo, SandboxResult

_EOF = object()


class SandboxStartError(RuntimeError):
    """The sandbox could not be started or did not become ready: our fault, not the candidate's."""


class Process(Protocol):
    """A started runner: its pipes, and a way to end it and everything it started."""

    def write(self, data: bytes) -> None: ...
    def read_stdout(self) -> bytes: ...
    def read_stderr(self) -> bytes: ...
    def kill(self) -> None: ...
    def wait(self, timeout_s: float = 10.0) -> int | None: ...


@dataclass(frozen=True)
class StreamLimits:
    """Caps on what a sandbox may send back."""

    total_bytes: int = 64 * 1024 * 1024
    frame_json_bytes: int = 4 * 1024 * 1024
    frame_npz_bytes: int = 48 * 1024 * 1024
    diagnostics_bytes: int = 16 * 1024


class Session:
    """One runner process, from ``ready`` to the end of its single job."""

    def __init__(self, process: Process, backend: str, limits: StreamLimits) -> None:
        self.process = process
        self.backend = backend
        self.limits = limits
        self.frames: queue.Queue[Any] = queue.Queue()
        self.diagnostics = bytearray()
        self.overflow = False
        self.info: RunnerInfo | None = None
        self.start_s = 0.0
        self.ended = False  # the runner's stdout reached its end: the sandbox is gone
        self._writers: list[threading.Thread] = []
        self._threads = [
            threading.Thread(target=self._pump_stdout, daemon=True),
            threading.Thread(target=self._pump_stderr, daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def _pump_stdout(self) -> None:
        reader = FrameReader(self.limits.frame_json_bytes, self.limits.frame_npz_bytes)
        total = 0
        try:
            while chunk := self.process.read_stdout():
                total += len(chunk)
                if total > self.limits.total_bytes:
                    self.overflow = True
                    self.process.kill()
                    break
                for frame in reader.feed(chunk):
                    self.frames.put(frame)
        except WireError as exc:
            self.frames.put(exc)
            self.process.kill()
        except (OSError, ValueError):  # the pipe was closed under us: the run is over
            pass
        self.ended = True
        self.frames.put(_EOF)

    def _pump_stderr(self) -> None:
        try:
            while chunk := self.process.read_stderr():
                room = self.limits.diagnostics_bytes - len(self.diagnostics)
                self.diagnostics += chunk[: max(room, 0)]
        except (OSError, ValueError):
            pass

    def join(self, timeout_s: float = 10.0) -> None:
        """Wait for the reader threads (they end once the process's pipes reach EOF)."""
        for thread in self._threads:
            thread.join(timeout_s)

    def wait_ready(self, timeout_s: float) -> RunnerInfo:
        """Block until the runner has loaded its libraries; raise :class:`SandboxStartError`."""
        t0 = time.monotonic()
        item = self._get(t0 + timeout_s)
        if not isinstance(item, Frame) or item.kind != "ready":
            self.process.kill()
            self.process.wait()
            raise SandboxStartError(f"the sandbox did not start: {self._diag() or item!r}"[:2000])
        try:
            self.info = RunnerInfo.model_validate(clean_text(item.payload))
        except ValidationError as exc:
            raise SandboxStartError(f"the runner's ready frame is invalid: {exc}") from exc
        self.start_s = time.monotonic() - t0
        return self.info

    def run(self, job: SandboxJob, grace_s: float) -> SandboxRun:
        """Hand over ``job`` and collect its frames within ``time_s + grace_s``."""
        t0 = time.monotonic()
        deadline = t0 + job.limits.time_s + grace_s
        collector = _Collector(self.limits.frame_npz_bytes)
        first = {
            "candidate": job.candidate,
            "probe": job.probe,
            "forbidden": job.forbidden,
            "limits": job.limits.model_dump(),
            **_phase_message(job.visible),
        }
        end = self._send(first, deadline) or self._collect(collector, job.visible, deadline, "phase")
        if end == "phase":
            # Everything the visible phase produced is now sealed in ``collector``:
            # nothing printed from here on can be attributed to a visible case.
            end = self._send(_phase_message(job.hidden), deadline) or self._collect(
                collector, job.hidden, deadline, "done"
            )
        exit_code = self._end(end)
        for writer in self._writers:  # a blocked write ends once the sandbox is gone
            writer.join(5.0)
        killed = {"timeout": "wall_time", "protocol": "protocol"}.get(end or "")
        if self.overflow:
            killed = "output"
        result = SandboxResult(
            backend=self.backend,
            runner=self.info,
            load=collector.load,
            cases=collector.cases,
            killed=killed,  # type: ignore[arg-type]
            exit_code=exit_code,
            diagnostics=self._diag(),
            start_s=self.start_s,
            run_s=time.monotonic() - t0,
        )
        return SandboxRun(result=result, values=collector.values)

    def _end(self, end: str | None) -> int | None:
        """Kill the sandbox; its exit status. When its runner ended by itself ("eof"), the status it
        ended with is taken first (a second at most), not the status of our kill."""
        exit_code = self.process.wait(timeout_s=1.0) if end == "eof" else None
        self.process.kill()
        return exit_code if exit_code is not None else self.process.wait()

    def _send(self, message: dict[str, Any], deadline: float) -> str | None:
        """Write one line to the runner within ``deadline``: ``None`` when written, else how it ended.

        The write happens in a thread: a runner that stopped reading its stdin (candidate code
        replaced the reader with a sleep) would block a plain write forever once the pipe's
        buffer is full. At the deadline the caller kills the sandbox, which ends the write.
        """
        data = json.dumps(message).encode() + b"\n"
        failed: list[BaseException] = []

        def write() -> None:
            try:
                self.process.write(data)
            except (OSError, ValueError) as exc:  # the pipe broke, or was closed under us
                failed.append(exc)

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        writer.join(max(deadline - time.monotonic(), 0.0))
        if writer.is_alive():
            self._writers.append(writer)
            return "timeout"
        return "eof" if failed else None

    def _collect(self, collector: _Collector, phase: Phase, deadline: float, until: str) -> str:
        """Read frames for ``phase`` until ``until``; say how the phase ended."""
        expected = [call.id for call in phase.calls]
        while True:
            item = self._get(deadline)
            if item is _EOF:
                return "eof"
            if item is None:
                return "timeout"
            if isinstance(item, WireError):
                return "protocol"
            if item.kind == until and collector.complete(expected):
                return until
            if not collector.accept(item, expected):
                return "protocol"

    def _get(self, deadline: float) -> Any:
        try:
            return self.frames.get(timeout=max(deadline - time.monotonic(), 0.001))
        except queue.Empty:
            return None

    def _diag(self) -> str:
        return bytes(self.diagnostics).decode("utf-8", "replace")


def exit_status(code: int) -> int:
    """A runner's exit status: a death by signal N is -N (bubblewrap and Docker report 128 + N)."""
    return -(code - 128) if 128 < code < 128 + 65 else code


class SingleUse:
    """A prepared sandbox: runs exactly one job, then releases everything in ``close``."""

    def __init__(self, session: Session, grace_s: float) -> None:
        self.session = session
        self.grace_s = grace_s
        self.used = False

    def run(self, job: SandboxJob) -> SandboxRun:
        if self.used:
            raise RuntimeError("a sandbox serves exactly one submission")
        self.used = True
        try:
            self.limit(job)
            return self.finish(self.session.run(job, self.grace_s))
        finally:
            self.close()

    def limit(self, job: SandboxJob) -> None:
        """Apply the question's own limits before the job is sent (a prepared sandbox knows no question)."""

    def alive(self) -> bool:
        """Unused, and its runner still waiting for a job (a pool never hands out a dead one)."""
        return not self.used and not self.session.ended and self.session.frames.empty()

    def finish(self, run: SandboxRun) -> SandboxRun:
        """What the backend knows beyond the stream (Docker: the OOM state); before ``close``."""
        return run

    def close(self) -> None:
        raise NotImplementedError


def _phase_message(phase: Phase) -> dict[str, Any]:
    return {
        "calls": [{"id": c.id, "call": c.call, "args": c.args, "kwargs": c.kwargs} for c in phase.calls],
        "arrays": base64.b64encode(phase.arrays).decode(),
    }


def clean_text(value: Any) -> Any:
    """Replace lone surrogates (valid in JSON, not in UTF-8) so reports can always be written."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, list):
        return [clean_text(v) for v in value]
    if isinstance(value, dict):
        return {clean_text(k): clean_text(v) for k, v in value.items()}
    return value


class _Collector:
    """Accepts frames strictly in order: ``load`` once, then each expected case once."""

    def __init__(self, max_npz: int) -> None:
        self.max_npz = max_npz
        self.load: CaseOutcome | None = None
        self.cases: list[CaseOutcome] = []
        self.values: dict[str, Any] = {}

    def complete(self, expected: list[str]) -> bool:
        done = {c.id for c in self.cases}
        return self.load is not None and all(e in done for e in expected)

    def accept(self, frame: Frame, expected: list[str]) -> bool:
        try:
            outcome = CaseOutcome.model_validate(clean_text(frame.payload))
        except ValidationError:
            return False
        if frame.kind == "load" and self.load is None and outcome.id == "load":
            self.load = outcome
            return True
        done = {c.id for c in self.cases}
        pending = [e for e in expected if e not in done]
        if frame.kind != "case" or self.load is None or not pending or outcome.id != pending[0]:
            return False
        if outcome.status == "ok":
            try:
                self.values[outcome.id] = decode_value(outcome.value, load_arrays(frame.npz, self.max_npz))
            except TooComplex as exc:
                outcome = outcome.model_copy(
                    update={"status": "too_large", "message": f"the returned value is too large or too complex ({exc})"}
                )
            except WireError as exc:
                outcome = outcome.model_copy(
                    update={"status": "bad_output", "message": f"the returned value could not be read ({exc})"}
                )
        self.cases.append(outcome)
        return True
