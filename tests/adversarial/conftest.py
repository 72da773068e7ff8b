"""Fixtures of the adversarial battery: a guarded grading helper, a canary, host servers.

``hostile(source)`` grades one hostile submission through the real pipeline and each
real sandbox backend (bubblewrap, then Docker), then checks what must hold whatever the
candidate did:

- no process of a sandbox uid, and no sandbox container, is left once ``grade`` has returned;
- nothing outside the sandbox changed: the question folder, the cache of expected
  outputs, the canary folder, the runner file bound into the sandbox, and any
  path the test names as one that must not appear;
- the grader still works: the accepted solution, graded right after, is accepted.
"""

from __future__ import annotations

import glob
import os
import secrets
import selectors
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from adversarial_support import (
    QUESTION_ID,
    assert_no_leftovers,
    assert_report_serializes,
    files_of_sandbox_uids,
    keys_of_sandbox_uids,
    summary,
    tree_digest,
)

from grader.grading.reference import expected_for
from grader.questions.loader import Question, find_question
from grader.settings import REPO_ROOT, Settings
from sandbox.base import Sandbox
from sandbox.docker_backend import LABEL, OWNER, DockerSandbox, owner
from sandbox.pool import SandboxPool
from submissions_schema import GradeReport, Verdict
from tests.conftest import unwrap

RUNNER_FILE = REPO_ROOT / "sandbox" / "runner.py"


@pytest.fixture(scope="session")
def question_dir(settings: Settings) -> Path:
    return settings.tasks_dir / QUESTION_ID


@pytest.fixture(scope="session")
def accepted_source(question_dir: Path) -> str:
    return (question_dir / "solutions" / "accepted_loops.py").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def warm(grade_code, accepted_source: str) -> None:  # type: ignore[no-untyped-def]
    """Grade the accepted solution once: the cache of expected outputs exists from here on."""
    report = grade_code(QUESTION_ID, accepted_source)
    assert report.verdict is Verdict.accepted, summary(report)


@dataclass(frozen=True)
class Canary:
    """A folder on the host with a secret file the sandbox must neither read nor change."""

    folder: Path
    file: Path
    token: str


@pytest.fixture(scope="session")
def canary(tmp_path_factory: pytest.TempPathFactory) -> Canary:
    folder = tmp_path_factory.mktemp("canary")
    token = "CANARY-" + secrets.token_hex(16)
    file = folder / "secret.txt"
    file.write_text(f"{token}\n", encoding="utf-8")
    return Canary(folder, file, token)


HostileGrader = Callable[..., GradeReport]


def _remove(patterns: tuple[str | Path, ...]) -> None:
    for pattern in patterns:
        for path in glob.glob(str(pattern)):
            if os.path.isdir(path) and not os.path.islink(path):
                os.rmdir(path)
            else:
                os.unlink(path)


def our_containers(sandbox: Sandbox) -> set[str]:
    """This process's sandbox containers, but those a warm pool holds ready (they serve the next submission)."""
    backend = unwrap(sandbox)
    if not isinstance(backend, DockerSandbox):
        return set()
    pooled: set[str] = set()
    if isinstance(sandbox, SandboxPool):
        sandbox.settle(timeout_s=120)  # a refill under way has made its container but not pooled it yet
        pooled = {p.process.container.id for p in sandbox.pooled()}
    # This process's only: another test run on the same engine has its own.
    listed = backend.client.containers.list(all=True, sparse=True, filters={"label": [LABEL, f"{OWNER}={owner()}"]})
    return {c.id for c in listed} - pooled


def assert_no_new_containers(sandbox: Sandbox, before: set[str]) -> None:
    """The Docker backend removes its container on every path."""
    left = our_containers(sandbox) - before
    assert not left, f"sandbox containers were left behind: {sorted(left)}"


@pytest.fixture
def hostile(grade_code, sandbox: Sandbox, settings: Settings, warm: None, canary: Canary,  # type: ignore[no-untyped-def]
            question_dir: Path, accepted_source: str) -> HostileGrader:
    """``hostile(source, absent=())``: grade ``source`` with every host-side check.

    ``absent``: paths (glob patterns) the submission tries to plant on the host.
    """

    def run(source: str, *, absent: tuple[str | Path, ...] = (), question_id: str = QUESTION_ID) -> GradeReport:
        folder = settings.tasks_dir / question_id
        question = find_question(settings.tasks_dir, question_id)
        assert isinstance(question, Question)
        expected_for(question, settings.cache_dir, settings.reference_timeout_s)  # the cache exists before
        watched = [folder, settings.cache_dir, canary.folder, RUNNER_FILE]
        _remove(absent)  # left by an earlier failing run only: start clean
        before = {path: tree_digest(path) for path in watched}
        containers_before = our_containers(sandbox)
        try:
            report = grade_code(question_id, source)
            assert_no_leftovers(settings)
            assert_no_new_containers(sandbox, containers_before)
            owned = files_of_sandbox_uids(settings.sandbox_uid_base, settings.sandbox_uid_count)
            assert not owned, f"files owned by a sandbox uid appeared on the host: {owned}"
            keys = keys_of_sandbox_uids(settings.sandbox_uid_base, settings.sandbox_uid_count)
            assert not keys, f"kernel keys of sandbox uids outlived the sandbox: {keys}"
            after = {path: tree_digest(path) for path in watched}
            changed = [str(path) for path in watched if before[path] != after[path]]
            assert not changed, f"the submission changed files outside the sandbox: {changed}"
            appeared = [p for pattern in absent for p in glob.glob(str(pattern))]
            assert not appeared, f"the submission created files outside the sandbox: {appeared}"
        finally:
            _remove(absent)  # never leave a planted file behind, even when failing
        assert_report_serializes(report)
        follow = grade_code(question_id, accepted_source if question_id == QUESTION_ID else _accepted(folder))
        assert len(report.tests) == len(follow.tests), summary(report)  # every case has its test
        assert follow.verdict is Verdict.accepted and follow.score == follow.max_score, (
            "the grader is broken after a hostile submission: " + summary(follow)
        )
        assert_no_leftovers(settings)
        return report

    return run


def _accepted(folder: Path) -> str:
    """The question's first solution expected to be accepted."""
    for path in sorted((folder / "solutions").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        if text.startswith("# expect: accepted"):
            return text
    raise AssertionError(f"{folder.name} has no accepted solution")


# --- servers on the host that the sandbox must not reach -----------------------------


@dataclass
class HostServers:
    """A TCP server (all interfaces), a UDP socket and an abstract unix socket on the host."""

    tcp_port: int
    udp_port: int
    abstract_name: str
    addresses: list[str]
    connections: list[str] = field(default_factory=list)
    datagrams: list[bytes] = field(default_factory=list)
    unix_connections: int = 0


def _host_addresses() -> list[str]:
    """This host's IPv4 addresses other than loopback (may be empty)."""
    found: set[str] = set()
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.add(str(info[4][0]))
    except OSError:
        pass
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 9))  # no packet is sent: this only picks a route
            found.add(probe.getsockname()[0])
    except OSError:
        pass
    return sorted(a for a in found if not a.startswith("127.") and a != "0.0.0.0")


@pytest.fixture(scope="session")
def host_servers() -> Iterator[HostServers]:
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.bind(("0.0.0.0", 0))
    tcp.listen(16)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("0.0.0.0", 0))
    name = "grader-adversarial-" + secrets.token_hex(8)
    unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    unix.bind("\0" + name)
    unix.listen(16)
    servers = HostServers(tcp.getsockname()[1], udp.getsockname()[1], name, _host_addresses())
    stop = threading.Event()
    sel = selectors.DefaultSelector()
    for sock in (tcp, udp, unix):
        sock.setblocking(False)
        sel.register(sock, selectors.EVENT_READ)

    def serve() -> None:
        while not stop.is_set():
            for key, _ in sel.select(timeout=0.05):
                sock = key.fileobj
                try:
                    if sock is tcp:
                        conn, peer = tcp.accept()
                        servers.connections.append(str(peer))
                        conn.sendall(b"HOST-SERVER-REACHED\n")
                        conn.close()
                    elif sock is udp:
                        data, _ = udp.recvfrom(65536)
                        servers.datagrams.append(data)
                    else:
                        conn, _ = unix.accept()
                        servers.unix_connections += 1
                        conn.sendall(b"HOST-SERVER-REACHED\n")
                        conn.close()
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield servers
    finally:
        stop.set()
        thread.join(timeout=2)
        for sock in (tcp, udp, unix):
            sock.close()
