"""Hostile web servers on 127.0.0.1 for the link checker's limits.

`DripServer` answers every request with headers one byte per `interval` seconds, forever: each
socket read gets a byte well within any per-read timeout, so only a wall-clock bound ends it.
`RedirectServer` answers every request with a redirect to `location`.
"""

from __future__ import annotations

import socketserver
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.fakes.loopback import Loopback


class _Drip(socketserver.StreamRequestHandler):
    server: DripServer

    def handle(self) -> None:
        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
            pass  # the request, up to its blank line
        with self.server.lock:
            self.server.requests += 1
        header = b"HTTP/1.1 200 OK\r\nX-Padding: " + b"a" * 1_000_000
        try:
            for byte in header:
                if self.server.closing.wait(self.server.interval):
                    return
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
        except OSError:
            return  # the client gave up: that is what we want


class DripServer(Loopback, socketserver.ThreadingTCPServer):
    """Bound and listening once constructed; run `serve_forever` in a thread."""

    allow_reuse_address = True

    def __init__(self, interval: float = 0.2) -> None:
        super().__init__(_Drip)
        self.interval = interval
        self.lock = threading.Lock()
        self.requests = 0


class _Redirect(BaseHTTPRequestHandler):
    server: RedirectServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def do_HEAD(self) -> None:
        self._redirect()

    def do_GET(self) -> None:
        self._redirect()

    def _redirect(self) -> None:
        self.send_response(302)
        self.send_header("Location", self.server.location)
        self.send_header("Content-Length", "0")
        self.end_headers()


class RedirectServer(Loopback, ThreadingHTTPServer):
    """Redirects every request to `location` (set it per test)."""

    def __init__(self) -> None:
        super().__init__(_Redirect)
        self.location = "/"
