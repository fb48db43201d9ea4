"""Live checklists in Chromium: ticks per shift in localStorage, progress, copy, reset, ids."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, time, timezone
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from oncall_docs.model.types import Handoff, Rotation
from oncall_docs.rotation import REFERENCE_DATE, shift_at
from tests.browser.conftest import BuildSite, SiteServer
from tests.conftest import ROOT as ROOT_DIR

# Wednesday of the shift that starts Monday 2026-11-23 09:00 America/New_York.
WEDNESDAY = datetime(2026, 11, 25, 15, 0, tzinfo=timezone.utc)
NEXT_HANDOFF = datetime(2026, 11, 30, 14, 0, 1, tzinfo=timezone.utc)  # 09:00:01 EST
HANDOFF_AFTER = datetime(2026, 12, 7, 14, 0, 1, tzinfo=timezone.utc)


def at(page: Page, when: datetime) -> Page:
    """Fix the page's notion of now (Date.now) with Playwright's clock."""
    page.clock.set_fixed_time(when)
    return page


def checklist(page: Page, checklist_id: str) -> Callable[[str], object]:
    """A locator factory for one checklist's parts."""
    root = page.locator(f'[data-checklist="{checklist_id}"]')
    return lambda selector: root.locator(selector)


def box(page: Page, checklist_id: str, item_id: str) -> object:
    """The checkbox of one item."""
    return page.locator(f'[data-checklist="{checklist_id}"] input[data-item="{item_id}"]')


def progress(page: Page, checklist_id: str) -> object:
    """The "n of m done" text of a checklist."""
    return page.locator(f'[data-checklist="{checklist_id}"] .oncall-checklist__progress')


def stored_keys(page: Page) -> list[str]:
    """Every key checklist.js wrote to localStorage."""
    keys = page.evaluate("Object.keys(localStorage)")
    return sorted(key for key in keys if key.startswith("oncall-docs:"))


def test_ticks_survive_a_reload(page: Page, site_url: str) -> None:
    """Tick two items, reload: still ticked, progress 2 of 5."""
    at(page, WEDNESDAY).goto(site_url + "preparation/")
    box(page, "before-48h", "review-incidents").check()
    box(page, "before-48h", "check-status").check()
    expect(progress(page, "before-48h")).to_have_text("2 of 5 done")
    page.reload()
    expect(box(page, "before-48h", "review-incidents")).to_be_checked()
    expect(box(page, "before-48h", "check-status")).to_be_checked()
    expect(box(page, "before-48h", "verify-access")).not_to_be_checked()
    expect(progress(page, "before-48h")).to_have_text("2 of 5 done")
    expect(progress(page, "before-24h")).to_have_text("0 of 6 done")


def test_storage_keys_name_site_checklist_shift_and_item(page: Page, site_url: str) -> None:
    """Keys are oncall-docs:<site path>:<checklist>:<shift key>:<item>; pre-shift lists use the next shift."""
    at(page, WEDNESDAY).goto(site_url + "preparation/")
    box(page, "before-48h", "review-incidents").check()
    box(page, "handoff-meeting", "attend").check()
    expect(progress(page, "handoff-meeting")).to_have_text("1 of 7 done")
    assert stored_keys(page) == [
        "oncall-docs:/:before-48h:2026-11-30:review-incidents",
        "oncall-docs:/:handoff-meeting:2026-11-23:attend",
    ]


def test_ticks_survive_instant_navigation(page: Page, site_url: str) -> None:
    """Away and back through Material's instant navigation: still ticked, progress right, bound once."""
    at(page, WEDNESDAY).goto(site_url + "preparation/")
    page.evaluate("window.notReloaded = true")
    box(page, "before-24h", "test-notifications").check()
    box(page, "before-24h", "charge-devices").check()
    page.locator(".md-nav__link", has_text="Severity levels").first.click()
    expect(page).to_have_url(site_url + "severity/")
    page.locator(".md-nav__link", has_text="Preparation").first.click()
    expect(page).to_have_url(site_url + "preparation/")
    assert page.evaluate("window.notReloaded") is True, "navigation was not instant"
    expect(box(page, "before-24h", "charge-devices")).to_be_checked()
    expect(progress(page, "before-24h")).to_have_text("2 of 6 done")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.locator('[data-checklist="before-24h"] [data-action="reset"]').click()
    expect(progress(page, "before-24h")).to_have_text("2 of 6 done")
    assert len(dialogs) == 1, "the reset handler is bound more than once"


def test_next_handoff_starts_a_fresh_list(page: Page, site_url: str) -> None:
    """Past the next handoff the list is empty; the last shift's ticks stay viewable until the one after."""
    at(page, WEDNESDAY).goto(site_url + "preparation/")
    box(page, "handoff-meeting", "attend").check()
    at(page, NEXT_HANDOFF).reload()
    expect(box(page, "handoff-meeting", "attend")).not_to_be_checked()
    expect(progress(page, "handoff-meeting")).to_have_text("0 of 7 done")
    part = checklist(page, "handoff-meeting")
    expect(part(".oncall-checklist__period")).to_have_text(
        "For this shift, Mon 30 Nov \u2013 Mon 7 Dec"
    )
    part('[data-action="previous"]').click()
    expect(box(page, "handoff-meeting", "attend")).to_be_checked()
    expect(box(page, "handoff-meeting", "attend")).to_be_disabled()
    expect(part(".oncall-checklist__period")).to_have_text(
        "Last shift, Mon 23 Nov \u2013 Mon 30 Nov"
    )
    at(page, HANDOFF_AFTER).reload()
    assert stored_keys(page) == []


def test_pre_shift_list_resets_at_the_handoff_it_prepares(page: Page, site_url: str) -> None:
    """Ticks of the 48-hour list made on Saturday stay until the shift they prepare has started."""
    saturday = datetime(2026, 11, 28, 14, 0, tzinfo=timezone.utc)
    at(page, saturday).goto(site_url + "preparation/")
    box(page, "before-48h", "review-incidents").check()
    at(page, datetime(2026, 11, 30, 13, 59, tzinfo=timezone.utc)).reload()
    expect(box(page, "before-48h", "review-incidents")).to_be_checked()
    at(page, NEXT_HANDOFF).reload()
    expect(box(page, "before-48h", "review-incidents")).not_to_be_checked()


def test_copy_as_markdown_is_exact(page: Page, site_url: str) -> None:
    """The clipboard gets the title, the shift's dates and one `- [x]`/`- [ ]` line per item."""
    at(page, WEDNESDAY).goto(site_url + "preparation/")
    box(page, "handoff-meeting", "attend").check()
    box(page, "handoff-meeting", "ask-questions").check()
    part = checklist(page, "handoff-meeting")
    part('[data-action="copy-markdown"]').click()
    expect(part(".oncall-checklist__status")).to_have_text("Checklist copied to the clipboard")
    assert page.evaluate("navigator.clipboard.readText()") == (
        "**Handoff meeting** (shift 2026-11-23 to 2026-11-30)\n"
        "- [x] Attend the 15-minute handoff meeting\n"
        "- [ ] Review the incidents handled last week\n"
        "- [ ] Review the ongoing issues\n"
        "- [ ] Review upcoming changes\n"
        "- [ ] Review known problems\n"
        "- [x] Ask your questions\n"
        "- [ ] Acknowledge the handoff in PagerDuty\n"
    )


def test_command_copy_button(page: Page, site_url: str) -> None:
    """A command's copy button puts exactly the command on the clipboard."""
    at(page, WEDNESDAY).goto(site_url + "daily-routine/")
    page.get_by_role("button", name="Copy the command docker-compose ps").click()
    expect(checklist(page, "morning-check")(".oncall-checklist__status")).to_have_text(
        "Command copied to the clipboard"
    )
    assert page.evaluate("navigator.clipboard.readText()") == "docker-compose ps"


def test_daily_check_starts_fresh_every_day(page: Page, site_url: str) -> None:
    """Morning checks are kept per local day, not per shift."""
    at(page, WEDNESDAY).goto(site_url + "daily-routine/")
    box(page, "morning-check", "chain-progressing").check()
    at(page, datetime(2026, 11, 26, 15, 0, tzinfo=timezone.utc)).reload()
    expect(box(page, "morning-check", "chain-progressing")).not_to_be_checked()
    expect(checklist(page, "morning-check")(".oncall-checklist__period")).to_have_text(
        "For today, Thu 26 Nov"
    )


def test_reset_asks_before_clearing(page: Page, site_url: str) -> None:
    """Reset does nothing when the question is dismissed, and clears the list when accepted."""
    at(page, WEDNESDAY).goto(site_url + "handoff/")
    box(page, "end-of-shift", "tips").check()
    reset = checklist(page, "end-of-shift")('[data-action="reset"]')
    page.once("dialog", lambda dialog: dialog.dismiss())
    reset.click()
    expect(box(page, "end-of-shift", "tips")).to_be_checked()
    page.once("dialog", lambda dialog: dialog.accept())
    reset.click()
    expect(box(page, "end-of-shift", "tips")).not_to_be_checked()
    expect(progress(page, "end-of-shift")).to_have_text("0 of 7 done")
    assert stored_keys(page) == []


def test_keyboard_and_accessible_names(page: Page, site_url: str) -> None:
    """Items are real labelled checkboxes: found by role and name, ticked with the space bar."""
    at(page, WEDNESDAY).goto(site_url + "preparation/")
    item = page.get_by_role("checkbox", name="Grafana (monitoring dashboards)")
    item.focus()
    page.keyboard.press("Space")
    expect(item).to_be_checked()
    expect(progress(page, "required-access")).to_have_text("1 of 10 done")
    expect(page.get_by_role("status").filter(has_text="1 of 10 done")).to_have_count(1)


def test_without_javascript_a_plain_list(browser: Browser, site_url: str) -> None:
    """With JavaScript off every item is still listed as a checkbox with its text, and no dead buttons."""
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "preparation/")
        expect(page.get_by_role("checkbox", name="Test PagerDuty notifications")).to_be_visible()
        expect(page.locator('[data-action="copy-markdown"]').first).to_be_hidden()
    finally:
        context.close()


PROJECT = Rotation.model_validate(
    yaml.safe_load((ROOT_DIR / "data" / "rotation.yaml").read_text(encoding="utf-8"))
)
BERLIN = Rotation.model_validate(
    {
        **PROJECT.model_dump(),
        "time_zone": "Europe/Berlin",
        "handoff": Handoff(weekday="friday", time=time(17, 30)).model_dump(),
        "shift_length_days": 14,
    }
)


def js_rotation(rotation: Rotation) -> dict[str, object]:
    """The rotation as checklist.js's shiftAt takes it (what the data-* attributes carry)."""
    return {
        "zone": rotation.time_zone,
        "weekday": rotation.handoff.weekday,
        "time": rotation.handoff.time.strftime("%H:%M"),
        "shiftDays": rotation.shift_length_days,
        "referenceDate": REFERENCE_DATE.isoformat(),
    }


@pytest.mark.parametrize(
    ("rotation", "when"),
    [
        pytest.param(PROJECT, "2026-03-08T06:59:00Z", id="ny-dst-sunday-before-change"),
        pytest.param(PROJECT, "2026-03-09T12:59:59Z", id="ny-monday-just-before-edt-handoff"),
        pytest.param(PROJECT, "2026-03-09T13:00:00Z", id="ny-monday-edt-handoff"),
        pytest.param(PROJECT, "2026-11-02T13:30:00Z", id="ny-monday-before-est-handoff"),
        pytest.param(PROJECT, "2026-11-02T14:00:00Z", id="ny-monday-est-handoff"),
        pytest.param(PROJECT, "2024-01-01T13:59:00Z", id="ny-reference-week"),
        pytest.param(BERLIN, "2026-03-27T16:29:59Z", id="berlin-friday-before-cest-handoff"),
        pytest.param(BERLIN, "2026-03-27T16:30:00Z", id="berlin-friday-cet-handoff"),
        pytest.param(BERLIN, "2026-04-03T15:30:00Z", id="berlin-off-week-friday"),
        pytest.param(BERLIN, "2026-04-10T15:30:00Z", id="berlin-cest-handoff"),
        pytest.param(BERLIN, "2023-12-29T16:29:00Z", id="berlin-before-reference"),
    ],
)
def test_python_and_javascript_agree_on_the_shift(
    page: Page, site_url: str, rotation: Rotation, when: str
) -> None:
    """checklist.js finds the same shift (key and dates) as rotation.shift_at, across DST changes."""
    page.goto(site_url + "preparation/")
    instant = datetime.fromisoformat(when.replace("Z", "+00:00"))
    shift = shift_at(rotation, instant)
    js = page.evaluate(
        "([r, t]) => window.oncallChecklists.shiftAt(r, new Date(t), 0)",
        [js_rotation(rotation), when],
    )
    assert (js["key"], js["end"]) == (shift.key, shift.end.date().isoformat())


def reorder_and_reword(project: Path) -> None:
    """before-48h reversed, check-status reworded, review-maintenance removed."""
    path = project / "data" / "checklists.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    first = raw["checklists"][0]
    assert first["id"] == "before-48h"
    items = [i for i in reversed(first["items"]) if i["id"] != "review-maintenance"]
    for item in items:
        if item["id"] == "check-status":
            item["text"] = "Look at the status page and open issues"
    first["items"] = items
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")


def test_ticks_follow_the_ids_after_a_rebuild(
    page: Page, site_url: str, site_server: SiteServer, build_site: BuildSite
) -> None:
    """Rebuilt with items reordered and reworded, the ticks follow the ids; a removed item's tick goes."""
    changed = build_site("reordered", reorder_and_reword)
    at(page, WEDNESDAY).goto(site_url + "preparation/")
    for item in ("check-status", "review-maintenance", "update-contact"):
        box(page, "before-48h", item).check()
    site_server.serve(changed)
    page.reload()
    expect(
        page.get_by_role("checkbox", name="Look at the status page and open issues")
    ).to_be_checked()
    expect(box(page, "before-48h", "update-contact")).to_be_checked()
    expect(box(page, "before-48h", "review-incidents")).not_to_be_checked()
    expect(progress(page, "before-48h")).to_have_text("2 of 4 done")
    assert stored_keys(page) == [
        "oncall-docs:/:before-48h:2026-11-30:check-status",
        "oncall-docs:/:before-48h:2026-11-30:update-contact",
    ]


def test_checklists_work_under_a_strict_csp(context: BrowserContext, site_url: str) -> None:
    """Served with `Content-Security-Policy: script-src 'self'`, the checklist still works.

    Material's own inline bootstrap scripts are blocked by such a policy (its bundle then logs
    `__md_get is not defined`); ours are files, and the article holds no inline script.
    """

    def add_csp(route: Route) -> None:
        response = route.fetch()
        headers = {**response.headers, "content-security-policy": "script-src 'self'"}
        route.fulfill(response=response, headers=headers)

    page = context.new_page()
    page.route(re.compile(r"/$"), add_csp)
    page.goto(site_url + "preparation/")
    assert page.locator(".md-content script").count() == 0
    box(page, "before-48h", "review-incidents").check()
    expect(progress(page, "before-48h")).to_have_text("1 of 5 done")
    page.reload()
    expect(box(page, "before-48h", "review-incidents")).to_be_checked()


def test_another_tab_sees_the_ticks(context: BrowserContext, site_url: str) -> None:
    """A tick in one tab shows up in another tab of the same site without a reload."""
    first, second = context.new_page(), context.new_page()
    for tab in (first, second):
        at(tab, WEDNESDAY).goto(site_url + "preparation/")
    box(first, "required-access", "github").check()
    expect(box(second, "required-access", "github")).to_be_checked()
    expect(progress(second, "required-access")).to_have_text("1 of 10 done")


CONTRAST = """el => {
    const rgb = c => c.match(/[\\d.]+/g).map(Number);
    const lum = c => {
        const [r, g, b] = rgb(c).slice(0, 3).map(v => {
            v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    let node = el, bg = "rgb(255, 255, 255)";
    while (node) {
        const c = getComputedStyle(node).backgroundColor;
        if (c && c !== "transparent" && rgb(c)[3] !== 0) { bg = c; break; }
        node = node.parentElement;
    }
    const [a, b] = [lum(getComputedStyle(el).color), lum(bg)].sort((x, y) => y - x);
    return (a + 0.05) / (b + 0.05);
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_readable_in_both_palettes(browser: Browser, site_url: str, scheme: str) -> None:
    """Item text, progress and buttons keep a contrast of at least 4.5:1 in light and dark."""
    context = browser.new_context(color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(site_url + "daily-routine/")
        material = {"light": "default", "dark": "slate"}[scheme]
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", material)
        part = checklist(page, "morning-check")
        expect(part(".oncall-checklist__toolbar")).to_be_visible()
        selectors = (
            ".oncall-checklist__text",
            ".oncall-checklist__progress",
            '[data-action="copy-markdown"]',
            ".oncall-checklist__copy",
        )
        for selector in selectors:
            assert part(selector).first.evaluate(CONTRAST) >= 4.5, selector
    finally:
        context.close()


HOURLY = [
    pytest.param(PROJECT, id="new-york-monday-0900"),
    pytest.param(BERLIN, id="berlin-friday-1730-fortnightly"),
    pytest.param(
        Rotation.model_validate(
            {**PROJECT.model_dump(), "time_zone": "Australia/Lord_Howe", "shift_length_days": 3}
        ),
        id="lord-howe-half-hour-dst-3-days",
    ),
    pytest.param(
        Rotation.model_validate(
            {**PROJECT.model_dump(), "handoff": {"weekday": "sunday", "time": "02:30"}}
        ),
        id="handoff-in-the-spring-forward-gap",
    ),
    pytest.param(
        Rotation.model_validate(
            {**PROJECT.model_dump(), "handoff": {"weekday": "sunday", "time": "01:30"}}
        ),
        id="handoff-in-the-fall-back-repeat",
    ),
]
SHIFT_KEYS = """([rotation, times]) => times.map(
    t => window.oncallChecklists.shiftAt(rotation, new Date(t * 1000), 0).key
)"""


@pytest.mark.parametrize("rotation", HOURLY)
def test_python_and_javascript_agree_over_a_year(
    page: Page, site_url: str, rotation: Rotation
) -> None:
    """Every 3 hours of 2026, and the second before and at each handoff, give the same shift key."""
    page.goto(site_url + "preparation/")
    start = int(datetime(2026, 1, 1, tzinfo=timezone.utc).timestamp())
    times = list(range(start, start + 366 * 86400, 3 * 3600))
    for shift_start in {
        shift_at(rotation, datetime.fromtimestamp(t, timezone.utc)).start for t in times
    }:
        edge = int(shift_start.timestamp())
        times += [edge - 1, edge]
    js_keys = page.evaluate(SHIFT_KEYS, [js_rotation(rotation), times])
    py_keys = [shift_at(rotation, datetime.fromtimestamp(t, timezone.utc)).key for t in times]
    assert [t for t, a, b in zip(times, js_keys, py_keys, strict=True) if a != b] == []


def test_checklists_work_from_disk(page: Page, default_site: Path) -> None:
    """Opened as a file (no server), the checklist still ticks, counts and keeps its ticks."""
    at(page, WEDNESDAY).goto((default_site / "preparation" / "index.html").as_uri())
    expect(progress(page, "before-24h")).to_have_text("0 of 6 done")
    box(page, "before-24h", "test-notifications").check()
    expect(progress(page, "before-24h")).to_have_text("1 of 6 done")
    page.reload()
    expect(box(page, "before-24h", "test-notifications")).to_be_checked()
