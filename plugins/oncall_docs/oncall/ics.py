"""Snapshot -> RFC 5545 calendar (`oncall.ics`): one event per shift, in UTC.

Names come from PagerDuty and data files: every text property goes through icalendar's vText,
which escapes CR, LF, commas, semicolons and backslashes (an X- property is not typed as text
by itself), and control characters are dropped, so no name can end a line or start a component.
icalendar (25 ms to import) is imported when a calendar is written, not with this module.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING

from oncall_docs.oncall.model import Shift, Snapshot
from oncall_docs.timeutil import iso

if TYPE_CHECKING:
    from icalendar import Calendar, Event, vText

PRODID = "-//BitCell//oncall-docs//EN"
FOLD_AT = 75  # octets: a content line this long or longer is folded (RFC 5545, 3.1)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # RFC 5545 TEXT has none of them


def _text(value: str) -> vText:
    """A TEXT value: control characters dropped; vText escapes line breaks and delimiters."""
    from icalendar import vText  # only when a calendar is written

    return vText(_CONTROL.sub("", value))


def to_text(cal: Calendar) -> str:
    """`cal.to_ical()` as text, folding only the lines that are long enough to need it.

    icalendar folds every content line character by character; most lines of a shift calendar
    are ASCII and shorter than the 75 octets at which a line folds, so they are joined as they
    are, and every other line is folded by icalendar itself (the same bytes, a third less time).
    """
    lines = [
        line if line.isascii() and len(line) < FOLD_AT else line.to_ical().decode("utf-8")
        for line in cal.content_lines()
        if line
    ]
    return "\r\n".join(lines) + "\r\n"


def _uid(shift: Shift) -> str:
    """Stable across rebuilds, so calendar apps update events instead of duplicating them."""
    return f"{shift.schedule.id}-L{shift.level}-{iso(shift.start)}-{shift.user.id}@oncall-docs"


def calendar(name: str) -> Calendar:
    """An empty VCALENDAR with our PRODID and its (escaped) display name."""
    from icalendar import Calendar as NewCalendar  # only when a calendar is written

    cal = NewCalendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _text(name))
    return cal


def shift_event(
    uid: str, start: datetime, end: datetime, stamp: datetime, summary: str, description: str
) -> Event:
    """One shift as a VEVENT; every text property escaped."""
    from icalendar import Event as NewEvent  # only when a calendar is written

    event = NewEvent()
    event.add("uid", _text(uid))
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", _text(summary))
    event.add("description", _text(description))
    return event


def to_ics(snapshot: Snapshot, labels: dict[int, str] | None = None) -> str:
    """Every shift of the snapshot as a VEVENT; swaps say so in the summary."""
    names = labels or {lv.level: lv.label for lv in snapshot.levels}
    cal = calendar(f"On call: {snapshot.escalation_policy.name}")
    for shift in snapshot.shifts:
        label = names.get(shift.level, f"Level {shift.level}")
        swap = " (swap)" if shift.override else ""
        event = shift_event(
            _uid(shift),
            shift.start,
            shift.end,
            snapshot.generated_at,
            f"{label}: {shift.user.name}{swap}",
            f"Schedule: {shift.schedule.name}",
        )
        event.add("categories", [_CONTROL.sub("", label)])
        cal.add_component(event)
    return to_text(cal)
