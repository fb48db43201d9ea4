"""The snapshot core: PagerDuty objects -> levels and shifts, "now" across DST, JSON, iCalendar, timeline."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from oncall_docs.oncall.build import build_snapshot
from oncall_docs.oncall.ics import to_ics
from oncall_docs.oncall.model import Snapshot, next_handoffs, oncall_at, to_json
from oncall_docs.oncall.parse import SnapshotFormatError, from_json
from oncall_docs.oncall.timeline import build_timeline
from tests.fakes.pagerduty_account import NEW_YORK, FakeSchedule, weekly

UTC = timezone.utc
ALICE, BRUNO, CHIDI, DANA = "PALICE1", "PBRUNO2", "PCHIDI3", "PDANA04"
NAMES = {
    ALICE: "Alice Chen",
    BRUNO: "Bruno Keller",
    CHIDI: "Chidi Okafor",
    DANA: "Dana Whitfield",
    "PPRIYA7": "Priya Raman",
    "PMARC08": "Marcus Bell",
}


def t(text: str) -> datetime:
    """An aware UTC datetime from ISO text."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def ref(kind: str, oid: str, name: str) -> dict[str, str]:
    """A PagerDuty reference object."""
    return {"id": oid, "type": f"{kind}_reference", "summary": name}


def raw_schedule(sched: FakeSchedule) -> dict[str, Any]:
    """A GET /schedules/{id} body (times rendered in New York, with offsets, as PagerDuty does)."""

    def entries(rows: list[Any]) -> list[dict[str, Any]]:
        return [
            {
                "user": ref("user", u, NAMES[u]),
                "start": s.astimezone(NEW_YORK).isoformat(),
                "end": e.astimezone(NEW_YORK).isoformat(),
            }
            for u, s, e in rows
        ]

    return {
        "id": sched.id,
        "name": sched.name,
        "final_schedule": {"rendered_schedule_entries": entries(sched.entries)},
        "overrides_subschedule": {"rendered_schedule_entries": entries(sched.overrides)},
    }


POLICY = {
    "id": "PBCPOL1",
    "name": "BitCell Platform",
    "escalation_rules": [
        {"targets": [ref("schedule", "PPRI", "Primary")]},
        {"targets": [ref("schedule", "PSEC", "Secondary")]},
        {"targets": [ref("user", "PPRIYA7", "Priya Raman"), ref("user", "PMARC08", "Marcus Bell")]},
    ],
}


def make(now: datetime, first: datetime, *, swap: bool = False, gap: bool = False) -> Snapshot:
    """A snapshot of a weekly Monday 09:00 New York rotation starting at `first`."""
    primary = FakeSchedule(
        "PPRI", "Primary", entries=weekly([ALICE, BRUNO, CHIDI, DANA], first, 12)
    )
    secondary = FakeSchedule(
        "PSEC", "Secondary", entries=weekly([ALICE, BRUNO, CHIDI, DANA], first, 12, offset=1)
    )
    if swap:
        primary.override(DANA, first + timedelta(weeks=2), first + timedelta(weeks=3))
    if gap:
        del secondary.entries[3]
    oncalls = [
        {
            "escalation_policy": {"id": "PBCPOL1"},
            "escalation_level": 3,
            "schedule": None,
            "user": {
                "id": uid,
                "type": "user",
                "name": NAMES[uid],
                "email": "x@bitcell.example",
                "contact_methods": [{"type": "phone_contact_method", "address": "+15550100"}],
            },
            "start": None,
            "end": None,
        }
        for uid in ("PPRIYA7", "PMARC08")
    ]
    schedules = {"PPRI": raw_schedule(primary), "PSEC": raw_schedule(secondary)}
    return build_snapshot(POLICY, oncalls, schedules, generated_at=now)


SPRING = datetime(2027, 3, 1, 9, 0, tzinfo=NEW_YORK)  # Mondays 1, 8 (EST), 15, 22 (EDT) March 2027
AUTUMN = datetime(2026, 10, 19, 9, 0, tzinfo=NEW_YORK)  # Mondays 19, 26 Oct (EDT), 2, 9 Nov (EST)


@pytest.mark.parametrize(
    ("first", "when", "primary"),
    [
        pytest.param(SPRING, "2027-03-15T12:59Z", BRUNO, id="spring-before-handoff-0859-edt"),
        pytest.param(SPRING, "2027-03-15T13:00Z", CHIDI, id="spring-handoff-0900-edt-is-1300z"),
        pytest.param(SPRING, "2027-03-08T13:59Z", ALICE, id="spring-last-est-handoff-not-yet"),
        pytest.param(SPRING, "2027-03-08T14:00Z", BRUNO, id="spring-last-est-handoff-1400z"),
        pytest.param(AUTUMN, "2026-10-26T13:00Z", BRUNO, id="autumn-edt-handoff-1300z"),
        pytest.param(AUTUMN, "2026-11-02T13:30Z", BRUNO, id="autumn-first-est-not-yet"),
        pytest.param(AUTUMN, "2026-11-02T14:00Z", CHIDI, id="autumn-first-est-handoff-1400z"),
    ],
)
def test_handoff_stays_at_0900_new_york_across_dst(
    first: datetime, when: str, primary: str
) -> None:
    """Monday 09:00 America/New_York hands off at 14:00Z in winter and 13:00Z in summer."""
    snap = make(first.astimezone(UTC), first)
    levels = oncall_at(snap, t(when))
    assert [o.user.id for o in levels[0].oncall] == [primary]


def test_berlin_reader_sees_the_new_york_handoff_in_berlin_time() -> None:
    """Between the US and EU DST changes the 09:00 New York handoff is 14:00 in Berlin, not 15:00."""
    from oncall_docs.oncall.view import OncallView

    snap = make(SPRING.astimezone(UTC), SPRING)
    berlin = OncallView(snap, t("2027-03-16T10:00Z"), "Europe/Berlin")
    assert "14:00 CET" in berlin.when(berlin.handoff(berlin.levels))
    winter = OncallView(snap, t("2027-03-02T10:00Z"), "Europe/Berlin")
    assert "15:00 CET" in winter.when(winter.handoff(winter.levels))


def test_swap_week_is_marked_and_wins() -> None:
    """An override replaces the rotation for its week, and only that shift is marked a swap."""
    snap = make(SPRING.astimezone(UTC), SPRING, swap=True)
    swaps = [s for s in snap.shifts if s.override]
    assert [(s.user.id, s.start) for s in swaps] == [(DANA, t("2027-03-15T13:00Z"))]
    assert [o.user.id for o in oncall_at(snap, t("2027-03-17T12:00Z"))[0].oncall] == [DANA]


def test_gap_in_schedule_leaves_level_empty() -> None:
    """A week without an entry: nobody at that level, while the other levels still answer."""
    snap = make(SPRING.astimezone(UTC), SPRING, gap=True)
    levels = oncall_at(snap, t("2027-03-24T12:00Z"))
    assert levels[1].oncall == ()
    assert len(levels[0].oncall) == 1


def test_always_on_call_level_has_two_people_and_no_times() -> None:
    """Leadership: two direct user targets, both listed, start and end null, no contact data kept."""
    snap = make(SPRING.astimezone(UTC), SPRING)
    leaders = oncall_at(snap, t("2027-04-20T00:00Z"))[2].oncall
    assert [o.user.name for o in leaders] == ["Marcus Bell", "Priya Raman"]
    assert all(o.start is None and o.end is None for o in leaders)
    assert "5550100" not in to_json(snap)
    assert "@" not in to_json(snap)


def test_shifts_cover_the_next_eight_weeks_only() -> None:
    """Shifts overlap [generated_at, +8 weeks): the current one and the next 8, no older, no later."""
    now = t("2027-03-03T12:00Z")
    snap = make(now, SPRING)
    primary = [s for s in snap.shifts if s.level == 1]
    assert primary[0].start <= now < primary[0].end
    assert primary[-1].start < now + timedelta(weeks=8) <= primary[-1].end
    assert len(primary) == 9


def test_next_handoffs_are_ordered() -> None:
    """The next handoffs start after `now`, earliest first, primary before secondary at a tie."""
    snap = make(SPRING.astimezone(UTC), SPRING)
    nxt = next_handoffs(snap, t("2027-03-02T00:00Z"), 4)
    assert [(s.start, s.level) for s in nxt] == [
        (t("2027-03-08T14:00Z"), 1),
        (t("2027-03-08T14:00Z"), 2),
        (t("2027-03-15T13:00Z"), 1),
        (t("2027-03-15T13:00Z"), 2),
    ]


def test_json_follows_the_contract_and_round_trips() -> None:
    """oncall.json: the DESIGN.md keys, UTC Z times, null for always on call, and back again."""
    snap = make(SPRING.astimezone(UTC), SPRING, swap=True)
    data = json.loads(to_json(snap))
    assert list(data) == [
        "generated_at",
        "source",
        "stale",
        "escalation_policy",
        "levels",
        "shifts",
    ]
    assert data["levels"][2]["oncall"][0] == {
        "user": {"id": "PMARC08", "name": "Marcus Bell"},
        "schedule": None,
        "start": None,
        "end": None,
    }
    assert set(data["shifts"][0]) >= {"level", "schedule", "user", "start", "end"}
    assert data["shifts"][0]["start"].endswith("Z")
    assert from_json(to_json(snap)) == snap


@pytest.mark.parametrize(
    ("text", "match"),
    [
        pytest.param("{", "invalid JSON", id="not-json"),
        pytest.param('{"source": "web"}', "source", id="bad-source"),
        pytest.param(
            '{"escalation_policy": {"id": "P"}, "levels": []}',
            "generated_at: missing",
            id="no-time",
        ),
    ],
)
def test_broken_snapshot_file_names_the_field(text: str, match: str) -> None:
    """A damaged snapshot file is one error naming what is wrong."""
    with pytest.raises(SnapshotFormatError, match=match):
        from_json(text)


def test_ics_has_one_utc_event_per_shift() -> None:
    """oncall.ics: RFC 5545, an event per shift with UTC start/end, stable UIDs, swaps named."""
    snap = make(SPRING.astimezone(UTC), SPRING, swap=True)
    cal = Calendar.from_ical(to_ics(snap))
    events = cal.walk("VEVENT")
    assert len(events) == len(snap.shifts)
    first = events[0]
    assert first.decoded("dtstart") == snap.shifts[0].start
    assert len({str(e["uid"]) for e in events}) == len(events)
    assert any("(swap)" in str(e["summary"]) for e in events)


def test_timeline_draws_lanes_swaps_gaps_and_mondays() -> None:
    """One lane per level, a swap bar, a gap bar, the always-on-call bar, a tick per Monday."""
    now = t("2027-03-02T00:00Z")
    snap = make(now, SPRING, swap=True, gap=True)
    tl = build_timeline(snap, now, ZoneInfo("America/New_York"))
    kinds = [b.kind for b in tl.bars]
    assert [label for _, label in tl.lanes] == ["Primary", "Secondary", "Leadership"]
    assert kinds.count("swap") == 1
    assert kinds.count("gap") == 1
    assert kinds.count("always") == 1
    assert len(tl.ticks) == 8
    assert all(tl.label_w <= b.x and b.x + b.width <= tl.width for b in tl.bars)
