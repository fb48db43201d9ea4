"""[I/O] Where a build gets its on-call snapshot: environment, PagerDuty, the cache, the offline file.

Shared by the MkDocs plugin and the CLI. The token is read from the environment here and
handed straight to the fetcher; it is never put in a settings object, a log or a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from oncall_docs.errors import ConfigError
from oncall_docs.oncall.model import Snapshot, with_labels
from oncall_docs.oncall.resolve import Resolution, resolve_snapshot
from oncall_docs.oncall.store import SnapshotCache, read_snapshot
from oncall_docs.pagerduty_api.client import (
    PagerDutyFetcher,
    RetryPolicy,
    settings_from_env,
    token_from_env,
)
from oncall_docs.settings import OFFLINE_SNAPSHOT as OFFLINE_SNAPSHOT


@dataclass(frozen=True)
class SnapshotOptions:
    """The non-secret settings (from mkdocs.yml or CLI flags); env vars override url and policy."""

    offline: Path
    cache_dir: Path
    ttl_seconds: int = 900
    api_url: str = ""
    escalation_policy_id: str = ""
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    labels: dict[int, str] = field(default_factory=dict)


def fetcher_from_env(options: SnapshotOptions) -> PagerDutyFetcher | None:
    """A fetcher when PAGERDUTY_API_TOKEN is set, else None (offline)."""
    token = token_from_env()
    if token is None:
        return None
    settings = settings_from_env(options.api_url, options.escalation_policy_id)
    return PagerDutyFetcher(token, settings, labels=options.labels, policy=options.retry)


def load_snapshot(options: SnapshotOptions, now: datetime | None = None) -> Resolution:
    """Offline without a token; else the fresh cache, a new fetch, or the last good one (stale)."""
    when = now or datetime.now(timezone.utc)
    fetcher = fetcher_from_env(options)
    cache = SnapshotCache(options.cache_dir)

    def fetch() -> Snapshot:
        if fetcher is None:  # resolve_snapshot never fetches without a token
            raise ConfigError("no PAGERDUTY_API_TOKEN")
        return fetcher(when)

    result = resolve_snapshot(
        now=when,
        have_token=fetcher is not None,
        ttl=timedelta(seconds=options.ttl_seconds),
        fetch=fetch,
        read_cache=cache.read,
        write_cache=cache.write,
        read_offline=lambda: read_snapshot(options.offline),
    )
    labelled = with_labels(result.snapshot, options.labels) if options.labels else result.snapshot
    return Resolution(labelled, result.warning, result.fetched)
