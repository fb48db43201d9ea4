"""[I/O] Where a build gets its on-call snapshot: PagerDuty, the cache, the offline file (`sources.resolve`).

Shared by the MkDocs plugin and the CLI. This module supplies only what is particular to
the snapshot: the fetch (policy, /oncalls, one schedule per policy schedule, then the pure
`build_snapshot`), its cache file and the offline file. The token is read from the
environment here and handed straight to the client; the PagerDuty client library, the
endpoint modules and `build_snapshot` are loaded only when a fetch happens.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from oncall_docs.errors import ConfigError, FetchError
from oncall_docs.oncall.model import HORIZON, Snapshot, with_labels
from oncall_docs.oncall.sample import moved_snapshot
from oncall_docs.oncall.store import read_snapshot, snapshot_cache
from oncall_docs.pagerduty_api.client import (
    OncallClient,
    PagerDutySettings,
    RetryPolicy,
    mask_secrets,
    settings_from_env,
    token_from_env,
)
from oncall_docs.settings import OFFLINE_SNAPSHOT as OFFLINE_SNAPSHOT
from oncall_docs.sources import Cached, Resolved, SourceOptions, label, resolve
from oncall_docs.timeutil import format_age, iso


class SnapshotFetcher:
    """Asks PagerDuty for one snapshot: the policy, who is on call now, and 8 weeks of shifts.

    Requests per fetch: 1 (policy) + pages of /oncalls (one per 100 on-call entries, not per
    user in the account) + 1 per schedule of the policy (2 for a layer-based one of unknown
    kind) + for v3 schedules, names: at most 1 /oncalls page, rarely 1 per unnamed person.
    """

    def __init__(
        self,
        token: str,
        settings: PagerDutySettings,
        *,
        labels: Mapping[int, str] | None = None,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not settings.escalation_policy_id:
            raise ConfigError(
                "no escalation policy: set PAGERDUTY_ESCALATION_POLICY_ID or the plugin's escalation_policy_id"
            )
        self._token, self.settings, self.labels = token, settings, dict(labels or {})
        self.policy, self.sleep = policy or RetryPolicy(), sleep
        self.request_count = 0

    def __repr__(self) -> str:
        return f"SnapshotFetcher(api_url={self.settings.api_url!r}, token=***)"

    def __call__(self, now: datetime | None = None) -> Snapshot:
        """Fetch now; FetchError on any failure (nothing is written here)."""
        from oncall_docs.oncall.build import build_snapshot  # with a token only, as the client
        from oncall_docs.oncall.build_v3 import schedule_kinds
        from oncall_docs.pagerduty_api.escalation_policies import fetch_policy
        from oncall_docs.pagerduty_api.oncalls import fetch_oncalls
        from oncall_docs.pagerduty_api.schedules import fetch_schedule
        from oncall_docs.pagerduty_api.schedules_v3 import fetch_any_schedule

        when = (now or datetime.now(timezone.utc)).replace(microsecond=0)
        with OncallClient(
            self._token, self.settings.api_url, self.policy, sleep=self.sleep
        ) as client:
            try:
                pid = self.settings.escalation_policy_id
                policy = fetch_policy(client, pid)
                oncalls = fetch_oncalls(client, pid)
                until = (
                    when + HORIZON
                )  # each target by its kind; unknown: v3 first, layer-based on 400
                schedules = {
                    sid: fetch_any_schedule(
                        client,
                        sid,
                        kind,
                        when,
                        until,
                        fetch_layer=lambda s: fetch_schedule(client, s, (when, until)),
                    )
                    for sid, kind in schedule_kinds(policy).items()
                }
                schedules = with_user_names(
                    client, schedules, oncalls, policy_id=pid, since=when, until=until
                )
                return build_snapshot(
                    policy, oncalls, schedules, generated_at=when, labels=self.labels
                )
            except (ValueError, TypeError, KeyError, AttributeError) as error:
                # JSON, but not what the API sends
                raise FetchError(
                    "PagerDuty",
                    200,
                    mask_secrets(
                        f"unexpected response content ({type(error).__name__}: {error})",
                        self._token,
                    ),
                ) from None
            finally:
                self.request_count += client.request_count


def with_user_names(
    client: OncallClient,
    schedules: Mapping[str, Mapping[str, Any]],
    oncalls: Iterable[Mapping[str, Any]],
    *,
    policy_id: str,
    since: datetime,
    until: datetime,
) -> dict[str, dict[str, Any]]:
    """The schedules, each v3 one with `users` (UserReference list) naming everyone it assigns."""
    from oncall_docs.oncall.build_v3 import is_v3, v3_user_ids  # with a token only
    from oncall_docs.pagerduty_api.schedules_v3 import fetch_user_names, known_names

    wanted = [uid for raw in schedules.values() if is_v3(raw) for uid in v3_user_ids(raw)]
    names = (
        fetch_user_names(
            client, wanted, known_names(oncalls), policy_id=policy_id, since=since, until=until
        )
        if wanted
        else {}
    )
    out: dict[str, dict[str, Any]] = {}
    for sid, raw in schedules.items():
        out[sid] = dict(raw)
        if is_v3(raw):
            out[sid]["users"] = [
                {"id": uid, "type": "user_reference", "summary": names.get(uid, uid)}
                for uid in v3_user_ids(raw)
            ]
    return out


def fetcher_from_env(
    options: SourceOptions, escalation_policy_id: str = "", labels: Mapping[int, str] | None = None
) -> SnapshotFetcher | None:
    """A fetcher when PAGERDUTY_API_TOKEN is set, else None (offline)."""
    token = token_from_env()
    if token is None:
        return None
    settings = settings_from_env(options.api_url, escalation_policy_id)
    return SnapshotFetcher(token, settings, labels=labels, policy=options.retry)


def load_snapshot(
    options: SourceOptions,
    now: datetime | None = None,
    *,
    escalation_policy_id: str = "",
    labels: Mapping[int, str] | None = None,
    zone: str | None = None,
) -> Resolved[Snapshot]:
    """Offline without a token; else the fresh cache, a new fetch, or the last good one (stale).

    The shipped sample is moved to the present in `zone` (the rotation's; UTC when not given).

    The value is labelled as oncall.json says it (`pagerduty`/`cache`/`offline`, `stale`);
    a stale one adds the one warning line the build logs.
    """
    when = now or datetime.now(timezone.utc)
    fetcher = fetcher_from_env(options, escalation_policy_id, labels)

    def offline() -> Cached[Snapshot]:
        snapshot = read_offline(options.offline, when, zone)
        return Cached(snapshot, snapshot.generated_at)

    result = resolve(
        None if fetcher is None else (lambda: fetcher(when)),
        snapshot_cache(options.cache_dir),
        offline,
        ttl=options.ttl,
        now=when,
    )
    return present(result, when, labels)


def read_offline(path: Path, now: datetime, zone: str | None = None) -> Snapshot:
    """The offline snapshot file; the shipped sample moved by whole weeks so `now` falls inside it."""
    return moved_snapshot(read_snapshot(path), now, ZoneInfo(zone) if zone else timezone.utc)


def present(
    result: Resolved[Snapshot], now: datetime, labels: Mapping[int, str] | None = None
) -> Resolved[Snapshot]:
    """Label the snapshot as oncall.json says it (`pagerduty`/`cache`/`offline`, `stale`).

    A stale one adds the one warning line the build logs: the failed endpoint and status,
    what is shown instead, and its age. A fetched or cached one with warnings of its own (a
    schedule's coverage gaps) adds them as one line.
    """
    snapshot = result.value.with_source(label(result.source), stale=result.stale)
    if labels:
        snapshot = with_labels(snapshot, dict(labels))
    warnings = result.warnings
    if result.error is None and result.source != "offline" and snapshot.warnings:
        warnings += ("; ".join(snapshot.warnings),)  # e.g. a v3 schedule's coverage gaps
    if result.error is not None:
        kind = "cached" if result.source == "cache" else "offline"
        warnings += (
            f"PagerDuty {result.error}; showing the {kind} snapshot captured "
            f"{iso(snapshot.generated_at)} ({format_age(snapshot.age(now))} old), marked stale",
        )
    return replace(result, value=snapshot, warnings=warnings)
