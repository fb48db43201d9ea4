"""The banner of a site built from the shipped sample says "sample data" after the script runs."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect

from oncall_docs.oncall.store import read_snapshot
from tests.conftest import ROOT


def test_sample_banner_says_sample_data(page: Page, site_url: str) -> None:
    """At view time the script keeps "sample data" in the banner's heading and its status."""
    snap = read_snapshot(ROOT / "data" / "oncall-snapshot.json")
    page.clock.set_fixed_time(snap.generated_at + timedelta(days=1))
    page.goto(site_url + "faq/")
    expect(page.locator("[data-oncall-banner] [data-oncall-now]")).to_contain_text(
        "On call now (sample data)"
    )
    expect(page.locator("[data-oncall-banner] [data-oncall-status]")).to_contain_text(
        "sample data, made-up people: offline snapshot, captured"
    )
