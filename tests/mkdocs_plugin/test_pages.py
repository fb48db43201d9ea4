"""The site: every section of the shipped guide is there; in the fixture handbook, data drives the pages and errors are one line."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import BuildResult, build_in_process, copy_handbook

pytestmark = pytest.mark.integration

# Every section and sub-section of the guide -> the built page that carries it.
SECTIONS = {
    "index.html": ["BitCell on-call handbook", "Start here", "How the rotation works"],
    "schedule/index.html": [
        "On-call schedule",
        "Rotation structure",
        "Schedule management",
        "Swapping shifts",
    ],
    "preparation/index.html": [
        "Before your shift starts",
        "48 hours before",
        "24 hours before",
        "Handoff meeting",
        "Required access",
    ],
    "daily-routine/index.html": ["Daily routine", "Morning check", "Evening check"],
    "alert-handling/index.html": [
        "When an alert fires",
        "Communication protocol",
        "Status updates",
    ],
    "incident-management/index.html": ["Incident management", "Triage", "Post-incident"],
    "severity/index.html": ["Severity levels and response times"],
    "escalation/index.html": ["Escalation"],
    "war-room/index.html": ["War room protocol", "Setup", "Roles"],
    "handoff/index.html": [
        "Handoff procedures",
        "End-of-shift handoff",
        "Meeting agenda",
        "After the handoff",
        "Handoff template",
    ],
    "best-practices/index.html": ["Do's and don'ts", "Communication tips"],
    "tools/index.html": ["Monitoring and alerting", "Commands cheat sheet", "Runbooks"],
    "contacts/index.html": ["Team Slack channels", "Escalation"],
    "post-incident/index.html": [
        "Required documentation",
        "Blameless post-mortems",
        "Principles",
        "Meeting format",
    ],
    "self-care/index.html": [
        "Managing stress",
        "During long incidents",
        "After difficult shifts",
        "Work-life balance",
        "Compensation",
        "On-call pay",
        "Time off",
    ],
    "improvement/index.html": ["Feedback", "After each shift", "Quarterly review", "Training"],
    "faq/index.html": ["FAQ", "What if I miss an alert while sleeping?"],
    "appendix/index.html": ["Example incident log", "Useful links"],
    "runbooks/incident-response/index.html": [
        "Common incidents",
        "Node down / out of memory",
        "More than 30% of nodes down",
        "Chain stopped",
        "High latency",
        "Security incident",
    ],
    "runbooks/deployment-guide/index.html": ["Deployment guide"],
    "incident-report-template/index.html": ["Incident report template", "Root Cause", "Learnings"],
    "status-update-template/index.html": ["Status update template", "Next Update"],
    "architecture/index.html": ["Architecture overview"],
}


@pytest.mark.parametrize(("page", "texts"), SECTIONS.items(), ids=list(SECTIONS))
def test_every_section_of_the_guide_is_built(
    built_site: BuildResult, page: str, texts: list[str]
) -> None:
    """Each section of the guide has a built page that shows it."""
    html = built_site.page(page)
    for text in texts:
        assert text in html, f"{text!r} missing from {page}"


def test_every_page_is_in_the_navigation(built_site: BuildResult) -> None:
    """The navigation links to every section page."""
    nav = built_site.page("index.html")
    for page in SECTIONS:
        if page != "index.html":
            assert f'href="{page.removesuffix("index.html")}"' in nav, page


def test_guide_links_resolve_to_anchors(built_site: BuildResult) -> None:
    """The guide's links (runbook, common incidents, template) land on real ids."""
    runbook = built_site.page("runbooks/incident-response/index.html")
    assert 'id="common-incidents"' in runbook
    assert 'id="node-down"' in runbook
    tools = built_site.page("tools/index.html")
    assert 'href="../runbooks/incident-response/#common-incidents"' in tools


def test_prometheus_template_is_literal(built_site: BuildResult) -> None:
    """Alertmanager template syntax in runbook data is not eaten by the macro engine."""
    assert "Node {{ $labels.instance }} has been down" in built_site.page(
        "runbooks/incident-response/index.html"
    )


def test_checklists_render_from_data(built_site: BuildResult) -> None:
    """The preparation page carries the four pre-shift checklists with their item ids."""
    html = built_site.page("preparation/index.html")
    for checklist in ("before-48h", "before-24h", "handoff-meeting", "required-access"):
        assert f'data-checklist="{checklist}"' in html
    assert 'data-item="test-notifications"' in html


def replace_in(path: Path, old: str, new: str) -> None:
    """Edit a data file of a copy; fail loudly if the text to replace is not there once."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """One build of a fixture-handbook copy with every edit below (changed text, HTML in data)."""
    project = copy_handbook(tmp_path_factory.mktemp("edited") / "handbook")
    data = project / "data"
    replace_in(data / "severity.yaml", "Less than 15 minutes", "Within 5 minutes")
    replace_in(
        data / "checklists.yaml",
        "{id: test-notifications, text: Test PagerDuty notifications}",
        "{id: test-notifications, text: Send yourself a test page}",
    )
    replace_in(
        data / "faq.yaml",
        "answer: Escalate immediately.",
        "answer: <script>alert(1)</script> Escalate immediately.",
    )
    result = build_in_process(project)
    assert result.returncode == 0, result.output
    return result


def test_changed_data_changes_the_page(edited: BuildResult) -> None:
    """Edit the data in a copy: the severity table and a checklist follow it."""
    assert "Within 5 minutes" in edited.page("severity/index.html")
    assert "Less than 15 minutes" not in edited.page("severity/index.html")
    assert "Send yourself a test page" in edited.page("preparation/index.html")


def test_html_in_data_is_text(edited: BuildResult) -> None:
    """A <script> in the data appears as text on the page, never as markup."""
    html = edited.page("faq/index.html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Escalate immediately." in html
    assert "<script>alert(1)</script>" not in html


@pytest.mark.parametrize(
    ("filename", "old", "new", "message"),
    [
        pytest.param(
            "rotation.yaml",
            "shift_length_days: 7",
            "shift_lenght_days: 7",
            r"data/rotation\.yaml:\d+: shift_lenght_days: unknown field",
            id="typo-key",
        ),
        pytest.param(
            "links.yaml",
            'url: "https://status.bitcell.network"',
            'url: "javascript:alert(1)"',
            r"data/links\.yaml:\d+: links\[4\]\.url: .*'javascript' is not allowed",
            id="javascript-url",
        ),
    ],
)
def test_bad_data_fails_the_build_in_one_line(
    project: Path,
    build: Callable[..., BuildResult],
    filename: str,
    old: str,
    new: str,
    message: str,
) -> None:
    """A bad data file stops the build with one line naming file, line and field, and no site (test_command: no traceback)."""
    path = project / "data" / filename
    path.write_text(path.read_text().replace(old, new))
    result = build(project)
    assert result.returncode != 0
    assert re.search(message, result.output), result.output
    assert "Traceback" not in result.output
    assert not (result.site / "index.html").exists()


def test_unknown_macro_argument_names_the_page(
    project: Path, build: Callable[..., BuildResult]
) -> None:
    """A page that asks for a checklist that does not exist fails naming the page, line and known ids."""
    (project / "docs" / "faq.md").write_text('# FAQ\n\n{{ checklist("before-49h") }}\n')
    result = build(project)
    assert result.returncode != 0
    assert "docs/faq.md:3: no checklist with id 'before-49h'" in result.output
    assert "Traceback" not in result.output


def test_pages_load_nothing_from_the_internet(built_site: BuildResult) -> None:
    """No script, stylesheet or font from another host: the site works offline and from disk."""
    pattern = re.compile(r'<(?:script|link|img)[^>]+(?:src|href)="(?:https?:)?//', re.IGNORECASE)
    for page in built_site.site.rglob("*.html"):
        assert not pattern.search(page.read_text(encoding="utf-8")), page
