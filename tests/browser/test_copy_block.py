"""Copy buttons of the templates and the handoff draft (copy-block.js) in real Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from oncall_docs.model import load_handbook
from oncall_docs.render.fragments import template_markdown
from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("path", "template"),
    [
        pytest.param("incident-report-template/", "incident-report", id="incident-report"),
        pytest.param("status-update-template/", "status-update", id="status-update"),
        pytest.param("handoff/", "handoff", id="blank-handoff"),
    ],
)
def test_template_copy_button_copies_the_template(
    page: Page, site_url: str, path: str, template: str
) -> None:
    """The button appears once the script runs and copies exactly the template's Markdown."""
    page.goto(site_url + path)
    block = page.locator(f'[data-template="{template}"]')
    block.get_by_role("button", name="Copy as Markdown").click()
    expect(block.locator(".oncall-copy-block__status")).to_have_text("Copied to the clipboard")
    expected = template_markdown(load_handbook(ROOT / "data").template(template))
    assert page.evaluate("navigator.clipboard.readText()") == expected


def test_handoff_draft_copy_is_the_block_text(page: Page, site_url: str) -> None:
    """The "Copy as Markdown" button of the draft copies the Markdown shown in its block, character for character."""
    page.goto(site_url + "handoff/")
    block = page.locator('[data-template="handoff-draft"]')
    shown = block.locator("pre code").text_content()
    block.get_by_role("button", name="Copy as Markdown").click()
    expect(block.locator(".oncall-copy-block__status")).to_have_text("Copied to the clipboard")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == shown
    assert copied.startswith("## On-Call Handoff: ")
    assert "(redacted)" in copied


def test_buttons_stay_hidden_without_javascript(browser: Browser, site_url: str) -> None:
    """Without JavaScript no dead button shows; the text can still be selected."""
    ctx = browser.new_context(java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto(site_url + "status-update-template/")
        expect(page.locator('[data-template="status-update"] pre code')).to_be_visible()
        expect(
            page.locator('[data-template="status-update"] [data-action="copy-block"]')
        ).to_be_hidden()
    finally:
        ctx.close()


def test_copy_button_works_from_disk(page: Page, default_site: Path) -> None:
    """Opened as a file (no server, document$ never fires), the draft's button still shows and copies."""
    page.goto((default_site / "handoff" / "index.html").as_uri())
    block = page.locator('[data-template="handoff-draft"]')
    block.get_by_role("button", name="Copy as Markdown").click()
    expect(block.locator(".oncall-copy-block__status")).to_have_text("Copied to the clipboard")
