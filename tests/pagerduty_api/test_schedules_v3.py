"""Shift-based (v3) schedules against the fake PagerDuty: requests, fallback, spec, a real build."""

from __future__ import annotations

import json
import ssl
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openapi_schema_validator import OAS30Validator

from oncall_docs.cli import cli
from oncall_docs.oncall.model import Snapshot, oncall_at, to_json
from oncall_docs.oncall.parse import from_json
from oncall_docs.oncall.source import SnapshotFetcher
from oncall_docs.pagerduty_api.client import PagerDutySettings
from tests.conftest import SHARED, copy_project, run_mkdocs_build
from tests.fakes.pagerduty import ACCEPT, FakePagerDuty
from tests.fakes.pagerduty_account import FakeAccount, bitcell_account, monday_0900, upgrade
from tests.fakes.pd_fixtures import NOW, TOKEN, pd_env

UTC = timezone.utc
SPEC_PATH = SHARED / "pagerduty" / "openapi-oncall-subset-tolerant.json"


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    """The tolerant subset of PagerDuty's OpenAPI document (beside the checkout, never in it)."""
    if not SPEC_PATH.is_file():
        pytest.skip(f"{SPEC_PATH} is absent: the PagerDuty spec lives beside the checkout")
    return json.loads(SPEC_PATH.read_text(encoding="utf-8"))


def get(server: FakePagerDuty, ca_file: Path, path: str) -> tuple[int, Any]:
    """GET from the fake like a client would; returns status and decoded body."""
    headers = {"Authorization": f"Token token={TOKEN}", "Accept": ACCEPT}
    req = urllib.request.Request(server.url + path, headers=headers)  # noqa: S310  # https to 127.0.0.1
    ctx = ssl.create_default_context(cafile=str(ca_file))
    try:
        with urllib.request.urlopen(req, context=ctx, timeout=5) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def validate(spec: dict[str, Any], template: str, status: int, body: Any) -> None:
    """Validate `body` against the spec's response schema for GET `template` and `status`."""
    response = spec["paths"][template]["get"]["responses"].get(str(status))
    assert response is not None, f"the spec documents no {status} for GET {template}"
    if "$ref" in response:
        response = spec["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
    schema = {**response["content"]["application/json"]["schema"], "components": spec["components"]}
    OAS30Validator(schema).validate(body)


def fetch(
    server: FakePagerDuty, account: FakeAccount, now: datetime = NOW
) -> tuple[Snapshot, list[str]]:
    """One fetch from `account`; returns the snapshot and the paths asked, in order."""
    server.reset(account)
    server.clock = now
    fetcher = SnapshotFetcher(TOKEN, PagerDutySettings(server.url, "PBCPOL1"))
    snapshot = fetcher(now)
    assert fetcher.request_count == len(server.seen)
    return snapshot, [seen.path for seen in server.seen]


def names(snapshot: Snapshot, when: datetime, level: int) -> list[str]:
    """Who is on call on `level` at `when`."""
    (found,) = [lv for lv in oncall_at(snapshot, when) if lv.level == level]
    return sorted(o.user.name for o in found.oncall)


@pytest.mark.parametrize(
    ("upgraded", "paths"),
    [
        pytest.param(
            (),
            [
                "/escalation_policies/PBCPOL1",
                "/oncalls",
                "/schedules/PPRIMRY",
                "/schedules/PSECOND",
            ],
            id="layer-based-only",
        ),
        pytest.param(
            ("PPRIMRY",),
            [
                "/escalation_policies/PBCPOL1",
                "/oncalls",
                "/v3/schedules/PPRIMRY",
                "/schedules/PSECOND",
                "/oncalls",
            ],
            id="v3-primary-layer-secondary",
        ),
        pytest.param(
            ("PPRIMRY", "PSECOND"),
            [
                "/escalation_policies/PBCPOL1",
                "/oncalls",
                "/v3/schedules/PPRIMRY",
                "/v3/schedules/PSECOND",
                "/oncalls",
            ],
            id="v3-only",
        ),
    ],
)
def test_each_target_is_fetched_by_its_kind(
    fake_pd: FakePagerDuty, upgraded: tuple[str, ...], paths: list[str]
) -> None:
    """Each schedule through its own endpoint; v3 names by one /oncalls listing, never per shift."""
    snapshot, asked = fetch(fake_pd, upgrade(bitcell_account(NOW), *upgraded))
    assert asked == paths
    assert {s.level for s in snapshot.shifts} == {1, 2}
    assert not [s for s in snapshot.shifts if s.user.name == s.user.id]  # every name resolved
    assert names(snapshot, NOW, 1) == ["Chidi Okafor"]
    assert names(snapshot, NOW, 2) == ["Dana Whitfield"]
    assert names(snapshot, NOW, 3) == ["Marcus Bell", "Priya Raman"]
    v3_call = [s for s in fake_pd.seen if s.path.startswith("/v3/")]
    for seen in v3_call:
        assert seen.query["include[]"] == ["final_schedule"]
        assert (seen.query["since"], seen.query["until"]) == (
            ["2026-11-25T15:00:00Z"],
            ["2027-01-20T15:00:00Z"],
        )


def test_same_snapshot_after_the_upgrade(fake_pd: FakePagerDuty) -> None:
    """Upgrading both schedules changes nothing the site shows: same shifts, levels and swap."""
    before, _ = fetch(fake_pd, bitcell_account(NOW))
    after, _ = fetch(fake_pd, upgrade(bitcell_account(NOW), "PPRIMRY", "PSECOND"))
    assert after.shifts == before.shifts
    assert after.levels == before.levels
    assert [s.user.name for s in after.shifts if s.override] == ["Eitan Levi"]
    assert after.warnings == ()


@pytest.mark.parametrize("upgraded", [(), ("PPRIMRY", "PSECOND")], ids=["layer-based", "v3"])
def test_schedule_pages_are_kept_for_override_links(
    fake_pd: FakePagerDuty, upgraded: tuple[str, ...]
) -> None:
    """Each schedule keeps the `html_url` PagerDuty gave it, into oncall.json and back; people none."""
    snapshot, _ = fetch(fake_pd, upgrade(bitcell_account(NOW), *upgraded))
    pages = {s.schedule.id: s.schedule.url for s in snapshot.shifts}
    assert pages == {
        sid: f"https://bitcell.pagerduty.example/schedules/{sid}" for sid in ("PPRIMRY", "PSECOND")
    }
    scheduled = [o for lv in snapshot.levels for o in lv.oncall if o.schedule is not None]
    assert scheduled
    assert all(o.schedule.url == pages[o.schedule.id] for o in scheduled if o.schedule)
    people = [s.user for s in snapshot.shifts] + [snapshot.escalation_policy]
    assert {p.url for p in people} == {""}  # a user's page is not published
    published = json.loads(to_json(snapshot))
    assert (
        published["shifts"][0]["schedule"]["url"] == pages[published["shifts"][0]["schedule"]["id"]]
    )
    assert "url" not in published["shifts"][0]["user"]
    assert from_json(to_json(snapshot)) == snapshot


def test_v3_gap_is_a_hole_and_one_warning(fake_pd: FakePagerDuty) -> None:
    """An uncovered week: nobody on the level then, and one warning naming the schedule."""
    account = upgrade(bitcell_account(NOW), "PPRIMRY")
    primary = account.schedules["PPRIMRY"]
    gap_start = monday_0900(NOW, 0) + timedelta(weeks=2)
    primary.entries = [e for e in primary.entries if e[1] != gap_start]
    snapshot, _ = fetch(fake_pd, account)
    assert names(snapshot, gap_start + timedelta(days=1), 1) == []
    assert names(snapshot, gap_start + timedelta(days=1), 2) != []
    (warning,) = snapshot.warnings
    assert "BitCell Primary (PPRIMRY)" in warning
    assert "87.5%" in warning  # one week of eight


def test_two_people_at_once_on_a_v3_level(fake_pd: FakePagerDuty) -> None:
    """Overlapping assignments: both people are on call on the level at the same time."""
    account = upgrade(bitcell_account(NOW), "PPRIMRY")
    account.schedules["PPRIMRY"].entries.append(
        ("PFARAH6", NOW - timedelta(hours=1), NOW + timedelta(days=1))
    )
    snapshot, _ = fetch(fake_pd, account)
    assert names(snapshot, NOW, 1) == ["Chidi Okafor", "Farah Haddad"]
    assert names(snapshot, NOW + timedelta(days=2), 1) == ["Chidi Okafor"]


def test_override_on_a_v3_schedule_is_a_swap(fake_pd: FakePagerDuty) -> None:
    """The fake's override (Eitan covers week 4) comes back flagged from the v3 source type."""
    snapshot, _ = fetch(fake_pd, upgrade(bitcell_account(NOW), "PPRIMRY"))
    swaps = [s for s in snapshot.shifts if s.override]
    assert [(s.level, s.user.name) for s in swaps] == [(1, "Eitan Levi")]
    assert swaps[0].start == monday_0900(NOW) + timedelta(weeks=4)


@pytest.mark.parametrize(
    ("upgraded", "paths"),
    [
        pytest.param(
            (), ["/v3/schedules/PSECOND", "/schedules/PSECOND"], id="layer-based-after-400"
        ),
        pytest.param(("PSECOND",), ["/v3/schedules/PSECOND"], id="v3-at-once"),
    ],
)
def test_unknown_kind_asks_v3_first_then_layer_based_on_400(
    fake_pd: FakePagerDuty, upgraded: tuple[str, ...], paths: list[str]
) -> None:
    """A bare `schedule` target: GET /v3/schedules/{id}, and /schedules/{id} only after its 400."""
    account = upgrade(bitcell_account(NOW), *upgraded)
    account.rules[1] = [("schedule?", "PSECOND")]
    snapshot, asked = fetch(fake_pd, account)
    assert [p for p in asked if "PSECOND" in p] == paths
    assert names(snapshot, NOW, 2) == ["Dana Whitfield"]
    assert len([s for s in snapshot.shifts if s.level == 2]) >= 8


def test_v3_handoff_across_dst(fake_pd: FakePagerDuty) -> None:
    """Weekly 09:00 New York handoffs across the March change: 14:00Z before, 13:00Z after."""
    now = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
    snapshot, _ = fetch(fake_pd, upgrade(bitcell_account(now), "PPRIMRY"), now)
    primary = [s for s in snapshot.shifts if s.level == 1]
    ends = [s.end for s in primary[:2]]
    assert ends == [
        datetime(2027, 3, 15, 13, 0, tzinfo=UTC),
        datetime(2027, 3, 22, 13, 0, tzinfo=UTC),
    ]
    assert primary[0].start == datetime(2027, 3, 8, 14, 0, tzinfo=UTC)


def test_request_count_does_not_grow_with_the_account(fake_pd: FakePagerDuty) -> None:
    """Ten or three thousand other users: the same requests for a mixed policy."""
    counts = []
    for extra in (10, 3000):
        _, asked = fetch(fake_pd, upgrade(bitcell_account(NOW, extra_users=extra), "PPRIMRY"))
        counts.append(len(asked))
    assert counts == [5, 5]


@pytest.mark.parametrize(
    ("path", "template", "status"),
    [
        pytest.param(
            "/v3/schedules/PPRIMRY?since=2026-11-25T15:00:00Z&until=2027-01-20T15:00:00Z"
            "&include[]=final_schedule&time_zone=UTC&overflow=true",
            "/v3/schedules/{id}",
            200,
            id="v3-final-schedule",
        ),
        pytest.param("/v3/schedules/PPRIMRY", "/v3/schedules/{id}", 200, id="v3-plain"),
        pytest.param(
            "/v3/schedules/PPRIMRY/overrides?since=2026-11-25T15:00:00Z&until=2027-01-20T15:00:00Z",
            "/v3/schedules/{id}/overrides",
            200,
            id="v3-overrides",
        ),
        pytest.param("/v3/schedules", "/v3/schedules", 200, id="v3-list"),
        pytest.param("/escalation_policies/PBCPOL1", "/escalation_policies/{id}", 200, id="policy"),
        pytest.param(
            "/oncalls?escalation_policy_ids[]=PBCPOL1&include[]=users&time_zone=UTC",
            "/oncalls",
            200,
            id="oncalls-v3-reference",
        ),
        pytest.param(
            "/oncalls?escalation_policy_ids[]=PBCPOL1&since=2026-11-25T15:00:00Z"
            "&until=2027-01-20T15:00:00Z&earliest=true",
            "/oncalls",
            200,
            id="oncalls-earliest",
        ),
        pytest.param(
            "/v3/schedules/PSECOND", "/v3/schedules/{id}/overrides", 400, id="not-upgraded"
        ),
    ],
)
def test_fake_v3_bodies_follow_the_spec(
    spec: dict[str, Any],
    fake_pd: FakePagerDuty,
    pd_ca: tuple[Any, Path],
    path: str,
    template: str,
    status: int,
) -> None:
    """The fake's v3 answers (with a gap, an overlap and a swap) validate against the tolerant spec."""
    account = upgrade(bitcell_account(NOW), "PPRIMRY")
    primary = account.schedules["PPRIMRY"]
    primary.entries = [
        e for e in primary.entries if e[1] != monday_0900(NOW, 0) + timedelta(weeks=2)
    ]
    primary.entries.append(("PFARAH6", NOW, NOW + timedelta(days=1)))
    fake_pd.reset(account)
    got, body = get(fake_pd, pd_ca[1], path)
    assert got == status
    validate(spec, template, status, body)
    if "final_schedule" in path:
        members = {
            a["member"]["type"]
            for a in body["schedule"]["final_schedule"]["computed_shift_assignments"]
        }
        assert members == {"user_member", "empty_member"}
    if "overrides" in path:
        assert body["overrides"][0]["overriding_member"]["user_id"] == "PEITAN5"


@pytest.mark.integration
def test_mkdocs_build_with_a_v3_primary(
    tmp_path: Path,
    fake_pd: FakePagerDuty,
    pd_ca: tuple[Any, Path],
) -> None:
    """A real build: v3 primary with a gap now and two people next week, layer-based secondary."""
    now = datetime.now(UTC)
    account = upgrade(bitcell_account(now), "PPRIMRY")
    primary = account.schedules["PPRIMRY"]
    primary.entries = [e for e in primary.entries if not e[1] <= now < e[2]]
    week = monday_0900(now, 0) + timedelta(weeks=1)
    primary.entries.append(("PFARAH6", week + timedelta(days=1), week + timedelta(days=3)))
    fake_pd.reset(account)
    fake_pd.clock = None
    project = copy_project(tmp_path / "project")
    result = run_mkdocs_build(project, "--no-strict", env=pd_env(fake_pd, pd_ca[1]))
    assert result.returncode == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("WARNING")]
    assert any("BitCell Primary (PPRIMRY)" in w and "nobody is scheduled" in w for w in warnings)
    banner = result.page("severity/index.html")
    assert '<span data-oncall-level="1"><b>nobody scheduled</b></span>' in banner
    html = result.page("schedule/index.html")
    assert "Nobody is scheduled: a gap in the schedule" in html
    svg = html[html.index('<figure class="oncall-timeline">') :]
    assert 'data-kind="gap"' in svg
    assert 'data-kind="swap"' in svg
    assert 'height="16.0"' in svg  # two people at once share the lane
    data = json.loads((result.site / "oncall.json").read_text(encoding="utf-8"))
    assert data["source"] == "pagerduty"
    assert {s["user"]["name"] for s in data["shifts"] if s["level"] == 1} >= {
        "Farah Haddad",
        "Eitan Levi",
    }
    ics = (result.site / "oncall.ics").read_text(encoding="utf-8")
    assert ics.count("BEGIN:VEVENT") == len(data["shifts"])
    assert TOKEN not in result.output


def test_cli_snapshot_prints_the_coverage_warning(fake_pd: FakePagerDuty, tmp_path: Path) -> None:
    """`oncall-docs snapshot` from a v3 schedule with a gap: exit 0, one warning line naming it."""
    account = upgrade(bitcell_account(NOW), "PPRIMRY")
    primary = account.schedules["PPRIMRY"]
    primary.entries = [
        e for e in primary.entries if e[1] != monday_0900(NOW, 0) + timedelta(weeks=3)
    ]
    fake_pd.reset(account)
    env = {
        "PAGERDUTY_API_TOKEN": TOKEN,
        "PAGERDUTY_API_URL": fake_pd.url,
        "PAGERDUTY_ESCALATION_POLICY_ID": "PBCPOL1",
    }
    out = tmp_path / "oncall-snapshot.json"
    result = CliRunner().invoke(cli, ["snapshot", "--output", str(out)], env=env)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert "BitCell Primary (PPRIMRY)" in warnings[0]
    assert json.loads(out.read_text(encoding="utf-8"))["warnings"] == [
        warnings[0][len("warning: ") :]
    ]
