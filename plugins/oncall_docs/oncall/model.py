"""Snapshot, Level, OnCall and Shift, and their JSON form (the `oncall.json` public contract).

Times are aware datetimes in UTC; `None` start/end means "always on call" (a user who is a
direct target of an escalation rule). The "now" views are computed from the shifts, so the
same answer comes out at build time here and at view time in the browser.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from oncall_docs.sources import PublicSource
from oncall_docs.timeutil import iso

HORIZON = timedelta(weeks=8)


MAX_NAME = 120  # characters of a PagerDuty display name kept


MAX_URL = 2000  # characters of an `html_url` kept; a longer one (or one not https) is dropped


@dataclass(frozen=True)
class Ref:
    """A PagerDuty object by id and display name, and for a schedule its web page; nothing else.

    Names longer than MAX_NAME are cut (with an ellipsis): a name is repeated on every page,
    so a 200,000-character one from a hostile account would otherwise grow each page by as much.
    `url` is the schedule's `html_url` as the API gave it ('' when not known, not https, over
    MAX_URL characters, and for users and policies): My shift links to it only when it is a
    page of the account behind the API in use (pagerduty_api.web).
    """

    id: str
    name: str
    url: str = ""

    def __post_init__(self) -> None:
        if len(self.name) > MAX_NAME:
            object.__setattr__(self, "name", self.name[: MAX_NAME - 1] + "…")
        if self.url and not _https_url(self.url):
            object.__setattr__(self, "url", "")


def _https_url(url: str) -> bool:
    """An https:// URL of at most MAX_URL characters, without spaces or control characters."""
    return (
        len(url) <= MAX_URL
        and url.startswith("https://")
        and not any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url)
    )


@dataclass(frozen=True)
class OnCall:
    """One person on call at one level; `start`/`end` None means always on call."""

    user: Ref
    schedule: Ref | None
    start: datetime | None
    end: datetime | None

    def covers(self, when: datetime) -> bool:
        """Open bounds (None) cover every instant."""
        return (self.start is None or self.start <= when) and (self.end is None or when < self.end)


@dataclass(frozen=True)
class Level:
    """An escalation level: 1 primary, 2 secondary, 3 leadership."""

    level: int
    label: str
    oncall: tuple[OnCall, ...]


@dataclass(frozen=True)
class Shift:
    """A final rendered schedule entry; `override` marks a swap."""

    level: int
    schedule: Ref
    user: Ref
    start: datetime
    end: datetime
    override: bool = False


@dataclass(frozen=True)
class Snapshot:
    """Everything the site shows about who is on call, captured at `generated_at`."""

    generated_at: datetime
    source: PublicSource
    stale: bool
    escalation_policy: Ref
    levels: tuple[Level, ...]
    shifts: tuple[Shift, ...] = field(default=())
    warnings: tuple[str, ...] = field(default=())  # e.g. a v3 schedule with coverage gaps
    sample: bool = False  # the shipped sample (made-up people), not a capture of a real rotation

    def with_source(self, source: PublicSource, *, stale: bool = False) -> Snapshot:
        """The same data, labelled with where this build got it from."""
        return replace(self, source=source, stale=stale)

    def age(self, now: datetime) -> timedelta:
        """How long ago the data was captured."""
        return now - self.generated_at

    def covered_until(self) -> datetime | None:
        """End of the last shift: past it, the snapshot can no longer say who is on call."""
        return max((s.end for s in self.shifts), default=None)


def oncall_at(snapshot: Snapshot, when: datetime) -> tuple[Level, ...]:
    """Who is on call at `when`, per level: schedule levels from the shifts, the rest as captured.

    A level that has shifts is answered from them (so a build from Friday is right after
    Monday's handoff); an empty tuple for such a level is a gap in the schedule.
    """
    result = []
    for level in snapshot.levels:
        shifts = [s for s in snapshot.shifts if s.level == level.level]
        always = tuple(o for o in level.oncall if o.start is None and o.end is None)
        if shifts:
            now = tuple(
                OnCall(s.user, s.schedule, s.start, s.end)
                for s in shifts
                if s.start <= when < s.end
            )
        else:
            now = tuple(o for o in level.oncall if o.covers(when))
        result.append(replace(level, oncall=_unique(always + now)))
    return tuple(result)


def _unique(items: tuple[OnCall, ...]) -> tuple[OnCall, ...]:
    seen: dict[tuple[str, datetime | None], OnCall] = {}
    for item in items:
        seen.setdefault((item.user.id, item.start), item)
    return tuple(seen.values())


def next_handoffs(snapshot: Snapshot, after: datetime, count: int = 6) -> list[Shift]:
    """The next shifts to start after `after`, earliest first (one line per new person on call)."""
    upcoming = sorted(
        (s for s in snapshot.shifts if s.start > after), key=lambda s: (s.start, s.level)
    )
    return upcoming[:count]


# -- JSON (the oncall.json contract) ----------------------------------------------------------


def _ref(ref: Ref | None) -> dict[str, str] | None:
    if ref is None:
        return None
    return {"id": ref.id, "name": ref.name, **({"url": ref.url} if ref.url else {})}


def to_dict(snapshot: Snapshot) -> dict[str, Any]:
    """The oncall.json object; shifts add `override` (a swap), and `warnings` when there are any.

    A schedule reference adds `url`, its page in PagerDuty's web app, when the API gave one.
    """
    return {
        "generated_at": iso(snapshot.generated_at),
        "source": snapshot.source,
        "stale": snapshot.stale,
        "escalation_policy": _ref(snapshot.escalation_policy),
        "levels": [
            {
                "level": lv.level,
                "label": lv.label,
                "oncall": [
                    {
                        "user": _ref(o.user),
                        "schedule": _ref(o.schedule),
                        "start": iso(o.start),
                        "end": iso(o.end),
                    }
                    for o in lv.oncall
                ],
            }
            for lv in snapshot.levels
        ],
        "shifts": [
            {
                "level": s.level,
                "schedule": _ref(s.schedule),
                "user": _ref(s.user),
                "start": iso(s.start),
                "end": iso(s.end),
                "override": s.override,
            }
            for s in snapshot.shifts
        ],
        **({"warnings": list(snapshot.warnings)} if snapshot.warnings else {}),
        **({"sample": True} if snapshot.sample else {}),
    }


def to_json(snapshot: Snapshot) -> str:
    """Stable, readable JSON text (sorted shifts, two-space indent)."""
    return json.dumps(to_dict(snapshot), indent=2, ensure_ascii=False) + "\n"


def with_labels(snapshot: Snapshot, labels: dict[int, str]) -> Snapshot:
    """Name the levels as the handbook does (rotation.yaml), whatever the file said."""
    levels = tuple(replace(lv, label=labels.get(lv.level, lv.label)) for lv in snapshot.levels)
    return replace(snapshot, levels=levels)
