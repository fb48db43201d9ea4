"""On screen and on paper, as a reader sees it: contrast, widths at 1280 and 390 px, labels, print."""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import unavailable

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# Monday 2026-11-30, after the 09:00 America/New_York handoff: this shift runs to Mon 7 Dec.
AFTER_HANDOFF = datetime(2026, 11, 30, 15, 0, tzinfo=timezone.utc)

# WCAG 2 contrast of the element's text against what is painted behind it: its own background
# blended over its ancestors' (Material's buttons use translucent fills).
CONTRAST = """el => {
    const rgba = c => { const m = c.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
    const over = (top, under) => top.slice(0, 3).map((v, i) => v * top[3] + under[i] * (1 - top[3])).concat(1);
    const layers = [];
    for (let node = el; node; node = node.parentElement) layers.push(rgba(getComputedStyle(node).backgroundColor));
    let bg = [255, 255, 255, 1];
    for (const layer of layers.reverse()) bg = over(layer, bg);
    const fg = over(rgba(getComputedStyle(el).color), bg);
    const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    return (hi + 0.05) / (lo + 0.05);
}"""

# Parts of `el` a reader cannot see without scrolling sideways: a scroll box (the element, an
# ancestor or a descendant) whose content is wider than the box, or text past the viewport.
# Parts hidden on purpose (display: none, or clipped away for screen readers) do not count.
CLIPPED = """el => {
    const found = [];
    const hidden = n => { for (let a = n; a && a !== document.body; a = a.parentElement) {
        const s = getComputedStyle(a); if (s.display === "none" || s.clipPath !== "none") return true; } return false; };
    const scrolls = n => ["auto", "scroll", "hidden"].includes(getComputedStyle(n).overflowX);
    const nodes = [...el.querySelectorAll("*"), el];
    for (let n = el.parentElement; n && !n.matches(".md-content"); n = n.parentElement) nodes.push(n);
    for (const n of nodes) {
        if (!hidden(n) && scrolls(n) && n.scrollWidth > n.clientWidth + 1) found.push(`scrolls: <${n.tagName.toLowerCase()} class="${n.className}">`);
    }
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
        if (!t.textContent.trim() || hidden(t.parentElement)) continue;
        const range = document.createRange();
        range.selectNodeContents(t);
        for (const r of range.getClientRects()) {
            if (r.width && (r.right > window.innerWidth + 1 || r.left < -1)) found.push(`past the edge: ${t.textContent.trim()}`);
        }
    }
    return found;
}"""


def on(page: Page, url: str, viewport: dict[str, int], scheme: str = "light") -> Page:
    """Open `url` at a viewport size in a colour scheme, as Material's palette toggle reads it."""
    page.set_viewport_size(viewport)
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    page.goto(url)
    return page


@pytest.mark.parametrize(("scheme", "palette"), [("light", "default"), ("dark", "slate")])
@pytest.mark.parametrize("state", ["pressed-hovered", "pressed-focused", "hovered"])
def test_toolbar_buttons_keep_aa_contrast(
    page: Page, site_url: str, scheme: str, palette: str, state: str
) -> None:
    """The Back to this shift button and its neighbours keep 4.5:1 in both palettes and every state."""
    on(page, site_url + "preparation/", DESKTOP, scheme)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", palette)
    button = page.locator('[data-checklist="handoff-meeting"] [data-action="previous"]')
    if state.startswith("pressed"):
        button.click()
        expect(button).to_have_text("Back to this shift")
    if state == "pressed-focused":
        page.mouse.move(0, 0)
        expect(button).to_be_focused()
    else:
        button.hover()
    assert button.evaluate(CONTRAST) >= 4.5


def test_readiness_matrix_fits_the_column(page: Page, site_url: str) -> None:
    """At 1280 px every system column of the matrix shows without a sideways scroll or a cut name."""
    on(page, site_url + "required-access/", DESKTOP)
    table = page.locator('.md-typeset__scrollwrap table[data-table="access-readiness"]')
    expect(table).to_be_visible()
    sizes = table.evaluate("t => [t.scrollWidth, t.closest('.md-typeset__scrollwrap').clientWidth]")
    assert sizes[0] <= sizes[1]
    cut = table.evaluate(
        """t => [...t.querySelectorAll("th")].filter(th => {
            const box = th.getBoundingClientRect(), text = document.createRange();
            text.selectNodeContents(th);
            const r = text.getBoundingClientRect();
            return th.scrollWidth > th.clientWidth || th.scrollHeight > th.clientHeight ||
                   r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1;
        }).map(th => th.textContent)"""
    )
    assert cut == []
    assert table.evaluate("t => t.querySelectorAll('thead th').length") == 12


@pytest.mark.parametrize(
    ("path", "selector"),
    [
        pytest.param("schedule/", 'table[data-table="oncall-now"]', id="oncall-now"),
        pytest.param("schedule/", 'table[data-table="oncall-handoffs"]', id="handoffs"),
        pytest.param("required-access/", 'table[data-table="access-systems"]', id="systems"),
        pytest.param("handoff/", ".oncall-handoff-draft pre", id="handoff-draft"),
    ],
)
def test_nothing_runs_off_a_phone_screen(
    page: Page, site_url: str, path: str, selector: str
) -> None:
    """At 390 px every column of these tables and every line of the handoff draft is on screen."""
    on(page, site_url + path, PHONE)
    part = page.locator(selector)
    expect(part).to_be_visible()
    assert part.evaluate(CLIPPED) == []


def test_phone_tables_name_each_value(page: Page, site_url: str) -> None:
    """On a phone the on-call table shows "Until" beside the end of the shift, even after the JS redraw."""
    on(page, site_url + "schedule/", PHONE)
    until = page.locator('table[data-table="oncall-now"] td[data-label="Until"]').first
    expect(until).to_be_visible()
    label = until.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"Until"'


def rendered_font_sizes(page: Page) -> list[float]:
    """The on-screen size in px of every text of the timeline (SVG units times the scale)."""
    return page.locator(".oncall-timeline svg").evaluate(
        """svg => [...svg.querySelectorAll("text")].map(t =>
            parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)"""
    )


def test_timeline_text_is_readable_on_a_phone(page: Page, site_url: str) -> None:
    """At 390 px no text of the timeline is smaller than 10 px; the drawing scrolls sideways instead."""
    on(page, site_url + "schedule/", PHONE)
    expect(page.locator(".oncall-timeline svg")).to_be_visible()
    assert min(rendered_font_sizes(page)) >= 10


def test_timeline_labels_are_whole(page: Page, site_url: str) -> None:
    """At 1280 px no name is cut, and every date label, the first included, is inside the drawing."""
    on(page, site_url + "schedule/", DESKTOP)
    svg = page.locator(".oncall-timeline svg")
    expect(svg).to_be_visible()
    assert "…" not in (svg.text_content() or "")
    dates = svg.evaluate(
        """svg => { const width = svg.viewBox.baseVal.width;
            const now = svg.querySelector(".oncall-tl__now").x1.baseVal.value;
            return [...svg.querySelectorAll(".oncall-tl__date")].map(t => { const b = t.getBBox();
                return [b.x - now, b.x + b.width - width]; }); }"""
    )
    assert min(left for left, _ in dates) < 60  # a date right at the start of the drawing
    assert max(right for _, right in dates) <= 0  # and none past its right edge


def test_timeline_legend_matches_the_drawing(page: Page, site_url: str) -> None:
    """A swap is drawn hatched with a dashed outline, as the legend says, and its key is hatched too."""
    on(page, site_url + "schedule/", DESKTOP)
    mark = page.locator(".oncall-tl__bar--swap .oncall-tl__swap-mark").first
    expect(mark).to_be_attached()
    assert "oncall-tl-hatch" in mark.evaluate("el => getComputedStyle(el).fill")
    outline = page.locator(".oncall-tl__bar--swap rect").first
    assert outline.evaluate("el => getComputedStyle(el).strokeDasharray") not in ("none", "")
    caption = page.locator(".oncall-timeline figcaption")
    expect(caption).to_contain_text("hatched with a dashed outline = swap")
    key = page.locator(".oncall-tl__key--swap")
    assert "repeating-linear-gradient" in key.evaluate("el => getComputedStyle(el).backgroundImage")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_copy_button_covers_no_code(page: Page, site_url: str, viewport: dict[str, int]) -> None:
    """Material's copy button never sits on the text of a code block (the NodeDown line included)."""
    on(page, site_url + "runbooks/incident-response/", viewport)
    expect(page.locator("pre .md-code__nav").first).to_be_attached()
    covered = page.evaluate(
        """() => [...document.querySelectorAll("pre")].flatMap(pre => {
            const nav = pre.querySelector(".md-code__nav"), code = pre.querySelector("code");
            if (!nav || !code) return [];
            const b = nav.getBoundingClientRect(), text = document.createRange();
            text.selectNodeContents(code);
            return [...text.getClientRects()].some(r => r.width && r.right > b.left && r.left < b.right &&
                r.bottom > b.top && r.top < b.bottom) ? [code.textContent.slice(0, 60)] : [];
        })"""
    )
    assert covered == []


@pytest.mark.parametrize(
    ("path", "checklist_id", "now_label", "button", "before_label"),
    [
        pytest.param(
            "preparation/",
            "before-48h",
            "For the next shift, Mon 7 Dec \u2013 Mon 14 Dec (this list prepares it)",
            "Show this shift",
            "This shift, Mon 30 Nov \u2013 Mon 7 Dec (ticked while preparing it)",
            id="next-shift-list",
        ),
        pytest.param(
            "preparation/",
            "handoff-meeting",
            "For this shift, Mon 30 Nov \u2013 Mon 7 Dec",
            "Show last shift",
            "Last shift, Mon 23 Nov \u2013 Mon 30 Nov",
            id="current-shift-list",
        ),
        pytest.param(
            "daily-routine/",
            "morning-check",
            "For today, Mon 30 Nov",
            "Show yesterday",
            "Yesterday, Sun 29 Nov",
            id="daily-list",
        ),
    ],
)
def test_lists_say_which_period_they_are_for(
    page: Page,
    site_url: str,
    path: str,
    checklist_id: str,
    now_label: str,
    button: str,
    before_label: str,
) -> None:
    """Each kind of list names its period in words, and names the previous one for what it is."""
    page.clock.set_fixed_time(AFTER_HANDOFF)
    on(page, site_url + path, DESKTOP)
    root = page.locator(f'[data-checklist="{checklist_id}"]')
    period, toggle = (
        root.locator(".oncall-checklist__period"),
        root.locator('[data-action="previous"]'),
    )
    expect(period).to_have_text(now_label)
    expect(toggle).to_have_text(button)
    toggle.click()
    expect(period).to_have_text(before_label)


@pytest.fixture(scope="module")
def pdftotext() -> str:
    """Debian's pdftotext (poppler-utils) reads the printed PDF."""
    path = shutil.which("pdftotext")
    if path is None:
        unavailable("pdftotext not found: apt-get install poppler-utils")
    return str(path)


def printed_text(page: Page, pdf: Path, tool: str) -> str:
    """Print the page to A4 and return its text, whitespace collapsed."""
    page.pdf(path=str(pdf), format="A4")
    text = subprocess.run(
        [tool, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(text.stdout.split())


def test_pack_prints_ticks_and_the_people_to_call(
    page: Page, site_url: str, tmp_path: Path, pdftotext: str
) -> None:
    """A ticked item prints ticked; the pack carries the secondary, leadership, channels and escalation."""
    on(page, site_url + "pre-shift-pack/", DESKTOP)
    page.locator('[data-item="review-incidents"]').check()
    text = printed_text(page, tmp_path / "pack.pdf", pdftotext)
    assert "✓ Review the previous week's incidents" in text
    assert "✓ Check system status" not in text
    assert "(link → Runbooks \u203a Incident response § common incidents)" in text
    for expected in (
        "2. Secondary on-call",
        "3. Tertiary (leadership)",
        "#oncall-handoff Weekly handoff summaries",
        "Unable to resolve a P1 within 1 hour",
        "Leadership (Platform Lead, Engineering Manager)",
    ):
        assert expected in text
