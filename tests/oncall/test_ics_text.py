"""to_text writes a calendar byte for byte as icalendar's to_ical, folding only long lines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from icalendar.parser import Contentline

from oncall_docs.oncall.ics import FOLD_AT, calendar, shift_event, to_text

START = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
# SUMMARY:<text> is 8 octets plus the text: these make lines of 74, 75 and 76 octets.
SUMMARIES = [
    pytest.param("short", id="short"),
    pytest.param("x" * (FOLD_AT - 1 - 8), id="74-octets"),
    pytest.param("x" * (FOLD_AT - 8), id="75-octets"),
    pytest.param("x" * (FOLD_AT + 1 - 8), id="76-octets"),
    pytest.param("é" * 40, id="non-ascii-long"),
    pytest.param("Dana Ó", id="non-ascii-short"),
    pytest.param("🚨 " * 30, id="four-octet-characters"),
    pytest.param("a, b; c \\ d\ne" * 12, id="escapes-across-a-fold"),
]


def one_event_calendar(summary: str) -> object:
    """A calendar with one shift whose summary and description are `summary`."""
    cal = calendar(f"On call: {summary}")
    event = shift_event(
        "uid-1@oncall-docs", START, START + timedelta(days=7), START, summary, summary
    )
    cal.add_component(event)
    return cal


@pytest.mark.parametrize("summary", SUMMARIES)
def test_to_text_is_to_ical(summary: str) -> None:
    """The text is icalendar's own output, folds and escapes included."""
    cal = one_event_calendar(summary)
    assert to_text(cal) == cal.to_ical().decode("utf-8")  # type: ignore[attr-defined]


def test_only_long_or_non_ascii_lines_are_folded_by_icalendar(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Short ASCII lines skip icalendar's character-by-character fold; the others go through it."""
    folded: list[str] = []
    original = Contentline.to_ical

    def counting(self: Contentline) -> bytes:
        folded.append(str(self))
        return original(self)

    monkeypatch.setattr(Contentline, "to_ical", counting)
    to_text(one_event_calendar("x" * 80))
    assert folded
    assert all(len(line.encode("utf-8")) >= FOLD_AT for line in folded)
