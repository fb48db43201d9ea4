"""The My shift page in Chromium: view-time shifts, due marks, ticks, banner, feeds, fallbacks.

Clocks are injected with Playwright's `page.clock`; expectations come from the Python core
(`myshift.plan`) over the same snapshot, so the page and the build must agree. One scenario
site (tests/myshift/scenario.py) is built once for the module; the project's own site is
the session's shared `default_site`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from oncall_docs.model import load_handbook
from oncall_docs.myshift.plan import PersonalShift, personal_shifts
from oncall_docs.oncall.store import write_snapshot
from tests.browser.conftest import NOT_LOCAL, BuildSite, SiteServer, abort
from tests.browser.test_checklist import CONTRAST
from tests.conftest import ROOT
from tests.myshift.scenario import GUS, ZOE, add_gus, monday, snapshot

UTC = timezone.utc
API = "https://api.pagerduty.com"
Open = Callable[..., Page]


@pytest.fixture(scope="module")
def scenario(build_site: BuildSite) -> Path:
    """The scenario site: DST changes, a partial override, Zoe (override only), Gus (no shift)."""

    def edit(project: Path) -> None:
        write_snapshot(project / "data" / "oncall-snapshot.json", snapshot())
        add_gus(project)

    return build_site("my-shift-scenario", edit)


def shifts_of(user: str) -> tuple[PersonalShift, ...]:
    """The Python core's answer for one person of the scenario."""
    return personal_shifts(load_handbook(ROOT / "data"), snapshot(), user, api_url=API)


def primary_at(week: int) -> str:
    """Who is primary in the scenario's week `week`."""
    return next(s.user.id for s in snapshot().shifts if s.start == monday(week) and s.level == 1)


@pytest.fixture
def open_page(browser: Browser, site_server: SiteServer) -> Iterator[Open]:
    """Open a page of a site at a fixed time, in a zone and locale; JavaScript errors fail the test."""
    contexts: list[BrowserContext] = []
    errors: list[str] = []

    def open_at(
        site: Path, path: str, when: datetime, zone: str = "America/New_York", **kw: Any
    ) -> Page:
        ctx = kw.pop("context", None)
        if ctx is None:
            ctx = browser.new_context(timezone_id=zone, locale="en-GB", **kw)
            ctx.route(NOT_LOCAL, abort)
            contexts.append(ctx)
        page = ctx.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.clock.set_fixed_time(when)
        page.goto(site_server.serve(site) + path)
        return page

    yield open_at
    for ctx in contexts:
        ctx.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def iso(when: datetime) -> str:
    """The `datetime` attribute the page writes."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize(
    "week", [pytest.param(1, id="us-fall-back"), pytest.param(20, id="us-spring-forward")]
)
@pytest.mark.parametrize("zone", ["America/New_York", "Europe/Berlin", "Asia/Tokyo"])
def test_due_and_shift_times_across_dst_in_the_readers_zone(
    open_page: Open, scenario: Path, week: int, zone: str
) -> None:
    """The next shift and its 48 h / 24 h due times are the core's instants, shown in the reader's zone."""
    user = primary_at(week)
    shift = next(s for s in shifts_of(user) if s.start == monday(week))
    page = open_page(scenario, f"my-shift/?user={user}", shift.start - timedelta(days=3), zone)
    start = page.locator("[data-myshift-status] time")
    expect(start).to_have_attribute("datetime", iso(shift.start))
    expect(start).to_contain_text(shift.start.astimezone(ZoneInfo(zone)).strftime("%H:%M"))
    for due in shift.due:
        item = page.locator(f'[data-myshift-due-item="{due.checklist}"]')
        expect(item.locator("time")).to_have_attribute("datetime", iso(due.at))
        expect(item.locator("time")).to_contain_text(
            due.at.astimezone(ZoneInfo(zone)).strftime("%H:%M")
        )


@pytest.mark.parametrize(
    ("offset", "marks"),
    [
        pytest.param(timedelta(hours=-53), ["due in 5 h", "due in 29 h"], id="before-both"),
        pytest.param(timedelta(hours=-30), ["overdue", "due in 6 h"], id="48h-list-overdue"),
    ],
)
def test_due_marks(open_page: Open, scenario: Path, offset: timedelta, marks: list[str]) -> None:
    """A "due in 5 h" mark before a list's due time, "overdue" after it (week 3: no DST change near)."""
    user = primary_at(3)
    page = open_page(scenario, f"my-shift/?user={user}", monday(3) + offset)
    for checklist, mark in zip(["before-48h", "before-24h"], marks, strict=True):
        expect(
            page.locator(f'[data-myshift-due-item="{checklist}"] [data-myshift-mark]')
        ).to_have_text(mark)


def test_a_shift_given_away_and_taken_by_an_override(open_page: Open, scenario: Path) -> None:
    """Farah's week shows two pieces around Zoe's swap; Zoe sees her one shift, from and to Farah."""
    when = monday(5) - timedelta(days=1)
    farah = open_page(scenario, "my-shift/?user=PFARAH6", when)
    pieces = farah.locator("[data-myshift-shifts] li").filter(has_text="Primary")
    expect(pieces.nth(0)).to_contain_text("hands over to Zoe Park")
    expect(pieces.nth(1)).to_contain_text("takes over from Zoe Park")
    zoe = open_page(scenario, f"my-shift/?user={ZOE.id}", when)
    expect(zoe.locator("[data-myshift-shifts] li")).to_have_count(1)
    expect(zoe.locator("[data-myshift-shifts] li")).to_contain_text("(swap)")
    expect(zoe.locator("[data-myshift-from]")).to_have_text(
        "; takes over from Farah Haddad (@farah)"
    )
    expect(zoe.locator("[data-myshift-not-in-roster]")).to_be_visible()
    expect(zoe.locator('[data-myshift-ready] li[data-code="not-in-roster"]')).to_be_visible()


def test_in_the_roster_but_not_scheduled(open_page: Open, scenario: Path) -> None:
    """Gus can pick himself; the page says he has no shifts up to the end of the data, and has no feed."""
    page = open_page(scenario, f"my-shift/?user={GUS.id}", monday(2))
    expect(page.locator("[data-myshift-status]")).to_contain_text("no shifts in the schedule up to")
    expect(page.locator("[data-myshift-calendar]")).to_contain_text("No calendar feed")
    expect(page.locator("[data-myshift-name]")).to_contain_text("@gus")


def test_an_expired_snapshot_names_no_shift(open_page: Open, scenario: Path) -> None:
    """Past the last shift the page says the data has ended instead of naming shifts."""
    end = max(s.end for s in snapshot().shifts)
    page = open_page(scenario, "my-shift/?user=PALICE1", end + timedelta(hours=1))
    expect(page.locator("[data-myshift-warning]")).to_contain_text("this snapshot ends")
    expect(page.locator("[data-myshift-shifts]")).to_have_count(0)
    expect(page.locator("[data-myshift-due]")).to_be_hidden()


def test_a_stale_snapshot_names_no_shift(
    browser: Browser, site_server: SiteServer, scenario: Path
) -> None:
    """Data marked stale (PagerDuty unreachable at build time): a warning instead of shifts."""
    ctx = browser.new_context()
    try:

        def stale(route: Route) -> None:
            body = route.fetch().text().replace('"stale":false', '"stale":true')
            route.fulfill(body=body, content_type="text/html")

        ctx.route("**/my-shift/*", stale)
        page = ctx.new_page()
        page.clock.set_fixed_time(monday(2))
        page.goto(site_server.serve(scenario) + "my-shift/?user=PALICE1")
        expect(page.locator("[data-myshift-warning]")).to_contain_text("Stale data")
        expect(page.locator("[data-myshift-shifts]")).to_have_count(0)
    finally:
        ctx.close()


def test_pick_once_and_the_banner_knows_you(open_page: Open, scenario: Path) -> None:
    """The pick is kept across pages; the banner says "next shift starts in 2 days", then "you are on call"."""
    alice = next(s for s in shifts_of("PALICE1") if s.start > monday(4))
    page = open_page(scenario, "my-shift/", alice.start - timedelta(days=2, hours=3))
    page.locator("[data-myshift-select]").select_option("PALICE1")
    expect(page.locator("[data-myshift-name]")).to_contain_text("Alice Chen")
    page.goto(page.url.replace("my-shift/", "severity/"))
    expect(page.locator("[data-myshift-banner]")).to_have_text("· Your next shift starts in 2 days")
    page.clock.set_fixed_time(alice.start + timedelta(hours=1))
    page.reload()
    expect(page.locator("[data-myshift-banner]")).to_contain_text("You are on call")
    page.goto(page.url.replace("severity/", "my-shift/"))
    expect(page.locator("[data-myshift-select]")).to_have_value("PALICE1")


def test_user_link_opens_the_page_for_one_person(open_page: Open, scenario: Path) -> None:
    """?user= shows that person without changing who you picked."""
    page = open_page(scenario, "my-shift/?user=PBRUNO2", monday(2))
    expect(page.locator("[data-myshift-name]")).to_contain_text("Bruno Keller")
    assert (
        page.evaluate("Object.keys(localStorage).filter(k => k.endsWith(':my-shift:user'))") == []
    )


def test_same_ticks_as_the_preparation_page(open_page: Open, scenario: Path) -> None:
    """A tick for the next shift shows on the Preparation page; one for a later shift survives a visit there."""
    when = monday(5) - timedelta(days=3)  # Friday before week 5: Alice's next, Bruno's in two weeks
    page = open_page(scenario, "my-shift/?user=PALICE1", when)
    item = '[data-checklist="before-24h"] input[data-item="test-notifications"]'
    page.locator(item).check()
    page.goto(page.url.split("my-shift/")[0] + "preparation/")
    expect(page.locator(item)).to_be_checked()
    page.goto(page.url.replace("preparation/", "my-shift/?user=PBRUNO2"))
    expect(page.locator(item)).not_to_be_checked()
    page.locator(item).check()
    page.goto(page.url.split("my-shift/")[0] + "preparation/")
    expect(page.locator(item)).to_be_checked()  # Alice's tick: the rotation's next shift
    page.goto(page.url.replace("preparation/", "my-shift/?user=PBRUNO2"))
    expect(page.locator(item)).to_be_checked()
    expect(
        page.locator('[data-myshift-due-item="before-24h"] [data-myshift-mark]')
    ).not_to_have_text("done")


def test_all_ticked_is_done(open_page: Open, scenario: Path) -> None:
    """Ticking every item of a due list marks it done, overdue or not."""
    page = open_page(scenario, "my-shift/?user=PALICE1", monday(5) - timedelta(hours=30))
    mark = page.locator('[data-myshift-due-item="before-48h"] [data-myshift-mark]')
    expect(mark).to_have_text("overdue")
    for box in page.locator('[data-checklist="before-48h"] input[data-item]').all():
        box.check()
    expect(mark).to_have_text("done")


def test_feed_and_override_links(open_page: Open, scenario: Path) -> None:
    """Subscribe is a webcal:// link to the person's feed, Download the file; overrides go to PagerDuty."""
    page = open_page(scenario, "my-shift/?user=PALICE1", monday(2))
    expect(page.locator("[data-myshift-subscribe]")).to_have_attribute(
        "href", re.compile(r"^webcal://127\.0\.0\.1:\d+/oncall/PALICE1\.ics$")
    )
    expect(page.locator("[data-myshift-download]")).to_have_attribute(
        "href", "../oncall/PALICE1.ics"
    )
    expect(page.locator("[data-myshift-override]").first).to_have_attribute(
        "href", re.compile(r"^https://bitcell\.pagerduty\.com/schedules/(PSECOND|PPRIMRY)$")
    )
    assert (scenario / "oncall" / "PALICE1.ics").is_file()


def built_shifts(site: Path, user: str | None = None) -> list[dict[str, Any]]:
    """Shifts of the built site's oncall.json (the sample snapshot is moved to the build's week)."""
    shifts = json.loads((site / "oncall.json").read_text(encoding="utf-8"))["shifts"]
    return [s for s in shifts if user is None or s["user"]["id"] == user]


def at_iso(text: str, delta: timedelta = timedelta()) -> datetime:
    """An oncall.json time, shifted."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")) + delta


SLACK = {"PALICE1": "@alice", "PBRUNO2": "@bruno", "PCHIDI3": "@chidi", "PDANA04": "@dana"}
SLACK |= {"PEITAN5": "@eitan", "PFARAH6": "@farah"}


def test_slack_handles_in_the_banner_and_table(open_page: Open, default_site: Path) -> None:
    """The on-call people's handles from the roster follow their names, recomputed at view time."""
    shift = [s for s in built_shifts(default_site) if s["level"] == 1][1]
    page = open_page(default_site, "schedule/", at_iso(shift["start"], timedelta(hours=1)))
    handle = SLACK[shift["user"]["id"]]
    expect(
        page.locator("[data-oncall-banner][data-oncall-live] [data-oncall-handles]").first
    ).to_have_text(handle)
    expect(page.locator('[data-oncall-table] tr[data-oncall-row="1"]')).to_contain_text(handle)


def test_without_javascript_everyone_is_listed(
    browser: Browser, site_server: SiteServer, default_site: Path
) -> None:
    """With JavaScript off: every person's upcoming shifts, grouped, each with a calendar link."""
    ctx = browser.new_context(java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto(site_server.serve(default_site) + "my-shift/")
        expect(page.locator('[data-myshift-person="PALICE1"] li').first).to_contain_text("on-call")
        expect(
            page.locator('[data-myshift-person="PALICE1"] [data-myshift-feed]')
        ).to_have_attribute("href", "../oncall/PALICE1.ics")
        expect(page.locator("[data-myshift-personal]")).to_be_hidden()
        expect(page.locator("[data-myshift-nojs]")).to_be_visible()
    finally:
        ctx.close()


def test_works_from_disk(page: Page, default_site: Path) -> None:
    """Opened as a file: the personal view works, Download is there, Subscribe (needs http) is not."""
    first = built_shifts(default_site, "PALICE1")[0]
    page.clock.set_fixed_time(at_iso(first["start"], -timedelta(days=4)))
    page.goto((default_site / "my-shift" / "index.html").as_uri() + "?user=PALICE1")
    expect(page.locator("[data-myshift-status]")).to_contain_text("Your next shift (")
    expect(page.locator("[data-myshift-download]")).to_be_visible()
    expect(page.locator("[data-myshift-subscribe]")).to_have_count(0)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_readable_in_both_palettes(open_page: Open, default_site: Path, scheme: str) -> None:
    """New text (marks, warnings, handles, status) keeps 4.5:1 in light and dark."""
    page = open_page(
        default_site,
        "my-shift/?user=PALICE1",
        at_iso(built_shifts(default_site, "PALICE1")[0]["start"], -timedelta(hours=30)),
        color_scheme=scheme,
    )
    material = {"light": "default", "dark": "slate"}[scheme]
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", material)
    selectors = (
        ".oncall-myshift__mark--overdue",
        "[data-myshift-due-item] .oncall-myshift__mark:not(.oncall-myshift__mark--overdue)",
        "[data-myshift-status]",
        "[data-myshift-name] .oncall-slack",
        "[data-myshift-shifts] .oncall-slack",
        "[data-myshift-select]",
        ".oncall-myshift__person h3",
    )
    for selector in selectors:
        assert page.locator(selector).first.evaluate(CONTRAST) >= 4.5, selector


def test_instant_navigation_sets_the_page_up(open_page: Open, scenario: Path) -> None:
    """Reached through the banner link (Material's instant navigation), the page is set up for your pick."""
    page = open_page(scenario, "my-shift/", monday(2))
    page.locator("[data-myshift-select]").select_option("PBRUNO2")
    page.goto(page.url.replace("my-shift/", "severity/"))
    expect(page.locator("[data-myshift-banner]")).to_be_visible()
    page.evaluate("window.__kept = true")  # survives only if the page is not reloaded
    page.locator("[data-myshift-link]").click()
    expect(page.locator("[data-myshift-name]")).to_contain_text("Bruno Keller")
    expect(
        page.locator(
            '[data-myshift-checklists] [data-checklist="before-24h"] .oncall-checklist__progress'
        )
    ).to_have_text(re.compile(r"^0 of \d+ done"))
    assert page.evaluate("window.__kept === true")
