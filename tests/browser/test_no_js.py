"""Every page with JavaScript off: all of its content is there, scripts only enhance.

The banner names people as of the build, every checklist is a visible list of boxes with all
of its items, and tables, the timeline and templates are shown. One context for the module.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from oncall_docs.model import Handbook, load_handbook
from tests.conftest import ROOT

PAGES = sorted(
    [p.relative_to(ROOT / "docs").with_suffix("").as_posix() for p in (ROOT / "docs").rglob("*.md")]
    + [f"runbooks/{p.stem}" for p in (ROOT / "data" / "runbooks").glob("*.yaml")]
)
# What a page must show without JavaScript beyond the banner and its checklists.
EXPECTED = {
    "severity": ["article table"],
    "escalation": ["article table"],
    "contacts": ["article table"],
    "schedule": ["[data-oncall-table]", ".oncall-timeline svg", "article table"],
    "required-access": ["article table"],
    "incident-report-template": ["[data-template] pre"],
    "status-update-template": ["[data-template] pre"],
    "handoff": ["[data-template] pre"],
    "appendix": [".oncall-incident-log"],
    "pre-shift-pack": ["article table"],
}
# Visible elements of the article that only JavaScript may reveal (none may be visible without it).
SCRIPT_ONLY = ".oncall-checklist__toolbar, .oncall-copy-block, .oncall-checklist__copy"


def url_of(page_path: str) -> str:
    """The directory URL of a page, as the web build writes it."""
    if page_path == "index":
        return ""
    return page_path.removesuffix("/index") + "/"


@pytest.fixture(scope="module")
def handbook() -> Handbook:
    """The project's data, for the expected checklist items."""
    return load_handbook(ROOT / "data")


@pytest.fixture(scope="module")
def no_js(browser: Browser) -> Iterator[Page]:
    """One page with JavaScript disabled, for the whole module."""
    ctx = browser.new_context(java_script_enabled=False, viewport={"width": 1400, "height": 900})
    yield ctx.new_page()
    ctx.close()


@pytest.mark.parametrize("page_path", PAGES)
def test_page_is_complete_without_javascript(
    no_js: Page, site_url: str, handbook: Handbook, page_path: str
) -> None:
    """Banner with names, every checklist with all its items, tables, timeline, templates."""
    no_js.goto(site_url + url_of(page_path))
    banner = no_js.locator("[data-oncall-banner]")
    expect(banner).to_be_visible()
    for level in ("1", "2"):
        expect(banner.locator(f'[data-oncall-level="{level}"]')).not_to_be_empty()
    checklists = no_js.locator("[data-checklist]")
    for index in range(checklists.count()):
        root = checklists.nth(index)
        expect(root).to_be_visible()
        items = handbook.checklist(str(root.get_attribute("data-checklist"))).items
        boxes = root.locator("input[type=checkbox][data-item]")
        expect(boxes).to_have_count(len(items))
        for item in items:
            expect(root.locator(f'input[data-item="{item.id}"]')).to_be_visible()
            expect(root).to_contain_text(item.text)
    for selector in EXPECTED.get(page_path, []):
        expect(no_js.locator(selector).first).to_be_visible()
    expect(no_js.locator(f"article :is({SCRIPT_ONLY})").filter(visible=True)).to_have_count(0)


def test_every_checklist_appears_on_some_page(
    no_js: Page, site_url: str, handbook: Handbook
) -> None:
    """The pages above between them show every checklist of checklists.yaml."""
    seen: set[str] = set()
    for page_path in PAGES:
        no_js.goto(site_url + url_of(page_path))
        seen.update(
            str(el.get_attribute("data-checklist"))
            for el in no_js.locator("[data-checklist]").all()
        )
    assert seen == {c.id for c in handbook.checklists.checklists}
