"""Shift arithmetic for the rotation in data/rotation.yaml. Pure: `now` is always passed in.

Handoffs are wall-clock times in the team's zone, so a DST change moves them in UTC; all
arithmetic is done on local dates and converted at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from oncall_docs.model.types import Due, Rotation

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Shifts longer than a week need a fixed first handoff to count from.
REFERENCE_DATE = date(2024, 1, 1)  # a Monday


@dataclass(frozen=True)
class Shift:
    """One shift of the rotation: [start, end) as aware datetimes in the team's zone."""

    start: datetime
    end: datetime

    @property
    def key(self) -> str:
        """A stable name for the shift (its local start date), e.g. for storing ticks."""
        return self.start.date().isoformat()

    def contains(self, when: datetime) -> bool:
        """True when `when` falls inside the shift."""
        return self.start <= when < self.end


def _zone(rotation: Rotation) -> ZoneInfo:
    return ZoneInfo(rotation.time_zone)


def _first_handoff_date(rotation: Rotation) -> date:
    offset = (WEEKDAYS.index(rotation.handoff.weekday) - REFERENCE_DATE.weekday()) % 7
    return REFERENCE_DATE + timedelta(days=offset)


def _handoff(rotation: Rotation, day: date) -> datetime:
    return datetime.combine(day, rotation.handoff.time, tzinfo=_zone(rotation))


def shift_at(rotation: Rotation, when: datetime) -> Shift:
    """Find the shift that contains `when`. Handoffs are wall-clock times, so DST moves them in UTC."""
    if when.tzinfo is None:
        raise ValueError("shift_at needs an aware datetime")
    local = when.astimezone(_zone(rotation))
    first = _first_handoff_date(rotation)
    length = rotation.shift_length_days
    index = (local.date() - first).days // length
    start_day = first + timedelta(days=index * length)
    if _handoff(rotation, start_day) > when:  # same day, before the handoff time
        start_day -= timedelta(days=length)
    return Shift(
        _handoff(rotation, start_day), _handoff(rotation, start_day + timedelta(days=length))
    )


def next_shifts(rotation: Rotation, when: datetime, count: int) -> list[Shift]:
    """The shift containing `when` and the `count - 1` after it."""
    shifts = [shift_at(rotation, when)]
    while len(shifts) < count:
        shifts.append(shift_at(rotation, shifts[-1].end))
    return shifts


def handoff_times(rotation: Rotation, after: datetime, count: int) -> list[datetime]:
    """The next `count` handoff instants strictly after `after`."""
    return [shift.end for shift in next_shifts(rotation, after, count)]


def due_at(
    rotation: Rotation, due: Due, shift: Shift, *, day: date | None = None
) -> datetime | None:
    """When a checklist is due for `shift` (daily checks: on `day`); None for incident-driven ones."""
    if due.anchor == "shift_start":
        return _shift_local(rotation, shift.start, due.offset_hours)
    if due.anchor == "shift_end":
        return _shift_local(rotation, shift.end, due.offset_hours)
    if due.anchor == "daily" and due.time is not None:
        return datetime.combine(day or shift.start.date(), due.time, tzinfo=_zone(rotation))
    return None


def _shift_local(rotation: Rotation, anchor: datetime, offset_hours: float) -> datetime:
    """Offsets in whole days keep the wall-clock time (48 h before Monday 09:00 is Saturday 09:00)."""
    zone = _zone(rotation)
    local = anchor.astimezone(zone)
    if offset_hours % 24 == 0:
        day = local.date() + timedelta(days=int(offset_hours // 24))
        return datetime.combine(day, time(local.hour, local.minute), tzinfo=zone)
    return (local + timedelta(hours=offset_hours)).astimezone(zone)
