"""A webhook receiver to run on your own machine: verifies each event's signature and prints it.

    python3 examples/webhook_receiver.py --port 9000 --secret whsec_...   # or WEBHOOK_SECRET=whsec_...

Answers 204 to an event whose signature verifies (the grader then marks it delivered),
401 to anything else. Each verified event is printed as one line of JSON on stdout, so
``| jq`` or ``--out events.jsonl`` can follow along. Standard library only. The grader
refuses plain ``http`` and loopback addresses unless told otherwise: for this local
receiver, start it with ``GRADER_WEBHOOK_ALLOW_HTTP=1 GRADER_WEBHOOK_ALLOW_HOSTS=127.0.0.1``.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TextIO

MAX_BODY = 4 * 1024 * 1024  # the largest event the grader sends is far smaller


def verify(secret: str, headers: dict[str, str], body: bytes, tolerance_s: int = 300) -> bool:
    """The README's verification, as written there (Standard Webhooks)."""
    msg_id, stamp = headers["webhook-id"], headers["webhook-timestamp"]
    if abs(time.time() - int(stamp)) > tolerance_s:
        return False  # too old or from the future: a replay
    key = base64.b64decode(secret.removeprefix("whsec_"))
    mac = hmac.new(key, f"{msg_id}.{stamp}.".encode() + body, hashlib.sha256).digest()
    expected = base64.b64encode(mac).decode()
    return any(hmac.compare_digest(expected, sig.split(",", 1)[1])
               for sig in headers["webhook-signature"].split() if sig.startswith("v1,"))


def handler(secret: str, out: TextIO) -> type[BaseHTTPRequestHandler]:
    """A request handler class that checks events with ``secret`` and writes them to ``out``."""

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
            length = int(self.headers.get("Content-Length") or 0)
            if not 0 < length <= MAX_BODY:
                self._answer(413 if length else 400)
                return
            body = self.rfile.read(length)
            headers = {name.lower(): value for name, value in self.headers.items()}
            try:
                ok = verify(secret, headers, body)
            except (KeyError, ValueError):  # a header missing, a stamp or a secret malformed
                ok = False
            if not ok:
                self._answer(401)
                return
            event = json.loads(body)
            out.write(json.dumps({"webhook-id": headers["webhook-id"], **event}) + "\n")
            out.flush()
            self._answer(204)

        def _answer(self, status: int) -> None:
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's name
            sys.stderr.write(f"{self.address_string()} {format % args}\n")

    return Receiver


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument("--secret", default=os.environ.get("WEBHOOK_SECRET"),
                        help="the subscription's whsec_... secret (or WEBHOOK_SECRET)")
    parser.add_argument("--out", default="-", help="where to write each event, one JSON a line (default: stdout)")
    args = parser.parse_args(argv)
    if not args.secret:
        parser.error("give --secret (or WEBHOOK_SECRET): the secret shown when the subscription was created")
    out = sys.stdout if args.out == "-" else open(args.out, "a", encoding="utf-8")  # noqa: SIM115 - lives as long
    server = ThreadingHTTPServer((args.host, args.port), handler(args.secret, out))
    sys.stderr.write(f"receiving on http://{args.host}:{args.port}/\n")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
