"""What every small fake server here shares: bound to 127.0.0.1 on a free port, and stoppable.

Constructed means bound and listening, so a test runs `serve_forever` in a thread and needs no
readiness wait; `closing` is set on shutdown so that handlers still sending can stop.
"""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

S = TypeVar("S", bound=socketserver.BaseServer)


class Loopback:
    """Mixin for a `socketserver` server class: `Loopback, ThreadingHTTPServer` and the like."""

    daemon_threads = True
    server_address: Any

    def __init__(self, handler: type[socketserver.BaseRequestHandler]) -> None:
        super().__init__(("127.0.0.1", 0), handler)  # type: ignore[call-arg]
        self.closing = threading.Event()

    @property
    def port(self) -> int:
        """The port it listens on."""
        return int(self.server_address[1])

    @property
    def base(self) -> str:
        """`http://127.0.0.1:<port>`."""
        return f"http://127.0.0.1:{self.port}"

    def shutdown(self) -> None:
        """Stop serving and release handlers that are still sending."""
        self.closing.set()
        super().shutdown()  # type: ignore[misc]
        self.server_close()  # type: ignore[attr-defined]


@contextmanager
def serving(server: S) -> Iterator[S]:
    """Serve `server` from a daemon thread for the `with` block, then shut it down."""
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
