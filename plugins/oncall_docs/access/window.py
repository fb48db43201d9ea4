"""What `check access` and the "Required access" page look at: a snapshot turned into a time window.

Both the CLI and the site take the window from here, so the page's readiness matrix is the
check's own view. Every source is checked from now (or a given time): an offline snapshot
names its shifts ahead, and past the end of its shifts the check says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from oncall_docs.access.check import (
    AccessContext,
    Assignment,
    PagerDutyUser,
    assignments_from_snapshot,
)
from oncall_docs.model import Handbook
from oncall_docs.oncall.model import Snapshot
from oncall_docs.timeutil import iso


@dataclass(frozen=True)
class AccessWindow:
    """The stretch of time checked, and a sentence that says where its data came from."""

    start: datetime
    end: datetime
    source: str

    def describe(self, zone: str) -> tuple[str, str]:
        """Start and end as local dates of the team's zone."""
        tz = ZoneInfo(zone)
        return self.start.astimezone(tz).date().isoformat(), self.end.astimezone(
            tz
        ).date().isoformat()


def window_for(
    snapshot: Snapshot, now: datetime, weeks: int, at: datetime | None = None
) -> AccessWindow:
    """From `at`, else from now, whatever the snapshot's source (an offline one included)."""
    start = at or now
    captured = f"{snapshot.generated_at:%Y-%m-%d %H:%M} UTC"
    source = {
        "offline": f"offline snapshot, captured {captured}",
        "cache": f"PagerDuty, cached {captured}",
        "pagerduty": f"PagerDuty, {captured}",
    }.get(snapshot.source, snapshot.source)
    if snapshot.sample:
        source += ": sample data, made-up people"
    if snapshot.stale:
        source += ", stale"
    return AccessWindow(start, start + timedelta(weeks=weeks), source)


def access_context(
    book: Handbook,
    snapshot: Snapshot,
    window: AccessWindow,
    weeks: int,
    pd_users: dict[str, PagerDutyUser] | None = None,
) -> AccessContext:
    """The check's input from the loaded data and a snapshot."""
    assignments: list[Assignment] = assignments_from_snapshot(snapshot)
    return AccessContext(
        access=book.access,
        roster=book.roster,
        levels=book.rotation.levels,
        assignments=assignments,
        now=window.start,
        weeks=weeks,
        pd_users=pd_users,
        roster_positions=book.positions.get("roster"),
        roster_file=str(book.positions["roster"].path)
        if "roster" in book.positions
        else "data/roster.yaml",
    )


def window_dict(window: AccessWindow) -> dict[str, str | None]:
    """The JSON summary's `window`: start and end (ISO 8601 UTC) and where the data came from."""
    return {"start": iso(window.start), "end": iso(window.end), "source": window.source}
