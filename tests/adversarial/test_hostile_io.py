"""Hostile submissions reaching outside the sandbox: network, files, and the result channel.

Most are "oracles" (see ``adversarial_support.oracle``): the submission returns the
right answer only when its attack worked, so a working attack shows up as an
accepted verdict; a failed one as ``runtime_error``. Host-side checks come on top:
the test's own servers saw nothing, files are unchanged, secrets never appear in
the (interviewer's, unredacted) report.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from adversarial_support import CORRECT, check_verdict, oracle, src, summary

from grader.reports import for_role, render
from grader.settings import REPO_ROOT, Settings
from sandbox.bwrap import BwrapSandbox
from submissions_schema import GradeReport, Role, Verdict
from tests.conftest import unwrap

RTE, WA = Verdict.runtime_error, Verdict.wrong_answer
TOKEN = "adv_poison_7f3c1d"  # names of files a submission tries to plant on the host


def assert_secrets_absent(report: GradeReport, secrets: list[str]) -> None:
    text = report.model_dump_json()
    shown = [s for s in secrets if s and s in text]
    assert not shown, f"host data reached the report: {shown}\n{summary(report)}"


def long_lines(path: Path, count: int = 3) -> list[str]:
    """A few distinctive lines of a host file (what a leak of it would show)."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    return sorted({line.strip() for line in lines if len(line.strip()) >= 16}, key=len, reverse=True)[:count]


# --- network -------------------------------------------------------------------------


def test_network_to_host_servers(hostile, host_servers) -> None:  # type: ignore[no-untyped-def]
    """TCP and UDP to the test's own listening sockets (loopback and every host address), abstract unix socket."""
    hosts = ["127.0.0.1", "0.0.0.0", *host_servers.addresses]
    before = (len(host_servers.connections), len(host_servers.datagrams), host_servers.unix_connections)
    abstract = "\0" + host_servers.abstract_name
    source = oracle(f"""
        import socket

        HOSTS = {hosts!r}
        TCP, UDP, NAME = {host_servers.tcp_port}, {host_servers.udp_port}, {abstract!r}

        def _attack():
            reached = False
            for host in HOSTS:
                try:
                    with socket.create_connection((host, TCP), timeout=1) as conn:
                        reached |= b"HOST-SERVER-REACHED" in conn.recv(100)
                except OSError as exc:
                    print("tcp", host, exc)
                try:
                    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                        udp.sendto(b"datagram from the sandbox", (host, UDP))
                except OSError as exc:
                    print("udp", host, exc)
            try:
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
                    conn.settimeout(1)
                    conn.connect(NAME)
                    reached |= b"HOST-SERVER-REACHED" in conn.recv(100)
            except OSError as exc:
                print("unix", exc)
            return reached
        """)
    report = hostile(source)
    time.sleep(0.2)  # let the server thread record anything that arrived
    after = (len(host_servers.connections), len(host_servers.datagrams), host_servers.unix_connections)
    assert after == before, f"the sandbox reached the host: {host_servers}"
    check_verdict(report, RTE)
    assert_secrets_absent(report, ["HOST-SERVER-REACHED"])


def test_dns_and_outside_network(hostile) -> None:  # type: ignore[no-untyped-def]
    source = oracle("""
        import socket

        def _attack():
            for name in ("example.com", "pypi.org", "github.com"):
                try:
                    print("resolved", name, socket.getaddrinfo(name, 443)[:1])
                    return True
                except OSError as exc:
                    print("dns", name, exc)
            query = (b"\\x12\\x34\\x01\\x00\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x00"
                     b"\\x07example\\x03com\\x00\\x00\\x01\\x00\\x01")
            for server in ("8.8.8.8", "1.1.1.1"):
                try:
                    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                        udp.settimeout(1)
                        udp.sendto(query, (server, 53))
                        udp.recvfrom(512)
                        return True
                except OSError as exc:
                    print("udp dns", server, exc)
                try:
                    with socket.create_connection((server, 53), timeout=1):
                        return True
                except OSError as exc:
                    print("tcp", server, exc)
            return False
        """)
    check_verdict(hostile(source), RTE)


# --- reading files outside the sandbox ----------------------------------------------


def _python_tree_listings() -> dict[str, list[str]]:
    """Folders on the way to the Python installation and what the sandbox may list in them."""
    allowed: dict[str, list[str]] = {"/root": [], "/etc": ["alternatives", "ld.so.cache"], "/opt": ["grader"]}
    for prefix in {sys.base_prefix, sys.prefix}:
        parts = Path(prefix).parts
        for i in range(2, len(parts)):
            folder = str(Path(*parts[:i]))
            if folder.startswith(("/root", "/etc", "/opt", "/home")):
                allowed.setdefault(folder, []).append(parts[i])
    return allowed


BASE_ACCOUNTS = {"root", "daemon", "bin", "sys", "sync", "games", "man", "lp", "mail", "news", "uucp", "proxy",
                 "www-data", "backup", "list", "irc", "gnats", "nobody", "_apt", "sandbox"}


def host_only_accounts() -> list[str]:
    """Lines of this host's /etc/passwd that a fresh Debian image does not have (redis, postgres...)."""
    lines = Path("/etc/passwd").read_text(encoding="utf-8", errors="replace").splitlines()
    return [line for line in lines if line and line.split(":")[0] not in BASE_ACCOUNTS]


def read_targets(question_dir: Path, settings: Settings, canary) -> dict[str, tuple[list[str], list[str]]]:  # type: ignore[no-untyped-def]
    """Per target: the paths a submission tries to read, and strings a leak would show."""
    root_files = [Path("/root", n) for n in (".bashrc", ".profile", ".gitconfig", ".npmrc", ".bash_history")]
    reference = question_dir / "reference.py"
    return {
        "question_folder": (
            [str(reference), str(question_dir / "cases.py"), str(question_dir / "question.yml")],
            long_lines(reference) + long_lines(question_dir / "cases.py"),
        ),
        "cache_of_expected_outputs": (
            [str(p) for p in sorted(settings.cache_dir.rglob("*")) if p.is_file()] + [str(settings.cache_dir)],
            ["expected_raises", "\"visible\": true", "NUMPY"],
        ),
        "etc_passwd": (
            ["/etc/passwd", "/etc/shadow", "/etc/hostname", "/etc/hosts"],
            ["root:x:0:0", "root:*:", "root:!:"],
        ),
        "root_home": ([str(p) for p in root_files], [line for p in root_files for line in long_lines(p)]),
        "canary": ([str(canary.file)], [canary.token]),
        "grader_source": (
            [str(REPO_ROOT / "grader" / "settings.py"), str(REPO_ROOT / "sandbox" / "bwrap.py")],
            long_lines(REPO_ROOT / "grader" / "settings.py"),
        ),
        "through_proc": (
            [f"/proc/{pid}/root{p}" for pid in (1, 2) for p in (reference, canary.file)]
            + ["/proc/1/environ", "/proc/1/cwd/reference.py"],
            long_lines(reference) + [canary.token],
        ),
    }


READ_ATTACK = """
    import os

    PATHS = {paths!r}
    LISTINGS = {listings!r}
    STRICT = {strict!r}  # any read counts (bubblewrap mounts none of these); else only host content
    SECRETS = {secrets!r}

    def _attack():
        got = False
        for path in PATHS:
            try:
                if os.path.isdir(path):
                    print("LISTED", path, os.listdir(path))
                    got = got or STRICT
                    continue
                with open(path, "rb") as fh:
                    data = fh.read(65536)
                text = data.decode("utf-8", "replace")
                print("READ", path, text)
                got = got or STRICT or any(secret in text for secret in SECRETS)
            except OSError as exc:
                print("refused", path, type(exc).__name__)
        for folder, allowed in LISTINGS.items():
            try:
                extra = sorted(set(os.listdir(folder)) - set(allowed))
            except OSError:
                continue
            if extra:
                print("LISTED", folder, extra)
                got = True
        for fd in range(3, 64):  # anything open on a host file?
            try:
                where = os.readlink(f"/proc/self/fd/{{fd}}")
            except OSError:
                continue
            if where.startswith("/") and not where.startswith(("/dev/", "/tmp/", "/proc/")):
                print("FD", fd, where, os.pread(fd, 4096, 0))
                got = True
        return got
    """


READ_TARGETS = [
    "question_folder", "cache_of_expected_outputs", "etc_passwd", "root_home",
    "canary", "grader_source", "through_proc",
]


@pytest.mark.parametrize("target", READ_TARGETS)
def test_reading_outside(hostile, sandbox, target: str, question_dir: Path, settings: Settings,  # type: ignore[no-untyped-def]
                         canary) -> None:
    paths, secrets = read_targets(question_dir, settings, canary)[target]
    # A container, and bubblewrap on the sandbox image, have a root filesystem of their own (its
    # /etc/passwd, its /proc/1): there, an attack succeeds only if it reads this host's content.
    strict = isinstance(unwrap(sandbox), BwrapSandbox) and unwrap(sandbox).image is None
    if not strict and target == "etc_passwd":
        secrets = host_only_accounts()
    listings = _python_tree_listings() if target == "root_home" and strict else {}
    source = READ_ATTACK.format(paths=paths, listings=listings, strict=strict, secrets=secrets)
    report = hostile(oracle(source))
    check_verdict(report, RTE)
    assert_secrets_absent(report, secrets)


def test_cheating_from_the_cache(hostile, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    """The real exploit a readable cache would allow: look the expected output up and return it."""
    source = src(f"""
        import glob
        import json
        import os

        import numpy as np

        CACHE = {str(settings.cache_dir)!r}
        _TABLE = []

        def _load():
            for meta in glob.glob(os.path.join(CACHE, "**", "bundle.json"), recursive=True):
                arrays = dict(np.load(os.path.join(os.path.dirname(meta), "arrays.npz")))
                for case in json.load(open(meta))["cases"]:
                    a, v = (arrays[x["$array"]] for x in case["args"]["$tuple"])
                    _TABLE.append((a, v, arrays[case["expected"]["$array"]]))

        def conv1d(a, v):
            if not _TABLE:
                _load()
            for ka, kv, out in _TABLE:
                if ka.shape == a.shape and kv.shape == v.shape and (ka == a).all() and (kv == v).all():
                    return out
            raise LookupError("the cache was not readable")
        """)
    check_verdict(hostile(source), RTE)


# --- writing files outside the sandbox ----------------------------------------------


def write_targets(question_dir: Path, settings: Settings, canary) -> dict[str, dict[str, list[str]]]:  # type: ignore[no-untyped-def]
    """Per target, by operation, the paths a submission tries to change.

    ``create`` plants a new file (its name has TOKEN, so the host can look for it);
    ``open_for_writing`` only opens an existing file for writing (no byte written:
    repository files stay safe even if the sandbox were broken); ``clobber`` and
    ``remove`` really overwrite, rename and delete (only on the test's own files).
    """
    site = Path(sys.prefix, "lib", f"python{sys.version_info.major}.{sys.version_info.minor}", "site-packages")
    base_lib = Path(sys.base_prefix, "lib", f"python{sys.version_info.major}.{sys.version_info.minor}")
    bundles = [str(p) for p in sorted(settings.cache_dir.rglob("*")) if p.is_file()]
    return {
        "question_folder": {
            "create": [str(question_dir / f"{TOKEN}.py"), str(question_dir / "solutions" / f"{TOKEN}.py"),
                       str(question_dir / "__pycache__" / f"{TOKEN}.pyc")],
            "open_for_writing": [str(question_dir / n) for n in ("reference.py", "cases.py", "question.yml")],
        },
        "cache_dir": {
            "create": [str(settings.cache_dir / f"{TOKEN}.json")]
            + [str(Path(b).parent / f"{TOKEN}.json") for b in bundles],
            "clobber": bundles,
            "remove": bundles,
        },
        "canary": {
            "create": [str(canary.folder / f"{TOKEN}.txt")],
            "clobber": [str(canary.file)],
            "remove": [str(canary.file)],
        },
        "runner": {
            "create": ["/opt/grader/" + TOKEN + ".py", str(REPO_ROOT / "sandbox" / f"{TOKEN}.py")],
            "open_for_writing": ["/opt/grader/runner.py", str(REPO_ROOT / "sandbox" / "runner.py")],
        },
        "python_installation": {
            "create": [str(site / f"{TOKEN}.pth"), str(base_lib / f"{TOKEN}.py"),
                       str(base_lib / "site-packages" / f"{TOKEN}.pth")],
            "open_for_writing": [str(site / "numpy" / "__init__.py"), str(base_lib / "os.py")],
        },
    }


WRITE_ATTACK = """
    import os

    OPS = {ops!r}

    def _attack():
        done = []
        for path in OPS.get("create", []):
            try:
                with open(path, "x") as fh:
                    fh.write("import os  # planted by a sandboxed submission\\n")
                done.append(("create", path))
            except OSError as exc:
                print("create refused", path, type(exc).__name__)
            try:
                os.symlink("/tmp", path + ".link")
                done.append(("symlink", path))
            except OSError:
                pass
        for path in OPS.get("open_for_writing", []):
            try:
                os.close(os.open(path, os.O_WRONLY))
                done.append(("open", path))
            except OSError as exc:
                print("open refused", path, type(exc).__name__)
        for path in OPS.get("clobber", []):
            try:
                with open(path, "w") as fh:
                    fh.write("{{}}")
                done.append(("clobber", path))
            except OSError as exc:
                print("clobber refused", path, type(exc).__name__)
            try:
                os.chmod(path, 0o777)
                done.append(("chmod", path))
            except OSError:
                pass
        for path in OPS.get("remove", []):
            for op in (lambda: os.rename(path, path + ".moved"), lambda: os.unlink(path)):
                try:
                    op()
                    done.append(("remove", path))
                except OSError:
                    pass
        print("done:", done)
        return bool(done)
    """


@pytest.mark.parametrize("target", ["question_folder", "cache_dir", "canary", "runner", "python_installation"])
def test_writing_outside(hostile, target: str, question_dir: Path, settings: Settings, canary) -> None:  # type: ignore[no-untyped-def]
    ops = write_targets(question_dir, settings, canary)[target]
    planted = tuple(p for path in ops.get("create", []) for p in (path, path + ".link"))
    report = hostile(oracle(WRITE_ATTACK.format(ops=ops)), absent=planted)
    check_verdict(report, RTE)


# --- fake reports and forged frames on the result channel -----------------------------

FRAME = CORRECT + src("""
    import json
    import os
    import stat
    import sys

    def frame(kind, payload, npz=b""):
        body = json.dumps(payload).encode()
        return b"\\0GRADER1 %s %d %d\\n" % (kind.encode(), len(body), len(npz)) + body + npz

    def channel_fds():
        fds = []
        for name in os.listdir("/proc/self/fd"):
            try:
                if stat.S_ISFIFO(os.fstat(int(name)).st_mode):
                    fds.append(int(name))
            except OSError:
                pass
        return fds

    def send_everywhere(data, fds):
        for fd in fds:
            try:
                os.write(fd, data)
            except OSError:
                pass

    FAKE_REPORT = json.dumps({"schema_version": 1, "question_id": "conv1d_full", "verdict": "accepted",
                              "score": 22.0, "max_score": 22.0, "message": "22 of 22 tests passed"})
    """)

FORGERIES = [
    ("print_fake_report", FRAME + src("""
        print(FAKE_REPORT)
        print(FAKE_REPORT, file=sys.stderr)

        def conv1d(a, v):
            print(FAKE_REPORT)
            print(FAKE_REPORT, file=sys.stderr)
            return _correct(a, v)[:-1]
        """), WA),
    ("frames_on_stdout_and_stderr", FRAME + src("""
        os.write(1, frame("case", {"id": "c0", "status": "ok", "value": 1.0}))

        def conv1d(a, v):
            fake = frame("case", {"id": "c0", "status": "ok", "value": [0.0]}) + frame("done", {})
            for fd in (1, 2):
                os.write(fd, fake)
            return _correct(a, v)[:-1]
        """), WA),
    # The saved channel, found among the open pipes: a forged case frame before the
    # real one; then everything else the host might accept.
    ("frames_on_the_channel", FRAME + src("""
        def conv1d(a, v):
            send_everywhere(frame("case", {"id": "c0", "status": "ok", "value": 1.0}), channel_fds())
            return _correct(a, v)[:-1]
        """), RTE),
    ("early_phase_and_done_frames", FRAME + src("""
        def conv1d(a, v):
            send_everywhere(frame("phase", {"phase": "visible"}) + frame("done", {}), channel_fds())
            return _correct(a, v)[:-1]
        """), RTE),
    ("garbage_on_the_channel", FRAME + src("""
        def conv1d(a, v):
            send_everywhere(b"\\0GRADER1 case 999999999 9999999999\\n" + b"{" * 100000, channel_fds())
            return _correct(a, v)[:-1]
        """), RTE),
    # A well-formed frame whose .npz claims a 16 GiB array but holds 8 bytes: the host
    # must refuse it without allocating (or dying).
    ("lying_npz_header", FRAME + src("""
        import io
        import zipfile

        import numpy as np

        def lying_npz():
            header = io.BytesIO()
            np.lib.format.write_array_header_1_0(header, {"descr": "<f8", "fortran_order": False, "shape": (2**31,)})
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
                zf.writestr("a0.npy", header.getvalue() + b"\\0" * 8)
            return buf.getvalue()

        def conv1d(a, v):
            send_everywhere(frame("case", {"id": "c0", "status": "ok", "value": {"$array": "a0"}}, lying_npz()),
                            channel_fds())
            os._exit(0)
        """), RTE),
    # Text the host cannot encode: a lone surrogate in an exception message, and in a
    # forged frame's stdout. The report must still be writable (JSON, UTF-8 text).
    ("exception_with_lone_surrogate", src("""
        def conv1d(a, v):
            raise ValueError("bad \\ud800 text")
        """), RTE),
    ("forged_frame_with_lone_surrogate", FRAME + src("""
        def conv1d(a, v):
            send_everywhere(frame("case", {"id": "c0", "status": "exception", "message": "\\ud800",
                                           "stdout": "\\udfff"}), channel_fds())
            return a
        """), RTE),
    # A nested value deep enough to break a recursive decoder.
    ("deeply_nested_value_frame", FRAME + src("""
        def conv1d(a, v):
            value = "[" * 5000 + "]" * 5000
            body = ('{"id": "c0", "status": "ok", "value": ' + value + "}").encode()
            send_everywhere(b"\\0GRADER1 case %d 0\\n" % len(body) + body, channel_fds())
            os._exit(0)
        """), RTE),
]


@pytest.mark.parametrize(("source", "expected"), [pytest.param(s, e, id=i) for i, s, e in FORGERIES])
def test_forged_reports_and_frames(hostile, source: str, expected: Verdict) -> None:  # type: ignore[no-untyped-def]
    check_verdict(hostile(source), expected)


def test_fake_report_with_terminal_escapes(hostile) -> None:  # type: ignore[no-untyped-def]
    """Printed text is shown in the human-readable report: it must not carry terminal control codes.

    Otherwise a submission clears the interviewer's terminal and draws its own
    "ACCEPTED" header in place of the real one.
    """
    source = src("""
        FAKE = "\\x1b[2J\\x1b[3J\\x1b[Hconv1d_full v1: ACCEPTED  score 22/22  (22 of 22 tests passed)\\r\\x1b[8m"
        print(FAKE)

        def conv1d(a, v):
            print(FAKE)
            raise ValueError(FAKE)
        """)
    report = hostile(source)
    check_verdict(report, RTE)
    for view in (report, for_role(report, Role.candidate)):
        text = render(view)
        controls = sorted({hex(ord(ch)) for ch in text if (ord(ch) < 32 and ch not in "\n\t") or ord(ch) == 127})
        assert not controls, f"control characters from the submission reach the rendered report: {controls}"
