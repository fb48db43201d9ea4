"""Snapshot -> RFC 5545 calendar (`oncall.ics`): one event per shift, in UTC."""

from __future__ import annotations

from icalendar import Calendar, Event

from oncall_docs.oncall.model import Shift, Snapshot
from oncall_docs.timeutil import iso

PRODID = "-//BitCell//oncall-docs//EN"


def _uid(shift: Shift) -> str:
    """Stable across rebuilds, so calendar apps update events instead of duplicating them."""
    return f"{shift.schedule.id}-L{shift.level}-{iso(shift.start)}-{shift.user.id}@oncall-docs"


def to_ics(snapshot: Snapshot, labels: dict[int, str] | None = None) -> str:
    """Every shift of the snapshot as a VEVENT; swaps say so in the summary."""
    names = labels or {lv.level: lv.label for lv in snapshot.levels}
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"On call: {snapshot.escalation_policy.name}")
    for shift in snapshot.shifts:
        event = Event()
        label = names.get(shift.level, f"Level {shift.level}")
        swap = " (swap)" if shift.override else ""
        event.add("uid", _uid(shift))
        event.add("dtstamp", snapshot.generated_at)
        event.add("dtstart", shift.start)
        event.add("dtend", shift.end)
        event.add("summary", f"{label}: {shift.user.name}{swap}")
        event.add("description", f"Schedule: {shift.schedule.name}")
        event.add("categories", [label])
        cal.add_component(event)
    return cal.to_ical().decode("utf-8")
