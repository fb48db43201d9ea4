"""sources.resolve, the one policy for every outside source: fresh cache, live, stale cache, offline."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from oncall_docs.errors import ConfigError, FetchError
from oncall_docs.sources import Cached, Resolved, Unreadable, resolve
from tests.fakes.pd_fixtures import NOW

TTL = timedelta(minutes=15)
OUTAGE = FetchError("GET /things", 503, "Service Unavailable")


class Store:
    """A store in memory that can also be damaged."""

    def __init__(self, kept: Cached[str] | None = None, damaged: bool = False) -> None:
        """Start with `kept`, or damaged."""
        self.kept, self.damaged, self.writes = kept, damaged, 0

    def read(self) -> Cached[str] | None:
        """What was kept; Unreadable when damaged."""
        if self.damaged:
            raise Unreadable("things.json: unreadable cache (not UTF-8 text)")
        return self.kept

    def write(self, value: str, captured_at: datetime) -> None:
        """Keep it."""
        self.kept, self.writes = Cached(value, captured_at), self.writes + 1


def run(
    store: Store,
    fetched: str | Exception | None,
    *,
    fresh: bool = True,
    offline_on_failure: bool = True,
) -> Resolved[str]:
    """Resolve with `fetched` as the live answer (None: no token)."""

    def fetch() -> str:
        if isinstance(fetched, Exception):
            raise fetched
        return str(fetched)

    return resolve(
        None if fetched is None else fetch,
        store,
        lambda: Cached("offline", NOW - timedelta(days=3)),
        ttl=TTL,
        now=NOW,
        fresh=lambda _value: fresh,
        offline_on_failure=offline_on_failure,
    )


def kept(age: timedelta) -> Cached[str]:
    """A cached value captured `age` ago."""
    return Cached("cached", NOW - age)


@pytest.mark.parametrize(
    ("store", "fetched", "fresh", "expected", "writes"),
    [
        pytest.param(
            Store(kept(timedelta(0))), None, True, ("offline", "offline", False), 0, id="no-token"
        ),
        pytest.param(
            Store(kept(timedelta(minutes=5))),
            "live",
            True,
            ("cached", "cache", False),
            0,
            id="fresh-cache",
        ),
        pytest.param(
            Store(kept(timedelta(minutes=5))),
            "live",
            False,
            ("live", "live", False),
            1,
            id="cache-for-another-window",
        ),
        pytest.param(
            Store(kept(timedelta(minutes=20))),
            "live",
            True,
            ("live", "live", False),
            1,
            id="expired-cache",
        ),
        pytest.param(
            Store(kept(-timedelta(minutes=5))),
            "live",
            True,
            ("live", "live", False),
            1,
            id="cache-from-the-future",
        ),
        pytest.param(
            Store(kept(timedelta(hours=2))),
            OUTAGE,
            True,
            ("cached", "cache", True),
            0,
            id="outage-stale-cache",
        ),
        pytest.param(Store(), OUTAGE, True, ("offline", "offline", True), 0, id="outage-no-cache"),
        pytest.param(
            Store(damaged=True),
            "live",
            True,
            ("live", "live", False),
            1,
            id="damaged-cache-fetches",
        ),
        pytest.param(
            Store(damaged=True),
            OUTAGE,
            True,
            ("offline", "offline", True),
            0,
            id="damaged-cache-outage",
        ),
    ],
)
def test_policy(
    store: Store,
    fetched: str | Exception | None,
    fresh: bool,
    expected: tuple[str, str, bool],
    writes: int,
) -> None:
    """Each case picks the value the policy says, and only a successful fetch writes the store."""
    result = run(store, fetched, fresh=fresh)
    assert (result.value, result.source, result.stale) == expected
    assert store.writes == writes
    assert (result.error is not None) == result.stale
    assert len(result.warnings) == store.damaged


def test_failed_fetch_never_overwrites_the_cache() -> None:
    """After an outage the store still holds the last good value, unchanged."""
    store = Store(kept(timedelta(hours=2)))
    run(store, OUTAGE)
    assert store.kept == kept(timedelta(hours=2))


def test_without_offline_fallback_the_fetch_error_is_raised() -> None:
    """A feature with no offline fallback after a failure (live incidents) gets the FetchError to report."""
    with pytest.raises(FetchError, match="GET /things: HTTP 503"):
        run(Store(), OUTAGE, offline_on_failure=False)


@pytest.mark.parametrize(
    ("error", "names"),
    [
        pytest.param(
            FetchError("GET /oncalls", 401, "Authentication failed"),
            "PAGERDUTY_API_TOKEN",
            id="401",
        ),
        pytest.param(
            FetchError("GET /oncalls", 403, "Access Denied"), "PAGERDUTY_API_TOKEN", id="403"
        ),
        pytest.param(
            FetchError("GET /escalation_policies/P1", 404, "Not Found"),
            "PAGERDUTY_ESCALATION_POLICY_ID",
            id="unknown-policy",
        ),
    ],
)
def test_refusal_raises_even_with_a_cache(error: FetchError, names: str) -> None:
    """A refused token is a setting to fix, not an outage to paper over with the cache."""
    with pytest.raises(ConfigError, match=names):
        run(Store(kept(timedelta(hours=2))), error)
