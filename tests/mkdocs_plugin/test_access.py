"""The "Required access" page: systems table and readiness matrix (shipped site and fixture handbook), no contact details."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import BuildResult

pytestmark = pytest.mark.integration


def test_systems_and_matrix(built_site: BuildResult) -> None:
    """Every system with its request route, and a row per scheduled engineer."""
    html = built_site.page("required-access/index.html")
    assert html.count('<tr id="system-') == 10
    assert "Request the production VPN profile from IT" in html
    rows = re.findall(
        r"<tr><td>([^<]+)</td>\s*<td>", html.split('data-table="access-readiness"')[1]
    )
    assert "Chidi Okafor" in rows
    assert "Priya Raman" in rows
    assert 'data-status="missing"' not in html


def test_matrix_follows_the_roster(project: Path, build: Callable[..., BuildResult]) -> None:
    """Drop a grant in a copy: the matrix shows it missing for that engineer."""
    roster = project / "data" / "roster.yaml"
    head, tail = roster.read_text().split("  - id: chidi-okafor", 1)
    roster.write_text(
        head + "  - id: chidi-okafor" + tail.replace("      - {system: vpn}\n", "", 1)
    )
    result = build(project)
    assert result.returncode == 0, result.output
    html = result.page("required-access/index.html")
    chidi = html.split("<tr><td>Chidi Okafor")[1].split("</tr>")[0]
    assert chidi.count('data-status="missing"') == 1


def test_no_contact_details(built_site: BuildResult) -> None:
    """No e-mail address reaches the page, nor a Slack handle into the matrix (the banner names on-call handles)."""
    html = built_site.page("required-access/index.html")
    assert "@bitcell.example" not in html
    article = html.split('<article class="md-content__inner md-typeset">')[1].split("</article>")[0]
    assert "@chidi" not in article
