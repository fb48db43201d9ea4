"""Shared fixtures: copies of the project to change, and real `mkdocs build` runs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fakes.web import FakeWeb

pytest_plugins = ["tests.fakes.pd_fixtures"]  # the fake PagerDuty: pd_ca, pd_server, fake_pd

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
PROJECT_PARTS = ("mkdocs.yml", "docs", "data", "overrides", "monitoring")


@dataclass
class BuildResult:
    """What a real `mkdocs build` run left behind."""

    returncode: int
    output: str
    site: Path

    def page(self, path: str) -> str:
        """The HTML of a built page, e.g. `severity/index.html`."""
        return (self.site / path).read_text(encoding="utf-8")


def copy_project(target: Path) -> Path:
    """Copy the project's site sources (config, pages, data, overrides) into `target`."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, target / part)
        elif src.exists():
            shutil.copy2(src, target / part)
    return target


def run_mkdocs_build(project: Path, *args: str, env: dict[str, str] | None = None) -> BuildResult:
    """Run a real `mkdocs build --strict` in a subprocess, as a user would."""
    site = project / "site"
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("PAGERDUTY_")}
    full_env.update({"NO_MKDOCS_2_WARNING": "1", **(env or {})})
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site), *args],
        cwd=project,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=300,
        check=False,
    )
    return BuildResult(proc.returncode, proc.stdout + proc.stderr, site)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A private copy of the project's sources, safe to edit."""
    return copy_project(tmp_path / "project")


@pytest.fixture
def data_dir(project: Path) -> Path:
    """The data/ folder of a private project copy."""
    return project / "data"


@pytest.fixture
def build() -> Callable[..., BuildResult]:
    """Build a project copy with a real mkdocs build."""
    return run_mkdocs_build


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The project's own site, built once per session from an untouched copy."""
    project = copy_project(tmp_path_factory.mktemp("built") / "project")
    result = run_mkdocs_build(project)
    assert result.returncode == 0, result.output
    return result


@pytest.fixture(scope="session")
def fake_web_server() -> Iterator[FakeWeb]:
    """The fake web of tests/fakes/web.py on 127.0.0.1, one per session."""
    server = FakeWeb()  # already bound and listening, so no readiness wait
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


@pytest.fixture
def fake_web(fake_web_server: FakeWeb) -> FakeWeb:
    """The session's fake web, with no requests seen yet."""
    fake_web_server.reset()
    return fake_web_server
