"""The CLI's one date syntax, `--help` naming the token, and the window `check access` checked."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from oncall_docs.cli import cli, options
from oncall_docs.timeutil import parse_when, read_when

ROOT = Path(__file__).resolve().parents[2]
CLI = ROOT / "plugins" / "oncall_docs" / "cli"
NY = ZoneInfo("America/New_York")
OFFLINE = {"PAGERDUTY_API_TOKEN": ""}
TOKEN_USERS = (("snapshot",), ("handoff",), ("check", "access"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("2027-03-01", datetime(2027, 3, 1, tzinfo=NY), id="date"),
        pytest.param("2027-03-01T09:00", datetime(2027, 3, 1, 9, tzinfo=NY), id="naive-time"),
        pytest.param(
            "2027-03-01T09:00:00Z", datetime(2027, 3, 1, 9, tzinfo=timezone.utc), id="utc"
        ),
        pytest.param(
            "2027-07-01T09:00-05:00", datetime(2027, 7, 1, 14, tzinfo=timezone.utc), id="offset"
        ),
        pytest.param("2027-07-01T09:00", datetime(2027, 7, 1, 13, tzinfo=timezone.utc), id="dst"),
    ],
)
def test_one_syntax_read_in_the_rotation_zone(text: str, expected: datetime) -> None:
    """A date, or a time with or without an offset; without one, the rotation's zone decides."""
    assert parse_when(text, "America/New_York") == expected


@pytest.mark.parametrize("text", ["tomorrow", "2027-13-01", "01/03/2027", ""])
def test_bad_dates_say_what_is_accepted(text: str) -> None:
    """Anything else is a ValueError naming the accepted forms."""
    with pytest.raises(ValueError, match=r"a date .* or a time"):
        read_when(text)


def test_data_files_read_dates_with_the_same_parser() -> None:
    """upcoming-events.yaml's `start` accepts what the CLI accepts, a time without offset included."""
    from oncall_docs.model.incidents import UpcomingEvent

    event = UpcomingEvent.model_validate(
        {"id": "x", "kind": "deployment", "title": "t", "start": "2027-03-01T09:00"}
    )
    assert event.start == read_when("2027-03-01T09:00")
    assert UpcomingEvent.model_validate(
        {"id": "x", "kind": "deployment", "title": "t", "start": "2027-03-01"}
    ).start == date(2027, 3, 1)


def test_one_parse_when_in_the_package() -> None:
    """No module but timeutil defines its own date parser (`def parse_when`)."""
    package = ROOT / "plugins" / "oncall_docs"
    defining = [
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if re.search(r"^def parse_when\b", path.read_text(encoding="utf-8"), re.M)
    ]
    assert defining == ["timeutil.py"]


@pytest.mark.parametrize(
    ("args", "ok"),
    [
        pytest.param(["--at", "2027-03-01"], True, id="date"),
        pytest.param(["--at", "2027-03-01T09:00"], True, id="naive-time"),
        pytest.param(["--at", "2027-03-01T09:00:00Z"], True, id="offset"),
        pytest.param(["--at", "next monday"], False, id="nonsense"),
    ],
)
def test_check_access_at_takes_the_one_syntax(args: list[str], ok: bool) -> None:
    """`check access --at 2027-03-01` works as `handoff --since 2026-11-30` does; nonsense is exit 2."""
    result = CliRunner().invoke(
        cli, ["check", "access", "--data-dir", str(ROOT / "data"), *args], env=OFFLINE
    )
    assert (result.exit_code != 2) is ok, result.output
    if ok:
        assert "engineers scheduled 2027-03-01 to 2027-03-29" in result.output
    else:
        assert "is not a date (2026-11-30) or a time" in result.output


def test_handoff_since_rejects_nonsense_with_the_same_words() -> None:
    """`handoff --since` uses the same option type as `check access --at`."""
    result = CliRunner().invoke(
        cli,
        ["handoff", "--config-file", str(ROOT / "mkdocs.yml"), "--since", "nope"],
        env={"PAGERDUTY_API_TOKEN": "x"},
    )
    assert result.exit_code == 2
    assert "is not a date (2026-11-30) or a time" in result.output


@pytest.mark.parametrize("command", TOKEN_USERS, ids=" ".join)
def test_help_names_the_token(command: tuple[str, ...]) -> None:
    """Every command that can read PagerDuty names PAGERDUTY_API_TOKEN in its --help."""
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    assert "PAGERDUTY_API_TOKEN" in result.output


def test_every_token_user_is_listed() -> None:
    """Each CLI module that reaches PagerDuty registers a command listed in TOKEN_USERS."""
    reaching = {
        path.stem
        for path in CLI.glob("*.py")
        if re.search(
            r"token_from_env|fetcher_from_env|load_snapshot|load_incidents", path.read_text()
        )
    }
    assert reaching <= {"snapshot", "handoff", "access", "access_pd"}


def test_offline_access_checks_from_now(monkeypatch: pytest.MonkeyPatch) -> None:
    """Offline, the window starts now (not at the snapshot's capture), in text and in JSON."""
    now = datetime(2026, 12, 9, 15, 0, tzinfo=timezone.utc)
    monkeypatch.setattr(options, "utc_now", lambda: now)
    base = ["check", "access", "--data-dir", str(ROOT / "data")]
    text = CliRunner().invoke(cli, base, env=OFFLINE)
    assert "engineers scheduled 2026-12-09 to 2027-01-06" in text.output
    doc = json.loads(CliRunner().invoke(cli, [*base, "--format", "json"], env=OFFLINE).stdout)
    window = doc["summary"]["window"]
    assert window["start"] == "2026-12-09T15:00:00Z"
    assert window["end"] == "2027-01-06T15:00:00Z"
    assert "offline" in window["source"]


def test_event_time_without_offset_is_in_the_rotation_zone() -> None:
    """An upcoming event written `2027-03-01T09:00` starts at 09:00 in the rotation's zone."""
    from oncall_docs.handoff.draft import upcoming_events
    from oncall_docs.model.incidents import UpcomingEvent

    event = UpcomingEvent.model_validate(
        {"id": "x", "kind": "deployment", "title": "t", "start": "2027-03-01T09:00"}
    )
    now = datetime(2027, 3, 1, 13, 30, tzinfo=timezone.utc)  # 08:30 in New York
    (found,) = upcoming_events([event], now, now + timedelta(days=1), "America/New_York")
    assert found.start == datetime(2027, 3, 1, 9, tzinfo=NY)
    later = datetime(2027, 3, 1, 15, 0, tzinfo=timezone.utc)  # 10:00 in New York: over
    assert upcoming_events([event], later, later + timedelta(days=1), "America/New_York") == ()
