"""Models of incident-priorities.yaml (PagerDuty priority -> guide severity) and upcoming-events.yaml.

Both feed the Monday handoff draft. The mapping is data, not code, because every PagerDuty
account names its priorities its own way (P1-P5, SEV-1, "Critical").
"""

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from oncall_docs.model.types import Link, SeverityId, Slug, Strict, Text
from oncall_docs.timeutil import read_when

PriorityName = Annotated[str, Field(min_length=1)]


def _when(value: object) -> object:
    """The one date syntax of `timeutil.read_when`; a naive time is read in the rotation's zone later."""
    return read_when(value) if isinstance(value, str) else value


When = Annotated[datetime | date, BeforeValidator(_when)]


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
        description="A date (all day), or a time with an offset or in the rotation's time zone, e.g. 2026-12-01T02:00:00-05:00"
    )
    end: When | None = None
    link: Link | None = None


class UpcomingEvents(Strict):
    """upcoming-events.yaml: planned events, shown in the handoff draft while they are ahead."""

    events: list[UpcomingEvent] = Field(default_factory=list)
