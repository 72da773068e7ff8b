"""Request bodies over real HTTP servers: refused from Content-Length before they are read, and
authentication before the body.

A 200 MiB body is announced and only its first bytes are sent: an answer that comes at
all proves the server did not wait to read the rest. Waitress (``grader serve``) buffers
a body before the app runs, so it gets the cap from ``server_options``; a streaming
server (Werkzeug's) shows the app itself authenticating before it reads.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from grader.api import create_app, server_options
from tests.service.conftest import Api, FakeQueue, service_settings

HUGE = 200 * 1024 * 1024
CAP_KIB = 256


def exchange(port: int, head: str, body: bytes, timeout_s: float = 60) -> tuple[int, dict[str, str], bytes]:
    """Send ``head`` and the first bytes of a body; the status, headers and body of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout_s) as sock:
        sock.sendall(head.encode() + body)
        sock.shutdown(socket.SHUT_WR)  # nothing more is coming: a server waiting for the rest would hang
        received = b""
        while chunk := _recv(sock):
            received += chunk
    raw_head, _, content = received.partition(b"\r\n\r\n")
    lines = raw_head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:] if ":" in line)}
    return int(lines[0].split()[1]), headers, content


def _recv(sock: socket.socket) -> bytes:
    try:
        return sock.recv(65536)
    except ConnectionResetError:
        return b""


def post_head(length: int | None, key: str | None, path: str = "/v1/submissions") -> str:
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json", "Connection: close"]
    lines.append(f"Content-Length: {length}" if length is not None else "Transfer-Encoding: chunked")
    if key:
        lines.append(f"Authorization: Bearer {key}")
    return "\r\n".join(lines) + "\r\n\r\n"


def chunked(data: bytes, size: int = 65536) -> bytes:
    parts = [b"%x\r\n%s\r\n" % (len(data[i:i + size]), data[i:i + size]) for i in range(0, len(data), size)]
    return b"".join(parts) + b"0\r\n\r\n"


@pytest.fixture()
def api(tmp_path: Path) -> Api:
    settings = service_settings(tmp_path, f"sqlite:///{tmp_path / 'grader.db'}", max_request_kib=CAP_KIB)
    return Api(create_app(settings, queue=FakeQueue()), queue=None)


@pytest.fixture()
def streaming(api: Api) -> Iterator[int]:
    """The app on Werkzeug's server, which hands the socket to the app unread."""
    server = make_server("127.0.0.1", 0, api.app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_port
    server.shutdown()


@pytest.fixture()
def waitress(api: Api) -> Iterator[int]:
    """The app on waitress with the options ``grader serve`` uses."""
    from waitress import create_server

    settings = api.app.extensions["grader"].settings
    server = create_server(api.app, host="127.0.0.1", port=0, threads=2, **server_options(settings))
    threading.Thread(target=server.run, daemon=True).start()
    yield server.effective_port
    server.close()


def problem(status: int, headers: dict[str, str], content: bytes) -> dict[str, Any]:
    assert headers["content-type"].startswith("application/problem+json"), (status, content[:300])
    found: dict[str, Any] = json.loads(content)
    assert found["status"] == status
    return found


def test_the_app_authenticates_before_it_reads_the_body(api: Api, streaming: int) -> None:
    status, headers, content = exchange(streaming, post_head(HUGE, None), b"{" + b" " * 1024)
    assert status == 401 and "send an API key" in problem(status, headers, content)["detail"]
    status, headers, content = exchange(streaming, post_head(HUGE, "gk_unknown"), b"{" + b" " * 1024)
    assert status == 401 and "unknown or revoked" in problem(status, headers, content)["detail"]


def test_the_app_refuses_a_body_over_the_cap_from_its_length(api: Api, streaming: int) -> None:
    key = api.key("interviewer")
    status, headers, content = exchange(streaming, post_head(HUGE, key), b"{" + b" " * 1024)
    assert status == 413 and "larger than allowed" in problem(status, headers, content)["detail"]
    assert headers["ratelimit-limit"]  # counted: the key was checked first


def test_the_app_stops_reading_a_chunked_body_at_the_cap(api: Api, streaming: int) -> None:
    key = api.key("interviewer")
    too_long = json.dumps({"question_id": "conv1d_full", "code": "#" * (CAP_KIB * 1024 + 10)}).encode()
    status, headers, content = exchange(streaming, post_head(None, key), chunked(too_long))
    assert status == 413, content[:300]
    fits = json.dumps({"question_id": "conv1d_full", "code": "x = 1\n"}).encode()
    status, _, content = exchange(streaming, post_head(None, key), chunked(fits))
    assert status == 202, content[:300]


def test_waitress_refuses_a_body_over_the_cap_before_reading_it(api: Api, waitress: int) -> None:
    for key in (None, api.key("interviewer")):
        status, _, _ = exchange(waitress, post_head(HUGE, key), b"{" + b" " * 1024)
        assert status == 413
    too_long = json.dumps({"question_id": "conv1d_full", "code": "#" * (CAP_KIB * 1024 + 10)}).encode()
    status, _, _ = exchange(waitress, post_head(None, api.key("interviewer")), chunked(too_long))
    assert status == 413
    # Within the cap the app answers: 401 without a key (the body is not parsed), 202 with one.
    small = json.dumps({"question_id": "conv1d_full", "code": "x = 1\n"}).encode()
    status, headers, content = exchange(waitress, post_head(len(small), None), small)
    assert status == 401 and problem(status, headers, content)
    status, _, content = exchange(waitress, post_head(len(small), api.key("interviewer")), small)
    assert status == 202, content[:300]
