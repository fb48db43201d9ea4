"""A hostile PagerDuty answer ends in the usual fallback: the last good snapshot, marked stale, one warning."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from oncall_docs.oncall.source import load_snapshot
from oncall_docs.pagerduty_api.client import RetryPolicy
from oncall_docs.sources import SourceOptions
from tests.conftest import ROOT
from tests.fakes.pagerduty import FakePagerDuty, Fault
from tests.fakes.pd_fixtures import NOW, TOKEN

LIMITS = RetryPolicy(attempts=1, base_delay=0, timeout=1.5, deadline=2.5)


@pytest.fixture
def live(fake_pd: FakePagerDuty, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SourceOptions:
    """Options that reach the fake with a token; cache in tmp."""
    monkeypatch.setenv("PAGERDUTY_API_TOKEN", TOKEN)
    monkeypatch.setenv("PAGERDUTY_API_URL", fake_pd.url)
    monkeypatch.setenv("PAGERDUTY_ESCALATION_POLICY_ID", "PBCPOL1")
    return SourceOptions(
        offline=ROOT / "data" / "oncall-snapshot.json", cache_dir=tmp_path / "cache", retry=LIMITS
    )


@pytest.mark.parametrize(
    ("mode", "deadline"),
    [
        pytest.param("slow_body", 2.5, id="one-byte-a-second"),
        pytest.param("endless", 30.0, id="endless-body"),
        pytest.param("gzip_bomb", 30.0, id="3-MB-gzip-bomb"),
    ],
)
def test_hostile_answer_falls_back_to_last_good_snapshot(
    fake_pd: FakePagerDuty, live: SourceOptions, mode: str, deadline: float
) -> None:
    """After a good fetch, a hostile /oncalls leaves the cached snapshot shown, stale, with one warning."""
    first = load_snapshot(live, NOW)
    assert (first.value.source, first.warnings) == ("pagerduty", ())
    fake_pd.faults.append(Fault("/oncalls", mode=mode))
    options = replace(live, retry=replace(LIMITS, deadline=deadline))
    started = time.monotonic()
    later = load_snapshot(options, NOW + timedelta(hours=2))
    assert time.monotonic() - started < deadline + LIMITS.timeout
    assert (later.value.source, later.value.stale) == ("cache", True)
    assert later.value.generated_at == NOW
    (warning,) = later.warnings
    assert warning.startswith("PagerDuty GET /oncalls: HTTP 200: ")
    assert "showing the cached snapshot captured 2026-11-25T15:00:00Z (2 h 0 min old)" in warning
