"""The handoff page's "This week's handoff draft": the draft from the handbook and the incidents.

Shared by the plugin (the page) and the CLI (`oncall-docs handoff`), so both print the same
text. Autoescaped Jinja: titles from PagerDuty reach the page as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from markupsafe import Markup

from oncall_docs.handoff.draft import Draft, Redaction, Window, build_draft
from oncall_docs.handoff.markdown import draft_markdown
from oncall_docs.model import Handbook
from oncall_docs.model.incidents import IncidentPriorities
from oncall_docs.oncall.model import Snapshot
from oncall_docs.render.fragments import make_environment
from oncall_docs.rotation import shift_at

_ENV = make_environment()


def current_window(book: Handbook, now: datetime) -> Window:
    """The shift that ends at the next handoff (the rotation's [start, end))."""
    shift = shift_at(book.rotation, now)
    return Window(shift.start, shift.end)


def make_draft(
    book: Handbook,
    incidents: list,
    *,
    window: Window,
    now: datetime,  # type: ignore[type-arg]
    snapshot: Snapshot | None,
    redact_pattern: Redaction | None,
) -> Draft:
    """The draft with this handbook's mapping, events, zone and shift length."""
    mapping: IncidentPriorities = book.incident_priorities
    return build_draft(
        incidents,
        window=window,
        now=now,
        mapping=mapping,
        events=book.upcoming_events.events,
        snapshot=snapshot,
        zone=book.rotation.time_zone,
        shift=timedelta(days=book.rotation.shift_length_days),
        redact_pattern=redact_pattern,
    )


@dataclass(frozen=True)
class HandoffView:
    """What the page shows: a status line, and the draft's Markdown when there is one."""

    note: str
    source: str
    markdown: str | None = None
    links: tuple[tuple[str, str], ...] = ()  # (label, https URL) of notable and open incidents

    @classmethod
    def of(cls, book: Handbook, draft: Draft, note: str, source: str) -> HandoffView:
        """A view of a built draft."""
        counted = {c.incident.id: c for c in (*draft.notable, *draft.ongoing)}.values()
        links = tuple(
            (f"{c.severity} {c.incident.title}", c.incident.url)
            for c in counted
            if c.incident.url.startswith("https://") and source != "offline"
        )  # sample URLs lead nowhere
        return cls(note, source, draft_markdown(draft, book.template("handoff")), links)

    def html(self) -> Markup:
        """The section's HTML: status, the Markdown in a block, a copy button (hidden without JS)."""
        text = _ENV.get_template("handoff_draft.html").render(view=self)
        return Markup(text.strip() + "\n")
