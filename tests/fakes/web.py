"""A fake web on 127.0.0.1 for `check links --external`: every answer a real site can give.

The path says what to do, so tests and the benchmark can make any number of distinct URLs:

    /ok/...              200, an HTML page with ids `intro` and `details`
    /status/<code>/...   that status (404, 410, 500, ...)
    /moved/...           301 to /ok/...          /found/...  302 to /ok/...
    /loop/a/... <-> /loop/b/...                  a redirect loop
    /file/...            302 to file:///etc/passwd
    /retry/<s>/...       429 with `Retry-After: <s>` the first time, then 200
    /slow/<ms>/...       200 after <ms> milliseconds
    /drop/...            closes the connection without an answer
    /hang/...            accepts and never answers (until the server shuts down)
    /endless/...         200 text/html whose body never ends
    /nohead/...          HEAD 405, GET 200
    /cookie/...          200 with Set-Cookie (a client must never send it back)

`latency` (seconds) delays every answer, as the network would.
"""

from __future__ import annotations

import ssl
import threading
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = (
    b"<!doctype html><html><head><meta charset=utf-8><title>fake</title></head><body>"
    b"<h1 id=intro>Intro</h1><p><a name=details>details</a></p></body></html>"
)


@dataclass(frozen=True)
class Seen:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]
    port: int  # the client's port: one per connection


class FakeWeb(ThreadingHTTPServer):
    """Bound and listening once constructed; run `serve_forever` in a thread."""

    daemon_threads = True
    request_queue_size = 512

    def __init__(
        self,
        address: tuple[str, int] = ("127.0.0.1", 0),
        *,
        latency: float = 0.0,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        super().__init__(address, _Handler)
        if tls is not None:
            self.socket = tls.wrap_socket(self.socket, server_side=True)
        self.latency = latency
        self.closing = threading.Event()
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """Forget the requests seen and the retries answered."""
        with self.lock:
            self.seen: list[Seen] = []
            self.hits: Counter[str] = Counter()
            self.active: Counter[str] = Counter()
            self.max_active: Counter[str] = Counter()

    @property
    def base(self) -> str:
        """`http://127.0.0.1:<port>` (https when serving TLS)."""
        scheme = "https" if isinstance(self.socket, ssl.SSLSocket) else "http"
        return f"{scheme}://{self.server_address[0]}:{self.server_address[1]}"

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that hang up before the answer is complete are part of the game here."""

    def shutdown(self) -> None:
        """Stop serving and release the handlers that hang."""
        self.closing.set()
        super().shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: FakeWeb
    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes; without TCP_NODELAY the second waits for the
    # client's delayed ACK (about 40 ms a response on Linux).
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: tests read `server.seen` instead."""

    def do_HEAD(self) -> None:
        self._serve()

    def do_GET(self) -> None:
        self._serve()

    def _serve(self) -> None:
        host = self.headers.get("Host", "")
        with self.server.lock:
            self.server.seen.append(
                Seen(self.command, self.path, dict(self.headers.items()), self.client_address[1])
            )
            self.server.hits[self.path] += 1
            hits = self.server.hits[self.path]
            self.server.active[host] += 1
            self.server.max_active[host] = max(
                self.server.max_active[host], self.server.active[host]
            )
        try:
            if self.server.latency:
                self.server.closing.wait(self.server.latency)
            self._answer(self.path.split("?")[0].split("/")[1:], hits)
        finally:
            with self.server.lock:
                self.server.active[host] -= 1

    def _answer(self, parts: list[str], hits: int) -> None:
        kind = parts[0]
        rest = "/".join(parts[1:])
        if kind == "status":
            return self._send(int(parts[1]))
        if kind in ("moved", "found"):
            return self._send(301 if kind == "moved" else 302, location=f"/ok/{rest}")
        if kind == "loop":
            other = "b" if parts[1] == "a" else "a"
            return self._send(302, location=f"/loop/{other}/{'/'.join(parts[2:])}")
        if kind == "file":
            return self._send(302, location="file:///etc/passwd")
        if kind == "retry" and hits == 1:
            return self._send(429, extra={"Retry-After": parts[1]})
        if kind == "slow":
            self.server.closing.wait(int(parts[1]) / 1000)
        if kind == "drop":
            self.close_connection = True
            return None
        if kind == "hang":
            self.server.closing.wait()
            return None
        if kind == "endless":
            return self._endless()
        if kind == "nohead" and self.command == "HEAD":
            return self._send(405)
        extra = {"Set-Cookie": "session=secret; Path=/"} if kind == "cookie" else {}
        return self._send(200, body=PAGE, extra=extra)

    def _send(
        self,
        status: int,
        *,
        body: bytes = b"",
        location: str | None = None,
        extra: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _endless(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        chunk = b"<p>" + b"x" * 65536 + b"</p>"
        try:
            while not self.server.closing.is_set() and self.command != "HEAD":
                self.wfile.write(chunk)
        except OSError:
            return
        self.close_connection = True
