"""The built site: the Alerts page in the nav, runbook headers, flat URLs and overdue reviews."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from oncall_docs.cli import cli
from tests.conftest import BuildResult, copy_project, run_mkdocs_build

pytestmark = pytest.mark.integration


def test_alerts_page_lists_every_alert_and_is_in_the_nav(built_site: BuildResult) -> None:
    """Every alert of the project's rules has a row linking to its anchor; the nav links the page."""
    html = built_site.page("alerts/index.html")
    rows = re.findall(r'<tr data-alert="(\w+)">', html)
    assert {"NodeDown", "ManyNodesDown", "ChainStopped", "HighLatency", "SecurityIncident"} <= set(
        rows
    )
    assert 'href="../runbooks/incident-response/#alert-nodedown"' in html
    assert "Node {{ $labels.instance }} is down" in html
    assert 'href="alerts/"' in built_site.page("index.html")


def test_runbook_page_has_owner_review_and_alert_anchors(built_site: BuildResult) -> None:
    """The runbook page names its owner and review date and carries each alert's anchor once."""
    html = built_site.page("runbooks/incident-response/index.html")
    assert "<strong>Owner:</strong> Platform team" in html
    assert '<time datetime="' in html
    for anchor in ("alert-nodedown", "alert-chainstopped", "alert-securityincident"):
        assert html.count(f'id="{anchor}"') == 1


@pytest.fixture(scope="module")
def flat_overdue(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    """A project copy built with use_directory_urls off and a runbook last reviewed long ago."""
    project = copy_project(tmp_path_factory.mktemp("flat") / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "use_directory_urls: false\n")
    runbook = project / "data" / "runbooks" / "deployment-guide.yaml"
    runbook.write_text(re.sub(r"reviewed: \S+", "reviewed: 2020-01-01", runbook.read_text()))
    result = run_mkdocs_build(project)
    assert result.returncode == 0, result.output
    return project, result


def test_overdue_review_shows_a_warning_admonition(flat_overdue: tuple[Path, BuildResult]) -> None:
    """An overdue runbook page opens with a warning admonition; a current one has none."""
    _, result = flat_overdue
    assert 'class="admonition warning oncall-review-overdue"' in result.page(
        "runbooks/deployment-guide.html"
    )
    assert "oncall-review-overdue" not in result.page("runbooks/incident-response.html")


def test_flat_urls_alerts_page_and_check(flat_overdue: tuple[Path, BuildResult]) -> None:
    """use_directory_urls off: the Alerts page links .html pages; directory runbook_urls are missing."""
    project, result = flat_overdue
    assert 'href="runbooks/incident-response.html#alert-nodedown"' in result.page("alerts.html")
    args = ["check", "runbooks", str(result.site), "--config-file", str(project / "mkdocs.yml")]
    args += ["--data-dir", str(project / "data"), "--format", "json"]
    report = json.loads(CliRunner().invoke(cli, args).output)
    codes = {(f["code"], f.get("alert") or f.get("runbook")) for f in report["findings"]}
    assert ("runbook-page-missing", "NodeDown") in codes
    assert ("review-overdue", "deployment-guide") in codes
    suggested = json.loads(CliRunner().invoke(cli, [*args[:-2], "--suggest"]).output)
    assert suggested["NodeDown"] == "runbooks/incident-response.html#alert-nodedown"
