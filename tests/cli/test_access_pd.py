"""`oncall-docs check access` against the fake PagerDuty: pager setup, paging, overrides, e-mail matching."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from oncall_docs.cli import cli
from tests.fakes.pagerduty import FakePagerDuty, Fault
from tests.fakes.pagerduty_account import FakeAccount, bitcell_account, monday_0900
from tests.fakes.pd_fixtures import TOKEN

ZOE = "PZOE009"


def live_account(**kw: Any) -> FakeAccount:
    """The BitCell account around the real now (the CLI asks for the schedule from now on)."""
    return bitcell_account(datetime.now(timezone.utc), **kw)


def run(fake: FakePagerDuty, data_dir: Path, *args: str, token: str = TOKEN) -> tuple[int, str]:
    """Invoke the check with a token: the schedule and the users come from the fake."""
    env = {
        "PAGERDUTY_API_TOKEN": token,
        "PAGERDUTY_API_URL": fake.url,
        "PAGERDUTY_ESCALATION_POLICY_ID": "PBCPOL1",
    }
    result = CliRunner().invoke(
        cli, ["check", "access", "--data-dir", str(data_dir), "--format", "json", *args], env=env
    )
    return result.exit_code, result.output


def codes(output: str) -> list[tuple[str, str]]:
    """(code, user) of every finding."""
    return sorted((f["code"], f["user"]) for f in json.loads(output)["findings"])


@pytest.fixture
def live(fake_pd: FakePagerDuty) -> FakePagerDuty:
    """The fake serving an account built around the real clock."""
    fake_pd.reset(live_account())
    fake_pd.clock = None
    return fake_pd


def test_clean_account(live: FakePagerDuty, data_dir: Path) -> None:
    """Everyone has a phone, SMS and high-urgency rules, and the roster has every grant: exit 0."""
    code, out = run(live, data_dir)
    assert code == 0, out
    assert codes(out) == []


def test_pager_setup_codes(live: FakePagerDuty, data_dir: Path) -> None:
    """E-mail only -> no-phone-contact; low-urgency rules only -> no-high-urgency-rule."""
    live.account.contact_types["PALICE1"] = [
        "email_contact_method",
        "push_notification_contact_method",
    ]
    live.account.rule_urgencies["PBRUNO2"] = ["low"]
    code, out = run(live, data_dir, "--weeks", "8")
    assert code == 1
    assert codes(out) == [
        ("no-high-urgency-rule", "Bruno Keller"),
        ("no-phone-contact", "Alice Chen"),
    ]


def test_sms_counts_as_a_phone(live: FakePagerDuty, data_dir: Path) -> None:
    """An SMS method alone is enough to be paged."""
    live.account.contact_types["PALICE1"] = ["sms_contact_method"]
    code, out = run(live, data_dir, "--weeks", "8")
    assert code == 0, out


def test_high_urgency_is_asked_for_explicitly(live: FakePagerDuty, data_dir: Path) -> None:
    """The notification rules are requested with urgency=high (the API's default, said out loud)."""
    run(live, data_dir)
    asked = [s.query for s in live.seen if s.path.endswith("/notification_rules")]
    assert asked
    assert all(q.get("urgency") == ["high"] for q in asked)


def test_users_are_paged_and_requests_do_not_grow_with_the_account(
    fake_pd: FakePagerDuty, data_dir: Path
) -> None:
    """250 users: /users is read in pages of 100; per-user calls are only for the people scheduled."""
    fake_pd.reset(live_account(extra_users=250))
    fake_pd.clock = None
    code, out = run(fake_pd, data_dir)
    assert code == 0, out
    offsets = sorted(
        int(s.query.get("offset", ["0"])[0]) for s in fake_pd.seen if s.path == "/users"
    )
    assert offsets == [0, 100, 200]
    per_user = {
        s.path.split("/")[2]
        for s in fake_pd.seen
        if s.path.count("/") == 3 and s.path.startswith("/users/")
    }
    assert per_user
    assert all(not uid.startswith("PX") for uid in per_user)


def add_override_only_user(fake: FakePagerDuty) -> None:
    """Zoe is on no rotation; she covers one primary week through an override (a swap)."""
    acc = fake.account
    acc.users[ZOE] = {"name": "Zoe Park", "email": "zoe.park@bitcell.example", "time_zone": "UTC"}
    start = monday_0900(datetime.now(timezone.utc), weeks_back=-1)
    acc.schedules["PPRIMRY"].override(ZOE, start, start + timedelta(weeks=1))


def test_override_only_user_not_in_roster(live: FakePagerDuty, data_dir: Path) -> None:
    """Someone scheduled only through an override is still checked: not-in-roster."""
    add_override_only_user(live)
    code, out = run(live, data_dir)
    assert code == 1
    assert codes(out) == [("not-in-roster", "Zoe Park")]


def test_roster_entry_matched_by_email(live: FakePagerDuty, data_dir: Path) -> None:
    """A roster entry without a PagerDuty id is matched through the login e-mail; her grants count."""
    add_override_only_user(live)
    roster = data_dir / "roster.yaml"
    roster.write_text(
        roster.read_text()
        + (
            "  - id: zoe-park\n    name: Zoe Park\n    email: Zoe.Park@bitcell.example\n    time_zone: UTC\n"
            "    grants:\n      - {system: pagerduty}\n      - {system: slack}\n"
        )
    )
    code, out = run(live, data_dir)
    assert code == 1
    found = {(f["code"], f["user"], f.get("system")) for f in json.loads(out)["findings"]}
    assert ("missing-access", "Zoe Park", "vpn") in found
    assert not any(c == "not-in-roster" for c, _, _ in found)


def test_grant_expiring_mid_shift(live: FakePagerDuty, data_dir: Path) -> None:
    """A grant that ends before a scheduled shift ends is reported with both dates."""
    roster = data_dir / "roster.yaml"
    text = roster.read_text()
    tomorrow = (datetime.now(timezone.utc) + timedelta(days=1)).date().isoformat()
    head, tail = text.split("  - id: bruno-keller", 1)
    tail = tail.replace("{system: vpn}", f"{{system: vpn, expires: {tomorrow}}}", 1)
    roster.write_text(head + "  - id: bruno-keller" + tail)
    code, out = run(live, data_dir, "--weeks", "8")
    assert code == 1
    (finding,) = json.loads(out)["findings"]
    assert (finding["code"], finding["user"], finding["system"]) == (
        "expires-during-shift",
        "Bruno Keller",
        "vpn",
    )
    assert tomorrow in finding["message"]


def test_no_contact_details_in_any_format(live: FakePagerDuty, data_dir: Path) -> None:
    """The report says whether methods exist, never their numbers or addresses, nor the token."""
    live.account.contact_types["PALICE1"] = ["email_contact_method"]
    for fmt in ("text", "json", "github", "junit"):
        _, out = run(live, data_dir, "--weeks", "8", "--format", fmt)
        assert "no-phone-contact" in out
        for secret in ("555", "@bitcell.example", TOKEN):
            assert secret not in out, (fmt, secret)


@pytest.mark.parametrize(
    ("token", "fault", "message"),
    [
        pytest.param(
            "wrong-token",
            None,
            "HTTP 401: PagerDuty refused the API token; set PAGERDUTY_API_TOKEN",
            id="401",
        ),
        pytest.param(
            TOKEN,
            Fault("/users", 403, times=99),
            "GET /users: HTTP 403: PagerDuty refused the API token",
            id="403-users",
        ),
    ],
)
def test_refusals_exit_2_naming_the_variable(
    live: FakePagerDuty, data_dir: Path, token: str, fault: Fault | None, message: str
) -> None:
    """401/403 is one line naming PAGERDUTY_API_TOKEN, exit 2, no traceback."""
    if fault:
        live.faults.append(fault)
    code, out = run(live, data_dir, token=token)
    assert code == 2
    assert message in out
    assert "Traceback" not in out
    assert TOKEN not in out
