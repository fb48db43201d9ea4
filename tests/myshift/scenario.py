"""A snapshot for the My shift tests, shared by the unit and the browser tests.

Weekly handoffs Monday 09:00 New York across both DST changes, a shift given away in part
by an override, a person scheduled only through that override (and not in the roster), and
a roster person with no shift (added by `add_gus`).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from oncall_docs.oncall.model import Level, OnCall, Ref, Shift, Snapshot

UTC = timezone.utc
NEW_YORK = ZoneInfo("America/New_York")
# Schedules as the API gives them, with their pages on the account's host (html_url).
PRIMARY = Ref("PPRIMRY", "BitCell Primary", "https://bitcell.pagerduty.com/schedules/PPRIMRY")
SECONDARY = Ref("PSECOND", "BitCell Secondary", "https://bitcell.pagerduty.com/schedules/PSECOND")
ROTA = [
    Ref("PALICE1", "Alice Chen"),
    Ref("PBRUNO2", "Bruno Keller"),
    Ref("PCHIDI3", "Chidi Okafor"),
    Ref("PDANA04", "Dana Whitfield"),
    Ref("PEITAN5", "Eitan Levi"),
    Ref("PFARAH6", "Farah Haddad"),
]
ZOE = Ref("PZOE999", "Zoe Park")  # scheduled only through an override; not in the roster
GUS = Ref("PGUS009", "Gus Novak")  # in the roster (after add_gus), never scheduled
CAPTURED = datetime(2026, 10, 20, 12, 0, tzinfo=UTC)
FIRST_MONDAY = datetime(2026, 10, 26, 9, 0, tzinfo=NEW_YORK)
WEEKS = 24  # to 2027-04-12: past the US (1 Nov, 14 Mar) and EU (25 Oct, 28 Mar) changes
# The override: Zoe takes Wednesday 09:00 to Friday 09:00 of Farah's primary week of 30 Nov.
SWAP_START = datetime(2026, 12, 2, 9, 0, tzinfo=NEW_YORK)
SWAP_END = datetime(2026, 12, 4, 9, 0, tzinfo=NEW_YORK)


def monday(week: int) -> datetime:
    """The handoff of `week` (0 = 26 Oct 2026), 09:00 New York whatever the DST, in UTC."""
    local = FIRST_MONDAY.replace(tzinfo=None) + timedelta(weeks=week)
    return local.replace(tzinfo=NEW_YORK).astimezone(UTC)


def plain_shifts() -> list[Shift]:
    """Primary rotates through ROTA weekly; secondary is the next person."""
    shifts = []
    for week in range(WEEKS):
        start, end = monday(week), monday(week + 1)
        shifts.append(Shift(1, PRIMARY, ROTA[week % 6], start, end))
        shifts.append(Shift(2, SECONDARY, ROTA[(week + 1) % 6], start, end))
    return shifts


def with_swap(shifts: list[Shift]) -> list[Shift]:
    """Zoe takes the middle of the primary shift that contains SWAP_START."""
    out = []
    for s in shifts:
        if s.level == 1 and s.start <= SWAP_START < s.end:
            a, b = SWAP_START.astimezone(UTC), SWAP_END.astimezone(UTC)
            out += [
                Shift(1, PRIMARY, s.user, s.start, a),
                Shift(1, PRIMARY, ZOE, a, b, override=True),
                Shift(1, PRIMARY, s.user, b, s.end),
            ]
        else:
            out.append(s)
    return out


def snapshot(*, swap: bool = True, stale: bool = False) -> Snapshot:
    """The scenario snapshot (offline source, captured CAPTURED)."""
    shifts = with_swap(plain_shifts()) if swap else plain_shifts()
    first = [s for s in shifts if s.start <= CAPTURED < s.end or s.start == monday(0)]
    levels = (
        Level(
            1,
            "Primary",
            tuple(OnCall(s.user, s.schedule, s.start, s.end) for s in first if s.level == 1),
        ),
        Level(
            2,
            "Secondary",
            tuple(OnCall(s.user, s.schedule, s.start, s.end) for s in first if s.level == 2),
        ),
        Level(3, "Leadership", (OnCall(Ref("PMARC08", "Marcus Bell"), None, None, None),)),
    )
    return Snapshot(
        generated_at=CAPTURED,
        source="offline",
        stale=stale,
        escalation_policy=Ref("PBCPOL1", "BitCell Platform"),
        levels=levels,
        shifts=tuple(sorted(shifts, key=lambda s: (s.start, s.level))),
    )


def add_gus(project: Path) -> None:
    """Add a roster entry who is never scheduled (with a Slack handle)."""
    path = project / "data" / "roster.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["engineers"].append(
        {
            "id": "gus-novak",
            "name": GUS.name,
            "pagerduty_id": GUS.id,
            "slack": "@gus",
            "time_zone": "Europe/Berlin",
            "grants": [{"system": "pagerduty"}],
        }
    )
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
