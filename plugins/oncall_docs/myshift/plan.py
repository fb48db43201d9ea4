"""Per-person shifts from the snapshot: handovers, due checklists, stable calendar UIDs.

Everything is computed for every shift of the snapshot; the browser only picks, at view
time, which shifts are still ahead. Due times come from `rotation.due_at`, so the page,
the calendar alarms and the checklists agree across DST changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from oncall_docs.model import Handbook
from oncall_docs.model.access import Engineer
from oncall_docs.oncall.model import Ref, Shift, Snapshot
from oncall_docs.pagerduty_api.web import web_link
from oncall_docs.rotation import Shift as RotationShift
from oncall_docs.rotation import due_at, shift_at


@dataclass(frozen=True)
class Contact:
    """Someone you hand over with: a name and, from the roster, a Slack handle."""

    id: str
    name: str
    slack: str | None


@dataclass(frozen=True)
class DueList:
    """A checklist that prepares a shift, and the instant it is due."""

    checklist: str
    title: str
    at: datetime


@dataclass(frozen=True)
class PersonalShift:
    """One shift of one person, with the people around it and what is due before it."""

    uid: str
    level: int
    label: str
    schedule: Ref
    start: datetime
    end: datetime
    override: bool
    period: str  # the rotation shift's key: checklist ticks for this shift are stored under it
    handover_from: tuple[Contact, ...]
    handover_to: tuple[Contact, ...]
    due: tuple[DueList, ...]
    override_url: str | None


@dataclass(frozen=True)
class Person:
    """Someone who can pick themselves: in the roster, in the snapshot, or both."""

    id: str
    name: str
    slack: str | None
    in_roster: bool
    scheduled: bool
    shifts: tuple[PersonalShift, ...]
    always: tuple[str, ...] = ()  # labels of levels where they are always on call


def override_url(schedule: Ref, api_url: str) -> str | None:
    """The schedule's page in PagerDuty, where "Schedule an override" creates one for a shift.

    Its `html_url` as the API gave it, on the account's own host, and only when it is a page
    of the account behind `api_url` (pagerduty_api.web); None otherwise (the offline sample,
    whose schedules are made up, or a snapshot from before the URL was kept).
    """
    return schedule.url if schedule.url and web_link(schedule.url, api_url) else None


def slack_handles(engineers: Sequence[Engineer]) -> dict[str, str]:
    """PagerDuty user id -> Slack handle, for everyone in the roster who has both."""
    return {e.pagerduty_id: e.slack for e in engineers if e.pagerduty_id and e.slack}


def _contacts(shifts: Sequence[Shift], user: str, slack: Mapping[str, str]) -> tuple[Contact, ...]:
    seen: dict[str, Contact] = {}
    for s in shifts:
        if s.user.id != user:
            seen.setdefault(s.user.id, Contact(s.user.id, s.user.name, slack.get(s.user.id)))
    return tuple(seen.values())


def _due(book: Handbook, start: datetime, end: datetime) -> tuple[DueList, ...]:
    """Checklists anchored at the shift's start and due before (or at) it, earliest first."""
    rotation_shift = RotationShift(start, end)
    found = []
    for checklist in book.checklists.checklists:
        due = checklist.due
        if due is None or due.anchor != "shift_start" or due.offset_hours > 0:
            continue
        at = due_at(book.rotation, due, rotation_shift)
        if at is not None:
            found.append(DueList(checklist.id, checklist.title, at))
    return tuple(sorted(found, key=lambda d: (d.at, d.checklist)))


def personal_shifts(
    book: Handbook, snapshot: Snapshot, user_id: str, *, api_url: str
) -> tuple[PersonalShift, ...]:
    """The user's shifts, earliest first, each with a UID that survives swaps.

    The UID names the person, the level and the rotation shift that the start falls in, not
    the exact start: an override that trims a shift moves its start, and calendar apps must
    update that event rather than add a second one.
    """
    slack = slack_handles(book.roster.engineers)
    labels = {lv.level: lv.label for lv in snapshot.levels}
    mine = sorted(
        (s for s in snapshot.shifts if s.user.id == user_id), key=lambda s: (s.start, s.level)
    )
    counts: dict[str, int] = {}
    result = []
    for s in mine:
        period = shift_at(book.rotation, s.start).key
        base = f"{user_id}-L{s.level}-{period}"
        counts[base] = counts.get(base, 0) + 1
        uid = base + ("" if counts[base] == 1 else f"-{counts[base]}") + "@oncall-docs"
        level_shifts = [x for x in snapshot.shifts if x.level == s.level]
        before = [x for x in level_shifts if x.start < s.start <= x.end]
        after = [x for x in level_shifts if x.start <= s.end < x.end]
        result.append(
            PersonalShift(
                uid=uid,
                level=s.level,
                label=labels.get(s.level, f"Level {s.level}"),
                schedule=s.schedule,
                start=s.start,
                end=s.end,
                override=s.override,
                period=period,
                handover_from=_contacts(before, user_id, slack),
                handover_to=_contacts(after, user_id, slack),
                due=_due(book, s.start, s.end),
                override_url=override_url(s.schedule, api_url),
            )
        )
    return tuple(result)


def people(book: Handbook, snapshot: Snapshot, *, api_url: str) -> list[Person]:
    """Everyone who can pick themselves: the roster (by PagerDuty id) and the snapshot, by name."""
    roster = {e.pagerduty_id: e for e in book.roster.engineers if e.pagerduty_id}
    names: dict[str, str] = {e.pagerduty_id: e.name for e in roster.values() if e.pagerduty_id}
    always: dict[str, list[str]] = {}
    for s in snapshot.shifts:
        names.setdefault(s.user.id, s.user.name)
    for level in snapshot.levels:
        for o in level.oncall:
            names.setdefault(o.user.id, o.user.name)
            if o.start is None and o.end is None:
                always.setdefault(o.user.id, []).append(level.label)
    found = []
    for user_id, name in names.items():
        shifts = personal_shifts(book, snapshot, user_id, api_url=api_url)
        engineer = roster.get(user_id)
        found.append(
            Person(
                id=user_id,
                name=name,
                slack=engineer.slack if engineer else None,
                in_roster=engineer is not None,
                scheduled=bool(shifts) or user_id in always,
                shifts=shifts,
                always=tuple(always.get(user_id, ())),
            )
        )
    return sorted(found, key=lambda p: (p.name.casefold(), p.id))
