"""Snapshot -> RFC 5545 calendar (`oncall.ics`): one event per shift, in UTC.

Names come from PagerDuty and data files: every text property goes through icalendar's vText,
which escapes CR, LF, commas, semicolons and backslashes (an X- property is not typed as text
by itself), and control characters are dropped, so no name can end a line or start a component.
The feeds are described first, in plain frozen dataclasses (`IcsCalendar`, built by
`team_calendar` here and by myshift.ics), and written by one function, `write_ics`: the
only one that needs icalendar (25 ms to import), which it imports when it runs. A build
whose calendars are unchanged takes their text from the memo (oncall.ics_cache) instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from oncall_docs.oncall.model import Shift, Snapshot
from oncall_docs.timeutil import iso

if TYPE_CHECKING:
    from icalendar import Calendar, Event, vText

PRODID = "-//BitCell//oncall-docs//EN"
FOLD_AT = 75  # octets: a content line this long or longer is folded (RFC 5545, 3.1)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # RFC 5545 TEXT has none of them


@dataclass(frozen=True)
class IcsAlarm:
    """A VALARM that displays `description` at `trigger` relative to its event's start."""

    trigger: timedelta
    description: str


@dataclass(frozen=True)
class IcsEvent:
    """One shift as a VEVENT: raw texts, escaped when written."""

    uid: str
    start: datetime
    end: datetime
    stamp: datetime
    summary: str
    description: str
    categories: tuple[str, ...] = ()
    url: str | None = None
    alarms: tuple[IcsAlarm, ...] = ()


@dataclass(frozen=True)
class IcsCalendar:
    """A whole feed: its display name and its events, everything its text is made from."""

    name: str
    events: tuple[IcsEvent, ...]


CalendarWriter = Callable[[IcsCalendar], str]  # write_ics, or a memo of it


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


def write_ics(spec: IcsCalendar) -> str:
    """The RFC 5545 text of `spec` (icalendar); every text property escaped."""
    from icalendar import Alarm  # only when a calendar is written

    cal = calendar(spec.name)
    for item in spec.events:
        event = shift_event(
            item.uid, item.start, item.end, item.stamp, item.summary, item.description
        )
        if item.categories:
            event.add("categories", [_CONTROL.sub("", c) for c in item.categories])
        if item.url:
            event.add("url", item.url)
        for due in item.alarms:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", _text(due.description))
            alarm.add("trigger", due.trigger)
            event.add_component(alarm)
        cal.add_component(event)
    return to_text(cal)


def team_calendar(snapshot: Snapshot, labels: dict[int, str] | None = None) -> IcsCalendar:
    """Every shift of the snapshot as an event; swaps say so in the summary."""
    names = labels or {lv.level: lv.label for lv in snapshot.levels}
    events = []
    for shift in snapshot.shifts:
        label = names.get(shift.level, f"Level {shift.level}")
        swap = " (swap)" if shift.override else ""
        events.append(
            IcsEvent(
                _uid(shift),
                shift.start,
                shift.end,
                snapshot.generated_at,
                f"{label}: {shift.user.name}{swap}",
                f"Schedule: {shift.schedule.name}",
                categories=(label,),
            )
        )
    return IcsCalendar(f"On call: {snapshot.escalation_policy.name}", tuple(events))


def to_ics(snapshot: Snapshot, labels: dict[int, str] | None = None) -> str:
    """`oncall.ics`: every shift of the snapshot as a VEVENT; swaps say so in the summary."""
    return write_ics(team_calendar(snapshot, labels))
