"""`oncall-docs handoff`: the same draft as the page, as Markdown or JSON; exit 2 with one line on bad input."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from oncall_docs.cli import cli, options
from oncall_docs.settings import read_settings
from tests.fakes.pagerduty import FakePagerDuty, Fault
from tests.fakes.pagerduty_account import incident
from tests.fakes.pd_fixtures import NOW, TOKEN

SINCE = "2026-11-23T14:00:00Z"
UNTIL = "2026-11-30T14:00:00Z"
START = NOW - timedelta(days=2, hours=1)


def run(project: Path, *args: str, env: dict[str, str] | None = None) -> Any:
    """Invoke `oncall-docs handoff` with the project copy's mkdocs.yml."""
    return CliRunner().invoke(
        cli, ["handoff", "--config-file", str(project / "mkdocs.yml"), *args], env=env or {}
    )


def live_env(fake: FakePagerDuty) -> dict[str, str]:
    """Token, URL and policy of the fake (the CA comes from the fake_pd fixture)."""
    return {
        "PAGERDUTY_API_TOKEN": TOKEN,
        "PAGERDUTY_API_URL": fake.url,
        "PAGERDUTY_ESCALATION_POLICY_ID": "PBCPOL1",
    }


def test_offline_markdown_without_a_token(
    project: Path, fake_pd: FakePagerDuty, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No token: the offline week as Markdown on stdout, the note on stderr, redact list from mkdocs.yml."""
    monkeypatch.setattr(options, "utc_now", lambda: NOW)  # mid-shift of the sample week
    result = run(project)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "## On-Call Handoff: Mon 23 Nov 2026 09:00 EST to Mon 30 Nov 2026 09:00 EST\n"
    )
    assert "### Ongoing Issues" in result.stdout
    assert "Acme Exchange" not in result.stdout
    assert "offline data" in result.stderr
    assert fake_pd.seen == []


def test_offline_sample_incidents_are_not_links(
    project: Path, fake_pd: FakePagerDuty, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No token: the sample week's titles are text (its URLs lead nowhere), as on the site."""
    monkeypatch.setattr(options, "utc_now", lambda: NOW)
    result = run(project)
    assert result.exit_code == 0, result.output
    assert "- Notable incidents:\n  1. [P" in result.stdout
    assert "pagerduty.com/incidents/" not in result.stdout


def test_json_window_from_the_fake(project: Path, fake_pd: FakePagerDuty) -> None:
    """--since/--until against PagerDuty: counts, unmapped, ongoing and --redact in the JSON."""
    fake_pd.account.incidents = [
        incident(
            1, "Chain halted", START + timedelta(hours=3), START + timedelta(hours=4), priority="P1"
        ),
        incident(
            2,
            "Globex withdrawals",
            START + timedelta(hours=5),
            status="acknowledged",
            priority="P2",
        ),
        incident(
            3,
            "odd one",
            START + timedelta(hours=6),
            START + timedelta(hours=7),
            priority="Whatever",
        ),
    ]
    result = run(
        project,
        "--since",
        SINCE,
        "--until",
        UNTIL,
        "--format",
        "json",
        "--redact",
        "Globex",
        env=live_env(fake_pd),
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["window"] == {"since": SINCE, "until": UNTIL}
    assert data["counts"] == {"P0": 1, "P1": 1, "P2": 0, "P3": 0, "unmapped": 1}
    assert [o["title"] for o in data["ongoing"]] == ["(redacted) withdrawals"]
    assert data["source"] == "pagerduty"
    assert data["unmapped_priorities"] == ["Whatever"]
    assert set(data) >= {
        "window",
        "counts",
        "notable",
        "ongoing",
        "upcoming",
        "outgoing",
        "incoming",
    }
    assert TOKEN not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--since", SINCE], "set PAGERDUTY_API_TOKEN", id="window-without-token"),
        pytest.param(["--until", UNTIL], "--until needs --since", id="until-alone"),
        pytest.param(["--format", "xml"], "Invalid value for '--format'", id="bad-format"),
        pytest.param(["--redact", "(oops"], "redact: '(oops'", id="bad-regex"),
    ],
)
def test_usage_errors_are_exit_2(
    project: Path, fake_pd: FakePagerDuty, args: list[str], message: str
) -> None:
    """Wrong options: exit 2 and one line naming the problem, no traceback."""
    result = run(project, *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_bad_date_names_itself(project: Path, fake_pd: FakePagerDuty) -> None:
    """A date that is not one is refused by name, with the accepted forms."""
    result = run(project, "--since", "2026-11-23T25:00", env=live_env(fake_pd))
    assert result.exit_code == 2
    assert "'2026-11-23T25:00' is not a date" in result.output


def test_outage_without_cache_is_one_line(project: Path, fake_pd: FakePagerDuty) -> None:
    """PagerDuty failing with no earlier draft: exit 2, one line naming GET /incidents."""
    fake_pd.faults.append(Fault("/incidents", 500, headers={"ratelimit-reset": "0"}, times=99))
    result = run(project, "--since", SINCE, env=live_env(fake_pd))
    assert result.exit_code == 2
    assert "GET /incidents: HTTP 500" in result.output
    assert "Traceback" not in result.output


def test_mkdocs_yml_tags_are_tolerated(tmp_path: Path) -> None:
    """`!ENV` and python tags in mkdocs.yml do not stop the CLI from reading the oncall settings."""
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: !ENV [SITE, x]\nplugins:\n  - search\n  - oncall:\n      redact: ['Acme']\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
        encoding="utf-8",
    )
    assert read_settings(config).redact == ("Acme",)


def test_since_alone_runs_to_the_end_of_that_shift(project: Path, fake_pd: FakePagerDuty) -> None:
    """--since a date (midnight New York) without --until: the window ends at that shift's handoff."""
    result = run(project, "--since", "2026-11-23", "--format", "json", env=live_env(fake_pd))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["window"] == {
        "since": "2026-11-23T05:00:00Z",
        "until": "2026-11-23T14:00:00Z",
    }
