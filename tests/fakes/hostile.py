"""Hostile answers for the fake PagerDuty: bodies that never end, trickle, explode, or echo the token.

Used through `Fault(path, mode=...)` with one of HOSTILE_MODES. Each writes straight to the
socket and stops when the client goes away, so no server thread outlives its client for
long; waits are on the server's `release` Event, never a sleep.
"""

from __future__ import annotations

import functools
import json
import zlib
from typing import Any, Protocol

HOSTILE_MODES = frozenset({"slow_body", "endless", "gzip_bomb", "echo_auth"})
SLOW_BYTES = 20  # one a second: 20 s for a client that waits for the whole body
ENDLESS_BYTES = (
    64 * 1024 * 1024
)  # "endless" to any client with a cap; finite so a capless one still ends
BOMB_COMPRESSED = 3 * 1024 * 1024  # about 3 GiB once decoded


class _Handler(Protocol):
    headers: Any
    wfile: Any
    server: Any
    close_connection: bool

    def send_response(self, code: int) -> None: ...
    def send_header(self, name: str, value: str) -> None: ...
    def end_headers(self) -> None: ...


@functools.cache
def gzip_bomb(size: int = BOMB_COMPRESSED) -> bytes:
    """A gzip body of about `size` bytes that decodes to ~1,000 times more zeros.

    After a full flush the deflate state restarts, so one compressed MiB of zeros can be
    repeated as is; the trailer's CRC is that of the first few MiB only, which no client
    with a cap ever reaches.
    """
    chunk = bytes(1 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    head = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    return head + block * (size // len(block)) + packer.flush()


def serve_hostile(handler: _Handler, mode: str, headers: dict[str, str]) -> None:
    """Answer one request in a hostile `mode`; a client hanging up ends it quietly."""
    handler.close_connection = True
    try:
        if mode == "echo_auth":
            echoed = handler.headers.get("Authorization", "")
            body = {
                "error": {
                    "message": f"Internal error handling request with Authorization: {echoed}",
                    "code": 2000,
                    "errors": [f"header was {echoed!r}", f"Bearer {echoed.split('=')[-1]}"],
                }
            }
            _start(handler, 500, {**headers, "Content-Length": str(len(json.dumps(body)))})
            handler.wfile.write(json.dumps(body).encode())
        elif mode == "gzip_bomb":
            bomb = gzip_bomb()
            _start(handler, 200, {"Content-Encoding": "gzip", "Content-Length": str(len(bomb))})
            handler.wfile.write(bomb)
        elif mode == "endless":
            _start(handler, 200, {"Content-Length": str(ENDLESS_BYTES)})
            block = b" " * 65536
            for _ in range(ENDLESS_BYTES // len(block)):
                handler.wfile.write(block)
        elif mode == "slow_body":
            _start(handler, 200, {"Content-Length": str(SLOW_BYTES)})
            for _ in range(SLOW_BYTES):
                handler.wfile.write(b" ")
                handler.wfile.flush()
                if handler.server.release.wait(1.0):
                    return
    except OSError:  # the client gave up: that is the point
        return


def _start(handler: _Handler, status: int, headers: dict[str, str]) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.flush()
