"""A real HTTP receiver on loopback that verifies every request with the standardwebhooks package."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


@dataclass
class Received:
    at: float
    path: str
    headers: dict[str, str]
    body: str
    verified: Any = None  # the parsed event when a secret verified it


@dataclass
class Receiver:
    """Answers each request with the next scripted (status, headers), then 200; records everything."""

    script: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    secrets: list[str] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)

    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                record = Received(time.monotonic(), self.path, dict(self.headers.items()), body)
                for secret in receiver.secrets:
                    try:
                        record.verified = Webhook(secret).verify(body, record.headers)
                        break
                    except WebhookVerificationError:
                        continue
                receiver.received.append(record)
                status, headers = receiver.script.pop(0) if receiver.script else (200, {})
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(b'{"ok": %s}' % (b"true" if status < 300 else b"false"))

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer((host, port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://{host}:{self.server.server_address[1]}"

    def wait_for(self, count: int, timeout_s: float = 60) -> list[Received]:
        deadline = time.monotonic() + timeout_s
        while len(self.received) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"got {len(self.received)} requests, expected {count}")
            time.sleep(0.02)
        return self.received

    def stop(self) -> None:
        self.server.shutdown()
