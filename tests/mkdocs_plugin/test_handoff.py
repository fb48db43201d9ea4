"""Builds (in process, of the fixture handbook) with the handoff draft: offline week, live from the fake, outage, unmapped priorities."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import BuildResult, build_in_process, copy_handbook
from tests.fakes.pagerduty import FakePagerDuty, Fault
from tests.fakes.pagerduty_account import bitcell_account, incident
from tests.fakes.pd_fixtures import NOW, pd_env
from tests.mkdocs_plugin.test_oncall import set_plugin_option

pytestmark = pytest.mark.integration


def draft_section(result: BuildResult) -> str:
    """The handoff draft element of the built handoff page."""
    page = result.page("handoff/index.html")
    start = page.index('data-template="handoff-draft"')
    return page[start : page.index("</div>", start)]


def draft_text(result: BuildResult) -> str:
    """The Markdown in the draft's block, as the copy button copies it."""
    section = draft_section(result)
    return html.unescape(re.search(r"<pre><code>(.*?)</code></pre>", section, re.S).group(1))  # type: ignore[union-attr]


def test_offline_draft_says_offline_and_redacts(built_site: BuildResult) -> None:
    """No token: the offline week, labelled offline, with mkdocs.yml's redact list applied."""
    section = draft_section(built_site)
    assert 'data-source="offline"' in section
    assert "offline data: a sample week" in section
    text = draft_text(built_site)
    assert text.startswith("## On-Call Handoff: ")
    assert "- P0: 0 | P1: 3 | P2: 3 | P3: 3" in text
    assert "(redacted)" in text
    assert "Acme" not in built_site.page("handoff/index.html")
    assert 'data-action="copy-block"' in section


def test_offline_incidents_stay_out_of_oncall_json(built_site: BuildResult) -> None:
    """site/oncall.json keeps its contract: no incidents in it, and no other incidents file published."""
    data = json.loads((built_site.site / "oncall.json").read_text(encoding="utf-8"))
    assert set(data) - {"sample"} == {  # the shipped sample adds "sample": true
        "generated_at",
        "source",
        "stale",
        "escalation_policy",
        "levels",
        "shifts",
    }
    assert "Q0CHN4817" not in (built_site.site / "oncall.json").read_text(encoding="utf-8")
    assert not list(built_site.site.rglob("*incidents*.json"))


@pytest.mark.parametrize(
    ("page", "template"),
    [
        pytest.param("handoff/index.html", "handoff", id="handoff"),
        pytest.param(
            "incident-report-template/index.html", "incident-report", id="incident-report"
        ),
        pytest.param("status-update-template/index.html", "status-update", id="status-update"),
    ],
)
def test_templates_have_copy_buttons(built_site: BuildResult, page: str, template: str) -> None:
    """Each template block carries a copy button (hidden until copy-block.js runs) and the script is linked."""
    text = built_site.page(page)
    start = text.index(f'data-template="{template}"')
    block = text[start : text.index("</div>", start)]
    assert 'data-action="copy-block"' in block
    assert "hidden" in block
    assert "assets/oncall/copy-block.js" in text
    assert "<script>" not in block


def test_example_incident_log_in_the_appendix(built_site: BuildResult) -> None:
    """The appendix renders the example incident log from data/templates.yaml."""
    assert "14:23:15 - Alert received: NodeDown (us-east-1)" in built_site.page(
        "appendix/index.html"
    )


@dataclass
class Live:
    """Builds of one project against the fake, by name."""

    results: dict[str, BuildResult]
    requests: dict[str, int]


@pytest.fixture(scope="module")
def live(
    tmp_path_factory: pytest.TempPathFactory, pd_server: FakePagerDuty, pd_ca: tuple[Any, Path]
) -> Live:
    """Fresh -> outage (TTL 0, last good draft) -> outage on a new project (no draft) -> unmapped priority."""
    now = datetime.now(UTC)
    account = bitcell_account(NOW)
    account.incidents = [
        incident(
            1,
            "Chain halted",
            now - timedelta(minutes=50),
            now - timedelta(minutes=20),
            priority="P1",
            service="Consensus",
        ),
        incident(
            2,
            "Acme Exchange withdrawals failing",
            now - timedelta(minutes=10),
            status="acknowledged",
            priority="P3",
        ),
    ]
    pd_server.reset(account)
    pd_server.clock = None
    env = pd_env(pd_server, pd_ca[1])
    live = Live({}, {})

    def run(name: str, project: Path, *args: str) -> None:
        before = len(pd_server.seen)
        site = project / f"site-{name}"
        result = build_in_process(project, *args, "--site-dir", str(site), env=env)
        live.results[name] = BuildResult(result.returncode, result.output, site)
        live.requests[name] = sum(
            1 for seen in pd_server.seen[before:] if seen.path == "/incidents"
        )

    project = copy_handbook(tmp_path_factory.mktemp("handoff") / "project")
    run("fresh", project)
    set_plugin_option(project, "snapshot_ttl: 0")
    pd_server.faults.append(Fault("/incidents", 503, headers={"ratelimit-reset": "0"}, times=1000))
    run("outage", project)
    run("outage-no-cache", copy_handbook(tmp_path_factory.mktemp("handoff-new") / "project"))
    pd_server.faults.clear()
    account.incidents.append(
        incident(3, "Odd priority", now - timedelta(minutes=5), priority="SEV-X")
    )
    run("unmapped", project)
    run("unmapped-lenient", project, "--no-strict")
    return live


def test_live_draft_from_pagerduty(live: Live) -> None:
    """With a token: both listings asked, counted by severity, open incident under Ongoing Issues, redacted."""
    result = live.results["fresh"]
    assert result.returncode == 0, result.output
    assert live.requests["fresh"] == 2
    text = draft_text(result)
    assert "- P0: 1 | P1: 0 | P2: 1 | P3: 0" in text
    ongoing = text.split("### Ongoing Issues\n")[1].split("###")[0]
    assert "(redacted) withdrawals failing" in ongoing
    assert "acknowledged, P2" in ongoing
    assert 'data-source="pagerduty"' in draft_section(result)


def test_outage_keeps_the_build_and_shows_the_last_good_draft(live: Live) -> None:
    """GET /incidents 503: the strict build still passes; the page says so and when the last good draft was made."""
    result = live.results["outage"]
    assert result.returncode == 0, result.output
    section = draft_section(result)
    assert "could not fetch incidents from PagerDuty (GET /incidents: HTTP 503" in section
    assert "last good draft made" in section
    assert 'data-source="stale"' in section
    assert "Chain halted" in draft_text(result)
    assert "Who is on call" in result.page("schedule/index.html")


def test_outage_without_cache_says_no_draft(live: Live) -> None:
    """No earlier draft: the section says it could not be fetched, and the rest of the site builds."""
    result = live.results["outage-no-cache"]
    assert result.returncode == 0, result.output
    section = draft_section(result)
    assert "no earlier draft to show" in section
    assert "<pre>" not in section


def test_unmapped_priority_is_one_warning(live: Live) -> None:
    """An unknown priority: one warning naming it (so --strict fails), and counted, not dropped."""
    assert live.results["unmapped"].returncode != 0
    lenient = live.results["unmapped-lenient"]
    assert lenient.returncode == 0, lenient.output
    warnings = [line for line in lenient.output.splitlines() if "counted as unmapped" in line]
    assert len(warnings) == 1
    assert "SEV-X" in warnings[0]
    assert warnings[0].startswith("WARNING")
    assert "| Unmapped: 1" in draft_text(lenient)


def test_incidents_off_the_pagerduty_web_host_are_not_links(
    live: Live, built_site: BuildResult
) -> None:
    """The fake's URLs (not on *.pagerduty.com) and the offline sample's are text, never links."""
    fresh = draft_section(live.results["fresh"])
    assert "bitcell.pagerduty.example/incidents/Q0000001" not in fresh
    assert "<a " not in fresh
    assert "<a " not in draft_section(built_site)


def test_offline_sample_incidents_are_text_in_the_markdown(built_site: BuildResult) -> None:
    """The sample week's incident URLs lead nowhere: the copied Markdown names them unlinked."""
    text = draft_text(built_site)
    assert "pagerduty.com/incidents/" not in text
    assert "### Ongoing Issues\n- " in text  # the incidents are there, as text
