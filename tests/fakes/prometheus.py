"""A fake Prometheus on 127.0.0.1: `GET /api/v1/rules` as the real HTTP API answers it.

Set `payload` (the JSON document), `status`, or `mode`: "drip" sends the body a few bytes
at a time and never finishes (until shutdown), "huge" sends an endless body.
"""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.fakes.loopback import Loopback


def rules_payload(*groups: dict[str, Any]) -> dict[str, Any]:
    """The API's success envelope around rule groups."""
    return {"status": "success", "data": {"groups": list(groups)}}


def alerting(name: str, **annotations: str) -> dict[str, Any]:
    """One alerting rule as the API lists it."""
    return {
        "state": "inactive",
        "name": name,
        "query": "up == 0",
        "duration": 60,
        "labels": {"severity": "P2"},
        "annotations": annotations,
        "alerts": [],
        "health": "ok",
        "type": "alerting",
    }


class FakePrometheus(Loopback, ThreadingHTTPServer):
    """Bound and listening once constructed; run `serve_forever` in a thread."""

    def __init__(self) -> None:
        super().__init__(_Handler)
        self.reset()

    def reset(self) -> None:
        """An empty rule set, status 200, normal answers, no requests seen."""
        self.payload: Any = rules_payload()
        self.status = 200
        self.mode = ""
        self.paths: list[str] = []


class _Handler(BaseHTTPRequestHandler):
    server: FakePrometheus
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: tests read `server.paths`."""

    def do_GET(self) -> None:
        self.server.paths.append(self.path)
        if not self.path.startswith("/api/v1/rules"):
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = json.dumps(self.server.payload).encode()
        self.send_response(self.server.status)
        self.send_header("Content-Type", "application/json")
        if self.server.mode in ("drip", "huge"):
            self.send_header("Content-Length", str(10**9))
            self.end_headers()
            chunk = b" " * (1 if self.server.mode == "drip" else 65536)
            try:
                while not self.server.closing.is_set():
                    self.wfile.write(chunk)
                    self.wfile.flush()
                    if self.server.mode == "drip":
                        self.server.closing.wait(0.05)
            except OSError:
                pass
            self.close_connection = True
            return
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
