"""The one PagerDuty client against hostile answers: size cap on decoded bodies, deadline over body reads."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from oncall_docs.errors import ConfigError, FetchError
from oncall_docs.oncall.source import SnapshotFetcher
from oncall_docs.pagerduty_api.client import (
    MAX_RESPONSE_BYTES,
    OncallClient,
    PagerDutySettings,
    RetryPolicy,
)
from oncall_docs.pagerduty_api.oncalls import fetch_oncalls
from tests.fakes.pagerduty import FakePagerDuty, Fault
from tests.fakes.pagerduty_account import bitcell_account
from tests.fakes.pd_fixtures import NOW, TOKEN

LIMITS = RetryPolicy(attempts=1, base_delay=0, timeout=1.5, deadline=2.5)


@pytest.mark.parametrize(
    ("mode", "policy", "message"),
    [
        pytest.param(
            "slow_body",
            LIMITS,
            "deadline of 2.5 s passed while reading the body",
            id="one-byte-a-second",
        ),
        pytest.param(
            "endless", replace(LIMITS, deadline=30), "larger than the cap", id="endless-body"
        ),
        pytest.param(
            "gzip_bomb", replace(LIMITS, deadline=30), "larger than the cap", id="3-MB-gzip-bomb"
        ),
    ],
)
def test_hostile_body_is_one_fetch_error_within_the_deadline(
    fake_pd: FakePagerDuty, mode: str, policy: RetryPolicy, message: str
) -> None:
    """A trickling, endless or exploding /oncalls body stops at the deadline or the cap, naming the endpoint."""
    fake_pd.faults.append(Fault("/oncalls", mode=mode))
    fetcher = SnapshotFetcher(
        TOKEN, PagerDutySettings(fake_pd.url, "PBCPOL1"), policy=policy, sleep=lambda _s: None
    )
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"^GET /oncalls: HTTP 200: ") as caught:
        fetcher(NOW)
    elapsed = time.monotonic() - started
    assert message in str(caught.value)
    assert elapsed < policy.deadline + policy.timeout  # at most one read past the deadline


@pytest.mark.parametrize(
    ("cap", "fails"),
    [
        pytest.param(MAX_RESPONSE_BYTES, False, id="default-10-MiB"),
        pytest.param(2_000, True, id="lowered-to-2-kB"),
    ],
)
def test_cap_is_a_setting(fake_pd: FakePagerDuty, cap: int, fails: bool) -> None:
    """A page of 150 on-call entries (about 100 kB) passes the default cap and fails a 2 kB one."""
    account = bitcell_account(NOW, extra_users=150)
    account.rules[2] = [("user", uid) for uid in account.users if uid.startswith("PX")]
    fake_pd.reset(account)
    policy = replace(LIMITS, deadline=30, max_response_bytes=cap)
    with OncallClient(TOKEN, fake_pd.url, policy) as client:
        if fails:
            with pytest.raises(FetchError, match=r"larger than the cap of 2,000 bytes"):
                fetch_oncalls(client, "PBCPOL1")
        else:
            assert len(fetch_oncalls(client, "PBCPOL1")) == 152


def test_https_is_checked_by_the_client_itself() -> None:
    """Every caller gets the https-only check: the client refuses a plain-http URL before any request."""
    with pytest.raises(ConfigError, match="must start with https://"):
        OncallClient(TOKEN, "http://127.0.0.1:1")


def test_client_closes_once_and_masks_its_token(fake_pd: FakePagerDuty) -> None:
    """close() twice is harmless, and repr() never shows the token."""
    client = OncallClient(TOKEN, fake_pd.url)
    with client:
        assert TOKEN not in repr(client)
    client.close()
