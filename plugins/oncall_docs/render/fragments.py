"""HTML fragments for the data-driven parts of the pages.

Jinja with autoescape: every string from YAML (or PagerDuty) reaches the page as text,
never as markup. Fragments are single HTML blocks that Markdown passes through untouched,
so Prometheus templates such as `{{ $labels.instance }}` in the data render literally.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cached_property
from typing import Any

from markupsafe import Markup

from oncall_docs.model import Handbook
from oncall_docs.model.types import Checklist, Rotation, Runbook, Template
from oncall_docs.render.environment import ENVIRONMENT, render
from oncall_docs.render.links import check_link
from oncall_docs.rotation import REFERENCE_DATE
from oncall_docs.text import page_text

Href = Callable[[str], str]


def _safe_href(href: Href) -> Href:
    """Refuse disallowed schemes even if a model was built without validation."""

    def resolve(url: str) -> str:
        check_link(url)
        return href(url)

    return resolve


class Renderer:
    """Renders fragments from one Handbook; `href` turns data links into page-relative URLs."""

    def __init__(self, handbook: Handbook, href: Href = lambda url: url) -> None:
        self.book = handbook
        self.href = _safe_href(href)

    def _render(self, name: str, /, **context: Any) -> Markup:
        return render(name, href=self.href, **context)

    # -- tables ------------------------------------------------------------
    def severity_table(self) -> Markup:
        """P0-P3 with response times, examples and actions."""
        return self._render("severity_table.html", levels=self.book.severity.levels)

    def escalation_table(self) -> Markup:
        """When to escalate to whom, plus the automatic escalation."""
        esc = self.book.escalation
        target = self._level_name(esc.automatic.to).lower()
        return self._render(
            "escalation_table.html",
            paths=esc.paths,
            automatic=esc.automatic,
            automatic_target=target,
        )

    def contacts_table(self) -> Markup:
        """Escalation roles and how to reach them (handles and team addresses only)."""
        return self._render("contacts_table.html", escalation=self.book.contacts.escalation)

    def channels_table(self) -> Markup:
        """Slack channels and their purpose."""
        return self._render("channels_table.html", channels=self.book.contacts.channels)

    def commands_table(self) -> Markup:
        """The commands cheat sheet."""
        return self.commands(self.book.tools.commands)

    def commands(self, commands: list[Any]) -> Markup:
        """Any list of commands as a table."""
        return self._render("commands_table.html", commands=commands)

    def dashboards(self) -> Markup:
        """Monitoring tools with their dashboard links."""
        return self._render("dashboards.html", groups=self.book.tools.monitoring)

    def rotation_table(self) -> Markup:
        """Levels of the rotation and the handoff rule."""
        rot = self.book.rotation
        return self._render(
            "rotation_table.html",
            levels=rot.levels,
            shift_length_days=rot.shift_length_days,
            handoff_weekday=rot.handoff.weekday.capitalize(),
            handoff_time=rot.handoff.time.strftime("%H:%M"),
            time_zone=rot.time_zone,
        )

    def war_room_roles(self) -> Markup:
        """War-room roles and duties."""
        return self._render("roles.html", roles=self.book.war_room.roles)

    def communication_tips(self) -> Markup:
        """Bad and good ways to say it."""
        return self._render("tips.html", tips=self.book.communication.tips)

    # -- lists -------------------------------------------------------------
    def bullets(self, items: list[str], *, ordered: bool = False, list_id: str = "") -> Markup:
        """Any list of strings from the data."""
        return self._render("list.html", items=items, ordered=ordered, list_id=list_id)

    def guidance(self, list_id: str) -> Markup:
        """A named list from guidance.yaml."""
        item = self.book.guidance_list(list_id)
        return self.bullets(item.items, ordered=item.ordered, list_id=list_id)

    def links(self, items: list[Any]) -> Markup:
        """Labeled links."""
        return self._render("links_list.html", links=items)

    def alert_steps(self) -> Markup:
        """Acknowledge, assess, investigate, ... as a numbered list."""
        return self._render("steps.html", steps=self.book.communication.alert_steps)

    def incident_phases(self) -> Markup:
        """Triage through post-incident, with their time windows."""
        return self._render("phases.html", phases=self.book.communication.incident_phases)

    def practices(self) -> Markup:
        """Do's and don'ts."""
        p = self.book.practices
        return self._render("practices.html", dos=p.dos, donts=p.donts)

    def handoff_agenda(self) -> Markup:
        """The handoff meeting agenda with minutes."""
        agenda = self.book.handoff.agenda
        return self._render("agenda.html", agenda=agenda, total=sum(a.minutes for a in agenda))

    def after_handoff(self) -> Markup:
        """Who does what after the handoff meeting."""
        return self._render("after_handoff.html", after=self.book.handoff.after)

    def faq(self) -> Markup:
        """Questions and answers."""
        return self._render("faq.html", questions=self.book.faq.questions)

    def checklist(self, checklist_id: str) -> Markup:
        """A checklist: `data-checklist` holding `input[data-item]` per item (the public contract).

        The rotation rides along as data attributes, so checklist.js can work out which shift
        (or, for daily checks, which day) the ticks belong to without a second source of truth.
        """
        checklist = self.book.checklist(checklist_id)
        return self._render(
            "checklist.html",
            checklist=checklist,
            period=checklist_period(checklist),
            rotation=checklist_rotation_attrs(self.book.rotation),
        )

    def incident_log(self) -> Markup:
        """The example incident log of the appendix."""
        return self._render("incident_log.html", entries=self.book.templates.incident_log)

    def footer(self) -> Markup:
        """The foot of every page: last updated, maintained by, where to ask (about.yaml)."""
        return self._render("footer.html", about=self.book.about)

    # -- templates ---------------------------------------------------------
    def template_text(self, template_id: str) -> str:
        """A fill-in template as the Markdown text people paste into Slack or a ticket."""
        return template_markdown(self.book.template(template_id))

    def template(self, template_id: str) -> Markup:
        """A fill-in template shown as a copyable block."""
        tpl = self.book.template(template_id)
        return self._render("template_block.html", template=tpl, text=template_markdown(tpl))

    # -- runbooks ----------------------------------------------------------
    def runbook(self, runbook_id: str) -> str:
        """A whole runbook as Markdown: real headings (stable anchors, in the TOC) and HTML bodies.

        One template render per runbook (runbook.html loops over sections and incidents), not
        one per section and incident: a handbook of 1,000 runbooks has some 13,000 of them.
        """
        book: Runbook = self.book.runbook(runbook_id)
        return ENVIRONMENT.get_template("runbook.html").render(
            book=book, heading=markdown_heading, severity_label=self._severity_label
        )

    def runbook_links(self) -> Markup:
        """Every runbook page, with its common incidents, as links."""
        items = []
        for rid, book in sorted(self.book.runbooks.items()):
            items.append({"label": book.title, "url": f"runbooks/{rid}.md", "note": None})
            if book.incidents:
                items.append(
                    {
                        "label": f"{book.title}: {book.incidents_title}",
                        "url": f"runbooks/{rid}.md#{book.incidents_id}",
                        "note": None,
                    }
                )
        return self.links(items)

    # -- access ------------------------------------------------------------
    def access_systems(self) -> Markup:
        """The required systems and how to request access to each."""
        return self._render(
            "access_systems.html", systems=self.book.access.systems, level_names=self._level_names
        )

    def access_readiness(self, rows: list[Any], *, since: str, until: str, source: str) -> Markup:
        """The readiness matrix: scheduled people x systems (rows from access.readiness)."""
        return self._render(
            "access_matrix.html",
            rows=rows,
            systems=self.book.access.systems,
            level_names=self._level_names,
            since=since,
            until=until,
            source=source,
        )

    @cached_property
    def _level_names(self) -> dict[str, str]:
        return {level.id: level.name for level in self.book.rotation.levels}

    @cached_property
    def _severities(self) -> dict[str, str]:
        return {s.id: f"{s.id} - {s.name}" for s in self.book.severity.levels}

    def _severity_label(self, severity_id: str) -> str:
        return self._severities.get(severity_id, severity_id)

    def _level_name(self, level_id: str) -> str:
        for level in self.book.rotation.levels:
            if level.id == level_id:
                return level.name
        return level_id


def checklist_period(checklist: Checklist) -> dict[str, str]:
    """Which period a checklist's ticks belong to, as `data-*` attributes for checklist.js.

    Daily checks start fresh every local day; lists due before a shift starts (48 h, 24 h,
    access) belong to the next shift; every other list to the shift that contains "now".
    """
    due = checklist.due
    if due is not None and due.anchor == "daily":
        return {"period": "day", "shift-offset": "0"}
    ahead = due is not None and due.anchor == "shift_start" and due.offset_hours < 0
    return {"period": "shift", "shift-offset": "1" if ahead else "0"}


def checklist_rotation_attrs(rotation: Rotation) -> dict[str, str]:
    """The rotation as checklist.js reads it (`data-*` names); mirrors rotation.shift_at."""
    return {
        "zone": rotation.time_zone,
        "handoff-weekday": rotation.handoff.weekday,
        "handoff-time": rotation.handoff.time.strftime("%H:%M"),
        "shift-days": str(rotation.shift_length_days),
        "reference-date": REFERENCE_DATE.isoformat(),
    }


def markdown_heading(marks: str, text: str, anchor: str) -> Markup:
    """`## text {#anchor}` with `text` escaped for the page; `text` alone when `marks` is empty."""
    if not marks:
        return Markup(page_text(text))  # noqa: S704 - escaped for the page by page_text
    return Markup(f"{marks} {page_text(text)} {{#{anchor}}}")  # noqa: S704 - as above


_NUMBERED = re.compile(r"^\d+\. ")


def _template_line(line: str) -> str:
    """Numbered lines nest under the bullet above them; everything else is a bullet."""
    return f"  {line}" if _NUMBERED.match(line) else f"- {line}"


def template_markdown(template: Template) -> str:
    """Render a template's sections as Markdown text (what gets copied)."""
    lines = [f"## {template.heading}", ""]
    for section in template.sections:
        lines.append(f"### {section.title}")
        if section.prompt:
            lines.append(f"[{section.prompt}]")
        lines.extend(_template_line(line) for line in section.lines)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
