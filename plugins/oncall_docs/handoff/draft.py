"""The Monday handoff draft: a shift's PagerDuty incidents counted by the guide's severities.

Pure: incidents arrive as the dicts PagerDuty sends, `now` and the window are passed in.
The draft is one object with two faces, the JSON of `oncall-docs handoff --format json` and
the Markdown posted in #oncall-handoff (handoff_markdown.py); both come from `build_draft`,
so the page, the CLI and a Slack bot always say the same thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from oncall_docs.handoff.window import HandoffWindow
from oncall_docs.model import Handbook
from oncall_docs.model.incidents import IncidentPriorities, UpcomingEvent
from oncall_docs.oncall.model import Ref, Snapshot, oncall_at
from oncall_docs.timeutil import iso, parse_time, when_in

SEVERITIES = ("P0", "P1", "P2", "P3")
UNMAPPED = "unmapped"
OPEN_STATUSES = ("triggered", "acknowledged")
MASK = "(redacted)"
Redaction = tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class Incident:
    """What the draft keeps of a PagerDuty incident (no assignees, no log entries, no bodies)."""

    id: str
    number: int | None
    title: str
    status: str
    url: str
    service: str
    priority: str | None
    urgency: str | None
    created_at: datetime
    resolved_at: datetime | None

    @property
    def is_open(self) -> bool:
        """Triggered or acknowledged when the data was captured."""
        return self.status in OPEN_STATUSES

    def overlaps(self, window: HandoffWindow) -> bool:
        """Active at some point of the window: started before it ends, not resolved before it starts."""
        ended = self.resolved_at if not self.is_open else None
        return self.created_at < window.until and (ended is None or ended > window.since)


@dataclass(frozen=True)
class Counted:
    """An incident with the severity it was counted under (a severity id or 'unmapped')."""

    incident: Incident
    severity: str


@dataclass(frozen=True)
class Draft:
    """Everything the handoff draft says, before it is turned into Markdown or JSON."""

    window: HandoffWindow
    now: datetime
    zone: str
    counts: dict[str, int]
    notable: tuple[Counted, ...]
    ongoing: tuple[Counted, ...]
    upcoming: tuple[UpcomingEvent, ...]
    outgoing: dict[str, tuple[Ref, ...]]  # "primary"/"secondary" -> everyone on that level
    incoming: dict[str, tuple[Ref, ...]]
    unmapped_priorities: tuple[str, ...]
    sample_people: bool = False  # outgoing/incoming come from the shipped sample snapshot

    @property
    def total(self) -> int:
        """Every incident of the window, the unmapped ones included."""
        return sum(self.counts.values())


def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


def parse_incident(raw: dict[str, Any]) -> Incident:
    """One incident from GET /incidents; lenient, as the spec asks (`priority` may be null or a reference)."""
    priority = raw.get("priority") or {}
    service = raw.get("service") or {}
    resolved = raw.get("resolved_at")
    return Incident(
        id=_text(raw["id"]),
        number=raw.get("incident_number"),
        title=_text(raw.get("title") or raw.get("summary")),
        status=_text(raw.get("status")),
        url=_text(raw.get("html_url")),
        service=_text(service.get("summary") or service.get("name")),
        priority=_text(priority.get("summary") or priority.get("name")) or None,
        urgency=_text(raw.get("urgency")) or None,
        created_at=_required_time(raw.get("created_at")),
        resolved_at=parse_time(resolved) if resolved else None,
    )


def _required_time(text: Any) -> datetime:
    when = parse_time(text) if isinstance(text, str) else None
    if when is None:
        raise ValueError(f"incident without created_at: {text!r}")
    return when


def severity_of(incident: Incident, mapping: IncidentPriorities) -> str:
    """Priority name (any case) -> severity; no priority -> by urgency; else 'unmapped'."""
    if incident.priority is not None:
        folded = {name.casefold(): sev for name, sev in mapping.priorities.items()}
        return folded.get(incident.priority.casefold(), UNMAPPED)
    urgencies = {str(name): sev for name, sev in mapping.urgencies.items()}
    return urgencies.get(incident.urgency or "", UNMAPPED)


def redactor(patterns: list[str]) -> Redaction:
    """Compile the configured `redact` list; a bad expression raises re.error naming itself.

    Compiled one by one, so each may carry its own inline flags such as `(?i)`.
    """
    return tuple(re.compile(p) for p in patterns)


def redact(text: str, patterns: Redaction | None) -> str:
    """Mask every match (customer names in titles, for example)."""
    for pattern in patterns or ():
        text = pattern.sub(MASK, text)
    return text


def _when(value: datetime | date, zone: ZoneInfo) -> datetime:
    return when_in(value, zone)


def _in_zone(event: UpcomingEvent, zone: ZoneInfo) -> UpcomingEvent:
    """The event with a time written without an offset read in the rotation's zone (dates stay dates)."""
    update = {
        name: value.replace(tzinfo=zone)
        for name, value in (("start", event.start), ("end", event.end))
        if isinstance(value, datetime) and value.tzinfo is None
    }
    return event.model_copy(update=update) if update else event


def _event_end(event: UpcomingEvent, zone: ZoneInfo) -> datetime:
    if event.end is not None:
        end = _when(event.end, zone)
        return end + timedelta(days=1) if not isinstance(event.end, datetime) else end
    start = _when(event.start, zone)
    return start + timedelta(days=1) if not isinstance(event.start, datetime) else start


def upcoming_events(
    events: list[UpcomingEvent], now: datetime, until: datetime, zone: str
) -> tuple[UpcomingEvent, ...]:
    """Events not over at `now` that start before `until` (the end of the incoming shift), soonest first."""
    tz = ZoneInfo(zone)
    events = [_in_zone(e, tz) for e in events]
    ahead = [e for e in events if _event_end(e, tz) > now and _when(e.start, tz) < until]
    return tuple(sorted(ahead, key=lambda e: (_when(e.start, tz), e.id)))


def people(snapshot: Snapshot | None, when: datetime) -> dict[str, tuple[Ref, ...]]:
    """Primary (level 1) and secondary (level 2) on call at `when`, from the snapshot's shifts.

    Everyone on a level: two people share it during an overlap or a partial override.
    """
    found: dict[str, tuple[Ref, ...]] = {"primary": (), "secondary": ()}
    if snapshot is None:
        return found
    for level in oncall_at(snapshot, when):
        key = {1: "primary", 2: "secondary"}.get(level.level)
        if key:
            found[key] += tuple(o.user for o in level.oncall if o.user not in found[key])
    return found


def build_draft(
    incidents: list[Incident],
    *,
    window: HandoffWindow,
    now: datetime,
    mapping: IncidentPriorities,
    events: list[UpcomingEvent],
    snapshot: Snapshot | None,
    zone: str,
    shift: timedelta,
    redact_pattern: Redaction | None = None,
) -> Draft:
    """Count the window's incidents, pick the notable and the open ones, add events and people."""
    unique = {i.id: i for i in incidents}.values()
    shown = [_masked(i, redact_pattern) for i in unique if i.overlaps(window) or i.is_open]
    counted = sorted(
        (Counted(i, severity_of(i, mapping)) for i in shown),
        key=lambda c: (c.incident.created_at, c.incident.id),
    )
    in_window = [c for c in counted if c.incident.overlaps(window)]
    counts = {sev: 0 for sev in (*SEVERITIES, UNMAPPED)}
    for c in in_window:
        counts[c.severity] = counts.get(c.severity, 0) + 1
    unknown = sorted(
        {
            c.incident.priority or f"(no priority, urgency {c.incident.urgency or 'unknown'})"
            for c in in_window
            if c.severity == UNMAPPED
        }
    )
    return Draft(
        window=window,
        now=now,
        zone=zone,
        counts=counts,
        notable=tuple(c for c in in_window if c.severity in mapping.notable),
        ongoing=tuple(c for c in counted if c.incident.is_open),
        upcoming=upcoming_events(events, now, window.until + shift, zone),
        outgoing=people(snapshot, window.until - timedelta(seconds=1)),
        incoming=people(snapshot, window.until),
        unmapped_priorities=tuple(unknown),
        sample_people=snapshot is not None and snapshot.sample,
    )


def make_draft(
    book: Handbook,
    incidents: list[Incident],
    *,
    window: HandoffWindow,
    now: datetime,
    snapshot: Snapshot | None,
    redact_pattern: Redaction | None,
) -> Draft:
    """The draft with this handbook's priority mapping, events, zone and shift length."""
    return build_draft(
        incidents,
        window=window,
        now=now,
        mapping=book.incident_priorities,
        events=book.upcoming_events.events,
        snapshot=snapshot,
        zone=book.rotation.time_zone,
        shift=timedelta(days=book.rotation.shift_length_days),
        redact_pattern=redact_pattern,
    )


def _masked(incident: Incident, pattern: Redaction | None) -> Incident:
    if not pattern:
        return incident
    return replace(
        incident, title=redact(incident.title, pattern), service=redact(incident.service, pattern)
    )


def duration(incident: Incident, now: datetime) -> timedelta:
    """Resolved: created to resolved. Open: created to `now`."""
    end = incident.resolved_at if incident.resolved_at is not None and not incident.is_open else now
    return max(timedelta(0), end - incident.created_at)


def format_duration(span: timedelta) -> str:
    """`45 min`, `2 h 5 min`, `1 d 3 h`: short, for a Slack line."""
    minutes = int(span.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    return f"{hours} h {mins} min" if hours else f"{mins} min"


def _ref(ref: Ref | None) -> dict[str, str] | None:
    return None if ref is None else {"id": ref.id, "name": ref.name}


def _incident_dict(c: Counted, now: datetime) -> dict[str, Any]:
    i = c.incident
    return {
        "id": i.id,
        "number": i.number,
        "title": i.title,
        "status": i.status,
        "url": i.url,
        "service": i.service,
        "severity": c.severity,
        "priority": i.priority,
        "urgency": i.urgency,
        "created_at": iso(i.created_at),
        "resolved_at": iso(i.resolved_at) if not i.is_open else None,
        "duration_minutes": int(duration(i, now).total_seconds() // 60),
    }


def _event_dict(event: UpcomingEvent) -> dict[str, Any]:
    def when(value: datetime | date | None) -> str | None:
        if value is None:
            return None
        return iso(value) if isinstance(value, datetime) else value.isoformat()

    return {
        "id": event.id,
        "kind": event.kind,
        "title": event.title,
        "start": when(event.start),
        "end": when(event.end),
        "link": event.link,
    }


def to_dict(draft: Draft) -> dict[str, Any]:
    """The JSON of `oncall-docs handoff --format json` (times ISO 8601 in UTC)."""
    return {
        "window": {"since": iso(draft.window.since), "until": iso(draft.window.until)},
        "generated_at": iso(draft.now),
        "counts": dict(draft.counts),
        "notable": [_incident_dict(c, draft.now) for c in draft.notable],
        "ongoing": [_incident_dict(c, draft.now) for c in draft.ongoing],
        "upcoming": [_event_dict(e) for e in draft.upcoming],
        # the first person per level, as before; `*_all` lists everyone on the level
        "outgoing": {k: _ref(v[0] if v else None) for k, v in draft.outgoing.items()},
        "incoming": {k: _ref(v[0] if v else None) for k, v in draft.incoming.items()},
        "outgoing_all": {k: [_ref(r) for r in v] for k, v in draft.outgoing.items()},
        "incoming_all": {k: [_ref(r) for r in v] for k, v in draft.incoming.items()},
        **({"sample_people": True} if draft.sample_people else {}),
        "unmapped_priorities": list(draft.unmapped_priorities),
    }


def utc(when: datetime) -> datetime:
    """Any aware time in UTC."""
    return when.astimezone(timezone.utc)
