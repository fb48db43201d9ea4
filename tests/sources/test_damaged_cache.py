"""A damaged cache file (bad bytes, broken JSON) counts as absent with one warning, and the next good fetch replaces it."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from oncall_docs.handoff.source import CACHE_NAME as INCIDENTS_CACHE
from oncall_docs.handoff.source import load_incidents
from oncall_docs.handoff.window import HandoffWindow
from oncall_docs.oncall.source import load_snapshot
from oncall_docs.oncall.store import CACHE_NAME as SNAPSHOT_CACHE
from oncall_docs.pagerduty_api.client import RetryPolicy
from oncall_docs.sources import SourceOptions
from tests.conftest import ROOT
from tests.fakes.pagerduty import FakePagerDuty, Fault
from tests.fakes.pd_fixtures import NOW, TOKEN

QUICK = RetryPolicy(attempts=1, base_delay=0, timeout=2, deadline=10)
WINDOW = HandoffWindow(NOW - timedelta(days=2, hours=1), NOW + timedelta(days=4, hours=23))
DAMAGE = [
    pytest.param(b"\xff\xfe\x00garbage\x80", "not UTF-8 text", id="non-utf8-bytes"),
    pytest.param(b'{"generated_at": "2026-11-25T', "not a cache file", id="broken-json"),
    pytest.param(b"[1, 2, 3]", "not a cache file", id="json-of-another-shape"),
]


def _live(
    fake: FakePagerDuty, tmp: Path, monkeypatch: pytest.MonkeyPatch, offline: str
) -> SourceOptions:
    monkeypatch.setenv("PAGERDUTY_API_TOKEN", TOKEN)
    monkeypatch.setenv("PAGERDUTY_API_URL", fake.url)
    monkeypatch.setenv("PAGERDUTY_ESCALATION_POLICY_ID", "PBCPOL1")
    return SourceOptions(offline=ROOT / "data" / offline, cache_dir=tmp / "cache", retry=QUICK)


@pytest.mark.parametrize(("damage", "reason"), DAMAGE)
def test_damaged_snapshot_cache_is_replaced_by_the_next_fetch(
    fake_pd: FakePagerDuty,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    damage: bytes,
    reason: str,
) -> None:
    """One warning naming the file; the fetch goes ahead and rewrites the cache as good JSON."""
    options = _live(fake_pd, tmp_path, monkeypatch, "oncall-snapshot.json")
    cache = options.cache_dir / SNAPSHOT_CACHE
    cache.parent.mkdir(parents=True)
    cache.write_bytes(damage)
    result = load_snapshot(options, NOW)
    assert result.value.source == "pagerduty"
    (warning,) = result.warnings
    assert str(cache) in warning
    assert reason in warning
    assert json.loads(cache.read_text(encoding="utf-8"))["generated_at"] == "2026-11-25T15:00:00Z"
    assert load_snapshot(options, NOW + timedelta(minutes=1)).warnings == ()


@pytest.mark.parametrize(("damage", "reason"), DAMAGE)
def test_damaged_snapshot_cache_and_an_outage_show_offline_stale(
    fake_pd: FakePagerDuty,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    damage: bytes,
    reason: str,
) -> None:
    """The damaged copy is never shown: an outage falls through to the offline snapshot, marked stale."""
    options = _live(fake_pd, tmp_path, monkeypatch, "oncall-snapshot.json")
    (options.cache_dir).mkdir(parents=True)
    (options.cache_dir / SNAPSHOT_CACHE).write_bytes(damage)
    fake_pd.faults.append(Fault("/oncalls", 500, times=9))
    result = load_snapshot(options, NOW)
    assert (result.value.source, result.value.stale) == ("offline", True)
    assert [reason in w for w in result.warnings] == [True, False]


@pytest.mark.parametrize(("damage", "reason"), DAMAGE)
def test_damaged_incidents_cache_is_replaced_by_the_next_fetch(
    fake_pd: FakePagerDuty,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    damage: bytes,
    reason: str,
) -> None:
    """The handoff draft's cache behaves the same: one warning, a fetch, a good file again."""
    options = _live(fake_pd, tmp_path, monkeypatch, "offline-incidents.json")
    cache = options.cache_dir / INCIDENTS_CACHE
    cache.parent.mkdir(parents=True)
    cache.write_bytes(damage)
    data = load_incidents(options, WINDOW, NOW)
    assert data.source == "pagerduty"
    (warning,) = data.warnings
    assert str(cache) in warning
    assert reason in warning
    assert json.loads(cache.read_text(encoding="utf-8"))["captured_at"] == "2026-11-25T15:00:00Z"
