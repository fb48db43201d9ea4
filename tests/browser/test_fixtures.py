"""The browser fixtures themselves: where Chromium comes from, and skip versus fail."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.browser import conftest as browser_conftest


def fake_playwright(own: str) -> SimpleNamespace:
    """Stands in for Playwright: only `chromium.executable_path` is read."""
    return SimpleNamespace(chromium=SimpleNamespace(executable_path=own))


def executable(tmp_path: Path, name: str) -> str:
    """An executable file to point at."""
    path = tmp_path / name
    path.write_text("#!/bin/sh\n", encoding="utf-8")
    path.chmod(0o755)
    return str(path)


@pytest.mark.parametrize(
    ("env", "debian", "own", "expected"),
    [
        pytest.param("env", "debian", "own", "env", id="chromium-path-wins"),
        pytest.param(None, "debian", "own", "debian", id="then-debian-chromium"),
        pytest.param(None, None, "own", "own", id="then-playwrights-own"),
        pytest.param(None, None, None, None, id="none-at-all"),
    ],
)
def test_find_chromium_order(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    env: str | None,
    debian: str | None,
    own: str | None,
    expected: str | None,
) -> None:
    """CHROMIUM_PATH, then /usr/bin/chromium, then Playwright's browser, else None."""
    paths = {name: executable(tmp_path, name) for name in ("env", "debian", "own")}
    missing = str(tmp_path / "missing")
    if env:
        monkeypatch.setenv("CHROMIUM_PATH", paths[env])
    else:
        monkeypatch.delenv("CHROMIUM_PATH", raising=False)
    monkeypatch.setattr(browser_conftest, "DEBIAN_CHROMIUM", paths[debian] if debian else missing)
    found = browser_conftest.find_chromium(fake_playwright(paths[own] if own else missing))
    assert found == (paths[expected] if expected else None)


@pytest.mark.parametrize(
    ("ci", "outcome"),
    [
        pytest.param("true", pytest.fail.Exception, id="ci-fails"),
        pytest.param("", pytest.skip.Exception, id="laptop-skips"),
    ],
)
def test_missing_browser_skips_or_fails(
    monkeypatch: pytest.MonkeyPatch, ci: str, outcome: type[BaseException]
) -> None:
    """Without a browser a test skips with the reason, except under CI=true where it fails."""
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="no Chromium"):
        browser_conftest.unavailable("no Chromium: set CHROMIUM_PATH")


@pytest.mark.parametrize(
    ("url", "routed"),
    [
        pytest.param("http://127.0.0.1:8000/assets/app.js", False, id="local-server"),
        pytest.param("data:text/plain,x", False, id="data-url"),
        pytest.param("about:blank", False, id="about"),
        pytest.param("https://fonts.googleapis.com/css", True, id="internet"),
        pytest.param("http://127.0.0.10/", True, id="not-quite-local"),
        pytest.param("http://localhost:3000/d/production", True, id="localhost-dashboard"),
    ],
)
def test_only_requests_leaving_the_machine_are_routed(url: str, routed: bool) -> None:
    """The context's route (which aborts) sees requests to other hosts, never the local server's."""
    assert bool(browser_conftest.NOT_LOCAL.match(url)) is routed
