"""Incidents for the handoff draft from the fake PagerDuty: paging, window edges, faults, cache, offline."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from oncall_docs.errors import ConfigError, FetchError
from oncall_docs.handoff.source import CACHE_NAME, IncidentsFetcher, NoIncidents, load_incidents
from oncall_docs.handoff.window import HandoffWindow
from oncall_docs.pagerduty_api.client import PagerDutySettings, RetryPolicy
from oncall_docs.sources import SourceOptions
from tests.conftest import HANDBOOK_DATA
from tests.fakes.pagerduty import FakePagerDuty, Fault
from tests.fakes.pagerduty_account import incident
from tests.fakes.pd_fixtures import NOW, TOKEN

SINCE = NOW - timedelta(days=2, hours=1)  # Monday 09:00 New York
WINDOW = HandoffWindow(SINCE, SINCE + timedelta(weeks=1))
QUICK = RetryPolicy(attempts=2, base_delay=0, timeout=2, deadline=10)


def fetch(
    fake: FakePagerDuty, policy: RetryPolicy = QUICK
) -> tuple[list[dict[str, Any]], IncidentsFetcher]:
    """All incidents for WINDOW, and the fetcher (for its request count)."""
    fetcher = IncidentsFetcher(
        TOKEN, PagerDutySettings(api_url=fake.url), policy=policy, sleep=lambda _s: None
    )
    return fetcher(WINDOW), fetcher


@pytest.fixture
def live(fake_pd: FakePagerDuty, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SourceOptions:
    """Options that reach the fake with a token (offline file and cache in tmp)."""
    monkeypatch.setenv("PAGERDUTY_API_TOKEN", TOKEN)
    monkeypatch.setenv("PAGERDUTY_API_URL", fake_pd.url)
    return SourceOptions(
        offline=HANDBOOK_DATA / "offline-incidents.json",
        cache_dir=tmp_path / "cache",
        ttl_seconds=900,
        retry=QUICK,
    )


def test_every_page_is_read(fake_pd: FakePagerDuty) -> None:
    """250 incidents in the window: three pages of 100 for the window query, one for the open ones."""
    fake_pd.account.incidents = [
        incident(n, f"i{n}", SINCE + timedelta(minutes=n), SINCE + timedelta(minutes=n + 5))
        for n in range(250)
    ]
    found, fetcher = fetch(fake_pd)
    assert len({i["id"] for i in found}) == 250
    offsets = [s.query.get("offset", ["0"])[0] for s in fake_pd.seen if s.path == "/incidents"]
    assert offsets == ["0", "100", "200", "0"]
    assert fetcher.request_count == 4


def test_window_query_reaches_back_and_open_ones_come_from_anytime(fake_pd: FakePagerDuty) -> None:
    """Started 3 days before the window: found; open since last month: found through statuses[]."""
    fake_pd.account.incidents = [
        incident(1, "spans the start", SINCE - timedelta(days=3), SINCE + timedelta(hours=1)),
        incident(2, "open for a month", SINCE - timedelta(days=30), status="acknowledged"),
        incident(3, "long gone", SINCE - timedelta(days=30), SINCE - timedelta(days=29)),
    ]
    found, _ = fetch(fake_pd)
    assert sorted({i["incident_number"] for i in found}) == [1, 2]
    first, second = (s.query for s in fake_pd.seen if s.path == "/incidents")
    assert first["until"] == [WINDOW.until.strftime("%Y-%m-%dT%H:%M:%SZ")]
    assert second["statuses[]"] == ["triggered", "acknowledged"]
    assert second["date_range"] == ["all"]


@pytest.mark.parametrize(
    "fault",
    [
        pytest.param(Fault("/incidents", 500, headers={"ratelimit-reset": "0"}, times=9), id="500"),
        pytest.param(
            Fault("/incidents", 429, headers={"ratelimit-reset": "0"}, times=9), id="rate-limited"
        ),
        pytest.param(Fault("/incidents", mode="malformed"), id="malformed"),
        pytest.param(
            Fault(
                "/incidents", mode="body", body={"incidents": [{"title": "no id"}], "more": False}
            ),
            id="no-id",
        ),
    ],
)
def test_fetch_failures_name_the_endpoint(fake_pd: FakePagerDuty, fault: Fault) -> None:
    """Any failure is one FetchError naming GET /incidents, never the token."""
    fake_pd.faults.append(fault)
    with pytest.raises(FetchError, match=r"^GET /incidents: ") as caught:
        fetch(fake_pd)
    assert TOKEN not in str(caught.value)


def test_slow_incidents_give_up_at_the_deadline(fake_pd: FakePagerDuty) -> None:
    """A stalled response ends at the per-call timeout, within the deadline."""
    fake_pd.faults.append(Fault("/incidents", mode="stall", times=9))
    with pytest.raises(FetchError, match="GET /incidents"):
        fetch(fake_pd, RetryPolicy(attempts=1, timeout=0.5, deadline=2))


def test_no_token_reads_the_offline_week(fake_pd: FakePagerDuty, tmp_path: Path) -> None:
    """Without a token nothing is asked of PagerDuty and the data says it is offline."""
    options = SourceOptions(offline=HANDBOOK_DATA / "offline-incidents.json", cache_dir=tmp_path)
    data = load_incidents(options, WINDOW, NOW)
    assert data.source == "offline"
    assert data.incidents
    assert fake_pd.seen == []
    assert data.note(NOW).startswith("offline data:")


def test_fetch_then_cache_then_stale_fallback(fake_pd: FakePagerDuty, live: SourceOptions) -> None:
    """Fresh fetch writes the cache; within the TTL no request; an outage shows the last good data and its age."""
    fake_pd.account.incidents = [
        incident(7, "Acme outage", SINCE + timedelta(hours=2), SINCE + timedelta(hours=3))
    ]
    first = load_incidents(live, WINDOW, NOW)
    assert first.source == "pagerduty"
    assert [i.number for i in first.incidents] == [7]
    cached = (live.cache_dir / CACHE_NAME).read_text(encoding="utf-8")
    assert TOKEN not in cached
    assert "assignments" not in cached
    asked = len(fake_pd.seen)
    assert load_incidents(live, WINDOW, NOW + timedelta(minutes=5)).source == "cache"
    assert len(fake_pd.seen) == asked
    fake_pd.faults.append(Fault("/incidents", 503, headers={"ratelimit-reset": "0"}, times=9))
    stale = load_incidents(live, WINDOW, NOW + timedelta(hours=2))
    assert stale.source == "cache"
    assert stale.error
    assert "GET /incidents: HTTP 503" in stale.error
    assert "last good draft made 2026-11-25T15:00:00Z (2 h 0 min ago)" in stale.note(
        NOW + timedelta(hours=2)
    )


def test_outage_without_cache_is_no_draft(fake_pd: FakePagerDuty, live: SourceOptions) -> None:
    """No earlier good data: NoIncidents with one line, for the page to show instead of counts."""
    fake_pd.faults.append(Fault("/incidents", 500, headers={"ratelimit-reset": "0"}, times=9))
    with pytest.raises(
        NoIncidents, match=r"could not fetch incidents from PagerDuty .*no earlier draft"
    ):
        load_incidents(live, WINDOW, NOW)


def test_refused_token_is_a_setting_to_fix(
    fake_pd: FakePagerDuty, live: SourceOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """401 names the variable to fix instead of falling back."""
    monkeypatch.setenv("PAGERDUTY_API_TOKEN", "wrong")
    with pytest.raises(ConfigError, match=r"HTTP 401.*PAGERDUTY_API_TOKEN"):
        load_incidents(live, WINDOW, NOW)


def test_offline_file_is_trimmed() -> None:
    """The checked-in offline week holds only the fields the draft reads."""
    body = json.loads((HANDBOOK_DATA / "offline-incidents.json").read_text(encoding="utf-8"))
    keys = {k for item in body["incidents"] for k in item}
    assert keys <= {
        "id",
        "incident_number",
        "title",
        "status",
        "html_url",
        "urgency",
        "created_at",
        "resolved_at",
        "service",
        "priority",
    }
