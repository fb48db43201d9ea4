"""Raw PagerDuty objects -> Snapshot.

The escalation policy is the one source of truth: rule N is level N, and the schedules
behind each level are the rule's schedule targets. Handoffs come from each schedule's
`final_schedule` (layers plus overrides, as PagerDuty computed them); nothing is re-derived.
Only ids and display names are kept, so contact methods, e-mail and phone numbers that
`include[]=users` brings along never reach the snapshot. Parsing is lenient (`.get()`),
because the real API sends nulls and expansions that its own spec does not declare.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from oncall_docs.oncall.build_v3 import coverage_warning, is_v3, target_kind, v3_shifts
from oncall_docs.oncall.model import HORIZON, Level, OnCall, Ref, Shift, Snapshot
from oncall_docs.oncall.refs import ref, schedule_ref
from oncall_docs.timeutil import parse_time

DEFAULT_LABELS = {1: "Primary", 2: "Secondary", 3: "Leadership"}
Raw = Mapping[str, Any]


def schedule_ids(policy: Raw) -> dict[int, list[str]]:
    """Level -> ids of the schedules its rule targets, of either kind (users are always on call)."""
    levels: dict[int, list[str]] = {}
    for number, rule in enumerate(policy.get("escalation_rules") or [], start=1):
        ids = [str(t["id"]) for t in rule.get("targets") or [] if target_kind(t) is not None]
        levels[number] = ids
    return levels


def _oncall(entry: Raw) -> OnCall | None:
    user = ref(entry.get("user"))
    if user is None:
        return None
    return OnCall(
        user,
        schedule_ref(entry.get("schedule")),
        parse_time(entry.get("start")),
        parse_time(entry.get("end")),
    )


def build_levels(
    policy: Raw, oncalls: Iterable[Raw], labels: Mapping[int, str]
) -> tuple[Level, ...]:
    """One Level per escalation rule, with every person PagerDuty lists for it."""
    policy_id = policy.get("id")
    by_level: dict[int, list[OnCall]] = {n: [] for n in schedule_ids(policy)}
    for entry in oncalls:
        if policy_id and (entry.get("escalation_policy") or {}).get("id") not in (None, policy_id):
            continue
        item = _oncall(entry)
        number = entry.get("escalation_level")
        if item is not None and isinstance(number, int):
            bucket = by_level.setdefault(number, [])
            if item not in bucket:
                bucket.append(item)
    return tuple(
        Level(
            n,
            labels.get(n) or DEFAULT_LABELS.get(n, f"Level {n}"),
            tuple(sorted(items, key=_order)),
        )
        for n, items in sorted(by_level.items())
    )


def _order(item: OnCall) -> tuple[str, str]:
    return (item.user.name.lower(), item.user.id)


def _entries(schedule: Raw, key: str) -> list[Raw]:
    return list((schedule.get(key) or {}).get("rendered_schedule_entries") or [])


def _is_override(entry: Raw, start: datetime, end: datetime, overrides: list[Raw]) -> bool:
    """A final entry is a swap when an override of the same user overlaps it."""
    user = (entry.get("user") or {}).get("id")
    for ov in overrides:
        o_start, o_end = parse_time(ov.get("start")), parse_time(ov.get("end"))
        if (
            (ov.get("user") or {}).get("id") == user
            and o_start
            and o_end
            and o_start < end
            and start < o_end
        ):
            return True
    return False


def schedule_shifts(level: int, schedule: Raw, since: datetime) -> list[Shift]:
    """The final rendered entries of one schedule that overlap [since, since + 8 weeks)."""
    sched = schedule_ref(schedule)
    overrides = _entries(schedule, "overrides_subschedule")
    shifts = []
    for entry in _entries(schedule, "final_schedule"):
        user, start, end = (
            ref(entry.get("user")),
            parse_time(entry.get("start")),
            parse_time(entry.get("end")),
        )
        if sched is None or user is None or start is None or end is None:
            continue
        if end > since and start < since + HORIZON:
            shifts.append(
                Shift(level, sched, user, start, end, _is_override(entry, start, end, overrides))
            )
    return shifts


def build_snapshot(
    policy: Raw,
    oncalls: Iterable[Raw],
    schedules: Mapping[str, Raw],
    *,
    generated_at: datetime,
    labels: Mapping[int, str] | None = None,
) -> Snapshot:
    """Assemble the snapshot the site shows from what PagerDuty answered."""
    policy_ref = ref(policy) or Ref("unknown", "unknown escalation policy")
    shifts: list[Shift] = []
    warnings: dict[str, None] = {}
    for level, ids in schedule_ids(policy).items():
        for sid in ids:
            if sid in schedules:
                raw = schedules[sid]
                parse = v3_shifts if is_v3(raw) else schedule_shifts
                shifts.extend(parse(level, raw, generated_at))
                if (warning := coverage_warning(raw)) is not None:
                    warnings[warning] = None
    shifts.sort(key=lambda s: (s.start, s.level, s.user.name))
    return Snapshot(
        generated_at=generated_at,
        source="pagerduty",
        stale=False,
        escalation_policy=policy_ref,
        levels=build_levels(policy, oncalls, labels or {}),
        shifts=tuple(shifts),
        warnings=tuple(warnings),
    )
