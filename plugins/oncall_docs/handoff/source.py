"""[I/O] Where a build gets the incidents for the handoff draft: PagerDuty, the cache, the offline week.

The same design as the snapshot (`sources.resolve`): no token -> the checked-in offline week
of BitCell incidents (data/offline-incidents.json, never part of oncall.json); a token -> the
cache while it is fresh for this window, else a fetch; a failed fetch -> the last good data,
with the error and its age, so the rest of the build is never held up by /incidents. This
module supplies what differs: the fetch, the file format (only the fields the draft reads:
no assignees, no e-mail, never the token), and "the cached window is this window".
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from oncall_docs.errors import DataError, FetchError, OncallDocsError
from oncall_docs.filestore import JsonFileStore, write_atomic
from oncall_docs.handoff.draft import Incident, parse_incident
from oncall_docs.handoff.window import HandoffWindow
from oncall_docs.oncall.sample import move, weeks_between
from oncall_docs.pagerduty_api.client import (
    OncallClient,
    PagerDutySettings,
    RetryPolicy,
    mask_secrets,
    settings_from_env,
    token_from_env,
)
from oncall_docs.settings import OFFLINE_INCIDENTS as OFFLINE_INCIDENTS
from oncall_docs.sources import (
    Cached,
    NoStore,
    PublicSource,
    SourceOptions,
    Store,
    label,
    resolve,
)
from oncall_docs.timeutil import format_age, iso, parse_time

CACHE_NAME = "handoff-incidents.json"
LOOKBACK = timedelta(days=7)
KEPT = (
    "id",
    "incident_number",
    "title",
    "status",
    "html_url",
    "urgency",
    "created_at",
    "resolved_at",
)


@dataclass(frozen=True)
class Incidents:
    """Incidents for one window: what the cache and the offline file hold."""

    incidents: tuple[Incident, ...]
    window: HandoffWindow
    raw: tuple[dict[str, Any], ...] = ()  # trimmed, as written to the cache
    sample: bool = False  # the shipped sample week (`"sample": true`), never a real one


@dataclass(frozen=True)
class IncidentData:
    """Incidents for one window, where they came from, and why they are old when they are."""

    incidents: tuple[Incident, ...]
    window: HandoffWindow
    captured_at: datetime
    source: PublicSource
    error: str | None = None  # set when a fetch failed and this is the last good data
    warnings: tuple[str, ...] = ()  # a damaged cache file, ignored
    sample: bool = False  # the shipped sample, moved onto the requested window

    def note(self, now: datetime) -> str:
        """One line for the page and the build log."""
        if self.error:
            return (
                f"could not fetch incidents from PagerDuty ({self.error}); last good draft made "
                f"{iso(self.captured_at)} ({format_age(now - self.captured_at)} ago)"
            )
        if self.source == "offline" and self.sample:
            return "offline data: a sample week of made-up BitCell incidents moved onto this shift (sample data), not live"
        if self.source == "offline":
            return f"offline data: a week of BitCell incidents captured {iso(self.captured_at)}, not live"
        return f"{'from the build cache, fetched' if self.source == 'cache' else 'live from PagerDuty at'} {iso(self.captured_at)}"


class NoIncidents(OncallDocsError):
    """A fetch failed and there is no earlier good draft: the page says so and shows no counts."""


def trim(raw: dict[str, Any]) -> dict[str, Any]:
    """The fields the draft reads: the cache and the offline file hold nothing more."""
    kept = {k: raw.get(k) for k in KEPT}
    for ref in ("service", "priority"):
        value = raw.get(ref)
        kept[ref] = (
            {"summary": value.get("summary") or value.get("name")}
            if isinstance(value, dict)
            else None
        )
    return kept


def _dump(value: Incidents, captured_at: datetime) -> str:
    body = {
        "captured_at": iso(captured_at),
        "window": {"since": iso(value.window.since), "until": iso(value.window.until)},
        "incidents": list(value.raw),
    }
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def _load(text: str) -> Cached[Incidents]:
    body = json.loads(text)
    window = body["window"]
    raw = tuple(body["incidents"])
    value = Incidents(
        tuple(parse_incident(r) for r in raw),
        HandoffWindow(parse_time(window["since"]), parse_time(window["until"])),  # type: ignore[arg-type]
        raw,
        sample=body.get("sample") is True,
    )
    return Cached(value, parse_time(body["captured_at"]))  # type: ignore[arg-type]


def read_incidents(path: Path, source: PublicSource) -> IncidentData:
    """Read the offline file or the cache; a broken one is a DataError naming the file."""
    try:
        kept = _load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(path, 0, "", "incidents file not found") from None
    except UnicodeDecodeError:
        raise DataError(path, 0, "", "not an incidents file (not UTF-8 text)") from None
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise DataError(
            path, 0, "", f"not an incidents file ({type(error).__name__}: {error})"
        ) from None
    return IncidentData(
        kept.value.incidents,
        kept.value.window,
        kept.captured_at,
        source,
        sample=kept.value.sample,
    )


def moved_sample(
    data: IncidentData, window: HandoffWindow, zone: str | None = None
) -> IncidentData:
    """The shipped sample moved by whole weeks (in the rotation's `zone`) onto `window`.

    Weekdays and local times stay; so the draft of a fresh clone is about the shift asked
    for, clearly labelled as sample data. Real offline data comes back unchanged.
    """
    if not data.sample:
        return data
    weeks = weeks_between(data.window.since, window.since)
    tz = ZoneInfo(zone) if zone else timezone.utc
    incidents = tuple(
        replace(
            i,
            created_at=move(i.created_at, weeks, tz),
            resolved_at=None if i.resolved_at is None else move(i.resolved_at, weeks, tz),
        )
        for i in data.incidents
    )
    moved = HandoffWindow(move(data.window.since, weeks, tz), move(data.window.until, weeks, tz))
    return replace(
        data, incidents=incidents, window=moved, captured_at=move(data.captured_at, weeks, tz)
    )


def write_offline(
    path: Path, window: HandoffWindow, captured_at: datetime, raw: list[dict[str, Any]]
) -> None:
    """Write fetched incidents as an offline file (trimmed, atomically)."""
    write_atomic(path, _dump(Incidents((), window, tuple(trim(r) for r in raw)), captured_at))


def incidents_cache(cache_dir: Path) -> JsonFileStore[Incidents]:
    """The last good incidents, with their window, in `cache_dir`."""
    return JsonFileStore(cache_dir / CACHE_NAME, _dump, _load)


class IncidentsFetcher:
    """Lists the incidents a handoff draft needs; FetchError naming `GET /incidents` on failure."""

    def __init__(
        self,
        token: str,
        settings: PagerDutySettings,
        *,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._token, self.settings = token, settings
        self.policy, self.sleep = policy or RetryPolicy(), sleep
        self.request_count = 0

    def __repr__(self) -> str:
        return f"IncidentsFetcher(api_url={self.settings.api_url!r}, token=***)"

    def __call__(
        self, window: HandoffWindow, lookback: timedelta = LOOKBACK
    ) -> list[dict[str, Any]]:
        """Every incident of both listings, as PagerDuty sent them (duplicates are fine).

        The window query reaches one shift back, so an incident that started before the
        window and was resolved inside it is still found.
        """
        from oncall_docs.pagerduty_api.incidents import list_incidents  # with a token only

        with OncallClient(
            self._token, self.settings.api_url, self.policy, sleep=self.sleep
        ) as client:
            try:
                return list_incidents(client, window.since - lookback, window.until)
            finally:
                self.request_count += client.request_count

    def incidents(self, window: HandoffWindow) -> Incidents:
        """Fetched and read into the draft's incidents; FetchError for content it cannot read."""
        raw = self(window)
        try:
            kept = tuple(trim(r) for r in raw)
            return Incidents(tuple(parse_incident(r) for r in kept), window, kept)
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise FetchError(
                "GET /incidents",
                200,
                mask_secrets(f"unexpected response content ({error})", self._token),
            ) from None


def load_incidents(
    options: SourceOptions,
    window: HandoffWindow,
    now: datetime | None = None,
    *,
    use_cache: bool = True,
    zone: str | None = None,
) -> IncidentData:
    """Offline without a token; else a fresh cache for this window, a fetch, or the last good data.

    The shipped sample is moved onto `window` (in `zone`, the rotation's; UTC when not given).

    A failed fetch with nothing cached raises NoIncidents (there is no offline fallback
    for live incidents: a sample week would be mistaken for this one).
    """
    when = now or datetime.now(timezone.utc)
    token = token_from_env()
    fetcher = (
        None
        if token is None
        else IncidentsFetcher(token, settings_from_env(options.api_url), policy=options.retry)
    )
    cache: Store[Incidents] = incidents_cache(options.cache_dir) if use_cache else NoStore()

    def offline() -> Cached[Incidents]:
        data = moved_sample(read_incidents(options.offline, "offline"), window, zone)
        return Cached(Incidents(data.incidents, data.window, sample=data.sample), data.captured_at)

    try:
        result = resolve(
            None if fetcher is None else (lambda: fetcher.incidents(window)),
            cache,
            offline,
            ttl=options.ttl,
            now=when,
            fresh=lambda cached: cached.window == window,
            offline_on_failure=False,
        )
    except FetchError as error:
        raise NoIncidents(
            f"could not fetch incidents from PagerDuty ({error}); no earlier draft to show"
        ) from None
    value = result.value
    return IncidentData(
        value.incidents,
        value.window,
        result.captured_at,
        label(result.source),
        result.error,
        result.warnings,
        sample=value.sample,
    )
