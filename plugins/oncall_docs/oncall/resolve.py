"""Which snapshot a build shows: offline, cached, fresh, or the last good one marked stale.

Pure decision logic; the fetch and the files come in as callables, `now` is passed in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from oncall_docs.errors import ConfigError, FetchError
from oncall_docs.oncall.model import Snapshot, iso

TOKEN_ENV = "PAGERDUTY_API_TOKEN"  # noqa: S105  # the variable's name, not a token
POLICY_ENV = "PAGERDUTY_ESCALATION_POLICY_ID"


@dataclass(frozen=True)
class Resolution:
    """The snapshot to show, and the one warning line to log (stale, or its schedules' coverage gaps)."""

    snapshot: Snapshot
    warning: str | None = None
    fetched: bool = False


def format_age(age: timedelta) -> str:
    """`3 min`, `5 h 20 min`, `2 days 4 h`: short enough for a banner."""
    minutes = max(0, int(age.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return (
            f"{days} day{'s' if days > 1 else ''} {hours} h"
            if hours
            else f"{days} day{'s' if days > 1 else ''}"
        )
    return f"{hours} h {mins} min" if hours else f"{mins} min"


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


def resolve_snapshot(
    *,
    now: datetime,
    have_token: bool,
    ttl: timedelta,
    fetch: Callable[[], Snapshot],
    read_cache: Callable[[], Snapshot | None],
    write_cache: Callable[[Snapshot], None],
    read_offline: Callable[[], Snapshot],
) -> Resolution:
    """No token: offline. Fresh cache: cache. Else fetch; on failure the last good snapshot, stale.

    401/403 (and a missing policy) are not outages but a setting to fix, so they raise.
    """
    if not have_token:
        return Resolution(read_offline().with_source("offline"))
    cached = read_cache()
    if cached is not None and timedelta(0) <= cached.age(now) < ttl:
        return Resolution(cached.with_source("cache"), _gaps_warning(cached))
    try:
        fresh = fetch()
    except FetchError as error:
        if (config_error := refusal(error)) is not None:
            raise config_error from None
        last = (
            cached.with_source("cache", stale=True)
            if cached
            else read_offline().with_source("offline", stale=True)
        )
        warning = (
            f"PagerDuty {error}; showing the {'cached' if cached else 'offline'} snapshot captured "
            f"{iso(last.generated_at)} ({format_age(last.age(now))} old), marked stale"
        )
        return Resolution(last, warning)
    write_cache(fresh)
    return Resolution(fresh.with_source("pagerduty"), _gaps_warning(fresh), fetched=True)


def _gaps_warning(snapshot: Snapshot) -> str | None:
    """The snapshot's own warnings (a schedule below 100 % coverage) as one line, or None."""
    return "; ".join(snapshot.warnings) or None
