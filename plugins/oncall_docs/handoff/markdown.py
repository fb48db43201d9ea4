"""The handoff draft as the Markdown text posted in the #oncall-handoff thread.

Follows the guide's handoff template (data/templates.yaml, id `handoff`): its heading and
section titles, with the parts PagerDuty and data/ can answer filled in, and the parts only a
person can write (notes, action items) left as the template's prompts. Every value is escaped
for Markdown (oncall_docs.text), so a title cannot turn into a link, emphasis or a new line,
and an incident links only to an https:// page on the PagerDuty account's web host.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from oncall_docs.handoff.draft import (
    SEVERITIES,
    UNMAPPED,
    Counted,
    Draft,
    duration,
    format_duration,
)
from oncall_docs.model.incidents import UpcomingEvent
from oncall_docs.model.types import Template
from oncall_docs.oncall.model import Ref
from oncall_docs.pagerduty_api.client import DEFAULT_API_URL
from oncall_docs.pagerduty_api.web import web_link
from oncall_docs.text import markdown_escape as md

FILLED = ("incidents-summary", "ongoing-issues", "upcoming-events")
KINDS = {"maintenance": "Maintenance", "deployment": "Deployment", "traffic": "Traffic"}


def local(when: datetime, zone: ZoneInfo, *, year: bool = False) -> str:
    """`Mon 23 Nov 09:00 EST` in the team's zone (with the year where a range needs it)."""
    return when.astimezone(zone).strftime(f"%a %d %b{' %Y' if year else ''} %H:%M %Z")


def _link(title: str, url: str, api_url: str | None) -> str:
    linked = api_url is not None and web_link(url, api_url)
    return f"[{md(title)}]({url})" if linked else md(title)


SAMPLE = " (sample data)"


def _person(refs: tuple[Ref, ...]) -> str:
    return " and ".join(md(ref.name) for ref in refs) or "unknown"


def _people(label: str, who: dict[str, tuple[Ref, ...]]) -> str:
    primary, secondary = _person(who.get("primary", ())), _person(who.get("secondary", ()))
    return f"{label}: primary {primary}, secondary {secondary}"


def _data_link(title: str, url: str) -> str:
    """A link from data/ (already checked for its scheme): kept only when it is one clean token."""
    clean = url.startswith(("https://", "http://")) and not any(
        ch.isspace() or ch in "()<>[]`" or ord(ch) < 32 for ch in url
    )
    return f"[{md(title)}]({url})" if clean else md(title)


def _notable(c: Counted, now: datetime, api_url: str | None) -> str:
    i = c.incident
    state = "open" if i.is_open else "resolved"
    return f"[{md(c.severity)}] {_link(i.title, i.url, api_url)} ({md(i.service) or 'no service'}, {state}, {format_duration(duration(i, now))})"


def _ongoing(c: Counted, zone: ZoneInfo, api_url: str | None) -> str:
    i = c.incident
    return f"{_link(i.title, i.url, api_url)}: {md(i.status)}, {md(c.severity)}, {md(i.service) or 'no service'}, since {local(i.created_at, zone)}"


def _event_time(value: datetime | date, zone: ZoneInfo) -> str:
    return local(value, zone) if isinstance(value, datetime) else value.strftime("%a %d %b")


def _event(event: UpcomingEvent, zone: ZoneInfo) -> str:
    when = _event_time(event.start, zone)
    if event.end is not None:
        when += f" to {_event_time(event.end, zone)}"
    return f"{when}: {KINDS[event.kind]}: {_data_link(event.title, event.link or '')}"


def summary_lines(draft: Draft, api_url: str | None = DEFAULT_API_URL) -> list[str]:
    """Total, the P0-P3 counts (and unmapped, when any) and the notable incidents."""
    counts = " | ".join(f"{sev}: {draft.counts.get(sev, 0)}" for sev in SEVERITIES)
    if draft.counts.get(UNMAPPED):
        counts += f" | Unmapped: {draft.counts[UNMAPPED]}"
    lines = [f"- Total incidents: {draft.total}", f"- {counts}"]
    if draft.notable:
        lines.append("- Notable incidents:")
        lines.extend(
            f"  {n}. {_notable(c, draft.now, api_url)}"
            for n, c in enumerate(draft.notable, start=1)
        )
    else:
        lines.append("- Notable incidents: none")
    return lines


def _filled(section_id: str, draft: Draft, zone: ZoneInfo, api_url: str | None) -> list[str]:
    if section_id == "incidents-summary":
        return summary_lines(draft, api_url)
    if section_id == "ongoing-issues":
        return [f"- {_ongoing(c, zone, api_url)}" for c in draft.ongoing] or ["- None open"]
    return [f"- {_event(e, zone)}" for e in draft.upcoming] or ["- Nothing planned"]


def draft_markdown(
    draft: Draft, template: Template, *, api_url: str | None = DEFAULT_API_URL
) -> str:
    """The whole draft as Markdown, in the template's order; incidents link to `api_url`'s web host.

    `api_url=None`: the incidents come from no account (the offline sample week, whose URLs
    lead nowhere), so their titles are text.
    """
    zone = ZoneInfo(draft.zone)
    span = f"{local(draft.window.since, zone, year=True)} to {local(draft.window.until, zone, year=True)}"
    lines = [
        f"## {template.heading.replace('[Date Range]', span)}",
        "",
        _people(f"Outgoing{SAMPLE if draft.sample_people else ''}", draft.outgoing),
        _people(f"Incoming{SAMPLE if draft.sample_people else ''}", draft.incoming),
        "",
    ]
    for section in template.sections:
        lines.append(f"### {section.title}")
        if section.id in FILLED:
            lines.extend(_filled(section.id, draft, zone, api_url))
        else:
            lines.extend(
                f"  {line}" if re.match(r"^\d+\. ", line) else f"- {line}" for line in section.lines
            )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
