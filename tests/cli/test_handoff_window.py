"""`handoff` with no window drafts the current shift, as its help says; sample data is said so."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from oncall_docs.cli import cli, options

ROOT = Path(__file__).resolve().parents[2]
OFFLINE = {"PAGERDUTY_API_TOKEN": ""}


@pytest.mark.parametrize(
    ("now", "header"),
    [
        pytest.param(
            datetime(2026, 12, 1, 15, 0, tzinfo=timezone.utc),
            "## On-Call Handoff: Mon 30 Nov 2026 09:00 EST to Mon 07 Dec 2026 09:00 EST",
            id="early-in-a-shift",
        ),
        pytest.param(
            datetime(2027, 6, 16, 15, 0, tzinfo=timezone.utc),
            "## On-Call Handoff: Mon 14 Jun 2027 09:00 EDT to Mon 21 Jun 2027 09:00 EDT",
            id="after-the-sample-ends",
        ),
    ],
)
def test_no_window_is_the_current_shift(
    monkeypatch: pytest.MonkeyPatch, now: datetime, header: str
) -> None:
    """No --since: the shift containing now (ending at the next handoff), offline too."""
    monkeypatch.setattr(options, "utc_now", lambda: now)
    result = CliRunner().invoke(
        cli, ["handoff", "--config-file", str(ROOT / "mkdocs.yml")], env=OFFLINE
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(header + "\n")
    assert "Outgoing (sample data): primary " in result.stdout
    assert "unknown" not in result.stdout.split("### Incidents Summary")[0]
    assert "sample data" in result.stderr


def test_help_says_the_current_shift() -> None:
    """The help names the default the command uses."""
    text = " ".join(CliRunner().invoke(cli, ["handoff", "--help"]).output.split())
    assert "Default: the current shift, the one that ends at the next handoff" in text
    assert "Print the handoff draft of the current shift" in text


def test_json_marks_sample_people(monkeypatch: pytest.MonkeyPatch) -> None:
    """The JSON draft says its people are sample data, with the current shift as its window."""
    monkeypatch.setattr(options, "utc_now", lambda: datetime(2027, 6, 16, 15, tzinfo=timezone.utc))
    result = CliRunner().invoke(
        cli,
        ["handoff", "--config-file", str(ROOT / "mkdocs.yml"), "--format", "json"],
        env=OFFLINE,
    )
    doc = json.loads(result.stdout)
    assert doc["window"] == {"since": "2027-06-14T13:00:00Z", "until": "2027-06-21T13:00:00Z"}
    assert doc["sample_people"] is True
    assert doc["source"] == "offline"


def test_access_after_the_sample_ends_says_sample_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """`check access` after 2027-01-25 checks the moved sample from now and says it is sample data."""
    monkeypatch.setattr(options, "utc_now", lambda: datetime(2027, 3, 3, 15, tzinfo=timezone.utc))
    result = CliRunner().invoke(
        cli, ["check", "access", "--data-dir", str(ROOT / "data")], env=OFFLINE
    )
    first = result.output.splitlines()[0]
    assert first.startswith("Access check: engineers scheduled 2027-03-03 to 2027-03-31")
    assert "sample data" in first
    assert "later shifts are not checked" not in result.output
