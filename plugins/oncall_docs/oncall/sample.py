"""The shipped sample data, moved to the present: a fresh clone's first build shows this week.

The sample files (`data/oncall-snapshot.json`, `data/offline-incidents.json`) say
`"sample": true`. They were captured once; read later, every time in them is moved forward
by whole weeks (the rotation period), in the rotation's time zone, so that weekdays and the
local handoff time stay what they were, across daylight-saving changes too. Pure: `now` and
the zone are passed in.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone, tzinfo

from oncall_docs.oncall.model import Level, OnCall, Shift, Snapshot

WEEK = timedelta(weeks=1)


def weeks_since(anchor: datetime, now: datetime) -> int:
    """Whole weeks from `anchor` to `now`, never negative (a sample is never moved back)."""
    return max(0, (now - anchor) // WEEK)


def weeks_between(start: datetime, target: datetime) -> int:
    """Whole weeks that bring `start` nearest to `target` (a DST change is off by an hour, not a week)."""
    return round((target - start) / WEEK)


def move(when: datetime, weeks: int, zone: tzinfo) -> datetime:
    """`when` plus `weeks` weeks of wall-clock time in `zone` (same weekday, same local time), UTC."""
    if not weeks:
        return when
    local = when.astimezone(zone).replace(tzinfo=None) + weeks * WEEK
    return local.replace(tzinfo=zone).astimezone(timezone.utc)


def _maybe(when: datetime | None, weeks: int, zone: tzinfo) -> datetime | None:
    return None if when is None else move(when, weeks, zone)


def moved_snapshot(snapshot: Snapshot, now: datetime, zone: tzinfo) -> Snapshot:
    """The sample snapshot moved so that its capture falls in the week before `now`.

    Its shifts then cover `now` and the weeks ahead, as a snapshot taken in the last week
    would. A snapshot that is not the sample comes back unchanged.
    """
    if not snapshot.sample:
        return snapshot
    weeks = weeks_since(snapshot.generated_at, now)
    if not weeks:
        return snapshot
    levels = tuple(
        Level(
            lv.level,
            lv.label,
            tuple(
                OnCall(o.user, o.schedule, _maybe(o.start, weeks, zone), _maybe(o.end, weeks, zone))
                for o in lv.oncall
            ),
        )
        for lv in snapshot.levels
    )
    shifts = tuple(
        Shift(
            s.level,
            s.schedule,
            s.user,
            move(s.start, weeks, zone),
            move(s.end, weeks, zone),
            s.override,
        )
        for s in snapshot.shifts
    )
    return replace(
        snapshot,
        generated_at=move(snapshot.generated_at, weeks, zone),
        levels=levels,
        shifts=shifts,
    )
