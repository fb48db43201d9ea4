"""The handoff draft's Markdown: incident values cannot add links, emphasis or lines."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from oncall_docs.handoff.draft import make_draft, parse_incident
from oncall_docs.handoff.markdown import draft_markdown
from oncall_docs.handoff.window import current_window
from oncall_docs.model import load_handbook
from tests.conftest import ROOT
from tests.fakes.pagerduty_account import incident

BOOK = load_handbook(ROOT / "data")
NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
EVIL_URL = "https://x.example/a) **bold** [click](https://evil.example/"


def draft_of(**changes: Any) -> str:
    """The draft's Markdown for one open P1 incident with `changes` applied to its raw JSON."""
    raw = {**incident(1, "Chain halted", NOW, status="triggered", priority="P1"), **changes}
    draft = make_draft(
        BOOK,
        [parse_incident(raw)],
        window=current_window(BOOK, NOW),
        now=NOW,
        snapshot=None,
        redact_pattern=None,
    )
    return draft_markdown(draft, BOOK.template("handoff"))


def test_a_hostile_url_makes_no_second_link() -> None:
    """An html_url off the PagerDuty host is plain text: no `](`, no bold, no evil link."""
    text = draft_of(html_url=EVIL_URL)
    assert "](https://evil.example" not in text
    assert "](https://x.example" not in text
    assert "**bold**" not in text
    assert "Chain halted" in text


def test_a_newline_in_a_title_starts_no_line() -> None:
    """Titles with CR/LF stay on their line; Markdown in them is escaped."""
    text = draft_of(title="Halted\n# Fake heading\r\n- [x](https://evil.example)")
    assert "\n# Fake heading" not in text
    assert "\n- [x]" not in text
    assert r"Halted \# Fake heading - \[x\](https://evil.example)" in text


def test_incident_on_the_pagerduty_host_is_a_link() -> None:
    """An https:// incident page on the account's web host stays a link."""
    url = "https://bitcell.pagerduty.com/incidents/Q1"
    assert f"[Chain halted]({url})" in draft_of(html_url=url)
