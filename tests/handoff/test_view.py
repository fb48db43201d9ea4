"""The handoff draft's HTML: escaped PagerDuty text, the status line, the copy button, the window."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from oncall_docs.handoff.draft import make_draft, parse_incident
from oncall_docs.handoff.view import HandoffView
from oncall_docs.handoff.window import current_window
from tests.conftest import fixture_handbook
from tests.fakes.pagerduty_account import incident

BOOK = fixture_handbook()
NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


def on_pagerduty_com(raw: dict[str, Any]) -> dict[str, Any]:
    """The fake's incident with its page on the real PagerDuty web host."""
    return {**raw, "html_url": raw["html_url"].replace("pagerduty.example", "pagerduty.com")}


def test_current_window_is_the_shift_ending_at_the_next_handoff() -> None:
    """Wednesday: from Monday 09:00 to next Monday 09:00 New York time."""
    window = current_window(BOOK, NOW)
    assert (window.since, window.until) == (
        datetime(2026, 11, 23, 14, tzinfo=UTC),
        datetime(2026, 11, 30, 14, tzinfo=UTC),
    )


def test_titles_reach_the_page_as_text() -> None:
    """A title with markup is escaped for Markdown and then for HTML: no element comes out of it."""
    raw = incident(1, '<img src=x onerror="alert(1)"> & co', NOW, status="triggered", priority="P1")
    draft = make_draft(
        BOOK,
        [parse_incident(raw)],
        window=current_window(BOOK, NOW),
        now=NOW,
        snapshot=None,
        redact_pattern=None,
    )
    html = HandoffView.of(BOOK, draft, "live from PagerDuty", "pagerduty").html()
    assert "<img" not in html
    assert "\\&lt;img src=x onerror=&#34;alert(1)&#34;\\&gt; &amp; co" in html
    assert 'data-source="pagerduty"' in html
    assert 'data-action="copy-block"' in html


def test_no_draft_is_a_status_line_without_a_button() -> None:
    """When nothing could be fetched: the line says so, with no empty block and no button."""
    html = HandoffView("could not fetch incidents <x>", "none").html()
    assert "could not fetch incidents &lt;x&gt;" in html
    assert "<pre>" not in html
    assert "copy-block" not in html


def test_notable_and_open_incidents_are_links_on_the_page() -> None:
    """Each notable or open incident links to PagerDuty once; a non-https URL is never a link."""
    raw = [
        on_pagerduty_com(incident(1, "Chain halted", NOW, NOW, priority="P1")),
        on_pagerduty_com(incident(2, "Open P1", NOW, priority="P2")),
        {**incident(3, "Odd", NOW, priority="P1"), "html_url": "javascript:alert(1)"},
    ]
    draft = make_draft(
        BOOK,
        [parse_incident(r) for r in raw],
        window=current_window(BOOK, NOW),
        now=NOW,
        snapshot=None,
        redact_pattern=None,
    )
    html = HandoffView.of(BOOK, draft, "live", "pagerduty").html()
    assert html.count('href="https://bitcell.pagerduty.com/incidents/Q0000001"') == 1
    assert html.count('href="https://bitcell.pagerduty.com/incidents/Q0000002"') == 1
    assert "javascript:" not in html.split("<pre>")[0]
    assert 'href="javascript' not in html
