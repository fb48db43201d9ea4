"""The PagerDuty client side against the fake over TLS: paging, filters, retries, deadlines, errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from oncall_docs.errors import ConfigError, FetchError
from oncall_docs.oncall.source import SnapshotFetcher
from oncall_docs.pagerduty_api.client import PagerDutySettings, RetryPolicy
from tests.fakes.loopback import serving
from tests.fakes.pagerduty import FakePagerDuty, Fault
from tests.fakes.pagerduty_account import bitcell_account
from tests.fakes.pd_fixtures import NOW, TOKEN
from tests.fakes.proxy import TunnelProxy

FAST = RetryPolicy(attempts=4, base_delay=1.0, timeout=5.0, deadline=30.0)


def fetcher(
    server: FakePagerDuty, waits: list[float], token: str = TOKEN, policy: RetryPolicy = FAST
) -> SnapshotFetcher:
    """A fetcher for the fake whose back-off waits are recorded instead of slept."""
    return SnapshotFetcher(
        token, PagerDutySettings(server.url, "PBCPOL1"), policy=policy, sleep=waits.append
    )


def test_fetch_reads_levels_and_shifts(fake_pd: FakePagerDuty) -> None:
    """One fetch gives three levels, the two leaders always on call, and 8 weeks of shifts."""
    snap = fetcher(fake_pd, [])(NOW)
    assert [lv.level for lv in snap.levels] == [1, 2, 3]
    assert [o.user.name for o in snap.levels[2].oncall] == ["Marcus Bell", "Priya Raman"]
    assert all(
        o.start is None and o.end is None and o.schedule is None for o in snap.levels[2].oncall
    )
    assert snap.levels[0].oncall[0].user.name == "Chidi Okafor"
    assert {s.level for s in snap.shifts} == {1, 2}
    assert sum(s.override for s in snap.shifts) == 1


def test_requests_carry_auth_version_and_filters(fake_pd: FakePagerDuty) -> None:
    """Token header, versioned Accept, the policy filter, include[]=users, an 8-week schedule window."""
    fetcher(fake_pd, [])(NOW)
    seen = {s.path: s for s in fake_pd.seen}
    oncalls = seen["/oncalls"]
    assert oncalls.headers["Authorization"] == f"Token token={TOKEN}"
    assert oncalls.headers["Accept"] == "application/vnd.pagerduty+json;version=2"
    assert oncalls.query["escalation_policy_ids[]"] == ["PBCPOL1"]
    assert oncalls.query["include[]"] == ["users"]
    sched = seen["/schedules/PPRIMRY"].query
    assert (sched["since"], sched["until"]) == (["2026-11-25T15:00:00Z"], ["2027-01-20T15:00:00Z"])


def test_paging_reads_to_the_end(fake_pd: FakePagerDuty) -> None:
    """150 always-on-call leaders: /oncalls is read in pages of 100 until `more` is false."""
    account = bitcell_account(NOW, extra_users=150)
    account.rules[2] = [("user", uid) for uid in account.users if uid.startswith("PX")]
    fake_pd.reset(account)
    snap = fetcher(fake_pd, [])(NOW)
    offsets = [s.query["offset"] for s in fake_pd.seen if s.path == "/oncalls"]
    assert offsets == [["0"], ["100"]]
    assert len(snap.levels[2].oncall) == 150


@pytest.mark.parametrize("users", [0, 300], ids=["small-account", "300-users"])
def test_request_count_does_not_grow_with_users(fake_pd: FakePagerDuty, users: int) -> None:
    """1 policy + 1 /oncalls page + 2 schedules, however many users the account has."""
    fake_pd.reset(bitcell_account(NOW, extra_users=users))
    fx = fetcher(fake_pd, [])
    fx(NOW)
    assert fx.request_count == 4


@pytest.mark.parametrize(
    ("headers", "waits"),
    [
        pytest.param({"ratelimit-reset": "7"}, [7.0, 7.0], id="ratelimit-reset"),
        pytest.param({"Retry-After": "3"}, [3.0, 3.0], id="retry-after"),
        pytest.param({}, [1.0, 2.0], id="no-headers-exponential"),
    ],
)
def test_429_waits_as_told_then_succeeds(
    fake_pd: FakePagerDuty, headers: dict[str, str], waits: list[float]
) -> None:
    """Two 429s, then success: waits follow ratelimit-reset, Retry-After, or 1 s, 2 s, ..."""
    fake_pd.faults.append(Fault("/oncalls", 429, headers=headers, times=2))
    recorded: list[float] = []
    fetcher(fake_pd, recorded)(NOW)
    assert recorded == waits


@pytest.mark.parametrize(
    ("fault", "status"),
    [
        pytest.param(Fault("/oncalls", 429, times=99), 429, id="429-beyond-retries"),
        pytest.param(Fault("/oncalls", 503, times=99), 503, id="5xx"),
        pytest.param(Fault("/oncalls", mode="drop", times=99), None, id="dropped-connection"),
    ],
)
def test_retries_are_bounded(fake_pd: FakePagerDuty, fault: Fault, status: int | None) -> None:
    """A failure that persists is tried 4 times, then one FetchError names endpoint and status."""
    fake_pd.faults.append(fault)
    with pytest.raises(FetchError) as caught:
        fetcher(fake_pd, [])(NOW)
    assert caught.value.endpoint == "GET /oncalls"
    assert caught.value.status == status
    assert sum(s.path == "/oncalls" for s in fake_pd.seen) == 4


@pytest.mark.parametrize(
    "fault",
    [
        pytest.param(Fault("/schedules", 500, times=1), id="500-once"),
        pytest.param(Fault("/oncalls", mode="drop", times=1), id="drop-once"),
    ],
)
def test_transient_failure_is_retried(fake_pd: FakePagerDuty, fault: Fault) -> None:
    """One 500 or one dropped connection costs a retry, not the snapshot."""
    fake_pd.faults.append(fault)
    snap = fetcher(fake_pd, [])(NOW)
    assert len(snap.levels) == 3


def test_slow_response_times_out_within_deadline(fake_pd: FakePagerDuty) -> None:
    """A stalled /oncalls hits the per-call timeout; the overall deadline stops the retries."""
    fake_pd.faults.append(Fault("/oncalls", mode="stall", times=99))
    policy = RetryPolicy(attempts=10, base_delay=0.01, timeout=0.3, deadline=0.8)
    with pytest.raises(FetchError, match=r"GET /oncalls: no response") as caught:
        fetcher(fake_pd, [], policy=policy)(NOW)
    assert "deadline" in str(caught.value) or "ReadTimeout" in str(caught.value)
    assert sum(s.path == "/oncalls" for s in fake_pd.seen) < 10


def test_malformed_json_is_a_fetch_error(fake_pd: FakePagerDuty) -> None:
    """A 200 with a broken body names the endpoint; it is not retried as if it were fine."""
    fake_pd.faults.append(Fault("/oncalls", mode="malformed"))
    with pytest.raises(FetchError, match=r"GET /oncalls: HTTP 200: malformed response body"):
        fetcher(fake_pd, [])(NOW)


def test_bad_token_is_401_without_the_token(fake_pd: FakePagerDuty) -> None:
    """A wrong token: FetchError 401 on the first call, with neither token in the message."""
    wrong = "wrong-token-abcdef123456"
    with pytest.raises(FetchError) as caught:
        fetcher(fake_pd, [], token=wrong)(NOW)
    assert caught.value.status == 401
    assert wrong not in str(caught.value)
    assert wrong[-4:] not in str(caught.value)
    assert len(fake_pd.seen) == 1


def test_fetcher_repr_masks_the_token(fake_pd: FakePagerDuty) -> None:
    """repr() of the fetcher never shows the token."""
    assert TOKEN not in repr(fetcher(fake_pd, []))


@pytest.mark.parametrize(
    ("url", "policy_id", "match"),
    [
        pytest.param("http://127.0.0.1:1", "PBCPOL1", "must start with https://", id="http-url"),
        pytest.param(
            "https://api.pagerduty.com", "", "PAGERDUTY_ESCALATION_POLICY_ID", id="no-policy"
        ),
    ],
)
def test_settings_are_checked_before_any_request(url: str, policy_id: str, match: str) -> None:
    """A plain-http URL or a missing policy id is a ConfigError naming the setting, before any request."""
    with pytest.raises(ConfigError, match=match):
        SnapshotFetcher(TOKEN, PagerDutySettings(url, policy_id))(NOW)


@pytest.fixture
def tunnel_proxy() -> Iterator[TunnelProxy]:
    """A CONNECT proxy on 127.0.0.1, like a corporate one."""
    proxy = TunnelProxy()
    with serving(proxy):
        yield proxy
    proxy.server_close()


def test_https_proxy_is_honoured(
    fake_pd: FakePagerDuty, tunnel_proxy: TunnelProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With HTTPS_PROXY set, every request is tunnelled through the proxy."""
    monkeypatch.setenv("HTTPS_PROXY", tunnel_proxy.url)
    fetcher(fake_pd, [])(NOW)
    port = fake_pd.server_address[1]
    assert tunnel_proxy.connects
    assert set(tunnel_proxy.connects) == {f"127.0.0.1:{port}"}


@pytest.mark.parametrize(
    ("variable", "works"),
    [
        pytest.param("SSL_CERT_FILE", True, id="ssl-cert-file"),
        pytest.param("REQUESTS_CA_BUNDLE", True, id="requests-ca-bundle"),
        pytest.param(None, False, id="no-custom-ca"),
    ],
)
def test_custom_ca_bundle(
    fake_pd: FakePagerDuty,
    pd_ca: tuple[Any, Path],
    monkeypatch: pytest.MonkeyPatch,
    variable: str | None,
    works: bool,
) -> None:
    """The fake's private CA is trusted through SSL_CERT_FILE or REQUESTS_CA_BUNDLE, and only then."""
    monkeypatch.delenv("SSL_CERT_FILE")
    if variable:
        monkeypatch.setenv(variable, str(pd_ca[1]))
    if works:
        assert len(fetcher(fake_pd, [])(NOW).levels) == 3
    else:
        with pytest.raises(FetchError, match="ConnectError"):
            fetcher(fake_pd, [])(NOW)


def test_unexpected_content_is_a_fetch_error(fake_pd: FakePagerDuty) -> None:
    """Valid JSON with an unreadable time is a FetchError (so the build falls back), not a traceback."""
    entry = {
        "user": {"id": "PALICE1", "type": "user_reference"},
        "start": "not a time",
        "end": "never",
    }
    body = {
        "schedule": {
            "id": "PPRIMRY",
            "type": "schedule",
            "final_schedule": {"rendered_schedule_entries": [entry]},
        }
    }
    fake_pd.faults.append(Fault("/schedules/PPRIMRY", mode="body", body=body))
    with pytest.raises(FetchError, match="unexpected response content"):
        fetcher(fake_pd, [])(NOW)
