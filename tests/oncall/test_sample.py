"""The shipped sample: moved to the present by whole weeks in the rotation's zone, and said as such."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from oncall_docs.access.window import window_for
from oncall_docs.handoff.source import moved_sample, read_incidents
from oncall_docs.handoff.window import current_window
from oncall_docs.model import load_handbook
from oncall_docs.oncall.model import Snapshot, oncall_at, to_dict
from oncall_docs.oncall.parse import from_json
from oncall_docs.oncall.sample import moved_snapshot
from oncall_docs.oncall.source import load_snapshot
from oncall_docs.oncall.store import read_snapshot
from oncall_docs.oncall.view import OncallView
from oncall_docs.sources import SourceOptions

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = ROOT / "data" / "oncall-snapshot.json"
INCIDENTS = ROOT / "data" / "offline-incidents.json"
ZONE = "America/New_York"
NY = ZoneInfo(ZONE)
SAMPLE_END = datetime(2027, 1, 25, tzinfo=timezone.utc)
LATER = [  # all after the shipped sample's last shift; summer and winter (DST)
    datetime(2027, 2, 3, 12, 0, tzinfo=timezone.utc),
    datetime(2027, 6, 16, 15, 0, tzinfo=timezone.utc),
    datetime(2029, 12, 24, 8, 0, tzinfo=timezone.utc),
]


def sample() -> Snapshot:
    """The shipped offline snapshot, as the file says it."""
    return read_snapshot(SNAPSHOT)


def test_the_shipped_files_say_they_are_the_sample() -> None:
    """Both offline files carry `"sample": true`; the snapshot keeps `source: "offline"`."""
    assert sample().sample
    assert json.loads(SNAPSHOT.read_text())["source"] == "offline"
    assert read_incidents(INCIDENTS, "offline").sample
    assert (sample().covered_until() or SAMPLE_END) <= SAMPLE_END + timedelta(days=1)


@pytest.mark.parametrize("now", LATER, ids=lambda d: d.date().isoformat())
def test_moved_sample_covers_now_and_the_weeks_ahead(now: datetime) -> None:
    """After 2027-01-25 the moved sample still names someone on call now and 4 weeks on."""
    assert not [o for lv in oncall_at(sample(), now) if lv.level == 1 for o in lv.oncall]
    moved = moved_snapshot(sample(), now, NY)
    primary = [o for lv in oncall_at(moved, now) if lv.level == 1 for o in lv.oncall]
    assert primary
    assert (moved.covered_until() or now) >= now + timedelta(weeks=4)
    assert now - timedelta(weeks=1) < moved.generated_at <= now
    assert moved.sample
    assert moved.source == "offline"


@pytest.mark.parametrize("now", LATER, ids=lambda d: d.date().isoformat())
def test_weekday_and_local_handoff_time_are_kept(now: datetime) -> None:
    """Every moved shift starts on the same weekday at the same local time, across DST."""
    before = sample().shifts
    after = moved_snapshot(sample(), now, NY).shifts
    for old, new in zip(before, after, strict=True):
        old_local, new_local = old.start.astimezone(NY), new.start.astimezone(NY)
        assert (new_local.weekday(), new_local.time()) == (old_local.weekday(), old_local.time())
        assert (new_local.date() - old_local.date()).days % 7 == 0


def test_a_real_snapshot_or_an_early_clock_is_left_alone() -> None:
    """Not the sample, or `now` within its first week: unchanged."""
    real = Snapshot(**{**sample().__dict__, "sample": False})
    assert moved_snapshot(real, LATER[1], NY) == real
    assert moved_snapshot(sample(), sample().generated_at + timedelta(days=2), NY) == sample()


def test_oncall_json_marks_the_sample() -> None:
    """oncall.json keeps `source: "offline"` and adds `"sample": true`; a read-back keeps it."""
    doc = to_dict(moved_snapshot(sample(), LATER[0], NY))
    assert doc["source"] == "offline"
    assert doc["sample"] is True
    assert from_json(json.dumps(doc)).sample
    assert "sample" not in to_dict(Snapshot(**{**sample().__dict__, "sample": False}))


def test_load_snapshot_moves_the_offline_sample(tmp_path: Path) -> None:
    """Without a token, the build's snapshot at a later `now` is the sample moved there."""
    options = SourceOptions(offline=SNAPSHOT, cache_dir=tmp_path)
    snap = load_snapshot(options, LATER[1], zone=ZONE).value
    assert snap.sample
    assert oncall_at(snap, LATER[1])[0].oncall


def test_views_say_sample_data() -> None:
    """Banner and schedule status say "sample data"; the access window does too."""
    now = LATER[1]
    view = OncallView(moved_snapshot(sample(), now, NY), now, ZONE)
    banner = str(view.banner("schedule/"))
    assert "On call now (sample data)" in banner
    assert "Who is on call is unknown" not in banner
    assert "sample data" in str(view.table())
    assert "sample data" in window_for(view.snapshot, now, 4).source
    real = OncallView(Snapshot(**{**view.snapshot.__dict__, "sample": False}), now, ZONE)
    assert "sample data" not in str(real.banner("schedule/"))


@pytest.mark.parametrize("now", LATER, ids=lambda d: d.date().isoformat())
def test_incidents_sample_moved_onto_the_window(now: datetime) -> None:
    """The sample week lands on the current shift; incident times keep weekday and local time."""
    data = read_incidents(INCIDENTS, "offline")
    window = current_window(load_handbook(ROOT / "data"), now)
    moved = moved_sample(data, window, ZONE)
    assert moved.window == window
    for old, new in zip(data.incidents, moved.incidents, strict=True):
        o, n = old.created_at.astimezone(NY), new.created_at.astimezone(NY)
        assert (n.weekday(), n.time()) == (o.weekday(), o.time())
    assert "sample data" in moved.note(now)
