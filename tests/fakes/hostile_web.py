"""Hostile web servers on 127.0.0.1 for the link checker's limits.

`DripServer` answers every request with headers one byte per `interval` seconds, forever: each
socket read gets a byte well within any per-read timeout, so only a wall-clock bound ends it.
`RedirectServer` answers every request with a redirect to `location`.
"""

from __future__ import annotations

import socketserver
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


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


class DripServer(socketserver.ThreadingTCPServer):
    """Bound and listening once constructed; run `serve_forever` in a thread."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, interval: float = 0.2) -> None:
        super().__init__(("127.0.0.1", 0), _Drip)
        self.interval = interval
        self.closing = threading.Event()
        self.lock = threading.Lock()
        self.requests = 0

    @property
    def base(self) -> str:
        """`http://127.0.0.1:<port>`."""
        return f"http://127.0.0.1:{self.server_address[1]}"

    def shutdown(self) -> None:
        """Stop serving and end every drip."""
        self.closing.set()
        super().shutdown()
        self.server_close()


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


class RedirectServer(ThreadingHTTPServer):
    """Redirects every request to `location` (set it per test)."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Redirect)
        self.location = "/"

    @property
    def port(self) -> int:
        """The port it listens on."""
        return int(self.server_address[1])

    @property
    def base(self) -> str:
        """`http://127.0.0.1:<port>`."""
        return f"http://127.0.0.1:{self.port}"

    def shutdown(self) -> None:
        """Stop serving."""
        super().shutdown()
        self.server_close()
