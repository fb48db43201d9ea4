"""Shift-based (v3) schedules -> the same Shifts as layer-based ones, plus what tells them apart.

An escalation target names its schedule's kind (`schedule_reference` is layer-based,
`schedule_v3_reference` shift-based); a bare `schedule` or a missing type leaves it unknown,
and the fetch then asks the v3 endpoint first. A v3 `final_schedule` lists
`computed_shift_assignments`: users come as ids only (names are attached beforehand as the
schedule's `users`, the spec's UserReference list), an `empty_member` is a window nobody
covers (dropped here, so it shows as a gap like a hole in a layer-based schedule), overlapping
assignments are several people on call at once, and `source` marks overrides and custom
shifts. Pure functions; parsing is lenient, as for layer-based schedules.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from oncall_docs.oncall.model import HORIZON, Ref, Shift
from oncall_docs.oncall.refs import schedule_ref
from oncall_docs.timeutil import parse_time

Raw = Mapping[str, Any]
Kind = Literal["layer", "v3", "unknown"]
USER_TYPES = frozenset({"user", "user_reference"})
KINDS: Mapping[str, Kind] = {"schedule_reference": "layer", "schedule_v3_reference": "v3"}
# Shifts that are not the rotation's own: shown as swaps (hatched) like layer-based overrides.
SWAP_SOURCES = frozenset({"schedule_rotation_override", "custom_shift_override", "custom_shift"})


def target_kind(target: Raw) -> Kind | None:
    """A schedule target's kind from its reference type; None for a user (always on call)."""
    kind = str(target.get("type") or "")
    if not target.get("id") or kind in USER_TYPES:
        return None
    return KINDS.get(kind, "unknown")


def schedule_kinds(policy: Raw) -> dict[str, Kind]:
    """Every schedule the policy targets, in rule order, with the kind its reference says."""
    kinds: dict[str, Kind] = {}
    for rule in policy.get("escalation_rules") or []:
        for target in rule.get("targets") or []:
            kind = target_kind(target)
            if kind is not None:
                kinds.setdefault(str(target["id"]), kind)
    return kinds


def is_v3(schedule: Raw) -> bool:
    """True for a GET /v3/schedules/{id} body (its final schedule lists shift assignments)."""
    final = schedule.get("final_schedule") or {}
    return schedule.get("type") == "schedule_v3" or "computed_shift_assignments" in final


def _assignments(schedule: Raw) -> list[Raw]:
    return list((schedule.get("final_schedule") or {}).get("computed_shift_assignments") or [])


def v3_user_ids(schedule: Raw) -> list[str]:
    """The ids of the users a v3 final schedule assigns, first appearance first."""
    ids = (
        ((a.get("member") or {}).get("user_id"), (a.get("member") or {}).get("type"))
        for a in _assignments(schedule)
    )
    return list(dict.fromkeys(str(uid) for uid, kind in ids if uid and kind == "user_member"))


def user_names(schedule: Raw) -> dict[str, str]:
    """Names from the schedule's `users` references (attached by the fetch: v3 sends ids only)."""
    return {
        str(u["id"]): str(u.get("name") or u.get("summary") or u["id"])
        for u in schedule.get("users") or []
        if isinstance(u, Mapping) and u.get("id")
    }


def v3_shifts(level: int, schedule: Raw, since: datetime) -> list[Shift]:
    """The assignments of one v3 schedule that overlap [since, since + 8 weeks), as Shifts.

    `empty_member` windows are left out (a gap); back-to-back assignments of the same person
    with the same source kind are one shift, so a daily event does not look like daily handoffs.
    """
    if not schedule.get("id"):
        return []
    sid = str(schedule["id"])
    sched = schedule_ref(schedule) or Ref(sid, sid)
    names = user_names(schedule)
    shifts: list[Shift] = []
    for item in _assignments(schedule):
        member = item.get("member") or {}
        uid = member.get("user_id")
        start, end = parse_time(item.get("start_time")), parse_time(item.get("end_time"))
        if member.get("type") != "user_member" or not uid or start is None or end is None:
            continue
        swap = (item.get("source") or {}).get("type") in SWAP_SOURCES
        shifts.append(
            Shift(level, sched, Ref(str(uid), names.get(str(uid), str(uid))), start, end, swap)
        )
    return [s for s in _merge(shifts) if s.end > since and s.start < since + HORIZON]


def _merge(shifts: list[Shift]) -> list[Shift]:
    merged: list[Shift] = []
    for shift in sorted(shifts, key=lambda s: (s.user.id, s.start)):
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.user.id == shift.user.id
            and last.override == shift.override
            and last.end == shift.start
        ):
            merged[-1] = Shift(
                last.level, last.schedule, last.user, last.start, shift.end, last.override
            )
        else:
            merged.append(shift)
    return sorted(merged, key=lambda s: (s.start, s.user.name))


def coverage_warning(schedule: Raw) -> str | None:
    """One line naming a v3 schedule whose final schedule leaves part of the window uncovered."""
    if not is_v3(schedule):
        return None
    percent = (schedule.get("final_schedule") or {}).get("rendered_coverage_percentage")
    if not isinstance(percent, int | float) or isinstance(percent, bool) or percent >= 100:
        return None
    name = schedule.get("name") or schedule.get("summary") or schedule.get("id")
    return (
        f"PagerDuty schedule {name!s} ({schedule.get('id')!s}) covers only {percent:g}% of the "
        f"next 8 weeks: nobody is scheduled in the gaps"
    )
