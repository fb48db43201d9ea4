"""The on-call banner and schedule table in Chromium: "now" recomputed at view time, reader's zone.

The clock is injected with Playwright's `page.clock`; expectations come from the Python core
(`oncall_at`) over the same snapshot file, so the browser and the build must agree.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from oncall_docs.oncall.model import Snapshot, oncall_at
from oncall_docs.oncall.source import SnapshotFetcher
from oncall_docs.oncall.store import read_snapshot, write_snapshot
from oncall_docs.pagerduty_api.client import PagerDutySettings
from tests.browser.conftest import NOT_LOCAL, BuildSite, SiteServer, abort
from tests.conftest import ROOT
from tests.fakes.pagerduty import FakePagerDuty
from tests.fakes.pagerduty_account import bitcell_account
from tests.fakes.pd_fixtures import TOKEN

UTC = timezone.utc
DST_NOW = datetime(
    2027, 3, 3, 12, 0, tzinfo=UTC
)  # the US changes to EDT on 14 March, the EU on 28 March


def snapshot() -> Snapshot:
    """The checked-in offline snapshot the default site is built from."""
    return read_snapshot(ROOT / "data" / "oncall-snapshot.json")


def names_at(snap: Snapshot, level: int, when: datetime) -> str:
    """What the banner must show for `level` at `when`, per the Python core."""
    people = next(lv for lv in oncall_at(snap, when) if lv.level == level).oncall
    return ", ".join(o.user.name for o in people) or "nobody scheduled"


def shift_starts(snap: Snapshot, level: int) -> list[datetime]:
    """Start times of one level's shifts."""
    return [s.start for s in snap.shifts if s.level == level]


@pytest.fixture
def zoned(browser: Browser) -> Iterator[Any]:
    """Open pages in a given time zone and locale (a fresh context each), local network only."""
    contexts: list[BrowserContext] = []

    def open_in(zone: str, locale: str = "en-GB") -> Page:
        ctx = browser.new_context(timezone_id=zone, locale=locale)
        ctx.route(NOT_LOCAL, abort)
        contexts.append(ctx)
        return ctx.new_page()

    yield open_in
    for ctx in contexts:
        ctx.close()


def test_banner_names_who_is_on_call_after_each_handoff(page: Page, site_url: str) -> None:
    """A site built once names the right primary and secondary after every later handoff, swap included."""
    snap = snapshot()
    swap = next(s for s in snap.shifts if s.override)
    for when in [
        snap.generated_at + timedelta(hours=1),
        shift_starts(snap, 1)[1] + timedelta(minutes=1),
        shift_starts(snap, 1)[1] - timedelta(minutes=1),
        swap.start + timedelta(days=2),
    ]:
        page.clock.set_fixed_time(when)
        page.goto(site_url + "severity/")
        for level in (1, 2):
            expect(
                page.locator(f'[data-oncall-banner] [data-oncall-level="{level}"]')
            ).to_have_text(names_at(snap, level, when))


def test_reader_sees_times_in_own_zone(
    zoned: Any, site_server: SiteServer, default_site: Path
) -> None:
    """The handoff time is shown in the reader's zone: 09:00 in New York is 15:00 in Berlin."""
    snap = snapshot()
    when = snap.generated_at + timedelta(hours=1)
    for zone, shown in [("America/New_York", "09:00"), ("Europe/Berlin", "15:00")]:
        page = zoned(zone)
        page.clock.set_fixed_time(when)
        page.goto(site_server.serve(default_site) + "severity/")
        expect(
            page.locator("[data-oncall-banner][data-oncall-live] [data-oncall-now] time")
        ).to_contain_text(shown)


def test_past_the_last_shift_the_banner_says_so(page: Page, site_url: str) -> None:
    """After the last embedded shift the banner no longer names anyone and says to check PagerDuty."""
    snap = snapshot()
    page.clock.set_fixed_time((snap.covered_until() or snap.generated_at) + timedelta(hours=1))
    page.goto(site_url)
    now = page.locator("[data-oncall-banner] [data-oncall-now]")
    expect(now).to_contain_text("Who is on call is unknown")
    expect(now).to_contain_text("check PagerDuty")
    expect(page.locator('[data-oncall-banner] [data-oncall-level="1"]')).to_have_count(0)


def test_offline_snapshot_is_flagged_with_its_age(page: Page, site_url: str) -> None:
    """The offline snapshot says so, with its capture time and age, and the banner is marked."""
    snap = snapshot()
    page.clock.set_fixed_time(snap.generated_at + timedelta(days=2, hours=3))
    page.goto(site_url + "faq/")
    status = page.locator("[data-oncall-banner] [data-oncall-status]")
    expect(status).to_contain_text("offline snapshot, captured")
    expect(status).to_contain_text("(2 days 3 h ago)")
    expect(page.locator("[data-oncall-banner]")).to_have_class("oncall-banner oncall-banner--warn")


def test_schedule_table_is_recomputed_too(page: Page, site_url: str) -> None:
    """The schedule page's level table follows the view time, not the build time."""
    snap = snapshot()
    when = shift_starts(snap, 1)[2] + timedelta(hours=2)
    page.clock.set_fixed_time(when)
    page.goto(site_url + "schedule/")
    expect(page.locator('[data-oncall-table] tr[data-oncall-row="1"]')).to_contain_text(
        names_at(snap, 1, when)
    )
    expect(page.locator('[data-oncall-table] tr[data-oncall-row="3"]')).to_have_count(2)


def test_without_javascript_the_build_time_answer_is_there(browser: Browser, site_url: str) -> None:
    """Progressive enhancement: with JavaScript off the banner still names primary and secondary."""
    ctx = browser.new_context(java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto(site_url + "severity/")
        expect(page.locator('[data-oncall-banner] [data-oncall-level="1"]')).not_to_be_empty()
        expect(page.locator("[data-oncall-banner] [data-oncall-status]")).to_contain_text(
            "offline snapshot"
        )
    finally:
        ctx.close()


@pytest.fixture(scope="module")
def dst_site(
    build_site: BuildSite, pd_server: FakePagerDuty, pd_ca: tuple[Any, Path]
) -> tuple[Path, Snapshot]:
    """A site whose snapshot spans the US and EU DST changes of March 2027 (captured via the fake)."""
    holder: dict[str, Snapshot] = {}

    def edit(project: Path) -> None:
        pd_server.reset(bitcell_account(DST_NOW))
        pd_server.clock = DST_NOW
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("SSL_CERT_FILE", str(pd_ca[1]))
            snap = SnapshotFetcher(TOKEN, PagerDutySettings(pd_server.url, "PBCPOL1"))(DST_NOW)
        holder["snap"] = snap.with_source("offline")
        write_snapshot(project / "data" / "oncall-snapshot.json", holder["snap"])

    site = build_site("oncall-dst", edit)
    return site, holder.get("snap") or read_snapshot(site.parent / "data" / "oncall-snapshot.json")


@pytest.mark.parametrize(
    ("zone", "before", "after"),
    [
        pytest.param("America/New_York", "09:00", "09:00", id="new-york-stays-0900"),
        pytest.param("Europe/Berlin", "15:00", "14:00", id="berlin-1500-then-1400"),
    ],
)
def test_monday_handoff_across_dst(
    zoned: Any,
    site_server: SiteServer,
    dst_site: tuple[Path, Snapshot],
    zone: str,
    before: str,
    after: str,
) -> None:
    """Handoffs on 8 March (EST) and 15 March (EDT) as each reader's clock shows them."""
    site, snap = dst_site
    for monday, shown in [
        (datetime(2027, 3, 8, 14, 0, tzinfo=UTC), before),
        (datetime(2027, 3, 15, 13, 0, tzinfo=UTC), after),
    ]:
        assert monday in shift_starts(snap, 1)
        page = zoned(zone)
        page.clock.set_fixed_time(monday - timedelta(days=2))
        page.goto(site_server.serve(site) + "severity/")
        handoff = page.locator("[data-oncall-banner][data-oncall-live] [data-oncall-now] time")
        expect(handoff).to_have_attribute("datetime", monday.strftime("%Y-%m-%dT%H:%M:%SZ"))
        expect(handoff).to_contain_text(shown)
        expect(page.locator('[data-oncall-banner] [data-oncall-level="1"]')).to_have_text(
            names_at(snap, 1, monday - timedelta(days=2))
        )
