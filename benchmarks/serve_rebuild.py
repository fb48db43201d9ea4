"""Benchmark: `mkdocs serve` rebuild after saving a data file against saving a plain page.

    .venv/bin/python benchmarks/serve_rebuild.py [--rounds 3]

A real `mkdocs serve` on 127.0.0.1 serves a copy of the handbook. Each round saves (rewrites
with the same bytes) one data file and, in turn, one plain Markdown page, and times from the
save to the server's "Reloading browsers" log line, polled with a bounded deadline. Target:
a data file rebuilds in <= 1.5x the time of a plain page.
"""

from __future__ import annotations

import argparse
import queue
import shutil
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from common import child_env, print_command

ROOT = Path(__file__).resolve().parents[1]
MKDOCS = ROOT / ".venv" / "bin" / "mkdocs"
ENV = child_env()
DEADLINE = 120.0  # seconds to wait for one rebuild before giving up
SAVES = {"data file": "data/faq.yaml", "plain page": "docs/faq.md"}


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(lines: queue.Queue[str], needle: str, deadline: float) -> float:
    """Block until a log line contains `needle`; the monotonic time it came, or raise."""
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"no {needle!r} in the serve log in time")
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            continue
        if needle in line:
            return time.monotonic()


def drain(lines: queue.Queue[str]) -> None:
    """Forget what the server logged so far."""
    while True:
        try:
            lines.get_nowait()
        except queue.Empty:
            return


def main() -> None:
    """Serve a copy of the handbook, save files in turn, print the rebuild times."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print_command()
    tmp = Path(tempfile.mkdtemp(prefix="serve-bench-"))
    for name in ("docs", "data", "overrides", "monitoring"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, tmp / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp / "mkdocs.yml")
    port = free_port()
    server = subprocess.Popen(
        [str(MKDOCS), "serve", "-a", f"127.0.0.1:{port}", "-f", str(tmp / "mkdocs.yml")],
        cwd=tmp,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    assert server.stdout is not None
    stream = server.stdout
    threading.Thread(target=lambda: [lines.put(line) for line in stream], daemon=True).start()
    times: dict[str, list[float]] = {label: [] for label in SAVES}
    try:
        wait_for(lines, "Serving on", time.monotonic() + DEADLINE)
        for _ in range(args.rounds):
            for label, rel in SAVES.items():
                path = tmp / rel
                drain(lines)
                content = path.read_bytes()
                saved = time.monotonic()
                path.write_bytes(content)
                done = wait_for(lines, "Reloading browsers", saved + DEADLINE)
                times[label].append(done - saved)
                print(f"{label:11} ({rel}): rebuilt in {done - saved:.2f} s", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)
    data, page = (statistics.median(times[label]) for label in SAVES)
    print(
        f"median: data file {data:.2f} s, plain page {page:.2f} s, "
        f"ratio {data / page:.2f} (target <= 1.5)"
    )


if __name__ == "__main__":
    main()
