"""One HTTP POST to a checked address: pinned to the checked addresses, no redirects, a timeout."""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass

from grader.webhooks.addresses import Target

HEAD_BYTES = 500


@dataclass(frozen=True)
class Answer:
    """What one attempt saw."""

    status_code: int | None
    latency_ms: float
    head: str | None
    retry_after_s: float | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def connect_checked(target: Target, timeout: float | None) -> socket.socket:
    """A connection to the first checked address that answers; never to another address of the host."""
    error: OSError = OSError(f"no address to connect to for {target.host}")
    for address in target.addresses:
        try:
            return socket.create_connection((address, target.port), timeout)
        except OSError as exc:
            error = exc
    raise error


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.target = target

    def connect(self) -> None:
        self.sock = connect_checked(self.target, self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout, context=ssl.create_default_context())
        self.target = target

    def connect(self) -> None:
        # Connect to an address that was checked, verify the certificate for the host name.
        sock = connect_checked(self.target, self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def post(target: Target, body: str, headers: dict[str, str], timeout_s: float) -> Answer:
    """POST ``body``; a redirect is an answer like any other non-2xx (never followed)."""
    connection_class = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    connection = connection_class(target, timeout_s)
    t0 = time.monotonic()
    try:
        connection.request("POST", target.path, body=body.encode(), headers=headers)
        response = connection.getresponse()
        head = response.read(HEAD_BYTES).decode("utf-8", "replace")
        return Answer(response.status, (time.monotonic() - t0) * 1000, head,
                      _retry_after(response.getheader("Retry-After")), None)
    except (OSError, http.client.HTTPException) as exc:
        return Answer(None, (time.monotonic() - t0) * 1000, None, None, f"{type(exc).__name__}: {exc}"[:500])
    finally:
        connection.close()


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date: fall back to the schedule
