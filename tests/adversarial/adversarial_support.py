"""Shared pieces of the adversarial battery: candidate snippets and host-side probes.

Imported by the tests of this folder (pytest puts the folder on ``sys.path``); the
fixtures built on these live in ``conftest.py`` beside it.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import stat
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from submissions_schema import GradeReport, Verdict

QUESTION_ID = "conv1d_full"

# A correct conv1d written without any forbidden name: prepended to "oracle"
# submissions, which return it only when their attack worked (so an attack that
# works turns into an accepted verdict, which every test refuses).
CORRECT = textwrap.dedent(
    """
    import numpy as _np


    def _correct(a, v):
        a = _np.asarray(a, dtype=float)
        v = _np.asarray(v, dtype=float)
        out = _np.zeros(len(a) + len(v) - 1)
        for i in range(len(a)):
            out[i:i + len(v)] += a[i] * v
        return out
    """
)


# A question with no forbidden names: the static check has nothing to refuse there, so attacks
# that use ctypes, sys internals or reflection reach the sandbox itself (what an attacker would pick).
OPEN_QUESTION = "conv_output_size"
CORRECT_OPEN = textwrap.dedent(
    """
    def _correct(n, f, p, s):
        if s < 1 or n + 2 * p < f:
            raise ValueError("the filter does not fit, or the stride is not positive")
        return (n + 2 * p - f) // s + 1
    """
)
ENTRIES = {QUESTION_ID: ("conv1d", "a, v", CORRECT), OPEN_QUESTION: ("conv_output_size", "n, f, p, s", CORRECT_OPEN)}


def oracle(attack: str, question_id: str = QUESTION_ID) -> str:
    """A submission to ``question_id`` running ``attack`` (a body defining ``_attack() -> bool``) once.

    When ``_attack()`` says it worked, every call returns the right answer (and the
    verdict would be ``accepted``); otherwise every call raises, so the expected
    verdict is ``runtime_error``.
    """
    name, params, correct = ENTRIES[question_id]
    return correct + textwrap.dedent(attack) + textwrap.dedent(
        f"""

        _RESULT = []


        def {name}({params}):
            if not _RESULT:
                try:
                    _RESULT.append(bool(_attack()))
                except BaseException as exc:  # the attack itself failing is the good outcome
                    print("attack raised", type(exc).__name__, exc)
                    _RESULT.append(False)
            if _RESULT[0]:
                return _correct({params})
            raise RuntimeError("the attack did not work")
        """
    )


def src(text: str) -> str:
    """Dedent a candidate source written inline in a test table."""
    return textwrap.dedent(text).lstrip("\n")


def summary(report: GradeReport) -> str:
    """The verdict, the message and the first tests of a report, for assertion messages."""
    lines = [f"verdict {report.verdict.value}: {report.message}"]
    for t in report.tests[:4]:
        lines.append(f"  {t.name} [{t.visibility.value}] {t.verdict.value}: {t.message[:400]!r}"
                     f" stdout={t.stdout[:200]!r} stderr={t.stderr[:200]!r}")
    if report.stdout or report.stderr:
        lines.append(f"  import stdout={report.stdout[:300]!r} stderr={report.stderr[:300]!r}")
    return "\n".join(lines)


def assert_report_serializes(report: GradeReport) -> None:
    """Both views of the report turn into JSON and into UTF-8 text (what the CLI and storage do)."""
    from grader.reports import for_role, render
    from submissions_schema import Role

    for view in (report, for_role(report, Role.candidate)):
        try:
            json.loads(view.model_dump_json())
            render(view).encode("utf-8")
        except (ValueError, UnicodeError) as exc:  # PydanticSerializationError is a ValueError
            raise AssertionError(f"the report cannot be written out: {exc!r}\n{summary(report)[:2000]!a}") from exc


def check_verdict(report: GradeReport, expected: Verdict | None) -> None:
    """``expected`` exactly, or (for ``None``) anything but accepted and internal_error."""
    if expected is None:
        assert report.verdict not in (Verdict.accepted, Verdict.internal_error), summary(report)
    else:
        assert report.verdict is expected, summary(report)
    if expected is not Verdict.accepted:
        assert report.score < report.max_score, summary(report)


# --- host-side probes -------------------------------------------------------------


def tree_digest(root: Path, skip: frozenset[str] = frozenset({"__pycache__"})) -> str:
    """A digest of a file tree: names, kinds, modes, sizes and contents (links not followed).

    Folders named in ``skip`` are left out: other tools (pytest, the reference
    process) may write bytecode into question folders while this battery runs.
    """
    h = hashlib.sha256()
    if not root.exists() and not root.is_symlink():
        return "absent"
    if root.is_file() and not root.is_symlink():
        h.update(root.read_bytes())
        return h.hexdigest()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in skip)
        rel = os.path.relpath(dirpath, root)
        h.update(f"D {rel} {oct(os.lstat(dirpath).st_mode)}\n".encode())
        for name in sorted(filenames) + sorted(d for d in dirnames if os.path.islink(os.path.join(dirpath, d))):
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            h.update(f"F {rel}/{name} {oct(st.st_mode)} {st.st_size}\n".encode())
            if stat.S_ISLNK(st.st_mode):
                h.update(os.readlink(path).encode())
            elif stat.S_ISREG(st.st_mode):
                with open(path, "rb") as fh:
                    h.update(hashlib.sha256(fh.read()).digest())
    return h.hexdigest()


@dataclass(frozen=True)
class Survivor:
    pid: int
    uid: int
    state: str
    name: str
    cmdline: str
    dying: bool  # a zombie, or SIGKILL already pending: gone in a moment


def _lock_is_free(lock_dir: Path, uid: int) -> bool:
    """Whether no grader holds the lock of ``uid`` right now (so no sandbox should run as it)."""
    path = lock_dir / f"uid-{uid}.lock"
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    finally:
        os.close(fd)


def sandbox_processes(uid_base: int, uid_count: int) -> list[Survivor]:
    """Every process on this host whose real, effective or saved uid is a sandbox uid."""
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            status = Path(entry.path, "status").read_text()
            cmdline = Path(entry.path, "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = {line.split(":", 1)[0]: line.split(":", 1)[1].split() for line in status.splitlines() if ":" in line}
        uids = [int(x) for x in fields.get("Uid", [])[:3]]
        hit = next((u for u in uids if uid_base <= u < uid_base + uid_count), None)
        if hit is not None:
            state = " ".join(fields.get("State", ["?"]))
            pending = int(fields.get("SigPnd", ["0"])[0], 16) | int(fields.get("ShdPnd", ["0"])[0], 16)
            dying = state[:1] in ("Z", "X") or bool(pending & (1 << (9 - 1)))
            name = " ".join(fields.get("Name", ["?"]))
            found.append(Survivor(int(entry.name), hit, state, name, cmdline[:200], dying))
    return found


def leftover_sandbox_processes(lock_dir: Path, uid_base: int, uid_count: int) -> list[Survivor]:
    """Sandbox-uid processes not explained by a sandbox that is running right now.

    Other grader runs on this host (other test sessions) hold their uid's lock file
    while their sandbox lives; a process of a uid whose lock is free is a leftover.
    """
    return [p for p in sandbox_processes(uid_base, uid_count) if _lock_is_free(lock_dir, p.uid)]


def assert_no_leftovers(settings: Any, grace_s: float = 2.0) -> None:
    """No sandbox process outlives ``grade``: none alive, and the dying ones gone within ``grace_s``."""
    args = (settings.sandbox_lock_dir, settings.sandbox_uid_base, settings.sandbox_uid_count)
    left = leftover_sandbox_processes(*args)
    alive = [p for p in left if not p.dying]
    assert not alive, f"sandbox processes survived the grading: {left}"
    deadline = time.monotonic() + grace_s
    while left and time.monotonic() < deadline:
        time.sleep(0.02)
        left = leftover_sandbox_processes(*args)
    assert not left, f"sandbox processes still there {grace_s} s after the grading: {left}"


SHARED_PLACES = ("/tmp", "/var/tmp", "/dev/shm", "/dev/mqueue")


def files_of_sandbox_uids(uid_base: int, uid_count: int) -> list[str]:
    """Entries in the host's shared scratch places owned by a sandbox uid (there should be none)."""
    found = []
    for place in SHARED_PLACES:
        try:
            entries = list(os.scandir(place))
        except OSError:
            continue
        for entry in entries:
            try:
                uid = entry.stat(follow_symlinks=False).st_uid
            except OSError:
                continue
            if uid_base <= uid < uid_base + uid_count:
                found.append(entry.path)
    return found


def keys_of_sandbox_uids(uid_base: int, uid_count: int) -> list[str]:
    """Lines of ``/proc/key-users`` for sandbox uids holding kernel keys (keys outlive a sandbox)."""
    try:
        lines = Path("/proc/key-users").read_text().splitlines()
    except OSError:
        return []
    found = []
    for line in lines:
        uid_text, _, rest = line.strip().partition(":")
        if uid_text.strip().isdigit() and uid_base <= int(uid_text) < uid_base + uid_count:
            keys = rest.split()[1].split("/")[0] if len(rest.split()) > 1 else "0"
            if keys != "0":
                found.append(line.strip())
    return found


# tanh_autograd: a forward that is right and a backward that is wrong (the derivative in x, not in tanh(x)).
WRONG_BACKWARD = src("""
    import torch


    class TanhFunction(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            e = torch.exp(-2 * x.abs())
            y = torch.sign(x) * (1 - e) / (1 + e)
            ctx.save_for_backward(x)
            return y

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return grad_output * (1 - x ** 2)  # wrong: the derivative in x, not in tanh(x)
    """)
