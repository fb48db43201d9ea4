"""`mkdocs serve` reports bad data in one line and recovers as soon as the file is fixed."""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration


class Serve:
    """A running `mkdocs serve` whose log lines can be awaited."""

    def __init__(self, project: Path, extra_env: dict[str, str] | None = None) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PAGERDUTY_")}
        env["NO_MKDOCS_2_WARNING"] = "1"
        env.update(extra_env or {})
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{self.port}"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.pump = threading.Thread(target=self._pump, daemon=True)
        self.pump.start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float = 90) -> str:
        """Block until a log line contains `text`; fail with the log so far if it never comes."""
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                pytest.fail(f"no log line with {text!r}; log so far:\n{''.join(self.seen)}")
            self.seen.append(line)
            if text in line:
                return line

    def get(self, path: str) -> str:
        """Fetch a page from the dev server."""
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{path}", timeout=10) as response:
            return response.read().decode()

    def stop(self) -> None:
        """End the server."""
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.pump.join(timeout=30)
        assert self.proc.stdout is not None
        self.proc.stdout.close()


@pytest.fixture
def serve(project: Path) -> Iterator[Serve]:
    """Mkdocs serve of a private project copy."""
    server = Serve(project)
    server.wait_for("Serving on")
    yield server
    server.stop()


def test_serve_recovers_after_bad_data_is_fixed(project: Path, serve: Serve) -> None:
    """Break a data file: one error line, no traceback; fix it: the site is rebuilt and served."""
    severity = project / "data" / "severity.yaml"
    good = severity.read_text()
    severity.write_text(
        good.replace("response_time: Less than 15 minutes", "respons_time: Less than 15 minutes")
    )
    error = serve.wait_for("unknown field")
    assert "data/severity.yaml:" in error
    assert "levels[0].respons_time" in error
    severity.write_text(good.replace("Less than 15 minutes", "Within 10 minutes"))
    serve.wait_for("Reloading browsers")
    assert "Within 10 minutes" in serve.get("severity/")
    assert not any("Traceback" in line for line in serve.seen)
