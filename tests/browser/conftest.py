"""Browser fixtures: Debian's Chromium through Playwright, and built sites served on 127.0.0.1.

Never downloads a browser. Chromium comes from `CHROMIUM_PATH`, `/usr/bin/chromium` or a
browser Playwright already has; without one the tests skip (and fail under `CI=true`).

- `site_server`: one ThreadingHTTPServer for the session, bound before its thread starts.
  It serves one site directory at a time (`site_server.serve(path)`), so sites built from
  different data share one origin and therefore one localStorage.
- `build_site(name, edit=None)`: copy the project, let `edit(project)` change it, build it
  with `site_url` set to the server (Material's instant navigation needs that), once per name.
- `site_url`: the project's own site, served; `page`: a fresh context (empty storage), with
  every request that is not to 127.0.0.1 aborted.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import build_in_process, copy_project

try:
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
except ImportError:  # the test extra is not installed
    sync_playwright = None

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
DEBIAN_CHROMIUM = "/usr/bin/chromium"
# Only requests that leave 127.0.0.1 are routed (and aborted): a route on every request would
# send each of a page's dozens of local assets through this process and back.
NOT_LOCAL = re.compile(r"^(?!https?://127\.0\.0\.1[:/]|file:|data:|blob:|about:)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/browser/ carries the `browser` marker (`-m "not browser"`)."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


def unavailable(reason: str) -> None:
    """Skip with the reason; under CI=true (where Chromium is installed) fail instead."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run under CI=true: {reason}")
    pytest.skip(reason)


def find_chromium(playwright: Any) -> str | None:
    """CHROMIUM_PATH, then Debian's /usr/bin/chromium, then a browser Playwright installed earlier."""
    for candidate in (os.environ.get("CHROMIUM_PATH"), DEBIAN_CHROMIUM):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    own = playwright.chromium.executable_path
    return own if own and Path(own).is_file() else None


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """The Playwright driver (skips when the package is missing)."""
    if sync_playwright is None:
        unavailable("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """One headless Chromium for the whole session."""
    path = find_chromium(playwright)
    if path is None:
        unavailable("no Chromium: set CHROMIUM_PATH or apt-get install chromium")
    browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


class _SiteHandler(SimpleHTTPRequestHandler):
    """Static files from whatever directory the server currently serves; no request log."""

    server: SiteServer

    def translate_path(self, path: str) -> str:
        self.directory = str(self.server.root)
        return super().translate_path(path)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output clean."""


class SiteServer(ThreadingHTTPServer):
    """A static server on 127.0.0.1:0 whose document root can be switched between builds."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), partial(_SiteHandler, directory="."))
        self.root = Path(".")

    @property
    def url(self) -> str:
        """The site root, e.g. `http://127.0.0.1:41234/`."""
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def serve(self, root: Path) -> str:
        """Serve `root` from now on; returns the site URL."""
        self.root = root
        return self.url


@pytest.fixture(scope="session")
def site_server() -> Iterator[SiteServer]:
    """The session's static server (already listening, so no readiness wait)."""
    server = SiteServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    thread.join()
    server.server_close()


def set_site_url(project: Path, url: str) -> None:
    """Point `site_url` in the copy's mkdocs.yml at `url` (instant navigation needs it)."""
    config = project / "mkdocs.yml"
    text, count = re.subn(
        r"(?m)^site_url:.*$", f"site_url: {url}", config.read_text(encoding="utf-8")
    )
    config.write_text(text if count else f"site_url: {url}\n{text}", encoding="utf-8")


BuildSite = Callable[..., Path]


@pytest.fixture(scope="session")
def build_site(tmp_path_factory: pytest.TempPathFactory, site_server: SiteServer) -> BuildSite:
    """Build a (changed) copy of the project once per name; returns its site directory."""
    built: dict[str, Path] = {}

    def build(name: str, edit: Callable[[Path], None] | None = None) -> Path:
        if name not in built:
            project = copy_project(tmp_path_factory.mktemp(f"site-{name}") / "project")
            set_site_url(project, site_server.url)
            if edit is not None:
                edit(project)
            result = build_in_process(project)
            assert result.returncode == 0, result.output
            built[name] = result.site
        return built[name]

    return build


@pytest.fixture(scope="session")
def default_site(build_site: BuildSite) -> Path:
    """The project's own site, built for the browser tests."""
    return build_site("default")


@pytest.fixture
def site_url(site_server: SiteServer, default_site: Path) -> str:
    """URL of the project's own site (switches the server back to it)."""
    return site_server.serve(default_site)


def abort(route: Any) -> None:
    """Refuse a request that would leave the machine."""
    route.abort()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser context: empty localStorage, clipboard allowed, network only to 127.0.0.1."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    ctx.grant_permissions(["clipboard-read", "clipboard-write"])
    ctx.route(NOT_LOCAL, abort)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A page in a fresh context; JavaScript errors on the page fail the test."""
    errors: list[str] = []
    new_page = context.new_page()
    new_page.on("pageerror", lambda error: errors.append(str(error)))
    yield new_page
    assert not errors, f"JavaScript errors on the page: {errors}"
