"""The Alerts page and each runbook page's header, through the render package's templates.

`href` turns a data link (`runbooks/<id>.md#alert-x`) into a URL relative to the page
being built; rule URLs outside the site are linked as written (http and https only).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from markupsafe import Markup

from oncall_docs.model.types import Runbook, alert_anchor
from oncall_docs.render.environment import render
from oncall_docs.render.links import check_link
from oncall_docs.runbooks.coverage import SiteBase, locate, owner_of, runbook_page
from oncall_docs.runbooks.review import DEFAULT_REVIEW_DAYS, review_of
from oncall_docs.runbooks.rules import AlertRule

Href = Callable[[str], str]


@dataclass(frozen=True)
class AlertRow:
    """One alert of the Alerts page: its link is None when it has no runbook."""

    rule: AlertRule
    href: str | None
    anchor: str
    label: str = ""


@dataclass
class AlertGroup:
    """The alerts of one runbook (or of none, when `runbook` is None)."""

    runbook: Runbook | None
    href: str | None
    kind: str = "runbook"  # or "external" (runbooks outside the site) or "none"
    rows: list[AlertRow] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        """The id of the group's heading on the Alerts page."""
        if self.runbook is not None:
            return f"runbook-{self.runbook.id}"
        return "external-runbooks" if self.kind == "external" else "no-runbook"


def runbook_of_url(url: str | None, ids: Iterable[str], base: SiteBase) -> str | None:
    """The runbook whose page a runbook_url points at, in either URL style."""
    located = locate(url, base) if url and "{{" not in url else None
    if located is None:
        return None
    path = located[0].lstrip("./")
    for suffix in ("index.html", "/", ".html"):
        path = path.removesuffix(suffix)
    return next((rid for rid in ids if path == f"runbooks/{rid}"), None)


def _external(url: str | None, base: SiteBase) -> str | None:
    """A rule's URL when it is outside the site and safe to link (http/https)."""
    if not url or "{{" in url or locate(url, base) is not None:
        return None
    try:
        check_link(url)
    except ValueError:
        return None
    return url if url.startswith(("http://", "https://")) else None


def alert_groups(
    rules: Iterable[AlertRule], runbooks: Mapping[str, Runbook], base: SiteBase
) -> list[AlertGroup]:
    """Alerts grouped by runbook (the one that lists the alert, else the one its URL opens).

    Runbooks in title order, then the alerts without a runbook.
    """
    groups: dict[str | None, AlertGroup] = {}
    for rule in sorted(rules, key=lambda r: (r.name, r.severity or "")):
        listed = owner_of(rule.name, runbooks)
        rid = listed or runbook_of_url(rule.runbook_url, runbooks, base)
        label = ""
        if rid is None:
            href = _external(rule.runbook_url, base)
        else:
            fragment = alert_anchor(rule.name) if listed else ""
            href = f"runbooks/{rid}.md" + (f"#{fragment}" if fragment else "")
            label = _part_title(runbooks[rid], rule.name)
        group_id = rid if rid is not None else (None if href is None else "")
        if group_id not in groups:
            book = runbooks.get(group_id) if group_id else None
            kind = "runbook" if book else ("external" if group_id == "" else "none")
            groups[group_id] = AlertGroup(book, f"runbooks/{group_id}.md" if book else None, kind)
        groups[group_id].rows.append(AlertRow(rule, href, alert_anchor(rule.name), label))
    rank = {"runbook": 0, "external": 1, "none": 2}
    return sorted(
        groups.values(), key=lambda g: (rank[g.kind], g.runbook.title if g.runbook else "")
    )


def _part_title(book: Runbook, name: str) -> str:
    """The title of the section or incident that covers the alert, else the runbook's."""
    part = book.covered_alerts().get(name, "")
    return _titles(book).get(part, book.title)


def _titles(book: Runbook) -> dict[str, str]:
    """Section and incident id -> title."""
    return {part.id: part.title for part in book.parts()}


class RunbookView:
    """Renders the runbook parts of the site for one build: rules, runbooks, today's date."""

    def __init__(
        self,
        rules: list[AlertRule],
        runbooks: Mapping[str, Runbook],
        *,
        today: date,
        review_days: int = DEFAULT_REVIEW_DAYS,
        base: SiteBase | None = None,
        rules_from: str = "",
        rule_files: Sequence[Path] = (),
    ) -> None:
        self.rules = rules
        self.runbooks = runbooks
        self.today = today
        self.review_days = review_days
        self.base = base or SiteBase()
        self.rules_from = rules_from
        self.rule_files = tuple(rule_files)  # for `mkdocs serve` to watch

    def alerts_page(self, href: Href) -> Markup:
        """Every alert from the rules: name, severity, summary and its runbook link or a "no runbook" mark."""
        groups = alert_groups(self.rules, self.runbooks, self.base)
        return render(
            "alerts_page.html",
            groups=groups,
            href=href,
            rules_from=self.rules_from,
            count=len(self.rules),
        )

    def runbook_header(self, runbook_id: str, href: Href | None = None) -> Markup:
        """Owner, last review (a warning admonition when overdue) and the alerts the page covers."""
        book = self.runbooks[runbook_id]
        covered = book.covered_alerts()
        titles = _titles(book)
        return render(
            "runbook_header.html",
            book=book,
            review=review_of(book, self.today, self.review_days),
            alerts=[(name, part, titles.get(part, "")) for name, part in covered.items()],
            defined={rule.name for rule in self.rules},
            has_rules=bool(self.rules),
            alerts_href=(href or (lambda url: url))("alerts.md"),
        )

    def page_path(self, runbook_id: str) -> str:
        """The runbook's page in the built site (for links from elsewhere)."""
        return runbook_page(runbook_id, self.base.use_directory_urls)
