"""Shift-based (v3) schedules in the snapshot: kinds, assignments, gaps, overlaps, swaps, DST."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from oncall_docs.oncall.build import build_snapshot, schedule_ids
from oncall_docs.oncall.build_v3 import coverage_warning, schedule_kinds, target_kind, v3_shifts
from oncall_docs.oncall.model import Ref, Snapshot, oncall_at, to_json
from oncall_docs.oncall.parse import from_json
from oncall_docs.oncall.source import present
from oncall_docs.oncall.timeline import build_timeline
from oncall_docs.oncall.view import OncallView
from oncall_docs.sources import Cached, NoStore, resolve

UTC = timezone.utc
NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
NAMES = {"PALICE1": "Alice Chen", "PBRUNO2": "Bruno Keller", "PCHIDI3": "Chidi Okafor"}


def t(text: str) -> datetime:
    """An aware UTC datetime from ISO text."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def assignment(
    start: str, end: str, user: str | None, source: str = "schedule_rotation"
) -> dict[str, Any]:
    """One computed shift assignment; `user` None is an empty_member window."""
    member = {"type": "user_member", "user_id": user} if user else {"type": "empty_member"}
    return {
        "type": "computed_shift_assignment",
        "start_time": start,
        "end_time": end,
        "member": member,
        "source": {"type": source},
    }


def v3(
    rows: list[dict[str, Any]], coverage: float | None = 100, sid: str = "PPRIMRY"
) -> dict[str, Any]:
    """A GET /v3/schedules/{id} body with names attached as the fetch does (`users`)."""
    ids = {r["member"].get("user_id") for r in rows} - {None}
    return {
        "id": sid,
        "type": "schedule_v3",
        "name": "BitCell Primary",
        "time_zone": "America/New_York",
        "final_schedule": {
            "type": "final_schedule",
            "rendered_coverage_percentage": coverage,
            "computed_shift_assignments": rows,
        },
        "users": [{"id": u, "type": "user_reference", "summary": NAMES[u]} for u in sorted(ids)],
    }


def layer(sid: str, user: str, start: str, end: str) -> dict[str, Any]:
    """A GET /schedules/{id} body with one final entry."""
    entry = {
        "user": {"id": user, "type": "user_reference", "summary": NAMES[user]},
        "start": start,
        "end": end,
    }
    return {
        "id": sid,
        "type": "schedule",
        "name": "BitCell Secondary",
        "final_schedule": {"rendered_schedule_entries": [entry]},
        "overrides_subschedule": {"rendered_schedule_entries": []},
    }


def policy(*levels: list[tuple[str, str]]) -> dict[str, Any]:
    """An escalation policy: one rule per level, targets as (type, id)."""
    return {
        "id": "PBCPOL1",
        "name": "BitCell Platform",
        "escalation_rules": [
            {"targets": [{"id": tid, "type": kind, "summary": tid} for kind, tid in targets]}
            for targets in levels
        ],
    }


def snap(levels: list[list[tuple[str, str]]], schedules: dict[str, dict[str, Any]]) -> Snapshot:
    """build_snapshot with no /oncalls entries (levels are answered from the shifts)."""
    return build_snapshot(policy(*levels), [], schedules, generated_at=NOW)


def who(snapshot: Snapshot, when: str, level: int = 1) -> list[str]:
    """Names on call at `when` on `level`."""
    found = [lv for lv in oncall_at(snapshot, t(when)) if lv.level == level]
    return sorted(o.user.name for o in found[0].oncall)


@pytest.mark.parametrize(
    ("target", "kind"),
    [
        pytest.param({"id": "P1", "type": "schedule_reference"}, "layer", id="layer-based"),
        pytest.param({"id": "P1", "type": "schedule_v3_reference"}, "v3", id="shift-based"),
        pytest.param({"id": "P1", "type": "schedule"}, "unknown", id="bare-schedule"),
        pytest.param({"id": "P1"}, "unknown", id="no-type"),
        pytest.param({"id": "P1", "type": "user_reference"}, None, id="user-reference"),
        pytest.param({"id": "P1", "type": "user"}, None, id="user"),
    ],
)
def test_target_kind_follows_the_reference_type(target: dict[str, str], kind: str | None) -> None:
    """Each escalation target is followed by its own reference type; users are not schedules."""
    assert target_kind(target) == kind


def test_policy_mixing_kinds_lists_every_schedule_per_level() -> None:
    """A v3 primary, a layer-based secondary and a target of unknown kind all count as schedules."""
    pol = policy(
        [("schedule_v3_reference", "PPRIMRY")],
        [("schedule_reference", "PSECOND"), ("schedule", "PTHIRD1")],
        [("user_reference", "PPRIYA7")],
    )
    assert schedule_kinds(pol) == {"PPRIMRY": "v3", "PSECOND": "layer", "PTHIRD1": "unknown"}
    assert schedule_ids(pol) == {1: ["PPRIMRY"], 2: ["PSECOND", "PTHIRD1"], 3: []}


def test_v3_primary_and_layer_secondary_in_one_snapshot() -> None:
    """Both kinds land in the same shifts, with names resolved for the v3 ids."""
    primary = v3([assignment("2026-11-23T14:00:00Z", "2026-11-30T14:00:00Z", "PALICE1")])
    secondary = layer(
        "PSECOND", "PBRUNO2", "2026-11-23T09:00:00-05:00", "2026-11-30T09:00:00-05:00"
    )
    snapshot = snap(
        [[("schedule_v3_reference", "PPRIMRY")], [("schedule_reference", "PSECOND")]],
        {"PPRIMRY": primary, "PSECOND": secondary},
    )
    assert [(s.level, s.schedule.name, s.user.name) for s in snapshot.shifts] == [
        (1, "BitCell Primary", "Alice Chen"),
        (2, "BitCell Secondary", "Bruno Keller"),
    ]
    assert who(snapshot, "2026-11-26T00:00:00Z", 1) == ["Alice Chen"]
    assert who(snapshot, "2026-11-26T00:00:00Z", 2) == ["Bruno Keller"]


GAP = [
    assignment("2026-11-23T14:00:00Z", "2026-11-27T14:00:00Z", "PALICE1"),
    assignment("2026-11-27T14:00:00Z", "2026-11-29T14:00:00Z", None),
    assignment("2026-11-29T14:00:00Z", "2027-01-25T14:00:00Z", "PBRUNO2"),
]


def test_empty_member_is_a_gap_everywhere() -> None:
    """An empty_member window: nobody on the level, "nobody scheduled" in banner, table and timeline."""
    snapshot = snap([[("schedule_v3_reference", "PPRIMRY")]], {"PPRIMRY": v3(GAP, coverage=96.4)})
    assert [s.user.name for s in snapshot.shifts] == ["Alice Chen", "Bruno Keller"]
    assert who(snapshot, "2026-11-28T00:00:00Z") == []
    view = OncallView(snapshot, t("2026-11-28T00:00:00Z"), "America/New_York")
    assert "<b>nobody scheduled</b>" in view.banner("schedule/")
    assert "Nobody is scheduled: a gap in the schedule" in view.table()
    tl = build_timeline(snapshot, NOW, ZoneInfo("America/New_York"))
    gaps = [b for b in tl.bars if b.kind == "gap"]
    assert len(gaps) == 1
    assert "Fri 27 Nov 09:00 EST to Sun 29 Nov 09:00 EST" in gaps[0].title


@pytest.mark.parametrize(
    ("coverage", "warned"),
    [
        pytest.param(96.4, True, id="below-100"),
        pytest.param(100, False, id="full"),
        pytest.param(None, False, id="not-rendered"),
    ],
)
def test_coverage_below_100_is_one_warning_naming_the_schedule(
    coverage: float | None, warned: bool
) -> None:
    """rendered_coverage_percentage < 100 -> one warning line with the schedule's name and id, kept in JSON."""
    snapshot = snap(
        [[("schedule_v3_reference", "PPRIMRY")]], {"PPRIMRY": v3(GAP, coverage=coverage)}
    )
    assert len(snapshot.warnings) == (1 if warned else 0)
    if warned:
        assert "BitCell Primary (PPRIMRY)" in snapshot.warnings[0]
        assert "96.4%" in snapshot.warnings[0]
    assert from_json(to_json(snapshot)).warnings == snapshot.warnings


def test_layer_based_schedule_never_warns_on_coverage() -> None:
    """Only v3 schedules are judged by their coverage (layer-based output stays as it was)."""
    raw = layer("PSECOND", "PBRUNO2", "2026-11-23T09:00:00-05:00", "2026-11-30T09:00:00-05:00")
    raw["final_schedule"]["rendered_coverage_percentage"] = 12.5
    assert coverage_warning(raw) is None


def test_overlapping_assignments_are_two_people_on_call() -> None:
    """Two members at once: both on call, side by side in the lane (half height each)."""
    rows = [
        assignment("2026-11-23T14:00:00Z", "2026-11-30T14:00:00Z", "PALICE1"),
        assignment("2026-11-25T00:00:00Z", "2026-11-27T00:00:00Z", "PBRUNO2"),
        assignment("2026-11-30T14:00:00Z", "2027-01-25T14:00:00Z", "PCHIDI3"),
    ]
    snapshot = snap([[("schedule_v3_reference", "PPRIMRY")]], {"PPRIMRY": v3(rows)})
    assert who(snapshot, "2026-11-26T00:00:00Z") == ["Alice Chen", "Bruno Keller"]
    assert who(snapshot, "2026-11-28T00:00:00Z") == ["Alice Chen"]
    table = OncallView(snapshot, t("2026-11-26T00:00:00Z"), "UTC").table()
    assert table.count('data-oncall-row="1"') == 2
    bars = build_timeline(snapshot, NOW, ZoneInfo("UTC")).bars
    heights = {b.text: b.height for b in bars if b.kind == "shift"}
    assert heights == {"Alice Chen": 16.0, "Bruno Keller": 16.0, "Chidi Okafor": 16.0}
    assert len({b.y for b in bars if b.kind == "shift"}) == 2


@pytest.mark.parametrize(
    ("source", "swap"),
    [
        pytest.param("schedule_rotation", False, id="rotation"),
        pytest.param("schedule_rotation_override", True, id="rotation-override"),
        pytest.param("custom_shift_override", True, id="custom-shift-override"),
        pytest.param("custom_shift", True, id="custom-shift"),
    ],
)
def test_source_marks_swaps(source: str, swap: bool) -> None:
    """An override (or a custom shift) is flagged as a swap, as layer-based overrides are."""
    rows = [assignment("2026-11-23T14:00:00Z", "2026-11-30T14:00:00Z", "PALICE1", source)]
    (shift,) = v3_shifts(1, v3(rows), NOW)
    assert shift.override is swap


def test_back_to_back_assignments_of_one_person_are_one_shift() -> None:
    """Daily assignments of the same person are one shift, so next handoffs are real handoffs."""
    rows = [
        assignment("2026-11-23T14:00:00Z", "2026-11-24T14:00:00Z", "PALICE1"),
        assignment("2026-11-24T14:00:00Z", "2026-11-25T14:00:00Z", "PALICE1"),
        assignment("2026-11-25T14:00:00Z", "2026-11-26T14:00:00Z", "PALICE1"),
        assignment("2026-11-26T14:00:00Z", "2026-11-27T14:00:00Z", "PBRUNO2"),
    ]
    shifts = v3_shifts(1, v3(rows), NOW)
    assert [(s.user.name, s.start, s.end) for s in shifts] == [
        ("Alice Chen", t("2026-11-23T14:00:00Z"), t("2026-11-26T14:00:00Z")),
        ("Bruno Keller", t("2026-11-26T14:00:00Z"), t("2026-11-27T14:00:00Z")),
    ]


def test_v3_handoff_across_dst_keeps_local_time() -> None:
    """A handoff at 09:00 New York on both sides of the March change: 14:00Z, then 13:00Z."""
    when = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
    rows = [
        assignment("2027-03-08T09:00:00-05:00", "2027-03-15T09:00:00-04:00", "PALICE1"),
        assignment("2027-03-15T09:00:00-04:00", "2027-03-22T09:00:00-04:00", "PBRUNO2"),
    ]
    snapshot = build_snapshot(
        policy([("schedule_v3_reference", "PPRIMRY")]), [], {"PPRIMRY": v3(rows)}, generated_at=when
    )
    assert [(s.start, s.end) for s in snapshot.shifts] == [
        (t("2027-03-08T14:00:00Z"), t("2027-03-15T13:00:00Z")),
        (t("2027-03-15T13:00:00Z"), t("2027-03-22T13:00:00Z")),
    ]
    assert who(snapshot, "2027-03-15T13:30:00Z") == ["Bruno Keller"]
    handoffs = OncallView(snapshot, when, "America/New_York").handoffs()
    assert "Mon 15 Mar 2027, 09:00 EDT" in handoffs


def test_unknown_user_id_is_shown_by_id() -> None:
    """A user the fetch could not name keeps the id rather than disappearing from the schedule."""
    raw = v3([assignment("2026-11-23T14:00:00Z", "2026-11-30T14:00:00Z", "PALICE1")])
    raw["users"] = []
    (shift,) = v3_shifts(1, raw, NOW)
    assert (shift.user.id, shift.user.name) == ("PALICE1", "PALICE1")


@pytest.mark.parametrize("kind", ["schedule_reference", "schedule_v3_reference"])
def test_oncalls_entry_may_name_either_schedule_kind(kind: str) -> None:
    """`Oncall.schedule` is a ScheduleReference or a V3ScheduleReference: both name the schedule."""
    entry = {
        "escalation_policy": {"id": "PBCPOL1", "type": "escalation_policy_reference"},
        "escalation_level": 1,
        "schedule": {"id": "PPRIMRY", "type": kind, "summary": "BitCell Primary"},
        "user": {"id": "PALICE1", "type": "user_reference", "summary": "Alice Chen"},
        "start": "2026-11-23T14:00:00Z",
        "end": "2026-11-30T14:00:00Z",
    }
    pol = policy([(kind, "PPRIMRY")])
    (level,) = build_snapshot(pol, [entry], {}, generated_at=NOW).levels
    (oncall,) = level.oncall
    assert (oncall.user.name, oncall.schedule) == ("Alice Chen", Ref("PPRIMRY", "BitCell Primary"))


@pytest.mark.parametrize("cached", [False, True], ids=["fetched", "from-cache"])
def test_coverage_warning_reaches_the_build_log_path(cached: bool) -> None:
    """The build logs the coverage warning for a fetched snapshot and for the same one from the cache."""
    fresh = snap([[("schedule_v3_reference", "PPRIMRY")]], {"PPRIMRY": v3(GAP, coverage=96.4)})
    stored = from_json(to_json(fresh))
    store: Any = NoStore()
    if cached:
        store.read = lambda: Cached(stored, stored.generated_at)
    result = present(
        resolve(
            lambda: fresh,
            store,
            lambda: Cached(fresh, fresh.generated_at),
            ttl=timedelta(minutes=15),
            now=NOW,
        ),
        NOW,
    )
    assert result.value.source == ("cache" if cached else "pagerduty")
    (warning,) = result.warnings
    assert "BitCell Primary (PPRIMRY)" in warning
