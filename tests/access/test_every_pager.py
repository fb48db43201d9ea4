"""`oncall-docs check access`: a scheduled person missing from the roster still has their pager checked."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from oncall_docs.cli import cli
from tests.fakes.pagerduty import FakePagerDuty
from tests.fakes.pagerduty_account import bitcell_account, monday_0900
from tests.fakes.pd_fixtures import TOKEN

ZOE = "PZOE009"


@pytest.fixture
def live(fake_pd: FakePagerDuty) -> FakePagerDuty:
    """The fake serving the BitCell account around the real clock (the CLI reads from now on)."""
    fake_pd.reset(bitcell_account(datetime.now(timezone.utc)))
    fake_pd.clock = None
    return fake_pd


def check(fake: FakePagerDuty, data_dir: Path) -> tuple[int, list[dict[str, Any]]]:
    """Run the check with a token against the fake; the exit code and the JSON findings."""
    env = {
        "PAGERDUTY_API_TOKEN": TOKEN,
        "PAGERDUTY_API_URL": fake.url,
        "PAGERDUTY_ESCALATION_POLICY_ID": "PBCPOL1",
    }
    args = ["check", "access", "--data-dir", str(data_dir), "--format", "json"]
    result = CliRunner().invoke(cli, args, env=env)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.output)["findings"]


def secondary_now(fake: FakePagerDuty) -> str:
    """The PagerDuty id of whoever is on the secondary schedule right now."""
    now = datetime.now(timezone.utc)
    entries = fake.account.schedules["PSECOND"].entries
    (user,) = [uid for uid, start, end in entries if start <= now < end]
    return user


def drop_from_roster(data_dir: Path, pagerduty_id: str) -> None:
    """Remove one engineer's entry from roster.yaml, as if they had never been added."""
    roster = data_dir / "roster.yaml"
    head, *entries = roster.read_text().split("\n  - id: ")
    kept = [e for e in entries if f"pagerduty_id: {pagerduty_id}\n" not in e]
    assert len(kept) == len(entries) - 1
    roster.write_text("\n  - id: ".join([head, *kept]))


def secondary_without_phone(fake: FakePagerDuty, data_dir: Path) -> None:
    """The secondary on call now: not in the roster, and e-mail is their only contact method."""
    user = secondary_now(fake)
    drop_from_roster(data_dir, user)
    fake.account.contact_types[user] = ["email_contact_method", "push_notification_contact_method"]


def next_primary_without_high_urgency(fake: FakePagerDuty, data_dir: Path) -> None:
    """Zoe covers next week's primary through an override; she has low-urgency rules only."""
    acc = fake.account
    acc.users[ZOE] = {"name": "Zoe Park", "email": "zoe.park@bitcell.example", "time_zone": "UTC"}
    start = monday_0900(datetime.now(timezone.utc), weeks_back=-1)
    acc.schedules["PPRIMRY"].override(ZOE, start, start + timedelta(weeks=1))
    acc.rule_urgencies[ZOE] = ["low"]


SECONDARY = {"not-in-roster", "no-phone-contact"}
NEXT_PRIMARY = {"not-in-roster", "no-high-urgency-rule"}


@pytest.mark.parametrize(
    ("setups", "expected"),
    [
        pytest.param(
            [secondary_without_phone], {"secondary": SECONDARY}, id="secondary-without-phone"
        ),
        pytest.param(
            [next_primary_without_high_urgency],
            {"Zoe Park": NEXT_PRIMARY},
            id="next-primary-without-high-urgency-rule",
        ),
        pytest.param(
            [secondary_without_phone, next_primary_without_high_urgency],
            {"secondary": SECONDARY, "Zoe Park": NEXT_PRIMARY},
            id="both",
        ),
    ],
)
def test_people_missing_from_the_roster_get_every_pager_check(
    live: FakePagerDuty,
    data_dir: Path,
    setups: list[Any],
    expected: dict[str, set[str]],
) -> None:
    """Not being in the roster never hides a pager that cannot reach them."""
    secondary = live.account.users[secondary_now(live)]["name"]
    for setup in setups:
        setup(live, data_dir)
    code, findings = check(live, data_dir)
    got: dict[str, set[str]] = {}
    for finding in findings:
        got.setdefault(finding["user"], set()).add(finding["code"])
    want = {secondary if who == "secondary" else who: codes for who, codes in expected.items()}
    assert code == 1
    assert got == want


def test_pager_findings_point_at_the_roster_only_when_there_is_an_entry(
    live: FakePagerDuty, data_dir: Path
) -> None:
    """A roster member's finding names roster.yaml and a line; someone with no entry names neither."""
    secondary_without_phone(live, data_dir)
    live.account.contact_types["PALICE1"] = ["email_contact_method"]
    _, findings = check(live, data_dir)
    phone = {f["user"]: f for f in findings if f["code"] == "no-phone-contact"}
    secondary = live.account.users[secondary_now(live)]["name"]
    assert set(phone) == {"Alice Chen", secondary}
    assert phone["Alice Chen"]["source"].endswith("roster.yaml")
    assert phone["Alice Chen"]["line"] > 0
    assert "source" not in phone[secondary]
    assert "line" not in phone[secondary]
