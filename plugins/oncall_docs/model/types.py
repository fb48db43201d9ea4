"""Typed models of every data file. Unknown keys are errors, so a typo never vanishes silently.

The model modules do without `from __future__ import annotations`: pydantic would evaluate every
string annotation again when it creates the class, which every build pays at import.
"""

import re
from datetime import date
from datetime import time as LocalTime
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

ALLOWED_SCHEMES = ("http", "https", "mailto")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]")


def check_link(value: str) -> str:
    r"""Allow http, https, mailto and relative links only.

    Browsers ignore tabs and newlines inside a scheme (`java\tscript:`), so they are removed
    before the scheme is read.
    """
    scheme = urlsplit(_INVISIBLE.sub("", value)).scheme.lower()
    if scheme and scheme not in ALLOWED_SCHEMES:
        raise ValueError(
            f"link scheme {scheme!r} is not allowed (use http, https, mailto or a relative link)"
        )
    return value


def check_time_zone(value: str) -> str:
    """An IANA zone name that this machine's zone database knows."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {value!r} (use an IANA name such as America/New_York)"
        ) from None
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
Link = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(check_link)
]
TimeZoneName = Annotated[str, AfterValidator(check_time_zone)]
SeverityId = Annotated[str, StringConstraints(pattern=r"^P[0-9]$")]
AlertName = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z_][A-Za-z0-9_:]*$")
]
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class Strict(BaseModel):
    """Base of every model: unknown keys are errors; values are not coerced across types."""

    model_config = ConfigDict(extra="forbid", strict=False, frozen=True)


class Labeled(Strict):
    """A link with a label, used by dashboards, schedule tools and useful links."""

    id: Slug | None = None
    label: Text
    url: Link
    note: str | None = None


# ---------------------------------------------------------------- rotation.yaml


class Command(Strict):
    """A shell command with what it is for."""

    id: Slug
    description: Text
    command: Text


class Handoff(Strict):
    """When one shift hands over to the next, as wall-clock time in the team's zone."""

    weekday: Weekday
    time: LocalTime


class RotationLevel(Strict):
    """One escalation level of the rotation (primary, secondary, leadership)."""

    id: Slug
    level: Annotated[int, Field(ge=1, le=9)]
    name: Text
    duration: Text
    responsibilities: list[Text]
    response_expectation: Text
    coverage: Text
    members: list[Text] = []


class DailyCheck(Strict):
    """A check run every day of the shift at a local time; its items are a checklist."""

    id: Slug
    name: Text
    time: LocalTime
    checklist: Slug
    commands: list[Command] = []


class Rotation(Strict):
    """rotation.yaml: the shape of the rotation and its handoff."""

    team: Text
    time_zone: TimeZoneName
    handoff: Handoff
    shift_length_days: Annotated[int, Field(ge=1, le=28)]
    levels: list[RotationLevel]
    daily_checks: list[DailyCheck] = []


# ---------------------------------------------------------------- schedule.yaml


class Schedule(Strict):
    """schedule.yaml: where the schedule lives and how to swap a shift."""

    tool: Labeled
    calendar: list[Labeled]
    swap_channel: Text
    swap_steps: list[Text]
    notice: Text | None = None


# ---------------------------------------------------------------- severity.yaml


class SeverityLevel(Strict):
    """One severity level: how fast to respond and what to do."""

    id: SeverityId
    name: Text
    response_time: Text
    response_minutes: Annotated[int, Field(ge=1)] | None = None
    examples: list[Text]
    actions: list[Text]


class Severities(Strict):
    """severity.yaml: the P0-P3 table."""

    levels: list[SeverityLevel]


# ---------------------------------------------------------------- escalation.yaml


class Criterion(Strict):
    """One reason to escalate; `severity` ties it to a level of the severity table."""

    id: Slug
    text: Text
    severity: SeverityId | None = None


class EscalationPath(Strict):
    """Whom to escalate to, and when."""

    id: Slug
    target: Text
    level: Slug
    when: list[Criterion]


class AutoEscalation(Strict):
    """PagerDuty escalates an unacknowledged page on its own after this long."""

    after_minutes: Annotated[int, Field(ge=1)]
    to: Slug
    note: Text


class Escalation(Strict):
    """escalation.yaml: escalation criteria and automatic escalation."""

    automatic: AutoEscalation
    paths: list[EscalationPath]


# ---------------------------------------------------------------- war-room.yaml


class Role(Strict):
    """A war-room role and its duty."""

    id: Slug
    name: Text
    duty: Text


class WarRoom(Strict):
    """war-room.yaml: when to open one, who does what, how often to sync."""

    applies_to: list[SeverityId]
    after_minutes: Annotated[int, Field(ge=1)]
    setup: list[Text]
    commander: Text
    roles: list[Role]
    update_cycle_minutes: Annotated[int, Field(ge=1)]
    practices: list[Text]


# ---------------------------------------------------------------- communication.yaml


class Step(Strict):
    """A named step of a procedure (Acknowledge, Assess, ...)."""

    id: Slug
    name: Text
    text: Text


class Protocol(Strict):
    """How to communicate during an incident of the listed severities."""

    applies_to: list[SeverityId]
    update_every_minutes: Annotated[int, Field(ge=1)]
    channel: Text
    steps: list[Text]


class StatusUpdate(Strict):
    """The format of a status update, and one example of it."""

    fields: list[Text]
    example: Text


class Tip(Strict):
    """A communication tip: a bad and a good way to say it."""

    id: Slug
    title: Text
    bad: Text
    good: Text


class Phase(Strict):
    """A phase of incident management with its time window."""

    id: Slug
    name: Text
    window: Text
    steps: list[Text]


class Communication(Strict):
    """communication.yaml: alert handling, incident phases, protocol, status updates, tips."""

    alert_steps: list[Step]
    incident_phases: list[Phase]
    protocol: Protocol
    status_update: StatusUpdate
    tips: list[Tip]


# ---------------------------------------------------------------- checklists.yaml


class Due(Strict):
    """When a checklist is due, relative to the shift (hours before its start) or daily."""

    anchor: Literal["shift_start", "shift_end", "daily", "after_incident"]
    offset_hours: float = 0
    time: LocalTime | None = None


class ChecklistItem(Strict):
    """One item; its `id` is what a browser tick is stored under, so never reuse one."""

    id: Slug
    text: Text
    link: Link | None = None
    command: Text | None = None


class Checklist(Strict):
    """A checklist of the guide, with stable ids for itself and each item."""

    id: Slug
    title: Text
    when: Text
    due: Due | None = None
    items: list[ChecklistItem]


class Checklists(Strict):
    """checklists.yaml: every checklist of the guide."""

    checklists: list[Checklist]


# ---------------------------------------------------------------- handoff.yaml


class AgendaItem(Strict):
    """A slot of the handoff meeting."""

    id: Slug
    topic: Text
    minutes: Annotated[int, Field(ge=1)]


class AfterHandoff(Strict):
    """Who does what after the meeting."""

    id: Slug
    who: Text
    action: Text


class HandoffProcedure(Strict):
    """handoff.yaml: the weekly handoff meeting."""

    meeting_minutes: Annotated[int, Field(ge=1)]
    channel: Text
    agenda: list[AgendaItem]
    after: list[AfterHandoff]


# ---------------------------------------------------------------- contacts.yaml


class Channel(Strict):
    """A Slack channel and what it is for."""

    name: Annotated[str, StringConstraints(pattern=r"^#[a-z0-9][a-z0-9_-]*$")]
    purpose: Text


class EscalationContact(Strict):
    """A role to escalate to and how to reach it (a handle or team address, never a phone)."""

    id: Slug
    role: Text
    contact: Text
    link: Link | None = None


class Contacts(Strict):
    """contacts.yaml: channels and escalation contacts."""

    channels: list[Channel]
    escalation: list[EscalationContact]


# ---------------------------------------------------------------- tools.yaml


class ToolGroup(Strict):
    """A monitoring tool and its dashboards."""

    id: Slug
    name: Text
    purpose: Text
    links: list[Labeled]


class Tools(Strict):
    """tools.yaml: dashboards and the commands cheat sheet."""

    monitoring: list[ToolGroup]
    commands: list[Command]


# ---------------------------------------------------------------- runbooks/*.yaml


class Diagnosis(Strict):
    """A diagnosis step: a command and what to look for."""

    description: Text
    command: Text | None = None


class CommonIncident(Strict):
    """A known incident with symptoms, diagnosis, mitigation and when to escalate."""

    id: Slug
    title: Text
    severity: SeverityId
    symptoms: list[Text]
    diagnosis: list[Diagnosis]
    mitigation: list[Text]
    escalate_when: list[Text]
    alerts: list[AlertName] = []


class RunbookSection(Strict):
    """A section of a runbook with steps and commands."""

    id: Slug
    title: Text
    body: Text | None = None
    steps: list[Text] = []
    commands: list[Command] = []
    alerts: list[AlertName] = []


def alert_anchor(name: str) -> str:
    """The stable anchor of an alert's procedure on its runbook page: NodeDown -> alert-nodedown."""
    return "alert-" + re.sub(r"[^a-z0-9_-]+", "-", name.lower())


class Runbook(Strict):
    """runbooks/<id>.yaml: one runbook page. The file name is the page's name.

    `alerts` are the alerts the whole page covers; a section or incident that is the
    procedure for one alert lists it itself, so its `runbook_url` can point at that procedure.
    `review_every` is in days (default: the plugin's `runbooks: review_every`).
    """

    id: Slug
    title: Text
    summary: Text
    owner: Text | None = None
    reviewed: date | None = None
    review_every: Annotated[int, Field(ge=1, le=3660)] | None = None
    alerts: list[AlertName] = []
    sections: list[RunbookSection] = []
    incidents_title: Text = "Common incidents"
    incidents_id: Slug = "common-incidents"
    incidents: list[CommonIncident] = []

    def parts(self) -> list[RunbookSection | CommonIncident]:
        """Sections, then incidents: the parts of the page an alert can point at."""
        return [*self.sections, *self.incidents]

    def covered_alerts(self) -> dict[str, str]:
        """Alert name -> the id of the part that covers it ("" for the whole page)."""
        covered: dict[str, str] = dict.fromkeys(self.alerts, "")
        for part in self.parts():
            for name in part.alerts:
                covered.setdefault(name, part.id)
        return covered

    @model_validator(mode="after")
    def _one_place_per_alert(self) -> "Runbook":
        """An alert listed twice would give the page two elements with one anchor."""
        seen: set[str] = set()
        for name in [*self.alerts, *(a for part in self.parts() for a in part.alerts)]:
            if alert_anchor(name) in seen:
                raise ValueError(f"alert {name!r} is listed twice in this runbook")
            seen.add(alert_anchor(name))
        return self


# ---------------------------------------------------------------- templates.yaml


class TemplateSection(Strict):
    """A section of a template: a heading and the lines to fill in, or a prompt."""

    id: Slug
    title: Text
    prompt: Text | None = None
    lines: list[Text] = []


class Template(Strict):
    """A fill-in template (handoff, incident report, status update)."""

    id: Slug
    title: Text
    purpose: Text
    heading: Text
    sections: list[TemplateSection]


class LogEntry(Strict):
    """One line of the example incident log."""

    at: Text
    event: Text


class Templates(Strict):
    """templates.yaml: fill-in templates and the example incident log."""

    templates: list[Template]
    incident_log: list[LogEntry]


# ---------------------------------------------------------------- practices.yaml, guidance.yaml, faq.yaml, links.yaml


class Practice(Strict):
    """A do or a don't."""

    id: Slug
    text: Text


class Practices(Strict):
    """practices.yaml: do's and don'ts."""

    dos: list[Practice]
    donts: list[Practice]


class GuidanceList(Strict):
    """A named list of guidance (self-care, compensation, training, ...)."""

    id: Slug
    title: Text
    ordered: bool = False
    items: list[Text]


class Guidance(Strict):
    """guidance.yaml: the guide's other lists, each with a stable id."""

    lists: list[GuidanceList]


class Question(Strict):
    """A question and its answer."""

    id: Slug
    question: Text
    answer: Text


class Faq(Strict):
    """faq.yaml."""

    questions: list[Question]


class Links(Strict):
    """links.yaml: the guide's useful links."""

    links: list[Labeled]


# ---------------------------------------------------------------- about.yaml


class About(Strict):
    """about.yaml: when the handbook's facts were last reviewed, who keeps them, where to ask.

    Shown at the foot of every page. `questions_channel` must be a channel of contacts.yaml.
    """

    last_updated: date
    maintained_by: Text
    questions_channel: Annotated[str, StringConstraints(pattern=r"^#[a-z0-9][a-z0-9_-]*$")]
