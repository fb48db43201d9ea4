"""Models of incident-priorities.yaml (PagerDuty priority -> guide severity) and upcoming-events.yaml.

Both feed the Monday handoff draft. The mapping is data, not code, because every PagerDuty
account names its priorities its own way (P1-P5, SEV-1, "Critical").
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from oncall_docs.model.types import Link, SeverityId, Slug, Strict, Text

PriorityName = Annotated[str, Field(min_length=1)]


def parse_when(value: object) -> object:
    """`2026-12-01` is a whole day; a time must carry its offset, or it would mean different instants."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if len(text) == 10:
        return date.fromisoformat(text)
    when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if when.tzinfo is None:
        raise ValueError(f"time {text!r} has no offset (write e.g. {text}-05:00, or a date alone)")
    return when


When = Annotated[datetime | date, BeforeValidator(parse_when)]


class IncidentPriorities(Strict):
    """incident-priorities.yaml: how PagerDuty incidents are counted under P0-P3."""

    priorities: dict[PriorityName, SeverityId] = Field(
        description="PagerDuty priority name (as shown in PagerDuty, matched without regard to case) -> severity id"
    )
    urgencies: dict[Literal["high", "low"], SeverityId] = Field(
        default_factory=dict,
        description="Severity of an incident that has no priority, by its urgency",
    )
    notable: list[SeverityId] = Field(
        default_factory=lambda: ["P0", "P1"],
        description="Severities listed one by one under Notable incidents",
    )


class UpcomingEvent(Strict):
    """A maintenance window, deployment or expected traffic event the incoming on-call should know."""

    id: Slug
    kind: Literal["maintenance", "deployment", "traffic"]
    title: Text
    start: When = Field(
        description="A date (all day) or a time with an offset, e.g. 2026-12-01T02:00:00-05:00"
    )
    end: When | None = None
    link: Link | None = None


class UpcomingEvents(Strict):
    """upcoming-events.yaml: planned events, shown in the handoff draft while they are ahead."""

    events: list[UpcomingEvent] = Field(default_factory=list)
