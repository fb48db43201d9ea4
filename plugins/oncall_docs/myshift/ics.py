"""One person's calendar feed, `oncall/<PagerDuty user id>.ics`: one event per shift, with alarms.

Each event's UID comes from `plan.personal_shifts` (stable across builds and swaps); each
due checklist becomes a VALARM at its due time, written relative to the start (RFC 5545
TRIGGER), so "48 hours before" stays right across a DST change. Text goes through the team
feed's escaper.
"""

from __future__ import annotations

from datetime import datetime

from oncall_docs.myshift.plan import Person
from oncall_docs.oncall.ics import IcsAlarm, IcsCalendar, IcsEvent, write_ics
from oncall_docs.oncall.model import Snapshot


def person_calendar(
    person: Person, snapshot: Snapshot, *, page_url: str | None = None
) -> IcsCalendar:
    """The feed's description; `page_url` (absolute, when the site has a site_url) is where the alarms point."""
    events = []
    for shift in person.shifts:
        swap = " (swap)" if shift.override else ""
        lines = [f"Schedule: {shift.schedule.name}"]
        lines += [f"Handover from {c.name}" for c in shift.handover_from]
        lines += [f"Handover to {c.name}" for c in shift.handover_to]
        titles: dict[datetime, list[str]] = {}
        for due in shift.due:
            if due.at < shift.start:  # one alarm per due time (the 48 h list and access share one)
                titles.setdefault(due.at, []).append(due.title)
        where = f": {page_url}#due" if page_url else " (see the My shift page)"
        alarms = tuple(
            IcsAlarm(at - shift.start, f"Due: {'; '.join(names)}{where}")
            for at, names in sorted(titles.items())
        )
        events.append(
            IcsEvent(
                shift.uid,
                shift.start,
                shift.end,
                snapshot.generated_at,
                f"On call: {shift.label}{swap}",
                "\n".join(lines),
                url=page_url or None,
                alarms=alarms,
            )
        )
    return IcsCalendar(f"On call: {person.name}", tuple(events))


def person_ics(person: Person, snapshot: Snapshot, *, page_url: str | None = None) -> str:
    """The feed's text; `page_url` (absolute, when the site has a site_url) is where the alarms point."""
    return write_ics(person_calendar(person, snapshot, page_url=page_url))
