"""The laptop copy in Chromium over file://: navigation, search, checklists, banner, its age.

One offline build per session (`OFFLINE=true`, as `make offline` does), packed with the same
`pack` and unzipped, so the test opens exactly what an engineer unzips.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from oncall_docs.offline import pack
from tests.browser.test_oncall_banner import names_at, snapshot
from tests.conftest import copy_project, run_mkdocs_build

DAY = date(2026, 11, 30)
# Material's search worker answers {type: 1} (ready) once its index is loaded.
READY_FLAG = """window.addEventListener("message", function (e) {
  if (e.data && e.data.type === 1) window.__searchReady = true;
});"""


@pytest.fixture(scope="session")
def offline_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's offline copy: built with OFFLINE=true, zipped, unzipped; its folder."""
    root = tmp_path_factory.mktemp("offline")
    result = run_mkdocs_build(copy_project(root / "project"), env={"OFFLINE": "true"})
    assert result.returncode == 0, result.output
    archive = pack(result.site, root / "out", DAY)
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(root / "unzipped")
    return root / "unzipped" / archive.stem


def open_copy(page: Page, copy: Path, path: str = "index.html") -> Page:
    """Open a page of the copy from disk, at a fixed time one hour after the snapshot."""
    page.clock.set_fixed_time(snapshot().generated_at + timedelta(hours=1))
    page.goto((copy / path).as_uri())
    return page


def test_the_zip_is_dated_and_holds_one_folder(offline_copy: Path) -> None:
    """`pack` names the zip by the day and unzips into one folder of the same name."""
    assert offline_copy.name == "oncall-handbook-2026-11-30"
    assert (offline_copy / "search" / "search_index.js").is_file()
    assert not (offline_copy / "preparation").exists()  # no directory URLs in the copy


def test_three_nav_links_in_a_row(page: Page, offline_copy: Path) -> None:
    """From the home page through three pages: each link opens the page, not a directory listing."""
    open_copy(page, offline_copy)
    for link, path in [
        ("Preparation", "preparation.html"),
        ("Severity levels", "severity.html"),
        ("Incident response", "runbooks/incident-response.html"),
    ]:
        page.locator(".md-sidebar--primary a.md-nav__link", has_text=link).first.click()
        expect(page).to_have_url((offline_copy / path).as_uri())
        expect(page.locator("article h1")).to_contain_text(link.split()[0])


def test_search_finds_severity_and_opens_the_page(page: Page, offline_copy: Path) -> None:
    """Search works from file:// (inlined index, vendored worker shim) and its result opens."""
    page.add_init_script(READY_FLAG)
    page.goto((offline_copy / "index.html").as_uri())  # no fake clock: it stalls the worker shim
    search = page.locator("input.md-search__input")
    search.click()
    page.wait_for_function("window.__searchReady === true")  # typed earlier, a query is lost
    search.press_sequentially("severity")  # Material reads key events, which fill() does not send
    result = page.locator(".md-search-result__item a").first
    expect(result).to_be_visible()
    result.click()
    expect(page).to_have_url(re.compile(re.escape(offline_copy.as_uri()) + r"/[a-z-]+\.html"))
    expect(page.locator("article")).to_contain_text("severity", ignore_case=True)


def test_a_tick_survives_a_reload(page: Page, offline_copy: Path) -> None:
    """Checklists store ticks from file:// too."""
    open_copy(page, offline_copy, "preparation.html")
    box = page.locator('[data-checklist="before-24h"] input[data-item="refresh-offline-copy"]')
    box.check()
    page.reload()
    expect(box).to_be_checked()


def test_banner_names_who_is_on_call_and_the_copy_says_its_age(
    page: Page, offline_copy: Path
) -> None:
    """The banner names the primary, and every page says when the copy was built and how long ago."""
    snap = snapshot()
    open_copy(page, offline_copy, "faq.html")
    expect(page.locator('[data-oncall-banner] [data-oncall-level="1"]')).to_have_text(
        names_at(snap, 1, snap.generated_at + timedelta(hours=1))
    )
    stamp = page.locator("[data-oncall-built]")
    expect(stamp).to_contain_text("Offline copy, built")
    expect(stamp.locator("[data-oncall-age]")).to_contain_text("ago")
