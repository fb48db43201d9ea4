"""`oncall-docs snapshot`: writes the offline snapshot, exit 2 with one line when it cannot."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from oncall_docs.cli import cli
from tests.fakes.pagerduty import FakePagerDuty, Fault
from tests.fakes.pd_fixtures import TOKEN


def run(fake: FakePagerDuty, out: Path, token: str | None = TOKEN, *extra: str) -> Any:
    """Invoke the command against the fake with the given token."""
    env = {"PAGERDUTY_API_URL": fake.url, "PAGERDUTY_ESCALATION_POLICY_ID": "PBCPOL1"}
    if token is not None:
        env["PAGERDUTY_API_TOKEN"] = token
    return CliRunner().invoke(cli, ["snapshot", "--output", str(out), *extra], env=env)


def test_snapshot_writes_the_offline_file(fake_pd: FakePagerDuty, tmp_path: Path) -> None:
    """Exit 0, an offline oncall.json snapshot on disk, and a summary line with the request count."""
    out = tmp_path / "data" / "oncall-snapshot.json"
    result = run(fake_pd, out)
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["source"] == "offline"
    assert len(data["levels"]) == 3
    assert "(4 requests)" in result.output
    assert TOKEN not in out.read_text(encoding="utf-8") + result.output


@pytest.mark.parametrize(
    ("token", "fault", "message"),
    [
        pytest.param(None, None, "set PAGERDUTY_API_TOKEN", id="no-token"),
        pytest.param(
            "wrong-token",
            None,
            "HTTP 401: PagerDuty refused the API token; set PAGERDUTY_API_TOKEN",
            id="401",
        ),
        pytest.param(
            TOKEN,
            Fault("/oncalls", 500, headers={"ratelimit-reset": "0"}, times=99),
            "GET /oncalls: HTTP 500",
            id="500",
        ),
    ],
)
def test_snapshot_failure_is_exit_2_and_one_line(
    fake_pd: FakePagerDuty, tmp_path: Path, token: str | None, fault: Fault | None, message: str
) -> None:
    """No token, a refused token or an outage: exit 2, one line, no file written, no traceback."""
    if fault:
        fake_pd.faults.append(fault)
    out = tmp_path / "snap.json"
    result = run(fake_pd, out, token, "--deadline", "5")
    assert result.exit_code == 2
    assert message in result.output
    assert not out.exists()
    assert "Traceback" not in result.output
    assert "wrong-token" not in result.output
