"""One design for every outside source (the on-call snapshot, the incidents, whatever comes next).

Fresh cache, else live, else the last good cache marked stale, else offline. The policy is
written once here; a feature supplies only what differs: its fetch, its store (where and how
the last good value is kept), its offline reader and, where the cache can hold the wrong
thing, a freshness predicate ("the cached window is this window"). Pure: no HTTP, no files
but through the injected store, `now` passed in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Generic, Literal, Protocol, TypeVar

from oncall_docs.errors import ConfigError, FetchError, OncallDocsError
from oncall_docs.pagerduty_api.client import RetryPolicy

T = TypeVar("T")
Source = Literal["live", "cache", "offline"]
PublicSource = Literal[
    "pagerduty", "cache", "offline"
]  # how oncall.json, the pages and the CLI say it
LABELS: dict[Source, PublicSource] = {"live": "pagerduty", "cache": "cache", "offline": "offline"}
PUBLIC_SOURCES: tuple[PublicSource, ...] = tuple(LABELS.values())
TOKEN_ENV = "PAGERDUTY_API_TOKEN"  # noqa: S105  # the variable's name, not a secret
POLICY_ENV = "PAGERDUTY_ESCALATION_POLICY_ID"


def label(source: Source) -> PublicSource:
    """The public name of a source: live data is `pagerduty` in oncall.json, on the page and in the CLI."""
    return LABELS[source]


@dataclass(frozen=True)
class SourceOptions:
    """Non-secret settings of a PagerDuty-backed source; the token only ever comes from the environment."""

    offline: Path
    cache_dir: Path
    ttl_seconds: int = 900
    api_url: str = ""
    retry: RetryPolicy = field(default_factory=RetryPolicy)

    @property
    def ttl(self) -> timedelta:
        """The cache's time to live."""
        return timedelta(seconds=self.ttl_seconds)


@dataclass(frozen=True)
class Cached(Generic[T]):
    """A stored value and when it was captured."""

    value: T
    captured_at: datetime


class Unreadable(OncallDocsError):
    """A stored value that cannot be read (bad bytes, broken JSON): treated as absent, with one warning."""


class Store(Protocol[T]):
    """Where the last good value is kept. `read` raises Unreadable for a damaged copy."""

    def read(self) -> Cached[T] | None:
        """The stored value, or None when there is none."""
        ...

    def write(self, value: T, captured_at: datetime) -> None:
        """Keep a freshly fetched value (only ever called after a fetch succeeded)."""
        ...


class NoStore(Generic[T]):
    """A store that keeps nothing (a one-off query that must not touch the build's cache)."""

    def read(self) -> Cached[T] | None:
        """Never anything."""
        return None

    def write(self, value: T, captured_at: datetime) -> None:
        """Forget it."""


@dataclass(frozen=True)
class Resolved(Generic[T]):
    """The value to show, where it came from, whether it is stale, and what went wrong on the way."""

    value: T
    source: Source
    stale: bool
    captured_at: datetime
    warnings: tuple[str, ...] = ()
    error: str | None = None  # the failed fetch (one line, token masked) behind a stale value


def refusal(error: FetchError) -> ConfigError | None:
    """401/403 (and an unknown policy) are settings to fix, not outages: name the variable."""
    if error.status == 404 and "/escalation_policies/" in error.endpoint:
        return ConfigError(
            f"{error.endpoint}: HTTP 404: no such escalation policy; check {POLICY_ENV}"
        )
    if error.status in (401, 403):
        return ConfigError(
            f"{error.endpoint}: HTTP {error.status}: PagerDuty refused the API token; "
            f"set {TOKEN_ENV} to a valid REST API key with read access"
        )
    return None


def resolve(
    fetch: Callable[[], T] | None,
    cache: Store[T],
    offline: Callable[[], Cached[T]],
    *,
    ttl: timedelta,
    now: datetime,
    fresh: Callable[[T], bool] = lambda _value: True,
    offline_on_failure: bool = True,
) -> Resolved[T]:
    """Fresh cache, else live, else last good cache marked stale, else offline. A failed fetch never overwrites the cache.

    `fetch` None means no token: offline, and nothing else is asked. A refused token or an
    unknown policy raises ConfigError (a setting to fix, not an outage). A damaged cache
    counts as absent, with one warning. Without `offline_on_failure`, a failed fetch with
    nothing cached raises its FetchError for the feature to report.
    """
    if fetch is None:
        kept = offline()
        return Resolved(kept.value, "offline", False, kept.captured_at)
    warnings: list[str] = []
    try:
        cached = cache.read()
    except Unreadable as damaged:
        cached = None
        warnings.append(str(damaged))
    if (
        cached is not None
        and fresh(cached.value)
        and timedelta(0) <= now - cached.captured_at < ttl
    ):
        return Resolved(cached.value, "cache", False, cached.captured_at, tuple(warnings))
    try:
        value = fetch()
    except FetchError as error:
        if (config_error := refusal(error)) is not None:
            raise config_error from None
        if cached is not None:
            return Resolved(
                cached.value, "cache", True, cached.captured_at, tuple(warnings), str(error)
            )
        if not offline_on_failure:
            raise
        kept = offline()
        return Resolved(kept.value, "offline", True, kept.captured_at, tuple(warnings), str(error))
    cache.write(value, now)
    return Resolved(value, "live", False, now, tuple(warnings))
