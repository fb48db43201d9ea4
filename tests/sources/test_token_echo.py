"""A PagerDuty answer that echoes the token: masked before it reaches the page, the log, the CLI or a file."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from oncall_docs.cli import cli
from oncall_docs.handoff.source import NoIncidents, load_incidents
from oncall_docs.handoff.view import HandoffView
from oncall_docs.handoff.window import HandoffWindow
from oncall_docs.pagerduty_api.client import RetryPolicy, mask_secrets
from oncall_docs.sources import SourceOptions
from tests.conftest import ROOT, copy_project, run_mkdocs_build
from tests.fakes.pagerduty import FakePagerDuty, Fault
from tests.fakes.pd_fixtures import NOW, TOKEN, pd_env

ECHO = Fault("/incidents", mode="echo_auth", headers={"ratelimit-reset": "0"}, times=1000)
WINDOW = HandoffWindow(NOW - timedelta(days=2, hours=1), NOW + timedelta(days=4, hours=23))


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        pytest.param(
            f"Authorization: Token token={TOKEN}", "Authorization: Token token=***", id="header"
        ),
        pytest.param(f"key {TOKEN} rejected", "key *** rejected", id="exact-token"),
        pytest.param(
            "Token token=someOtherKey9 was sent", "Token token=*** was sent", id="other-token"
        ),
        pytest.param("header 'Bearer abc.def-ghi'", "header 'Bearer ***'", id="bearer"),
        pytest.param("Service Unavailable", "Service Unavailable", id="nothing-to-mask"),
    ],
)
def test_mask_secrets(text: str, shown: str) -> None:
    """The token, and anything shaped like a credential, becomes ***."""
    assert mask_secrets(text, TOKEN) == shown


def test_echoed_token_is_masked_in_the_handoff_view(
    fake_pd: FakePagerDuty, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """/incidents 500 repeating the Authorization header: the draft view's HTML shows the error, not the token."""
    monkeypatch.setenv("PAGERDUTY_API_TOKEN", TOKEN)
    monkeypatch.setenv("PAGERDUTY_API_URL", fake_pd.url)
    fake_pd.faults.append(ECHO)
    options = SourceOptions(
        offline=ROOT / "data" / "offline-incidents.json",
        cache_dir=tmp_path,
        retry=RetryPolicy(attempts=2, base_delay=0, timeout=2, deadline=10),
    )
    with pytest.raises(NoIncidents) as missing:
        load_incidents(options, WINDOW, NOW)
    page = HandoffView(str(missing.value), "none").html()
    assert "GET /incidents: HTTP 500: Internal error handling request" in page
    assert "Token token=***" in page
    assert TOKEN not in page


def test_echoed_token_is_masked_in_the_cli_error(project: Path, fake_pd: FakePagerDuty) -> None:
    """`oncall-docs handoff`: exit 2 with one masked line."""
    fake_pd.faults.append(ECHO)
    env = {"PAGERDUTY_API_TOKEN": TOKEN, "PAGERDUTY_API_URL": fake_pd.url}
    result = CliRunner().invoke(
        cli, ["handoff", "--config-file", str(project / "mkdocs.yml")], env=env
    )
    assert result.exit_code == 2
    assert "GET /incidents: HTTP 500" in result.output
    assert "Token token=***" in result.output
    assert TOKEN not in result.output


def test_echoed_token_is_nowhere_in_a_real_build(
    tmp_path: Path, pd_server: FakePagerDuty, pd_ca: tuple[Any, Path]
) -> None:
    """A real `mkdocs build`: neither the site, nor the build log, nor the cache holds the token."""
    pd_server.reset()
    pd_server.faults.append(ECHO)
    project = copy_project(tmp_path / "project")
    result = run_mkdocs_build(project, env=pd_env(pd_server, pd_ca[1]))
    assert result.returncode == 0, result.output
    assert "Token token=***" in result.page("handoff/index.html")
    assert TOKEN not in result.output
    leaks = [
        path
        for path in [*result.site.rglob("*"), *(project / ".cache").rglob("*")]
        if path.is_file() and TOKEN.encode() in path.read_bytes()
    ]
    assert leaks == []
