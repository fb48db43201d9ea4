"""A server that drips its headers cannot stretch a link check beyond its time limits, exit included."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from oncall_docs.linkcheck.http import HttpFetch
from oncall_docs.linkcheck.scheduler import ExternalChecker, ExternalOptions
from oncall_docs.mkdocs_plugin.plugin import OncallPlugin
from tests.fakes.hostile_web import DripServer
from tests.fakes.loopback import serving

MARGIN = 1.5  # seconds: thread wake-ups and the last report, on a loaded machine
CLI = [sys.executable, "-c", "from oncall_docs.cli import main; main()"]


@pytest.fixture
def drip() -> Iterator[DripServer]:
    """A server on 127.0.0.1 that sends its headers one byte every 0.2 s."""
    server = DripServer(interval=0.2)
    with serving(server):
        yield server


def lingering(before: set[threading.Thread]) -> list[threading.Thread]:
    """Threads started since `before` that would hold up the interpreter's exit."""
    return [t for t in threading.enumerate() if t not in before and not t.daemon and t.is_alive()]


def site_linking(root: Path, urls: list[str]) -> Path:
    """A built site of one page that links to every URL."""
    site = root / "site"
    site.mkdir()
    links = "".join(f'<a href="{url}">x</a>' for url in urls)
    (site / "index.html").write_text(f"<html><body>{links}</body></html>", encoding="utf-8")
    return site


@pytest.mark.parametrize(
    ("timeout", "total", "limit"),
    [
        pytest.param(1.0, 30.0, 1.0, id="request-timeout"),
        pytest.param(30.0, 1.5, 1.5, id="total-timeout"),
    ],
)
def test_dripping_headers_are_cut_at_the_limit(
    drip: DripServer, timeout: float, total: float, limit: float
) -> None:
    """Each byte comes within the socket timeout, yet the request ends at its wall-clock limit."""
    options = ExternalOptions(timeout=timeout, total_timeout=total, workers=4, per_host=4)
    urls = {f"{drip.base}/d{i}": False for i in range(4)}
    before = set(threading.enumerate())
    started = time.monotonic()
    results = ExternalChecker(options, fetch=HttpFetch(options)).check_all(urls)
    elapsed = time.monotonic() - started
    assert {o.code for o in results.values()} == {"timeout"}
    assert elapsed < limit + MARGIN
    assert lingering(before) == []


def test_cli_exits_within_the_total_timeout(drip: DripServer, tmp_path: Path) -> None:
    """`check links --external` prints its report and exits by the total timeout (plus start-up)."""
    site = site_linking(tmp_path, [f"{drip.base}/c{i}" for i in range(6)])
    total = 2.0
    limits = ["--timeout", "3", "--total-timeout", str(total)]
    started = time.monotonic()
    proc = subprocess.run(
        [*CLI, "check", "links", str(site), "--external", "--no-cache", *limits],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=total + 20,
        check=False,
    )
    elapsed = time.monotonic() - started
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.count("[timeout]") == 6
    assert elapsed < total + 6  # the interpreter's start-up and imports take the rest


def test_build_check_ends_within_the_total_timeout(
    drip: DripServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The same inside `mkdocs build`: the hook returns by the total timeout, no worker left."""
    site = site_linking(tmp_path, [f"{drip.base}/b{i}" for i in range(6)])
    plugin = OncallPlugin()
    settings = {"external": True, "timeout": 3, "total_timeout": 1.5, "cache_dir": "c"}
    errors, _ = plugin.load_config({"links": settings})
    assert errors == []
    plugin.on_startup(command="build", dirty=False)
    config = SimpleNamespace(site_dir=str(site), config_file_path=str(tmp_path / "mkdocs.yml"))
    before = set(threading.enumerate())
    started = time.monotonic()
    plugin.on_post_build(config=config)  # type: ignore[arg-type]
    assert time.monotonic() - started < 1.5 + MARGIN
    assert caplog.text.count("[timeout]") == 6
    assert lingering(before) == []
