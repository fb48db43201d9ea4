"""Access-list validation: is everyone scheduled on call able to do the job? Pure; `now` passed in.

One code path serves the CI check (`check_access` -> Findings) and the site's readiness
matrix (`readiness`), so the page and the check can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

from oncall_docs.findings import codes
from oncall_docs.findings.codes import Code
from oncall_docs.findings.report import Finding
from oncall_docs.model.access import AccessList, Engineer, Grant, Roster, System
from oncall_docs.model.load import Positions
from oncall_docs.model.types import RotationLevel
from oncall_docs.oncall.model import Snapshot

Status = Literal["granted", "missing", "expired", "expiring", "not-required"]


@dataclass(frozen=True)
class Assignment:
    """Someone scheduled at a level; start/end None means always on call."""

    user_id: str
    user_name: str
    level: int
    start: datetime | None
    end: datetime | None


@dataclass(frozen=True)
class PagerDutyUser:
    """What the check needs to know of a PagerDuty user: never the contact details themselves."""

    id: str
    name: str
    email: str | None = None
    has_phone: bool = False
    has_high_urgency_rule: bool = False


@dataclass(frozen=True)
class Person:
    """A scheduled person, matched (or not) to a roster entry, with their shifts."""

    user_id: str
    name: str
    engineer: Engineer | None
    roster_index: int | None
    levels: tuple[str, ...]
    last_end: datetime | None
    assignments: tuple[Assignment, ...] = field(default=())


@dataclass(frozen=True)
class Cell:
    """One person x system of the readiness matrix."""

    status: Status
    expires: date | None = None


def assignments_from_snapshot(snapshot: Snapshot) -> list[Assignment]:
    """Who is scheduled, from a snapshot: every shift, plus always-on-call people of each level."""
    found = [Assignment(s.user.id, s.user.name, s.level, s.start, s.end) for s in snapshot.shifts]
    levels_with_shifts = {s.level for s in snapshot.shifts}
    for level in snapshot.levels:
        for oncall in level.oncall:
            always = oncall.start is None and oncall.end is None
            if always or level.level not in levels_with_shifts:
                found.append(
                    Assignment(
                        oncall.user.id, oncall.user.name, level.level, oncall.start, oncall.end
                    )
                )
    return found


def scheduled_within(
    assignments: Iterable[Assignment], now: datetime, weeks: int
) -> list[Assignment]:
    """Assignments that overlap [now, now + weeks)."""
    horizon = now + timedelta(weeks=weeks)
    return [
        a
        for a in assignments
        if (a.start is None or a.start < horizon) and (a.end is None or a.end > now)
    ]


def match_people(
    assignments: Sequence[Assignment],
    roster: Roster,
    levels: Sequence[RotationLevel],
    pd_users: Mapping[str, PagerDutyUser] | None = None,
) -> list[Person]:
    """Group assignments by user and find each user's roster entry: by PagerDuty id, else by e-mail."""
    level_ids = {lv.level: lv.id for lv in levels}
    by_id = {e.pagerduty_id: i for i, e in enumerate(roster.engineers) if e.pagerduty_id}
    by_email = {e.email.lower(): i for i, e in enumerate(roster.engineers) if e.email}
    people: dict[str, list[Assignment]] = {}
    for a in assignments:
        people.setdefault(a.user_id, []).append(a)
    result = []
    for user_id, items in people.items():
        index = by_id.get(user_id)
        pd_user = (pd_users or {}).get(user_id)
        if index is None and pd_user and pd_user.email:
            index = by_email.get(pd_user.email.lower())
        ends = [a.end for a in items]
        result.append(
            Person(
                user_id=user_id,
                name=items[0].user_name,
                engineer=roster.engineers[index] if index is not None else None,
                roster_index=index,
                levels=tuple(sorted({level_ids.get(a.level, f"level-{a.level}") for a in items})),
                last_end=None if any(e is None for e in ends) else max(e for e in ends if e),
                assignments=tuple(items),
            )
        )
    return sorted(result, key=lambda p: p.name)


def _required(system: System, person: Person) -> bool:
    return any(level in system.required_for for level in person.levels)


def cell(system: System, person: Person, today: date) -> Cell:
    """The readiness of one person for one system, as of `today` and through their last shift."""
    if not _required(system, person):
        return Cell("not-required")
    grant = _grant(person.engineer, system.id) if person.engineer else None
    if grant is None:
        return Cell("missing")
    if grant.expires is None:
        return Cell("granted")
    if grant.expires < today:
        return Cell("expired", grant.expires)
    if person.last_end is None or grant.expires < person.last_end.date():
        return Cell("expiring", grant.expires)
    return Cell("granted", grant.expires)


def _grant(engineer: Engineer | None, system_id: str) -> Grant | None:
    if engineer is None:
        return None
    return next((g for g in engineer.grants if g.system == system_id), None)


def readiness(
    access: AccessList, people: Sequence[Person], today: date
) -> list[tuple[Person, list[Cell]]]:
    """The site's matrix: one row per scheduled person, one cell per system."""
    return [(p, [cell(s, p, today) for s in access.systems]) for p in people]


@dataclass(frozen=True)
class AccessContext:
    """Everything the check reads, gathered by the caller (offline data or PagerDuty)."""

    access: AccessList
    roster: Roster
    levels: Sequence[RotationLevel]
    assignments: Sequence[Assignment]
    now: datetime
    weeks: int = 4
    pd_users: Mapping[str, PagerDutyUser] | None = None
    roster_positions: Positions | None = None
    roster_file: str = "data/roster.yaml"


def check_access(ctx: AccessContext, *, warn_only: Iterable[str] = ()) -> list[Finding]:
    """Every problem, each with a stable code, the person and the system."""
    lowered = set(warn_only)
    findings = [*_unknown_systems(ctx)]
    people = match_people(
        scheduled_within(ctx.assignments, ctx.now, ctx.weeks), ctx.roster, ctx.levels, ctx.pd_users
    )
    for person in people:
        findings.extend(_person_findings(ctx, person))
    return [
        Finding(**{**f.__dict__, "severity": "warning"})
        if f.code in lowered and f.severity == "error"
        else f
        for f in findings
    ]


def _finding(
    ctx: AccessContext,
    code: Code,
    person: str,
    message: str,
    loc: tuple[str | int, ...] | None,
    system: str | None = None,
) -> Finding:
    line = ctx.roster_positions.at(loc)[0] if ctx.roster_positions and loc is not None else None
    return Finding.of(
        code,
        "user",
        person,
        message,
        file=ctx.roster_file if loc is not None else None,
        line=line,
        extra={"system": system} if system else {},
    )


def _unknown_systems(ctx: AccessContext) -> Iterable[Finding]:
    known = {s.id for s in ctx.access.systems}
    for e, engineer in enumerate(ctx.roster.engineers):
        for g, grant in enumerate(engineer.grants):
            if grant.system not in known:
                yield _finding(
                    ctx,
                    codes.UNKNOWN_SYSTEM,
                    engineer.name,
                    f"grant names system {grant.system!r}, which access.yaml does not list",
                    ("engineers", e, "grants", g, "system"),
                    grant.system,
                )


def _person_findings(ctx: AccessContext, person: Person) -> Iterable[Finding]:
    """Every check of one scheduled person; without a roster entry, every check that needs none."""
    if person.engineer is None or person.roster_index is None:
        yield _finding(
            ctx,
            codes.NOT_IN_ROSTER,
            person.name,
            f"scheduled on call ({', '.join(person.levels)}) but not in the roster "
            f"(PagerDuty user {person.user_id}); add them to roster.yaml",
            None,
        )
        yield from _pagerduty_findings(ctx, person, None)  # their pager is checked all the same
        return
    base: tuple[str | int, ...] = ("engineers", person.roster_index)
    today = ctx.now.date()
    for system in ctx.access.systems:
        state = cell(system, person, today)
        grant_loc = _grant_loc(person, system.id)
        if state.status == "missing":
            yield _finding(
                ctx,
                codes.MISSING_ACCESS,
                person.name,
                f"needs {system.name} as {'/'.join(person.levels)}; to get it: {system.request}",
                (*base, "grants"),
                system.id,
            )
        elif state.status == "expired":
            yield _finding(
                ctx,
                codes.EXPIRED_ACCESS,
                person.name,
                f"{system.name} access expired on {state.expires}",
                (*base, *grant_loc),
                system.id,
            )
        elif state.status == "expiring":
            until = (
                person.last_end.date().isoformat() if person.last_end else "an always-on-call role"
            )
            yield _finding(
                ctx,
                codes.EXPIRES_DURING_SHIFT,
                person.name,
                f"{system.name} access ends on {state.expires}, before the scheduled shift ends ({until})",
                (*base, *grant_loc),
                system.id,
            )
    yield from _pagerduty_findings(ctx, person, base)


def _grant_loc(person: Person, system_id: str) -> tuple[str | int, ...]:
    grants = person.engineer.grants if person.engineer else []
    for g, grant in enumerate(grants):
        if grant.system == system_id:
            return ("grants", g, "expires")
    return ("grants",)


def _pagerduty_findings(
    ctx: AccessContext, person: Person, base: tuple[str | int, ...] | None
) -> Iterable[Finding]:
    """Can PagerDuty reach them? `base` is their roster entry, None when they have none."""
    if ctx.pd_users is None:
        return
    user = ctx.pd_users.get(person.user_id)
    if user is None:
        yield _finding(
            ctx,
            codes.PAGERDUTY_USER_MISSING,
            person.name,
            f"PagerDuty user {person.user_id} could not be read",
            base,
        )
        return
    if not user.has_phone:
        yield _finding(
            ctx,
            codes.NO_PHONE,
            person.name,
            "has no phone or SMS contact method in PagerDuty (add one under My Profile > Contact Information)",
            base,
        )
    if not user.has_high_urgency_rule:
        yield _finding(
            ctx,
            codes.NO_HIGH_URGENCY_RULE,
            person.name,
            "has no notification rule for high-urgency incidents in PagerDuty",
            base,
        )
