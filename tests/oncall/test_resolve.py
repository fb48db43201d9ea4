"""Which snapshot a build shows (offline, cache, fresh, stale) and how the files are kept."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from oncall_docs.errors import DataError, FetchError
from oncall_docs.oncall.model import Ref, Snapshot
from oncall_docs.oncall.source import present
from oncall_docs.oncall.store import read_snapshot, snapshot_cache, write_snapshot
from oncall_docs.sources import Cached, Resolved, Unreadable, resolve
from oncall_docs.timeutil import format_age

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=timezone.utc)
TTL = timedelta(minutes=15)


def snap(age: timedelta, source: str = "pagerduty") -> Snapshot:
    """An empty snapshot captured `age` before NOW."""
    return Snapshot(NOW - age, source, False, Ref("PBCPOL1", "BitCell"), ())  # type: ignore[arg-type]


class Calls:
    """Records what resolve did with its callables, and serves as its store."""

    def __init__(self, cached: Snapshot | None, fetched: Snapshot | Exception) -> None:
        self.cached, self.fetched, self.fetches, self.writes = cached, fetched, 0, []

    def fetch(self) -> Snapshot:
        """Count the call; answer as told."""
        self.fetches += 1
        if isinstance(self.fetched, Exception):
            raise self.fetched
        return self.fetched

    def read(self) -> Cached[Snapshot] | None:
        """The cached snapshot, if any."""
        return None if self.cached is None else Cached(self.cached, self.cached.generated_at)

    def write(self, value: Snapshot, captured_at: datetime) -> None:
        """Record the write."""
        self.writes.append(value)

    def run(self, have_token: bool = True) -> Resolved[Snapshot]:
        """Resolve and label as the build does."""
        offline = snap(timedelta(days=3), "offline")
        result = resolve(
            self.fetch if have_token else None,
            self,
            lambda: Cached(offline, offline.generated_at),
            ttl=TTL,
            now=NOW,
        )
        return present(result, NOW)


@pytest.mark.parametrize(
    ("have_token", "cached", "fetched", "source", "stale", "fetches", "writes"),
    [
        pytest.param(
            False,
            snap(timedelta(0)),
            snap(timedelta(0)),
            "offline",
            False,
            0,
            0,
            id="no-token-offline",
        ),
        pytest.param(
            True,
            snap(timedelta(minutes=5)),
            snap(timedelta(0)),
            "cache",
            False,
            0,
            0,
            id="fresh-cache-no-request",
        ),
        pytest.param(
            True,
            snap(timedelta(minutes=20)),
            snap(timedelta(0)),
            "pagerduty",
            False,
            1,
            1,
            id="expired-cache-fetch",
        ),
        pytest.param(True, None, snap(timedelta(0)), "pagerduty", False, 1, 1, id="no-cache-fetch"),
        pytest.param(
            True,
            snap(timedelta(hours=2)),
            FetchError("GET /oncalls", 503, "down"),
            "cache",
            True,
            1,
            0,
            id="outage-uses-cache-stale",
        ),
        pytest.param(
            True,
            None,
            FetchError("GET /oncalls", None, "ReadTimeout"),
            "offline",
            True,
            1,
            0,
            id="outage-no-cache-uses-offline-stale",
        ),
    ],
)
def test_resolution(
    have_token: bool,
    cached: Snapshot | None,
    fetched: object,
    source: str,
    stale: bool,
    fetches: int,
    writes: int,
) -> None:
    """Offline without a token, cache within the TTL, fetch after it, last good one when it fails."""
    calls = Calls(cached, fetched)  # type: ignore[arg-type]
    result = calls.run(have_token)
    assert (result.value.source, result.value.stale) == (source, stale)
    assert (calls.fetches, len(calls.writes)) == (fetches, writes)
    assert len(result.warnings) == stale


def test_outage_warning_is_one_line_with_endpoint_status_and_age() -> None:
    """The stale warning names the endpoint, the status and the age of what is shown."""
    calls = Calls(
        snap(timedelta(hours=2, minutes=5)), FetchError("GET /oncalls", 503, "Service Unavailable")
    )
    (warning,) = calls.run().warnings
    assert "\n" not in warning
    assert "GET /oncalls: HTTP 503" in warning
    assert "2 h 5 min old" in warning


@pytest.mark.parametrize(
    ("age", "text"),
    [
        (timedelta(minutes=3), "3 min"),
        (timedelta(hours=5, minutes=20), "5 h 20 min"),
        (timedelta(days=1), "1 day"),
        (timedelta(days=2, hours=4), "2 days 4 h"),
    ],
)
def test_format_age(age: timedelta, text: str) -> None:
    """Ages are short and readable."""
    assert format_age(age) == text


def test_cache_round_trip_and_failed_write_keeps_last_good(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache reads back what it wrote; a write that fails leaves the previous file intact."""
    cache = snapshot_cache(tmp_path)
    first = snap(timedelta(0))
    cache.write(first, NOW)
    assert cache.read() == Cached(first, first.generated_at)

    def broken(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("oncall_docs.filestore.os.replace", broken)
    with pytest.raises(OSError, match="disk full"):
        cache.write(snap(timedelta(hours=1)), NOW)
    assert cache.read() == Cached(first, first.generated_at)
    assert [p.name for p in tmp_path.iterdir()] == ["oncall-snapshot.json"]


def test_unreadable_cache_is_reported_not_raised_as_a_traceback(tmp_path: Path) -> None:
    """A corrupt cache file is Unreadable (resolve treats it as absent), naming the file."""
    (tmp_path / "oncall-snapshot.json").write_text("{broken", encoding="utf-8")
    with pytest.raises(Unreadable, match=r"oncall-snapshot\.json"):
        snapshot_cache(tmp_path).read()


def test_broken_offline_file_is_a_data_error(tmp_path: Path) -> None:
    """A broken checked-in snapshot names the file."""
    path = tmp_path / "oncall-snapshot.json"
    path.write_text('{"source": "offline"}', encoding="utf-8")
    with pytest.raises(DataError, match=r"oncall-snapshot\.json"):
        read_snapshot(path)
    write_snapshot(path, snap(timedelta(0), "offline"))
    assert read_snapshot(path).source == "offline"
