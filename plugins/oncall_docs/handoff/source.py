"""[I/O] Where a build gets the incidents for the handoff draft: PagerDuty, the cache, the offline week.

The same pattern as the snapshot (oncall_source.py): no token -> the checked-in offline week
of BitCell incidents (data/offline-incidents.json, never part of oncall.json); a token -> the
cache while it is fresh for this shift, else a fetch; a failed fetch -> the last good data,
with the error and its age, so the rest of the build is never held up by /incidents. The
cache keeps only the fields the draft reads (no assignees, no e-mail) and never the token.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Literal

from oncall_docs.errors import DataError, FetchError, OncallDocsError
from oncall_docs.handoff.draft import Incident, parse_incident
from oncall_docs.handoff.window import HandoffWindow
from oncall_docs.oncall.model import iso, parse_time
from oncall_docs.oncall.resolve import format_age, refusal
from oncall_docs.oncall.store import write_atomic
from oncall_docs.pagerduty_api.client import RetryPolicy, settings_from_env, token_from_env
from oncall_docs.pagerduty_api.incidents import IncidentsFetcher
from oncall_docs.settings import OFFLINE_INCIDENTS as OFFLINE_INCIDENTS

CACHE_NAME = "handoff-incidents.json"
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
Source = Literal["pagerduty", "cache", "offline"]


@dataclass(frozen=True)
class IncidentOptions:
    """Non-secret settings; the token and the API URL come from the environment (as for the snapshot)."""

    offline: Path
    cache_dir: Path
    ttl_seconds: int = 900
    api_url: str = ""
    retry: RetryPolicy = field(default_factory=RetryPolicy)


@dataclass(frozen=True)
class IncidentData:
    """Incidents for one window, where they came from, and why they are old when they are."""

    incidents: tuple[Incident, ...]
    window: HandoffWindow
    captured_at: datetime
    source: Source
    error: str | None = None  # set when a fetch failed and this is the last good data

    def note(self, now: datetime) -> str:
        """One line for the page and the build log."""
        if self.error:
            return (
                f"could not fetch incidents from PagerDuty ({self.error}); last good draft made "
                f"{iso(self.captured_at)} ({format_age(now - self.captured_at)} ago)"
            )
        if self.source == "offline":
            return f"offline data: a sample week of BitCell incidents captured {iso(self.captured_at)}, not live"
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


def _dump(window: HandoffWindow, captured_at: datetime, raw: list[dict[str, Any]]) -> str:
    body = {
        "captured_at": iso(captured_at),
        "window": {"since": iso(window.since), "until": iso(window.until)},
        "incidents": [trim(r) for r in raw],
    }
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def read_incidents(path: Path, source: Source) -> IncidentData:
    """Read the offline file or the cache; a broken one is a DataError naming the file."""
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        window = body["window"]
        return IncidentData(
            incidents=tuple(parse_incident(r) for r in body["incidents"]),
            window=HandoffWindow(parse_time(window["since"]), parse_time(window["until"])),  # type: ignore[arg-type]
            captured_at=parse_time(body["captured_at"]),  # type: ignore[arg-type]
            source=source,
        )
    except FileNotFoundError:
        raise DataError(path, 0, "", "incidents file not found") from None
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise DataError(
            path, 0, "", f"not an incidents file ({type(error).__name__}: {error})"
        ) from None


def write_offline(
    path: Path, window: HandoffWindow, captured_at: datetime, raw: list[dict[str, Any]]
) -> None:
    """Write fetched incidents as an offline file (trimmed, atomically)."""
    write_atomic(path, _dump(window, captured_at, raw))


def load_incidents(
    options: IncidentOptions,
    window: HandoffWindow,
    now: datetime | None = None,
    *,
    use_cache: bool = True,
) -> IncidentData:
    """Offline without a token; else a fresh cache for this window, a fetch, or the last good data."""
    when = now or datetime.now(timezone.utc)
    token = token_from_env()
    if token is None:
        return read_incidents(options.offline, "offline")
    cache = options.cache_dir / CACHE_NAME
    cached = _read_cache(cache) if use_cache else None
    if (
        cached is not None
        and cached.window == window
        and timedelta(0) <= when - cached.captured_at < timedelta(seconds=options.ttl_seconds)
    ):
        return cached
    fetcher = IncidentsFetcher(token, settings_from_env(options.api_url), policy=options.retry)
    try:
        raw = fetcher(window)
        incidents = tuple(parse_incident(trim(r)) for r in raw)
    except (ValueError, KeyError, TypeError, AttributeError) as error:  # JSON, but not an incident
        return _fallback(
            FetchError("GET /incidents", 200, f"unexpected response content ({error})"), cached
        )
    except FetchError as error:
        return _fallback(error, cached)
    if use_cache:
        write_atomic(cache, _dump(window, when, raw))
    return IncidentData(incidents, window, when, "pagerduty")


def _fallback(error: FetchError, cached: IncidentData | None) -> IncidentData:
    """A refused token is a setting to fix; anything else falls back to the last good data."""
    if (config_error := refusal(error)) is not None:
        raise config_error from None
    if cached is None:
        raise NoIncidents(
            f"could not fetch incidents from PagerDuty ({error}); no earlier draft to show"
        )
    return IncidentData(cached.incidents, cached.window, cached.captured_at, "cache", str(error))


def _read_cache(path: Path) -> IncidentData | None:
    try:
        return read_incidents(path, "cache")
    except DataError:
        return None
