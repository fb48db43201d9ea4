"""The Alerts page fragment and the runbook page header, escaped and linked."""

from __future__ import annotations

from datetime import date

from oncall_docs.render.links import resolve_href
from oncall_docs.runbooks.rules import AlertRule
from oncall_docs.runbooks.view import RunbookView
from tests.runbooks.conftest import RUNBOOKS

RULES = [
    AlertRule("NodeDown", "g", "r.yaml", 1, "P2", "Node {{ $labels.instance }} <down>", None),
    AlertRule("Lost", "g", "r.yaml", 2, "P3", "No runbook", None),
    AlertRule("Wiki", "g", "r.yaml", 3, None, None, "https://wiki.example.com/x"),
    AlertRule("Danger", "g", "r.yaml", 4, None, None, "javascript:alert(1)"),
]


def _href(use_directory_urls: bool = True):  # noqa: ANN202
    return lambda url: resolve_href(
        url, page_src="alerts.md", use_directory_urls=use_directory_urls
    )


def test_alerts_page_groups_by_runbook_and_marks_missing_runbooks() -> None:
    """Rows per runbook with a link to the alert's anchor; the rest show a visible "No runbook"."""
    view = RunbookView(RULES, RUNBOOKS, today=date(2026, 11, 30))
    html = view.alerts_page(_href())
    assert '<a href="../runbooks/nodes/#alert-nodedown">Restart</a>' in html
    assert "Node {{ $labels.instance }} &lt;down&gt;" in html
    assert html.count('class="oncall-no-runbook">No runbook') == 2  # Lost, and the javascript: URL
    assert '<a href="https://wiki.example.com/x" rel="noopener">' in html
    assert "javascript:" not in html
    assert (
        html.index('id="runbook-nodes"')
        < html.index('id="external-runbooks"')
        < html.index('id="no-runbook"')
    )


def test_alerts_page_follows_use_directory_urls() -> None:
    """With use_directory_urls off the link points at the .html page."""
    html = RunbookView(RULES[:1], RUNBOOKS, today=date(2026, 11, 30)).alerts_page(_href(False))
    assert 'href="runbooks/nodes.html#alert-nodedown"' in html


def test_alerts_page_without_rules_says_so() -> None:
    """No rules configured: a sentence instead of an empty table."""
    assert "No alerting rules are configured" in RunbookView(
        [], RUNBOOKS, today=date(2026, 1, 1)
    ).alerts_page(_href())


def test_runbook_header_overdue_admonition_owner_and_anchors() -> None:
    """Overdue: a warning admonition; the owner and review date; page-level alerts carry their anchor."""
    view = RunbookView(RULES, RUNBOOKS, today=date(2027, 3, 1), review_days=90)
    html = view.runbook_header("nodes")
    assert '<div class="admonition warning oncall-review-overdue">' in html
    assert "was due for review 30 day(s) ago" in html
    assert "<strong>Owner:</strong> Platform team" in html
    assert '<tr id="alert-nodesgeneral"><td><a href="#alert-nodesgeneral">' in html
    assert '<code>NodeDown</code></a></td><td><a href="#restart">Restart</a>' in html
    assert "(no rule defines it)" in html  # ChainStopped is in no rule


def test_runbook_header_current_review_has_no_admonition() -> None:
    """A review within its interval: the due date, no warning."""
    html = RunbookView(RULES, RUNBOOKS, today=date(2026, 11, 30)).runbook_header("nodes")
    assert "admonition" not in html
    assert "next review due 2027-01-30" in html
