"""The handoff page's "This week's handoff draft": the draft from the handbook and the incidents.

Shared by the site (the page) and the CLI (`oncall-docs handoff`), so both print the same
text. Rendered by the one autoescaping Jinja environment: titles from PagerDuty reach the
page as text.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from oncall_docs.handoff.draft import Draft
from oncall_docs.handoff.markdown import draft_markdown
from oncall_docs.model import Handbook
from oncall_docs.pagerduty_api.client import DEFAULT_API_URL
from oncall_docs.pagerduty_api.web import web_link
from oncall_docs.render.environment import render


@dataclass(frozen=True)
class HandoffView:
    """What the page shows: a status line, and the draft's Markdown when there is one."""

    note: str
    source: str
    markdown: str | None = None
    links: tuple[tuple[str, str], ...] = ()  # (label, https URL) of notable and open incidents

    @classmethod
    def of(
        cls, book: Handbook, draft: Draft, note: str, source: str, api_url: str = DEFAULT_API_URL
    ) -> HandoffView:
        """A view of a built draft; incidents link only to the PagerDuty web host of `api_url`."""
        account = api_url if source != "offline" else None  # sample URLs lead nowhere
        counted = {c.incident.id: c for c in (*draft.notable, *draft.ongoing)}.values()
        links = tuple(
            (f"{c.severity} {c.incident.title}", c.incident.url)
            for c in counted
            if account is not None and web_link(c.incident.url, account)
        )
        markdown = draft_markdown(draft, book.template("handoff"), api_url=account)
        return cls(note, source, markdown, links)

    def html(self) -> Markup:
        """The section's HTML: status, the Markdown in a block, a copy button (hidden without JS)."""
        return render("handoff_draft.html", view=self)
