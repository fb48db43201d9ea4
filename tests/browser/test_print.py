"""Printing from Chromium: the pre-shift pack on at most 2 pages, each checklist alone on 1."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Page, expect

from tests.browser.conftest import unavailable
from tests.conftest import ROOT as ROOT_DIR

CHECKLISTS = yaml.safe_load((ROOT_DIR / "data" / "checklists.yaml").read_text(encoding="utf-8"))[
    "checklists"
]
PAGES = {  # where each checklist lives
    "before-48h": "preparation/",
    "before-24h": "preparation/",
    "handoff-meeting": "preparation/",
    "required-access": "preparation/",
    "morning-check": "daily-routine/",
    "evening-check": "daily-routine/",
    "end-of-shift": "handoff/",
    "post-incident": "post-incident/",
}
EVERY_CHECKLIST_ON_EVERY_PAPER = pytest.mark.parametrize(
    ("checklist_id", "paper"), [(c, paper) for c in PAGES for paper in ("A4", "Letter")]
)
PACK = ("before-48h", "before-24h", "handoff-meeting", "required-access")
# Text that only the screen shows: navigation, search, footer, buttons.
SCREEN_ONLY = ("Table of contents", "Self-care", "Search", "Made with", "Copy as Markdown", "Reset")


@pytest.fixture(scope="module")
def poppler() -> None:
    """Pdfinfo and pdftotext (Debian's poppler-utils) read the printed PDFs."""
    missing = [tool for tool in ("pdfinfo", "pdftotext") if shutil.which(tool) is None]
    if missing:
        unavailable(f"{' and '.join(missing)} not found: apt-get install poppler-utils")


def printed(page: Page, path: Path, paper: str) -> list[str]:
    """Print the page to `path`; the text of each sheet, whitespace collapsed."""
    page.pdf(path=str(path), format=paper)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    sheets = [" ".join(chunk.split()) for chunk in text.split("\f")[:-1]]  # \f ends each sheet
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert f"Pages: {len(sheets)}" in " ".join(info.split())
    return sheets


def items_of(checklist_id: str) -> list[str]:
    """The item texts of a checklist, from the data."""
    (checklist,) = [c for c in CHECKLISTS if c["id"] == checklist_id]
    return [item["text"] for item in checklist["items"]]


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_pre_shift_pack_prints_on_two_pages(
    page: Page, site_url: str, tmp_path: Path, poppler: None, paper: str
) -> None:
    """The pack: every item of its four checklists, contacts and severities, no navigation, <= 2 pages."""
    page.goto(site_url + "pre-shift-pack/")
    sheets = printed(page, tmp_path / "pack.pdf", paper)
    assert len(sheets) <= 2
    text = " ".join(sheets)
    for checklist_id in PACK:
        for item in items_of(checklist_id):
            assert " ".join(item.split()) in text
    for expected in ("Name", "Shift dates", "Sign-off", "Platform Lead", "P0 - Critical"):
        assert expected in text
    for screen_only in SCREEN_ONLY:
        assert screen_only not in text


def test_links_print_their_targets(
    page: Page, site_url: str, tmp_path: Path, poppler: None
) -> None:
    """External links print their URL, links inside the handbook a page-and-section reference."""
    page.goto(site_url + "pre-shift-pack/")
    text = " ".join(printed(page, tmp_path / "pack.pdf", "A4"))
    assert "<https://bitcell.pagerduty.com/user/settings>" in text
    assert "(link → Preparation § required access)" in text
    assert site_url.split("//")[1].rstrip("/") not in text  # never the serving host


@EVERY_CHECKLIST_ON_EVERY_PAPER
def test_print_button_prints_one_checklist_on_one_page(
    page: Page, site_url: str, tmp_path: Path, poppler: None, checklist_id: str, paper: str
) -> None:
    """A checklist's Print button prints that checklist alone, on one page."""
    page.goto(site_url + PAGES[checklist_id])
    page.evaluate("window.print = () => { window.printed = true; }")  # no dialog in headless tests
    page.locator(f'[data-checklist="{checklist_id}"] [data-action="print"]').click()
    assert page.evaluate("window.printed") is True
    (text,) = printed(page, tmp_path / f"{checklist_id}.pdf", paper)
    for item in items_of(checklist_id):
        assert " ".join(item.split()) in text
    others = [c["title"] for c in CHECKLISTS if c["id"] != checklist_id]
    assert not [title for title in others if title in text]
    for screen_only in SCREEN_ONLY:
        assert screen_only not in text


def test_print_styles_hide_chrome_and_draw_the_boxes(page: Page, site_url: str) -> None:
    """Under print media the header and sidebars are gone and a box prints as a drawn square."""
    page.goto(site_url + "preparation/")
    page.locator('[data-item="review-incidents"]').check()
    page.emulate_media(media="print")
    expect(page.locator(".md-header")).to_be_hidden()
    expect(page.locator(".md-sidebar--primary")).to_be_hidden()
    expect(page.locator('[data-checklist="before-48h"] [data-action="print"]')).to_be_hidden()
    style = page.locator('[data-item="review-incidents"]').evaluate(
        "el => { const s = getComputedStyle(el); return [s.appearance, s.borderTopStyle]; }"
    )
    assert style == ["none", "solid"]


# Printable height of a page (paper minus the 12 mm top and bottom margins of print.css).
CONTENT_HEIGHT_MM = {"A4": 297 - 24, "Letter": 279.4 - 24}
PUSH_DOWN = """([id, height]) => {
    const spacer = document.createElement("div");
    spacer.style.cssText = `break-before: page; height: ${height}mm`;
    const checklist = document.querySelector(`[data-checklist="${id}"]`);
    checklist.before(spacer);
}"""


@EVERY_CHECKLIST_ON_EVERY_PAPER
def test_no_checklist_is_split_across_pages(
    page: Page, site_url: str, tmp_path: Path, poppler: None, checklist_id: str, paper: str
) -> None:
    """A checklist that starts 25 mm above the bottom of a sheet moves whole to the next one."""
    page.goto(site_url + PAGES[checklist_id])
    page.evaluate(PUSH_DOWN, [checklist_id, CONTENT_HEIGHT_MM[paper] - 25])
    sheets = printed(page, tmp_path / "page.pdf", paper)
    (title,) = [c["title"] for c in CHECKLISTS if c["id"] == checklist_id]
    wanted = [title, *(" ".join(item.split()) for item in items_of(checklist_id))]
    assert any(all(w in sheet for w in wanted) for sheet in sheets)
